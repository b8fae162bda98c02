package service

import (
	"context"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/testenv"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
)

var backends = []struct {
	name string
	url  func(t *testing.T) string
}{{"sqlite", func(*testing.T) string { return "" }}, {"postgres", func(t *testing.T) string { return testenv.Postgres(t) }}}

// violation returns the first BadRequest field violation's field and the
// ErrorInfo reason of err.
func violation(err error) (field string, n int) {
	for _, d := range status.Convert(err).Details() {
		if br, ok := d.(*errdetails.BadRequest); ok && len(br.GetFieldViolations()) > 0 {
			return br.GetFieldViolations()[0].GetField(), len(br.GetFieldViolations())
		}
	}
	return "", 0
}

// TestRequests drives the requests desk over gRPC on SQLite and PostgreSQL:
// reception with the type's deadline, the lifecycle through the one state
// table, the overdue list, tenancy across chambers, and one outbox event
// per change.
func TestRequests(t *testing.T) {
	for _, db := range backends {
		t.Run(db.name, func(t *testing.T) {
			e := start(t, options{dbURL: db.url(t)})
			rs := deskv1.NewServiceRequestServiceClient(e.conn)
			clerk := e.as(t, auth.RoleChamberClerk, "fes-meknes")
			other := e.as(t, auth.RoleChamberClerk, "marrakech-safi")
			ministry := e.as(t, auth.RoleMinistry, "")
			auditor := e.as(t, auth.RoleAuditor, "fes-meknes")

			old := time.Now().Add(-10 * 24 * time.Hour)
			late := must(rs.CreateServiceRequest(clerk, &deskv1.CreateServiceRequestRequest{Parent: "chambers/fes-meknes", RequestId: "walkin-1",
				ServiceRequest: &deskv1.ServiceRequest{WalkInName: "فاطمة الزهراء", Type: deskv1.ServiceRequest_ATTESTATION,
					Channel: deskv1.ServiceRequest_IN_PERSON, Subject: "شهادة مزاولة الحرفة", ReceiveTime: timestamppb.New(old)}}))(t)
			if late.GetState() != deskv1.ServiceRequest_RECEIVED || late.GetDeadlineTime().AsTime().Sub(late.GetReceiveTime().AsTime()) != 7*24*time.Hour {
				t.Fatalf("created %v", late)
			}
			again := must(rs.CreateServiceRequest(clerk, &deskv1.CreateServiceRequestRequest{Parent: "chambers/fes-meknes", RequestId: "walkin-1",
				ServiceRequest: &deskv1.ServiceRequest{WalkInName: "x", Type: deskv1.ServiceRequest_OTHER, Channel: deskv1.ServiceRequest_PHONE, Subject: "y"}}))(t)
			if again.GetName() != late.GetName() {
				t.Fatalf("a replayed request id created %s", again.GetName())
			}
			fresh := must(rs.CreateServiceRequest(clerk, &deskv1.CreateServiceRequestRequest{Parent: "chambers/fes-meknes",
				ServiceRequest: &deskv1.ServiceRequest{Requester: "chambers/fes-meknes/cooperatives/c1", Type: deskv1.ServiceRequest_SUPPORT,
					Channel: deskv1.ServiceRequest_EMAIL, Subject: "Soutien à la participation au salon"}}))(t)

			// The overdue list holds the 10-day-old attestation only.
			od := must(rs.ListServiceRequests(clerk, &deskv1.ListServiceRequestsRequest{Parent: "chambers/fes-meknes", Overdue: true}))(t)
			if len(od.GetServiceRequests()) != 1 || od.GetServiceRequests()[0].GetName() != late.GetName() {
				t.Fatalf("overdue: %v", od)
			}
			if l := must(rs.ListServiceRequests(ministry, &deskv1.ListServiceRequestsRequest{Parent: "chambers/-", Overdue: true}))(t); len(l.GetServiceRequests()) != 1 {
				t.Fatalf("national overdue: %v", l)
			}
			if l := must(rs.ListServiceRequests(auditor, &deskv1.ListServiceRequestsRequest{Parent: "chambers/fes-meknes", Filter: "type = SUPPORT"}))(t); len(l.GetServiceRequests()) != 1 {
				t.Fatalf("auditor's filtered list: %v", l)
			}
			_, err := rs.GetServiceRequest(other, &deskv1.GetServiceRequestRequest{Name: late.GetName()})
			wantErr(t, "other chamber", err, codes.NotFound, "")
			_, err = rs.StudyServiceRequest(other, &deskv1.StudyServiceRequestRequest{Name: late.GetName()})
			wantErr(t, "other chamber's study", err, codes.NotFound, "")

			// Study (the caller is the assignee), answer in Arabic, close.
			st := must(rs.StudyServiceRequest(clerk, &deskv1.StudyServiceRequestRequest{Name: late.GetName(), Etag: late.GetEtag()}))(t)
			if st.GetState() != deskv1.ServiceRequest_IN_STUDY || st.GetAssignee() != "chamber-clerk@fes-meknes" {
				t.Fatalf("studied %v", st)
			}
			_, err = rs.AnswerServiceRequest(clerk, &deskv1.AnswerServiceRequestRequest{Name: late.GetName(), Etag: late.GetEtag(), Answer: &typev1.LocalizedText{Ar: "نعم"}})
			wantErr(t, "stale etag", err, codes.Aborted, "")
			an := must(rs.AnswerServiceRequest(clerk, &deskv1.AnswerServiceRequestRequest{Name: late.GetName(), Answer: &typev1.LocalizedText{Ar: "سلمت الشهادة"}}))(t)
			if an.GetState() != deskv1.ServiceRequest_ANSWERED || an.GetAnswer().GetAr() != "سلمت الشهادة" || an.GetRespondTime() == nil {
				t.Fatalf("answered %v", an)
			}
			if l := must(rs.ListServiceRequests(clerk, &deskv1.ListServiceRequestsRequest{Parent: "chambers/fes-meknes", Overdue: true}))(t); len(l.GetServiceRequests()) != 0 {
				t.Fatalf("an answered request is still overdue: %v", l)
			}
			must(rs.CloseServiceRequest(clerk, &deskv1.CloseServiceRequestRequest{Name: late.GetName()}))(t)
			// Forward the other one.
			must(rs.StudyServiceRequest(clerk, &deskv1.StudyServiceRequestRequest{Name: fresh.GetName(), Assignee: "agent-7"}))(t)
			fw := must(rs.ForwardServiceRequest(clerk, &deskv1.ForwardServiceRequestRequest{Name: fresh.GetName(), Authority: "Direction régionale de l'artisanat"}))(t)
			if fw.GetState() != deskv1.ServiceRequest_FORWARDED || fw.GetForwardedTo() == "" || fw.GetAssignee() != "agent-7" {
				t.Fatalf("forwarded %v", fw)
			}
			// Two creates, study, answer, close, study, forward: one event each.
			if n := e.rows(t, "outbox"); n != 7 {
				t.Fatalf("%d outbox events, want 7", n)
			}
		})
	}
}

// TestMediation checks the narrower mediation permission: the chamber's
// admins open and see every case, the assigned mediator (a clerk) sees and
// works on its own, another clerk of the chamber sees nothing (NotFound,
// an empty list), and a case closes only with an outcome.
func TestMediation(t *testing.T) {
	for _, db := range backends {
		t.Run(db.name, func(t *testing.T) {
			e := start(t, options{dbURL: db.url(t)})
			cs := deskv1.NewMediationCaseServiceClient(e.conn)
			admin := e.as(t, auth.RoleChamberAdmin, "fes-meknes")
			mediator := e.asSubject(t, "amina.mediatrice", auth.RoleChamberClerk, "fes-meknes")
			clerk := e.as(t, auth.RoleChamberClerk, "fes-meknes")
			otherAdmin := e.as(t, auth.RoleChamberAdmin, "marrakech-safi")

			open := func(ctx context.Context) (*deskv1.MediationCase, error) {
				return cs.CreateMediationCase(ctx, &deskv1.CreateMediationCaseRequest{Parent: "chambers/fes-meknes", MediationCase: &deskv1.MediationCase{
					Subject: "نزاع حول طلبية زرابي", Mediator: "amina.mediatrice", Parties: []*deskv1.MediationParty{
						{Artisan: "chambers/fes-meknes/artisans/a1"}, {DisplayName: "Client de Meknès"}}}})
			}
			_, err := open(clerk)
			wantErr(t, "a clerk opens a case", err, codes.PermissionDenied, "")
			c := must(open(admin))(t)
			must(open(admin))(t) // a second case, also the mediator's
			if c.GetState() != deskv1.MediationCase_OPEN {
				t.Fatalf("opened %v", c)
			}
			_, err = cs.GetMediationCase(clerk, &deskv1.GetMediationCaseRequest{Name: c.GetName()})
			wantErr(t, "another clerk", err, codes.NotFound, "")
			_, err = cs.GetMediationCase(otherAdmin, &deskv1.GetMediationCaseRequest{Name: c.GetName()})
			wantErr(t, "another chamber's admin", err, codes.NotFound, "")
			_, err = cs.AddMediationSession(clerk, &deskv1.AddMediationSessionRequest{Name: c.GetName(), Session: &deskv1.MediationSession{Notes: "x"}})
			wantErr(t, "another clerk adds a session", err, codes.NotFound, "")
			if l := must(cs.ListMediationCases(clerk, &deskv1.ListMediationCasesRequest{Parent: "chambers/fes-meknes"}))(t); len(l.GetMediationCases()) != 0 {
				t.Fatalf("another clerk lists %v", l)
			}
			if l := must(cs.ListMediationCases(mediator, &deskv1.ListMediationCasesRequest{Parent: "chambers/fes-meknes"}))(t); len(l.GetMediationCases()) != 2 {
				t.Fatalf("the mediator lists %d", len(l.GetMediationCases()))
			}
			if l := must(cs.ListMediationCases(admin, &deskv1.ListMediationCasesRequest{Parent: "chambers/fes-meknes", Filter: "state = OPEN"}))(t); len(l.GetMediationCases()) != 2 {
				t.Fatalf("the admin lists %d", len(l.GetMediationCases()))
			}
			_, err = cs.ListMediationCases(otherAdmin, &deskv1.ListMediationCasesRequest{Parent: "chambers/fes-meknes"})
			wantErr(t, "another chamber's list", err, codes.NotFound, "")

			s := must(cs.AddMediationSession(mediator, &deskv1.AddMediationSessionRequest{Name: c.GetName(), Session: &deskv1.MediationSession{Notes: "الجلسة الأولى: استماع للطرفين"}}))(t)
			if len(s.GetSessions()) != 1 {
				t.Fatalf("session %v", s)
			}
			_, err = cs.CloseMediationCase(mediator, &deskv1.CloseMediationCaseRequest{Name: c.GetName(), OutcomeText: "x"})
			wantErr(t, "close without outcome", err, codes.InvalidArgument, "")
			cl := must(cs.CloseMediationCase(mediator, &deskv1.CloseMediationCaseRequest{Name: c.GetName(), Outcome: deskv1.MediationCase_SETTLED, OutcomeText: "صلح"}))(t)
			if cl.GetState() != deskv1.MediationCase_CLOSED || cl.GetOutcome() != deskv1.MediationCase_SETTLED {
				t.Fatalf("closed %v", cl)
			}
			got := must(cs.GetMediationCase(admin, &deskv1.GetMediationCaseRequest{Name: c.GetName()}))(t)
			if got.GetEtag() != cl.GetEtag() {
				t.Fatalf("admin reads %v", got)
			}
			if n := e.rows(t, "outbox"); n != 4 {
				t.Fatalf("%d outbox events, want 4", n)
			}
		})
	}
}

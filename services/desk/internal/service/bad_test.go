package service

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/fault"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
)

// TestBadRequests sends refused calls on both databases and checks each
// answer's exact code and first field (or reason), and that none of them
// wrote anything: no record, no outbox event, no audit record.
func TestBadRequests(t *testing.T) {
	for _, db := range backends {
		t.Run(db.name, func(t *testing.T) {
			e := start(t, options{dbURL: db.url(t)})
			rs := deskv1.NewServiceRequestServiceClient(e.conn)
			cs := deskv1.NewMediationCaseServiceClient(e.conn)
			clerk := e.as(t, auth.RoleChamberClerk, "fes-meknes")
			admin := e.as(t, auth.RoleChamberAdmin, "fes-meknes")
			ministry := e.as(t, auth.RoleMinistry, "")
			auditor := e.as(t, auth.RoleAuditor, "fes-meknes")

			good := func() *deskv1.ServiceRequest {
				return &deskv1.ServiceRequest{Requester: "chambers/fes-meknes/artisans/a1", Type: deskv1.ServiceRequest_LABEL,
					Channel: deskv1.ServiceRequest_WEB, Subject: "Label Maroc Taswiq"}
			}
			// Fixtures: a closed request, a received one, an open and a closed case.
			closed := must(rs.CreateServiceRequest(clerk, &deskv1.CreateServiceRequestRequest{Parent: "chambers/fes-meknes", ServiceRequest: good()}))(t)
			must(rs.StudyServiceRequest(clerk, &deskv1.StudyServiceRequestRequest{Name: closed.GetName()}))(t)
			must(rs.AnswerServiceRequest(clerk, &deskv1.AnswerServiceRequestRequest{Name: closed.GetName(), Answer: &typev1.LocalizedText{Fr: "Dossier transmis"}}))(t)
			must(rs.CloseServiceRequest(clerk, &deskv1.CloseServiceRequestRequest{Name: closed.GetName()}))(t)
			received := must(rs.CreateServiceRequest(clerk, &deskv1.CreateServiceRequestRequest{Parent: "chambers/fes-meknes", ServiceRequest: good()}))(t)
			goodCase := func() *deskv1.MediationCase {
				return &deskv1.MediationCase{Subject: "Litige", Mediator: "m1", Parties: []*deskv1.MediationParty{
					{Artisan: "chambers/fes-meknes/artisans/a1"}, {Artisan: "chambers/fes-meknes/artisans/a2"}}}
			}
			openCase := must(cs.CreateMediationCase(admin, &deskv1.CreateMediationCaseRequest{Parent: "chambers/fes-meknes", MediationCase: goodCase()}))(t)
			closedCase := must(cs.CreateMediationCase(admin, &deskv1.CreateMediationCaseRequest{Parent: "chambers/fes-meknes", MediationCase: goodCase()}))(t)
			must(cs.CloseMediationCase(admin, &deskv1.CloseMediationCaseRequest{Name: closedCase.GetName(), Outcome: deskv1.MediationCase_WITHDRAWN, OutcomeText: "Retrait"}))(t)

			createReq := func(ctx context.Context, mutate func(*deskv1.ServiceRequest)) func() error {
				return func() error {
					r := good()
					mutate(r)
					_, err := rs.CreateServiceRequest(ctx, &deskv1.CreateServiceRequestRequest{Parent: "chambers/fes-meknes", ServiceRequest: r})
					return err
				}
			}
			createCase := func(ctx context.Context, mutate func(*deskv1.MediationCase)) func() error {
				return func() error {
					c := goodCase()
					mutate(c)
					_, err := cs.CreateMediationCase(ctx, &deskv1.CreateMediationCaseRequest{Parent: "chambers/fes-meknes", MediationCase: c})
					return err
				}
			}
			tests := []struct {
				name   string
				call   func() error
				code   codes.Code
				field  string // the first field violation, for INVALID_ARGUMENT
				reason string // the ErrorInfo reason, otherwise
			}{
				{"no requester", createReq(clerk, func(r *deskv1.ServiceRequest) { r.Requester = "" }), codes.InvalidArgument, "service_request.requester", ""},
				{"registrant and walk-in", createReq(clerk, func(r *deskv1.ServiceRequest) { r.WalkInName = "Ali" }), codes.InvalidArgument, "service_request.walk_in_name", ""},
				{"requester of another chamber", createReq(clerk, func(r *deskv1.ServiceRequest) { r.Requester = "chambers/oriental/artisans/a1" }), codes.InvalidArgument, "service_request.requester", ""},
				{"requester not a registrant", createReq(clerk, func(r *deskv1.ServiceRequest) { r.Requester = "chambers/fes-meknes/fairs/f1" }), codes.InvalidArgument, "service_request.requester", ""},
				{"no type", createReq(clerk, func(r *deskv1.ServiceRequest) { r.Type = 0 }), codes.InvalidArgument, "service_request.type", ""},
				{"undefined type", createReq(clerk, func(r *deskv1.ServiceRequest) { r.Type = 42 }), codes.InvalidArgument, "service_request.type", ""},
				{"no channel", createReq(clerk, func(r *deskv1.ServiceRequest) { r.Channel = 0 }), codes.InvalidArgument, "service_request.channel", ""},
				{"blank subject", createReq(clerk, func(r *deskv1.ServiceRequest) { r.Subject = "  " }), codes.InvalidArgument, "service_request.subject", ""},
				{"subject too long", createReq(clerk, func(r *deskv1.ServiceRequest) { r.Subject = strings.Repeat("ط", 2001) }), codes.InvalidArgument, "service_request.subject", ""},
				{"received in the future", createReq(clerk, func(r *deskv1.ServiceRequest) { r.ReceiveTime = timestamppb.New(time.Now().Add(48 * time.Hour)) }), codes.InvalidArgument, "service_request.receive_time", ""},
				{"bad request id", func() error {
					_, err := rs.CreateServiceRequest(clerk, &deskv1.CreateServiceRequestRequest{Parent: "chambers/fes-meknes", ServiceRequest: good(), RequestId: "a b"})
					return err
				}, codes.InvalidArgument, "request_id", ""},
				{"no body", func() error {
					_, err := rs.CreateServiceRequest(clerk, &deskv1.CreateServiceRequestRequest{Parent: "chambers/fes-meknes"})
					return err
				}, codes.InvalidArgument, "service_request", ""},
				{"wildcard parent on create", func() error {
					_, err := rs.CreateServiceRequest(ministry, &deskv1.CreateServiceRequestRequest{Parent: "chambers/-", ServiceRequest: good()})
					return err
				}, codes.PermissionDenied, "", ""},
				{"another chamber's create", func() error {
					_, err := rs.CreateServiceRequest(clerk, &deskv1.CreateServiceRequestRequest{Parent: "chambers/oriental", ServiceRequest: good()})
					return err
				}, codes.NotFound, "", ""},
				{"auditor creates", createReq(auditor, func(*deskv1.ServiceRequest) {}), codes.PermissionDenied, "", ""},
				{"answer on a closed request", func() error {
					_, err := rs.AnswerServiceRequest(clerk, &deskv1.AnswerServiceRequestRequest{Name: closed.GetName(), Answer: &typev1.LocalizedText{Ar: "نعم"}})
					return err
				}, codes.FailedPrecondition, "", fault.ReasonIllegalTransition},
				{"answer a received request", func() error {
					_, err := rs.AnswerServiceRequest(clerk, &deskv1.AnswerServiceRequestRequest{Name: received.GetName(), Answer: &typev1.LocalizedText{Ar: "نعم"}})
					return err
				}, codes.FailedPrecondition, "", fault.ReasonIllegalTransition},
				{"close a received request", func() error {
					_, err := rs.CloseServiceRequest(clerk, &deskv1.CloseServiceRequestRequest{Name: received.GetName()})
					return err
				}, codes.FailedPrecondition, "", fault.ReasonIllegalTransition},
				{"forward a closed request", func() error {
					_, err := rs.ForwardServiceRequest(clerk, &deskv1.ForwardServiceRequestRequest{Name: closed.GetName(), Authority: "ODCO"})
					return err
				}, codes.FailedPrecondition, "", fault.ReasonIllegalTransition},
				{"study a closed request", func() error {
					_, err := rs.StudyServiceRequest(clerk, &deskv1.StudyServiceRequestRequest{Name: closed.GetName()})
					return err
				}, codes.FailedPrecondition, "", fault.ReasonIllegalTransition},
				{"stale etag", func() error {
					_, err := rs.StudyServiceRequest(clerk, &deskv1.StudyServiceRequestRequest{Name: received.GetName(), Etag: `"99"`})
					return err
				}, codes.Aborted, "", fault.ReasonEtagMismatch},
				{"malformed name", func() error {
					_, err := rs.GetServiceRequest(clerk, &deskv1.GetServiceRequestRequest{Name: "chambers/fes-meknes/items/x"})
					return err
				}, codes.InvalidArgument, "name", ""},
				{"unknown request", func() error {
					_, err := rs.GetServiceRequest(clerk, &deskv1.GetServiceRequestRequest{Name: "chambers/fes-meknes/serviceRequests/nope"})
					return err
				}, codes.NotFound, "", ""},
				{"bad filter", func() error {
					_, err := rs.ListServiceRequests(clerk, &deskv1.ListServiceRequestsRequest{Parent: "chambers/fes-meknes", Filter: "state = LOST"})
					return err
				}, codes.InvalidArgument, "filter", ""},
				{"bad order", func() error {
					_, err := rs.ListServiceRequests(clerk, &deskv1.ListServiceRequestsRequest{Parent: "chambers/fes-meknes", OrderBy: "subject"})
					return err
				}, codes.InvalidArgument, "order_by", ""},
				{"a clerk's national list", func() error {
					_, err := rs.ListServiceRequests(clerk, &deskv1.ListServiceRequestsRequest{Parent: "chambers/-"})
					return err
				}, codes.PermissionDenied, "", ""},
				{"case with the same artisan twice", createCase(admin, func(c *deskv1.MediationCase) { c.Parties[1] = c.Parties[0] }), codes.InvalidArgument, "mediation_case.parties[1]", ""},
				{"case with one party", createCase(admin, func(c *deskv1.MediationCase) { c.Parties = c.Parties[:1] }), codes.InvalidArgument, "mediation_case.parties", ""},
				{"case party of another chamber", createCase(admin, func(c *deskv1.MediationCase) { c.Parties[0].Artisan = "chambers/oriental/artisans/a1" }), codes.InvalidArgument, "mediation_case.parties[0].artisan", ""},
				{"case party artisan and name", createCase(admin, func(c *deskv1.MediationCase) { c.Parties[0].DisplayName = "X" }), codes.InvalidArgument, "mediation_case.parties[0].display_name", ""},
				{"case without mediator", createCase(admin, func(c *deskv1.MediationCase) { c.Mediator = "" }), codes.InvalidArgument, "mediation_case.mediator", ""},
				{"case without subject", createCase(admin, func(c *deskv1.MediationCase) { c.Subject = "" }), codes.InvalidArgument, "mediation_case.subject", ""},
				{"a clerk opens a case", createCase(e.as(t, auth.RoleChamberClerk, "fes-meknes"), func(*deskv1.MediationCase) {}), codes.PermissionDenied, "", ""},
				{"the ministry opens a case", createCase(ministry, func(*deskv1.MediationCase) {}), codes.PermissionDenied, "", ""},
				{"close without outcome", func() error {
					_, err := cs.CloseMediationCase(admin, &deskv1.CloseMediationCaseRequest{Name: openCase.GetName(), OutcomeText: "x"})
					return err
				}, codes.InvalidArgument, "outcome", ""},
				{"close without text", func() error {
					_, err := cs.CloseMediationCase(admin, &deskv1.CloseMediationCaseRequest{Name: openCase.GetName(), Outcome: deskv1.MediationCase_FAILED})
					return err
				}, codes.InvalidArgument, "outcome_text", ""},
				{"session on a closed case", func() error {
					_, err := cs.AddMediationSession(admin, &deskv1.AddMediationSessionRequest{Name: closedCase.GetName(), Session: &deskv1.MediationSession{Notes: "x"}})
					return err
				}, codes.FailedPrecondition, "", fault.ReasonIllegalTransition},
				{"session without notes", func() error {
					_, err := cs.AddMediationSession(admin, &deskv1.AddMediationSessionRequest{Name: openCase.GetName(), Session: &deskv1.MediationSession{}})
					return err
				}, codes.InvalidArgument, "session.notes", ""},
				{"closing a closed case", func() error {
					_, err := cs.CloseMediationCase(admin, &deskv1.CloseMediationCaseRequest{Name: closedCase.GetName(), Outcome: deskv1.MediationCase_SETTLED, OutcomeText: "x"})
					return err
				}, codes.FailedPrecondition, "", fault.ReasonIllegalTransition},
			}
			if len(tests) < 30 {
				t.Fatalf("%d bad requests, want at least 30", len(tests))
			}
			tables := []string{"service_requests", "mediation_cases", "outbox", "audit_records"}
			count := func() []int {
				var n []int
				for _, tb := range tables {
					n = append(n, e.rows(t, tb))
				}
				return n
			}
			before := count()
			for _, tt := range tests {
				err := tt.call()
				wantErr(t, tt.name, err, tt.code, tt.reason)
				if tt.code == codes.InvalidArgument {
					if f, _ := violation(err); f != tt.field {
						t.Errorf("%s: first violation on %q, want %q (%v)", tt.name, f, tt.field, err)
					}
				}
			}
			if after := count(); !slices.Equal(after, before) {
				t.Fatalf("refused calls wrote %v → %v (%v)", before, after, tables)
			}
		})
	}
}

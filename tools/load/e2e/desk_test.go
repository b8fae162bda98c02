package e2e

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/auth"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
	"google.golang.org/grpc/codes"
)

// TestDeskThroughTheEdge drives the chamber's desk through the REST edge of
// a multi-process stack, every call and answer checked against the served
// OpenAPI document: a request received, studied, answered in Arabic and
// closed (an answer on the closed request refused), the overdue list, and a
// mediation case seen by the admin and its mediator but not by another
// clerk.
func TestDeskThroughTheEdge(t *testing.T) {
	s := newStack(t, "HIRFA_SEED_DEMO=false", "HIRFA_SHUTDOWN_TIMEOUT=10s")
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	clerk := rest(t, s, token(t, s, auth.RoleChamberClerk, "fes-meknes"))
	admin := rest(t, s, token(t, s, auth.RoleChamberAdmin, "fes-meknes"))
	medTok, err := s.Token(auth.RoleChamberClerk, "fes-meknes", "amina.e2e")
	if err != nil {
		t.Fatal(err)
	}
	mediator := rest(t, s, medTok)

	rq := &deskv1.ServiceRequest{}
	do(ctx, t, clerk, http.MethodPost, "/v1/chambers/fes-meknes/serviceRequests", url.Values{"request_id": {"desk-e2e-1"}},
		&deskv1.ServiceRequest{WalkInName: "فاطمة", Type: deskv1.ServiceRequest_GUIDANCE, Channel: deskv1.ServiceRequest_IN_PERSON,
			Subject: "توجيه نحو برنامج الدعم"}, rq, codes.OK)
	if rq.GetState() != deskv1.ServiceRequest_RECEIVED || rq.GetDeadlineTime() == nil {
		t.Fatalf("received %v", rq)
	}
	do(ctx, t, clerk, http.MethodPost, "/v1/"+rq.GetName()+":study", nil, &deskv1.StudyServiceRequestRequest{}, rq, codes.OK)
	do(ctx, t, clerk, http.MethodPost, "/v1/"+rq.GetName()+":answer", nil,
		&deskv1.AnswerServiceRequestRequest{Answer: &typev1.LocalizedText{Ar: "وجهت إلى برنامج الدعم"}}, rq, codes.OK)
	do(ctx, t, clerk, http.MethodPost, "/v1/"+rq.GetName()+":close", nil, &deskv1.CloseServiceRequestRequest{}, rq, codes.OK)
	if rq.GetState() != deskv1.ServiceRequest_CLOSED || rq.GetAnswer().GetAr() == "" {
		t.Fatalf("closed %v", rq)
	}
	do(ctx, t, clerk, http.MethodPost, "/v1/"+rq.GetName()+":answer", nil,
		&deskv1.AnswerServiceRequestRequest{Answer: &typev1.LocalizedText{Fr: "encore"}}, nil, codes.FailedPrecondition)
	overdue := &deskv1.ListServiceRequestsResponse{}
	do(ctx, t, clerk, http.MethodGet, "/v1/chambers/fes-meknes/serviceRequests", url.Values{"overdue": {"true"}}, nil, overdue, codes.OK)
	if len(overdue.GetServiceRequests()) != 0 {
		t.Fatalf("overdue %v", overdue)
	}

	c := &deskv1.MediationCase{}
	do(ctx, t, admin, http.MethodPost, "/v1/chambers/fes-meknes/mediationCases", nil, &deskv1.MediationCase{
		Subject: "نزاع حول طلبية", Mediator: "amina.e2e", Parties: []*deskv1.MediationParty{
			{Artisan: "chambers/fes-meknes/artisans/a1"}, {DisplayName: "Client"}}}, c, codes.OK)
	do(ctx, t, clerk, http.MethodGet, "/v1/"+c.GetName(), nil, nil, nil, codes.NotFound)
	do(ctx, t, mediator, http.MethodPost, "/v1/"+c.GetName()+":addSession", nil,
		&deskv1.AddMediationSessionRequest{Session: &deskv1.MediationSession{Notes: "جلسة أولى"}}, c, codes.OK)
	do(ctx, t, mediator, http.MethodPost, "/v1/"+c.GetName()+":close", nil,
		&deskv1.CloseMediationCaseRequest{Outcome: deskv1.MediationCase_SETTLED, OutcomeText: "صلح"}, c, codes.OK)
	if c.GetState() != deskv1.MediationCase_CLOSED || len(c.GetSessions()) != 1 {
		t.Fatalf("case %v", c)
	}
}

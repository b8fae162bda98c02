package service

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"google.golang.org/grpc/codes"

	"github.com/hirfa/hirfa/pkg/auth"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	"github.com/hirfa/hirfa/services/desk/internal/app"
)

// TestRegistrantsAreLookedUp creates a request from, opens a case with and
// attaches a document to registrants: one the registry knows is accepted;
// one of the right form and chamber that the registry does not know is
// refused with FAILED_PRECONDITION REGISTRANT_NOT_FOUND naming the field;
// with the registry unreachable the same calls answer UNAVAILABLE. No
// refusal writes a record, an event, an audit record or an object, and a
// walk-in request (no registrant) does not need the registry. Both
// databases.
func TestRegistrantsAreLookedUp(t *testing.T) {
	calls := func(e *env) map[string]func(ctx context.Context, who string) error {
		rs := deskv1.NewServiceRequestServiceClient(e.conn)
		cs := deskv1.NewMediationCaseServiceClient(e.conn)
		docs := deskv1.NewDocumentServiceClient(e.conn)
		return map[string]func(context.Context, string) error{
			"service_request.requester": func(ctx context.Context, who string) error {
				_, err := rs.CreateServiceRequest(ctx, &deskv1.CreateServiceRequestRequest{Parent: "chambers/fes-meknes", ServiceRequest: &deskv1.ServiceRequest{
					Requester: who, Type: deskv1.ServiceRequest_LABEL, Channel: deskv1.ServiceRequest_WEB, Subject: "Label"}})
				return err
			},
			"mediation_case.parties[1].artisan": func(ctx context.Context, who string) error {
				_, err := cs.CreateMediationCase(ctx, &deskv1.CreateMediationCaseRequest{Parent: "chambers/fes-meknes", MediationCase: &deskv1.MediationCase{
					Subject: "Litige", Mediator: "m1", Parties: []*deskv1.MediationParty{{DisplayName: "Client"}, {Artisan: who}}}})
				return err
			},
			"document.owner": func(ctx context.Context, who string) error {
				_, err := upload(ctx, docs, "chambers/fes-meknes", &deskv1.Document{Classification: deskv1.Document_STATUTES, Owner: who,
					Retention: deskv1.Document_TEN_YEARS, FileName: "statuts.pdf"}, pdf)
				return err
			},
		}
	}
	tables := []string{"service_requests", "mediation_cases", "documents", "outbox", "audit_records"}
	count := func(t *testing.T, e *env) []int {
		var n []int
		for _, tb := range tables {
			n = append(n, e.rows(t, tb))
		}
		entries, _ := os.ReadDir(filepath.Join(e.archive, "fes-meknes"))
		return append(n, len(entries))
	}
	for _, db := range backends {
		t.Run(db.name, func(t *testing.T) { registrantsLookedUp(t, db.url, calls, count, tables) })
	}
}

func registrantsLookedUp(t *testing.T, dbURL func(*testing.T) string, calls func(*env) map[string]func(context.Context, string) error,
	count func(*testing.T, *env) []int, tables []string) {
	const ghost = "chambers/fes-meknes/artisans/ghost"
	// An admin may make all three calls.
	t.Run("known and unknown", func(t *testing.T) {
		e := start(t, options{dbURL: dbURL(t)})
		admin := e.as(t, auth.RoleChamberAdmin, "fes-meknes")
		for field, call := range calls(e) {
			if err := call(admin, "chambers/fes-meknes/artisans/a2"); err != nil {
				t.Fatalf("%s with a registered artisan: %v", field, err)
			}
			before := count(t, e)
			err := call(admin, ghost)
			wantErr(t, field+" not in the registry", err, codes.FailedPrecondition, app.ReasonRegistrantNotFound)
			if md := errorInfo(err).GetMetadata(); md["request_field"] != field || md["resource"] != ghost {
				t.Fatalf("%s: metadata %v", field, md)
			}
			if after := count(t, e); !slices.Equal(before, after) {
				t.Fatalf("%s refused but wrote: %v → %v (%v + objects)", field, before, after, tables)
			}
		}
		if e.registry.callsOf(ghost) != 3 {
			t.Fatalf("the registry was asked about %s %d times, want 3", ghost, e.registry.callsOf(ghost))
		}
	})
	t.Run("registry unreachable", func(t *testing.T) {
		lis, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := lis.Addr().String()
		_ = lis.Close() // nothing listens there any more
		e := start(t, options{dbURL: dbURL(t), registryAddr: addr})
		admin := e.as(t, auth.RoleChamberAdmin, "fes-meknes")
		before := count(t, e)
		for field, call := range calls(e) {
			wantErr(t, field+" with the registry down", call(admin, "chambers/fes-meknes/artisans/a1"), codes.Unavailable, "")
		}
		if after := count(t, e); !slices.Equal(before, after) {
			t.Fatalf("refused but wrote: %v → %v (%v + objects)", before, after, tables)
		}
		rs := deskv1.NewServiceRequestServiceClient(e.conn)
		must(rs.CreateServiceRequest(admin, &deskv1.CreateServiceRequestRequest{Parent: "chambers/fes-meknes", ServiceRequest: &deskv1.ServiceRequest{
			WalkInName: "Ali", Type: deskv1.ServiceRequest_INFORMATION, Channel: deskv1.ServiceRequest_WEB, Subject: "Horaires"}}))(t)
	})
}

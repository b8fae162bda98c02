package service

import (
	"context"
	"testing"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/store"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
)

// TestRegistrationConsumesCertificateInOneTransaction: registering a
// cooperative and consuming its name certificate commit together or not at
// all, on both databases. A failure is injected between the two writes (a
// trigger refusing the request's update, which runs after the
// cooperative's): nothing is left half-done — the cooperative is still
// FORMING at the same revision, the request still APPROVED, no outbox event
// or audit record. Without the failure both change, with their two events
// and two audit records.
func TestRegistrationConsumesCertificateInOneTransaction(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		fes := e.as(t, auth.RoleChamberClerk, "fes-meknes")
		cert := e.certificate(t, "fes-meknes", "تعاونية الواحة", "Coopérative Al Waha")
		c := newCoop()
		c.DisplayName = &typev1.LocalizedText{Ar: "تعاونية الواحة", Fr: "Coopérative Al Waha"}
		coop, err := e.coops().CreateCooperative(fes, &registryv1.CreateCooperativeRequest{Parent: "chambers/fes-meknes", Cooperative: c})
		if err != nil {
			t.Fatal(err)
		}
		if coop, err = e.coops().UpdateCooperative(fes, &registryv1.UpdateCooperativeRequest{
			Cooperative: &registryv1.Cooperative{Name: coop.GetName(), LocalRegisterNumber: "REG-7"}}); err != nil {
			t.Fatal(err)
		}
		type state struct {
			coopState, coopCert, requestState string
			coopRevision, outbox, audits      int
		}
		read := func() state {
			t.Helper()
			var s state
			var certCol *string
			err := e.svc.DB.SQL.QueryRowContext(ctx, e.svc.DB.Rebind("SELECT state, revision, name_certificate FROM cooperatives WHERE chamber = ? AND id = ?"),
				"fes-meknes", coop.GetName()[len("chambers/fes-meknes/cooperatives/"):]).Scan(&s.coopState, &s.coopRevision, &certCol)
			if err != nil {
				t.Fatal(err)
			}
			if certCol != nil {
				s.coopCert = *certCol
			}
			if err := e.svc.DB.SQL.QueryRowContext(ctx, e.svc.DB.Rebind("SELECT state FROM name_requests WHERE certificate = ?"), cert).Scan(&s.requestState); err != nil {
				t.Fatal(err)
			}
			s.outbox = countWhere(t, e, "SELECT COUNT(*) FROM outbox")
			s.audits = countWhere(t, e, "SELECT COUNT(*) FROM audit_records")
			return s
		}
		exec := func(q string) {
			t.Helper()
			if _, err := e.svc.DB.Writer().ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		register := func() (*registryv1.Cooperative, error) {
			return e.coops().RegisterCooperative(fes, &registryv1.RegisterCooperativeRequest{Name: coop.GetName(), NameCertificate: cert})
		}

		// The request's row refuses to change: the failure strikes after
		// the cooperative's row, its event and its audit record are written.
		if e.svc.DB.Dialect == store.Postgres {
			exec(`CREATE FUNCTION injected_failure() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql`)
			exec(`CREATE TRIGGER injected_failure BEFORE UPDATE ON name_requests FOR EACH ROW EXECUTE FUNCTION injected_failure()`)
		} else {
			exec(`CREATE TRIGGER injected_failure BEFORE UPDATE ON name_requests BEGIN SELECT RAISE(ABORT, 'injected failure'); END`)
		}
		before := read()
		if before.coopState != "FORMING" || before.requestState != "APPROVED" {
			t.Fatalf("before = %+v", before)
		}
		if _, err := register(); err == nil {
			t.Fatal("registration succeeded although the certificate's update failed")
		}
		if after := read(); after != before {
			t.Fatalf("a failed registration left %+v, was %+v", after, before)
		}

		exec(`DROP TRIGGER injected_failure` + map[bool]string{true: " ON name_requests", false: ""}[e.svc.DB.Dialect == store.Postgres])
		got, err := register()
		if err != nil || got.GetState() != registryv1.Cooperative_REGISTERED {
			t.Fatalf("register = %v, %v", got, err)
		}
		after := read()
		want := state{coopState: "REGISTERED", coopCert: cert, requestState: "CONSUMED", coopRevision: before.coopRevision + 1,
			outbox: before.outbox + 2, audits: before.audits + 2}
		if after != want {
			t.Fatalf("after registration = %+v, want %+v", after, want)
		}
	})
}

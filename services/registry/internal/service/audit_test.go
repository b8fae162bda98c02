package service

import (
	"strings"
	"testing"

	"google.golang.org/grpc/codes"

	"github.com/hirfa/hirfa/pkg/auth"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
)

// TestAuditTrail: a successful mutation writes exactly one audit record with
// who, what and which request; a failed one writes none; auditors read the
// trail of their chamber only; clerks cannot read it.
func TestAuditTrail(t *testing.T) {
	e := start(t, "")
	fes := e.as(t, auth.RoleChamberClerk, "fes-meknes")
	audit := registryv1.NewAuditServiceClient(e.conn)
	auditor := e.as(t, auth.RoleAuditor, "fes-meknes")
	count := func() int {
		t.Helper()
		resp, err := audit.ListAuditRecords(auditor, &registryv1.ListAuditRecordsRequest{Parent: "chambers/fes-meknes", PageSize: 1000})
		if err != nil {
			t.Fatal(err)
		}
		return len(resp.GetAuditRecords())
	}
	before := count()
	a, err := e.artisans().CreateArtisan(fes, &registryv1.CreateArtisanRequest{Parent: "chambers/fes-meknes", Artisan: newArtisan("KL445566"), RequestId: "audit-1"})
	if err != nil {
		t.Fatal(err)
	}
	if got := count(); got != before+1 {
		t.Fatalf("a successful create wrote %d audit records, want 1", got-before)
	}
	// Failures: a rule violation, a stale etag, an illegal transition.
	bad := newArtisan("KL445567")
	bad.YearsOfPractice = 1
	if _, err := e.artisans().CreateArtisan(fes, &registryv1.CreateArtisanRequest{Parent: "chambers/fes-meknes", Artisan: bad}); code(err) != codes.InvalidArgument {
		t.Fatalf("bad create = %v", err)
	}
	if _, err := e.artisans().SuspendArtisan(fes, &registryv1.SuspendArtisanRequest{Name: a.GetName(), Reason: "unpaid fees"}); code(err) != codes.FailedPrecondition {
		t.Fatalf("illegal suspend = %v", err)
	}
	if _, err := e.artisans().RegisterArtisan(fes, &registryv1.RegisterArtisanRequest{Name: a.GetName(), Etag: `"zz"`}); code(err) != codes.Aborted {
		t.Fatalf("stale register = %v", err)
	}
	if got := count(); got != before+1 {
		t.Fatalf("failed mutations wrote %d audit records", got-before-1)
	}
	resp, err := audit.ListAuditRecords(auditor, &registryv1.ListAuditRecordsRequest{Parent: "chambers/fes-meknes", Filter: `resource = "` + a.GetName() + `"`})
	if err != nil || len(resp.GetAuditRecords()) != 1 {
		t.Fatalf("filtered audit = %v, %v", resp, err)
	}
	r := resp.GetAuditRecords()[0]
	if r.GetActor() != "chamber-clerk@fes-meknes" || r.GetRole() != "chamber-clerk" || r.GetAction() != "Created" ||
		r.GetMethod() != "/hirfa.registry.v1.ArtisanService/CreateArtisan" || r.GetRequestId() != "audit-1" ||
		r.GetBeforeDigest() != "" || len(r.GetAfterDigest()) != 64 || r.GetTraceId() == "" {
		t.Fatalf("audit record = %v", r)
	}
	if _, err := audit.ListAuditRecords(fes, &registryv1.ListAuditRecordsRequest{Parent: "chambers/fes-meknes"}); code(err) != codes.PermissionDenied {
		t.Fatalf("clerk reading the audit trail = %v", err)
	}
	if _, err := audit.ListAuditRecords(auditor, &registryv1.ListAuditRecordsRequest{Parent: "chambers/marrakech-safi"}); code(err) != codes.NotFound {
		t.Fatalf("auditor reading another chamber = %v", err)
	}
	if strings.Contains(e.logs.String(), "KL44556") {
		t.Fatal("a CNIE reached the logs")
	}
}

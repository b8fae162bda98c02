package service

import (
	"strings"
	"testing"

	"google.golang.org/grpc/codes"

	"github.com/hirfa/hirfa/pkg/auth"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
)

// TestAuditTrail: every successful write of events and fairs is readable
// through AuditService (who, what, which request), a refused one adds
// nothing; chamber admins and auditors read their own chamber only, national
// roles every chamber (chambers/-), clerks nothing.
func TestAuditTrail(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			o := options{}
			if backend == "postgres" {
				if o.dbURL = postgresURL(t); o.dbURL == "" {
					return // testenv reported why (a failure under CI)
				}
			}
			e := start(t, o)
			audit := eventsfairsv1.NewAuditServiceClient(e.conn)
			list := func(role auth.Role, chamber, parent, filter string) ([]string, error) {
				t.Helper()
				resp, err := audit.ListAuditRecords(e.as(t, role, chamber), &eventsfairsv1.ListAuditRecordsRequest{Parent: parent, PageSize: 1000, Filter: filter})
				var names []string
				for _, r := range resp.GetAuditRecords() {
					names = append(names, r.GetResource())
				}
				return names, err
			}
			ev := must(e.events().CreateEvent(e.clerk(t), &eventsfairsv1.CreateEventRequest{Parent: "chambers/fes-meknes", RequestId: "audit-ev-1",
				Event: newFair("du cuir", "2023-03-10", "2023-03-19")}))(t)
			inSafi := newFair("de la poterie", "2023-04-10", "2023-04-19")
			inSafi.Venue = &eventsfairsv1.Venue{Province: "safi", City: "Safi"}
			other := must(e.events().CreateEvent(e.as(t, auth.RoleChamberClerk, "marrakech-safi"), &eventsfairsv1.CreateEventRequest{
				Parent: "chambers/marrakech-safi", Event: inSafi}))(t)
			// Refused: an end before the start writes nothing.
			_, err := e.events().CreateEvent(e.clerk(t), &eventsfairsv1.CreateEventRequest{Parent: "chambers/fes-meknes",
				Event: newFair("à l'envers", "2023-03-19", "2023-03-10")})
			if code(err) != codes.InvalidArgument {
				t.Fatalf("bad create = %v", err)
			}

			got, err := list(auth.RoleAuditor, "fes-meknes", "chambers/fes-meknes", `resource = "`+ev.GetName()+`"`)
			if err != nil || len(got) != 1 {
				t.Fatalf("auditor's filtered trail = %v, %v; want the one create", got, err)
			}
			resp, err := audit.ListAuditRecords(e.as(t, auth.RoleChamberAdmin, "fes-meknes"), &eventsfairsv1.ListAuditRecordsRequest{Parent: "chambers/fes-meknes"})
			if err != nil || len(resp.GetAuditRecords()) != 1 {
				t.Fatalf("admin's trail = %v, %v; want exactly the one successful write", resp, err)
			}
			r := resp.GetAuditRecords()[0]
			if r.GetActor() != "chamber-clerk@fes-meknes" || r.GetRole() != "chamber-clerk" || r.GetAction() != "Planned" ||
				r.GetMethod() != "/hirfa.eventsfairs.v1.EventService/CreateEvent" || r.GetRequestId() != "audit-ev-1" ||
				r.GetResource() != ev.GetName() || r.GetBeforeDigest() != "" || len(r.GetAfterDigest()) != 64 ||
				!strings.HasPrefix(r.GetName(), "chambers/fes-meknes/eventAuditRecords/") {
				t.Fatalf("audit record = %v", r)
			}
			for _, role := range []auth.Role{auth.RoleMinistry, auth.RoleFederation} {
				got, err := list(role, "", "chambers/-", "")
				if err != nil || len(got) != 2 || !strings.Contains(strings.Join(got, " "), other.GetName()) {
					t.Fatalf("%s reading every chamber = %v, %v; want both creates", role, got, err)
				}
			}
			if _, err := list(auth.RoleChamberClerk, "fes-meknes", "chambers/fes-meknes", ""); code(err) != codes.PermissionDenied {
				t.Fatalf("clerk reading the trail = %v, want PermissionDenied", err)
			}
			if _, err := list(auth.RoleAuditor, "fes-meknes", "chambers/marrakech-safi", ""); code(err) != codes.NotFound {
				t.Fatalf("auditor reading another chamber = %v, want NotFound", err)
			}
			if _, err := list(auth.RoleAuditor, "fes-meknes", "chambers/fes-meknes", `colour = "red"`); code(err) != codes.InvalidArgument {
				t.Fatalf("filter on an unknown field = %v, want InvalidArgument", err)
			}
		})
	}
}

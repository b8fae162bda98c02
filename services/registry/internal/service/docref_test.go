package service

import (
	"testing"

	"google.golang.org/grpc/codes"

	"github.com/hirfa/hirfa/pkg/auth"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
)

// TestEvidenceReferencesPointAtArchivedDocuments: on both databases, an
// artisan's diploma and amin certificate and a cooperative's court clerk
// registration take free text or the name of a document archived by the
// record's own chamber; a malformed document name or another chamber's
// document is refused naming the field and the rule, and nothing is written.
func TestEvidenceReferencesPointAtArchivedDocuments(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			url := ""
			if backend == "postgres" {
				url = postgresURL(t)
			}
			e := start(t, url)
			fes := e.as(t, auth.RoleChamberClerk, "fes-meknes")
			const doc = "chambers/fes-meknes/documents/abc123def456"
			master := func(cnie, amin string) *registryv1.Artisan {
				a := newArtisan(cnie)
				a.Category, a.YearsOfPractice, a.AminCertificateReference = registryv1.Artisan_MASTER, 20, amin
				return a
			}
			for _, b := range []struct {
				what string
				a    *registryv1.Artisan
				want string
			}{
				{"another chamber's document", master("DR100001", "chambers/oriental/documents/abc123def456"), "artisan.amin_certificate_reference:document.chamber"},
				{"not a document", master("DR100002", "chambers/fes-meknes/serviceRequests/abc123def456"), "artisan.amin_certificate_reference:document.name"},
			} {
				_, err := e.artisans().CreateArtisan(fes, &registryv1.CreateArtisanRequest{Parent: "chambers/fes-meknes", Artisan: b.a})
				if code(err) != codes.InvalidArgument || violations(err) != b.want {
					t.Errorf("%s: %v (%s), want %s", b.what, err, violations(err), b.want)
				}
			}
			list, err := e.artisans().ListArtisans(fes, &registryv1.ListArtisansRequest{Parent: "chambers/fes-meknes"})
			if err != nil || len(list.GetArtisans()) != 0 {
				t.Fatalf("a refused artisan was written: %v %v", list, err)
			}
			for cnie, amin := range map[string]string{"DR100003": doc, "DR100004": "AMIN-FES-20"} {
				a, err := e.artisans().CreateArtisan(fes, &registryv1.CreateArtisanRequest{Parent: "chambers/fes-meknes", Artisan: master(cnie, amin)})
				if err != nil || a.GetAminCertificateReference() != amin {
					t.Fatalf("amin certificate %q: %v %v", amin, a, err)
				}
			}
			c := newCoop()
			c.LocalRegisterNumber = "chambers/marrakech-safi/documents/abc123def456"
			_, err = e.coops().CreateCooperative(fes, &registryv1.CreateCooperativeRequest{Parent: "chambers/fes-meknes", Cooperative: c})
			if code(err) != codes.InvalidArgument || violations(err) != "cooperative.local_register_number:document.chamber" {
				t.Errorf("another chamber's clerk registration: %v (%s)", err, violations(err))
			}
			c.LocalRegisterNumber = doc
			if got, err := e.coops().CreateCooperative(fes, &registryv1.CreateCooperativeRequest{Parent: "chambers/fes-meknes", Cooperative: c}); err != nil || got.GetLocalRegisterNumber() != doc {
				t.Fatalf("clerk registration as a document: %v %v", got, err)
			}
		})
	}
}

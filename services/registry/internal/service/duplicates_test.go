package service

import (
	"fmt"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"

	"github.com/hirfa/hirfa/pkg/auth"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
)

// TestDuplicateCandidates: a chamber's review queue pairs its own artisans
// who may be one person; the national queue also pairs across chambers and
// scripts; pages chain; bad input and foreign scopes are refused.
func TestDuplicateCandidates(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			url := ""
			if backend == "postgres" {
				url = postgresURL(t)
			}
			e := start(t, url)
			create := func(chamber, province, givenAr, familyAr, givenLa, familyLa, birth string) string {
				a := newArtisan("D" + uniqueDigits())
				a.Province, a.BirthDate = province, birth
				a.GivenNameAr, a.FamilyNameAr, a.GivenNameLatin, a.FamilyNameLatin = givenAr, familyAr, givenLa, familyLa
				got, err := e.artisans().CreateArtisan(e.as(t, auth.RoleChamberClerk, chamber), &registryv1.CreateArtisanRequest{Parent: "chambers/" + chamber, Artisan: a})
				if err != nil {
					t.Fatal(err)
				}
				return got.GetName()
			}
			a := create("fes-meknes", "fes", "خديجة", "التازي", "Khadija", "Tazi", "1985-05-05")
			b := create("fes-meknes", "meknes", "خديجه", "التازي", "Khadidja", "Tazi", "1985-05-05")
			create("fes-meknes", "fes", "خديجة", "التازي", "Khadija", "Tazi", "1990-01-01") // same name, other person
			c := create("fes-meknes", "fes", "محمد", "الفاسي", "Mohamed", "El Fassi", "1980-03-14")
			d := create("oriental", "oujda-angad", "امحمد", "الفاصي", "Mohammed", "Elfassi", "1980-03-14")

			dups := registryv1.NewDuplicateServiceClient(e.conn)
			list := func(role auth.Role, chamber, parent string, size int32, token string) (string, string, error) {
				resp, err := dups.ListDuplicateCandidates(e.as(t, role, chamber), &registryv1.ListDuplicateCandidatesRequest{Parent: parent, PageSize: size, PageToken: token})
				var parts []string
				for _, p := range resp.GetDuplicateCandidates() {
					parts = append(parts, fmt.Sprintf("%s|%s|%v", p.GetArtisan(), p.GetOtherArtisan(), p.GetReasons()))
				}
				return strings.Join(parts, " ; "), resp.GetNextPageToken(), err
			}
			pair := func(x, y string, reasons string) string {
				if y < x {
					x, y = y, x
				}
				return x + "|" + y + "|" + reasons
			}

			got, _, err := list(auth.RoleChamberClerk, "fes-meknes", "chambers/fes-meknes", 0, "")
			if want := pair(a, b, "[SAME_NAME_AND_BIRTH_DATE]"); err != nil || got != want {
				t.Errorf("chamber queue = %q, %v; want %q", got, err, want)
			}
			got, next, err := list(auth.RoleMinistry, "", "chambers/-", 1, "")
			if want := pair(a, b, "[SAME_NAME_AND_BIRTH_DATE]"); err != nil || got != want || next == "" {
				t.Errorf("national first page = %q %q, %v; want %q", got, next, err, want)
			}
			got, next, err = list(auth.RoleMinistry, "", "chambers/-", 1, next)
			if want := pair(c, d, "[CLOSE_NAME_AND_BIRTH_DATE]"); err != nil || got != want || next != "" {
				t.Errorf("national second page = %q %q, %v; want %q", got, next, err, want)
			}

			if _, _, err := list(auth.RoleChamberClerk, "fes-meknes", "chambers/-", 0, ""); code(err) != codes.PermissionDenied {
				t.Errorf("clerk national queue = %v, want PermissionDenied", err)
			}
			if _, _, err := list(auth.RoleChamberClerk, "oriental", "chambers/fes-meknes", 0, ""); code(err) != codes.NotFound && code(err) != codes.PermissionDenied {
				t.Errorf("other chamber's clerk = %v", err)
			}
			_, _, err = list(auth.RoleMinistry, "", "chambers/-", -1, "")
			if got := violations(err); code(err) != codes.InvalidArgument || got != "page_size:int32.gte" {
				t.Errorf("negative page size = %v (%s)", err, got)
			}
			// A token of another list (another parent) is refused.
			_, _, err = list(auth.RoleMinistry, "", "chambers/-", 1, "fes-meknes@1")
			if got := violations(err); code(err) != codes.InvalidArgument || got != "page_token:page_token.invalid" {
				t.Errorf("foreign page token = %v (%s)", err, got)
			}
		})
	}
}

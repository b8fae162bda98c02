package service

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/hirfa/hirfa/pkg/auth"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
)

// TestCooperativeNameCheck: anyone, without a token, learns which
// registered cooperatives a proposed name conflicts with, in either script;
// a cooperative created or deleted, a name requested, approved or withdrawn
// through this replica after the first check is seen by the next check.
func TestCooperativeNameCheck(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			url := ""
			if backend == "postgres" {
				url = postgresURL(t)
			}
			e := start(t, url)
			clock := time.Now()
			e.svc.Port.Names.Now = func() time.Time { return clock }
			coop := func(chamber, province, ar, fr string) string {
				c := newCoop()
				c.Province = province
				c.DisplayName = &typev1.LocalizedText{Ar: ar, Fr: fr}
				got, err := e.coops().CreateCooperative(e.as(t, auth.RoleChamberClerk, chamber), &registryv1.CreateCooperativeRequest{Parent: "chambers/" + chamber, Cooperative: c})
				if err != nil {
					t.Fatal(err)
				}
				return got.GetName()
			}
			atlas := coop("fes-meknes", "meknes", "تعاونية الأطلس للنسيج", "Coopérative Atlas Tissage")
			coop("fes-meknes", "fes", "تعاونية الريف للزرابي", "Coopérative Rif Tapis")

			names := registryv1.NewCooperativeNameServiceClient(e.conn)
			anonymous := e.as(t, "", "")
			check := func(ar, fr string) *registryv1.CheckCooperativeNameResponse {
				t.Helper()
				resp, err := names.CheckCooperativeName(anonymous, &registryv1.CheckCooperativeNameRequest{NameAr: ar, NameFr: fr})
				if err != nil {
					t.Fatalf("check %q %q: %v", ar, fr, err)
				}
				return resp
			}
			describe := func(r *registryv1.CheckCooperativeNameResponse) string {
				var parts []string
				for _, c := range r.GetConflicts() {
					parts = append(parts, fmt.Sprintf("%s %s %s", c.GetHolder(), c.GetReason(), c.GetProposed()))
				}
				return strings.Join(parts, "; ")
			}

			// The Arabic name, other word order, generic word changed.
			r := check("جمعية أطلس", "")
			if r.GetAvailable() || describe(r) != atlas+" SAME_DISTINCTIVE_WORDS ar" {
				t.Errorf("Arabic check = %s", describe(r))
			}
			c := r.GetConflicts()[0]
			if c.GetNameAr() != "تعاونية الأطلس للنسيج" || c.GetNameFr() != "Coopérative Atlas Tissage" || c.GetScore() < 0.8 {
				t.Errorf("conflict = %v", c)
			}
			// The French transliteration of a held Arabic name.
			if r := check("", "Union El Atlas"); describe(r) != atlas+" SAME_DISTINCTIVE_WORDS fr" {
				t.Errorf("French check = %s", describe(r))
			}
			// Sharing only the trade is no conflict.
			if r := check("تعاونية النسيج تيفاوت", "Coopérative Tissage Tifaout"); !r.GetAvailable() {
				t.Errorf("free name reported taken: %s", describe(r))
			}

			// A cooperative created in another chamber after the first check,
			// through this replica: the next check sees it, with the clock
			// still within the refresh interval of the last look.
			tifawt := coop("oriental", "oujda-angad", "تعاونية تيفاوت", "Coopérative Tifawt")
			r = check("", "Coopérative Tissage Tifaout")
			if describe(r) != tifawt+" TRANSLITERATION fr" && describe(r) != tifawt+" SOUNDS_ALIKE fr" {
				t.Errorf("check after a new registration = %s", describe(r))
			}

			// A cooperative deleted through this replica no longer conflicts
			// from the next check, not only from the next full rebuild.
			if _, err := e.coops().DeleteCooperative(e.as(t, auth.RoleChamberClerk, "fes-meknes"), &registryv1.DeleteCooperativeRequest{Name: atlas}); err != nil {
				t.Fatal(err)
			}
			if r := check("جمعية أطلس", ""); !r.GetAvailable() {
				t.Errorf("check after the delete = %s, want available", describe(r))
			}

			// A name request's proposals are held while pending; once ODCO
			// approves one, the next check finds it reserved and the other
			// proposal free.
			nr := e.nameRequests()
			q, err := nr.CreateNameRequest(e.as(t, auth.RoleChamberClerk, "marrakech-safi"), &registryv1.CreateNameRequestRequest{Parent: "chambers/marrakech-safi", NameRequest: &registryv1.NameRequest{
				Founder: "فاطمة أوبلا",
				ProposedNames: []*registryv1.ProposedName{
					{Ar: "تعاونية تامينوت", Fr: "Coopérative Tamaynout"},
					{Ar: "تعاونية إغرم", Fr: "Coopérative Ighrem"},
				},
			}})
			if err != nil {
				t.Fatal(err)
			}
			kinds := func(r *registryv1.CheckCooperativeNameResponse) string {
				var out []string
				for _, c := range r.GetConflicts() {
					out = append(out, c.GetHolder()+" "+c.GetHolderKind().String())
				}
				return strings.Join(out, "; ")
			}
			if r := check("", "Union Tamaynoute"); kinds(r) != q.GetName()+" PENDING" {
				t.Errorf("check after a name request = %s", kinds(r))
			}
			if _, err := nr.ApproveNameRequest(e.as(t, auth.RoleODCOOfficer, ""), &registryv1.ApproveNameRequestRequest{Name: q.GetName(), ApprovedName: 2, Etag: q.GetEtag()}); err != nil {
				t.Fatal(err)
			}
			if r := check("جمعية إغرم", ""); kinds(r) != q.GetName()+" RESERVED" {
				t.Errorf("check after the approval = %s", kinds(r))
			}
			if r := check("", "Union Tamaynoute"); !r.GetAvailable() {
				t.Errorf("a proposal not approved still held: %s", kinds(r))
			}

			// A request withdrawn through this replica holds nothing from the
			// next check.
			wd, err := nr.CreateNameRequest(e.as(t, auth.RoleChamberClerk, "marrakech-safi"), &registryv1.CreateNameRequestRequest{Parent: "chambers/marrakech-safi", NameRequest: &registryv1.NameRequest{
				Founder: "حسن أيت باها", ProposedNames: []*registryv1.ProposedName{{Ar: "تعاونية تازارين", Fr: "Coopérative Tazarine"}},
			}})
			if err != nil {
				t.Fatal(err)
			}
			if r := check("", "Union Tazarine"); kinds(r) != wd.GetName()+" PENDING" {
				t.Errorf("check after a name request = %s", kinds(r))
			}
			if _, err := nr.WithdrawNameRequest(e.as(t, auth.RoleChamberClerk, "marrakech-safi"), &registryv1.WithdrawNameRequestRequest{Name: wd.GetName()}); err != nil {
				t.Fatal(err)
			}
			if r := check("", "Union Tazarine"); !r.GetAvailable() {
				t.Errorf("check after the withdrawal = %s, want available", kinds(r))
			}

			// Bad input: every mistake at once, with the field and the rule.
			_, err = names.CheckCooperativeName(anonymous, &registryv1.CheckCooperativeNameRequest{})
			if got := violations(err); code(err) != codes.InvalidArgument || got != "name_ar:required name_fr:required" {
				t.Errorf("empty check = %v (%s)", err, got)
			}
			_, err = names.CheckCooperativeName(anonymous, &registryv1.CheckCooperativeNameRequest{NameAr: strings.Repeat("ن", 301), NameFr: strings.Repeat("n", 301)})
			if code(err) != codes.InvalidArgument || !strings.Contains(violations(err), "name_ar:") || !strings.Contains(violations(err), "name_fr:") {
				t.Errorf("over-long names = %v (%s)", err, violations(err))
			}
		})
	}
}

func violations(err error) string {
	var out []string
	for _, d := range status.Convert(err).Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				out = append(out, v.GetField()+":"+v.GetReason())
			}
		}
	}
	return strings.Join(out, " ")
}

package e2e

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/hirfa/hirfa/pkg/auth"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
	"github.com/hirfa/hirfa/tools/load"
)

// TestClerkScenario walks a chamber clerk's day through the REST edge of a
// multi-process stack on PostgreSQL: register artisans and cooperatives
// (Arabic names), list and filter, update with etags, and a ministry
// reading nationally.
func TestClerkScenario(t *testing.T) {
	s := newStack(t, "HIRFA_SEED_DEMO=false", "HIRFA_SHUTDOWN_TIMEOUT=10s")
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	edge := rest(t, s, "")
	fes := edge.WithToken(token(t, s, auth.RoleChamberClerk, "fes-meknes"))
	marrakech := edge.WithToken(token(t, s, auth.RoleChamberClerk, "marrakech-safi"))
	ministry := edge.WithToken(token(t, s, auth.RoleMinistry, ""))

	// Artisans: an applicant registered by the clerk gets an NIA.
	artisans := []*registryv1.Artisan{
		{GivenNameAr: "خديجة", FamilyNameAr: "الشرقاوي", GivenNameLatin: "Khadija", FamilyNameLatin: "Cherkaoui", Cnie: "CB112233",
			Gender: registryv1.Artisan_FEMALE, BirthDate: "1984-02-11", Province: "fes", Activity: "F1.B02.A02",
			Category: registryv1.Artisan_EXPERIENCED, YearsOfPractice: 12},
		{GivenNameAr: "عبد الإله", FamilyNameAr: "التازي", GivenNameLatin: "Abdelilah", FamilyNameLatin: "Tazi", Cnie: "C998877",
			Gender: registryv1.Artisan_MALE, BirthDate: "1996-07-30", Province: "meknes", Activity: "F1.B04.A02",
			Category: registryv1.Artisan_GRADUATE, DiplomaReference: "DIP-2018-0412", YearsOfPractice: 2},
	}
	var artisanNames []string
	for i, a := range artisans {
		out := &registryv1.Artisan{}
		do(ctx, t, fes, http.MethodPost, "/v1/chambers/fes-meknes/artisans", url.Values{"request_id": {"e2e-artisan-" + a.GetCnie()}}, a, out, codes.OK)
		if !strings.HasPrefix(out.GetName(), "chambers/fes-meknes/artisans/") || out.GetState() != registryv1.Artisan_APPLICANT {
			t.Fatalf("artisan %d: got name %q state %s, want a fes-meknes APPLICANT", i, out.GetName(), out.GetState())
		}
		if out.GetGivenNameAr() != a.GetGivenNameAr() {
			t.Errorf("artisan %d: Arabic given name %q came back as %q", i, a.GetGivenNameAr(), out.GetGivenNameAr())
		}
		artisanNames = append(artisanNames, out.GetName())
	}
	reg := &registryv1.Artisan{}
	do(ctx, t, fes, http.MethodPost, "/v1/"+artisanNames[0]+":register", nil, &emptypb.Empty{}, reg, codes.OK)
	if reg.GetState() != registryv1.Artisan_REGISTERED || reg.GetNia() == "" {
		t.Errorf("register: state %s nia %q, want REGISTERED with an NIA", reg.GetState(), reg.GetNia())
	}
	// A second live record with the same CNIE is refused.
	dup := &registryv1.Artisan{GivenNameAr: "خديجة", FamilyNameAr: "الشرقاوي", GivenNameLatin: "Khadija", FamilyNameLatin: "Cherkaoui", Cnie: "CB112233", Gender: registryv1.Artisan_FEMALE,
		BirthDate: "1984-02-11", Province: "fes", Activity: "F1.B02.A02", Category: registryv1.Artisan_EXPERIENCED, YearsOfPractice: 12}
	do(ctx, t, fes, http.MethodPost, "/v1/chambers/fes-meknes/artisans", nil, dup, nil, codes.AlreadyExists)

	// Cooperatives with Arabic names in two chambers.
	coop := func(ar, fr, province, activity string) *registryv1.Cooperative {
		return &registryv1.Cooperative{DisplayName: &typev1.LocalizedText{Ar: ar, Fr: fr}, Activity: activity, Province: province,
			FoundingDate: "2022-05-10", CapitalCentimes: 2_000_000, ShareValueCentimes: 20_000, MembersWomen: 5, MembersMen: 2}
	}
	created := map[string]*registryv1.Cooperative{}
	for _, c := range []struct {
		client  *load.REST
		chamber string
		key     string
		coop    *registryv1.Cooperative
	}{
		{fes, "fes-meknes", "atlas", coop("تعاونية الأطلس للنسيج", "Coopérative Atlas du Tissage", "fes", "F1.B02.A01")},
		{fes, "fes-meknes", "zellige", coop("تعاونية مكناس للزليج", "Coopérative Zellige de Meknès", "meknes", "F1.B04.A02")},
		{fes, "fes-meknes", "copper", coop("تعاونية فاس للنحاس", "Coopérative du Cuivre de Fès", "fes", "F1.B05.A01")},
		{marrakech, "marrakech-safi", "pottery", coop("تعاونية آسفي للفخار", "Coopérative de Poterie d'Asfi", "safi", "F1.B04.A01")},
	} {
		out := &registryv1.Cooperative{}
		q := url.Values{"request_id": {"e2e-coop-" + c.key}}
		do(ctx, t, c.client, http.MethodPost, "/v1/chambers/"+c.chamber+"/cooperatives", q, c.coop, out, codes.OK)
		if out.GetDisplayName().GetAr() != c.coop.GetDisplayName().GetAr() || out.GetState() != registryv1.Cooperative_FORMING {
			t.Fatalf("%s: got %q in state %s", c.key, out.GetDisplayName().GetAr(), out.GetState())
		}
		// The same request again (a client retry) returns the same record.
		again := &registryv1.Cooperative{}
		do(ctx, t, c.client, http.MethodPost, "/v1/chambers/"+c.chamber+"/cooperatives", q, c.coop, again, codes.OK)
		if again.GetName() != out.GetName() {
			t.Errorf("%s: retry with the same request_id created %s besides %s", c.key, again.GetName(), out.GetName())
		}
		created[c.key] = out
	}

	// List and filter within the clerk's chamber.
	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{"", []string{"atlas", "zellige", "copper"}},
		{`province = "meknes"`, []string{"zellige"}},
		{`province = "fes" AND activity = "F1.B05.A01"`, []string{"copper"}},
		// Arabic search tolerates a missing hamza: اطلس finds الأطلس.
		{`display_name:"اطلس"`, []string{"atlas"}},
		{`state = ACTIVE`, nil},
	} {
		got := list(ctx, t, fes, "chambers/fes-meknes", tc.filter)
		if d := diffNames(created, tc.want, got); d != "" {
			t.Errorf("list filter %q: %s", tc.filter, d)
		}
	}
	do(ctx, t, fes, http.MethodGet, "/v1/chambers/fes-meknes/cooperatives", url.Values{"filter": {"colour = 1"}}, nil, nil, codes.InvalidArgument)

	// Update with the current etag, then with the stale one.
	cur := &registryv1.Cooperative{}
	do(ctx, t, fes, http.MethodGet, "/v1/"+created["atlas"].GetName(), nil, nil, cur, codes.OK)
	patch := &registryv1.Cooperative{Name: cur.GetName(), Etag: cur.GetEtag(), MembersWomen: 9, UnionName: "اتحاد تعاونيات فاس"}
	mask := url.Values{"update_mask": {"members_women,union_name"}}
	updated := &registryv1.Cooperative{}
	do(ctx, t, fes, http.MethodPatch, "/v1/"+cur.GetName(), mask, patch, updated, codes.OK)
	if updated.GetMembersWomen() != 9 || updated.GetUnionName() != patch.GetUnionName() || updated.GetEtag() == cur.GetEtag() {
		t.Errorf("update: members_women=%d union=%q etag %q→%q; want 9, the union and a new etag",
			updated.GetMembersWomen(), updated.GetUnionName(), cur.GetEtag(), updated.GetEtag())
	}
	if updated.GetMembersMen() != cur.GetMembersMen() {
		t.Errorf("update changed members_men (%d→%d) outside the mask", cur.GetMembersMen(), updated.GetMembersMen())
	}
	stale := &registryv1.Cooperative{Name: cur.GetName(), Etag: cur.GetEtag(), MembersWomen: 12}
	st := do(ctx, t, fes, http.MethodPatch, "/v1/"+cur.GetName(), url.Values{"update_mask": {"members_women"}}, stale, nil, codes.Aborted)
	if st != http.StatusConflict {
		t.Errorf("stale etag: HTTP %d, want 409", st)
	}

	// Tenancy: another chamber's record does not exist for this clerk, and
	// national reads are for national roles.
	do(ctx, t, fes, http.MethodGet, "/v1/"+created["pottery"].GetName(), nil, nil, nil, codes.NotFound)
	do(ctx, t, fes, http.MethodGet, "/v1/chambers/-/cooperatives", nil, nil, nil, codes.PermissionDenied)

	// The ministry reads across chambers.
	national := list(ctx, t, ministry, "chambers/-", "")
	if d := diffNames(created, []string{"atlas", "zellige", "copper", "pottery"}, national); d != "" {
		t.Errorf("national list: %s", d)
	}
	if d := diffNames(created, []string{"pottery"}, list(ctx, t, ministry, "chambers/-", `province = "safi"`)); d != "" {
		t.Errorf("national list filtered on safi: %s", d)
	}
	after := &registryv1.Cooperative{}
	do(ctx, t, ministry, http.MethodGet, "/v1/"+created["atlas"].GetName(), nil, nil, after, codes.OK)
	if after.GetMembersWomen() != 9 {
		t.Errorf("ministry read members_women=%d after the update, want 9", after.GetMembersWomen())
	}
	// National roles read but do not write.
	do(ctx, t, ministry, http.MethodPost, "/v1/chambers/fes-meknes/cooperatives", nil,
		coop("تعاونية الوزارة", "Coopérative du Ministère", "fes", "F1.B02.A01"), nil, codes.PermissionDenied)
}

// do sends one REST call and checks its gRPC code (as the edge reports
// it); it returns the HTTP status.
func do(ctx context.Context, t *testing.T, c *load.REST, method, path string, q url.Values, body, out proto.Message, want codes.Code) int {
	t.Helper()
	err := c.Do(ctx, method, path, q, body, out)
	got, status := codes.OK, http.StatusOK
	if err != nil {
		var se *load.StatusError
		if !errors.As(err, &se) {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		got, status = se.Code, se.HTTPStatus
	}
	if got != want {
		t.Fatalf("%s %s: got %s (%v), want %s", method, path, got, err, want)
	}
	return status
}

// list reads every page of a cooperative listing.
func list(ctx context.Context, t *testing.T, c *load.REST, parent, filter string) []*registryv1.Cooperative {
	t.Helper()
	var out []*registryv1.Cooperative
	req := &registryv1.ListCooperativesRequest{Parent: parent, Filter: filter, PageSize: 2}
	for {
		resp, err := c.ListCooperatives(ctx, req)
		if err != nil {
			t.Fatalf("list %s filter %q: %v", parent, filter, err)
		}
		out = append(out, resp.GetCooperatives()...)
		if resp.GetNextPageToken() == "" {
			return out
		}
		req.PageToken = resp.GetNextPageToken()
	}
}

// diffNames compares a listing with the expected keys of created; "" when
// they hold the same records.
func diffNames(created map[string]*registryv1.Cooperative, want []string, got []*registryv1.Cooperative) string {
	var w, g []string
	for _, k := range want {
		w = append(w, created[k].GetName())
	}
	for _, c := range got {
		g = append(g, c.GetName())
	}
	slices.Sort(w)
	slices.Sort(g)
	if slices.Equal(w, g) {
		return ""
	}
	return "got " + strings.Join(g, ", ") + "; want " + strings.Join(w, ", ")
}

package edge

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/auth"
)

func artisanBody(cnie string) map[string]any {
	return map[string]any{
		"given_name_ar": "خديجة", "family_name_ar": "التازي", "given_name_latin": "Khadija", "family_name_latin": "Tazi",
		"cnie": cnie, "gender": "FEMALE", "birth_date": "1985-05-05", "province": "fes", "activity": "F1.B02.A02",
		"category": "EXPERIENCED", "years_of_practice": 6,
	}
}

func coopBody() map[string]any {
	return map[string]any{
		"display_name": map[string]any{"ar": "تعاونية الأمل", "fr": "Coopérative Al Amal"}, "activity": "F1.B02.A01", "province": "fes",
		"capital_centimes": "500000", "share_value_centimes": "10000", "members_women": 5, "members_men": 1,
	}
}

func with(m map[string]any, k string, v any) map[string]any {
	out := map[string]any{}
	for kk, vv := range m {
		out[kk] = vv
	}
	out[k] = v
	return out
}

// TestRESTScenario: a clerk creates, lists, filters and updates; the
// ministry reads nationally; the OpenAPI document and health are served.
func TestRESTScenario(t *testing.T) {
	s := startStack(t, "off")
	clerk := s.token(t, auth.RoleChamberClerk, "fes-meknes")
	c := s.do(t, "POST", "/v1/chambers/fes-meknes/cooperatives", clerk, coopBody())
	if c.Status != 200 || !strings.HasPrefix(c.str("name"), "chambers/fes-meknes/cooperatives/") || c.str("state") != "FORMING" {
		t.Fatalf("create = %d %s", c.Status, c.Raw)
	}
	g := s.do(t, "GET", "/v1/"+c.str("name"), clerk, nil)
	if g.Status != 200 || g.Body["display_name"].(map[string]any)["ar"] != "تعاونية الأمل" {
		t.Fatalf("get = %d %s", g.Status, g.Raw)
	}
	l := s.do(t, "GET", "/v1/chambers/fes-meknes/cooperatives?filter="+url.QueryEscape(`display_name:"الامل" AND state = FORMING`), clerk, nil)
	if items, _ := l.Body["cooperatives"].([]any); l.Status != 200 || len(items) != 1 {
		t.Fatalf("filtered list = %d %s", l.Status, l.Raw)
	}
	u := s.do(t, "PATCH", "/v1/"+c.str("name")+"?update_mask=members_men", clerk, map[string]any{"members_men": 4, "etag": g.str("etag")})
	if u.Status != 200 || u.Body["members_men"].(float64) != 4 {
		t.Fatalf("update = %d %s", u.Status, u.Raw)
	}
	n := s.do(t, "GET", "/v1/chambers/-/cooperatives", s.token(t, auth.RoleMinistry, ""), nil)
	if items, _ := n.Body["cooperatives"].([]any); n.Status != 200 || len(items) != 1 {
		t.Fatalf("national read = %d %s", n.Status, n.Raw)
	}
	if r := s.do(t, "GET", "/openapi.json", "", nil); r.Status != 200 || r.Body["openapi"] != "3.1.0" {
		t.Fatalf("openapi = %d", r.Status)
	}
	if r := s.do(t, "GET", "/readyz", "", nil); r.Status != 200 {
		t.Fatalf("readyz = %d %s", r.Status, r.Raw)
	}
	if r := s.do(t, "GET", "/v1/regions/fes-meknes/provinces", "", nil); r.Status != 200 || len(r.Body["provinces"].([]any)) != 9 {
		t.Fatalf("public provinces = %d %s", r.Status, r.Raw)
	}
}

// lastAudit returns the newest audit record name: every write adds one in
// its own transaction, so an unchanged value means nothing was written.
func lastAudit(t *testing.T, s *stack, ministry string) string {
	r := s.do(t, "GET", "/v1/chambers/-/auditRecords?page_size=1", ministry, nil)
	if r.Status != 200 {
		t.Fatalf("audit = %d %s", r.Status, r.Raw)
	}
	items, _ := r.Body["audit_records"].([]any)
	if len(items) == 0 {
		return ""
	}
	return items[0].(map[string]any)["name"].(string)
}

// TestBadRequests: each bad request gets its exact status, names the field
// or reason, and writes nothing.
func TestBadRequests(t *testing.T) {
	s := startStack(t, "off")
	clerk := s.token(t, auth.RoleChamberClerk, "fes-meknes")
	other := s.token(t, auth.RoleChamberClerk, "marrakech-safi")
	ministry := s.token(t, auth.RoleMinistry, "")

	// Fixtures: an applicant, a registered artisan, a cooperative.
	app := s.do(t, "POST", "/v1/chambers/fes-meknes/artisans", clerk, artisanBody("AA111111"))
	reg := s.do(t, "POST", "/v1/chambers/fes-meknes/artisans", clerk, artisanBody("BB222222"))
	reg = s.do(t, "POST", "/v1/"+reg.str("name")+":register", clerk, map[string]any{})
	coop := s.do(t, "POST", "/v1/chambers/fes-meknes/cooperatives", clerk, coopBody())
	if app.Status != 200 || reg.Status != 200 || coop.Status != 200 {
		t.Fatalf("fixtures: %s %s %s", app.Raw, reg.Raw, coop.Raw)
	}
	none := header("alg:none")
	noneTok := none + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"x","hirfa_role":"ministry","iss":"https://dev.hirfa.local","aud":"hirfa","exp":4102444800}`)) + "."

	tests := []struct {
		name          string
		method, path  string
		token         string
		body          any
		status        int
		field, reason string // one of them must be named
	}{
		{"bad resource id", "GET", "/v1/chambers/fes-meknes/artisans/NOT_AN_ID", clerk, nil, 400, "name", ""},
		{"bad parent", "GET", "/v1/chambers/Fes_Meknes/cooperatives", clerk, nil, 400, "parent", ""},
		{"unknown province", "POST", "/v1/chambers/fes-meknes/cooperatives", clerk, with(coopBody(), "province", "atlantis"), 400, "cooperative.province", ""},
		{"province outside the region", "POST", "/v1/chambers/fes-meknes/cooperatives", clerk, with(coopBody(), "province", "safi"), 400, "cooperative.province", ""},
		{"negative capital", "POST", "/v1/chambers/fes-meknes/cooperatives", clerk, with(coopBody(), "capital_centimes", "-100"), 400, "cooperative.capital_centimes", ""},
		{"capital under 1,000 MAD", "POST", "/v1/chambers/fes-meknes/cooperatives", clerk, with(coopBody(), "capital_centimes", "50000"), 400, "cooperative.capital_centimes", ""},
		{"share under 100 MAD", "POST", "/v1/chambers/fes-meknes/cooperatives", clerk, with(coopBody(), "share_value_centimes", "5000"), 400, "cooperative.share_value_centimes", ""},
		{"too few members", "POST", "/v1/chambers/fes-meknes/cooperatives", clerk, with(with(coopBody(), "members_women", 2), "members_men", 1), 400, "cooperative.members_women", ""},
		{"unknown activity", "POST", "/v1/chambers/fes-meknes/cooperatives", clerk, with(coopBody(), "activity", "Z9.Z9"), 400, "cooperative.activity", ""},
		{"federation keeps no register", "POST", "/v1/chambers/federation/cooperatives", s.token(t, auth.RoleChamberClerk, "federation"), coopBody(), 400, "", "NOT_A_REGIONAL_CHAMBER"},
		{"malformed filter", "GET", "/v1/chambers/fes-meknes/artisans?filter=" + url.QueryEscape("state = "), clerk, nil, 400, "filter", ""},
		{"unknown filter field", "GET", "/v1/chambers/fes-meknes/artisans?filter=" + url.QueryEscape(`colour = "red"`), clerk, nil, 400, "filter", ""},
		{"unknown enum value", "GET", "/v1/chambers/fes-meknes/artisans?filter=" + url.QueryEscape("state = FLYING"), clerk, nil, 400, "filter", ""},
		{"negative page_size", "GET", "/v1/chambers/fes-meknes/artisans?page_size=-1", clerk, nil, 400, "page_size", ""},
		{"bad order_by", "GET", "/v1/chambers/fes-meknes/artisans?order_by=cnie", clerk, nil, 400, "order_by", ""},
		{"forged page token", "GET", "/v1/chambers/fes-meknes/artisans?page_token=eyJxIjoiMDAifQ", clerk, nil, 400, "page_token", ""},
		{"oversized body", "POST", "/v1/chambers/fes-meknes/cooperatives", clerk, strings.Repeat("x", 70<<10), 413, "", "BODY_TOO_LARGE"},
		{"malformed JSON", "POST", "/v1/chambers/fes-meknes/cooperatives", clerk, `{"display_name": `, 400, "", ""},
		{"wrong etag", "PATCH", "/v1/" + coop.str("name") + "?update_mask=members_men", clerk, map[string]any{"members_men": 9, "etag": `"zz"`}, 409, "", "ETAG_MISMATCH"},
		{"illegal transition", "POST", "/v1/" + app.str("name") + ":reinstate", clerk, map[string]any{}, 400, "", "ILLEGAL_TRANSITION"},
		{"register twice", "POST", "/v1/" + reg.str("name") + ":register", clerk, map[string]any{}, 400, "", "ILLEGAL_TRANSITION"},
		{"delete a registered artisan", "DELETE", "/v1/" + reg.str("name"), clerk, nil, 400, "", "NOT_DELETABLE"},
		{"bad CNIE", "POST", "/v1/chambers/fes-meknes/artisans", clerk, with(artisanBody("1234"), "cnie", "12ab"), 400, "artisan.cnie", ""},
		{"experienced with one year", "POST", "/v1/chambers/fes-meknes/artisans", clerk, with(artisanBody("CC333333"), "years_of_practice", 1), 400, "artisan.years_of_practice", ""},
		{"master without amin certificate", "POST", "/v1/chambers/fes-meknes/artisans", clerk, with(with(artisanBody("CC333333"), "category", "MASTER"), "years_of_practice", 20), 400, "artisan.amin_certificate_reference", ""},
		{"impossible birth date", "POST", "/v1/chambers/fes-meknes/artisans", clerk, with(artisanBody("CC333333"), "birth_date", "2020-02-02"), 400, "artisan.birth_date", ""},
		{"duplicate live CNIE", "POST", "/v1/chambers/fes-meknes/artisans", clerk, artisanBody("AA111111"), 409, "artisan.cnie", "CNIE_ALREADY_REGISTERED"},
		{"bad ICE", "POST", "/v1/chambers/fes-meknes/enterprises", clerk, map[string]any{"display_name": map[string]any{"fr": "E"}, "ice": "123", "activity": "F1.B02.A01", "province": "fes", "supervising_artisan": reg.str("name")}, 400, "enterprise.ice", ""},
		{"supervisor not registered", "POST", "/v1/chambers/fes-meknes/enterprises", clerk, map[string]any{"display_name": map[string]any{"fr": "E"}, "ice": "001525487000045", "activity": "F1.B02.A01", "province": "fes", "supervising_artisan": app.str("name")}, 400, "", "SUPERVISOR_NOT_REGISTERED"},
		{"unknown update_mask path", "PATCH", "/v1/" + coop.str("name") + "?update_mask=colour", clerk, map[string]any{}, 400, "update_mask", ""},
		{"output-only field in mask", "PATCH", "/v1/" + coop.str("name") + "?update_mask=state", clerk, map[string]any{"state": "ACTIVE"}, 400, "update_mask", ""},
		{"register coop without local register number", "POST", "/v1/" + coop.str("name") + ":register", clerk, map[string]any{}, 400, "", "REGISTRATION_INCOMPLETE"},
		{"bad request_id", "POST", "/v1/chambers/fes-meknes/cooperatives?request_id=" + url.QueryEscape("a b;c"), clerk, coopBody(), 400, "request_id", ""},
		{"suspend without reason", "POST", "/v1/" + reg.str("name") + ":suspend", clerk, map[string]any{}, 400, "reason", ""},
		{"clerk national read", "GET", "/v1/chambers/-/artisans", clerk, nil, 403, "", ""},
		{"another chamber's record", "GET", "/v1/" + app.str("name"), other, nil, 404, "", "NOT_FOUND"},
		{"write into another chamber", "POST", "/v1/chambers/fes-meknes/cooperatives", other, coopBody(), 404, "", "NOT_FOUND"},
		{"ministry cannot write registers", "POST", "/v1/chambers/fes-meknes/cooperatives", ministry, coopBody(), 403, "", ""},
		{"no token", "GET", "/v1/chambers/fes-meknes/artisans", "", nil, 401, "", ""},
		{"alg none token", "GET", "/v1/chambers/fes-meknes/artisans", noneTok, nil, 401, "", ""},
		{"unknown route", "GET", "/v1/nowhere", clerk, nil, 404, "", "ROUTE_NOT_FOUND"},
		{"unknown activity resource", "GET", "/v1/activities/Z9", "", nil, 404, "", ""},
	}
	// These break the OpenAPI document on purpose (every other bad request
	// is well-formed and refused by the service's rules).
	offContract := map[string]bool{"oversized body": true, "malformed JSON": true, "unknown route": true, "output-only field in mask": true}
	if len(tests) < 30 {
		t.Fatalf("only %d bad requests", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := lastAudit(t, s, ministry)
			send := s.do
			if offContract[tt.name] {
				send = s.doUnchecked
			}
			r := send(t, tt.method, tt.path, tt.token, tt.body)
			if r.Status != tt.status {
				t.Fatalf("status = %d, want %d: %s", r.Status, tt.status, r.Raw)
			}
			if r.Body["code"] == nil || r.Body["message"] == nil {
				t.Fatalf("error body lacks code/message: %s", r.Raw)
			}
			if tt.field != "" && !slices.Contains(r.fields(), tt.field) {
				t.Fatalf("fields %v do not name %s: %s", r.fields(), tt.field, r.Raw)
			}
			if tt.reason != "" && r.reason() != tt.reason {
				t.Fatalf("reason = %q, want %q: %s", r.reason(), tt.reason, r.Raw)
			}
			if after := lastAudit(t, s, ministry); after != before {
				t.Fatalf("a refused request wrote something (audit %s → %s)", before, after)
			}
		})
	}
}

func header(kind string) string {
	if kind == "alg:none" {
		return base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	}
	return ""
}

// TestRateLimitAndIdempotency: a burst over the limit gets 429 with
// Retry-After; a replayed Idempotency-Key returns the first response and
// writes nothing; a reused key with another body is refused.
func TestRateLimitAndIdempotency(t *testing.T) {
	for _, mode := range []string{"", "local:"} {
		t.Run("limiter="+mode, func(t *testing.T) { testRateLimitAndIdempotency(t, mode) })
	}
}

func testRateLimitAndIdempotency(t *testing.T, mode string) {
	s := startStack(t, mode+"chamber-clerk=5/m:5,ministry=100/s:100,anonymous=100/s:100")
	clerk := s.token(t, auth.RoleChamberClerk, "fes-meknes")
	ministry := s.token(t, auth.RoleMinistry, "")

	first := s.do(t, "POST", "/v1/chambers/fes-meknes/cooperatives", clerk, coopBody(), "Idempotency-Key", "order-42")
	if first.Status != 200 {
		t.Fatalf("create = %d %s", first.Status, first.Raw)
	}
	before := lastAudit(t, s, ministry)
	again := s.do(t, "POST", "/v1/chambers/fes-meknes/cooperatives", clerk, coopBody(), "Idempotency-Key", "order-42")
	if again.Status != 200 || again.str("name") != first.str("name") || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay = %d %s", again.Status, again.Raw)
	}
	if lastAudit(t, s, ministry) != before {
		t.Fatal("a replayed create wrote something")
	}
	reused := s.do(t, "POST", "/v1/chambers/fes-meknes/cooperatives", clerk, with(coopBody(), "members_men", 3), "Idempotency-Key", "order-42")
	if reused.Status != 422 {
		t.Fatalf("reused key, other body = %d %s", reused.Status, reused.Raw)
	}
	// The clerk has 5 requests a minute and used 3: the burst runs out.
	var limited response
	for i := 0; i < 5; i++ {
		limited = s.do(t, "GET", "/v1/chambers/fes-meknes/cooperatives", clerk, nil)
	}
	if limited.Status != http.StatusTooManyRequests || limited.Header.Get("Retry-After") == "" {
		t.Fatalf("burst over the limit = %d (Retry-After %q) %s", limited.Status, limited.Header.Get("Retry-After"), limited.Raw)
	}
	// Another principal has its own bucket.
	if r := s.do(t, "GET", "/v1/chambers/-/cooperatives", ministry, nil); r.Status != 200 {
		t.Fatalf("ministry after clerk's limit = %d", r.Status)
	}
}

func TestCORSAndLanguage(t *testing.T) {
	s := startStack(t, "off")
	r := s.do(t, "OPTIONS", "/v1/chambers", "", nil, "Origin", "https://console.hirfa.ma", "Access-Control-Request-Method", "GET")
	if r.Status != 204 || r.Header.Get("Access-Control-Allow-Origin") != "https://console.hirfa.ma" {
		t.Fatalf("allowed preflight = %d %v", r.Status, r.Header)
	}
	r = s.do(t, "OPTIONS", "/v1/chambers", "", nil, "Origin", "https://evil.example", "Access-Control-Request-Method", "GET")
	if r.Status != 403 || r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("foreign preflight = %d %v", r.Status, r.Header)
	}
	ar := s.do(t, "GET", "/v1/chambers/fes-meknes/artisans", "", nil, "Accept-Language", "ar-MA, fr;q=0.8")
	fr := s.do(t, "GET", "/v1/chambers/fes-meknes/artisans", "", nil, "Accept-Language", "fr")
	if ar.Status != 401 || ar.str("message") != "يجب تسجيل الدخول" || fr.str("message") != "Authentification requise" {
		t.Fatalf("localised: ar=%s fr=%s", ar.Raw, fr.Raw)
	}
	if r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatal("security headers missing")
	}

}

// TestRedisDownFailsOpen: with Redis unreachable the edge keeps serving and
// says so in its logs (and the hirfa.ratelimit.degraded metric).
func TestRedisDownFailsOpen(t *testing.T) {
	s := startStackWith(t, "anonymous=1/m:1", "redis://"+freeAddr(t)+"/0")
	for i := 0; i < 3; i++ {
		if r := s.do(t, "GET", "/v1/regions", "", nil); r.Status != 200 {
			t.Fatalf("request %d with Redis down = %d %s", i, r.Status, r.Raw)
		}
	}
	if !strings.Contains(s.logs.String(), "rate limiter cannot reach redis") {
		t.Fatalf("the degraded mode was not logged: %s", s.logs.String())
	}
}

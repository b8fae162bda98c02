package edge

import (
	"net/url"
	"slices"
	"testing"

	"github.com/hirfa/hirfa/pkg/auth"
)

// TestCooperativeNameCheckREST: founders check a proposed name through the
// edge without a token (every call validated against the served OpenAPI
// document), get the conflicting registered names with score and reason,
// bad input names its fields, and anonymous callers are rate-limited.
func TestCooperativeNameCheckREST(t *testing.T) {
	s := startStack(t, "anonymous=6/m:6,chamber-clerk=100/s:100")
	clerk := s.token(t, auth.RoleChamberClerk, "fes-meknes")
	c := s.do(t, "POST", "/v1/chambers/fes-meknes/cooperatives", clerk, coopBody())
	if c.Status != 200 {
		t.Fatalf("create = %d %s", c.Status, c.Raw)
	}
	check := func(q url.Values) response {
		return s.do(t, "GET", "/v1/cooperativeNames:check?"+q.Encode(), "", nil)
	}

	r := check(url.Values{"name_ar": {"جمعية الأمل"}})
	conflicts, _ := r.Body["conflicts"].([]any)
	if r.Status != 200 || len(conflicts) != 1 {
		t.Fatalf("Arabic check = %d %s", r.Status, r.Raw)
	}
	got := conflicts[0].(map[string]any)
	if got["holder"] != c.str("name") || got["reason"] != "IDENTICAL" || got["proposed"] != "ar" || got["name_ar"] != "تعاونية الأمل" {
		t.Errorf("conflict = %v", got)
	}
	if r.Body["available"] == true {
		t.Errorf("a taken name is reported available: %s", r.Raw)
	}

	if r := check(url.Values{"name_fr": {"Coopérative Tifaout"}}); r.Status != 200 || r.Body["available"] != true {
		t.Errorf("free name = %d %s", r.Status, r.Raw)
	}

	r = check(url.Values{})
	if f := r.fields(); r.Status != 400 || !slices.Equal(f, []string{"name_ar", "name_fr"}) {
		t.Errorf("empty check = %d %v %s", r.Status, f, r.Raw)
	}

	// The anonymous limit (6 a minute here) applies to the name check.
	limited := false
	for range 6 {
		r := s.doUnchecked(t, "GET", "/v1/cooperativeNames:check?name_fr=Atlas", "", nil)
		if r.Status == 429 {
			limited = true
			break
		}
	}
	if !limited {
		t.Error("anonymous name checks are not rate-limited")
	}
}

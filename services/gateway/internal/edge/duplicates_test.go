package edge

import (
	"testing"

	"github.com/hirfa/hirfa/pkg/auth"
)

// TestDuplicateCandidatesREST: a clerk reads the chamber's duplicate review
// queue through the edge (validated against the served OpenAPI document).
func TestDuplicateCandidatesREST(t *testing.T) {
	s := startStack(t, "off")
	clerk := s.token(t, auth.RoleChamberClerk, "fes-meknes")
	var names []string
	for _, cnie := range []string{"DR100001", "DR100002"} {
		a := s.do(t, "POST", "/v1/chambers/fes-meknes/artisans", clerk, artisanBody(cnie))
		if a.Status != 200 {
			t.Fatalf("create = %d %s", a.Status, a.Raw)
		}
		names = append(names, a.str("name"))
	}
	r := s.do(t, "GET", "/v1/chambers/fes-meknes/duplicateCandidates?page_size=10", clerk, nil)
	pairs, _ := r.Body["duplicate_candidates"].([]any)
	if r.Status != 200 || len(pairs) != 1 {
		t.Fatalf("queue = %d %s", r.Status, r.Raw)
	}
	p := pairs[0].(map[string]any)
	reasons, _ := p["reasons"].([]any)
	if len(reasons) != 1 || reasons[0] != "SAME_NAME_AND_BIRTH_DATE" || (p["artisan"] != names[0] && p["artisan"] != names[1]) {
		t.Errorf("pair = %v", p)
	}
	if r := s.do(t, "GET", "/v1/chambers/-/duplicateCandidates", clerk, nil); r.Status != 403 {
		t.Errorf("clerk national queue = %d %s", r.Status, r.Raw)
	}
}

package edge

import (
	"testing"

	"github.com/hirfa/hirfa/pkg/auth"
)

// TestDuplicateCandidatesREST: a clerk reads the chamber's duplicate review
// queue through the edge, filters it by state and score and dismisses a
// pair (every request and answer validated against the served OpenAPI
// document); the national queue is refused to the clerk.
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
	r := s.do(t, "GET", "/v1/chambers/fes-meknes/duplicateCandidates?page_size=10&min_score=0.9", clerk, nil)
	pairs, _ := r.Body["duplicate_candidates"].([]any)
	if r.Status != 200 || len(pairs) != 1 {
		t.Fatalf("queue = %d %s", r.Status, r.Raw)
	}
	p := pairs[0].(map[string]any)
	reasons, _ := p["reasons"].([]any)
	if len(reasons) != 1 || reasons[0] != "SAME_NAME_AND_BIRTH_DATE" || p["state"] != "OPEN" || (p["artisan"] != names[0] && p["artisan"] != names[1]) {
		t.Errorf("pair = %v", p)
	}
	name, _ := p["name"].(string)
	d := s.do(t, "POST", "/v1/"+name+":dismiss", clerk, map[string]any{"reason": "twins, checked at the desk"})
	if d.Status != 200 || d.str("state") != "DISMISSED" || d.str("dismiss_reason") != "twins, checked at the desk" {
		t.Fatalf("dismiss = %d %s", d.Status, d.Raw)
	}
	if r := s.do(t, "POST", "/v1/"+name+":dismiss", clerk, map[string]any{"reason": "x"}); r.Status != 400 {
		t.Errorf("short reason = %d %s", r.Status, r.Raw)
	}
	if r := s.do(t, "GET", "/v1/chambers/fes-meknes/duplicateCandidates", clerk, nil); r.Status != 200 || r.Body["duplicate_candidates"] != nil {
		t.Errorf("open queue after the dismissal = %d %s", r.Status, r.Raw)
	}
	r = s.do(t, "GET", "/v1/chambers/fes-meknes/duplicateCandidates?state=DISMISSED", clerk, nil)
	if pairs, _ := r.Body["duplicate_candidates"].([]any); r.Status != 200 || len(pairs) != 1 {
		t.Errorf("dismissed pairs = %d %s", r.Status, r.Raw)
	}
	if r := s.do(t, "GET", "/v1/chambers/-/duplicateCandidates", clerk, nil); r.Status != 403 {
		t.Errorf("clerk national queue = %d %s", r.Status, r.Raw)
	}
}

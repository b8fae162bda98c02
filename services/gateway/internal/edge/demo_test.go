package edge

import (
	"slices"
	"testing"

	"github.com/hirfa/hirfa/pkg/auth"
)

// TestRESTDemoMark: over REST (each call checked against the served
// document), the demo profile's records answer demo=true, and a client can
// neither create nor update its way to demo=true.
func TestRESTDemoMark(t *testing.T) {
	s := startStackWith(t, "off", "", "HIRFA_SEED_DEMO=true")
	clerk := s.token(t, auth.RoleChamberClerk, "fes-meknes")

	l := s.do(t, "GET", "/v1/chambers/fes-meknes/cooperatives", clerk, nil)
	items, _ := l.Body["cooperatives"].([]any)
	if l.Status != 200 || len(items) == 0 {
		t.Fatalf("list = %d %s", l.Status, l.Raw)
	}
	for _, it := range items {
		c, _ := it.(map[string]any)
		g := s.do(t, "GET", "/v1/"+c["name"].(string), clerk, nil)
		if c["demo"] != true || g.Status != 200 || g.Body["demo"] != true {
			t.Errorf("seeded %v: listed demo=%v, get = %d demo=%v", c["name"], c["demo"], g.Status, g.Body["demo"])
		}
	}
	a := s.do(t, "GET", "/v1/chambers/fes-meknes/artisans", clerk, nil)
	arts, _ := a.Body["artisans"].([]any)
	if a.Status != 200 || len(arts) == 0 {
		t.Fatalf("list artisans = %d %s", a.Status, a.Raw)
	}
	for _, it := range arts {
		if art, _ := it.(map[string]any); art["demo"] != true {
			t.Errorf("seeded artisan %v answers demo=%v", art["name"], art["demo"])
		}
	}

	// demo is readOnly in the document, so sending it breaks the contract
	// on purpose: these two calls go unchecked, their answers are read.
	c := s.doUnchecked(t, "POST", "/v1/chambers/fes-meknes/cooperatives", clerk, with(coopBody(), "demo", true))
	if c.Status != 200 || c.Body["demo"] == true {
		t.Fatalf("create with demo=true = %d %s", c.Status, c.Raw)
	}
	u := s.doUnchecked(t, "PATCH", "/v1/"+c.str("name")+"?update_mask=demo", clerk, map[string]any{"demo": true, "etag": c.str("etag")})
	if u.Status != 400 || !slices.Contains(u.fields(), "update_mask") {
		t.Fatalf("update_mask=demo = %d %s", u.Status, u.Raw)
	}
	g := s.do(t, "GET", "/v1/"+c.str("name"), clerk, nil)
	if g.Status != 200 || g.Body["demo"] == true {
		t.Fatalf("get after = %d %s", g.Status, g.Raw)
	}
}

package console

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/auth/devissuer"
)

// TestDemoBadge: a record the API answers with demo=true carries the
// "demo" badge in both languages on its page and its row of the register,
// the fairs, the assemblies and the craft bodies; a record without it
// carries none.
func TestDemoBadge(t *testing.T) {
	coop := func(id string, demo bool) map[string]any {
		return map[string]any{"name": "chambers/fes-meknes/cooperatives/" + id, "display_name": map[string]any{"ar": "تعاونية", "fr": "Coopérative " + id},
			"state": "ACTIVE", "province": "fes", "capital_centimes": "2500000", "demo": demo}
	}
	titled := func(collection, id string, demo bool) map[string]any {
		return map[string]any{"name": "chambers/fes-meknes/" + collection + "/" + id, "title": map[string]any{"ar": "معرض", "fr": "Salon " + id},
			"state": "PLANNED", "demo": demo}
	}
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var out any
		switch r.URL.Path {
		case "/v1/chambers/fes-meknes/cooperatives":
			out = map[string]any{"cooperatives": []any{coop("seeded", true), coop("real", false)}}
		case "/v1/chambers/fes-meknes/cooperatives/seeded":
			out = coop("seeded", true)
		case "/v1/chambers/fes-meknes/cooperatives/real":
			out = coop("real", false)
		// events-and-fairs' and craft-bodies' records carry the same mark.
		case "/v1/chambers/fes-meknes/events":
			out = map[string]any{"events": []any{titled("events", "seeded", true), titled("events", "real", false)}}
		case "/v1/chambers/fes-meknes/events/seeded":
			out = titled("events", "seeded", true)
		case "/v1/chambers/fes-meknes/assemblies":
			out = map[string]any{"assemblies": []any{titled("assemblies", "seeded", true), titled("assemblies", "real", false)}}
		case "/v1/chambers/fes-meknes/craftBodies":
			out = map[string]any{"craft_bodies": []any{coop("seeded", true), coop("real", false)}}
		default:
			out = map[string]any{}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out)
	})
	iss, err := devissuer.Load(filepath.Join(t.TempDir(), "dev.pem"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Options{API: HandlerTransport{Handler: api}, APIBase: "http://edge", DemoIssuer: iss})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	c.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/console/signin", nil))
	m := csrfRe.FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatal("no CSRF token in the sign-in form")
	}
	r := httptest.NewRequest(http.MethodPost, "/console/signin", strings.NewReader(url.Values{"user": {"chamber-clerk:fes-meknes"}, "csrf": {m[1]}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.AddCookie(rec.Result().Cookies()[0])
	w := httptest.NewRecorder()
	c.ServeHTTP(w, r)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", w.Code)
	}
	session := w.Result().Cookies()[0]
	get := func(path, lang string) string {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.AddCookie(session)
		r.AddCookie(&http.Cookie{Name: langCookie, Value: lang})
		w := httptest.NewRecorder()
		c.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, w.Code, w.Body.String())
		}
		return w.Body.String()
	}
	for _, lang := range []string{"ar", "fr"} {
		label := messages["demo.record"][0]
		if lang == "fr" {
			label = messages["demo.record"][1]
		}
		badge := `class="badge-demo"`
		if p := get("/console/chambers/fes-meknes/cooperatives/seeded", lang); !strings.Contains(p, `id="demo-badge"`) || !strings.Contains(p, ">"+label+"</span>") {
			t.Errorf("%s: the demo record's page has no %q badge", lang, label)
		}
		if p := get("/console/chambers/fes-meknes/cooperatives/real", lang); strings.Contains(p, badge) {
			t.Errorf("%s: a record without demo shows the demo badge", lang)
		}
		if p := get("/console/register", lang); strings.Count(p, badge) != 1 || !strings.Contains(p, ">"+label+"</span>") {
			t.Errorf("%s: register rows carry %d %q badges, want 1 (the seeded row)", lang, strings.Count(p, badge), label)
		}
		for _, list := range []string{"/console/fairs", "/console/assemblies", "/console/craft-bodies"} {
			if p := get(list, lang); strings.Count(p, badge) != 1 || !strings.Contains(p, ">"+label+"</span>") {
				t.Errorf("%s: %s rows carry %d %q badges, want 1 (the seeded row)", lang, list, strings.Count(p, badge), label)
			}
		}
		if p := get("/console/chambers/fes-meknes/events/seeded", lang); !strings.Contains(p, `id="demo-badge"`) {
			t.Errorf("%s: the demo fair's page has no badge", lang)
		}
	}
}

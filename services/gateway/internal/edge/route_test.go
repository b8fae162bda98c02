package edge

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/proto/openapi"
)

// allUnconfigured is an edge over every API with no addresses: a call that
// reaches an API's mux answers 503 naming that API's backend, one that
// reaches none answers 404.
func allUnconfigured(t *testing.T) *Edge {
	t.Helper()
	names := APIs()
	sort.Strings(names)
	var bs []Backend
	for _, api := range names {
		b, err := BackendFor(api, api, "")
		if err != nil {
			t.Fatal(err)
		}
		bs = append(bs, b)
	}
	e, err := New(context.Background(), Options{Backends: bs, MaxBodyBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e
}

type edgeAnswer struct {
	Code    int `json:"code"`
	Details []struct {
		Reason   string            `json:"reason"`
		Metadata map[string]string `json:"metadata"`
	} `json:"details"`
}

func call(t *testing.T, h http.Handler, method, path string) (int, edgeAnswer) {
	t.Helper()
	var body *strings.Reader
	if method == http.MethodGet || method == http.MethodDelete {
		body = strings.NewReader("")
	} else {
		body = strings.NewReader("{}")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, body))
	var a edgeAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil || len(a.Details) == 0 {
		t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body.String())
	}
	return rec.Code, a
}

// TestEveryDocumentedRouteReachesItsAPI: every path and method of the served
// OpenAPI document, its variables filled, goes to the mux of the API its
// tag names (that mux's unconfigured backend answers), and no two APIs'
// templates overlap, so no call needs the mux over every API.
func TestEveryDocumentedRouteReachesItsAPI(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]struct {
			Tags []string `json:"tags"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(openapi.Document, &doc); err != nil {
		t.Fatal(err)
	}
	e := allUnconfigured(t)
	rt := routerOf(t, e)
	vars := regexp.MustCompile(`\{[^}]+\}`)
	n := 0
	for tmpl, ops := range doc.Paths {
		path := vars.ReplaceAllString(tmpl, "x1")
		for method, op := range ops {
			if len(op.Tags) == 0 {
				continue // parameters and other path-level keys
			}
			if strings.ToUpper(method)+" "+tmpl == UploadPath {
				continue // the edge's own streaming handler, mounted beside the muxes when the desk is configured
			}
			api, svc, _ := strings.Cut(op.Tags[0], ".")
			if m := rt.root.match(path[1:]); !hasName(rt, m, "hirfa."+api+".v1."+svc) {
				t.Errorf("%s %s: routed to %v, not to %s's mux", method, tmpl, namesOf(rt, m), op.Tags[0])
			}
			code, a := call(t, e.Handler, strings.ToUpper(method), path)
			if code != http.StatusServiceUnavailable || a.Details[0].Reason != "BACKEND_NOT_CONFIGURED" || a.Details[0].Metadata["service"] != api {
				t.Errorf("%s %s: %d %+v, want 503 from %s", method, tmpl, code, a, api)
			}
			n++
		}
	}
	if n < 100 {
		t.Fatalf("only %d operations in the document", n)
	}
	if rt.all != nil {
		t.Error("templates of two APIs overlap: calls on them go through the mux over every API")
	}
}

func namesOf(rt *router, m uint64) []string {
	var out []string
	for i, n := range rt.names {
		if m&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

func hasName(rt *router, m uint64, name string) bool {
	for _, n := range namesOf(rt, m) {
		if n == name {
			return true
		}
	}
	return false
}

func routerOf(t *testing.T, e *Edge) *router {
	t.Helper()
	if e.router == nil {
		t.Fatal("edge has no router")
	}
	return e.router
}

// TestRoutingDoesNotAllocate: choosing the API walks the path in place.
func TestRoutingDoesNotAllocate(t *testing.T) {
	rt := routerOf(t, allUnconfigured(t))
	for _, p := range []string{"v1/chambers/fes/cooperatives/c1", "v1/chambers/fes/artisans/a1:merge", "v1/nowhere/at/all"} {
		if n := testing.AllocsPerRun(100, func() { rt.root.match(p) }); n != 0 {
			t.Errorf("match %s: %v allocations", p, n)
		}
	}
}

// TestUnroutedPathsAnswerAsTheMuxDid: a path no API serves gets the mux's
// 404, a known path under another method its 405.
func TestUnroutedPathsAnswerAsTheMuxDid(t *testing.T) {
	e := allUnconfigured(t)
	for _, p := range []string{
		"/v1/nowhere",
		"/v2/chambers/x1/cooperatives",
		"/v1/chambers/x1/cooperatives/x2/deeper",
		"/v1/chambers:noSuchVerb", // a literal last segment; after a variable, "x2:noSuchVerb" is the variable's value
		"/v1/chambers/x1/cooperatives/x2/",
		"/",
	} {
		code, a := call(t, e.Handler, http.MethodGet, p)
		if code != http.StatusNotFound || a.Details[0].Reason != ReasonRouteNotFound || a.Details[0].Metadata["detail"] != p {
			t.Errorf("GET %s: %d %+v, want 404 %s", p, code, a, ReasonRouteNotFound)
		}
	}
	code, a := call(t, e.Handler, http.MethodPut, "/v1/chambers/x1/cooperatives/x2")
	if code != http.StatusMethodNotAllowed || a.Details[0].Reason != ReasonMethodNotAllowed {
		t.Errorf("PUT on a cooperative: %d %+v, want 405", code, a)
	}
}

func TestTemplatesOverlap(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"/v1/{name=chambers/*/events/*}", "/v1/chambers/fes/events/{e}", true},
		{"/v1/{name=chambers/*/events/*}", "/v1/{name=chambers/*/fairs/*}", false},
		{"/v1/{name=chambers/*/events/*}", "/v1/{name=chambers/*/events/*}:start", true},
		{"/v1/{name=chambers/*/events}", "/v1/{name=chambers/*}/events:start", false},
		{"/v1/{name=chambers/*/events/*}:end", "/v1/{name=chambers/*/events/*}:start", false},
		{"/v1/{parent=chambers/*}/events", "/v1/{name=chambers/*/events/*}", false},
	} {
		sa, va, err := parseTemplate(c.a)
		if err != nil {
			t.Fatal(err)
		}
		sb, vb, err := parseTemplate(c.b)
		if err != nil {
			t.Fatal(err)
		}
		if got := (template{sa, va}).overlaps(template{sb, vb}); got != c.want {
			t.Errorf("%s with %s: overlap %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

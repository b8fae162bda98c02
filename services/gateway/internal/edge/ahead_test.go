package edge

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestAheadAnswersAsTheMux sends each request through the mux alone and
// through Ahead in front of it: the same handler must answer, with the same
// status, Location and Pattern.
func TestAheadAnswersAsTheMux(t *testing.T) {
	named := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Served-By", name)
			w.Header().Set("X-Pattern", r.Pattern)
		})
	}
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", named("healthz"))
	mux.Handle(UploadPath, named("upload"))
	mux.Handle("/console/", named("console"))
	api := named("api")
	mux.Handle("/", api)
	ahead := Ahead(mux, api, isUpload)
	for _, c := range []struct{ method, target string }{
		{"GET", "/v1/chambers/fes-meknes/cooperatives/c1"},
		{"GET", "/v1/"},
		{"GET", "/v1/chambers/"},
		{"POST", "/v1/chambers/fes-meknes/cooperatives/c1:merge"},
		{"POST", "/v1/chambers/fes-meknes/documents:upload"},
		{"GET", "/v1/chambers/fes-meknes/documents:upload"},
		{"POST", "/v1/chambers/fes-meknes/x/documents:upload"},
		{"GET", "/v1/../healthz"},
		{"GET", "/v1/chambers/./x"},
		{"GET", "/v1//chambers"},
		{"GET", "/v1/chambers/x/.."},
		{"GET", "/v1/chambers/x/."},
		{"GET", "/v1/%2e%2e/healthz"},
		{"GET", "/v1/a%2Fb"},
		{"GET", "/healthz"},
		{"GET", "/console/x"},
		{"GET", "/v1"},
		{"GET", "/v10/x"},
	} {
		serve := func(h http.Handler) *httptest.ResponseRecorder {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(c.method, c.target, nil))
			return w
		}
		want, got := serve(mux), serve(ahead)
		for _, h := range []string{"X-Served-By", "X-Pattern", "Location"} {
			if got.Header().Get(h) != want.Header().Get(h) {
				t.Errorf("%s %s: %s %q, the mux gives %q", c.method, c.target, h, got.Header().Get(h), want.Header().Get(h))
			}
		}
		if got.Code != want.Code {
			t.Errorf("%s %s: status %d, the mux gives %d", c.method, c.target, got.Code, want.Code)
		}
	}
}

func BenchmarkAhead(b *testing.B) {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", http.NotFoundHandler())
	mux.Handle(UploadPath, http.NotFoundHandler())
	api := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	mux.Handle("/", api)
	r := httptest.NewRequest("GET", "/v1/chambers/fes-meknes/cooperatives/c1", nil)
	w := httptest.NewRecorder()
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"mux", mux}, {"ahead", Ahead(mux, api, isUpload)}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.h.ServeHTTP(w, r)
			}
		})
	}
}

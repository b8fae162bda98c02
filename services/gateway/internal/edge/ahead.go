package edge

import (
	"net/http"
	"path"
	"strings"
)

// APIPrefix is where every REST route of the services lives.
const APIPrefix = "/v1/"

// Ahead serves the calls that mux would hand to its "/" pattern's handler
// api anyway — clean paths under APIPrefix that mux routes nowhere else
// (own, for those it may) — straight to api, and everything else through mux.
// http.ServeMux matches a request against its whole pattern tree and
// allocates doing it; on the edge that was paid on every REST call, by the
// edge's root mux and again by the console's in front of it. A path mux
// would clean and redirect, and the patterns own names (the upload), still
// go through mux, so every answer is the one mux gives; api sees the same
// Pattern mux would set ("/", which the HTTP metrics report as the route).
func Ahead(mux *http.ServeMux, api http.Handler, own func(*http.Request) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if strings.HasPrefix(p, APIPrefix) && clean(p) && (own == nil || !own(r)) {
			r.Pattern = "/"
			api.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// clean reports whether p is as http.ServeMux's cleaning leaves it (it
// redirects any other path): path.Clean, with a trailing slash kept.
// path.Clean returns a clean path itself, without allocating.
func clean(p string) bool {
	c := path.Clean(p)
	return c == p || (strings.HasSuffix(p, "/") && len(c)+1 == len(p) && strings.HasPrefix(p, c))
}

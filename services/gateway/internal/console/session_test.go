package console

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/hirfa/hirfa/pkg/auth/devissuer"
	"github.com/hirfa/hirfa/pkg/testenv"
)

// TestSessionsSharedAcrossReplicas runs two consoles on one Redis, as two
// gateway replicas behind a load balancer: a sign-in on one opens pages
// and form posts on the other, and a sign-out on the other ends it on both.
func TestSessionsSharedAcrossReplicas(t *testing.T) {
	opts, err := redis.ParseURL(testenv.Redis(t))
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	t.Cleanup(func() { _ = rdb.Close() })
	prefix := testenv.RedisPrefix(t) + "console:"
	iss, err := devissuer.Load(filepath.Join(t.TempDir(), "dev.pem"))
	if err != nil {
		t.Fatal(err)
	}
	replica := func() *Console {
		c, err := New(Options{API: HandlerTransport{Handler: http.NotFoundHandler()}, APIBase: "http://edge",
			DemoIssuer: iss, SessionRedis: rdb, SessionPrefix: prefix})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	one, two := replica(), replica()
	do := func(c *Console, method, path string, form url.Values, ck *http.Cookie) *httptest.ResponseRecorder {
		t.Helper()
		r := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		if form != nil {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if ck != nil {
			r.AddCookie(ck)
		}
		w := httptest.NewRecorder()
		c.ServeHTTP(w, r)
		return w
	}
	csrfOf := func(w *httptest.ResponseRecorder) string {
		t.Helper()
		m := csrfRe.FindStringSubmatch(w.Body.String())
		if m == nil {
			t.Fatalf("no CSRF token in the page (status %d)", w.Code)
		}
		return m[1]
	}

	// The anonymous session of the sign-in page is shared too: the page
	// comes from one replica, the form post lands on the other.
	page := do(one, http.MethodGet, "/console/signin", nil, nil)
	anon := page.Result().Cookies()[0]
	w := do(two, http.MethodPost, "/console/signin", url.Values{"user": {"chamber-clerk:fes-meknes"}, "csrf": {csrfOf(page)}}, anon)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/console/register" {
		t.Fatalf("sign-in on the second replica with the first one's form: %d %s", w.Code, w.Header().Get("Location"))
	}
	signed := w.Result().Cookies()[0]

	keys, err := rdb.Keys(t.Context(), prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || strings.Contains(keys[0], signed.Value) {
		t.Errorf("Redis keys %v: want the one signed-in session, keyed by a hash of its id (the anonymous one removed)", keys)
	}

	// Signed in on the second replica, the first serves the pages.
	for _, c := range []*Console{one, two} {
		if w := do(c, http.MethodGet, "/console/fairs", nil, signed); w.Code == http.StatusSeeOther {
			t.Fatalf("a signed-in page sent to %s", w.Header().Get("Location"))
		}
	}
	w = do(one, http.MethodGet, "/console/fairs", nil, signed)
	tok := csrfOf(w)
	if w := do(one, http.MethodPost, "/console/settings", url.Values{"csrf": {tok}, "lang": {"fr"}, "back": {"/console/fairs"}}, signed); w.Code != http.StatusSeeOther {
		t.Errorf("settings post with the shared session's CSRF token: %d", w.Code)
	}
	// A token one character off (never the same character: a token that
	// starts with "0" would otherwise be sent unchanged).
	wrong := "0" + tok[1:]
	if tok[0] == '0' {
		wrong = "1" + tok[1:]
	}
	if w := do(two, http.MethodPost, "/console/settings", url.Values{"csrf": {wrong}, "lang": {"fr"}}, signed); w.Code != http.StatusForbidden {
		t.Errorf("settings post with a wrong CSRF token: %d, want 403", w.Code)
	}

	// Sign-out on the first replica ends the session on both.
	if w := do(one, http.MethodPost, "/console/signout", url.Values{"csrf": {tok}}, signed); w.Code != http.StatusSeeOther {
		t.Fatalf("sign-out: %d", w.Code)
	}
	for i, c := range []*Console{one, two} {
		if w := do(c, http.MethodGet, "/console/fairs", nil, signed); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/console/signin" {
			t.Errorf("replica %d after sign-out: %d %s, want the sign-in page", i+1, w.Code, w.Header().Get("Location"))
		}
	}
}

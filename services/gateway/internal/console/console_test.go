package console

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/auth/devissuer"
)

// newTestConsole is a console whose API answers nothing: these tests
// cover what the console decides alone (sessions, CSRF, cookies, assets).
func newTestConsole(t *testing.T) *Console {
	t.Helper()
	iss, err := devissuer.Load(filepath.Join(t.TempDir(), "dev.pem"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Options{API: HandlerTransport{Handler: http.NotFoundHandler()}, APIBase: "http://edge", DemoIssuer: iss})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

func TestSignInSessionAndCSRF(t *testing.T) {
	c := newTestConsole(t)
	rec := httptest.NewRecorder()
	c.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/console/signin", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET signin: %d", rec.Code)
	}
	body := rec.Body.String()
	if !strings.Contains(body, `dir="rtl"`) || !strings.Contains(body, `lang="ar"`) {
		t.Error("sign-in page is not Arabic right to left by default")
	}
	m := csrfRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no CSRF token in the sign-in form")
	}
	ck := rec.Result().Cookies()[0]
	if !ck.HttpOnly || !ck.Secure || ck.SameSite != http.SameSiteLaxMode || ck.Name != sessionCookie {
		t.Errorf("session cookie %+v: want HttpOnly, Secure, SameSite=Lax", ck)
	}
	post := func(path string, form url.Values, cookie *http.Cookie) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if cookie != nil {
			r.AddCookie(cookie)
		}
		w := httptest.NewRecorder()
		c.ServeHTTP(w, r)
		return w
	}
	if w := post("/console/signin", url.Values{"user": {"chamber-clerk:fes-meknes"}}, ck); w.Code != http.StatusForbidden {
		t.Errorf("sign-in without CSRF token: %d, want 403", w.Code)
	}
	if w := post("/console/signin", url.Values{"user": {"chamber-clerk:fes-meknes"}, "csrf": {m[1]}}, nil); w.Code != http.StatusForbidden {
		t.Errorf("sign-in without session cookie: %d, want 403", w.Code)
	}
	if w := post("/console/signin", url.Values{"user": {"ministry:fes-meknes"}, "csrf": {m[1]}}, ck); w.Code != http.StatusBadRequest {
		t.Errorf("sign-in as an unknown demo user: %d, want 400", w.Code)
	}
	w := post("/console/signin", url.Values{"user": {"chamber-clerk:fes-meknes"}, "csrf": {m[1]}}, ck)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/console/register" {
		t.Fatalf("sign-in: %d %s", w.Code, w.Header().Get("Location"))
	}
	signed := w.Result().Cookies()[0]
	if signed.Value == ck.Value {
		t.Error("signing in kept the anonymous session id (fixation)")
	}
	if s := c.sess.get(&http.Request{Header: http.Header{"Cookie": {signed.String()}}}); s == nil || s.Role != "chamber-clerk" || s.Chamber != "fes-meknes" || s.CSRF == m[1] {
		t.Errorf("signed-in session %+v: want a clerk of fes-meknes with a new CSRF token", s)
	}
	// The old anonymous id no longer opens anything.
	if s := c.sess.get(&http.Request{Header: http.Header{"Cookie": {ck.String()}}}); s != nil {
		t.Error("the anonymous session survived sign-in")
	}
}

func TestPagesNeedSignIn(t *testing.T) {
	c := newTestConsole(t)
	for _, p := range []string{"/console/register", "/console/fairs", "/console/chambers/fes-meknes/cooperatives/x", "/console/dashboard/report"} {
		w := httptest.NewRecorder()
		c.ServeHTTP(w, httptest.NewRequest(http.MethodGet, p, nil))
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/console/signin" {
			t.Errorf("GET %s signed out: %d %s", p, w.Code, w.Header().Get("Location"))
		}
	}
}

func TestSettingsStayOnConsole(t *testing.T) {
	c := newTestConsole(t)
	rec := httptest.NewRecorder()
	c.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/console/signin", nil))
	tok := csrfRe.FindStringSubmatch(rec.Body.String())[1]
	ck := rec.Result().Cookies()[0]
	for back, want := range map[string]string{"/console/fairs": "/console/fairs", "//evil.example/x": "/console/", "https://evil.example": "/console/", "/console/\\evil": "/console/"} {
		form := url.Values{"csrf": {tok}, "lang": {"fr"}, "back": {back}}
		r := httptest.NewRequest(http.MethodPost, "/console/settings", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.AddCookie(ck)
		w := httptest.NewRecorder()
		c.ServeHTTP(w, r)
		if got := w.Header().Get("Location"); got != want {
			t.Errorf("settings back=%q: Location %q, want %q", back, got, want)
		}
		var lang *http.Cookie
		for _, k := range w.Result().Cookies() {
			if k.Name == langCookie {
				lang = k
			}
		}
		if lang == nil || lang.Value != "fr" || lang.MaxAge < 30*24*3600 {
			t.Errorf("language cookie %+v: want fr, remembered", lang)
		}
	}
}

func TestAssetsHashedAndCached(t *testing.T) {
	c := newTestConsole(t)
	u := c.assetURL["console.css"]
	if !regexp.MustCompile(`^/console/assets/console\.[0-9a-f]{12}\.css$`).MatchString(u) {
		t.Fatalf("stylesheet URL %q is not content-hashed", u)
	}
	w := httptest.NewRecorder()
	c.ServeHTTP(w, httptest.NewRequest(http.MethodGet, u, nil))
	if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/css") {
		t.Errorf("GET %s: %d %v", u, w.Code, w.Header())
	}
	w = httptest.NewRecorder()
	c.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/console/assets/console.000000000000.css", nil))
	if w.Code != http.StatusNotFound {
		t.Errorf("stale asset name: %d, want 404", w.Code)
	}
}

func TestPathSegments(t *testing.T) {
	for v, want := range map[string]string{"fes-meknes": "fes-meknes", "01JAB2C3": "01JAB2C3", "a?b": "-invalid-", "a/b": "-invalid-", "..": "-invalid-", "": "-invalid-", "x..y": "-invalid-"} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.SetPathValue("id", v)
		if got := pathSeg(r, "id"); got != want {
			t.Errorf("pathSeg(%q) = %q, want %q", v, got, want)
		}
	}
}

package console

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/proto/openapi/openapitest"
	"github.com/hirfa/hirfa/tools/load/localstack"
)

// oidcUser is a user of the test provider (tools/oidcprovider's users file).
type oidcUser struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Password string `json:"password"`
	Role     string `json:"role"`
	Chamber  string `json:"chamber,omitempty"`
}

// startProvider runs the OpenID provider built by tools/dev/oidc.sh
// (zitadel/oidc) with users, the console as a confidential client with
// redirect, and returns its issuer URL.
func startProvider(t *testing.T, users []oidcUser, secret, redirect string) string {
	t.Helper()
	root, err := localstack.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "bash", filepath.Join(root, "tools/dev/oidc.sh")).Output()
	if err != nil {
		t.Fatalf("build the OpenID provider (tools/dev/oidc.sh): %v", err)
	}
	file := filepath.Join(t.TempDir(), "users.json")
	b, _ := json.Marshal(users)
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(strings.TrimSpace(string(out)), "-users", file, "-client", "hirfa-console", "-secret", secret, "-redirect", redirect)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	issuer, ok := strings.CutPrefix(strings.TrimSpace(line), "issuer ")
	if err != nil || !ok {
		t.Fatalf("OpenID provider's first line %q: %v", line, err)
	}
	return issuer
}

var (
	formActionRe = regexp.MustCompile(`<form method="POST" action="([^"]+)"`)
	authReqRe    = regexp.MustCompile(`name="id" value="([^"]+)"`)
)

// TestOIDCSignIn signs staff in through the console with a real OpenID
// provider (zitadel/oidc): authorization code with PKCE, the provider's
// login form, the callback, a session cookie (HttpOnly, Secure over TLS,
// SameSite), the role's menus, form posts with the CSRF token that the
// edge serves because it verifies the provider's token with its JWKS, and
// sign-out. Every process of the stack verifies the provider's tokens.
func TestOIDCSignIn(t *testing.T) {
	// The console is served over TLS on a listener known before the
	// provider starts, so the provider registers its redirect URL.
	srv := httptest.NewUnstartedServer(nil)
	t.Cleanup(srv.Close)
	base := "https://" + srv.Listener.Addr().String()
	const secret = "console-secret"
	users := []oidcUser{
		{ID: "u-fes-clerk", Username: "clerk@fes-meknes", Password: "clerk-pass", Role: "chamber-clerk", Chamber: "fes-meknes"},
		{ID: "u-ministry", Username: "analyst@ministry", Password: "ministry-pass", Role: "ministry"},
	}
	issuer := startProvider(t, users, secret, base+"/console/oidc/callback")
	stack := newStack(t, "HIRFA_SEED_DEMO=false", "HIRFA_SAMPLE_NOMENCLATURE=true",
		"HIRFA_AUTH_JWKS_URL="+issuer+"keys", "HIRFA_AUTH_ISSUER="+issuer, "HIRFA_AUTH_AUDIENCE=hirfa-console")
	validator := openapitest.MustFetch(t, stack.HTTP)

	keys, err := auth.NewJWKS(issuer+"keys", &http.Client{Timeout: 10 * time.Second}, auth.JWKSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := auth.NewVerifier(auth.VerifierConfig{Issuer: issuer, Audience: "hirfa-console", Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	provider, err := NewOIDC(t.Context(), OIDCConfig{Issuer: issuer, ClientID: "hirfa-console", ClientSecret: secret,
		RedirectURL: base + "/console/oidc/callback"}, verifier)
	if err != nil {
		t.Fatal(err)
	}
	con, err := New(Options{API: validator.Transport(t, http.DefaultTransport), APIBase: stack.HTTP, OIDC: provider})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = con
	srv.StartTLS()

	for _, u := range users {
		t.Run(u.Role, func(t *testing.T) { oidcJourney(t, srv, base, u) })
	}
}

// oidcJourney is one user's visit: sign-in, pages, a form post, sign-out.
func oidcJourney(t *testing.T, srv *httptest.Server, base string, u oidcUser) {
	jar, _ := cookiejar.New(nil)
	client := srv.Client()
	client.Jar = jar
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	// send makes one request, following redirects by hand so that every
	// answer on the way (the callback's cookie above all) is seen.
	var seen []*http.Response
	send := func(method, target string, form url.Values) (*http.Response, string) {
		t.Helper()
		for hop := 0; hop < 10; hop++ {
			var body io.Reader
			if form != nil {
				body = strings.NewReader(form.Encode())
			}
			req, err := http.NewRequestWithContext(t.Context(), method, target, body)
			if err != nil {
				t.Fatal(err)
			}
			if form != nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatalf("%s %s: %v", method, target, err)
			}
			b, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			seen = append(seen, resp)
			loc := resp.Header.Get("Location")
			if resp.StatusCode < 300 || resp.StatusCode > 399 || loc == "" {
				return resp, string(b)
			}
			next, err := resp.Request.URL.Parse(loc)
			if err != nil {
				t.Fatal(err)
			}
			method, target, form = http.MethodGet, next.String(), nil
		}
		t.Fatalf("%s %s: more than 10 redirects", method, target)
		return nil, ""
	}
	csrf := func(page string) string {
		t.Helper()
		m := csrfRe.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no CSRF token in the page: %.300s", page)
		}
		return m[1]
	}

	// The sign-in page offers the provider; its button starts the flow.
	_, page := send(http.MethodGet, base+"/console/signin", nil)
	if !strings.Contains(page, `name="provider" value="oidc"`) {
		t.Fatal("the sign-in page does not offer the OpenID provider")
	}
	resp, page := send(http.MethodPost, base+"/console/signin", url.Values{"csrf": {csrf(page)}, "provider": {"oidc"}})
	var authorize *url.URL
	for _, r := range seen {
		if r.Request.URL.Path == "/auth" {
			authorize = r.Request.URL
		}
	}
	if authorize == nil {
		t.Fatal("the sign-in did not reach the provider's authorization endpoint")
	}
	if q := authorize.Query(); q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("response_type") != "code" {
		t.Errorf("authorization request %s: want code flow with an S256 PKCE challenge and a nonce", authorize)
	}
	action, id := formActionRe.FindStringSubmatch(page), authReqRe.FindStringSubmatch(page)
	if resp.StatusCode != http.StatusOK || action == nil || id == nil {
		t.Fatalf("provider's login page: %d %.300s", resp.StatusCode, page)
	}
	login, _ := resp.Request.URL.Parse(action[1])

	// A wrong password stays at the provider.
	if resp, _ := send(http.MethodPost, login.String(), url.Values{"id": {id[1]}, "username": {u.Username}, "password": {"wrong"}}); resp.Request.URL.Host == srv.Listener.Addr().String() {
		t.Fatal("a wrong password reached the console")
	}
	seen = nil
	resp, page = send(http.MethodPost, login.String(), url.Values{"id": {id[1]}, "username": {u.Username}, "password": {u.Password}})
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/console/register" {
		t.Fatalf("after the provider's login: %d at %s: %.300s", resp.StatusCode, resp.Request.URL, page)
	}
	var session *http.Cookie
	for _, r := range seen {
		if r.Request.URL.Path == "/console/oidc/callback" {
			for _, c := range r.Cookies() {
				if c.Name == sessionCookie {
					session = c
				}
			}
		}
	}
	if session == nil || !session.HttpOnly || !session.Secure || session.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie set by the callback %+v: want HttpOnly, Secure (TLS), SameSite=Lax", session)
	}

	// The register page is an API answer: the edge verified the
	// provider's token. The role decides the menus.
	who := "role." + u.Role
	if !strings.Contains(page, locale{Lang: langAR}.T(who)) {
		t.Errorf("register page does not name the role %s", u.Role)
	}
	imports, duplicates := strings.Contains(page, `href="/console/imports"`), strings.Contains(page, `href="/console/duplicates"`)
	if clerk := u.Role == "chamber-clerk"; imports != clerk || duplicates == clerk {
		t.Errorf("%s menus: imports link %v, duplicates link %v", u.Role, imports, duplicates)
	}
	if strings.Contains(page, `class="demo"`) {
		t.Error("a provider sign-in is marked as a demo")
	}
	tok := csrf(page)

	// A form post without the CSRF token is refused; with it, it goes
	// through the edge (the settings form for every role; the clerk also
	// creates a cooperative, first with the API's field error in Arabic).
	if resp, _ := send(http.MethodPost, base+"/console/settings", url.Values{"lang": {"fr"}, "back": {"/console/register"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("settings post without CSRF token: %d, want 403", resp.StatusCode)
	}
	if resp, page := send(http.MethodPost, base+"/console/settings", url.Values{"csrf": {tok}, "lang": {"fr"}, "back": {"/console/register"}}); resp.StatusCode != http.StatusOK || !strings.Contains(page, `lang="fr"`) {
		t.Errorf("settings post with CSRF token: %d, French page %v", resp.StatusCode, strings.Contains(page, `lang="fr"`))
	}
	if u.Role == "chamber-clerk" {
		form := url.Values{"csrf": {tok}, "name_ar": {"تعاونية الزليج"}, "name_fr": {"Coopérative du zellige"}, "activity": {"F1.B02.A01"},
			"province": {"fes"}, "capital": {"500"}, "share_value": {"100"}, "members_women": {"5"}, "members_men": {"3"}}
		resp, page := send(http.MethodPost, base+"/console/register/cooperatives/new", form)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="capital-msg"`) {
			t.Fatalf("cooperative with a capital below the minimum: %d, field error beside capital %v", resp.StatusCode, strings.Contains(page, `id="capital-msg"`))
		}
		form.Set("capital", "5000")
		resp, page = send(http.MethodPost, base+"/console/register/cooperatives/new", form)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Request.URL.Path, "/console/chambers/fes-meknes/cooperatives/") || !strings.Contains(page, "Coopérative du zellige") {
			t.Fatalf("cooperative created through the edge: %d at %s", resp.StatusCode, resp.Request.URL)
		}
	}

	// Sign-out ends the session: the next page asks to sign in again.
	if resp, _ := send(http.MethodPost, base+"/console/signout", url.Values{"csrf": {tok}}); resp.Request.URL.Path != "/console/signin" {
		t.Errorf("sign-out ended at %s", resp.Request.URL)
	}
	jar.SetCookies(&url.URL{Scheme: "https", Host: srv.Listener.Addr().String(), Path: "/console"}, []*http.Cookie{session})
	if resp, _ := send(http.MethodGet, base+"/console/register", nil); resp.Request.URL.Path != "/console/signin" {
		t.Errorf("the signed-out session still opens %s", resp.Request.URL)
	}
}

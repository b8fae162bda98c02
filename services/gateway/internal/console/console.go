// Package console is the staff console served by the edge at /console:
// server-rendered pages in Arabic (right to left) or French for chamber
// clerks, admins and the ministry. It is a client of the public REST API
// and nothing else: every page is built from API answers fetched with the
// signed-in user's own bearer token, so the console can never show or do
// what the API refuses that user.
//
// Why server-rendered HTML forms rather than a TypeScript front end: the
// pages work with no script at all (keyboard and screen readers get plain
// links, forms and tables), the build is the Go build (templates, styles
// and the one small script are embedded and served under content-hashed
// names), nothing is fetched from a CDN, and the contract is exercised by
// the same Go OpenAPI validator as every other REST test.
package console

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
	"github.com/hirfa/hirfa/pkg/territory"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// Options configure the console.
type Options struct {
	// API reaches the REST edge: HandlerTransport{edge handler} in the
	// gateway, an HTTP transport (validated against the OpenAPI document)
	// in tests.
	API http.RoundTripper
	// APIBase is the edge's base URL for API (any host for HandlerTransport).
	APIBase string
	// DemoIssuer, when set (the embedded default's dev issuer), offers the
	// demo users on the sign-in page. Nil in production.
	DemoIssuer *devissuer.Issuer
	// OIDC, when set, signs users in with the configured provider.
	OIDC *OIDC
	// InsecureCookies leaves the Secure flag off the cookies; only for
	// plain-HTTP loopback tests with clients that refuse Secure there.
	InsecureCookies bool
	// SessionRedis, when set, keeps sessions in Redis under SessionPrefix
	// (default "hirfa:console:session:") so that replicas share them; nil
	// keeps them in this process.
	SessionRedis  redis.UniversalClient
	SessionPrefix string
	Logger        *slog.Logger
}

// Console is the /console handler.
type Console struct {
	o        Options
	api      *client
	sess     *sessions
	pages    map[string]*template.Template
	assets   map[string]asset // by hashed name
	assetURL map[string]string
	chambers []territory.Chamber
	terr     *territory.Territory
	log      *slog.Logger
	mux      *http.ServeMux
}

// New builds the console.
func New(o Options) (*Console, error) {
	if o.API == nil || o.APIBase == "" {
		return nil, errors.New("console: API and APIBase are required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	terr, err := territory.Load()
	if err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}
	c := &Console{
		o: o, api: &client{base: strings.TrimRight(o.APIBase, "/"), rt: o.API},
		sess: &sessions{store: newMemoryStore(), now: time.Now, log: o.Logger},
		terr: terr, log: o.Logger,
	}
	if o.SessionRedis != nil {
		if o.SessionPrefix == "" {
			o.SessionPrefix = "hirfa:console:session:"
		}
		c.sess.store = redisStore{rdb: o.SessionRedis, prefix: o.SessionPrefix}
	}
	for _, ch := range terr.Chambers {
		if ch.RegionID != "" {
			c.chambers = append(c.chambers, ch)
		}
	}
	if err := c.loadAssets(); err != nil {
		return nil, err
	}
	if err := c.parse(); err != nil {
		return nil, err
	}
	c.routes()
	return c, nil
}

func (c *Console) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /console/{$}", c.home)
	m.HandleFunc("GET /console/assets/{file}", c.asset)
	m.HandleFunc("GET /console/signin", c.signinPage)
	m.HandleFunc("POST /console/signin", c.signin)
	m.HandleFunc("GET /console/oidc/callback", c.oidcCallback)
	m.HandleFunc("POST /console/signout", c.signout)
	m.HandleFunc("POST /console/settings", c.settings)
	c.registerRoutes(m)
	c.workRoutes(m)
	c.nameRoutes(m)
	c.mergeRoutes(m)
	c.createRoutes(m)
	m.HandleFunc("GET /console/fairs", c.auth(c.fairList))
	m.HandleFunc("GET /console/chambers/{chamber}/events/{id}", c.auth(c.fairPage))
	m.HandleFunc("POST /console/chambers/{chamber}/events/{id}/{op}", c.auth(c.eventPost))
	m.HandleFunc("GET /console/assemblies", c.auth(c.assemblyList))
	m.HandleFunc("GET /console/chambers/{chamber}/assemblies/{id}", c.auth(c.assemblyPage))
	m.HandleFunc("GET /console/chambers/{chamber}/assemblies/{id}/items/{item}", c.auth(c.itemPage))
	m.HandleFunc("POST /console/chambers/{chamber}/assemblies/{id}/items/{item}/votes", c.auth(c.itemVote))
	m.HandleFunc("GET /console/chambers/{chamber}/assemblies/{id}/minutes", c.auth(c.assemblyMinutes))
	m.HandleFunc("GET /console/dashboard", c.auth(c.dashboard))
	m.HandleFunc("GET /console/dashboard/report", c.auth(c.report))
	m.HandleFunc("GET /console/craft-bodies", c.auth(c.craftBodies))
	m.HandleFunc("GET /console/chambers/{chamber}/craftBodies/{id}", c.auth(c.craftBodyPage))
	c.mux = m
}

// ServeHTTP serves /console/… with the console's own security headers (a
// CSP allowing only its own styles and script).
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	if r.URL.Path == "/console" {
		http.Redirect(w, r, "/console/", http.StatusFound)
		return
	}
	c.mux.ServeHTTP(w, r)
}

// view is what every page template receives.
type view struct {
	Loc     locale
	S       *session
	Title   string
	Path    string // current path and query, for the settings form's return
	Nav     string // active menu entry
	Flash   string
	Err     string // the API's message, in the user's language
	Demo    bool
	Assets  map[string]string
	Data    any
	Fields  map[string]string // field errors beside inputs
	Form    url.Values
	Status  int
	Chamber string
}

func (c *Console) locale(r *http.Request) locale {
	l := locale{Lang: langAR}
	if ck, err := r.Cookie(langCookie); err == nil && ck.Value == langFR {
		l.Lang = langFR
	}
	if ck, err := r.Cookie(digitsCookie); err == nil && ck.Value == "eastern" {
		l.Eastern = true
	}
	return l
}

// ensure returns the visitor's session, creating an anonymous one (holding
// the CSRF token of the sign-in and settings forms) on first visit.
func (c *Console) ensure(w http.ResponseWriter, r *http.Request) *session {
	if s := c.sess.get(r); s != nil {
		return s
	}
	s := &session{CSRF: newID(32), Expires: c.sess.now().Add(anonymousTTL)}
	if err := c.sess.put(w, r, s, !c.o.InsecureCookies); err != nil {
		// The page still renders; its form posts fail the CSRF check.
		c.log.Error("console session save", slog.String("error", err.Error()))
	}
	return s
}

// auth wraps pages that need a signed-in user.
func (c *Console) auth(h func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := c.sess.get(r)
		if !s.SignedIn() {
			http.Redirect(w, r, "/console/signin", http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost && !validCSRF(s, r) {
			c.fail(w, r, s, http.StatusForbidden, c.locale(r).T("csrf"))
			return
		}
		h(w, r, s)
	}
}

func (c *Console) render(w http.ResponseWriter, r *http.Request, page string, v view) {
	v.Loc = c.locale(r)
	v.Path = r.URL.RequestURI()
	v.Assets = c.assetURL
	v.Demo = c.o.DemoIssuer != nil
	if v.Title == "" {
		v.Title = v.Loc.T("title." + page)
	}
	if v.S == nil {
		v.S = c.sess.get(r)
	}
	t := c.pages[page]
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if v.Status != 0 {
		w.WriteHeader(v.Status)
	}
	if err := t.ExecuteTemplate(w, "layout", v); err != nil {
		c.log.Error("console render", slog.String("page", page), slog.String("error", err.Error()))
	}
}

// fail renders the error page: the API's own message (already in the
// user's language) and the status it answered.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, s *session, status int, msg string) {
	c.render(w, r, "error", view{S: s, Status: status, Err: msg})
}

// failAPI renders an API error; not-found (including another chamber's
// record) keeps its 404.
func (c *Console) failAPI(w http.ResponseWriter, r *http.Request, s *session, err error) {
	var ae *apiError
	if errors.As(err, &ae) {
		if ae.HTTPStatus == http.StatusUnauthorized {
			c.sess.drop(w, r, s, !c.o.InsecureCookies)
			http.Redirect(w, r, "/console/signin", http.StatusSeeOther)
			return
		}
		c.fail(w, r, s, ae.HTTPStatus, ae.text(c.locale(r)))
		return
	}
	c.log.Error("console api call", slog.String("path", r.URL.Path), slog.String("error", err.Error()))
	c.fail(w, r, s, http.StatusBadGateway, c.locale(r).T("unavailable"))
}

// screenError puts a failed API call on a screen that shows it in its own
// error panel, keeping the screen's tabs, filters and form: the API
// unreachable is a localized "unavailable" (502). It reports false when
// the whole page was answered instead (a session the API no longer
// accepts goes back to sign-in).
func (c *Console) screenError(w http.ResponseWriter, r *http.Request, s *session, err error, v *view) bool {
	var ae *apiError
	switch {
	case !errors.As(err, &ae):
		c.log.Error("console api call", slog.String("path", r.URL.Path), slog.String("error", err.Error()))
		v.Err, v.Status = c.locale(r).T("unavailable"), http.StatusBadGateway
	case ae.HTTPStatus == http.StatusUnauthorized:
		c.failAPI(w, r, s, err)
		return false
	default:
		v.Err, v.Status, v.Fields = ae.text(c.locale(r)), ae.HTTPStatus, ae.Fields()
	}
	return true
}

func (c *Console) home(w http.ResponseWriter, r *http.Request) {
	if c.sess.get(r).SignedIn() {
		http.Redirect(w, r, "/console/register", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/console/signin", http.StatusSeeOther)
}

// demoUser is one account of the dev issuer offered on the sign-in page.
type demoUser struct {
	Key     string // form value: role:chamber
	ID      string // element id: u-role-chamber
	Role    string
	Chamber territory.Chamber
}

func (c *Console) demoUsers() []demoUser {
	us := []demoUser{{Key: "ministry:", ID: "u-ministry", Role: "ministry"}, {Key: "federation:", ID: "u-federation", Role: "federation"},
		{Key: "odco-officer:", ID: "u-odco-officer", Role: "odco-officer"}}
	for _, ch := range c.chambers {
		us = append(us, demoUser{Key: "chamber-clerk:" + ch.ID, ID: "u-chamber-clerk-" + ch.ID, Role: "chamber-clerk", Chamber: ch},
			demoUser{Key: "chamber-admin:" + ch.ID, ID: "u-chamber-admin-" + ch.ID, Role: "chamber-admin", Chamber: ch})
	}
	return us
}

func (c *Console) signinPage(w http.ResponseWriter, r *http.Request) {
	s := c.ensure(w, r)
	c.render(w, r, "signin", view{S: s, Data: map[string]any{"Users": c.demoUsers(), "OIDC": c.o.OIDC != nil}})
}

func (c *Console) signin(w http.ResponseWriter, r *http.Request) {
	s := c.sess.get(r)
	if !validCSRF(s, r) {
		c.fail(w, r, s, http.StatusForbidden, c.locale(r).T("csrf"))
		return
	}
	if r.PostFormValue("provider") == "oidc" && c.o.OIDC != nil {
		c.oidcStart(w, r, s)
		return
	}
	if c.o.DemoIssuer == nil {
		c.fail(w, r, s, http.StatusNotFound, c.locale(r).T("signin.nodemo"))
		return
	}
	role, chamber, _ := strings.Cut(r.PostFormValue("user"), ":")
	ok := false
	for _, u := range c.demoUsers() {
		ok = ok || u.Key == role+":"+chamber
	}
	if !ok {
		c.render(w, r, "signin", view{S: s, Status: http.StatusBadRequest, Err: c.locale(r).T("signin.pick"),
			Data: map[string]any{"Users": c.demoUsers(), "OIDC": c.o.OIDC != nil}})
		return
	}
	subject := role + "@hirfa.demo"
	if chamber != "" {
		subject = role + "@" + chamber + ".demo"
	}
	ttl := 8 * time.Hour
	tok, err := c.o.DemoIssuer.Issue(devissuer.Claims{Subject: subject, Role: auth.Role(role), Chamber: chamber, TTL: ttl})
	if err != nil {
		c.fail(w, r, s, http.StatusInternalServerError, err.Error())
		return
	}
	ns := &session{ID: s.ID, CSRF: newID(32), Token: tok, Subject: subject, Role: role, Chamber: chamber, Demo: true,
		Expires: c.sess.now().Add(ttl)}
	c.signedIn(w, r, ns)
}

// signedIn stores the new session under a fresh id and opens the user's
// first screen.
func (c *Console) signedIn(w http.ResponseWriter, r *http.Request, ns *session) {
	if err := c.sess.put(w, r, ns, !c.o.InsecureCookies); err != nil {
		c.log.Error("console session save", slog.String("error", err.Error()))
		c.fail(w, r, nil, http.StatusServiceUnavailable, c.locale(r).T("unavailable"))
		return
	}
	home := "/console/register"
	if ns.Role == string(auth.RoleODCOOfficer) {
		home = "/console/nameRequests" // the officer's work is the name queue
	}
	http.Redirect(w, r, home, http.StatusSeeOther)
}

func (c *Console) signout(w http.ResponseWriter, r *http.Request) {
	s := c.sess.get(r)
	if !validCSRF(s, r) {
		c.fail(w, r, s, http.StatusForbidden, c.locale(r).T("csrf"))
		return
	}
	c.sess.drop(w, r, s, !c.o.InsecureCookies)
	http.Redirect(w, r, "/console/signin", http.StatusSeeOther)
}

// settings stores the language and digit choice in long-lived cookies
// (remembered across sign-ins) and returns to the page it came from.
func (c *Console) settings(w http.ResponseWriter, r *http.Request) {
	s := c.sess.get(r)
	if !validCSRF(s, r) {
		c.fail(w, r, s, http.StatusForbidden, c.locale(r).T("csrf"))
		return
	}
	year := 365 * 24 * 3600
	if l := r.PostFormValue("lang"); l == langAR || l == langFR {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/console", MaxAge: year, HttpOnly: true, Secure: !c.o.InsecureCookies, SameSite: http.SameSiteLaxMode})
	}
	if d := r.PostFormValue("digits"); d == "eastern" || d == "western" {
		http.SetCookie(w, &http.Cookie{Name: digitsCookie, Value: d, Path: "/console", MaxAge: year, HttpOnly: true, Secure: !c.o.InsecureCookies, SameSite: http.SameSiteLaxMode})
	}
	back := r.PostFormValue("back")
	if !strings.HasPrefix(back, "/console/") || strings.HasPrefix(back, "//") || strings.Contains(back, "\\") {
		back = "/console/"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

func (c *Console) parse() error {
	c.pages = map[string]*template.Template{}
	funcs := template.FuncMap{
		"province": func(l locale, id any) string {
			s, _ := id.(string)
			for _, p := range c.terr.Provinces {
				if p.ID == s {
					if l.Lang == langFR {
						return p.Name.FR
					}
					return p.Name.AR
				}
			}
			return s
		},
		"chamberName": func(l locale, ch territory.Chamber) string {
			if l.Lang == langFR {
				return ch.Name.FR
			}
			return ch.Name.AR
		},
		"chamberTitle": func(l locale, id string) string {
			if ch, ok := c.terr.Chamber(id); ok {
				if l.Lang == langFR {
					return ch.Name.FR
				}
				return ch.Name.AR
			}
			return id
		},
		"lastSeg": func(v any) string {
			s, _ := v.(string)
			return s[strings.LastIndex(s, "/")+1:]
		},
		"seg": func(v any, i int) string {
			s, _ := v.(string)
			p := strings.Split(s, "/")
			if i < len(p) {
				return p[i]
			}
			return ""
		},
		"str":    str,
		"show":   c.show,
		"lookup": func(rec map[string]any, path string) any { return lookup(rec, path) },
		"list":   func(vs ...string) []string { return vs },
		"count":  func(v any) int { l, _ := v.([]any); return len(l) },
		"add":    func(a, b int) int { return a + b },
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				k, _ := kv[i].(string)
				m[k] = kv[i+1]
			}
			return m
		},
	}
	pages, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	for _, p := range pages {
		name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/"), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", p)
		if err != nil {
			return fmt.Errorf("console: template %s: %w", name, err)
		}
		c.pages[name] = t
	}
	return nil
}

// ctx bounds one page's API calls.
func pageCtx(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), 20*time.Second)
}

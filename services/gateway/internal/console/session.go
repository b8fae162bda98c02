package console

import (
	"crypto/subtle"
	"net/http"
	"sync"
	"time"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/tenancy"
)

const (
	sessionCookie = "hirfa_console"
	langCookie    = "hirfa_lang"
	digitsCookie  = "hirfa_digits"
	// anonymousTTL bounds a visitor's session before sign-in.
	anonymousTTL = time.Hour
	// maxSessions bounds the store so anonymous visits cannot fill memory.
	maxSessions = 10000
)

// session is kept on the server; the browser holds only its random id in
// an HttpOnly, Secure, SameSite cookie. The bearer token never reaches the
// browser.
type session struct {
	ID      string
	CSRF    string
	Token   string
	Subject string
	Role    string
	Chamber string // empty for national roles
	Demo    bool   // signed in through the local dev issuer
	Expires time.Time
	// The OIDC sign-in in progress (anonymous session only).
	OIDCState, OIDCNonce, OIDCVerifier string
}

// SignedIn reports a session carrying a token.
func (s *session) SignedIn() bool { return s != nil && s.Token != "" }

// National reports a national role (reads chambers/-).
func (s *session) National() bool { return s.Role == "ministry" || s.Role == "federation" }

// CanWrite reports roles that change chamber records.
func (s *session) CanWrite() bool { return s.Role == "chamber-clerk" || s.Role == "chamber-admin" }

// CanAudit reports roles that read audit trails.
func (s *session) CanAudit() bool { return s.Role != "chamber-clerk" && s.Role != "" }

// CanMediate reports roles the desk lets read mediation cases.
func (s *session) CanMediate() bool { return tenancy.Permits(tenancy.Mediation, auth.Role(s.Role)) }

// Scope is the chamber segment of list URLs: the user's chamber, or "-"
// (every chamber) for national roles.
func (s *session) Scope() string {
	if s.Chamber == "" {
		return "-"
	}
	return s.Chamber
}

type sessions struct {
	mu  sync.Mutex
	m   map[string]*session
	now func() time.Time
}

func (st *sessions) get(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	s := st.m[c.Value]
	if s != nil && st.now().After(s.Expires) {
		delete(st.m, c.Value)
		return nil
	}
	return s
}

// put stores s under a fresh id (so signing in rotates the id) and sets
// the cookie.
func (st *sessions) put(w http.ResponseWriter, s *session, secure bool) {
	st.mu.Lock()
	if s.ID != "" {
		delete(st.m, s.ID)
	}
	if len(st.m) >= maxSessions {
		now := st.now()
		for id, o := range st.m {
			if now.After(o.Expires) || !o.SignedIn() {
				delete(st.m, id)
			}
		}
	}
	s.ID = newID(32)
	st.m[s.ID] = s
	st.mu.Unlock()
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: s.ID, Path: "/console", Expires: s.Expires,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	})
}

func (st *sessions) drop(w http.ResponseWriter, s *session, secure bool) {
	st.mu.Lock()
	delete(st.m, s.ID)
	st.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/console", MaxAge: -1, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// validCSRF checks the form's token against the session's (constant time).
func validCSRF(s *session, r *http.Request) bool {
	if s == nil {
		return false
	}
	got := r.PostFormValue("csrf")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.CSRF)) == 1
}

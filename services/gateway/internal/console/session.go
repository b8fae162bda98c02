package console

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

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
	ID      string `json:"-"` // the cookie value; a Redis key holds only its hash
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

// sessions keeps the server side of the session cookie in a sessionStore:
// process memory in the embedded default, Redis when the gateway has
// HIRFA_REDIS_URL, so every replica behind a load balancer sees the same
// sign-ins and a sign-out on one ends the session on all.
type sessions struct {
	store sessionStore
	now   func() time.Time
	log   *slog.Logger
}

// sessionStore holds sessions by id until they expire. load answers nil
// (no error) for an unknown or expired id.
type sessionStore interface {
	load(ctx context.Context, id string, now time.Time) (*session, error)
	save(ctx context.Context, s *session, now time.Time) error
	remove(ctx context.Context, id string) error
}

func (st *sessions) get(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	s, err := st.store.load(r.Context(), c.Value, st.now())
	if err != nil {
		// A store that cannot answer signs nobody in (fails closed).
		st.log.Error("console session load", slog.String("error", err.Error()))
		return nil
	}
	return s
}

// put stores s under a fresh id (so signing in rotates the id, and the
// previous id stops opening anything) and sets the cookie.
func (st *sessions) put(w http.ResponseWriter, r *http.Request, s *session, secure bool) error {
	if s.ID != "" {
		if err := st.store.remove(r.Context(), s.ID); err != nil {
			return err
		}
	}
	s.ID = newID(32)
	if err := st.store.save(r.Context(), s, st.now()); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: s.ID, Path: "/console", Expires: s.Expires,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	})
	return nil
}

// update stores a change to s under its current id.
func (st *sessions) update(r *http.Request, s *session) error {
	return st.store.save(r.Context(), s, st.now())
}

func (st *sessions) drop(w http.ResponseWriter, r *http.Request, s *session, secure bool) {
	if s != nil {
		if err := st.store.remove(r.Context(), s.ID); err != nil {
			st.log.Error("console session remove", slog.String("error", err.Error()))
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/console", MaxAge: -1, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// memoryStore is the embedded default's store: one process, bounded.
type memoryStore struct {
	mu sync.Mutex
	m  map[string]session
}

func newMemoryStore() *memoryStore { return &memoryStore{m: map[string]session{}} }

func (m *memoryStore) load(_ context.Context, id string, now time.Time) (*session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.m[id]
	if !ok {
		return nil, nil
	}
	if now.After(s.Expires) {
		delete(m.m, id)
		return nil, nil
	}
	return &s, nil
}

func (m *memoryStore) save(_ context.Context, s *session, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.m[s.ID]; !ok && len(m.m) >= maxSessions {
		for id, o := range m.m {
			if now.After(o.Expires) || !o.SignedIn() {
				delete(m.m, id)
			}
		}
	}
	m.m[s.ID] = *s
	return nil
}

func (m *memoryStore) remove(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, id)
	return nil
}

// redisStore keeps each session as JSON under prefix + SHA-256(id), with
// Redis expiring it with the session. The key is a hash so that reading
// the keyspace does not hand out cookie values.
type redisStore struct {
	rdb    redis.UniversalClient
	prefix string
}

func (rs redisStore) key(id string) string {
	h := sha256.Sum256([]byte(id))
	return rs.prefix + hex.EncodeToString(h[:])
}

func (rs redisStore) load(ctx context.Context, id string, now time.Time) (*session, error) {
	b, err := rs.rdb.Get(ctx, rs.key(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var s session
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("console session %s: %w", rs.key(id), err)
	}
	if now.After(s.Expires) {
		return nil, nil
	}
	s.ID = id
	return &s, nil
}

func (rs redisStore) save(ctx context.Context, s *session, now time.Time) error {
	ttl := s.Expires.Sub(now)
	if ttl <= 0 {
		return rs.remove(ctx, s.ID)
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return rs.rdb.Set(ctx, rs.key(s.ID), b, ttl).Err()
}

func (rs redisStore) remove(ctx context.Context, id string) error {
	return rs.rdb.Del(ctx, rs.key(id)).Err()
}

// validCSRF checks the form's token against the session's (constant time).
func validCSRF(s *session, r *http.Request) bool {
	if s == nil {
		return false
	}
	got := r.PostFormValue("csrf")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.CSRF)) == 1
}

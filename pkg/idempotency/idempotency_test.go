package idempotency

import (
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"github.com/hirfa/hirfa/pkg/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func newRedis(t testing.TB) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(testenv.Redis(t))
	if err != nil {
		t.Fatalf("parse redis url: %v", err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

var (
	created = StoredResponse{
		Status: http.StatusCreated,
		Header: http.Header{"Content-Type": {"application/json"}, "Set-Cookie": {"a=1", "b=2"}},
		// Not valid UTF-8, and with a NUL: bodies must survive byte for byte.
		Body: []byte("{\"id\":\"A1\"}\x00\xff"),
	}
	conflict   = StoredResponse{Status: http.StatusConflict, Body: []byte(`{"code":10}`)}
	noContent  = StoredResponse{Status: http.StatusNoContent}
	longestKey = strings.Repeat("k", MaxKeyLen)
)

// step is one call in a scenario; op is "begin", "complete" or "abort".
type step struct {
	op             string
	scope, key, fp string
	resp           StoredResponse
	want           Outcome
	wantErr        error
}

func begin(scope, key, fp string, want Outcome) step {
	return step{op: "begin", scope: scope, key: key, fp: fp, want: want}
}

func complete(scope, key, fp string, resp StoredResponse, wantErr error) step {
	return step{op: "complete", scope: scope, key: key, fp: fp, resp: resp, wantErr: wantErr}
}

func abort(scope, key string) step { return step{op: "abort", scope: scope, key: key} }

func TestOutcomes(t *testing.T) {
	rdb := newRedis(t)
	tests := []struct {
		name  string
		steps []step
	}{
		{"fresh key proceeds, a second request waits", []step{
			begin("p1", "k", "f1", Proceed{}),
			begin("p1", "k", "f1", InProgress{}),
		}},
		{"another request while locked is a mismatch", []step{
			begin("p1", "k", "f1", Proceed{}),
			begin("p1", "k", "f2", Mismatch{}),
		}},
		{"completed response replays, every time", []step{
			begin("p1", "k", "f1", Proceed{}),
			complete("p1", "k", "f1", created, nil),
			begin("p1", "k", "f1", Replay(created)),
			begin("p1", "k", "f1", Replay(created)),
		}},
		{"completed key reused for another request", []step{
			begin("p1", "k", "f1", Proceed{}),
			complete("p1", "k", "f1", created, nil),
			begin("p1", "k", "f2", Mismatch{}),
		}},
		{"empty response replays empty", []step{
			begin("p1", "k", "f1", Proceed{}),
			complete("p1", "k", "f1", noContent, nil),
			begin("p1", "k", "f1", Replay(noContent)),
		}},
		{"abort lets the retry run afresh", []step{
			begin("p1", "k", "f1", Proceed{}),
			abort("p1", "k"),
			begin("p1", "k", "f1", Proceed{}),
		}},
		{"abort after complete keeps the response", []step{
			begin("p1", "k", "f1", Proceed{}),
			complete("p1", "k", "f1", created, nil),
			abort("p1", "k"),
			begin("p1", "k", "f1", Replay(created)),
		}},
		{"abort of an unknown key is harmless", []step{
			abort("p1", "k"),
			begin("p1", "k", "f1", Proceed{}),
		}},
		{"a key never replays for another principal", []step{
			begin("p1", "k", "f1", Proceed{}),
			complete("p1", "k", "f1", created, nil),
			begin("p2", "k", "f1", Proceed{}),
			begin("p1", "k", "f1", Replay(created)),
		}},
		{"scope and key cannot run into each other", []step{
			begin("a:b", "c", "f1", Proceed{}),
			complete("a:b", "c", "f1", created, nil),
			begin("a", "b:c", "f1", Proceed{}),
		}},
		{"complete with another fingerprint stores nothing", []step{
			begin("p1", "k", "f1", Proceed{}),
			complete("p1", "k", "f2", created, ErrMismatch),
			begin("p1", "k", "f1", InProgress{}),
		}},
		{"first completion wins", []step{
			begin("p1", "k", "f1", Proceed{}),
			complete("p1", "k", "f1", created, nil),
			complete("p1", "k", "f1", conflict, nil),
			begin("p1", "k", "f1", Replay(created)),
		}},
		{"complete after the lock expired still stores", []step{
			complete("p1", "k", "f1", conflict, nil),
			begin("p1", "k", "f1", Replay(conflict)),
		}},
		{"longest key", []step{
			begin("p1", longestKey, "f1", Proceed{}),
		}},
		{"invalid keys", []step{
			{op: "begin", scope: "p1", key: "", fp: "f1", wantErr: ErrInvalidKey},
			{op: "begin", scope: "p1", key: longestKey + "k", fp: "f1", wantErr: ErrInvalidKey},
			complete("p1", "", "f1", created, ErrInvalidKey),
			{op: "abort", scope: "p1", key: "", wantErr: ErrInvalidKey},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New(rdb, Options{Prefix: testenv.RedisPrefix(t)})
			for i, st := range tc.steps {
				var got Outcome
				var err error
				switch st.op {
				case "begin":
					got, err = s.Begin(t.Context(), st.scope, st.key, st.fp)
				case "complete":
					err = s.Complete(t.Context(), st.scope, st.key, st.fp, st.resp)
				case "abort":
					err = s.Abort(t.Context(), st.scope, st.key)
				default:
					t.Fatalf("unknown op %q", st.op)
				}
				if !errors.Is(err, st.wantErr) {
					t.Fatalf("step %d %s(%q, %q, %q): error %v, want %v", i+1, st.op, st.scope, st.key, st.fp, err, st.wantErr)
				}
				if diff := cmp.Diff(st.want, got); diff != "" {
					t.Fatalf("step %d %s(%q, %q, %q) (-want +got):\n%s", i+1, st.op, st.scope, st.key, st.fp, diff)
				}
			}
		})
	}
}

// eventually calls f until it reports true or the deadline passes; expiry needs real time to pass,
// and polling keeps the test as quick as Redis allows without betting on one sleep.
func eventually(t *testing.T, within time.Duration, what string, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !f() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestExpiry(t *testing.T) {
	rdb := newRedis(t)
	prefix := testenv.RedisPrefix(t)
	const ttl, lockTTL = time.Second, 100 * time.Millisecond
	s := New(rdb, Options{Prefix: prefix, TTL: ttl, LockTTL: lockTTL})
	rkey, err := s.redisKey("p1", "k")
	if err != nil {
		t.Fatal(err)
	}
	pttl := func() time.Duration {
		t.Helper()
		d, err := rdb.PTTL(t.Context(), rkey).Result()
		if err != nil {
			t.Fatalf("PTTL: %v", err)
		}
		return d
	}
	beginOK := func() Outcome {
		t.Helper()
		got, err := s.Begin(t.Context(), "p1", "k", "f1")
		if err != nil {
			t.Fatalf("Begin: %v", err)
		}
		return got
	}

	if got := beginOK(); got != (Proceed{}) {
		t.Fatalf("first Begin = %#v, want Proceed", got)
	}
	if d := pttl(); d <= 0 || d > lockTTL {
		t.Fatalf("lock PTTL = %v, want within (0, %v]", d, lockTTL)
	}
	// A holder that crashed never completes; its lock must free the key by itself.
	eventually(t, 5*time.Second, "abandoned lock expires", func() bool {
		switch got := beginOK().(type) {
		case Proceed:
			return true
		case InProgress:
			return false
		default:
			t.Fatalf("Begin while the lock expires = %#v, want InProgress or Proceed", got)
			return false
		}
	})

	if err := s.Complete(t.Context(), "p1", "k", "f1", created); err != nil {
		t.Fatalf("Complete: %v", err)
	}
	// The stored response takes the long TTL, not what was left of the lock's.
	if d := pttl(); d <= ttl/2 || d > ttl {
		t.Fatalf("response PTTL = %v, want within (%v, %v]", d, ttl/2, ttl)
	}
	eventually(t, 10*time.Second, "stored response expires", func() bool {
		switch got := beginOK().(type) {
		case Proceed:
			return true
		case Replay:
			return false
		default:
			t.Fatalf("Begin while the response expires = %#v, want Replay or Proceed", got)
			return false
		}
	})
}

func TestConcurrentBegin(t *testing.T) {
	rdb := newRedis(t)
	const goroutines = 64
	tests := []struct {
		name string
		fp   func(i int) string
	}{
		{"one request retried at once", func(int) string { return "f1" }},
		{"two requests sharing a key", func(i int) string { return []string{"f1", "f2"}[i%2] }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New(rdb, Options{Prefix: testenv.RedisPrefix(t)})
			outcomes := make([]Outcome, goroutines)
			errs := make([]error, goroutines)
			var wg sync.WaitGroup
			for i := range goroutines {
				wg.Go(func() { outcomes[i], errs[i] = s.Begin(t.Context(), "p1", "k", tc.fp(i)) })
			}
			wg.Wait()

			winner := -1
			for i, o := range outcomes {
				if errs[i] != nil {
					t.Fatalf("Begin #%d: %v", i, errs[i])
				}
				if o == (Proceed{}) {
					if winner >= 0 {
						t.Fatalf("Begin #%d and #%d both got Proceed", winner, i)
					}
					winner = i
				}
			}
			if winner < 0 {
				t.Fatal("no Begin got Proceed")
			}
			for i, o := range outcomes {
				var want Outcome = InProgress{}
				switch {
				case i == winner:
					want = Proceed{}
				case tc.fp(i) != tc.fp(winner):
					want = Mismatch{}
				}
				if o != want {
					t.Errorf("Begin #%d (fingerprint %s, winner's %s) = %#v, want %#v", i, tc.fp(i), tc.fp(winner), o, want)
				}
			}

			// Once the winner completes, every retry of its request replays the one response.
			if err := s.Complete(t.Context(), "p1", "k", tc.fp(winner), created); err != nil {
				t.Fatalf("Complete: %v", err)
			}
			for i := range goroutines {
				wg.Go(func() { outcomes[i], errs[i] = s.Begin(t.Context(), "p1", "k", tc.fp(winner)) })
			}
			wg.Wait()
			for i, o := range outcomes {
				if errs[i] != nil {
					t.Fatalf("Begin #%d after Complete: %v", i, errs[i])
				}
				if diff := cmp.Diff(Outcome(Replay(created)), o); diff != "" {
					t.Errorf("Begin #%d after Complete (-want +got):\n%s", i, diff)
				}
			}
		})
	}
}

// TestRedisDown checks that an outage surfaces as an error: unlike a rate limit, an idempotency
// check cannot be skipped safely, so the caller must decide (typically 503).
func TestRedisDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatalf("close listener: %v", err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: addr, DialTimeout: 200 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { _ = rdb.Close() })
	s := New(rdb, Options{})

	if got, err := s.Begin(t.Context(), "p1", "k", "f1"); err == nil {
		t.Errorf("Begin = %#v, nil; want an error", got)
	}
	if err := s.Complete(t.Context(), "p1", "k", "f1", created); err == nil {
		t.Error("Complete = nil; want an error")
	}
	if err := s.Abort(t.Context(), "p1", "k"); err == nil {
		t.Error("Abort = nil; want an error")
	}
}

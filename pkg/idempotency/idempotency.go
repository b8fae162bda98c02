// Package idempotency stores the responses behind the Idempotency-Key header in Redis, so that a
// client retrying a mutation gets the first response back instead of a second mutation.
//
// A request calls Begin with its scope (the principal: a key never replays across principals), the
// client's key and a fingerprint of the request (method, path, body). Begin answers with one Outcome:
//
//   - Proceed: this request holds a short lock; run it, then Complete (store the response) or Abort
//     (store nothing, e.g. after a 5xx, so the client may retry).
//   - Replay: a response was stored for the same key and fingerprint; send it back unchanged.
//   - InProgress: another request with this key holds the lock; answer 409 Conflict.
//   - Mismatch: the key was used for a different request; answer 422 Unprocessable Content.
//   - Exhausted: the scope already holds MaxKeysPerScope records; answer 429, store nothing.
//
// Every step is one Lua script, so concurrent requests with one key see exactly one Proceed.
//
// The lock expires after LockTTL so that a crashed holder cannot block a key forever; LockTTL must
// therefore exceed the longest a request may run (the gateway's request timeout).
package idempotency

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Defaults for Options.
const (
	DefaultPrefix  = "hirfa:idempotency:"
	DefaultTTL     = 24 * time.Hour
	DefaultLockTTL = 30 * time.Second
	// MaxKeyLen bounds the client's key, as the IETF Idempotency-Key draft suggests implementations do.
	MaxKeyLen = 255
	// DefaultMaxKeysPerScope bounds the records one principal may hold at once (within TTL), so one
	// caller cannot fill Redis with fresh keys.
	DefaultMaxKeysPerScope = 10000
)

// KeyRule is the rule a client's key must follow, for error messages.
const KeyRule = "1 to 255 visible ASCII characters (no spaces or control characters)"

// ValidKey reports whether key follows KeyRule.
func ValidKey(key string) bool {
	if key == "" || len(key) > MaxKeyLen {
		return false
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x21 || key[i] > 0x7e {
			return false
		}
	}
	return true
}

var (
	// ErrInvalidKey reports an empty or oversized Idempotency-Key (the caller answers 400).
	ErrInvalidKey = errors.New("idempotency: invalid key")
	// ErrMismatch reports a Complete whose fingerprint differs from the one stored for the key.
	ErrMismatch = errors.New("idempotency: key used for a different request")
)

// Outcome is Begin's answer: one of Proceed, Replay, InProgress or Mismatch.
type Outcome interface{ outcome() }

// Proceed means the caller holds the key's lock and must run the request, then Complete or Abort.
type Proceed struct{}

// Replay is a response stored earlier for the same key and fingerprint, to be sent back as is.
type Replay StoredResponse

// InProgress means another request with the same key holds the lock (answer 409 Conflict).
type InProgress struct{}

// Mismatch means the key was used earlier for a request with another fingerprint (answer 422).
type Mismatch struct{}

// Exhausted means the scope holds as many records as it may; nothing was claimed (answer 429).
type Exhausted struct{}

func (Exhausted) outcome() {}

func (Proceed) outcome()    {}
func (Replay) outcome()     {}
func (InProgress) outcome() {}
func (Mismatch) outcome()   {}

// StoredResponse is the response Complete keeps and Begin replays.
type StoredResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// Options configures a Store. The zero value is usable.
type Options struct {
	// Prefix is prepended to every key; DefaultPrefix when empty.
	Prefix string
	// TTL is how long a completed response replays; DefaultTTL when zero.
	TTL time.Duration
	// LockTTL is how long a Proceed lock lasts if never completed or aborted; DefaultLockTTL when zero.
	LockTTL time.Duration
	// MaxKeysPerScope caps the records a scope may claim within TTL; DefaultMaxKeysPerScope when zero.
	MaxKeysPerScope int
}

// Store keeps idempotency records in Redis. It is safe for concurrent use.
type Store struct {
	rdb     redis.UniversalClient
	prefix  string
	ttl     time.Duration
	lockTTL time.Duration
	maxKeys int
}

// New returns a Store that keeps its records in rdb.
func New(rdb redis.UniversalClient, opts Options) *Store {
	s := &Store{rdb: rdb, prefix: opts.Prefix, ttl: opts.TTL, lockTTL: opts.LockTTL, maxKeys: opts.MaxKeysPerScope}
	if s.maxKeys <= 0 {
		s.maxKeys = DefaultMaxKeysPerScope
	}
	if s.prefix == "" {
		s.prefix = DefaultPrefix
	}
	if s.ttl <= 0 {
		s.ttl = DefaultTTL
	}
	if s.lockTTL <= 0 {
		s.lockTTL = DefaultLockTTL
	}
	return s
}

// A record is one Redis hash: state ("locked" or "done"), fp (the fingerprint) and, once done,
// status, header (JSON) and body.

//go:embed begin.lua
var beginSource string

//go:embed complete.lua
var completeSource string

var (
	beginScript    = redis.NewScript(beginSource)
	completeScript = redis.NewScript(completeSource)
	// abortScript deletes the record only while it is a lock: an Abort arriving after the response
	// was stored (by this or another holder) must not erase what retries are meant to replay.
	// A released lock no longer counts against its scope's cap (KEYS[2]).
	abortScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'state') == 'locked' then
  if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then
    redis.call('DECR', KEYS[2])
  end
  return redis.call('DEL', KEYS[1])
end
return 0
`)
)

// Begin claims key for one request in scope, or reports why it cannot be claimed.
func (s *Store) Begin(ctx context.Context, scope, key, fingerprint string) (Outcome, error) {
	rkey, err := s.redisKey(scope, key)
	if err != nil {
		return nil, err
	}
	reply, err := beginScript.Run(ctx, s.rdb, []string{rkey, s.countKey(scope)}, fingerprint, s.lockTTL.Milliseconds(),
		s.maxKeys, s.ttl.Milliseconds()).Slice()
	if err != nil {
		return nil, fmt.Errorf("idempotency begin: %w", err)
	}
	if len(reply) == 0 {
		return nil, fmt.Errorf("idempotency begin: empty script reply")
	}
	switch reply[0] {
	case "proceed":
		return Proceed{}, nil
	case "in_progress":
		return InProgress{}, nil
	case "mismatch":
		return Mismatch{}, nil
	case "exhausted":
		return Exhausted{}, nil
	case "replay":
		resp, err := decodeReplay(reply[1:])
		if err != nil {
			return nil, fmt.Errorf("idempotency begin: stored response for %q: %w", key, err)
		}
		return resp, nil
	}
	return nil, fmt.Errorf("idempotency begin: unexpected script reply %v", reply)
}

// Complete stores resp for TTL as the answer to key's request and releases the lock.
//
// It stores even when the lock has expired meanwhile (the request did run; retries should see its
// result). When a response is already stored it keeps the first one, so every replay agrees. It
// returns ErrMismatch, storing nothing, when the key now belongs to a request with another fingerprint.
func (s *Store) Complete(ctx context.Context, scope, key, fingerprint string, resp StoredResponse) error {
	rkey, err := s.redisKey(scope, key)
	if err != nil {
		return err
	}
	header, err := json.Marshal(resp.Header)
	if err != nil {
		return fmt.Errorf("idempotency complete: encode header: %w", err)
	}
	res, err := completeScript.Run(ctx, s.rdb, []string{rkey},
		fingerprint, s.ttl.Milliseconds(), resp.Status, header, resp.Body).Int64()
	if err != nil {
		return fmt.Errorf("idempotency complete: %w", err)
	}
	if res == 0 {
		return ErrMismatch
	}
	return nil
}

// Abort releases key's lock without storing a response, so that the client's retry runs afresh. It
// leaves a stored response alone.
func (s *Store) Abort(ctx context.Context, scope, key string) error {
	rkey, err := s.redisKey(scope, key)
	if err != nil {
		return err
	}
	if err := abortScript.Run(ctx, s.rdb, []string{rkey, s.countKey(scope)}).Err(); err != nil {
		return fmt.Errorf("idempotency abort: %w", err)
	}
	return nil
}

// redisKey names the record for key in scope. The scope goes in as a hash, in braces: fixed length,
// so no two (scope, key) pairs share a name and one principal can never replay another's response,
// and a Redis Cluster hash tag, so the record and its scope's counter live in one slot (the begin
// script touches both).
func (s *Store) redisKey(scope, key string) (string, error) {
	if !ValidKey(key) {
		return "", fmt.Errorf("%w: must be %s", ErrInvalidKey, KeyRule)
	}
	return s.prefix + scopeTag(scope) + ":" + key, nil
}

// countKey counts the records scope claimed within the current TTL window.
func (s *Store) countKey(scope string) string { return s.prefix + scopeTag(scope) + "#count" }

func scopeTag(scope string) string {
	sum := sha256.Sum256([]byte(scope))
	return "{" + hex.EncodeToString(sum[:16]) + "}"
}

func decodeReplay(fields []any) (Replay, error) {
	if len(fields) != 3 {
		return Replay{}, fmt.Errorf("want 3 fields, got %d", len(fields))
	}
	status, sok := fields[0].(string)
	header, hok := fields[1].(string)
	body, bok := fields[2].(string)
	if !sok || !hok || !bok {
		return Replay{}, fmt.Errorf("fields of unexpected types %T, %T, %T", fields[0], fields[1], fields[2])
	}
	code, err := strconv.Atoi(status)
	if err != nil {
		return Replay{}, fmt.Errorf("status: %w", err)
	}
	r := Replay{Status: code}
	if body != "" {
		r.Body = []byte(body)
	}
	if err := json.Unmarshal([]byte(header), &r.Header); err != nil {
		return Replay{}, fmt.Errorf("header: %w", err)
	}
	return r, nil
}

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
//
// Every step is one Lua script, so concurrent requests with one key see exactly one Proceed.
//
// The lock expires after LockTTL so that a crashed holder cannot block a key forever; LockTTL must
// therefore exceed the longest a request may run (the gateway's request timeout).
package idempotency

import (
	"context"
	_ "embed"
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
)

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
}

// Store keeps idempotency records in Redis. It is safe for concurrent use.
type Store struct {
	rdb     redis.UniversalClient
	prefix  string
	ttl     time.Duration
	lockTTL time.Duration
}

// New returns a Store that keeps its records in rdb.
func New(rdb redis.UniversalClient, opts Options) *Store {
	s := &Store{rdb: rdb, prefix: opts.Prefix, ttl: opts.TTL, lockTTL: opts.LockTTL}
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
	abortScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'state') == 'locked' then
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
	reply, err := beginScript.Run(ctx, s.rdb, []string{rkey}, fingerprint, s.lockTTL.Milliseconds()).Slice()
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
	if err := abortScript.Run(ctx, s.rdb, []string{rkey}).Err(); err != nil {
		return fmt.Errorf("idempotency abort: %w", err)
	}
	return nil
}

// redisKey names the record for key in scope. The scope's length goes first so that no two
// (scope, key) pairs share a name: "a:b"+"c" and "a"+"b:c" must stay apart, or one principal could
// replay another's response.
func (s *Store) redisKey(scope, key string) (string, error) {
	if key == "" || len(key) > MaxKeyLen {
		return "", fmt.Errorf("%w: length %d not in 1..%d", ErrInvalidKey, len(key), MaxKeyLen)
	}
	return s.prefix + strconv.Itoa(len(scope)) + ":" + scope + ":" + key, nil
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

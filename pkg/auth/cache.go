package auth

import (
	"sync"
	"time"
)

// verifiedCache remembers tokens that verified, so a client reusing its token
// (the common case: a console session, a ministry batch) pays the signature
// check once per ttl instead of on every call — at the edge and again in each
// service. Entries expire at the token's exp or after ttl, whichever is
// first, so a key withdrawn from the JWKS stops working within ttl. Only
// successes are cached: a bad token is checked in full every time.
//
// Entries are keyed by the token itself, which each entry holds anyway
// (Principal.Raw, the same string): a SHA-256 key cost a hash of the whole
// token and a copy of it into a new byte slice on every lookup, about a
// hundredth of the REST edge's CPU per request.
type verifiedCache struct {
	mu      sync.Mutex
	entries map[string]cacheEntry
	max     int
	ttl     time.Duration
	now     func() time.Time
}

type cacheEntry struct {
	p     Principal
	until time.Time
}

const cacheEntries = 10_000

// newVerifiedCache returns nil (no caching) when ttl is not positive.
func newVerifiedCache(ttl time.Duration, now func() time.Time) *verifiedCache {
	if ttl <= 0 {
		return nil
	}
	if now == nil {
		now = time.Now
	}
	return &verifiedCache{entries: map[string]cacheEntry{}, max: cacheEntries, ttl: ttl, now: now}
}

func (c *verifiedCache) get(raw string) (Principal, bool) {
	if c == nil {
		return Principal{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[raw]
	if !ok {
		return Principal{}, false
	}
	if !c.now().Before(e.until) {
		delete(c.entries, raw)
		return Principal{}, false
	}
	return e.p, true
}

func (c *verifiedCache) put(raw string, p Principal, exp time.Time) {
	if c == nil {
		return
	}
	until := c.now().Add(c.ttl)
	if !exp.IsZero() && exp.Before(until) {
		until = exp
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		// Full: drop everything rather than track recency; refilling costs
		// one verification per active token.
		clear(c.entries)
	}
	// Verify's raw is p.Raw: the key shares the entry's bytes.
	c.entries[raw] = cacheEntry{p: p, until: until}
}

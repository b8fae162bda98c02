package auth

import (
	"strings"
	"testing"
	"time"
)

func TestVerifiedCache(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newVerifiedCache(time.Minute, func() time.Time { return now })
	p := Principal{Subject: "s", Role: RoleMinistry, Raw: "tok"}
	c.put("tok", p, now.Add(30*time.Second))
	if got, ok := c.get("tok"); !ok || got.Subject != "s" {
		t.Fatalf("get = %v, %v", got, ok)
	}
	if _, ok := c.get("other"); ok {
		t.Fatal("unknown token hit")
	}
	now = now.Add(31 * time.Second) // past the token's exp, before the TTL
	if _, ok := c.get("tok"); ok {
		t.Fatal("expired token still cached")
	}
	c.put("tok2", p, now.Add(time.Hour))
	now = now.Add(61 * time.Second) // past the TTL
	if _, ok := c.get("tok2"); ok {
		t.Fatal("entry outlived the TTL")
	}
	if newVerifiedCache(0, nil) != nil {
		t.Fatal("a zero TTL must disable the cache")
	}
	var off *verifiedCache
	off.put("x", p, time.Time{})
	if _, ok := off.get("x"); ok {
		t.Fatal("disabled cache hit")
	}
}

// TestVerifiedCacheHitAllocatesNothing: a cached token is found without
// hashing it into a new key (the SHA-256 key copied the whole token into a
// new byte slice on every request).
func TestVerifiedCacheHitAllocatesNothing(t *testing.T) {
	c := newVerifiedCache(time.Minute, nil)
	raw := strings.Repeat("t", 700) // about a signed token's length
	c.put(raw, Principal{Subject: "s", Role: RoleMinistry, Raw: raw}, time.Time{})
	if n := testing.AllocsPerRun(100, func() {
		if _, ok := c.get(raw); !ok {
			t.Fatal("cached token missed")
		}
	}); n != 0 {
		t.Errorf("%v allocations per hit, want 0", n)
	}
}

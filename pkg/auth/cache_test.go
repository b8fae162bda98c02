package auth

import (
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

package ratelimit

import (
	"net/http/httptest"
	"testing"
)

func TestClientIP(t *testing.T) {
	trusted, err := ParsePrefixes("10.0.0.0/8, 192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ remote, xff, want string }{
		{"198.51.100.1:1", "1.2.3.4", "198.51.100.1"},           // untrusted peer: header ignored
		{"10.0.0.1:1", "203.0.113.5", "203.0.113.5"},            // the ingress vouches for the client
		{"10.0.0.1:1", "1.2.3.4, 203.0.113.5", "203.0.113.5"},   // a spoofed left part is ignored
		{"10.0.0.1:1", "203.0.113.5, 192.0.2.1", "203.0.113.5"}, // two trusted hops
		{"10.0.0.1:1", "", "10.0.0.1"},                          // no header
		{"10.0.0.1:1", "garbage, 203.0.113.5", "203.0.113.5"},   // garbage left of the client
		{"10.0.0.1:1", "203.0.113.5, garbage", "10.0.0.1"},      // garbage from the proxy side
		{"[::ffff:10.0.0.1]:1", "203.0.113.9", "203.0.113.9"},   // v4-mapped peer
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := ClientIP(r, trusted); got != tt.want {
			t.Errorf("ClientIP(%s, %q) = %s, want %s", tt.remote, tt.xff, got, tt.want)
		}
	}
	if _, err := ParsePrefixes("10.0.0.0/33"); err == nil {
		t.Error("a bad CIDR was accepted")
	}
}

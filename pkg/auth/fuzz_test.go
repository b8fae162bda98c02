package auth

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// checkOutcome holds for every Verify result: failures are *Error with a
// known reason and a fixed message (never token content); successes are
// principals that satisfy the role/chamber rules and carry the token.
func checkOutcome(t *testing.T, raw string, p Principal, err error) {
	t.Helper()
	if err != nil {
		ae, ok := err.(*Error)
		if !ok {
			t.Fatalf("error %T %v is not *Error", err, err)
		}
		desc, known := reasonText[ae.Reason]
		if !known {
			t.Fatalf("unknown reason %q", ae.Reason)
		}
		if ae.Reason == ReasonKeysUnavailable {
			t.Fatalf("static keys reported unavailable: %v", err)
		}
		if err.Error() != "auth: "+desc {
			t.Fatalf("message %q is not the fixed text for %s", err.Error(), ae.Reason)
		}
		if p != (Principal{}) {
			t.Fatalf("failed Verify returned a principal %v", p)
		}
		return
	}
	if !p.Role.Known() {
		t.Fatalf("accepted unknown role %q", p.Role)
	}
	if p.National() != (p.Chamber == "") {
		t.Fatalf("role %q with chamber %q", p.Role, p.Chamber)
	}
	if !p.National() && !ValidChamberID(p.Chamber) {
		t.Fatalf("malformed chamber %q", p.Chamber)
	}
	if p.Subject == "" || !printable(p.Subject, maxSubjectLen) || !printable(p.TokenID, maxTokenIDLen) {
		t.Fatalf("unprintable subject %q or token id %q", p.Subject, p.TokenID)
	}
	if p.Raw != raw {
		t.Fatal("principal does not carry the verified token")
	}
}

// FuzzVerify feeds arbitrary strings to Verify. Seeds (testdata/fuzz/
// FuzzVerify) include valid ES256 and RS256 tokens under the test keys, so
// mutations explore the parser past the signature check's front door.
func FuzzVerify(f *testing.F) {
	ec, rs := testKeys()
	f.Add(sign(f, jwt.SigningMethodES256, ec, testECKID, validClaims()))
	f.Add(sign(f, jwt.SigningMethodRS256, rs, testRSAKID, with(validClaims(), "hirfa_role", "ministry", "hirfa_chamber", nil)))
	f.Add("e30.e30.")
	v := newTestVerifier(f, testKeySource())
	f.Fuzz(func(t *testing.T, raw string) {
		p, err := v.Verify(context.Background(), raw)
		checkOutcome(t, raw, p, err)
	})
}

// FuzzClaims signs arbitrary claim payloads with the test key and checks
// that what Verify accepts is exactly what the payload says, read by exact
// claim name: no claim comes from a differently-cased key, a wrong type, or
// a value the rules forbid.
func FuzzClaims(f *testing.F) {
	ec, _ := testKeys()
	for _, c := range []jwt.MapClaims{
		validClaims(),
		with(validClaims(), "hirfa_role", "ministry", "hirfa_chamber", nil),
		with(validClaims(), "aud", []string{"x", testAudience}),
	} {
		b, err := json.Marshal(c)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	v := newTestVerifier(f, testKeySource())
	f.Fuzz(func(t *testing.T, payload []byte) {
		raw := rawTokenJSON(t, ec, string(payload))
		p, err := v.Verify(context.Background(), raw)
		if len(raw) > maxTokenLen {
			if Reason(err) != ReasonMalformed {
				t.Fatalf("oversized token: %v", err)
			}
			return
		}
		checkOutcome(t, raw, p, err)
		if err != nil {
			return
		}
		// Reference reading of the payload by exact names (last duplicate
		// wins, as in a map decode).
		var m map[string]any
		if err := json.Unmarshal(payload, &m); err != nil {
			t.Fatalf("accepted a payload that is not a JSON object: %v", err)
		}
		str := func(k string) string { s, _ := m[k].(string); return s }
		if m["iss"] != testIssuer {
			t.Fatalf("accepted iss %v", m["iss"])
		}
		if !audienceHas(m["aud"], testAudience) {
			t.Fatalf("accepted aud %v", m["aud"])
		}
		exp, ok := m["exp"].(float64)
		if !ok || time.Unix(int64(exp), 0).Before(testNow.Add(-DefaultLeeway-time.Second)) {
			t.Fatalf("accepted exp %v", m["exp"])
		}
		got := Principal{Subject: str("sub"), Role: Role(str("hirfa_role")), Chamber: str("hirfa_chamber"), TokenID: str("jti"), Raw: raw}
		if got != p {
			t.Fatalf("principal %v, payload says %v", p, got)
		}
	})
}

func audienceHas(aud any, want string) bool {
	switch a := aud.(type) {
	case string:
		return a == want
	case []any:
		for _, s := range a {
			if s == want {
				return true
			}
		}
	}
	return false
}

// TestFuzzSeedsCommitted guards the committed corpus: plain `go test` runs
// it, so it must exist and include valid tokens.
func TestFuzzSeedsCommitted(t *testing.T) {
	for _, dir := range []string{"FuzzVerify", "FuzzClaims"} {
		entries, err := os.ReadDir(filepath.Join("testdata", "fuzz", dir))
		if err != nil {
			t.Fatalf("%s corpus: %v", dir, err)
		}
		if len(entries) < 5 {
			t.Errorf("%s corpus has %d seeds, want at least 5", dir, len(entries))
		}
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join("testdata", "fuzz", dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(b), "go test fuzz v1\n") {
				t.Errorf("%s/%s is not in Go corpus format", dir, e.Name())
			}
		}
	}
}

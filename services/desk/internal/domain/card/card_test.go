package card

import (
	"errors"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
)

func TestValidate(t *testing.T) {
	const a = "chambers/fes-meknes/artisans/k1"
	for _, tt := range []struct {
		what string
		c    Card
		ok   bool
	}{
		{"card with photo", Card{Kind: ProfessionalCard, Artisan: a, Photo: "chambers/fes-meknes/documents/p1"}, true},
		{"attestation without photo", Card{Kind: RegistrationAttestation, Artisan: a}, true},
		{"no kind", Card{Artisan: a}, false},
		{"card without photo", Card{Kind: ProfessionalCard, Artisan: a}, false},
		{"another chamber's artisan", Card{Kind: RegistrationAttestation, Artisan: "chambers/oriental/artisans/k1"}, false},
		{"a cooperative", Card{Kind: RegistrationAttestation, Artisan: "chambers/fes-meknes/cooperatives/c1"}, false},
		{"another chamber's photo", Card{Kind: ProfessionalCard, Artisan: a, Photo: "chambers/oriental/documents/p1"}, false},
	} {
		tt.c.Chamber = "fes-meknes"
		if err := tt.c.Validate(); (err == nil) != tt.ok {
			t.Errorf("%s: %v", tt.what, err)
		}
	}
}

func TestIssueAndValidity(t *testing.T) {
	now := time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)
	for _, state := range []string{"APPLICANT", "SUSPENDED", "STRUCK_OFF", "MERGED"} {
		c := Card{Kind: RegistrationAttestation, Artisan: "chambers/fes-meknes/artisans/k1"}
		var pe *fault.PreconditionError
		if err := c.Issue(Facts{State: state}, "clerk", now); !errors.As(err, &pe) || pe.Reason != ReasonArtisanNotRegistered {
			t.Errorf("%s artisan: %v", state, err)
		}
	}
	c := Card{Kind: ProfessionalCard}
	if err := c.Issue(Facts{State: Registered, NIA: "N1"}, "clerk", now); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		at    time.Time
		state string
		valid bool
	}{
		{now, Registered, true},
		{time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), Registered, true},
		{time.Date(2026, 11, 26, 23, 59, 0, 0, time.UTC), Registered, false},
		{time.Date(2031, 11, 26, 23, 59, 0, 0, time.UTC), Registered, true},
		{time.Date(2031, 11, 27, 0, 0, 0, 0, time.UTC), Registered, false},
		{now, "SUSPENDED", false},
		{now, "STRUCK_OFF", false},
	} {
		c.ArtisanState = tt.state
		if c.ValidAt(tt.at) != tt.valid {
			t.Errorf("%s at %s: valid = %v", tt.state, tt.at, !tt.valid)
		}
	}
}

func TestCodes(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c := NewCode()
		if !ValidCode(c) || seen[c] {
			t.Fatalf("code %q (seen %v)", c, seen[c])
		}
		seen[c] = true
	}
	for _, bad := range []string{"", "short", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"} {
		if ValidCode(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestRevoke(t *testing.T) {
	now := time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)
	c := Card{Kind: RegistrationAttestation, Artisan: "chambers/fes-meknes/artisans/k1"}
	if err := c.Issue(Facts{State: Registered}, "clerk", now); err != nil {
		t.Fatal(err)
	}
	for _, reason := range []string{"", "  ", "ab", string(make([]rune, MaxReason+1))} {
		var ie *fault.InvalidError
		if err := c.Revoke(reason, "admin", now); !errors.As(err, &ie) || ie.Violations[0].Field != "reason" || c.Revoked() {
			t.Errorf("reason %q: %v", reason, err)
		}
	}
	if err := c.Revoke(" lost ", "admin", now); err != nil || c.RevokeReason != "lost" || c.Revoker != "admin" || !c.RevokeTime.Equal(now) {
		t.Fatalf("revoke: %v %+v", err, c)
	}
	if c.ValidAt(now) {
		t.Error("a revoked card is valid")
	}
	var pe *fault.PreconditionError
	if err := c.Revoke("again", "admin2", now.Add(time.Hour)); !errors.As(err, &pe) || pe.Reason != ReasonAlreadyRevoked || c.Revoker != "admin" {
		t.Errorf("second revocation: %v", err)
	}
}

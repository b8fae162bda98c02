package auth

import (
	"context"
	"fmt"
	"log/slog"
	"unicode"
	"unicode/utf8"
)

// Role is what a principal may do, independent of which chamber it acts in.
type Role string

// The roles a token may carry in its hirfa_role claim.
const (
	// RoleMinistry reads nationally and maintains reference data.
	RoleMinistry Role = "ministry"
	// RoleFederation reads nationally.
	RoleFederation Role = "federation"
	// RoleChamberAdmin reads and writes its own chamber and administers it.
	RoleChamberAdmin Role = "chamber-admin"
	// RoleChamberClerk reads and writes its own chamber.
	RoleChamberClerk Role = "chamber-clerk"
	// RoleAuditor reads its own chamber.
	RoleAuditor Role = "auditor"
	// RoleODCOOfficer decides cooperative name requests nationally for
	// ODCO (Office du Développement de la Coopération); it reads nothing
	// else of the chambers' records.
	RoleODCOOfficer Role = "odco-officer"
)

// Known reports whether r is one of the defined roles.
func (r Role) Known() bool {
	switch r {
	case RoleMinistry, RoleFederation, RoleChamberAdmin, RoleChamberClerk, RoleAuditor, RoleODCOOfficer:
		return true
	}
	return false
}

// National reports whether r acts across all chambers (and therefore carries
// no chamber).
func (r Role) National() bool {
	return r == RoleMinistry || r == RoleFederation
}

// Chamberless reports whether r carries no chamber: the national roles,
// and ODCO's officers, who act nationally on name requests only.
func (r Role) Chamberless() bool {
	return r.National() || r == RoleODCOOfficer
}

// Principal is the authenticated caller of one request.
type Principal struct {
	// Subject is the token's sub claim: a stable, opaque user identifier.
	Subject string
	// Role is the token's hirfa_role claim.
	Role Role
	// Chamber is the chamber id (e.g. "fes-meknes") for chamber roles; empty
	// for national roles.
	Chamber string
	// TokenID is the token's jti claim (may be empty); safe to log.
	TokenID string
	// Raw is the verified bearer token, kept only to forward it to
	// downstream services. It is never logged or printed.
	Raw string `json:"-"`
}

// National reports whether the principal acts across all chambers.
func (p Principal) National() bool { return p.Role.National() }

// LogValue implements slog.LogValuer; it never includes the raw token.
func (p Principal) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("subject", p.Subject),
		slog.String("role", string(p.Role)),
		slog.String("chamber", p.Chamber),
		slog.String("token_id", p.TokenID),
	)
}

// String implements fmt.Stringer so that %v and %+v never print the raw token.
func (p Principal) String() string {
	return fmt.Sprintf("{subject:%q role:%q chamber:%q token_id:%q}", p.Subject, p.Role, p.Chamber, p.TokenID)
}

// GoString implements fmt.GoStringer so that %#v never prints the raw token.
func (p Principal) GoString() string {
	return fmt.Sprintf("auth.Principal{Subject:%q, Role:%q, Chamber:%q, TokenID:%q, Raw:<redacted>}", p.Subject, p.Role, p.Chamber, p.TokenID)
}

type principalKey struct{}

// NewContext returns a copy of ctx carrying p.
func NewContext(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the principal stored by NewContext, if any.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// Limits on claim values. They bound what reaches logs, resource names and
// database columns, whatever the issuer signed.
const (
	maxSubjectLen = 255
	maxChamberLen = 63
	maxTokenIDLen = 255
)

// principalFromClaims maps verified claims to a Principal, enforcing the
// role/chamber rules: a known role; a chamber for chamber roles and none for
// chamberless roles; well-formed subject, chamber and token id.
func principalFromClaims(c *tokenClaims, raw string) (Principal, error) {
	if c.Subject == "" {
		return Principal{}, newError(ReasonSubject, nil)
	}
	if !printable(c.Subject, maxSubjectLen) {
		return Principal{}, newError(ReasonSubject, nil)
	}
	role := Role(c.Role)
	if !role.Known() {
		return Principal{}, newError(ReasonRole, nil)
	}
	switch {
	case role.Chamberless() && c.Chamber != "":
		return Principal{}, newError(ReasonChamber, nil)
	case !role.Chamberless() && !ValidChamberID(c.Chamber):
		return Principal{}, newError(ReasonChamber, nil)
	}
	if !printable(c.ID, maxTokenIDLen) {
		return Principal{}, newError(ReasonClaims, nil)
	}
	return Principal{
		Subject: c.Subject,
		Role:    role,
		Chamber: c.Chamber,
		TokenID: c.ID,
		Raw:     raw,
	}, nil
}

// ValidChamberID reports whether id has the shape of a chamber id: lowercase
// ASCII letters and digits in hyphen-separated words, at most 63 bytes
// (e.g. "fes-meknes", "casablanca-settat"). Whether the chamber exists is the
// services' business, not this package's.
func ValidChamberID(id string) bool {
	if id == "" || len(id) > maxChamberLen || id[0] == '-' || id[len(id)-1] == '-' {
		return false
	}
	prevHyphen := false
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			prevHyphen = false
		case c == '-':
			if prevHyphen {
				return false
			}
			prevHyphen = true
		default:
			return false
		}
	}
	return true
}

// printable reports whether s is valid UTF-8 of at most maxLen bytes with no
// control characters, so it cannot forge log lines or break headers.
func printable(s string, maxLen int) bool {
	if len(s) > maxLen || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

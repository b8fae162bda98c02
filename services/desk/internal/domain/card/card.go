// Package card is the professional card of law 50.17 art. 18 and the
// attestation of registration: what is issued to whom, for how long, the
// unguessable code its QR points at, and when the public verification
// answers valid. Rules only: no proto, gRPC, SQL or rendering.
package card

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
)

// Collection is the collection segment of card names.
const Collection = "professionalCards"

// Kind is what is issued.
type Kind string

// Kinds of issue.
const (
	ProfessionalCard        Kind = "PROFESSIONAL_CARD"
	RegistrationAttestation Kind = "REGISTRATION_ATTESTATION"
)

// Kinds lists the kinds as the proto enum names them.
var Kinds = []string{string(ProfessionalCard), string(RegistrationAttestation)}

// Validity is how long each kind is valid from its issue day, in months:
// the card five years, an attestation of registration three months (it
// states the register at a date, for a file handed to a third party).
var Validity = map[Kind]int{ProfessionalCard: 60, RegistrationAttestation: 3}

// Registered is the register state, as the registry names it, in which an
// artisan's card is valid.
const Registered = "REGISTERED"

// Card is an issued card or attestation. The artisan's facts are copied
// at issue (what is printed); the artisan's register state is kept up to
// date from the registry's events.
type Card struct {
	resource.Meta
	Kind          Kind      `json:"kind"`
	Artisan       string    `json:"artisan"`
	Photo         string    `json:"photo,omitempty"`
	NIA           string    `json:"nia"`
	FullNameAr    string    `json:"full_name_ar"`
	FullNameLatin string    `json:"full_name_latin"`
	Category      string    `json:"category"`
	Activity      string    `json:"activity"`
	ValidFrom     time.Time `json:"valid_from_time"`
	ValidUntil    time.Time `json:"valid_until_time"`
	Code          string    `json:"code"`
	ArtisanState  string    `json:"artisan_state"`
	Issuer        string    `json:"issuer"`
	// Revocation, set once by Revoke: when, by whom and why.
	RevokeTime   time.Time `json:"revoke_time,omitzero"`
	Revoker      string    `json:"revoker,omitempty"`
	RevokeReason string    `json:"revoke_reason,omitempty"`
}

// Revoked reports whether the card was revoked.
func (c *Card) Revoked() bool { return !c.RevokeTime.IsZero() }

// Revoke withdraws the card for a reason: final, so revoking a revoked
// card is refused (its first revocation stays as recorded).
func (c *Card) Revoke(reason, by string, now time.Time) error {
	reason = strings.TrimSpace(reason)
	if n := len([]rune(reason)); n < MinReason || n > MaxReason {
		var vs fault.Violations
		vs.Add("reason", RuleReasonLength, "must be %d to %d characters, got %d", MinReason, MaxReason, n)
		return vs.Err()
	}
	if c.Revoked() {
		return &fault.PreconditionError{Reason: ReasonAlreadyRevoked,
			Msg:  c.Name() + " was already revoked on " + c.RevokeTime.UTC().Format(time.DateOnly),
			Meta: map[string]string{"resource": c.Name(), "revoke_time": c.RevokeTime.UTC().Format(time.DateOnly)}}
	}
	c.RevokeTime, c.Revoker, c.RevokeReason = now.UTC(), by, reason
	return nil
}

// Bounds of a revocation's reason, in characters.
const (
	MinReason = 3
	MaxReason = 1000
)

// Name is the resource name.
func (c *Card) Name() string {
	return resource.Name{Chamber: c.Chamber, Collection: Collection, ID: c.ID}.String()
}

// Verification is the public resource name the QR code points at.
func (c *Card) Verification() string { return "verifications/" + c.Code }

// Validate checks what the caller asks for, reporting every violation at
// once: a kind, an artisan of the card's chamber, and for a card a photo
// document of the same chamber.
func (c *Card) Validate() error {
	var vs fault.Violations
	const p = "professional_card."
	if _, ok := Validity[c.Kind]; !ok {
		vs.Add(p+"kind", fault.RuleRequired, "is required")
	}
	if c.Artisan == "" {
		vs.Add(p+"artisan", fault.RuleRequired, "is required")
	} else if !inChamber(c.Artisan, c.Chamber, "artisans") {
		vs.Add(p+"artisan", RuleArtisanChamber, "must be an artisan of chambers/%s", c.Chamber)
	}
	switch {
	case c.Photo == "" && c.Kind == ProfessionalCard:
		vs.Add(p+"photo", RulePhotoRequired, "a professional card needs a photograph")
	case c.Photo != "" && !inChamber(c.Photo, c.Chamber, "documents"):
		vs.Add(p+"photo", RulePhotoChamber, "must be an archived document of chambers/%s", c.Chamber)
	}
	return vs.Err()
}

func inChamber(name, chamber, collection string) bool {
	n, err := resource.ParseName(name, collection, "")
	return err == nil && n.Chamber == chamber
}

// Facts are the artisan's register facts at issue, from the registry.
type Facts struct {
	State, NIA, FullNameAr, FullNameLatin, Category, Activity string
	// Updated is when the artisan's record last changed in the registry.
	Updated time.Time
}

// Issue fills the card from the artisan's facts: only a REGISTERED artisan
// gets one. Validity runs from the issue day (UTC) for the kind's months;
// the code is fresh randomness.
func (c *Card) Issue(f Facts, issuer string, now time.Time) error {
	if f.State != Registered {
		return &fault.PreconditionError{Reason: ReasonArtisanNotRegistered,
			Msg:  c.Artisan + " is " + f.State + " in the register: only a registered artisan gets a card or an attestation",
			Meta: map[string]string{"resource": c.Artisan, "state": f.State}}
	}
	c.NIA, c.FullNameAr, c.FullNameLatin, c.Category, c.Activity = f.NIA, f.FullNameAr, f.FullNameLatin, f.Category, f.Activity
	c.ArtisanState, c.Issuer = f.State, issuer
	day := now.UTC().Truncate(24 * time.Hour)
	c.ValidFrom, c.ValidUntil = day, day.AddDate(0, Validity[c.Kind], 0)
	c.Code = NewCode()
	return nil
}

// codeEncoding writes codes in lower-case base32 without padding: safe in
// a URL path and a QR code's alphanumeric-friendly alphabet.
var codeEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewCode returns an unguessable verification code: 160 random bits, so
// codes cannot be enumerated through the rate-limited public route.
func NewCode() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	return strings.ToLower(codeEncoding.EncodeToString(b))
}

// ValidCode reports whether s has the form of a code (32 base32 letters),
// so a malformed one is answered without a database read.
func ValidCode(s string) bool {
	if len(s) != 32 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '2' && r <= '7') {
			return false
		}
	}
	return true
}

// ValidAt reports whether the card is valid at now: not revoked, within
// its validity and its artisan REGISTERED (not suspended, struck off or
// merged) as the registry last said.
func (c *Card) ValidAt(now time.Time) bool {
	return !c.Revoked() && c.ArtisanState == Registered && !now.Before(c.ValidFrom) && now.Before(c.ValidUntil)
}

// Repository stores cards with their outbox events and audit records, and
// the artisans' register states the verification reads.
type Repository interface {
	Create(ctx context.Context, c *Card, w change.Write) (*Card, error)
	Get(ctx context.Context, n resource.Name) (*Card, error)
	List(ctx context.Context, q paging.ListQuery) (paging.Page[*Card], error)
	// Update applies fn to the stored card and writes it with its event.
	Update(ctx context.Context, n resource.Name, w change.Write, fn func(*Card) error) (*Card, error)
	// ByCode finds a card by its verification code in any chamber.
	ByCode(ctx context.Context, code string) (*Card, error)
	// NoteState records an artisan's register state read live at issue
	// (as of updated), unless a newer one is held.
	NoteState(ctx context.Context, artisan, state string, updated time.Time) error
}

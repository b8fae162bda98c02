// Package resource holds what every chamber-owned resource has in common:
// its AIP resource name (chambers/{chamber}/{collection}/{id}), the metadata
// the store maintains (revision, times) and the etag derived from it.
package resource

import (
	"crypto/rand"
	"strconv"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
)

// Wildcard is the chamber segment of a national read (chambers/-/...).
const Wildcard = "-"

// Name is a parsed chamber-owned resource name.
type Name struct {
	Chamber    string
	Collection string
	ID         string
}

// String renders chambers/{chamber}/{collection}/{id}.
func (n Name) String() string {
	return "chambers/" + n.Chamber + "/" + n.Collection + "/" + n.ID
}

// ParseName parses a resource name of the given collection. field names the
// request field for the error (e.g. "name", "artisan.name").
func ParseName(s, collection, field string) (Name, error) {
	parts := strings.Split(s, "/")
	if len(parts) != 4 || parts[0] != "chambers" || parts[2] != collection || !validSegment(parts[1]) || !validID(parts[3]) {
		return Name{}, fault.Invalid(field, "resource_name", "must be chambers/{chamber}/%s/{id}, got %q", collection, s)
	}
	return Name{Chamber: parts[1], Collection: collection, ID: parts[3]}, nil
}

// ParseParent parses chambers/{chamber}; allowWildcard admits chambers/-.
func ParseParent(s, field string, allowWildcard bool) (string, error) {
	parts := strings.Split(s, "/")
	if len(parts) == 2 && parts[0] == "chambers" {
		if parts[1] == Wildcard && allowWildcard {
			return Wildcard, nil
		}
		if validSegment(parts[1]) {
			return parts[1], nil
		}
	}
	if allowWildcard {
		return "", fault.Invalid(field, "resource_name", "must be chambers/{chamber} or chambers/-, got %q", s)
	}
	return "", fault.Invalid(field, "resource_name", "must be chambers/{chamber}, got %q", s)
}

func validSegment(s string) bool {
	if s == "" || len(s) > 63 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

func validID(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// idAlphabet is lowercase Crockford-like base32 without i, l, o, u, so ids
// read aloud over the phone are unambiguous.
const idAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// NewID returns a random 12-character id (60 bits).
func NewID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	for i := range b {
		b[i] = idAlphabet[b[i]&31]
	}
	return string(b[:])
}

// Meta is maintained by the store, never by clients: the owner chamber, the
// id, a revision counter that increases on every write, and the times.
type Meta struct {
	Chamber    string    `json:"-"`
	ID         string    `json:"-"`
	Revision   int64     `json:"-"`
	CreateTime time.Time `json:"-"`
	UpdateTime time.Time `json:"-"`
}

// Meta returns itself, so entities embedding Meta satisfy interfaces that ask
// for their metadata.
func (m *Meta) ResourceMeta() *Meta { return m }

// Etag is the opaque version clients send back on Update.
func (m *Meta) Etag() string { return `"` + strconv.FormatInt(m.Revision, 36) + `"` }

// CheckEtag returns a ConflictError when etag is set and stale.
func (m *Meta) CheckEtag(name, etag string) error {
	if etag != "" && etag != m.Etag() && `"`+etag+`"` != m.Etag() {
		return &fault.ConflictError{Resource: name, Etag: etag}
	}
	return nil
}

// Date is a calendar date "YYYY-MM-DD" as clerks write it.
type Date string

// ParseDate validates a calendar date; empty is allowed (optional field).
func ParseDate(field, s string) (Date, error) {
	if s == "" {
		return "", nil
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", fault.Invalid(field, "date", "must be a calendar date YYYY-MM-DD, got %q", s)
	}
	return Date(s), nil
}

// Morocco is the chambers' civil time, UTC+1 all year: the hour it drops
// during Ramadan moves no day boundary that matters to the dates kept here
// (agreements ending at midnight, register dates), and a fixed zone needs
// no time zone database in the images.
var Morocco = time.FixedZone("Africa/Casablanca", 3600)

// DateOf is the calendar day of t in Morocco.
func DateOf(t time.Time) Date { return Date(t.In(Morocco).Format(time.DateOnly)) }

// Time returns the date at midnight UTC (zero for an empty date).
func (d Date) Time() time.Time {
	t, _ := time.Parse(time.DateOnly, string(d))
	return t
}

// YearsBetween counts whole years from d to t.
func YearsBetween(from, to time.Time) int {
	y := to.Year() - from.Year()
	if to.YearDay() < from.YearDay() {
		y--
	}
	return y
}

// WithEtag wraps a mutation closure with the etag check every write starts
// with: a stale etag aborts before fn runs.
func WithEtag[T interface{ ResourceMeta() *Meta }](name, etag string, fn func(T) error) func(T) error {
	return func(v T) error {
		if err := v.ResourceMeta().CheckEtag(name, etag); err != nil {
			return err
		}
		return fn(v)
	}
}

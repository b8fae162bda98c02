package duplicate

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"
)

// Collection is the resource collection of review pairs.
const Collection = "duplicateCandidates"

// State is where a pair is in its review.
type State string

// States. OPEN → DISMISSED by a reviewer; OPEN or DISMISSED → MERGED when
// either record is merged into another (the pair then leaves the queue).
const (
	Open      State = "OPEN"
	Dismissed State = "DISMISSED"
	Merged    State = "MERGED"
)

// Review is one stored pair of the review queue.
type Review struct {
	ID string
	// NameChamber is the chamber of the pair's name: A's.
	NameChamber string
	// Chamber is the chamber both records are in; "" for a pair across
	// chambers, which only the national review shows.
	Chamber       string
	Pair          Pair
	State         State
	DismissedBy   string
	DismissReason string
	DismissTime   time.Time
	CreateTime    time.Time
	UpdateTime    time.Time
}

// Name is the pair's resource name.
func (r Review) Name() string { return "chambers/" + r.NameChamber + "/" + Collection + "/" + r.ID }

// PairID is the stable id of the pair of records a and b (in either
// order): the same two records always make the same pair.
func PairID(a, b string) string {
	if b < a {
		a, b = b, a
	}
	sum := sha256.Sum256([]byte(a + "\x00" + b))
	return hex.EncodeToString(sum[:16])
}

// Fingerprint digests what makes two registrations candidates (each
// record's names, CNIE and birth date): a dismissed pair comes back only
// when it differs, so a state change or a new phone number does not undo a
// reviewer's decision.
func Fingerprint(a, b Person) string {
	if b.Ref < a.Ref {
		a, b = b, a
	}
	data, _ := json.Marshal([2]Person{a, b}) // a struct of strings always marshals
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:16])
}

// RefChamber is the chamber of a record's name, chambers/{chamber}/….
func RefChamber(ref string) string {
	c, _, _ := strings.Cut(strings.TrimPrefix(ref, "chambers/"), "/")
	return c
}

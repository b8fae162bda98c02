// Package duplicate finds registrations that may be the same person entered
// twice: on demand over a register, and row by row during a bulk import
// (Finder is a plain in-memory structure an importer fills with the
// register and then with each accepted row).
//
// Three signals, strongest first:
//   - the same CNIE (score 1);
//   - the same name once folded (textnorm.Fold of given and family names, in
//     either script) and the same birth date (0.95);
//   - close names and the same birth date: the names' sound skeletons
//     (coopname.Skeleton, shared by Arabic and Latin script, so
//     "Mohamed El Fassi", "محمد الفاسي" and "Mohammed Elfassi" meet) have a
//     go-edlib Jaro-Winkler similarity of at least CloseName; the score is
//     0.9 × that similarity.
//
// Close names are only compared within the same birth date: common names
// ("Mohamed Alami") would otherwise pair thousands of different people
// nationally, and blocking on the date keeps a look-up to the few dozen
// people born that day.
package duplicate

import (
	"cmp"
	"slices"
	"strings"

	"github.com/hbollon/go-edlib"

	"github.com/hirfa/hirfa/pkg/textnorm"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/coopname"
)

// CloseName is the skeleton similarity from which two names are close.
const CloseName = 0.9

// Reason says why two registrations may be one person.
type Reason string

// Reasons.
const (
	SameCNIE          Reason = "SAME_CNIE"
	SameNameBirthDate Reason = "SAME_NAME_AND_BIRTH_DATE"
	CloseNameSameDate Reason = "CLOSE_NAME_AND_BIRTH_DATE"
	// Transliteration is added to CloseNameSameDate when the closest pair
	// of names is in different scripts.
	Transliteration Reason = "TRANSLITERATION"
)

// Person is what duplicate detection reads of a registration.
type Person struct {
	Ref                     string // resource name
	CNIE                    string
	GivenAR, FamilyAR       string
	GivenLatin, FamilyLatin string
	BirthDate               string // YYYY-MM-DD, "" when unknown
}

// Candidate is a registration that may be the same person as the one
// looked up.
type Candidate struct {
	Ref     string
	Score   float64
	Reasons []Reason
}

type entry struct {
	Person
	folded []string // folded full names, per script present
	sounds []sound
}

type sound struct {
	skeleton string
	arabic   bool
}

func analyse(p Person) entry {
	e := entry{Person: p}
	for _, n := range []struct {
		given, family string
		arabic        bool
	}{{p.GivenAR, p.FamilyAR, true}, {p.GivenLatin, p.FamilyLatin, false}} {
		f := textnorm.Fold(n.given + " " + n.family)
		if f == "" {
			continue
		}
		e.folded = append(e.folded, f)
		var sk strings.Builder
		for _, w := range strings.Fields(f) {
			if articles[w] { // "El Fassi" is "Elfassi" and "الفاسي"
				continue
			}
			sk.WriteString(coopname.Skeleton(w))
		}
		if sk.Len() > 0 {
			e.sounds = append(e.sounds, sound{sk.String(), n.arabic})
		}
	}
	return e
}

// Finder holds registrations and finds those that may duplicate another.
// It is not safe for concurrent writes.
type Finder struct {
	people []entry
	byCNIE map[string][]int
	byDate map[string][]int
}

// NewFinder returns an empty finder.
func NewFinder() *Finder {
	return &Finder{byCNIE: map[string][]int{}, byDate: map[string][]int{}}
}

// Add holds p for later look-ups.
func (f *Finder) Add(p Person) {
	i := len(f.people)
	f.people = append(f.people, analyse(p))
	if c := artisan.NormCNIE(p.CNIE); c != "" {
		f.byCNIE[c] = append(f.byCNIE[c], i)
	}
	if p.BirthDate != "" {
		f.byDate[p.BirthDate] = append(f.byDate[p.BirthDate], i)
	}
}

// Find returns the held registrations that may be the same person as p
// (p itself, by Ref, excluded), highest score first.
func (f *Finder) Find(p Person) []Candidate {
	q := analyse(p)
	best := map[int]Candidate{}
	if c := artisan.NormCNIE(p.CNIE); c != "" {
		for _, i := range f.byCNIE[c] {
			best[i] = Candidate{Ref: f.people[i].Ref, Score: 1, Reasons: []Reason{SameCNIE}}
		}
	}
	if p.BirthDate != "" {
		for _, i := range f.byDate[p.BirthDate] {
			m, ok := compareNames(q, f.people[i])
			if !ok {
				continue
			}
			c, seen := best[i]
			if !seen {
				c = Candidate{Ref: f.people[i].Ref, Score: m.Score}
			}
			c.Reasons = append(c.Reasons, m.Reasons...)
			best[i] = c
		}
	}
	out := make([]Candidate, 0, len(best))
	for _, c := range best {
		if c.Ref != p.Ref {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Ref, b.Ref)
	})
	return out
}

// Pairs returns every pair of held registrations that may be one person,
// each pair once (A's Ref sorts before B's), for an on-demand review queue.
func (f *Finder) Pairs() []Pair {
	var out []Pair
	for _, e := range f.people {
		for _, c := range f.Find(e.Person) {
			if e.Ref < c.Ref {
				out = append(out, Pair{A: e.Ref, B: c.Ref, Score: c.Score, Reasons: c.Reasons})
			}
		}
	}
	slices.SortFunc(out, func(a, b Pair) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.A+a.B, b.A+b.B)
	})
	return out
}

// Pair is two registrations that may be one person.
type Pair struct {
	A, B    string
	Score   float64
	Reasons []Reason
}

// compareNames scores two people born the same day on their names.
func compareNames(a, b entry) (Candidate, bool) {
	for _, fa := range a.folded {
		if slices.Contains(b.folded, fa) {
			return Candidate{Score: 0.95, Reasons: []Reason{SameNameBirthDate}}, true
		}
	}
	var (
		sim   float64
		cross bool
	)
	for _, sa := range a.sounds {
		for _, sb := range b.sounds {
			s := 0.0
			if sa.skeleton == sb.skeleton {
				s = 1
			} else if len(sa.skeleton) >= 4 && len(sb.skeleton) >= 4 {
				s = float64(edlib.JaroWinklerSimilarity(sa.skeleton, sb.skeleton))
			}
			if s > sim || (s == sim && sa.arabic == sb.arabic) {
				sim, cross = s, sa.arabic != sb.arabic
			}
		}
	}
	if sim < CloseName {
		return Candidate{}, false
	}
	c := Candidate{Score: 0.9 * sim, Reasons: []Reason{CloseNameSameDate}}
	if cross {
		c.Reasons = append(c.Reasons, Transliteration)
	}
	return c, true
}

// articles are the Latin spellings of the Arabic article written apart.
var articles = map[string]bool{"el": true, "al": true, "l": true, "d": true}

// Package census is the eligibility census of a craft body: a dated
// snapshot of the register, never typed in. An artisan is eligible when
// registered (not an applicant, not suspended, not struck off), practising
// the body's craft and working in its territory. The snapshot is the roll of
// the constitutive assembly: one entry, hence one vote, per registrant.
package census

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
)

// Exclusion reasons, counted in the snapshot (Census.excluded).
const (
	ExcludedApplicant      = "NOT_REGISTERED"
	ExcludedSuspended      = "SUSPENDED"
	ExcludedStruckOff      = "STRUCK_OFF"
	ExcludedOtherCraft     = "OTHER_CRAFT"
	ExcludedOtherTerritory = "OTHER_TERRITORY"
	ExcludedNoNIA          = "NO_NIA"
	ExcludedDuplicate      = "DUPLICATE"
)

// Error reasons.
const (
	ReasonCensusEmpty  = "CENSUS_EMPTY"
	ReasonNotADelegate = "NOT_A_DELEGATE"
	// ReasonRegistryUnavailable: the registry could not be read; no census was written.
	ReasonRegistryUnavailable = "REGISTRY_UNAVAILABLE"
	// ReasonRegistryRefused: the registry refused the census query; no census was written.
	ReasonRegistryRefused = "REGISTRY_REFUSED"
)

// Registrant states as the registry reports them.
const (
	StateApplicant  = "APPLICANT"
	StateRegistered = "REGISTERED"
	StateSuspended  = "SUSPENDED"
	StateStruckOff  = "STRUCK_OFF"
)

// Registrant is what the registry's facts say of one artisan: registration
// facts only, no CNIE, no contact.
type Registrant struct {
	Name         string        `json:"registrant"`
	NIA          string        `json:"nia"`
	State        string        `json:"state,omitempty"`
	Category     string        `json:"category"`
	Activity     string        `json:"activity"`
	Province     string        `json:"province"`
	DisplayName  l10n.Text     `json:"display_name"`
	RegisterDate resource.Date `json:"register_date,omitempty"`
	// DelegateOf names the lower body a regional or national member represents.
	DelegateOf string `json:"delegate_of,omitempty"`
}

// Scope is the craft and territory of the census.
type Scope struct {
	// Craft is an activity code or a branch prefix.
	Craft string
	// Provinces lists the provinces of the territory (one for a provincial body).
	Provinces []string
}

// PractisesCraft reports whether activity is the craft or lies under it
// (a branch code covers its activities; whole segments only).
func PractisesCraft(activity, craft string) bool {
	return activity == craft || strings.HasPrefix(activity, craft+".")
}

// Eligibility says whether r may sit in the body's assembly, and if not why
// (one of the Excluded* reasons).
func Eligibility(r Registrant, s Scope) (bool, string) {
	switch r.State {
	case StateRegistered:
	case StateSuspended:
		return false, ExcludedSuspended
	case StateStruckOff:
		return false, ExcludedStruckOff
	default:
		return false, ExcludedApplicant
	}
	switch {
	case r.NIA == "":
		return false, ExcludedNoNIA
	case !PractisesCraft(r.Activity, s.Craft):
		return false, ExcludedOtherCraft
	case !slices.Contains(s.Provinces, r.Province):
		return false, ExcludedOtherTerritory
	}
	return true, ""
}

// Snapshot is the dated census: the eligible members by registrant name and
// the count of registrants left out by reason.
type Snapshot struct {
	resource.Meta
	TakeTime time.Time      `json:"take_time"`
	Members  []Registrant   `json:"members"`
	Excluded map[string]int `json:"excluded"`
}

// Take builds the snapshot from what the registry listed at takeTime. A
// registrant listed twice (pages shifting under a concurrent write) is kept
// once: one member, one vote. An empty census cannot found a body.
func Take(takeTime time.Time, s Scope, listed []Registrant) (*Snapshot, error) {
	snap := &Snapshot{TakeTime: takeTime.UTC(), Excluded: map[string]int{}}
	seen := map[string]bool{}
	for _, r := range listed {
		if seen[r.Name] {
			snap.Excluded[ExcludedDuplicate]++
			continue
		}
		seen[r.Name] = true
		if ok, why := Eligibility(r, s); !ok {
			snap.Excluded[why]++
			continue
		}
		r.State = ""
		snap.Members = append(snap.Members, r)
	}
	slices.SortFunc(snap.Members, func(a, b Registrant) int { return strings.Compare(a.Name, b.Name) })
	if len(snap.Members) == 0 {
		return nil, &fault.PreconditionError{Reason: ReasonCensusEmpty,
			Msg:  fmt.Sprintf("no registered artisan of craft %s in %s: the census would be empty", s.Craft, strings.Join(s.Provinces, ", ")),
			Meta: map[string]string{"craft": s.Craft}}
	}
	return snap, nil
}

// TakeDelegates builds the roll of a regional or national body from the
// delegates of the lower bodies: each must name the body it represents and
// appear once.
func TakeDelegates(takeTime time.Time, delegates []Registrant) (*Snapshot, error) {
	snap := &Snapshot{TakeTime: takeTime.UTC(), Excluded: map[string]int{}}
	seen := map[string]bool{}
	for _, d := range delegates {
		if d.DelegateOf == "" {
			return nil, &fault.PreconditionError{Reason: ReasonNotADelegate,
				Msg: d.Name + " represents no lower body", Meta: map[string]string{"registrant": d.Name}}
		}
		if seen[d.Name] {
			snap.Excluded[ExcludedDuplicate]++
			continue
		}
		seen[d.Name] = true
		d.State = ""
		snap.Members = append(snap.Members, d)
	}
	slices.SortFunc(snap.Members, func(a, b Registrant) int { return strings.Compare(a.Name, b.Name) })
	if len(snap.Members) == 0 {
		return nil, &fault.PreconditionError{Reason: ReasonCensusEmpty, Msg: "no delegate: the roll would be empty"}
	}
	return snap, nil
}

// Roll is the member ids of the snapshot, in order: the assembly's roll.
func (s *Snapshot) Roll() []string {
	out := make([]string, len(s.Members))
	for i, m := range s.Members {
		out[i] = m.Name
	}
	return out
}

// Member finds a member by registrant name.
func (s *Snapshot) Member(name string) (Registrant, bool) {
	i, ok := slices.BinarySearchFunc(s.Members, name, func(m Registrant, n string) int { return strings.Compare(m.Name, n) })
	if !ok {
		return Registrant{}, false
	}
	return s.Members[i], true
}

// Repository stores the census of each body (its id is the body's).
type Repository interface {
	// Save stores the snapshot of body; a census taken again replaces the
	// previous one (allowed until the assembly is convened).
	Save(ctx context.Context, body resource.Name, s *Snapshot, w change.Write) (*Snapshot, error)
	Get(ctx context.Context, body resource.Name) (*Snapshot, error)
}

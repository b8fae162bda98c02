// Package artisan is the register of artisans (law 50.17): who may be
// recorded in which category, the lifecycle APPLICANT → REGISTERED ⇄
// SUSPENDED → STRUCK_OFF (and → MERGED for a duplicate, see merge.go), and
// the NIA assigned at registration.
package artisan

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/lifecycle"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/registry/internal/domain/docref"
)

// Collection is the collection segment of artisan names.
const Collection = "artisans"

// State of a register entry.
type State string

// States.
const (
	Applicant  State = "APPLICANT"
	Registered State = "REGISTERED"
	Suspended  State = "SUSPENDED"
	StruckOff  State = "STRUCK_OFF"
)

// Category of registrant.
type Category string

// Categories (law 50.17).
const (
	Graduate    Category = "GRADUATE"
	Experienced Category = "EXPERIENCED"
	Master      Category = "MASTER"
)

// Evidence thresholds of the categories.
const (
	ExperiencedMinYears = 3
	MasterMinYears      = 10
)

// Gender as on the CNIE.
type Gender string

// Genders.
const (
	Female Gender = "FEMALE"
	Male   Gender = "MALE"
)

// Artisan is one entry of a chamber's register.
type Artisan struct {
	resource.Meta
	GivenNameAR              string        `json:"given_name_ar,omitempty"`
	FamilyNameAR             string        `json:"family_name_ar,omitempty"`
	GivenNameLatin           string        `json:"given_name_latin,omitempty"`
	FamilyNameLatin          string        `json:"family_name_latin,omitempty"`
	CNIE                     string        `json:"cnie,omitempty"`
	Gender                   Gender        `json:"gender,omitempty"`
	BirthDate                resource.Date `json:"birth_date,omitempty"`
	Province                 string        `json:"province,omitempty"`
	Activity                 string        `json:"activity,omitempty"`
	Category                 Category      `json:"category,omitempty"`
	DiplomaReference         string        `json:"diploma_reference,omitempty"`
	YearsOfPractice          int           `json:"years_of_practice,omitempty"`
	AminCertificateReference string        `json:"amin_certificate_reference,omitempty"`
	Contact                  l10n.Contact  `json:"contact"`
	State                    State         `json:"state"`
	StateReason              string        `json:"state_reason,omitempty"`
	NIA                      string        `json:"nia,omitempty"`
	RegisterTime             *time.Time    `json:"register_time,omitempty"`
	// Successor names the record a MERGED record was merged into.
	Successor string `json:"successor,omitempty"`
	// MergedFrom lists the records merged into this one, oldest first.
	MergedFrom []MergeNote `json:"merged_from,omitempty"`
	// Demo marks a record the demo profile seeded (invented data); only
	// the seeder sets it.
	Demo bool `json:"demo,omitempty"`
}

// Name is the resource name.
func (a *Artisan) Name() string {
	return resource.Name{Chamber: a.Chamber, Collection: Collection, ID: a.ID}.String()
}

// DisplayName is the name shown in lists: Latin script first, then Arabic.
func (a *Artisan) DisplayName() string {
	return strings.TrimSpace(a.GivenNameLatin + " " + a.FamilyNameLatin + " " + a.GivenNameAR + " " + a.FamilyNameAR)
}

var cniePattern = regexp.MustCompile(`^[A-Z]{1,2}[0-9]{1,7}$`)

// NormCNIE is a CNIE number as written on the card, without the spaces and
// lower case of a typed or imported one ("ab 12345" is AB12345): the one
// form an import stores and the duplicate review compares.
func NormCNIE(s string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
}

// Validate checks the record's own rules; now is the reference date for ages
// and must be passed so tests are deterministic. Every problem is returned
// at once, each naming its field.
func (a *Artisan) Validate(now time.Time) error {
	var vs fault.Violations
	const p = "artisan."
	if strings.TrimSpace(a.GivenNameAR) == "" || strings.TrimSpace(a.FamilyNameAR) == "" {
		vs.Add(p+"given_name_ar", fault.RuleRequired, "given and family names in Arabic script are required")
	}
	if strings.TrimSpace(a.GivenNameLatin) == "" || strings.TrimSpace(a.FamilyNameLatin) == "" {
		vs.Add(p+"given_name_latin", fault.RuleRequired, "given and family names in Latin script are required")
	}
	if !cniePattern.MatchString(a.CNIE) {
		vs.Add(p+"cnie", RuleCNIEFormat, "must be a CNIE number like AB123456")
	}
	if a.Gender != Female && a.Gender != Male {
		vs.Add(p+"gender", fault.RuleRequired, "must be FEMALE or MALE")
	}
	if a.BirthDate == "" {
		vs.Add(p+"birth_date", fault.RuleRequired, "is required")
	} else if age := resource.YearsBetween(a.BirthDate.Time(), now); age < 15 || age > 110 {
		vs.Add(p+"birth_date", RuleBirthDateAge, "gives an age of %d; an artisan must be between 15 and 110 years old", age)
	}
	a.checkCategory(&vs)
	docref.Check(&vs, p+"diploma_reference", a.DiplomaReference, a.Chamber)
	docref.Check(&vs, p+"amin_certificate_reference", a.AminCertificateReference, a.Chamber)
	return vs.Err()
}

// checkCategory applies the evidence rules of each category.
func (a *Artisan) checkCategory(vs *fault.Violations) {
	const p = "artisan."
	switch a.Category {
	case Graduate:
		if strings.TrimSpace(a.DiplomaReference) == "" {
			vs.Add(p+"diploma_reference", RuleGraduateDiploma, "a GRADUATE artisan needs the reference of a handicraft diploma")
		}
	case Experienced:
		if a.YearsOfPractice < ExperiencedMinYears {
			vs.Add(p+"years_of_practice", RuleExperiencedMinYears,
				"an EXPERIENCED artisan needs at least %d years of proven practice, got %d", ExperiencedMinYears, a.YearsOfPractice)
		}
	case Master:
		if a.YearsOfPractice < MasterMinYears {
			vs.Add(p+"years_of_practice", RuleMasterMinYears,
				"a MASTER artisan needs at least %d years of practice, got %d", MasterMinYears, a.YearsOfPractice)
		}
		if strings.TrimSpace(a.AminCertificateReference) == "" {
			vs.Add(p+"amin_certificate_reference", RuleMasterAminCertificate,
				"a MASTER artisan needs a certificate from the amin of the craft")
		}
	default:
		vs.Add(p+"category", fault.RuleRequired, "must be GRADUATE, EXPERIENCED or MASTER")
	}
}

// Action is a lifecycle action on an artisan.
type Action string

// The lifecycle actions.
const (
	Register  Action = "register"
	Suspend   Action = "suspend"
	Reinstate Action = "reinstate"
	StrikeOff Action = "strike off"
)

// Transitions is the artisan's state machine: each action, the states it
// may start from, the state it leads to and the event it records.
var Transitions = lifecycle.Table[Action, State]{
	{Action: Register, From: []State{Applicant}, To: Registered, Event: "Registered"},
	{Action: Suspend, From: []State{Registered}, To: Suspended, Event: "Suspended"},
	{Action: Reinstate, From: []State{Suspended}, To: Registered, Event: "Reinstated"},
	{Action: StrikeOff, From: []State{Registered, Suspended}, To: StruckOff, Event: "StruckOff"},
}

// Apply performs a lifecycle action with its reason (kept by suspension
// and striking off), or returns a FAILED_PRECONDITION fault when the state
// does not allow it. Registering also needs the NIA: see Register.
func (a *Artisan) Apply(action Action, reason string) error {
	t, err := Transitions.Next(a.Name(), a.State, action)
	if err != nil {
		return err
	}
	if t.To == Registered {
		reason = ""
	}
	a.State, a.StateReason = t.To, reason
	return nil
}

// Register moves an applicant into the register with its NIA.
func (a *Artisan) Register(nia string, now time.Time) error {
	if err := a.Apply(Register, ""); err != nil {
		return err
	}
	a.NIA = nia
	t := now.UTC()
	a.RegisterTime = &t
	return nil
}

// Suspend suspends a registered artisan.
func (a *Artisan) Suspend(reason string) error { return a.Apply(Suspend, reason) }

// Reinstate ends a suspension.
func (a *Artisan) Reinstate() error { return a.Apply(Reinstate, "") }

// StrikeOff removes the artisan from the register for good. The record and
// its NIA stay, so the NIA is never given to anyone else.
func (a *Artisan) StrikeOff(reason string) error { return a.Apply(StrikeOff, reason) }

// CheckDelete allows deleting only an application that never entered the
// register (a withdrawn or mistaken application).
func (a *Artisan) CheckDelete() error {
	if a.State != Applicant {
		return fault.Precondition(fault.ReasonNotDeletable, "%s is %s: only an APPLICANT can be deleted; strike registered artisans off instead", a.Name(), a.State)
	}
	return nil
}

// FormatNIA renders the artisan identity number: region code digits, year
// and a sequence that only ever increases, e.g. "03-2026-000042".
func FormatNIA(regionCode string, year int, seq int64) string {
	return fmt.Sprintf("%s-%d-%06d", strings.TrimPrefix(regionCode, "MA-"), year, seq)
}

// Repository stores artisans. Implementations write the outbox event and
// audit record of every change in the same transaction.
type Repository interface {
	// Create stores a new artisan; a live CNIE already in any chamber's
	// register yields *fault.AlreadyExistsError naming that record.
	Create(ctx context.Context, a *Artisan, w change.Write) (*Artisan, error)
	Get(ctx context.Context, n resource.Name) (*Artisan, error)
	List(ctx context.Context, q paging.ListQuery) (paging.Page[*Artisan], error)
	Update(ctx context.Context, n resource.Name, w change.Write, fn func(*Artisan) error) (*Artisan, error)
	Delete(ctx context.Context, n resource.Name, w change.Write, fn func(*Artisan) error) error
	// NextNIASequence returns the next number of the chamber's NIA sequence
	// for the year. Numbers are never handed out twice, even if the
	// registration that asked for one fails.
	NextNIASequence(ctx context.Context, chamber string, year int) (int64, error)
}

// Merger merges duplicate records in one transaction.
type Merger interface {
	// MergeArtisans loads kept and other under write locks, lets fn change
	// both (an error writes nothing), and writes both back with their
	// outbox events and audit records (w for kept, with the request id;
	// wOther for other), together with every reference to other that the
	// registry holds, which then names kept.
	MergeArtisans(ctx context.Context, kept, other resource.Name, w, wOther change.Write, fn func(kept, other *Artisan) error) (*Artisan, error)
}

package artisan

import (
	"slices"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
)

// Merged is the terminal state of a record found to be the same person as
// another: the record and its NIA stay (nothing is lost, a number is never
// reused), Successor names the record kept, and every read of its name
// answers with the successor.
const Merged State = "MERGED"

// MergeNote is what the kept record remembers of one merge, so the merge can
// be explained from the record (and the digest of its audit record) alone.
type MergeNote struct {
	// Name is the merged record's resource name.
	Name string `json:"name"`
	// Time, Actor and Role: when and by whom.
	Time  time.Time `json:"time"`
	Actor string    `json:"actor"`
	Role  string    `json:"role,omitempty"`
	// Reason is the clerk's explanation.
	Reason string `json:"reason"`
	// Taken are the fields whose values came from the merged record; every
	// other field kept the kept record's value.
	Taken []string `json:"taken,omitempty"`
	// NIA is the merged record's NIA, if it had one.
	NIA string `json:"nia,omitempty"`
}

// MergeableFields are the fields a merge may take from the merged record.
var MergeableFields = []string{"given_name_ar", "family_name_ar", "given_name_latin", "family_name_latin", "cnie",
	"gender", "birth_date", "province", "activity", "category", "diploma_reference", "years_of_practice",
	"amin_certificate_reference", "contact"}

// Merge rules and reasons.
const (
	// RuleMergeSelf: a record named as its own duplicate.
	RuleMergeSelf = "merge.self"
	// RuleMergeField: a field a merge cannot take from the merged record.
	RuleMergeField = "merge.field"
	// ReasonMerged: a write to a record merged into another.
	ReasonMerged = "MERGED"
)

// CheckMerge checks a merge of other into kept before anything changes:
// not a record into itself, no unknown field, neither record merged already,
// no record struck off (a struck-off record is history, not a duplicate).
func CheckMerge(kept, other *Artisan, take []string) error {
	var vs fault.Violations
	if kept.Name() == other.Name() {
		vs.Add("other", RuleMergeSelf, "a record cannot be merged into itself")
	}
	for _, f := range take {
		if !slices.Contains(MergeableFields, f) {
			vs.Add("take_fields", RuleMergeField, "%q cannot be taken from the merged record; allowed: %s", f, strings.Join(MergeableFields, ", "))
		}
	}
	if err := vs.Err(); err != nil {
		return err
	}
	for _, a := range []*Artisan{other, kept} {
		if a.State == Merged || a.State == StruckOff {
			return fault.Transition(a.Name(), string(a.State), "merge")
		}
	}
	return nil
}

// MarkMerged makes other a merged record pointing at successor.
func (a *Artisan) MarkMerged(successor, reason string) error {
	if a.State == Merged || a.State == StruckOff {
		return fault.Transition(a.Name(), string(a.State), "merge")
	}
	a.State, a.StateReason, a.Successor = Merged, reason, successor
	return nil
}

// TakeFrom copies the named fields of other onto a and records the merge.
// The kept record's state and NIA stay; the caller re-validates a.
func (a *Artisan) TakeFrom(other *Artisan, note MergeNote) {
	for _, f := range note.Taken {
		switch f {
		case "given_name_ar":
			a.GivenNameAR = other.GivenNameAR
		case "family_name_ar":
			a.FamilyNameAR = other.FamilyNameAR
		case "given_name_latin":
			a.GivenNameLatin = other.GivenNameLatin
		case "family_name_latin":
			a.FamilyNameLatin = other.FamilyNameLatin
		case "cnie":
			a.CNIE = other.CNIE
		case "gender":
			a.Gender = other.Gender
		case "birth_date":
			a.BirthDate = other.BirthDate
		case "province":
			a.Province = other.Province
		case "activity":
			a.Activity = other.Activity
		case "category":
			a.Category = other.Category
		case "diploma_reference":
			a.DiplomaReference = other.DiplomaReference
		case "years_of_practice":
			a.YearsOfPractice = other.YearsOfPractice
		case "amin_certificate_reference":
			a.AminCertificateReference = other.AminCertificateReference
		case "contact":
			a.Contact = other.Contact
		}
	}
	note.NIA = other.NIA
	a.MergedFrom = append(a.MergedFrom, note)
}

// CheckWritable refuses any change to a merged record, naming its successor.
func (a *Artisan) CheckWritable() error {
	if a.State == Merged {
		return &fault.PreconditionError{Reason: ReasonMerged, Msg: a.Name() + " was merged into " + a.Successor + "; change that record",
			Meta: map[string]string{"resource": a.Name(), "successor": a.Successor}, Args: []string{a.Successor}}
	}
	return nil
}

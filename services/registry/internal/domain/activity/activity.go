// Package activity is the nomenclature of traditional-industry activities
// (decree 2.21.991: 2 families → 13 branches → 172 activities). The official
// list is loaded and maintained as reference data; the platform ships only a
// small sample, flagged as such.
package activity

import (
	"context"
	"errors"
	"regexp"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
)

// Group is a family or branch of the nomenclature.
type Group struct {
	Code string    `json:"code"`
	Name l10n.Text `json:"name"`
}

// Activity is one activity of the nomenclature. Its id is its code.
type Activity struct {
	resource.Meta
	Name    l10n.Text `json:"name"`
	Family  Group     `json:"family"`
	Branch  Group     `json:"branch"`
	Sample  bool      `json:"sample,omitempty"`
	Retired bool      `json:"retired,omitempty"`
}

// Code is the activity code.
func (a *Activity) Code() string { return a.ID }

var codePattern = regexp.MustCompile(`^[A-Z0-9.]{1,24}$`)

// Validate checks the activity's own rules.
func (a *Activity) Validate() error {
	var vs fault.Violations
	if !codePattern.MatchString(a.ID) {
		vs.Add("activity.code", RuleCodeFormat, "must be 1–24 capitals, digits or dots")
	}
	a.Name.Require(&vs, "activity.display_name")
	if a.Family.Code == "" {
		vs.Add("activity.family.code", fault.RuleRequired, "is required")
	}
	if a.Branch.Code == "" {
		vs.Add("activity.branch.code", fault.RuleRequired, "is required")
	}
	return vs.Err()
}

// NationalScope is the chamber column value of national reference data.
const NationalScope = "national"

// Repository stores the nomenclature.
type Repository interface {
	Create(ctx context.Context, a *Activity, w change.Write) (*Activity, error)
	Get(ctx context.Context, code string) (*Activity, error)
	List(ctx context.Context, q paging.ListQuery) (paging.Page[*Activity], error)
	Update(ctx context.Context, code string, w change.Write, fn func(*Activity) error) (*Activity, error)
	// Usable reports whether code exists and is not retired. A code of
	// the sample nomenclature while the sample is off answers ErrSample.
	Usable(ctx context.Context, code string) (bool, error)
}

// ErrSample is Usable's answer for a code of the sample nomenclature when
// the sample is off (every profile but the demo): the code exists, but it
// was invented for demonstrations and must not reach a real record.
var ErrSample = errors.New("activity belongs to the sample nomenclature, which is off")

// Package requesttype is the requests desk's maintained list of request
// types: each type's code, its Arabic and French labels, the deadline the
// chamber has to answer it, and whether new requests may still take it.
// The list is national (the ministry maintains it), so that requests
// counted by type mean the same thing in every chamber. Rules only: no
// proto, gRPC or SQL.
package requesttype

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
)

// Collection is the collection segment of type names, `requestTypes/{code}`.
const Collection = "requestTypes"

// NationalScope is the chamber column value of the national list.
const NationalScope = "national"

// Bounds of a type's fields.
const (
	MinDeadlineDays = 1
	MaxDeadlineDays = 365
	MaxLabel        = 200
)

// Error reasons and field rules of this package. Their Arabic and French
// messages are in the service's catalogue (ports/grpcport/catalog.go).
const (
	RuleCode         = "code.format"
	RuleDeadlineDays = "deadline_days.range"
	RuleLabelLength  = "label.length"
	// RuleTypeUnknown / RuleTypeInactive: a request names a type the list
	// does not hold, or one that was deactivated.
	RuleTypeUnknown  = "type.unknown"
	RuleTypeInactive = "type.inactive"
	// ReasonTypeExists: a type with this code exists (active or not).
	ReasonTypeExists = "REQUEST_TYPE_EXISTS"
)

var codePattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]{1,31}$`)

// ValidCode reports whether s has the form of a type code.
func ValidCode(s string) bool { return codePattern.MatchString(s) }

// Type is one request type of the list.
type Type struct {
	resource.Meta
	Label        l10n.Text `json:"label"`
	DeadlineDays int       `json:"deadline_days"`
	Inactive     bool      `json:"inactive,omitempty"`
}

// Code is the type's code (its resource id).
func (t *Type) Code() string { return t.ID }

// Name is the resource name.
func (t *Type) Name() string { return Collection + "/" + t.ID }

// Deadline is how long the chamber has to answer a request of this type.
func (t *Type) Deadline() time.Duration { return time.Duration(t.DeadlineDays) * 24 * time.Hour }

// Validate checks a type, reporting every violation at once: the code's
// form, both labels, and a deadline of 1 to 365 days.
func (t *Type) Validate() error {
	var vs fault.Violations
	const p = "request_type."
	if !ValidCode(t.ID) {
		vs.Add(p+"code", RuleCode, "must be 2 to 32 capital letters, digits or underscores starting with a letter, got %q", t.ID)
	}
	for _, l := range []struct{ field, text string }{{"label.ar", t.Label.AR}, {"label.fr", t.Label.FR}} {
		switch n := utf8.RuneCountInString(strings.TrimSpace(l.text)); {
		case n == 0:
			vs.Add(p+l.field, fault.RuleRequired, "is required")
		case n > MaxLabel:
			vs.Add(p+l.field, RuleLabelLength, "must be at most %d characters, got %d", MaxLabel, n)
		}
	}
	if t.DeadlineDays < MinDeadlineDays || t.DeadlineDays > MaxDeadlineDays {
		vs.Add(p+"deadline_days", RuleDeadlineDays, "must be %d to %d days, got %d", MinDeadlineDays, MaxDeadlineDays, t.DeadlineDays)
	}
	return vs.Err()
}

// CheckUsable adds to vs why a request may not take this type, if it may
// not (t nil: the list has no such code); field is the request field that
// named it.
func CheckUsable(vs *fault.Violations, t *Type, code, field string) {
	switch {
	case t == nil:
		vs.Add(field, RuleTypeUnknown, "%q is not a request type of the list", code)
	case t.Inactive:
		vs.Add(field, RuleTypeInactive, "%q was deactivated: new requests may not take it", code)
	}
}

// Defaults are the types the list starts with (migration 0005 stores
// them): the desk's deadlines before types became data — complaints 15
// days, attestations and information 7, the others 30.
var Defaults = []Type{
	{Meta: meta("SUPPORT"), Label: l10n.Text{AR: "دعم", FR: "Appui"}, DeadlineDays: 30},
	{Meta: meta("GUIDANCE"), Label: l10n.Text{AR: "توجيه وإرشاد", FR: "Orientation"}, DeadlineDays: 30},
	{Meta: meta("LABEL"), Label: l10n.Text{AR: "علامة الجودة", FR: "Label de qualité"}, DeadlineDays: 30},
	{Meta: meta("ATTESTATION"), Label: l10n.Text{AR: "شهادة", FR: "Attestation"}, DeadlineDays: 7},
	{Meta: meta("COMPLAINT"), Label: l10n.Text{AR: "شكاية", FR: "Réclamation"}, DeadlineDays: 15},
	{Meta: meta("INFORMATION"), Label: l10n.Text{AR: "إرشادات ومعلومات", FR: "Information"}, DeadlineDays: 7},
	{Meta: meta("OTHER"), Label: l10n.Text{AR: "أخرى", FR: "Autre"}, DeadlineDays: 30},
}

func meta(code string) resource.Meta { return resource.Meta{Chamber: NationalScope, ID: code} }

// Default returns a copy of the default type with this code, nil if none.
func Default(code string) *Type {
	for _, t := range Defaults {
		if t.ID == code {
			return &t
		}
	}
	return nil
}

// Repository stores the list with its outbox events and audit records.
type Repository interface {
	Create(ctx context.Context, t *Type, w change.Write) (*Type, error)
	Get(ctx context.Context, code string) (*Type, error)
	List(ctx context.Context, q paging.ListQuery) (paging.Page[*Type], error)
	Update(ctx context.Context, code string, w change.Write, fn func(*Type) error) (*Type, error)
}

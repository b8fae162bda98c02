// Package l10n holds the value types of records that people read and
// reach: a text in Arabic and French (optionally English) and contact
// details, with the masking of personal data for lists and logs.
package l10n

import (
	"strings"

	"github.com/hirfa/hirfa/pkg/fault"
)

// Text is a text in Arabic and French (and optionally English).
type Text struct {
	AR string `json:"ar,omitempty"`
	FR string `json:"fr,omitempty"`
	EN string `json:"en,omitempty"`
}

// Require adds violations when the Arabic or French text is missing.
func (l Text) Require(vs *fault.Violations, field string) {
	if strings.TrimSpace(l.AR) == "" && strings.TrimSpace(l.FR) == "" {
		vs.Add(field, "required", "a name in Arabic or French is required")
	}
}

// Contact is how to reach someone.
type Contact struct {
	Phone   string `json:"phone,omitempty"`
	Email   string `json:"email,omitempty"`
	Address string `json:"address,omitempty"`
}

// Mask hides all but the last two characters of personal data such as a
// CNIE, for lists and logs.
func Mask(s string) string {
	if len(s) <= 2 {
		return strings.Repeat("*", len(s))
	}
	return strings.Repeat("*", len(s)-2) + s[len(s)-2:]
}

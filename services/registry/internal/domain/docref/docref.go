// Package docref checks the registry's evidence references (an artisan's
// diploma and amin certificate, a cooperative's court clerk registration):
// each is free text, as on paper files, or the resource name of a document
// archived at the desk, `chambers/{chamber}/documents/{id}`, which must then
// be well formed and of the record's own chamber.
//
// The registry does not call the desk to check that the document exists:
// the desk already calls the registry synchronously (registrant look-ups),
// and a call back would tie the two services' availability in a cycle. The
// desk keeps the other half of the link: a document is attached to its
// registrant, of the same chamber, when it is archived.
package docref

import (
	"strings"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/resource"
)

// Collection is the desk's collection of archived documents.
const Collection = "documents"

// Field rules of this package; their Arabic and French messages are in the
// registry's catalogue.
const (
	RuleDocumentName    = "document.name"
	RuleDocumentChamber = "document.chamber"
)

// IsDocument reports whether ref is meant as an archived document's name
// (rather than free text).
func IsDocument(ref string) bool { return strings.HasPrefix(ref, "chambers/") }

// Check adds to vs what is wrong with ref in field of a record of chamber:
// nothing for free text; for a document name, its form and its chamber.
func Check(vs *fault.Violations, field, ref, chamber string) {
	if !IsDocument(ref) {
		return
	}
	n, err := resource.ParseName(ref, Collection, field)
	switch {
	case err != nil:
		vs.Add(field, RuleDocumentName, "must be free text or an archived document, chambers/{chamber}/documents/{id}, got %q", ref)
	case n.Chamber != chamber:
		vs.Add(field, RuleDocumentChamber, "must be a document archived by chambers/%s, got one of chambers/%s", chamber, n.Chamber)
	}
}

package docref

import (
	"testing"

	"github.com/hirfa/hirfa/pkg/fault"
)

func TestCheck(t *testing.T) {
	for _, tt := range []struct {
		ref, rule string
	}{
		{"", ""},
		{"AMIN-FES-20", ""},
		{"Diplôme ISTA Fès 2019 n° 334", ""},
		{"chambers/fes-meknes/documents/abc123def456", ""},
		{"chambers/oriental/documents/abc123def456", RuleDocumentChamber},
		{"chambers/fes-meknes/serviceRequests/abc123def456", RuleDocumentName},
		{"chambers/fes-meknes/documents/", RuleDocumentName},
		{"chambers/fes-meknes/documents/a/b", RuleDocumentName},
	} {
		var vs fault.Violations
		Check(&vs, "artisan.diploma_reference", tt.ref, "fes-meknes")
		switch {
		case tt.rule == "" && len(vs) != 0:
			t.Errorf("%q: refused %v", tt.ref, vs)
		case tt.rule != "" && (len(vs) != 1 || vs[0].Rule != tt.rule || vs[0].Field != "artisan.diploma_reference"):
			t.Errorf("%q: %v, want %s", tt.ref, vs, tt.rule)
		}
	}
}

package bulkimport

import (
	"testing"

	"github.com/hirfa/hirfa/pkg/fault"
)

// TestCentimes: amounts as spreadsheets write them in MAD, and what is not
// one.
func TestCentimes(t *testing.T) {
	for in, want := range map[string]int64{"5000": 500000, "5 000,00": 500000, "5000.5": 500050, "1\u00a0000,25": 100025, "100 DH": 10000, "0": 0} {
		if got, ok := centimes(in); !ok || got != want {
			t.Errorf("centimes(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"cinq mille", "5,000.00", "50.123", "-100", ",50", "1e5"} {
		if got, ok := centimes(in); ok {
			t.Errorf("centimes(%q) = %d, want refused", in, got)
		}
	}
}

// TestOrganisationRowsReportTheirColumns: each register's violations name
// the file's own header, including the paths below the record
// (receipt.provisional_date), a text in two languages (display_name) and a
// sum kept in centimes (capital_centimes).
func TestOrganisationRowsReportTheirColumns(t *testing.T) {
	cases := []struct {
		kind   string
		header []string
		row    []string
		want   map[string]string // field → column
	}{
		{Cooperatives, []string{"التسمية", "Province", "Activité", "Capital", "Valeur de la part", "Adhérentes", "Adhérents"},
			[]string{"تعاونية", "fes", "F1", "beaucoup", "100", "x", "3"},
			map[string]string{"cooperative.capital_centimes": "Capital", "cooperative.members_women": "Adhérentes"}},
		{Associations, []string{"Dénomination", "Province", "Objet", "Catégorie", "Récépissé provisoire"},
			[]string{"Association", "fes", "Artisanat", "sportive", "le 3 mars"},
			map[string]string{"association.category": "Catégorie", "association.receipt.provisional_date": "Récépissé provisoire"}},
	}
	for _, tc := range cases {
		l, err := Resolve(tc.kind, tc.header, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.kind, err)
		}
		var rowErr error
		switch tc.kind {
		case Cooperatives:
			_, rowErr = l.Cooperative(tc.row)
		case Associations:
			_, rowErr = l.Association(tc.row)
		}
		probs, ok := l.Problems(2, rowErr)
		if !ok || len(probs) != len(tc.want) {
			t.Fatalf("%s: %v %v", tc.kind, probs, rowErr)
		}
		for _, p := range probs {
			if tc.want[p.Field] != p.Column {
				t.Errorf("%s: %s reported in column %q, want %q", tc.kind, p.Field, p.Column, tc.want[p.Field])
			}
		}
		if h := l.Header("display_name"); h != tc.header[0] {
			t.Errorf("%s: display_name's column %q, want %q", tc.kind, h, tc.header[0])
		}
	}
	// A required column missing is named per kind.
	_, err := Resolve(Enterprises, []string{"Raison sociale", "Province", "Activité"}, nil)
	if inv, ok := err.(*fault.InvalidError); !ok || len(inv.Violations) != 2 {
		t.Fatalf("enterprise without ICE and artisan: %v", err)
	}
}

package territory

import "testing"

func TestTerritory(t *testing.T) {
	terr, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(terr.regionOf); n != 75 {
		t.Errorf("provinces = %d, want 75", n)
	}
	if n := len(terr.regions); n != 12 {
		t.Errorf("regions = %d, want 12", n)
	}
	tests := []struct {
		chamber, province string
		want              bool
	}{
		{"fes-meknes", "fes", true},
		{"fes-meknes", "meknes", true},
		{"fes-meknes", "safi", false},
		{"marrakech-safi", "safi", true},
		{FederationID, "safi", true},
		{"fes-meknes", "atlantis", false},
		{"nowhere", "fes", false},
	}
	for _, tt := range tests {
		if got := terr.InChamber(tt.chamber, tt.province); got != tt.want {
			t.Errorf("InChamber(%q, %q) = %v, want %v", tt.chamber, tt.province, got, tt.want)
		}
	}
	for id, want := range map[string]bool{"fes-meknes": true, FederationID: true, "fes": false, "": false} {
		if got := terr.Chamber(id); got != want {
			t.Errorf("Chamber(%q) = %v, want %v", id, got, want)
		}
	}
}

package territory

import "testing"

func TestLoad(t *testing.T) {
	tr, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Regions) != 12 || len(tr.Provinces) != 75 || len(tr.Chambers) != 13 {
		t.Fatalf("regions=%d provinces=%d chambers=%d, want 12, 75, 13", len(tr.Regions), len(tr.Provinces), len(tr.Chambers))
	}
	prefectures := 0
	for _, p := range tr.Provinces {
		if p.Prefecture {
			prefectures++
		}
		if p.Name.AR == "" || p.Name.FR == "" {
			t.Errorf("province %s lacks a bilingual name", p.ID)
		}
	}
	if prefectures != 13 {
		t.Errorf("prefectures = %d, want 13", prefectures)
	}
	if p, ok := tr.Province("fes"); !ok || p.RegionID != "fes-meknes" {
		t.Errorf("Province(fes) = %+v, %v", p, ok)
	}
	if c, ok := tr.Chamber(FederationID); !ok || c.RegionID != "" {
		t.Errorf("federation = %+v, %v", c, ok)
	}
	if got := len(tr.ProvincesOf("-")); got != 75 {
		t.Errorf("ProvincesOf(-) = %d", got)
	}
}

func TestInChamber(t *testing.T) {
	tr, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		chamber, province string
		want              bool
	}{
		{"fes-meknes", "fes", true},
		{"fes-meknes", "meknes", true},
		{"fes-meknes", "safi", false},
		{FederationID, "safi", true},
		{"fes-meknes", "atlantis", false},
		{FederationID, "atlantis", false},
	}
	for _, tt := range tests {
		if got := tr.InChamber(tt.chamber, tt.province); got != tt.want {
			t.Errorf("InChamber(%s, %s) = %v", tt.chamber, tt.province, got)
		}
	}
	if !tr.HasProvince("tetouan") || tr.HasProvince("atlantis") {
		t.Error("HasProvince")
	}
}

package target

import "testing"

func TestCompute(t *testing.T) {
	region := map[string]string{"fes": "fes-meknes", "taounate": "fes-meknes", "marrakech": "marrakech-safi"}
	got := Compute(map[string]int64{"fes": 10000, "taounate": 10000, "marrakech": 0},
		map[string]int64{"fes": 16100, "taounate": 1300, "meknes": 500, "marrakech": 7},
		func(p string) string { return region[p] })
	if len(got.Provinces) != 3 || got.Provinces[0].Area != "fes" || got.Provinces[0].Percent() != 161 || got.Provinces[1].Percent() != 13 {
		t.Fatalf("provinces = %+v", got.Provinces)
	}
	if got.Provinces[2].Percent() != 0 { // no target: no percentage
		t.Errorf("marrakech = %v", got.Provinces[2].Percent())
	}
	if r := got.Regions[0]; r.Area != "fes-meknes" || r.Target != 20000 || r.Achieved != 17400 || r.Percent() != 87 {
		t.Errorf("region = %+v %v", r, r.Percent())
	}
	if got.Total.Achieved != 17407 || got.Total.Target != 20000 {
		t.Errorf("total = %+v", got.Total)
	}
}

type places map[string]string

func (p places) InChamber(chamber, province string) bool { return p[province] == chamber }

func TestValidate(t *testing.T) {
	ok := &Target{Province: "fes", Year: 2025, Artisans: 100}
	ok.Chamber = "fes-meknes"
	if err := ok.Validate(places{"fes": "fes-meknes"}); err != nil {
		t.Fatal(err)
	}
	bad := &Target{Province: "marrakech", Year: 1999, Artisans: -1}
	bad.Chamber = "fes-meknes"
	if err := bad.Validate(places{"marrakech": "marrakech-safi"}); err == nil || err.Error() != "invalid argument: registration_target.province: province \"marrakech\" is not in the territory of chambers/fes-meknes; registration_target.year: must be between 2000 and 2100, got 1999; registration_target.artisans: must be between 0 and 10000000, got -1" {
		t.Errorf("err = %v", err)
	}
}

package projection

import (
	"reflect"
	"testing"
)

func TestDeltas(t *testing.T) {
	a := Registrant{Type: Artisan, Chamber: "fes-meknes", ID: "a1", Province: "fes", State: "APPLICANT", Version: 1}
	reg := a
	reg.State, reg.RegisterDate, reg.Version = "REGISTERED", "2023-01-15", 2
	same := reg
	same.Version = 3 // a newer event that moves nothing counted

	if got := Deltas(nil, &a); !reflect.DeepEqual(got, []Delta{{Key: a, Count: 1}}) {
		t.Errorf("create = %+v", got)
	}
	if got := Deltas(&a, &reg); len(got) != 2 || got[0].Count != -1 || got[0].Key.State != "APPLICANT" || got[1].Count != 1 || got[1].Key.State != "REGISTERED" {
		t.Errorf("register = %+v", got)
	}
	if got := Deltas(&reg, &same); got != nil {
		t.Errorf("no counted change = %+v", got)
	}
	if got := Deltas(&reg, nil); len(got) != 1 || got[0].Count != -1 {
		t.Errorf("delete = %+v", got)
	}
	c := Registrant{Type: Cooperative, MembersWomen: 9, MembersMen: 2}
	if got := Deltas(&c, nil); got[0].MembersWomen != -9 || got[0].MembersMen != -2 {
		t.Errorf("members = %+v", got)
	}
	if reg.RegisterMonth() != "2023-01" || a.RegisterMonth() != "" {
		t.Errorf("months %q %q", reg.RegisterMonth(), a.RegisterMonth())
	}
}

func TestSplitName(t *testing.T) {
	c, ids, ok := SplitName("chambers/fes-meknes/events/e1/exhibitors/x2")
	if !ok || c != "fes-meknes" || !reflect.DeepEqual(ids, []string{"e1", "x2"}) {
		t.Errorf("= %q %q %v", c, ids, ok)
	}
	for _, bad := range []string{"", "activities/F1", "chambers/x/events", "regions/x/events/e"} {
		if _, _, ok := SplitName(bad); ok {
			t.Errorf("%q: ok", bad)
		}
	}
}

package store_test

import (
	"reflect"
	"testing"

	"github.com/hirfa/hirfa/pkg/store"
)

type gadget struct {
	Label string   `json:"label"`
	Tags  []string `json:"tags"`
}

type gadgetRecordV1 struct {
	Name string   `json:"name"`
	Tags []string `json:"tags"`
}

// TestRecordV1 reads version 0 as the entity's own JSON and version 1 as
// the record type, writes the record type, and refuses any other version.
func TestRecordV1(t *testing.T) {
	rec := store.RecordV1("gadget",
		func(g *gadget) gadgetRecordV1 { return gadgetRecordV1{Name: g.Label, Tags: g.Tags} },
		func(r gadgetRecordV1, g *gadget) { g.Label, g.Tags = r.Name, r.Tags })
	if rec.Version != 1 {
		t.Fatalf("RecordV1 writes version %d", rec.Version)
	}
	data, err := rec.Encode(&gadget{Label: "tajine", Tags: []string{"clay"}})
	if err != nil || string(data) != `{"name":"tajine","tags":["clay"]}` {
		t.Fatalf("encode = %s, %v", data, err)
	}
	for version, data := range map[int64]string{0: `{"label":"tajine","tags":["clay"]}`, 1: `{"name":"tajine","tags":["clay"]}`} {
		var g gadget
		if err := rec.Decode(version, []byte(data), &g); err != nil || !reflect.DeepEqual(g, gadget{Label: "tajine", Tags: []string{"clay"}}) {
			t.Errorf("decode v%d = %+v, %v", version, g, err)
		}
	}
	if err := rec.Decode(2, []byte(`{}`), &gadget{}); err == nil || err.Error() != "unknown gadget record version 2" {
		t.Errorf("decode of an unknown version = %v", err)
	}
}

// TestMapSlice keeps nil and empty apart, so a record reads back as the JSON
// it was written from (null against []).
func TestMapSlice(t *testing.T) {
	double := func(n int) int { return 2 * n }
	if got := store.MapSlice([]int(nil), double); got != nil {
		t.Errorf("MapSlice(nil) = %#v, want nil", got)
	}
	if got := store.MapSlice([]int{}, double); got == nil || len(got) != 0 {
		t.Errorf("MapSlice(empty) = %#v, want an empty slice", got)
	}
	if got := store.MapSlice([]int{1, 2}, double); !reflect.DeepEqual(got, []int{2, 4}) {
		t.Errorf("MapSlice = %v", got)
	}
}

package storetest_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store/storetest"
)

type thing struct {
	resource.Meta
	N int
}

// TestMem: an update that fails keeps nothing, one that succeeds is kept a
// revision up with its write recorded, and readers get copies.
func TestMem(t *testing.T) {
	ctx := context.Background()
	v := &thing{N: 1}
	v.Chamber, v.ID, v.Revision = "fes-meknes", "t1", 1
	m := storetest.NewMem(v)
	n := resource.Name{Chamber: "fes-meknes", Collection: "things", ID: "t1"}
	if _, err := m.Update(ctx, n, change.Write{Action: "Broken"}, func(x *thing) error { x.N = 9; return errors.New("refused") }); err == nil {
		t.Fatal("a failing fn was kept")
	}
	got, err := m.Update(ctx, n, change.Write{Action: "Bumped"}, func(x *thing) error { x.N++; return nil })
	if err != nil || got.N != 2 || got.Revision != 2 {
		t.Fatalf("Update = %+v, %v", got, err)
	}
	got.N = 7
	if again, _ := m.Get(ctx, n); again.N != 2 || !slices.Equal(m.Actions(), []string{"Bumped"}) {
		t.Fatalf("stored %+v, actions %v", again, m.Actions())
	}
	if _, err := m.Get(ctx, resource.Name{Chamber: "fes-meknes", ID: "t2"}); !fault.Is[*fault.NotFoundError](err) {
		t.Fatalf("missing = %v", err)
	}
}

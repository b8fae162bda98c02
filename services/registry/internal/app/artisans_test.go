package app_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/pkg/tenancy"
	"github.com/hirfa/hirfa/pkg/territory"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
)

// memArtisans adds the artisan's own queries to an in-memory repository.
type memArtisans struct {
	*storetest.Mem[artisan.Artisan, *artisan.Artisan]
	seq int64 // NIA numbers handed out
}

func (m *memArtisans) List(context.Context, paging.ListQuery) (paging.Page[*artisan.Artisan], error) {
	return paging.Page[*artisan.Artisan]{}, errors.New("not used")
}

func (m *memArtisans) Delete(context.Context, resource.Name, change.Write, func(*artisan.Artisan) error) error {
	return errors.New("not used")
}

func (m *memArtisans) NextNIASequence(context.Context, string, int) (int64, error) {
	m.seq++
	return m.seq, nil
}

// TestTransitionArtisan checks the rules the app layer adds to the
// artisan's table: registration takes the chamber's next NIA only when the
// artisan can be registered (a refused call burns no number), each move
// records the event of its row, and a refused or stale move writes nothing.
func TestTransitionArtisan(t *testing.T) {
	terr, err := territory.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctx := auth.NewContext(context.Background(), auth.Principal{Subject: "clerk@fes", Role: auth.RoleChamberClerk, Chamber: "fes-meknes"})
	n := resource.Name{Chamber: "fes-meknes", Collection: artisan.Collection, ID: "a1"}
	a := &artisan.Artisan{State: artisan.Applicant}
	a.Chamber, a.ID, a.Revision = n.Chamber, n.ID, 1
	arts := &memArtisans{Mem: storetest.NewMem(a)}
	r := app.New(app.Repositories{Artisans: arts}, terr, tenancy.Guard{}, cooperative.Rules{})
	r.SetClock(func() time.Time { return time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC) })

	reg, err := r.TransitionArtisan(ctx, n, artisan.Register, app.Mutation{Method: "/test/Register"})
	if err != nil || reg.State != artisan.Registered || reg.NIA == "" || arts.seq != 1 {
		t.Fatalf("register an applicant = %+v, %v (numbers taken %d)", reg, err, arts.seq)
	}
	if _, err := r.TransitionArtisan(ctx, n, artisan.Register, app.Mutation{Method: "/test/Register"}); !fault.Is[*fault.PreconditionError](err) || arts.seq != 1 {
		t.Fatalf("register twice = %v, numbers taken %d; want FAILED_PRECONDITION and no number burnt", err, arts.seq)
	}
	if _, err := r.TransitionArtisan(ctx, n, artisan.Suspend, app.Mutation{Method: "/test/Suspend", Etag: `"zz"`, Reason: "late fees"}); !fault.Is[*fault.ConflictError](err) {
		t.Fatalf("suspend with a stale etag = %v, want ABORTED", err)
	}
	sus, err := r.TransitionArtisan(ctx, n, artisan.Suspend, app.Mutation{Method: "/test/Suspend", Etag: reg.Etag(), Reason: "late fees"})
	if err != nil || sus.State != artisan.Suspended || sus.StateReason != "late fees" || sus.NIA != reg.NIA {
		t.Fatalf("suspend = %+v, %v", sus, err)
	}
	if _, err := r.TransitionArtisan(ctx, n, artisan.StrikeOff, app.Mutation{Method: "/test/StrikeOff", Reason: "left the trade"}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"Registered", "Suspended", "StruckOff"}; !slices.Equal(arts.Actions(), want) {
		t.Errorf("recorded events %v, want %v (refused moves write nothing)", arts.Actions(), want)
	}
	for _, w := range arts.Writes {
		if w.Actor.Subject != "clerk@fes" || w.Actor.Chamber != "fes-meknes" {
			t.Errorf("write %s by %+v, want the caller", w.Action, w.Actor)
		}
	}

	other := auth.NewContext(context.Background(), auth.Principal{Subject: "clerk@marrakech", Role: auth.RoleChamberClerk, Chamber: "marrakech-safi"})
	if _, err := r.TransitionArtisan(other, n, artisan.Reinstate, app.Mutation{Method: "/test/Reinstate"}); !fault.Is[*fault.NotFoundError](err) || len(arts.Writes) != 3 {
		t.Errorf("another chamber's clerk = %v, %d writes; want NOT_FOUND and nothing written", err, len(arts.Writes))
	}
}

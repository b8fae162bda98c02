package app_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/hirfa/hirfa/pkg/assembly"
	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/tenancy"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/app"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/fair"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/nested"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/registration"
)

// spyLocks records every lock asked for and refuses it, so a use case that
// locks before checking tenancy shows up without touching storage.
type spyLocks struct {
	mu   sync.Mutex
	keys []string
}

func (l *spyLocks) Lock(_ context.Context, key string) (func(), error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.keys = append(l.keys, key)
	return nil, errors.New("lock taken")
}

// TestTenancyBeforeLocks: a caller of another chamber is refused before any
// per-event lock is taken, so it can neither hold up another chamber's
// decisions nor learn from the wait that an event exists.
func TestTenancyBeforeLocks(t *testing.T) {
	locks := &spyLocks{}
	a := app.New(app.Repositories{}, nil, nil, tenancy.Guard{}, locks, app.Settings{})
	ctx := auth.NewContext(context.Background(), auth.Principal{Subject: "clerk@marrakech-safi", Role: auth.RoleChamberClerk, Chamber: "marrakech-safi"})
	ev := resource.Name{Chamber: "fes-meknes", Collection: "events", ID: "e1"}
	ga := resource.Name{Chamber: "fes-meknes", Collection: "generalAssemblies", ID: "g1"}
	child := func(p resource.Name, coll, id string) nested.Name {
		return nested.Name{Chamber: p.Chamber, ParentCollection: p.Collection, Parent: p.ID, Collection: coll, ID: id}
	}
	m := app.Mutation{Method: "/test"}
	calls := map[string]func() error{
		"DeleteEvent":   func() error { return a.DeleteEvent(ctx, ev, m) },
		"EvaluateEvent": func() error { _, err := a.EvaluateEvent(ctx, ev, m); return err },
		"CreateBooth":   func() error { _, err := a.CreateBooth(ctx, ev, &fair.Booth{}, m); return err },
		"DeleteBooth":   func() error { return a.DeleteBooth(ctx, child(ev, "booths", "b1"), m) },
		"SelectExhibitor": func() error {
			_, err := a.SelectExhibitor(ctx, child(ev, "exhibitors", "x1"), "accept", m)
			return err
		},
		"AllocateBooth": func() error {
			_, err := a.AllocateBooth(ctx, child(ev, "exhibitors", "x1"), child(ev, "booths", "b1"), m)
			return err
		},
		"DeclareSales": func() error { _, err := a.DeclareSales(ctx, child(ev, "exhibitors", "x1"), 10, m); return err },
		"RecordVisitorCount": func() error {
			_, err := a.RecordVisitorCount(ctx, ev, &fair.VisitorCount{Date: "2026-05-01", Visitors: 10}, m)
			return err
		},
		"CreateRegistration": func() error {
			_, err := a.CreateRegistration(ctx, ev, &registration.Registration{DisplayName: "x"}, m)
			return err
		},
		"CancelRegistration": func() error {
			_, err := a.CancelRegistration(ctx, child(ev, "registrations", "r1"), m)
			return err
		},
		"ChangeAssembly": func() error { _, err := a.OpenSession(ctx, ga, m); return err },
		"OpenVote":       func() error { _, err := a.OpenVote(ctx, child(ga, "agendaItems", "i1"), m); return err },
		"CastVote": func() error {
			_, err := a.CastVote(ctx, child(ga, "agendaItems", "i1"), "m1", assembly.For, m)
			return err
		},
		"CloseVote": func() error {
			_, err := a.CloseVote(ctx, child(ga, "agendaItems", "i1"), l10n.Text{FR: "x"}, m)
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			locks.keys = nil
			err := func() (err error) {
				defer func() {
					if r := recover(); r != nil {
						err = fmt.Errorf("reached storage before the tenancy check: %v", r)
					}
				}()
				return call()
			}()
			var nf *fault.NotFoundError
			if !errors.As(err, &nf) || len(locks.keys) != 0 {
				t.Fatalf("another chamber's call = %v, locks taken %v; want NotFound and no lock", err, locks.keys)
			}
		})
	}
}

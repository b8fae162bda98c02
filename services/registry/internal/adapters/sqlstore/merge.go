package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/enterprise"
)

// Merges merges duplicate artisans: both records, and every enterprise
// supervised by the merged one, change in one transaction, each with its
// outbox event and audit record.
type Merges struct {
	artisans    *store.Table[*artisan.Artisan]
	enterprises *store.Table[*enterprise.Enterprise]
	db          *store.DB
}

var _ artisan.Merger = (*Merges)(nil)

// NewMerges returns the merger over the two repositories.
func NewMerges(a *Artisans, e *Enterprises) *Merges {
	return &Merges{artisans: a.T, enterprises: e.T, db: a.db}
}

// MergeArtisans locks both records (in name order, so two merges of the same
// pair cannot deadlock), lets fn change them, then writes the merged record
// first — it leaves the live CNIE index before the kept one may take its
// CNIE — and the kept one, and points the enterprises the merged record
// supervised at the kept one. w is the kept record's write (its request id
// makes the merge idempotent); the others record the same method and actor
// without the request id.
func (m *Merges) MergeArtisans(ctx context.Context, kept, other resource.Name, w change.Write, wOther change.Write,
	fn func(kept, other *artisan.Artisan) error) (out *artisan.Artisan, err error) {
	err = m.db.Tx(ctx, func(tx *sql.Tx) error {
		if v, ok, err := m.artisans.Replayed(ctx, tx, kept.Chamber, w); err != nil || ok {
			out = v
			return err
		}
		first, second := kept, other
		if other.String() < kept.String() {
			first, second = other, kept
		}
		got := map[string]*artisan.Artisan{}
		for _, n := range []resource.Name{first, second} {
			a, err := m.artisans.GetIn(ctx, tx, n.Chamber, n.ID, true)
			if err != nil {
				return err
			}
			got[n.String()] = a
		}
		k, o := got[kept.String()], got[other.String()]
		if err := fn(k, o); err != nil {
			return err
		}
		put := func(v *artisan.Artisan) func(*artisan.Artisan) error {
			return func(a *artisan.Artisan) error { *a = *v; return nil }
		}
		if _, err := m.artisans.UpdateIn(ctx, tx, other.Chamber, other.ID, wOther, put(o)); err != nil {
			return err
		}
		if out, err = m.artisans.UpdateIn(ctx, tx, kept.Chamber, kept.ID, w, put(k)); err != nil {
			return err
		}
		return m.moveSupervision(ctx, tx, other.String(), kept.String(), wOther)
	})
	return out, m.artisans.Wrap("merge", err)
}

// moveSupervision points every enterprise supervised by from at to.
func (m *Merges) moveSupervision(ctx context.Context, tx *sql.Tx, from, to string, w change.Write) error {
	rows, err := tx.QueryContext(ctx, m.db.Rebind("SELECT chamber, id FROM enterprises WHERE supervising_artisan = ? ORDER BY chamber, id"), from)
	if err != nil {
		return fmt.Errorf("find supervised enterprises: %w", err)
	}
	var ids [][2]string
	for rows.Next() {
		var c, id string
		if err := rows.Scan(&c, &id); err != nil {
			_ = rows.Close()
			return err
		}
		ids = append(ids, [2]string{c, id})
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}
	w.Action = "SupervisorMerged"
	for _, e := range ids {
		if _, err := m.enterprises.UpdateIn(ctx, tx, e[0], e[1], w, func(x *enterprise.Enterprise) error {
			x.SupervisingArtisan = to
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

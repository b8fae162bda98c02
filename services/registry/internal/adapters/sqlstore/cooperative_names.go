package sqlstore

import (
	"context"
	"fmt"

	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
)

// CooperativeNames reads the names of the cooperatives nationally, for the
// name check (app.NameCheck).
type CooperativeNames struct{ DB *store.DB }

var _ app.NameSource = CooperativeNames{}

// ChangedSince returns the cooperatives whose update_time is at or after
// since (UNIX microseconds; 0 for all), oldest change first, then the
// releases of the cooperatives deleted at or after since (a full read
// returns none: a deleted cooperative has no row left to release).
func (s CooperativeNames) ChangedSince(ctx context.Context, since int64) ([]app.HeldName, error) {
	out, err := changedSince(ctx, s.DB, "cooperatives", since, cooperativeRecord, app.CooperativeHeld)
	if err != nil || since == 0 {
		return out, err
	}
	return releasedSince(ctx, s.DB, since, out)
}

// releasedSince appends to out the releases of the cooperatives deleted at
// or after since (cooperative_name_releases, written by the delete).
func releasedSince(ctx context.Context, db *store.DB, since int64, out []app.HeldName) ([]app.HeldName, error) {
	rows, err := db.SQL.QueryContext(ctx, db.Rebind(
		"SELECT chamber, id, update_time FROM cooperative_name_releases WHERE update_time >= ? ORDER BY update_time"), since)
	if err != nil {
		return nil, fmt.Errorf("read released cooperative names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			chamber, id string
			at          int64
		)
		if err := rows.Scan(&chamber, &id, &at); err != nil {
			return nil, fmt.Errorf("read released cooperative names: %w", err)
		}
		out = append(out, app.DeletedHeld(resource.Name{Chamber: chamber, Collection: cooperative.Collection, ID: id}.String(), at))
	}
	return out, rows.Err()
}

// changedSince reads table's rows whose update_time is at or after since,
// oldest change first, decodes each row's data and metadata into a D
// through the table's record and returns the names held gives for it: the
// one scan both name sources share, and held the mapping the writes hand
// to the name check too (app.Registry.OnHeldNamesChanged).
func changedSince[D any, P interface {
	*D
	store.Entity
}](ctx context.Context, db *store.DB, table string, since int64, rec *store.Record[P], held func(P) []app.HeldName) ([]app.HeldName, error) {
	rows, err := db.SQL.QueryContext(ctx, db.Rebind(
		"SELECT chamber, id, revision, update_time, data, data_version FROM "+table+" WHERE update_time >= ? ORDER BY update_time"), since)
	if err != nil {
		return nil, fmt.Errorf("read names of %s: %w", table, err)
	}
	defer rows.Close()
	var out []app.HeldName
	for rows.Next() {
		var (
			chamber, id                string
			revision, updated, version int64
			data                       []byte
			d                          = P(new(D))
		)
		if err := rows.Scan(&chamber, &id, &revision, &updated, &data, &version); err != nil {
			return nil, fmt.Errorf("read names of %s: %w", table, err)
		}
		if err := rec.Decode(version, data, d); err != nil {
			return nil, fmt.Errorf("%s %s/%s: %w", table, chamber, id, err)
		}
		m := d.ResourceMeta()
		m.Chamber, m.ID, m.Revision, m.UpdateTime = chamber, id, revision, store.FromMicros(updated)
		out = append(out, held(d)...)
	}
	return out, rows.Err()
}

// RequestedNames reads the names of the name requests nationally, for the
// name check: a PENDING request holds its proposed names, an APPROVED one
// its approved name until the certificate's expiry; other states hold
// none (each request's three places are always returned, released when
// empty, so a decision takes its names out of the index).
type RequestedNames struct{ DB *store.DB }

var _ app.NameSource = RequestedNames{}

// ChangedSince returns the requests whose update_time is at or after since
// (UNIX microseconds; 0 for all), oldest change first.
func (s RequestedNames) ChangedSince(ctx context.Context, since int64) ([]app.HeldName, error) {
	return changedSince(ctx, s.DB, "name_requests", since, nameRequestRecord, app.RequestHeld)
}

package sqlstore

import (
	"context"
	"fmt"

	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
	"github.com/hirfa/hirfa/services/registry/internal/domain/namerequest"
)

// CooperativeNames reads the names of the cooperatives nationally, for the
// name check (app.NameCheck).
type CooperativeNames struct{ DB *store.DB }

var _ app.NameSource = CooperativeNames{}

// ChangedSince returns the cooperatives whose update_time is at or after
// since (UNIX microseconds; 0 for all), oldest change first.
func (s CooperativeNames) ChangedSince(ctx context.Context, since int64) ([]app.HeldName, error) {
	return changedSince(ctx, s.DB, "cooperatives", since, cooperativeRecord, func(chamber, id string, updated int64, d *cooperative.Cooperative) []app.HeldName {
		return []app.HeldName{{
			Holder: "chambers/" + chamber + "/cooperatives/" + id, Kind: app.HeldCooperative,
			AR: d.DisplayName.AR, FR: d.DisplayName.FR, UpdateTime: updated,
		}}
	})
}

// changedSince reads table's rows whose update_time is at or after since,
// oldest change first, decodes each row's data into a D through the table's
// record and returns the names held gives for it: the one scan both name
// sources share.
func changedSince[D any](ctx context.Context, db *store.DB, table string, since int64, rec *store.Record[*D],
	held func(chamber, id string, updated int64, d *D) []app.HeldName) ([]app.HeldName, error) {
	rows, err := db.SQL.QueryContext(ctx, db.Rebind(
		"SELECT chamber, id, update_time, data, data_version FROM "+table+" WHERE update_time >= ? ORDER BY update_time"), since)
	if err != nil {
		return nil, fmt.Errorf("read names of %s: %w", table, err)
	}
	defer rows.Close()
	var out []app.HeldName
	for rows.Next() {
		var (
			chamber, id string
			updated     int64
			data        []byte
			version     int64
			d           D
		)
		if err := rows.Scan(&chamber, &id, &updated, &data, &version); err != nil {
			return nil, fmt.Errorf("read names of %s: %w", table, err)
		}
		if err := rec.Decode(version, data, &d); err != nil {
			return nil, fmt.Errorf("%s %s/%s: %w", table, chamber, id, err)
		}
		out = append(out, held(chamber, id, updated, &d)...)
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
	return changedSince(ctx, s.DB, "name_requests", since, nameRequestRecord, func(chamber, id string, updated int64, q *namerequest.Request) []app.HeldName {
		holder := resource.Name{Chamber: chamber, Collection: namerequest.Collection, ID: id}.String()
		out := make([]app.HeldName, 0, namerequest.MaxNames)
		for i := range namerequest.MaxNames {
			h := app.HeldName{Key: fmt.Sprintf("%s#%d", holder, i+1), Holder: holder, UpdateTime: updated}
			switch {
			case q.State == namerequest.Pending && i < len(q.Names):
				h.Kind, h.AR, h.FR = app.HeldPending, q.Names[i].AR, q.Names[i].FR
			case q.State == namerequest.Approved && i+1 == q.ApprovedName:
				h.Kind, h.AR, h.FR = app.HeldReserved, q.Names[i].AR, q.Names[i].FR
				h.Expires = q.ExpiryDate.Time().AddDate(0, 0, 1) // usable through its last day
			}
			out = append(out, h)
		}
		return out
	})
}

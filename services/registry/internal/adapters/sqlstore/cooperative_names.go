package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/registry/internal/app"
)

// CooperativeNames reads the names of the cooperatives nationally, for the
// name check (app.NameCheck).
type CooperativeNames struct{ DB *store.DB }

var _ app.NameSource = CooperativeNames{}

// ChangedSince returns the cooperatives whose update_time is at or after
// since (UNIX microseconds; 0 for all), oldest change first.
func (s CooperativeNames) ChangedSince(ctx context.Context, since int64) ([]app.HeldName, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, s.DB.Rebind(
		"SELECT chamber, id, update_time, data FROM cooperatives WHERE update_time >= ? ORDER BY update_time"), since)
	if err != nil {
		return nil, fmt.Errorf("read cooperative names: %w", err)
	}
	defer rows.Close()
	var out []app.HeldName
	for rows.Next() {
		var (
			chamber, id string
			updated     int64
			data        []byte
			doc         struct {
				DisplayName struct {
					AR string `json:"ar"`
					FR string `json:"fr"`
				} `json:"display_name"`
			}
		)
		if err := rows.Scan(&chamber, &id, &updated, &data); err != nil {
			return nil, fmt.Errorf("read cooperative names: %w", err)
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("cooperative %s/%s: %w", chamber, id, err)
		}
		out = append(out, app.HeldName{
			Holder: "chambers/" + chamber + "/cooperatives/" + id, Kind: "COOPERATIVE",
			AR: doc.DisplayName.AR, FR: doc.DisplayName.FR, UpdateTime: updated,
		})
	}
	return out, rows.Err()
}

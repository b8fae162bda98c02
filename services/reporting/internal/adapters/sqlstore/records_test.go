package sqlstore

import (
	"testing"

	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/target"
)

// TestRecordVersions checks the registration target's versioned record: it
// keeps every field of the target, and a row in the shape stored before it
// is read, and rewritten as the current version, on SQLite and PostgreSQL.
func TestRecordVersions(t *testing.T) {
	storetest.RecordVersions(t, Migrate,
		storetest.RecordVersion[*target.Target]{
			Record: targetRecord, Table: "registration_targets",
			Columns: map[string]any{"province": "fes", "year": 2026, "artisans": 1200},
			Old:     `{"province":"fes","year":2026,"artisans":1200}`,
			Want:    &target.Target{Province: "fes", Year: 2026, Artisans: 1200},
			Repo:    func(db *store.DB) storetest.KeyRepo[*target.Target] { return storetest.OnTable(NewTargets(db).t) },
			Change:  func(t *target.Target) error { t.Artisans = 1500; return nil },
			Changed: func(t *target.Target) { t.Artisans = 1500 },
			Keys:    map[string]any{"province": "fes", "year": float64(2026), "artisans": float64(1500)},
		},
	)
}

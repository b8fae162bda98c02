package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/services/registry/internal/adapters/sqlstore"
)

// firstPages are the first-page queries of the documented list filters, in
// the shape pkg/store's Table.List writes them (chamber equality unless
// national, the compiled filter, ORDER BY the keyset, LIMIT page size + 1).
var firstPages = []struct {
	table, chamber, where string
	args                  []any
}{
	{"artisans", "", "", nil},
	{"artisans", "", "(state = ?)", []any{"REGISTERED"}},
	{"artisans", "", "(gender = ?)", []any{"FEMALE"}},
	{"artisans", "", "((state = ? AND gender = ?))", []any{"REGISTERED", "FEMALE"}},
	{"artisans", "", "(province = ?)", []any{"fes"}},
	{"artisans", "fes-meknes", "", nil},
	{"artisans", "fes-meknes", "(state = ?)", []any{"SUSPENDED"}},
	{"artisans", "fes-meknes", "(gender = ?)", []any{"FEMALE"}},
	{"artisans", "fes-meknes", "((state = ? AND gender = ?))", []any{"REGISTERED", "FEMALE"}},
	{"cooperatives", "", "", nil},
	{"cooperatives", "", "(state = ?)", []any{"FORMING"}},
	{"cooperatives", "fes-meknes", "(state = ?)", []any{"FORMING"}},
	{"associations", "", "", nil},
	{"associations", "", "(state = ?)", []any{"ACTIVE"}},
	{"associations", "", "(category = ?)", []any{"WOMEN"}},
	{"associations", "fes-meknes", "(category = ?)", []any{"WOMEN"}},
	{"enterprises", "", "", nil},
	{"enterprises", "", "(state = ?)", []any{"ACTIVE"}},
	{"enterprises", "fes-meknes", "(state = ?)", []any{"ACTIVE"}},
}

// TestFirstPagesAnswerFromAnIndex checks, on both databases, that the first
// page of every documented filter, national (chambers/-) and per chamber,
// is read in keyset order from an index: no full scan of the register and
// no sort of it. On PostgreSQL sequential scans and sorts are priced out
// (enable_seqscan/enable_sort off), so a plan that still has one has no
// index to use instead; on SQLite the plan must not build a temporary
// B-tree for the ORDER BY.
func TestFirstPagesAnswerFromAnIndex(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		ctx := context.Background()
		db := open(t)
		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		conn, err := db.SQL.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		explain := "EXPLAIN QUERY PLAN "
		if db.Dialect == store.Postgres {
			explain = "EXPLAIN "
			for _, s := range []string{"SET enable_seqscan = off", "SET enable_sort = off", "SET enable_bitmapscan = off"} {
				if _, err := conn.ExecContext(ctx, s); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, q := range firstPages {
			var where []string
			var args []any
			if q.chamber != "" {
				where, args = append(where, "chamber = ?"), append(args, q.chamber)
			}
			if q.where != "" {
				where, args = append(where, q.where), append(args, q.args...)
			}
			sql := "SELECT chamber, id, revision, create_time, update_time, data, create_time FROM " + q.table
			if len(where) > 0 {
				sql += " WHERE " + strings.Join(where, " AND ")
			}
			sql += " ORDER BY create_time ASC, chamber ASC, id ASC LIMIT 51"
			rows, err := conn.QueryContext(ctx, db.Rebind(explain+sql), args...)
			if err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
			var plan []string
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, toString(vals[len(vals)-1]))
			}
			rows.Close()
			text := strings.Join(plan, "\n")
			bad := []string{"Seq Scan", "Sort"}
			if db.Dialect != store.Postgres {
				bad = []string{"TEMP B-TREE", "SCAN " + q.table + "\n", "SCAN " + q.table + "$"}
				text += "$"
			}
			for _, b := range bad {
				if strings.Contains(text+"\n", b) {
					t.Errorf("%s %v: plan has %q:\n%s", sql, args, strings.Trim(b, "\n$"), text)
				}
			}
		}
	})
}

func toString(v any) string {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case string:
		return x
	default:
		return ""
	}
}

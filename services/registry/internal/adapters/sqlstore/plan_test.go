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

// artisanIndexes are the indexes of the artisans table and what each one
// serves: every index is paid for by every artisan write (a bulk import
// spends most of its database time maintaining them), so one that serves no
// documented query or rule is not kept.
var artisanIndexes = map[string]string{
	"artisans_pkey":            "Get by name; the primary key (chamber, id)",
	"artisans_live_cnie":       "one live registration per CNIE nationally (unique); CNIE look-ups of create, import and merge",
	"artisans_struck_off_cnie": "the duplicate scan's struck-off records of a CNIE",
	"artisans_nia":             "an NIA given once, ever (unique, NIAs given only); filter nia = …",
	"artisans_birth_date":      "the duplicate scan's records born the same day",
	"artisans_create":          "a chamber's list, no filter or gender = … (firstPages)",
	"artisans_national":        "the national list, no filter or gender = … (firstPages)",
	"artisans_national_state":  "the national list, state = … (and gender = …) (firstPages)",
	"artisans_state_page":      "a chamber's list, state = … (and gender = …) (firstPages)",
	"artisans_province_page":   "the list filtered by province = … (firstPages)",
	"artisans_name_grams":      "display_name:\"…\" name search (PostgreSQL; SQLite has its FTS5 table)",
}

// TestArtisanIndexesServeAQuery checks, on both databases, that the
// artisans table has exactly the indexes of artisanIndexes, and that the
// NIA index holds only the NIAs given (an applicant's write skips it).
func TestArtisanIndexesServeAQuery(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		ctx := context.Background()
		db := open(t)
		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		q := `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'artisans'`
		if db.Dialect != store.Postgres {
			// The primary key's automatic index has no SQL.
			q = `SELECT CASE WHEN sql IS NULL THEN 'artisans_pkey' ELSE name END, coalesce(sql, '') FROM sqlite_master WHERE type = 'index' AND tbl_name = 'artisans'`
		}
		rows, err := db.SQL.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		seen := map[string]bool{}
		for rows.Next() {
			var name, def string
			if err := rows.Scan(&name, &def); err != nil {
				t.Fatal(err)
			}
			seen[name] = true
			if _, ok := artisanIndexes[name]; !ok {
				t.Errorf("index %s serves no documented query: %s", name, def)
			}
			if name == "artisans_nia" && !strings.Contains(strings.ToLower(def), "where (nia is not null)") && !strings.Contains(strings.ToLower(def), "where nia is not null") {
				t.Errorf("artisans_nia holds applicants' NULLs too: %s", def)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		for name := range artisanIndexes {
			if !seen[name] && (name != "artisans_name_grams" || db.Dialect == store.Postgres) {
				t.Errorf("index %s is missing", name)
			}
		}
	})
}

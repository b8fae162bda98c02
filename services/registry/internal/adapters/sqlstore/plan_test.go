package sqlstore_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/services/registry/internal/adapters/sqlstore"
)

// firstPages are the first-page queries of every documented list filter
// and order_by of every register (the List RPCs' filter fields; display_name:"…" has its
// own plan tests, TestNameSearchFromTheIndex and its siblings), national
// and per chamber, in the shape pkg/store's Table.List writes them (chamber
// equality unless national, the compiled filter, ORDER BY the keyset,
// LIMIT page size + 1). order is the list's order column (create_time
// unless set). via names the index a page must read once the register has
// statistics: a unique one (an NIA, a certificate) selects a handful of
// rows, so sorting them is allowed.
var firstPages = []struct {
	table, chamber, where string
	args                  []any
	order, via            string
	// postgresOnly: SQLite keeps no histogram of the values, so it cannot
	// tell a rare range from a dense one; the benchmark's database is
	// PostgreSQL.
	postgresOnly bool
}{
	{table: "artisans"},
	{table: "artisans", chamber: "fes-meknes"},
	{table: "artisans", where: "(state = ?)", args: []any{"REGISTERED"}},
	{table: "artisans", where: "(gender = ?)", args: []any{"FEMALE"}},
	{table: "artisans", where: "((state = ? AND gender = ?))", args: []any{"REGISTERED", "FEMALE"}},
	{table: "artisans", where: "(province = ?)", args: []any{"fes"}},
	{table: "artisans", where: "(activity = ?)", args: []any{"F1.B02.A01"}},
	{table: "artisans", where: "(category = ?)", args: []any{"MASTER"}},
	{table: "artisans", where: "(create_time >= ?)", args: []any{int64(1700000000000000)}},
	{table: "artisans", where: "(nia = ?)", args: []any{"0101202600001"}, via: "artisans_nia"},
	{table: "artisans", chamber: "fes-meknes", where: "(state = ?)", args: []any{"SUSPENDED"}},
	{table: "artisans", chamber: "fes-meknes", where: "(gender = ?)", args: []any{"FEMALE"}},
	{table: "artisans", chamber: "fes-meknes", where: "((state = ? AND gender = ?))", args: []any{"REGISTERED", "FEMALE"}},
	{table: "artisans", chamber: "fes-meknes", where: "(province = ?)", args: []any{"fes"}},
	{table: "artisans", chamber: "fes-meknes", where: "(activity = ?)", args: []any{"F1.B02.A01"}},
	{table: "artisans", chamber: "fes-meknes", where: "(category = ?)", args: []any{"MASTER"}},
	{table: "artisans", chamber: "fes-meknes", where: "(create_time >= ?)", args: []any{int64(1700000000000000)}},
	{table: "artisans", chamber: "fes-meknes", where: "(nia = ?)", args: []any{"0101202600001"}, via: "artisans_nia"},
	// Another chamber's province: none in this chamber, found without
	// reading that province's rows.
	{table: "artisans", chamber: "fes-meknes", where: "(province = ?)", args: []any{"rabat"}, via: "artisans_province_chamber_page"},

	{table: "cooperatives"},
	{table: "cooperatives", chamber: "fes-meknes"},
	{table: "cooperatives", where: "(state = ?)", args: []any{"FORMING"}},
	{table: "cooperatives", where: "(province = ?)", args: []any{"fes"}},
	{table: "cooperatives", where: "(activity = ?)", args: []any{"F1.B02.A01"}},
	{table: "cooperatives", chamber: "fes-meknes", where: "(state = ?)", args: []any{"FORMING"}},
	{table: "cooperatives", chamber: "fes-meknes", where: "(province = ?)", args: []any{"fes"}},
	{table: "cooperatives", chamber: "fes-meknes", where: "(activity = ?)", args: []any{"F1.B02.A01"}},

	{table: "associations"},
	{table: "associations", chamber: "fes-meknes"},
	{table: "associations", where: "(state = ?)", args: []any{"ACTIVE"}},
	{table: "associations", where: "(category = ?)", args: []any{"WOMEN"}},
	{table: "associations", where: "(province = ?)", args: []any{"fes"}},
	{table: "associations", chamber: "fes-meknes", where: "(state = ?)", args: []any{"ACTIVE"}},
	{table: "associations", chamber: "fes-meknes", where: "(category = ?)", args: []any{"WOMEN"}},
	{table: "associations", chamber: "fes-meknes", where: "(province = ?)", args: []any{"fes"}},

	{table: "enterprises"},
	{table: "enterprises", chamber: "fes-meknes"},
	{table: "enterprises", where: "(state = ?)", args: []any{"ACTIVE"}},
	{table: "enterprises", where: "(province = ?)", args: []any{"fes"}},
	{table: "enterprises", where: "(activity = ?)", args: []any{"F1.B02.A01"}},
	{table: "enterprises", where: "(ice = ?)", args: []any{"001234567000089"}},
	{table: "enterprises", where: "(supervising_artisan = ?)", args: []any{"chambers/fes-meknes/artisans/a1"}},
	{table: "enterprises", chamber: "fes-meknes", where: "(state = ?)", args: []any{"ACTIVE"}},
	{table: "enterprises", chamber: "fes-meknes", where: "(province = ?)", args: []any{"fes"}},
	{table: "enterprises", chamber: "fes-meknes", where: "(activity = ?)", args: []any{"F1.B02.A01"}},
	{table: "enterprises", chamber: "fes-meknes", where: "(ice = ?)", args: []any{"001234567000089"}},
	{table: "enterprises", chamber: "fes-meknes", where: "(supervising_artisan = ?)", args: []any{"chambers/fes-meknes/artisans/a1"}},

	// order_by update_time and display_name (documented on every
	// register's List), national and per chamber.
	{table: "artisans", order: "update_time"},
	{table: "artisans", chamber: "fes-meknes", order: "update_time"},
	{table: "artisans", order: "display_key"},
	{table: "artisans", chamber: "fes-meknes", order: "display_key"},
	{table: "cooperatives", order: "update_time"},
	{table: "cooperatives", chamber: "fes-meknes", order: "update_time"},
	{table: "cooperatives", order: "display_key"},
	{table: "cooperatives", chamber: "fes-meknes", order: "display_key"},
	{table: "associations", order: "update_time"},
	{table: "associations", chamber: "fes-meknes", order: "update_time"},
	{table: "associations", order: "display_key"},
	{table: "associations", chamber: "fes-meknes", order: "display_key"},
	// A gender in name order: the display key begins with the given name,
	// a gender's own, so a walk of the name index filtered by gender reads
	// the other gender's names sorting first (migration 0021).
	{table: "artisans", where: "(gender = ?)", args: []any{"FEMALE"}, order: "display_key"},
	{table: "artisans", chamber: "fes-meknes", where: "(gender = ?)", args: []any{"FEMALE"}, order: "display_key"},
	// Every equality filter in each non-default order: tested on the
	// order index's entry (its trailing keys, migration 0022), never on
	// the table row fetched for each entry the walk passes (for a value
	// of one row in a hundred, a hundred rows fetched per row of the
	// page). PostgreSQL only: SQLite's plan reads the same index and tests
	// the term on its entry before it seeks the row (a deferred seek), but
	// says SCAN for any walk of an order index, filtered or not.
	{table: "artisans", where: "(activity = ?)", args: []any{"F1.B02.A49"}, order: "update_time", postgresOnly: true},
	{table: "artisans", where: "(category = ?)", args: []any{"MASTER"}, order: "update_time", postgresOnly: true},
	{table: "artisans", where: "(province = ?)", args: []any{"oued-ed-dahab"}, order: "update_time", postgresOnly: true},
	{table: "artisans", where: "(state = ?)", args: []any{"SUSPENDED"}, order: "update_time", postgresOnly: true},
	{table: "artisans", where: "((state = ? AND gender = ?))", args: []any{"APPLICANT", "FEMALE"}, order: "update_time", postgresOnly: true},
	{table: "artisans", chamber: "fes-meknes", where: "(activity = ?)", args: []any{"F1.B02.A49"}, order: "update_time", postgresOnly: true},
	{table: "artisans", chamber: "fes-meknes", where: "(category = ?)", args: []any{"MASTER"}, order: "update_time", postgresOnly: true},
	{table: "artisans", chamber: "dakhla-oued-ed-dahab", where: "(province = ?)", args: []any{"oued-ed-dahab"}, order: "update_time", postgresOnly: true},
	{table: "artisans", where: "(activity = ?)", args: []any{"F1.B02.A49"}, order: "display_key", postgresOnly: true},
	{table: "artisans", where: "(category = ?)", args: []any{"MASTER"}, order: "display_key", postgresOnly: true},
	{table: "artisans", where: "(province = ?)", args: []any{"oued-ed-dahab"}, order: "display_key", postgresOnly: true},
	{table: "artisans", where: "(state = ?)", args: []any{"SUSPENDED"}, order: "display_key", postgresOnly: true},
	{table: "artisans", chamber: "fes-meknes", where: "(activity = ?)", args: []any{"F1.B02.A49"}, order: "display_key", postgresOnly: true},
	{table: "artisans", chamber: "fes-meknes", where: "(category = ?)", args: []any{"MASTER"}, order: "display_key", postgresOnly: true},
	{table: "artisans", chamber: "dakhla-oued-ed-dahab", where: "(province = ?)", args: []any{"oued-ed-dahab"}, order: "display_key", postgresOnly: true},
	// A state and a gender in name order read the gender's name index
	// (migration 0021), the state tested on its entries (0022): the name
	// index walked for women passes every man's name sorting first.
	{table: "artisans", where: "((state = ? AND gender = ?))", args: []any{"APPLICANT", "FEMALE"}, order: "display_key", via: "artisans_national_gender_name", postgresOnly: true},
	{table: "artisans", chamber: "fes-meknes", where: "((state = ? AND gender = ?))", args: []any{"APPLICANT", "FEMALE"}, order: "display_key", via: "artisans_gender_name_page", postgresOnly: true},
	{table: "enterprises", order: "update_time"},
	{table: "enterprises", chamber: "fes-meknes", order: "update_time"},
	{table: "enterprises", order: "display_key"},
	{table: "enterprises", chamber: "fes-meknes", order: "display_key"},

	// A range filter matching no cooperative (all of them have 7 members
	// and 5,000 dirhams): read from the value's index, not by walking the
	// list's order through every row. A dense range walks the order, as
	// the planner's statistics tell it.
	{table: "cooperatives", where: "(members >= ?)", args: []any{int64(500)}, via: "cooperatives_members", postgresOnly: true},
	{table: "cooperatives", chamber: "fes-meknes", where: "(members >= ?)", args: []any{int64(500)}, via: "cooperatives_members", postgresOnly: true},
	{table: "cooperatives", where: "(capital >= ?)", args: []any{int64(1_000_000_000)}, via: "cooperatives_capital", postgresOnly: true},
	{table: "cooperatives", chamber: "fes-meknes", where: "(capital >= ?)", args: []any{int64(1_000_000_000)}, via: "cooperatives_capital", postgresOnly: true},

	// Name requests: the national decision queue and a chamber's list, by
	// state, by certificate, and the overdue list (ListNameRequests'
	// overdue: PENDING past due, by due_time).
	{table: "name_requests"},
	{table: "name_requests", chamber: "fes-meknes"},
	{table: "name_requests", where: "(state = ?)", args: []any{"PENDING"}},
	{table: "name_requests", chamber: "fes-meknes", where: "(state = ?)", args: []any{"PENDING"}},
	{table: "name_requests", where: "(certificate = ?)", args: []any{"ODCO-2026-000042"}, via: "name_requests_certificate"},
	{table: "name_requests", where: "(state = 'PENDING' AND due_time < ?)", args: []any{int64(1700000000000000)}, order: "due_time"},
	{table: "name_requests", chamber: "fes-meknes", where: "(state = 'PENDING' AND due_time < ?)", args: []any{int64(1700000000000000)}, order: "due_time"},

	// The nomenclature (a few hundred activities under one scope) in code
	// order: its primary key.
	{table: "activities", chamber: "national", order: "id"},
}

// TestFirstPagesAnswerFromAnIndex checks, on both databases, that the first
// page of every documented filter, national (chambers/-) and per chamber,
// is read in keyset order from an index: no full scan of the register, no
// sort of it, and every condition bounding the range of the index read (a
// filtered walk of the ordering index reads the whole index for an absent
// value). On PostgreSQL sequential scans and sorts are priced out
// (enable_seqscan/enable_sort off), so a plan that still has one has no
// index to use instead; on SQLite the plan must not build a temporary
// B-tree for the ORDER BY, and a filtered page must SEARCH an index, not
// SCAN one.
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
		// The tables are empty and never analysed, so the planner knows
		// nothing of the values' frequencies: what it still cannot plan
		// without a filter or a sort has no index. The cases that read a
		// unique index (via) are planned once the artisans have
		// statistics: the planner then weighs the NIA's index against the
		// chamber's order index as it would on a real register (on an
		// empty table they cost the same).
		for i, q := range append(slices.Clone(firstPages), firstPages...) {
			if i == len(firstPages) {
				fillArtisans(t, db, 5000)
				fillCooperatives(t, db, 5000)
			}
			if (q.via != "") != (i >= len(firstPages)) || (q.postgresOnly && db.Dialect != store.Postgres) {
				continue
			}
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
			order := q.order
			if order == "" {
				order = "create_time"
			}
			sql += " ORDER BY " + order + " ASC, chamber ASC, id ASC LIMIT 51"
			if q.via != "" {
				setSort(t, conn, db, "on") // a handful of rows: sorting them is no cost
			}
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
			// Neither a full scan of the register nor a sort of it.
			bad := []string{"Seq Scan", "Sort"}
			if db.Dialect != store.Postgres {
				bad = []string{"TEMP B-TREE", "SCAN " + q.table + "\n", "SCAN " + q.table + "$"}
				text += "$"
			}
			if len(where) > 0 {
				// Every condition bounds the index range read: a condition
				// left to a filter over the ordering index would make a
				// rare or absent value walk the whole index.
				bad = append(bad, "Filter:")
				if db.Dialect != store.Postgres {
					bad = append(bad, "SCAN "+q.table)
				}
			}
			if q.via != "" {
				bad = bad[:1]
				if !strings.Contains(text, q.via) {
					t.Errorf("%s %v: plan does not read %s:\n%s", sql, args, q.via, text)
				}
				setSort(t, conn, db, "off")
			}
			for _, b := range bad {
				if strings.Contains(text+"\n", b) {
					t.Errorf("%s %v: plan has %q:\n%s", sql, args, strings.Trim(b, "\n$"), text)
				}
			}
		}
	})
}

// setSort sets enable_sort on PostgreSQL (SQLite has no such setting).
func setSort(t *testing.T, conn *sql.Conn, db *store.DB, v string) {
	t.Helper()
	if db.Dialect != store.Postgres {
		return
	}
	if _, err := conn.ExecContext(context.Background(), "SET enable_sort = "+v); err != nil {
		t.Fatal(err)
	}
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

// TestListPlansEachPageForItsValues: on PostgreSQL a list page is planned
// for its own values every time, never from a kept prepared statement.
// PostgreSQL gives a statement prepared once and run a sixth time its
// generic plan, which prices category = $1 at the column's average
// frequency: for an absent category (here MASTER, among 5,000 EXPERIENCED
// artisans) it walks the whole ordering index instead of seeking the
// category's index. So after ten pages no statement of the list may be
// left prepared on the connection, with or without a generic plan.
func TestListPlansEachPageForItsValues(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		db := open(t)
		if db.Dialect != store.Postgres {
			return // SQLite plans each statement for its values
		}
		ctx := context.Background()
		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		fillArtisans(t, db, 5000)
		db.SQL.SetMaxOpenConns(1) // the pages and the check on one connection
		repo := sqlstore.NewArtisans(db, nil)
		for range 10 {
			if _, err := repo.List(ctx, paging.ListQuery{Chamber: "-", PageSize: 50, Filter: "category = MASTER"}); err != nil {
				t.Fatal(err)
			}
		}
		var kept, generic int
		if err := db.SQL.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(generic_plans), 0) FROM pg_prepared_statements
			WHERE statement LIKE 'SELECT %FROM artisans WHERE%ORDER BY%' AND statement NOT LIKE '%pg_prepared_statements%'`).Scan(&kept, &generic); err != nil {
			t.Fatal(err)
		}
		if kept != 0 {
			t.Errorf("%d list statements kept prepared (%d runs on a generic plan)", kept, generic)
		}
	})
}

// artisanIndexes are the indexes of the artisans table and what each one
// serves: every index is paid for by every artisan write (a bulk import
// spends most of its database time maintaining them), so one that serves no
// documented query or rule is not kept.
var artisanIndexes = map[string]string{
	"artisans_pkey":                  "Get by name; the primary key (chamber, id)",
	"artisans_live_cnie":             "one live registration per CNIE nationally (unique); CNIE look-ups of create, import and merge",
	"artisans_struck_off_cnie":       "the duplicate scan's struck-off records of a CNIE",
	"artisans_nia":                   "an NIA given once, ever (unique, NIAs given only); filter nia = …",
	"artisans_birth_date":            "the duplicate scan's records born the same day",
	"artisans_create":                "a chamber's list, no filter (firstPages)",
	"artisans_national":              "the national list, no filter (firstPages)",
	"artisans_national_state":        "the national list, state = … (firstPages)",
	"artisans_state_page":            "a chamber's list, state = … (firstPages)",
	"artisans_national_gender":       "the national list, gender = … (firstPages)",
	"artisans_gender_page":           "a chamber's list, gender = … (firstPages)",
	"artisans_national_state_gender": "the national list, state = … AND gender = … (firstPages)",
	"artisans_state_gender_page":     "a chamber's list, state = … AND gender = … (firstPages)",
	"artisans_national_activity":     "the national list, activity = … (firstPages)",
	"artisans_activity_page":         "a chamber's list, activity = … (firstPages)",
	"artisans_national_category":     "the national list, category = … (firstPages)",
	"artisans_category_page":         "a chamber's list, category = … (firstPages)",
	"artisans_province_page":         "the national list filtered by province = … (firstPages)",
	"artisans_province_chamber_page": "a chamber's list filtered by province = …, its own or another chamber's (firstPages)",
	"artisans_national_update":       "the national list, order_by update_time, unfiltered or by any equality filter (firstPages)",
	"artisans_update_page":           "a chamber's list, order_by update_time, unfiltered or by any equality filter (firstPages)",
	"artisans_national_name":         "the national list, order_by display_name, unfiltered or by any equality filter (firstPages)",
	"artisans_name_page":             "a chamber's list, order_by display_name, unfiltered or by any equality filter (firstPages)",
	"artisans_national_gender_name":  "the national list, gender = … order_by display_name (firstPages)",
	"artisans_gender_name_page":      "a chamber's list, gender = … order_by display_name (firstPages)",
	"artisans_name_grams":            "display_name:\"…\" name search (PostgreSQL; SQLite has its FTS5 table)",
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

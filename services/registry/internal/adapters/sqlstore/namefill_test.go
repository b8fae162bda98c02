package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/store"
)

// fillArtisans adds n artisans in one statement, in the shape the registry
// stores them (folded display key, keyset columns), with names built from
// syllables: 20 given names and about 7,400 family names per script, so a
// given name is common (1 in 20), a family name rare (about 1 in 7,400),
// and "zerhouniya" absent. Three in five are in fes-meknes, as in the
// national register's distribution the issue measured.
func fillArtisans(tb testing.TB, db *store.DB, n int) {
	tb.Helper()
	fillNames(tb, db, "artisans", []string{"REGISTERED", "REGISTERED", "REGISTERED", "APPLICANT", "SUSPENDED"}, "activity, category, gender, cnie, nia", activity+", 'EXPERIENCED', CASE WHEN i % 2 = 0 THEN 'FEMALE' ELSE 'MALE' END, 'F' || i, NULL", n)
}

// fillCooperatives adds n cooperatives named as fillArtisans names people.
func fillCooperatives(tb testing.TB, db *store.DB, n int) {
	tb.Helper()
	fillNames(tb, db, "cooperatives", []string{"ACTIVE", "ACTIVE", "REGISTERED", "FORMING", "DORMANT"}, "activity, members, capital", activity+", 7, 500000", n)
}

// fillAssociations adds n associations named as fillArtisans names people.
func fillAssociations(tb testing.TB, db *store.DB, n int) {
	tb.Helper()
	fillNames(tb, db, "associations", []string{"ACTIVE", "ACTIVE", "ACTIVE", "DECLARED", "STAGNANT"}, "category", "CASE WHEN i % 4 = 0 THEN 'WOMEN' ELSE 'PROFESSIONAL' END", n)
}

// fillEnterprises adds n enterprises named as fillArtisans names people,
// each with its own ICE.
func fillEnterprises(tb testing.TB, db *store.DB, n int) {
	tb.Helper()
	fillNames(tb, db, "enterprises", []string{"ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE", "CLOSED"}, "activity, ice, supervising_artisan", activity+", 'ICE' || i, 'chambers/fes-meknes/artisans/f' || (i / 2)", n)
}

// activity is the activity code of row i in the fills: one of 50, so an
// activity filter keeps one row in 50.
const activity = "'F1.B02.A' || (i % 50)"

// fillNames adds n rows to a register table in one statement: the columns
// every register has (the state of row i is states[(i / 7) % len(states)], the
// province is its chamber's), then cols with the values vals (SQL over the row
// number i), then the generated display key (and, on PostgreSQL, its
// trigrams).
func fillNames(tb testing.TB, db *store.DB, table string, states []string, cols, vals string, n int) {
	tb.Helper()
	const (
		givenLat = `ARRAY['mohamed','fatima','ahmed','khadija','youssef','aicha','omar','zineb','hassan','naima','brahim','amina','said','latifa','rachid','malika','abdellah','hafsa','mustapha','souad']`
		givenAR  = `ARRAY['محمد','فاطمه','احمد','خديجه','يوسف','عائشه','عمر','زينب','حسن','نعيمه','ابراهيم','امينه','سعيد','لطيفه','رشيد','مليكه','عبدالله','حفصه','مصطفي','سعاد']`
		sylLat   = `ARRAY['ben','el','ka','ra','mo','ta','za','fi','lou','ha','sa','bou','dri','ne','ja','qa','wa']`
		sylAR    = `ARRAY['بن','ال','كا','را','مو','تا','زا','في','لو','ها','سا','بو','دري','ني','جا','قا','وا']`
	)
	state := fmt.Sprintf("CASE (i / 7) %% %d", len(states))
	for k, st := range states {
		state += fmt.Sprintf(" WHEN %d THEN '%s'", k, st)
	}
	state += " END"
	insert := "INSERT INTO " + table + " (chamber, id, revision, create_time, update_time, data, state, province, " + cols + `, display_key)
SELECT CASE WHEN i % 5 < 3 THEN 'fes-meknes' ELSE 'rabat-sale-kenitra' END, 'f' || i, 1, 1700000000000000 + i, 1700000000000000 + i, '{}',
  ` + state + `, CASE WHEN i % 5 < 3 THEN 'fes' ELSE 'rabat' END, ` + vals + ",\n  "
	var q string
	if db.Dialect == store.Postgres {
		q = insert + fmt.Sprintf(`g.lat[1 + i %% 20] || ' ' || s.lat[1 + (i / 20) %% 17] || s.lat[1 + (i / 340) %% 17] || s.lat[1 + (i / 5780) %% 17] || 'i ' ||
  g.ar[1 + i %% 20] || ' ' || s.ar[1 + (i / 20) %% 17] || s.ar[1 + (i / 340) %% 17] || s.ar[1 + (i / 5780) %% 17] || 'ي' AS display_key
FROM generate_series(1, %d) AS i, (SELECT %s AS lat, %s AS ar) AS g, (SELECT %s AS lat, %s AS ar) AS s`, n, givenLat, givenAR, sylLat, sylAR)
		// The registry writes name_grams with the row (see
		// nameColumns): here the SQL cut of the same trigrams.
		q = strings.Replace(strings.Replace(q, ", display_key)\nSELECT ", ", display_key, name_grams)\nSELECT *, registry_name_grams(display_key) FROM (SELECT ", 1), "'{}',", "'{}'::jsonb,", 1) + ") AS r"
	} else {
		// SQLite has no arrays: the same names from JSON arrays.
		arr := func(a string) string {
			return "json('[" + strings.ReplaceAll(a[len("ARRAY["):len(a)-1], "'", `"`) + "]')"
		}
		q = fmt.Sprintf("WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %d)\n", n) + insert +
			fmt.Sprintf(`json_extract(%[1]s, '$[' || (i %% 20) || ']') || ' ' || json_extract(%[3]s, '$[' || ((i / 20) %% 17) || ']') || json_extract(%[3]s, '$[' || ((i / 340) %% 17) || ']') || json_extract(%[3]s, '$[' || ((i / 5780) %% 17) || ']') || 'i ' ||
  json_extract(%[2]s, '$[' || (i %% 20) || ']') || ' ' || json_extract(%[4]s, '$[' || ((i / 20) %% 17) || ']') || json_extract(%[4]s, '$[' || ((i / 340) %% 17) || ']') || json_extract(%[4]s, '$[' || ((i / 5780) %% 17) || ']') || 'ي'
FROM s`, arr(givenLat), arr(givenAR), arr(sylLat), arr(sylAR))
	}
	ctx := context.Background()
	if _, err := db.Exec(ctx, q); err != nil {
		tb.Fatalf("fill %d %s: %v", n, table, err)
	}
	// VACUUM merges the GIN index's pending list (the fast-update buffer a
	// bulk insert fills) as autovacuum would after an import; ANALYZE gives
	// the planner the new register's statistics.
	analyze := "ANALYZE " + table
	if db.Dialect == store.Postgres {
		analyze = "VACUUM ANALYZE " + table
	}
	if _, err := db.Exec(ctx, analyze); err != nil {
		tb.Fatal(err)
	}
}

package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/services/registry/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/association"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
	"github.com/hirfa/hirfa/services/registry/internal/domain/enterprise"
)

func person(chamber, cnie, givenLatin, familyLatin, givenAR, familyAR string) *artisan.Artisan {
	a := &artisan.Artisan{GivenNameAR: givenAR, FamilyNameAR: familyAR, GivenNameLatin: givenLatin, FamilyNameLatin: familyLatin, CNIE: cnie,
		Gender: artisan.Male, BirthDate: "1980-01-01", Province: "fes", Activity: "F1.B02.A01", Category: artisan.Experienced,
		YearsOfPractice: 5, State: artisan.Applicant}
	a.Chamber, a.ID = chamber, resource.NewID()
	return a
}

// TestNameSearchFromTheIndex: display_name:"…" finds the same artisans as a
// substring match of the folded key, in both scripts, follows updates and
// deletions (the SQLite index is kept by triggers), finds nothing for an
// absent name, and its plan reads the trigram index: the GIN index on
// PostgreSQL (sequential scans priced out), the FTS5 table on SQLite.
func TestNameSearchFromTheIndex(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		ctx := context.Background()
		db := open(t)
		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		repo := sqlstore.NewArtisans(db, nil)
		w := change.Write{Method: "test", Actor: change.Actor{Subject: "t"}}
		fassi := person("fes-meknes", "A1", "Mohamed", "El Fassi", "مُحمّد", "الفاسي")
		tazi := person("fes-meknes", "A2", "Khadija", "Tazi", "خديجة", "التازي")
		alaoui := person("rabat-sale-kenitra", "A3", "Fatima", "Alaoui", "فاطمة", "العلوي")
		for _, a := range []*artisan.Artisan{fassi, tazi, alaoui} {
			if _, err := repo.Create(ctx, a, w); err != nil {
				t.Fatal(err)
			}
		}
		search := func(chamber, filter string) []string {
			t.Helper()
			page, err := repo.List(ctx, paging.ListQuery{Chamber: chamber, PageSize: 50, Filter: filter})
			if err != nil {
				t.Fatalf("%s: %v", filter, err)
			}
			var ids []string
			for _, a := range page.Items {
				ids = append(ids, a.ID)
			}
			slices.Sort(ids)
			return ids
		}
		sorted := func(ids ...string) []string { slices.Sort(ids); return ids }
		tests := []struct {
			chamber, filter string
			want            []string
		}{
			{"-", `display_name:"Fassi"`, sorted(fassi.ID)},
			{"-", `display_name:"el fas"`, sorted(fassi.ID)},
			{"-", `display_name:"محمد"`, sorted(fassi.ID)},                  // harakat folded away
			{"-", `display_name:"الفاس"`, sorted(fassi.ID)},                 // a part of a word
			{"-", `display_name:"ALAOUI"`, sorted(alaoui.ID)},               // case folded
			{"fes-meknes", `display_name:"alaoui"`, nil},                    // another chamber
			{"-", `display_name:"i"`, sorted(fassi.ID, tazi.ID, alaoui.ID)}, // too short for a trigram: the LIKE alone
			{"-", `display_name:"Zerhouni"`, nil},
			{"-", `display_name:"زرهوني"`, nil},
			{"-", `NOT display_name:"tazi"`, sorted(fassi.ID, alaoui.ID)},
			{"-", `display_name:"tazi" OR display_name:"alaoui"`, sorted(tazi.ID, alaoui.ID)},
		}
		for _, tt := range tests {
			if got := search(tt.chamber, tt.filter); !slices.Equal(got, tt.want) {
				t.Errorf("%s in %s = %v, want %v", tt.filter, tt.chamber, got, tt.want)
			}
		}
		// A renamed record is found by its new name only; a deleted one not at all.
		n := resource.Name{Chamber: tazi.Chamber, Collection: artisan.Collection, ID: tazi.ID}
		if _, err := repo.Update(ctx, n, w, func(a *artisan.Artisan) error {
			a.FamilyNameLatin, a.FamilyNameAR = "Bennani", "بناني"
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if got := search("-", `display_name:"tazi"`); got != nil {
			t.Errorf("old name after rename = %v", got)
		}
		if got := search("-", `display_name:"بناني"`); !slices.Equal(got, []string{tazi.ID}) {
			t.Errorf("new name after rename = %v", got)
		}
		if err := repo.Delete(ctx, n, w, func(*artisan.Artisan) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if got := search("-", `display_name:"bennani"`); got != nil {
			t.Errorf("deleted record found = %v", got)
		}

		// The plan of a national and a chamber's first page, on a register
		// big enough (and analysed) for the planner to weigh its options.
		fillArtisans(t, db, 20000)
		// A common name (all its trigrams common once analysed: on
		// PostgreSQL left to the ordering index) and a rare one (from the
		// trigram index) both find a full first page of their matches.
		fresh := sqlstore.NewArtisans(db, nil)
		for _, q := range []string{"mohamed", "karaeli", "كاراالي"} {
			var want int
			if err := db.SQL.QueryRowContext(ctx, db.Rebind("SELECT COUNT(*) FROM artisans WHERE display_key LIKE ?"), "%"+q+"%").Scan(&want); err != nil {
				t.Fatal(err)
			}
			page, err := fresh.List(ctx, paging.ListQuery{Chamber: "-", PageSize: 50, Filter: `display_name:"` + q + `"`})
			if err != nil || want == 0 || len(page.Items) != min(want, 50) {
				t.Fatalf("%s: %d items of %d, %v", q, len(page.Items), want, err)
			}
		}
		namePlanReadsIndex(t, db, "artisans")
		if db.Dialect == store.Postgres {
			denseNameWalks(t, db)
		}
	})
}

// denseNameWalks: a name whose trigrams are each rare but which thousands
// of rows hold (a family name of one person in 170 at national scale) is
// left to the ordering index, which finds a page within a few thousand
// rows, rather than read from the trigram index, which fetches and sorts
// every holder; a name none holds still reads the index. A name dense
// nationally but held by a handful in a large chamber (a family name of
// another region) reads the index there: the chamber's walk would read
// all its rows.
func denseNameWalks(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	// The statistics are those of the fill, where no row holds "bqqxlz":
	// each of its trigrams counts as rare. Then 6,000 rows take the name.
	if _, err := db.SQL.ExecContext(ctx, "ANALYZE artisans"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL.ExecContext(ctx, `UPDATE artisans SET display_key = 'bqqxlz ' || display_key,
		name_grams = registry_name_grams('bqqxlz ' || display_key) WHERE ctid IN (SELECT ctid FROM artisans LIMIT 6000)`); err != nil {
		t.Fatal(err)
	}
	// A name of one region: 6,000 rows of rabat-sale-kenitra (3 in 4 of
	// its rows) and 3 of fes-meknes.
	if _, err := db.SQL.ExecContext(ctx, `UPDATE artisans SET display_key = 'qzrwyx ' || display_key,
		name_grams = registry_name_grams('qzrwyx ' || display_key) WHERE ctid IN (
		(SELECT ctid FROM artisans WHERE chamber = 'rabat-sale-kenitra' LIMIT 6000)
		UNION ALL (SELECT ctid FROM artisans WHERE chamber = 'fes-meknes' LIMIT 3))`); err != nil {
		t.Fatal(err)
	}
	index := sqlstore.NameIndex(db, "artisans")
	for _, scope := range []string{"-", "", "fes-meknes"} {
		if cond, _, _ := index("bqqxlz", scope); !strings.HasPrefix(cond, "strpos(") {
			t.Errorf("in %q a name 6,000 rows hold reads the trigram index (%s); want the ordering index", scope, cond)
		}
		if cond, _, _ := index("zerhouni", scope); !strings.HasPrefix(cond, "(name_grams") {
			t.Errorf("in %q an absent name is left to the ordering index; want the trigram index", scope)
		}
	}
	for scope, walks := range map[string]bool{"-": true, "rabat-sale-kenitra": true, "fes-meknes": false} {
		if cond, _, _ := index("qzrwyx", scope); strings.HasPrefix(cond, "strpos(") != walks {
			t.Errorf("in %q the regional name's condition is %q; want the ordering index %v", scope, cond, walks)
		}
	}
	repo := sqlstore.NewArtisans(db, nil)
	page, err := repo.List(ctx, paging.ListQuery{Chamber: "-", PageSize: 50, Filter: `display_name:"bqqxlz"`})
	if err != nil || len(page.Items) != 50 {
		t.Fatalf("dense name: %d items, %v", len(page.Items), err)
	}
	page, err = repo.List(ctx, paging.ListQuery{Chamber: "fes-meknes", PageSize: 50, Filter: `display_name:"qzrwyx"`})
	if err != nil || len(page.Items) != 3 {
		t.Fatalf("regional name in another chamber: %d items, %v", len(page.Items), err)
	}
	// Its own chamber's page walks the chamber's ordering index, though
	// the statistics (taken before the name was given) hold no row of it:
	// priced from them, the match looked rare enough to read every row of
	// the chamber and sort them.
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	cond, args, _ := index("qzrwyx", "rabat-sale-kenitra")
	q := "EXPLAIN SELECT chamber, id, data FROM artisans WHERE chamber = ? AND " + cond + " ORDER BY create_time, chamber, id LIMIT 51"
	if plan := explainText(t, conn, db.Rebind(q), append([]any{"rabat-sale-kenitra"}, args...)); strings.Contains(plan, "Sort") {
		t.Errorf("a chamber's page of a name one row in eight holds sorts its matches:\n%s", plan)
	}
}

// namePlanReadsIndex checks that a national and a chamber's first page of
// display_name:"zerhouni" on table read its trigram index: the GIN index
// on PostgreSQL (sequential scans priced out), the FTS5 table on SQLite.
func namePlanReadsIndex(t *testing.T, db *store.DB, table string) {
	t.Helper()
	ctx := context.Background()
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	explain, want := "EXPLAIN QUERY PLAN ", "VIRTUAL TABLE INDEX"
	cond, arg := "rowid IN (SELECT rowid FROM "+table+"_names WHERE "+table+"_names MATCH ?)", any(`"zerhouni"`)
	if db.Dialect == store.Postgres {
		explain, want = "EXPLAIN ", table+"_name_grams"
		cond, arg = "name_grams @> registry_name_grams(CAST(? AS TEXT))", "zerhouni"
		// Priced out: the sequential scan; what remains must be an index
		// that can answer the search.
		if _, err := conn.ExecContext(ctx, "SET enable_seqscan = off"); err != nil {
			t.Fatal(err)
		}
	}
	for _, chamber := range []string{"", "fes-meknes"} {
		where, args := cond+" AND display_key LIKE ?", []any{arg, "%zerhouni%"}
		if chamber != "" {
			where, args = "chamber = ? AND "+where, append([]any{chamber}, args...)
		}
		q := "SELECT chamber, id, data FROM " + table + " WHERE " + where + " ORDER BY create_time, chamber, id LIMIT 51"
		plan := explainText(t, conn, db.Rebind(explain+q), args)
		if !strings.Contains(plan, want) {
			t.Errorf("%s: plan does not read %s:\n%s", q, want, plan)
		}
	}
}

// TestCooperativeNameSearchFromTheIndex: display_name:"…" on cooperatives
// finds the same cooperatives as a substring match of the folded key, in
// both scripts, follows renames and deletions, finds nothing for an absent
// name, answers a common and a rare name with a full first page over
// 20,000 cooperatives, and its plan reads the trigram index (migration
// 0011), on both databases.
func TestCooperativeNameSearchFromTheIndex(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		ctx := context.Background()
		db := open(t)
		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		repo := sqlstore.NewCooperatives(db, nil)
		w := change.Write{Method: "test", Actor: change.Actor{Subject: "t"}}
		coop := func(chamber, province, ar, fr string) *cooperative.Cooperative {
			c := &cooperative.Cooperative{DisplayName: l10n.Text{AR: ar, FR: fr}, Activity: "F1.B02.A01", Province: province,
				CapitalCentimes: 500_000, ShareValueCentimes: 10_000, MembersWomen: 7, State: cooperative.Forming}
			c.Chamber, c.ID = chamber, resource.NewID()
			if _, err := repo.Create(ctx, c, w); err != nil {
				t.Fatal(err)
			}
			return c
		}
		amal := coop("fes-meknes", "fes", "تعاونية الأمل", "Coopérative Al Amal")
		tissage := coop("fes-meknes", "meknes", "تعاونية النسيج الفاسي", "Coopérative du Tissage Fassi")
		argane := coop("marrakech-safi", "essaouira", "تعاونية أركان الصويرة", "Coopérative Argane Essaouira")
		search := func(chamber, filter string) []string {
			t.Helper()
			page, err := repo.List(ctx, paging.ListQuery{Chamber: chamber, PageSize: 50, Filter: filter})
			if err != nil {
				t.Fatalf("%s: %v", filter, err)
			}
			var ids []string
			for _, c := range page.Items {
				ids = append(ids, c.ID)
			}
			slices.Sort(ids)
			return ids
		}
		sorted := func(ids ...string) []string { slices.Sort(ids); return ids }
		for _, tt := range []struct {
			chamber, filter string
			want            []string
		}{
			{"-", `display_name:"amal"`, sorted(amal.ID)},
			{"-", `display_name:"الأمل"`, sorted(amal.ID)},      // hamza folded
			{"-", `display_name:"TISSAGE"`, sorted(tissage.ID)}, // case folded
			{"-", `display_name:"النسيج"`, sorted(tissage.ID)},
			{"-", `display_name:"cooperative"`, sorted(amal.ID, tissage.ID, argane.ID)}, // accent folded
			{"fes-meknes", `display_name:"argane"`, nil},                                // another chamber
			{"-", `display_name:"argane"`, sorted(argane.ID)},
			{"-", `display_name:"Zerhouni"`, nil},
			{"-", `display_name:"زرهوني"`, nil},
			{"-", `NOT display_name:"amal"`, sorted(tissage.ID, argane.ID)},
		} {
			if got := search(tt.chamber, tt.filter); !slices.Equal(got, tt.want) {
				t.Errorf("%s in %s = %v, want %v", tt.filter, tt.chamber, got, tt.want)
			}
		}
		n := resource.Name{Chamber: amal.Chamber, Collection: cooperative.Collection, ID: amal.ID}
		if _, err := repo.Update(ctx, n, w, func(c *cooperative.Cooperative) error {
			c.DisplayName = l10n.Text{AR: "تعاونية النور", FR: "Coopérative Annour"}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if got := search("-", `display_name:"amal"`); got != nil {
			t.Errorf("old name after rename = %v", got)
		}
		if got := search("-", `display_name:"النور"`); !slices.Equal(got, []string{amal.ID}) {
			t.Errorf("new name after rename = %v", got)
		}
		if err := repo.Delete(ctx, n, w, func(*cooperative.Cooperative) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if got := search("-", `display_name:"annour"`); got != nil {
			t.Errorf("deleted cooperative found = %v", got)
		}

		fillCooperatives(t, db, 20000)
		fresh := sqlstore.NewCooperatives(db, nil)
		for _, q := range []string{"mohamed", "karaeli", "كاراالي"} {
			var want int
			if err := db.SQL.QueryRowContext(ctx, db.Rebind("SELECT COUNT(*) FROM cooperatives WHERE display_key LIKE ?"), "%"+q+"%").Scan(&want); err != nil {
				t.Fatal(err)
			}
			page, err := fresh.List(ctx, paging.ListQuery{Chamber: "-", PageSize: 50, Filter: `display_name:"` + q + `"`})
			if err != nil || want == 0 || len(page.Items) != min(want, 50) {
				t.Fatalf("%s: %d items of %d, %v", q, len(page.Items), want, err)
			}
		}
		namePlanReadsIndex(t, db, "cooperatives")
	})
}

// explainText runs an EXPLAIN and joins the plan's text column (the last).
func explainText(t *testing.T, conn *sql.Conn, q string, args []any) string {
	t.Helper()
	rows, err := conn.QueryContext(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var plan []string
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
	return strings.Join(plan, "\n")
}

// nameRegister is what the name search tests of associations and
// enterprises need of a register: create a named record, rename it, delete
// it, list a page, fill the table.
type nameRegister struct {
	table  string
	create func(t *testing.T, chamber, ar, fr string) string
	rename func(t *testing.T, chamber, id, ar, fr string)
	delete func(t *testing.T, chamber, id string)
	list   func(chamber, filter string) ([]string, error)
	fill   func(t *testing.T, n int)
}

// TestBodyNameSearchFromTheIndex: display_name:"…" on associations and
// enterprises (migration 0017) finds the same records as a substring match
// of the folded key, in both scripts, follows renames and deletions, finds
// nothing for an absent name, answers a common and a rare name with a full
// first page over 20,000 records, and its plan reads the trigram index, on
// both databases.
func TestBodyNameSearchFromTheIndex(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		ctx := context.Background()
		w := change.Write{Method: "test", Actor: change.Actor{Subject: "t"}}
		ids := func(n int, id func(i int) string) []string {
			var out []string
			for i := range n {
				out = append(out, id(i))
			}
			slices.Sort(out)
			return out
		}
		registers := func(db *store.DB) []nameRegister {
			as := sqlstore.NewAssociations(db, nil)
			es := sqlstore.NewEnterprises(db, nil)
			ice := 0
			return []nameRegister{{
				table: "associations",
				create: func(t *testing.T, chamber, ar, fr string) string {
					a := &association.Association{DisplayName: l10n.Text{AR: ar, FR: fr}, Province: "fes", Category: association.Category("WOMEN"), State: association.Active}
					a.Chamber, a.ID = chamber, resource.NewID()
					if _, err := as.Create(ctx, a, w); err != nil {
						t.Fatal(err)
					}
					return a.ID
				},
				rename: func(t *testing.T, chamber, id, ar, fr string) {
					n := resource.Name{Chamber: chamber, Collection: association.Collection, ID: id}
					if _, err := as.Update(ctx, n, w, func(a *association.Association) error {
						a.DisplayName = l10n.Text{AR: ar, FR: fr}
						return nil
					}); err != nil {
						t.Fatal(err)
					}
				},
				delete: func(t *testing.T, chamber, id string) {
					n := resource.Name{Chamber: chamber, Collection: association.Collection, ID: id}
					if err := as.Delete(ctx, n, w, func(*association.Association) error { return nil }); err != nil {
						t.Fatal(err)
					}
				},
				list: func(chamber, filter string) ([]string, error) {
					page, err := sqlstore.NewAssociations(db, nil).List(ctx, paging.ListQuery{Chamber: chamber, PageSize: 50, Filter: filter})
					return ids(len(page.Items), func(i int) string { return page.Items[i].ID }), err
				},
				fill: func(t *testing.T, n int) { fillAssociations(t, db, n) },
			}, {
				table: "enterprises",
				create: func(t *testing.T, chamber, ar, fr string) string {
					ice++
					e := &enterprise.Enterprise{DisplayName: l10n.Text{AR: ar, FR: fr}, ICE: fmt.Sprintf("%015d", ice), Activity: "F1.B02.A01", Province: "fes", State: enterprise.Active}
					e.Chamber, e.ID = chamber, resource.NewID()
					if _, err := es.Create(ctx, e, w); err != nil {
						t.Fatal(err)
					}
					return e.ID
				},
				rename: func(t *testing.T, chamber, id, ar, fr string) {
					n := resource.Name{Chamber: chamber, Collection: enterprise.Collection, ID: id}
					if _, err := es.Update(ctx, n, w, func(e *enterprise.Enterprise) error {
						e.DisplayName = l10n.Text{AR: ar, FR: fr}
						return nil
					}); err != nil {
						t.Fatal(err)
					}
				},
				delete: func(t *testing.T, chamber, id string) {
					n := resource.Name{Chamber: chamber, Collection: enterprise.Collection, ID: id}
					if err := es.Delete(ctx, n, w, func(*enterprise.Enterprise) error { return nil }); err != nil {
						t.Fatal(err)
					}
				},
				list: func(chamber, filter string) ([]string, error) {
					page, err := sqlstore.NewEnterprises(db, nil).List(ctx, paging.ListQuery{Chamber: chamber, PageSize: 50, Filter: filter})
					return ids(len(page.Items), func(i int) string { return page.Items[i].ID }), err
				},
				fill: func(t *testing.T, n int) { fillEnterprises(t, db, n) },
			}}
		}
		db := open(t)
		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		for _, r := range registers(db) {
			t.Run(r.table, func(t *testing.T) {
				search := func(chamber, filter string) []string {
					t.Helper()
					got, err := r.list(chamber, filter)
					if err != nil {
						t.Fatalf("%s: %v", filter, err)
					}
					return got
				}
				sorted := func(ids ...string) []string { slices.Sort(ids); return ids }
				amal := r.create(t, "fes-meknes", "جمعية الأمل للصناعة التقليدية", "Association Al Amal")
				tissage := r.create(t, "fes-meknes", "النسيج الفاسي", "Tissage Fassi")
				argane := r.create(t, "marrakech-safi", "أركان الصويرة", "Argane Essaouira")
				for _, tt := range []struct {
					chamber, filter string
					want            []string
				}{
					{"-", `display_name:"amal"`, sorted(amal)},
					{"-", `display_name:"الأمل"`, sorted(amal)},      // hamza folded
					{"-", `display_name:"TISSAGE"`, sorted(tissage)}, // case folded
					{"-", `display_name:"النسيج"`, sorted(tissage)},
					{"-", `display_name:"essaouira"`, sorted(argane)},
					{"fes-meknes", `display_name:"argane"`, nil},             // another chamber
					{"-", `display_name:"s"`, sorted(amal, tissage, argane)}, // too short for a trigram: the LIKE alone
					{"-", `display_name:"Zerhouni"`, nil},
					{"-", `display_name:"زرهوني"`, nil},
					{"-", `NOT display_name:"amal"`, sorted(tissage, argane)},
				} {
					if got := search(tt.chamber, tt.filter); !slices.Equal(got, tt.want) {
						t.Errorf("%s in %s = %v, want %v", tt.filter, tt.chamber, got, tt.want)
					}
				}
				r.rename(t, "fes-meknes", amal, "جمعية النور", "Association Annour")
				if got := search("-", `display_name:"amal"`); got != nil {
					t.Errorf("old name after rename = %v", got)
				}
				if got := search("-", `display_name:"النور"`); !slices.Equal(got, []string{amal}) {
					t.Errorf("new name after rename = %v", got)
				}
				r.delete(t, "fes-meknes", amal)
				if got := search("-", `display_name:"annour"`); got != nil {
					t.Errorf("deleted record found = %v", got)
				}

				r.fill(t, 20000)
				for _, q := range []string{"mohamed", "karaeli", "كاراالي"} {
					var want int
					if err := db.SQL.QueryRowContext(ctx, db.Rebind("SELECT COUNT(*) FROM "+r.table+" WHERE display_key LIKE ?"), "%"+q+"%").Scan(&want); err != nil {
						t.Fatal(err)
					}
					got, err := r.list("-", `display_name:"`+q+`"`)
					if err != nil || want == 0 || len(got) != min(want, 50) {
						t.Fatalf("%s: %d items of %d, %v", q, len(got), want, err)
					}
				}
				namePlanReadsIndex(t, db, r.table)
			})
		}
	})
}

// TestEveryRegisterSearchesNamesFromItsIndex: display_name:"…" on every
// register compiles to its trigram index's condition (beside the LIKE that
// keeps the match exact): name_grams on PostgreSQL, the FTS5 table on
// SQLite. The plan tests above show that condition reads the index.
func TestEveryRegisterSearchesNamesFromItsIndex(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		db := open(t)
		for table, schema := range map[string]*filter.Schema{
			"artisans":     sqlstore.NewArtisans(db, nil).T.Filter(),
			"cooperatives": sqlstore.NewCooperatives(db, nil).T.Filter(),
			"associations": sqlstore.NewAssociations(db, nil).T.Filter(),
			"enterprises":  sqlstore.NewEnterprises(db, nil).T.Filter(),
		} {
			where, _, err := schema.Compile(`display_name:"zerhouni"`)
			if err != nil {
				t.Fatal(err)
			}
			want := table + "_names MATCH ?"
			if db.Dialect == store.Postgres {
				want = "name_grams @> registry_name_grams("
			}
			if !strings.Contains(where, want) || !strings.Contains(where, "display_key LIKE") {
				t.Errorf("%s: display_name:\"zerhouni\" compiles to %q, want %q and the LIKE", table, where, want)
			}
		}
	})
}

// TestCommonFirstNameInNameOrder: display_name:"mohamed" (the first name
// of one row in 20) in name order finds the same rows in the same order
// as the LIKE, page after page and with another filter beside it, and on
// PostgreSQL reads a page's worth of index entries: the holders' range of
// the name index and the trigram index for the others. Before, the list
// walked the name index from its start and tested every name sorting
// before "mohamed" (11 in 20 of the rows: 11,000 entries here).
func TestCommonFirstNameInNameOrder(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		ctx := context.Background()
		db := open(t)
		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		fillArtisans(t, db, 20000)
		// One holder further on in the name, sorting before every name
		// starting with "mohamed", and one holding it twice.
		set := "display_key = ?"
		if db.Dialect == store.Postgres {
			set += ", name_grams = registry_name_grams(CAST(? AS TEXT))"
		}
		for id, key := range map[string]string{"f7": "aaa mohamed", "f9": "mohamed mohamedi"} {
			args := []any{key, id}
			if db.Dialect == store.Postgres {
				args = []any{key, key, id}
			}
			if _, err := db.Exec(ctx, db.Rebind("UPDATE artisans SET "+set+" WHERE id = ?"), args...); err != nil {
				t.Fatal(err)
			}
		}
		if db.Dialect == store.Postgres {
			if _, err := db.SQL.ExecContext(ctx, "ANALYZE artisans"); err != nil {
				t.Fatal(err)
			}
		}
		repo := sqlstore.NewArtisans(db, nil)
		for _, c := range []struct{ chamber, filter, where, order, sqlOrder string }{
			{"-", `display_name:"mohamed"`, "", "display_name", "display_key, chamber, id"},
			{"fes-meknes", `display_name:"mohamed"`, "", "display_name", "display_key, chamber, id"},
			{"-", `state = REGISTERED AND display_name:"mohamed"`, " AND state = 'REGISTERED'", "display_name desc", "display_key DESC, chamber DESC, id DESC"},
			{"-", `display_name:"mohamed"`, "", "update_time desc", "update_time DESC, chamber DESC, id DESC"},
		} {
			q := "SELECT id FROM artisans WHERE display_key LIKE '%mohamed%'" + c.where
			if c.chamber != "-" {
				q += " AND chamber = '" + c.chamber + "'"
			}
			rows, err := db.SQL.QueryContext(ctx, q+" ORDER BY "+c.sqlOrder+" LIMIT 120")
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					t.Fatal(err)
				}
				want = append(want, id)
			}
			rows.Close()
			var got []string
			token := ""
			for range 3 {
				page, err := repo.List(ctx, paging.ListQuery{Chamber: c.chamber, PageSize: 40, Filter: c.filter, OrderBy: c.order, PageToken: token})
				if err != nil {
					t.Fatalf("%s: %v", c.filter, err)
				}
				for _, a := range page.Items {
					got = append(got, a.ID)
				}
				if token = page.NextPageToken; token == "" {
					break
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s in %s by %s: %d ids %v…, want %d %v…", c.filter, c.chamber, c.order, len(got), got[:min(5, len(got))], len(want), want[:min(5, len(want))])
			}
		}
		if db.Dialect != store.Postgres {
			return
		}
		// The entries the first page reads from the register's indexes,
		// from PostgreSQL's counters: one connection, whose counts are
		// flushed when it goes idle after pg_stat_force_next_flush.
		db.SQL.SetMaxOpenConns(1)
		read := func() int64 {
			t.Helper()
			if _, err := db.SQL.ExecContext(ctx, "SELECT pg_stat_force_next_flush()"); err != nil {
				t.Fatal(err)
			}
			var n int64
			if err := db.SQL.QueryRowContext(ctx, `SELECT coalesce(sum(idx_tup_read), 0) + coalesce(max(seq_tup_read), 0)
				FROM pg_stat_user_indexes i JOIN pg_stat_user_tables t USING (relid) WHERE t.relname = 'artisans'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		list := func() {
			t.Helper()
			if _, err := repo.List(ctx, paging.ListQuery{Chamber: "-", PageSize: 50, Filter: `display_name:"mohamed"`, OrderBy: "display_name"}); err != nil {
				t.Fatal(err)
			}
		}
		list() // the name's density probed and remembered
		before := read()
		list()
		n := read() - before
		t.Logf(`display_name:"mohamed" in name order: %d index entries read`, n)
		if n > 1000 {
			t.Errorf(`display_name:"mohamed" in name order read %d index entries for a page of 50; want at most 1,000`, n)
		}
	})
}

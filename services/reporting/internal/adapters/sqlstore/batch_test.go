package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/services/reporting/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/projection"
)

// TestApplyBatchEqualsOneByOne feeds the same random history of registrant
// changes (new, moved between provinces and states, deleted, recreated,
// stale and repeated versions, several changes of one registrant in one
// batch) with fair changes among them, once one change per transaction
// through Apply and once in random batches through ApplyBatch, and finds
// every cube and fact table equal, the cooperatives' inventory rows with
// the day of their state (kept while the state and its reason do not
// change) included.
func TestApplyBatchEqualsOneByOne(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		ctx := context.Background()
		one, batched := open(t), open(t)
		for _, db := range []*store.DB{one, batched} {
			if err := sqlstore.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
		}
		rnd := rand.New(rand.NewPCG(9, 9))
		provinces := [][2]string{{"fes-meknes", "fes"}, {"fes-meknes", "taounate"}, {"marrakech-safi", "marrakech"}}
		version := map[string]int64{}
		var changes []projection.Change
		for i := range 1500 {
			if i%50 == 0 {
				changes = append(changes, projection.Change{Op: projection.Upsert, Event: &projection.Event{Chamber: "fes-meknes",
					ID: fmt.Sprint("e", i%7), Kind: "FAIR", State: "PLANNED", Province: "fes", StartDate: "2023-01-02", EndDate: "2023-01-03", Version: int64(i + 1)}})
			}
			typ := projection.RegistrantTypes[rnd.IntN(2)]
			id := fmt.Sprint("r", rnd.IntN(60))
			p := provinces[rnd.IntN(len(provinces))]
			v := version[typ+id] + 1
			switch rnd.IntN(10) {
			case 0:
				v -= 1 + int64(rnd.IntN(2)) // repeated or stale
			default:
				version[typ+id] = v
			}
			op := projection.Upsert
			if rnd.IntN(6) == 0 {
				op = projection.Delete
			}
			r := &projection.Registrant{
				Type: typ, Chamber: p[0], ID: id, Region: p[0], Province: p[1], Activity: fmt.Sprint("A", rnd.IntN(3)),
				Category: []string{"", "MASTER"}[rnd.IntN(2)], State: []string{"REGISTERED", "SUSPENDED"}[rnd.IntN(2)],
				Gender: "FEMALE", RegisterDate: fmt.Sprintf("2023-0%d-01", 1+rnd.IntN(3)),
				MembersWomen: int64(rnd.IntN(5)), MembersMen: int64(rnd.IntN(5)), Version: v}
			c := projection.Change{Op: op, Registrant: r}
			if typ == projection.Cooperative {
				// The event's day moves with i; the reason changes
				// every third change, so some states are kept and
				// some entered again.
				c.Organisation = &projection.Organisation{Type: typ, Chamber: r.Chamber, ID: r.ID, DisplayName: l10n.Text{FR: "coop " + id},
					Province: r.Province, State: r.State, StateReason: []string{"", "", "audit"}[i%3],
					StateDate: fmt.Sprintf("2024-%02d-%02d", 1+i/28%12, 1+i%28), FoundedDate: "2020-01-15", Version: v}
			}
			changes = append(changes, c)
		}
		p1, p2 := sqlstore.NewProjector(one), sqlstore.NewProjector(batched)
		for _, c := range changes {
			if err := one.Tx(ctx, func(tx *sql.Tx) error { return p1.Apply(ctx, tx, c) }); err != nil {
				t.Fatal(err)
			}
		}
		batches := 0
		for rest := changes; len(rest) > 0; batches++ {
			n := min(1+rnd.IntN(300), len(rest))
			if err := batched.Tx(ctx, func(tx *sql.Tx) error { return p2.ApplyBatch(ctx, tx, rest[:n]) }); err != nil {
				t.Fatal(err)
			}
			rest = rest[n:]
		}
		for _, q := range []string{
			"SELECT registrant_type, chamber, region, province, category, state, gender, registrants, members_women, members_men FROM registrant_counts_profile WHERE registrants <> 0 OR members_women <> 0 OR members_men <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7",
			"SELECT registrant_type, chamber, region, province, state, register_month, registrants, members_women, members_men FROM registrant_counts_month WHERE registrants <> 0 OR members_women <> 0 OR members_men <> 0 ORDER BY 1, 2, 3, 4, 5, 6",
			"SELECT registrant_type, chamber, region, activity, state, registrants, members_women, members_men FROM registrant_counts_activity WHERE registrants <> 0 OR members_women <> 0 OR members_men <> 0 ORDER BY 1, 2, 3, 4, 5",
			"SELECT registrant_type, chamber, region, province, activity, category, state, gender, registrants, members_women, members_men FROM registrant_counts WHERE registrants <> 0 OR members_women <> 0 OR members_men <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8",
			"SELECT registrant_type, chamber, id, province, activity, category, state, register_month, members_women, members_men, version, deleted FROM registrant_facts ORDER BY 1, 2, 3",
			"SELECT chamber, id, version FROM event_facts ORDER BY 1, 2",
			"SELECT registrant_type, chamber, id, name_fr, province, state, state_reason, state_date, founded_date, version, deleted FROM organisation_facts ORDER BY 1, 2, 3",
		} {
			a, b := dump(t, one, q), dump(t, batched, q)
			if len(a) == 0 {
				t.Fatalf("nothing projected: %s", q)
			}
			if !reflect.DeepEqual(a, b) {
				t.Errorf("%s\none by one (%d rows): %v\nin %d batches (%d rows): %v", q[:60], len(a), a, batches, len(b), b)
			}
		}
	})
}

func dump(t *testing.T, db *store.DB, q string) []string {
	t.Helper()
	rows, err := db.SQL.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		s := make([]string, len(vals))
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			s[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(s, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestApplyBatchWritesInventoryRowsPerRound: on PostgreSQL the inventory
// rows of a batch's associations and cooperatives are one multi-row upsert,
// not one statement per event; an organisation changed twice in the batch
// goes in a second one. Every row a statement writes carries that
// statement's command id (cmin), so the rows of one batch show as many
// command ids as statements wrote them.
func TestApplyBatchWritesInventoryRowsPerRound(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		db := open(t)
		if db.Dialect != store.Postgres {
			return // SQLite has no command ids to read; TestApplyBatchEqualsOneByOne checks the outcome there
		}
		ctx := context.Background()
		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		var changes []projection.Change
		coop := func(i int, version int64, state string) projection.Change {
			r := &projection.Registrant{Type: projection.Cooperative, Chamber: "fes-meknes", ID: fmt.Sprint("c", i), Region: "fes-meknes",
				Province: "fes", Activity: "F1.B02.A01", State: state, RegisterDate: "2026-11-28", Version: version}
			return projection.Change{Op: projection.Upsert, Registrant: r, Organisation: &projection.Organisation{Type: r.Type, Chamber: r.Chamber,
				ID: r.ID, Province: r.Province, State: state, StateDate: fmt.Sprintf("2026-11-%02d", version), Version: version}}
		}
		for i := range 40 {
			changes = append(changes, coop(i, 1, "FORMING"))
		}
		for i := range 5 {
			changes = append(changes, coop(i, 2, "ACTIVE"))
		}
		var ids, rows, active int
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			if err := sqlstore.NewProjector(db).ApplyBatch(ctx, tx, changes); err != nil {
				return err
			}
			return tx.QueryRowContext(ctx, `SELECT COUNT(DISTINCT cmin::text), COUNT(*), COUNT(*) FILTER (WHERE state = 'ACTIVE' AND state_date = '2026-11-02')
				FROM organisation_facts`).Scan(&ids, &rows, &active)
		})
		if err != nil {
			t.Fatal(err)
		}
		if rows != 40 || active != 5 {
			t.Fatalf("%d inventory rows, %d of them active since the second change; want 40 and 5", rows, active)
		}
		if ids != 2 {
			t.Errorf("the inventory rows of a batch of %d changes of 40 cooperatives were written by %d statements, want 2 (one per round)", len(changes), ids)
		}
	})
}

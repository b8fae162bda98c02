package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/pkg/testenv"
)

// TestFactsReadOfABatchIsOnePlanShape: on PostgreSQL the read of a full
// batch's stored facts is planned, once the facts are analyzed, as one probe
// of the primary key per key (a loop over the keys), not one index
// condition per key ORed together, whose planning grows with the square of
// the batch (0.3-0.75 s of the server's CPU for 500 keys), and not a scan
// of the facts; before they are analyzed (a new database), never through
// another index, which narrows a key only to its type and chamber and so
// reads all of those for every key.
func TestFactsReadOfABatchIsOnePlanShape(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		db := open(t)
		if db.Dialect != store.Postgres {
			return // SQLite plans the IN list without that cost
		}
		ctx := context.Background()
		if err := Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		fill := func(from, to int) {
			if _, err := db.SQL.ExecContext(ctx, `INSERT INTO registrant_facts (registrant_type, chamber, id, region, province, activity,
				category, state, gender, register_date, register_month, members_women, members_men, version, deleted)
				SELECT 'ARTISAN', 'fes-meknes', 'a' || g, 'fes-meknes', 'fes', 'F1', '', 'REGISTERED', 'FEMALE', '2023-01-02', '2023-01', 0, 0, 1, 0
				FROM generate_series($1::int, $2::int) AS g`, from, to); err != nil {
				t.Fatal(err)
			}
		}
		fill(1, 20000)
		keys := make([]factKey, batchRows)
		for i := range keys {
			keys[i] = factKey{"ARTISAN", "fes-meknes", fmt.Sprintf("a%d", 19750+i)} // half of them stored at first
		}
		plan := func() string {
			q, args := factsQuery(db.Dialect, keys)
			return testenv.Explain(t, ctx, db.SQL, q, args...)
		}
		fresh := plan()
		if other := strings.Count(fresh, "Index Scan") - strings.Count(fresh, "Index Scan using registrant_facts_pkey"); other != 0 || !strings.Contains(fresh, "LockRows") {
			t.Errorf("before the facts are analyzed, reading %d facts takes another index than the primary key (or no lock):\n%s", len(keys), firstLines(fresh, 12))
		}
		// At scale, with statistics: a probe of the primary key per key.
		fill(20001, 300000)
		if _, err := db.SQL.ExecContext(ctx, `ANALYZE registrant_facts`); err != nil {
			t.Fatal(err)
		}
		analyzed := plan()
		probes := strings.Count(analyzed, "Index Scan")
		if probes != 1 || !strings.Contains(analyzed, "registrant_facts_pkey") || !strings.Contains(analyzed, "LockRows") || strings.Contains(analyzed, "Seq Scan") {
			t.Errorf("reading %d of 300,000 analyzed facts plans %d index scans (want 1 probe of registrant_facts_pkey per key, locked, no scan):\n%s",
				len(keys), probes, firstLines(analyzed, 12))
		}
	})
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines[n] = "…"
	}
	return strings.Join(lines, "\n")
}

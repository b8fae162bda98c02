package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
)

// TestFactsReadOfABatchIsOnePlanShape: on PostgreSQL the read of a full
// batch's stored facts is planned as one probe of the primary key per key
// (a loop over the keys), not one index condition per key ORed together,
// whose planning grows with the square of the batch (0.3-0.75 s of the
// server's CPU for 500 keys, more than the batch's writes), and not a scan
// of the facts.
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
		if _, err := db.SQL.ExecContext(ctx, `INSERT INTO registrant_facts (registrant_type, chamber, id, region, province, activity,
			category, state, gender, register_date, register_month, members_women, members_men, version, deleted)
			SELECT 'ARTISAN', 'fes-meknes', 'a' || g, 'fes-meknes', 'fes', 'F1', '', 'REGISTERED', 'FEMALE', '2023-01-02', '2023-01', 0, 0, 1, 0
			FROM generate_series(1, 20000) AS g`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL.ExecContext(ctx, `ANALYZE registrant_facts`); err != nil {
			t.Fatal(err)
		}
		keys := make([]factKey, batchRows)
		for i := range keys {
			keys[i] = factKey{"ARTISAN", "fes-meknes", fmt.Sprintf("a%d", 19750+i)} // half of them stored
		}
		q, args := factsQuery(db.Dialect, keys)
		rows, err := db.SQL.QueryContext(ctx, "EXPLAIN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, line)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		text := strings.Join(plan, "\n")
		probes := strings.Count(text, "Index Scan")
		if probes != 1 || !strings.Contains(text, "registrant_facts_pkey") || !strings.Contains(text, "LockRows") || strings.Contains(text, "Seq Scan") {
			t.Fatalf("reading %d facts plans %d index scans (want 1 probe of registrant_facts_pkey per key, locked, no scan):\n%s",
				len(keys), probes, firstLines(text, 12))
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

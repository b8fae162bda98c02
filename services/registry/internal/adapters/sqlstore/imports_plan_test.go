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

// TestCopyLookUpsProbeTheirIndex: the COPY path's two look-ups over a
// batch's keys read their unique index once per key, never the whole
// register, on a register larger than the batch (where the planner, given
// "= ANY($1)", preferred to read it all for every batch).
func TestCopyLookUpsProbeTheirIndex(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		db := open(t)
		if db.Dialect != store.Postgres {
			return // the COPY path is PostgreSQL's
		}
		ctx := context.Background()
		if err := Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		// 20,000 applicants, then a batch of 5,000 keys, half of them held.
		if _, err := db.SQL.ExecContext(ctx, `INSERT INTO artisans (chamber, id, revision, create_time, update_time, data, state, province,
			activity, category, gender, cnie, display_key, name_grams)
			SELECT 'fes-meknes', 'a' || g, 1, g, g, '{}', 'APPLICANT', 'fes', 'F1', 'EXPERIENCED', 'FEMALE', 'IM' || g, 'x', '{}'
			FROM generate_series(1, 20000) AS g`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL.ExecContext(ctx, `ANALYZE artisans`); err != nil {
			t.Fatal(err)
		}
		var ids, cnies []string
		for i := 17500; i < 22500; i++ {
			ids, cnies = append(ids, fmt.Sprintf("a%d", i)), append(cnies, fmt.Sprintf("IM%d", i))
		}
		for _, q := range []struct {
			name, sql, index string
			args             []any
		}{
			{"stored rows", storedRowsQuery, "artisans_pkey", []any{"fes-meknes", ids}},
			{"held CNIEs", heldCNIEsQuery, "artisans_live_cnie", []any{cnies}},
		} {
			text := testenv.Explain(t, ctx, db.SQL, q.sql, q.args...)
			if strings.Contains(text, "Seq Scan on artisans") || !strings.Contains(text, q.index) {
				t.Errorf("%s: the plan does not probe %s:\n%s", q.name, q.index, text)
			}
		}
	})
}

package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// RebuildCounts recomputes every counts cube from registrant_facts in one
// transaction. The event handler keeps the cubes up to date by itself; this
// is for a bulk load of facts (and checks that the deltas add up: after a
// rebuild the cubes must hold what they held before).
func (p *Projector) RebuildCounts(ctx context.Context) error {
	return p.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, cb := range cubes {
			keys := strings.Join(cb.keys, ", ")
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+cb.table); err != nil {
				return fmt.Errorf("rebuild %s: %w", cb.table, err)
			}
			q := fmt.Sprintf(`INSERT INTO %s (%s, registrants, members_women, members_men)
				SELECT %s, COUNT(*), SUM(members_women), SUM(members_men) FROM registrant_facts WHERE deleted = 0 GROUP BY %s`,
				cb.table, keys, keys, keys)
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("rebuild %s: %w", cb.table, err)
			}
		}
		return nil
	})
}

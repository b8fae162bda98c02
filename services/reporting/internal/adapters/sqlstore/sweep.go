package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/hirfa/hirfa/services/reporting/internal/domain/projection"
)

// factTable is where a sweepable fact is kept and its key columns.
type factTable struct {
	table string
	keys  []string
}

var factTables = map[string]factTable{
	projection.FactRegistrant:   {"registrant_facts", []string{"registrant_type", "chamber", "id"}},
	projection.FactEvent:        {"event_facts", []string{"chamber", "id"}},
	projection.FactExhibitor:    {"exhibitor_facts", []string{"chamber", "event", "id"}},
	projection.FactVisitorCount: {"visitor_facts", []string{"chamber", "event", "day"}},
	projection.FactAgreement:    {"agreement_facts", []string{"chamber", "id"}},
}

// factKeyOf is the sweepable fact a change is about and its key values;
// ok is false for facts no snapshot run sweeps.
func factKeyOf(c projection.Change) (fact string, key []any, ok bool) {
	switch {
	case c.Registrant != nil:
		return projection.FactRegistrant, []any{c.Registrant.Type, c.Registrant.Chamber, c.Registrant.ID}, true
	case c.Event != nil:
		return projection.FactEvent, []any{c.Event.Chamber, c.Event.ID}, true
	case c.Exhibitor != nil:
		return projection.FactExhibitor, []any{c.Exhibitor.Chamber, c.Exhibitor.Event, c.Exhibitor.ID}, true
	case c.VisitorCount != nil:
		return projection.FactVisitorCount, []any{c.VisitorCount.Chamber, c.VisitorCount.Event, c.VisitorCount.Day}, true
	case c.Agreement != nil:
		return projection.FactAgreement, []any{c.Agreement.Chamber, c.Agreement.ID}, true
	}
	return "", nil, false
}

// markSnapshots records, set-based, which facts the snapshot events among
// changes mentioned: one statement per fact table and run (the facts
// exist, as the changes were applied first). A fact is marked whatever its
// version: the run saw the resource alive, even if the projection already
// holds a newer state of it.
func (p *Projector) markSnapshots(ctx context.Context, tx *sql.Tx, changes []projection.Change) error {
	type group struct{ fact, run string }
	keys := map[group][][]any{}
	var order []group
	for _, c := range changes {
		if c.Snapshot == "" {
			continue
		}
		fact, key, ok := factKeyOf(c)
		if !ok {
			continue
		}
		g := group{fact, c.Snapshot}
		if keys[g] == nil {
			order = append(order, g)
		}
		keys[g] = append(keys[g], key)
	}
	for _, g := range order {
		t := factTables[g.fact]
		all := keys[g]
		row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(t.keys)), ", ") + ")"
		for start := 0; start < len(all); start += batchRows {
			part := all[start:min(start+batchRows, len(all))]
			args := append(make([]any, 0, 1+len(part)*len(t.keys)), g.run)
			rows := make([]string, len(part))
			for i, k := range part {
				args = append(args, k...)
				rows[i] = row
			}
			q := "UPDATE " + t.table + " SET snapshot_id = ? WHERE (" + strings.Join(t.keys, ", ") + ") IN (" + strings.Join(rows, ", ") + ")"
			if err := p.exec(ctx, tx, q, args...); err != nil {
				return fmt.Errorf("mark snapshot %s: %w", t.table, err)
			}
		}
	}
	return nil
}

// ErrSnapshotIncomplete is returned (and the marker retried by the bus)
// while fewer facts carry a run's id than the run wrote: some snapshot
// events are still pending, and sweeping now would tombstone them.
var ErrSnapshotIncomplete = errors.New("snapshot run not fully applied yet")

// sweep ends a snapshot run of one kind: the live facts of the kind the run
// did not mention and older than its start become tombstones, in one
// statement, and registrants leave the counts. Applying it again finds
// nothing left to sweep.
func (p *Projector) sweep(ctx context.Context, tx *sql.Tx, s projection.Sweep) error {
	t, ok := factTables[s.Fact]
	if !ok {
		return fmt.Errorf("sweep: unknown fact %q", s.Fact)
	}
	kind, kindArgs := "", []any{}
	if s.Fact == projection.FactRegistrant {
		kind, kindArgs = " AND registrant_type = ?", []any{s.RegistrantType}
	}
	var marked int64
	if err := tx.QueryRowContext(ctx, p.db.Rebind("SELECT COUNT(*) FROM "+t.table+" WHERE snapshot_id = ?"+kind),
		append([]any{s.Run}, kindArgs...)...).Scan(&marked); err != nil {
		return fmt.Errorf("sweep %s: %w", t.table, err)
	}
	if marked < s.Count {
		return fmt.Errorf("sweep %s %s: %d of %d records: %w", t.table, s.Run, marked, s.Count, ErrSnapshotIncomplete)
	}
	// The update locks each row it tombstones (PostgreSQL re-checks the
	// condition after waiting on a concurrent change), so the counts moved
	// below are those of the state it replaced. The tombstone's version is
	// one less than the fact's: should the resource still exist (a change
	// stamped before the run began but committed after its page was read,
	// beyond SnapshotSkew), the next run's snapshot event of the same state
	// is newer and restores it, while the missed Deleted event, which
	// carries the same last state, still applies.
	q := "UPDATE " + t.table + " SET deleted = 1, version = version - 1 WHERE deleted = 0 AND snapshot_id <> ? AND version < ?" + kind
	args := append([]any{s.Run, s.Before}, kindArgs...)
	if s.Fact != projection.FactRegistrant {
		if err := p.exec(ctx, tx, q, args...); err != nil {
			return fmt.Errorf("sweep %s: %w", t.table, err)
		}
		return nil
	}
	rows, err := tx.QueryContext(ctx, p.db.Rebind(q+` RETURNING chamber, id, region, province, activity, category, state, gender,
		register_date, members_women, members_men`), args...)
	if err != nil {
		return fmt.Errorf("sweep %s: %w", t.table, err)
	}
	var deltas []projection.Delta
	for rows.Next() {
		r := projection.Registrant{Type: s.RegistrantType}
		if err := rows.Scan(&r.Chamber, &r.ID, &r.Region, &r.Province, &r.Activity, &r.Category, &r.State, &r.Gender,
			&r.RegisterDate, &r.MembersWomen, &r.MembersMen); err != nil {
			rows.Close()
			return fmt.Errorf("sweep %s: %w", t.table, err)
		}
		deltas = append(deltas, projection.Deltas(&r, nil)...)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("sweep %s: %w", t.table, err)
	}
	if err := p.moveCounts(ctx, tx, deltas); err != nil {
		return err
	}
	// The inventory row of a swept association or cooperative goes with it.
	return p.exec(ctx, tx, `UPDATE organisation_facts SET deleted = 1 WHERE registrant_type = ? AND deleted = 0 AND EXISTS (
		SELECT 1 FROM registrant_facts r WHERE r.registrant_type = organisation_facts.registrant_type
			AND r.chamber = organisation_facts.chamber AND r.id = organisation_facts.id AND r.deleted = 1)`, s.RegistrantType)
}

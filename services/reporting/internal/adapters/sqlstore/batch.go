package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/projection"
)

// batchRows bounds the rows of one multi-row statement, so a statement's
// parameters stay well under SQLite's and PostgreSQL's limits (the widest
// row, a registrant fact, has 15).
const batchRows = 500

// ApplyBatch writes changes, in order, into the projections in tx with the
// same outcome as Apply on each in turn, but set-based for registrants (the
// bulk of the traffic): their stored facts are read in one statement, the
// count deltas of the whole batch are summed per cube key in memory, and
// each cube, the facts table and the inventory rows of associations and
// cooperatives get one multi-row upsert. Without that a registrant costs a
// read and up to ten writes of its own, and the consumer cannot keep up
// with a steady 1,000 events/s. Other changes (fairs, exhibitors,
// agreements, activities) touch other tables and go through Apply one by
// one.
func (p *Projector) ApplyBatch(ctx context.Context, tx *sql.Tx, changes []projection.Change) error {
	var regs []projection.Change
	var orgs []organisationChange
	// flush applies the registrants and inventory rows gathered so far:
	// before a sweep, which must see every snapshot event ahead of it, and
	// at the end.
	flush := func() error {
		if len(regs) == 0 {
			return nil
		}
		err := p.registrants(ctx, tx, regs)
		if err == nil && len(orgs) > 0 {
			err = p.organisations(ctx, tx, orgs)
		}
		regs, orgs = nil, nil
		if err != nil {
			return fmt.Errorf("apply: %w", err)
		}
		return nil
	}
	for _, c := range changes {
		if c.Registrant != nil {
			regs = append(regs, c)
			if c.Organisation != nil {
				orgs = append(orgs, organisationChange{c.Op, *c.Organisation})
			}
			continue
		}
		if c.Sweep != nil {
			if err := flush(); err != nil {
				return err
			}
		}
		if err := p.Apply(ctx, tx, c); err != nil {
			return err
		}
	}
	return flush()
}

type factKey struct{ typ, chamber, id string }

// fact is a stored registrant fact: its last state and whether that state
// is a tombstone.
type fact struct {
	r       projection.Registrant
	deleted bool
}

func (p *Projector) registrants(ctx context.Context, tx *sql.Tx, changes []projection.Change) error {
	var keys []factKey
	seen := map[factKey]bool{}
	for _, c := range changes {
		k := factKey{c.Registrant.Type, c.Registrant.Chamber, c.Registrant.ID}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	facts, err := p.readFacts(ctx, tx, keys)
	if err != nil {
		return err
	}
	// Replay the batch in order against the facts in memory: a registrant
	// changed twice in the batch moves its counts twice, as one by one.
	var deltas []projection.Delta
	var dirty []factKey
	isDirty := map[factKey]bool{}
	for _, c := range changes {
		r := *c.Registrant
		k := factKey{r.Type, r.Chamber, r.ID}
		old, ok := facts[k]
		if ok && !projection.Newer(r.Version, old.r.Version) {
			continue // stale or repeated
		}
		var before, after *projection.Registrant
		if ok && !old.deleted {
			before = &old.r
		}
		if c.Op == projection.Upsert {
			after = &r
		}
		deltas = append(deltas, projection.Deltas(before, after)...)
		facts[k] = fact{r: r, deleted: c.Op == projection.Delete}
		if !isDirty[k] {
			isDirty[k] = true
			dirty = append(dirty, k)
		}
	}
	if err := p.moveCounts(ctx, tx, deltas); err != nil {
		return err
	}
	if err := p.writeFacts(ctx, tx, dirty, facts); err != nil {
		return err
	}
	return p.markSnapshots(ctx, tx, changes)
}

// moveCounts adds deltas to every cube, summed per cube key first so each
// cube gets one multi-row upsert (and a key that nets to zero none).
func (p *Projector) moveCounts(ctx context.Context, tx *sql.Tx, deltas []projection.Delta) error {
	for _, cb := range cubes {
		sums := map[string]*projection.Delta{}
		var order []string
		for _, d := range deltas {
			ck := cubeKey(cb, d.Key)
			s := sums[ck]
			if s == nil {
				s = &projection.Delta{Key: d.Key}
				sums[ck] = s
				order = append(order, ck)
			}
			s.Count += d.Count
			s.MembersWomen += d.MembersWomen
			s.MembersMen += d.MembersMen
		}
		var ds []projection.Delta
		for _, ck := range order {
			if d := sums[ck]; d.Count != 0 || d.MembersWomen != 0 || d.MembersMen != 0 {
				ds = append(ds, *d)
			}
		}
		if err := p.addCounts(ctx, tx, cb, ds); err != nil {
			return err
		}
	}
	return nil
}

// cubeKey is the cube's key dimensions of r, joined.
func cubeKey(cb cube, r projection.Registrant) string {
	var b strings.Builder
	for _, k := range cb.keys {
		b.WriteString(r.Dimension(k))
		b.WriteByte(0)
	}
	return b.String()
}

// factColumns are the columns readFacts scans (on SQLite; PostgreSQL's
// statement names the same ones).
const factColumns = `registrant_type, chamber, id, region, province, activity, category, state, gender, register_date,
	members_women, members_men, version, deleted`

// factsQuery is readFacts' statement for keys. On PostgreSQL it is one
// text whatever the batch, the keys three arrays joined to the facts
// (locked, as the one-by-one path does, so two replicas cannot both move the
// same counts): a row-value IN list of 500 keys is planned as 500 ORed index
// conditions, and planning that took 0.3-0.75 s of the server's CPU per
// batch. A join, not a probe per key written into the query: with
// statistics it is planned as a probe of the primary key per key; on a
// table not yet analyzed (a new database's first minute) the planner,
// blind to how many facts share a type and chamber, may probe each key
// through an index that narrows only to those, reading them all for every
// key, where the join hashes the keys against one scan of the facts.
func factsQuery(dialect store.Dialect, keys []factKey) (string, []any) {
	if dialect == store.Postgres {
		typs, chambers, ids := make([]string, len(keys)), make([]string, len(keys)), make([]string, len(keys))
		for i, k := range keys {
			typs[i], chambers[i], ids[i] = k.typ, k.chamber, k.id
		}
		return `SELECT f.registrant_type, f.chamber, f.id, f.region, f.province, f.activity, f.category, f.state, f.gender,
				f.register_date, f.members_women, f.members_men, f.version, f.deleted FROM registrant_facts f
			JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(typ, chamber, id)
				ON f.registrant_type = k.typ AND f.chamber = k.chamber AND f.id = k.id
			FOR UPDATE OF f`, []any{typs, chambers, ids}
	}
	var q strings.Builder
	q.WriteString(`SELECT ` + factColumns + ` FROM registrant_facts WHERE (registrant_type, chamber, id) IN (`)
	args := make([]any, 0, 3*len(keys))
	for i, k := range keys {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?)")
		args = append(args, k.typ, k.chamber, k.id)
	}
	q.WriteString(")")
	return q.String(), args
}

// readFacts reads the stored facts of keys (locked on PostgreSQL).
func (p *Projector) readFacts(ctx context.Context, tx *sql.Tx, keys []factKey) (map[factKey]fact, error) {
	out := make(map[factKey]fact, len(keys))
	for start := 0; start < len(keys); start += batchRows {
		q, args := factsQuery(p.db.Dialect, keys[start:min(start+batchRows, len(keys))])
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("read registrants: %w", err)
		}
		for rows.Next() {
			var f fact
			var del int
			r := &f.r
			if err := rows.Scan(&r.Type, &r.Chamber, &r.ID, &r.Region, &r.Province, &r.Activity, &r.Category, &r.State, &r.Gender,
				&r.RegisterDate, &r.MembersWomen, &r.MembersMen, &r.Version, &del); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read registrants: %w", err)
			}
			f.deleted = del != 0
			out[factKey{r.Type, r.Chamber, r.ID}] = f
		}
		err = errors.Join(rows.Err(), rows.Close())
		if err != nil {
			return nil, fmt.Errorf("read registrants: %w", err)
		}
	}
	return out, nil
}

// addCounts adds the summed deltas to cb in multi-row upserts (each key at
// most once per statement, as PostgreSQL requires).
func (p *Projector) addCounts(ctx context.Context, tx *sql.Tx, cb cube, ds []projection.Delta) error {
	keys := strings.Join(cb.keys, ", ")
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cb.keys)+3), ", ") + ")"
	for start := 0; start < len(ds); start += batchRows {
		part := ds[start:min(start+batchRows, len(ds))]
		args := make([]any, 0, len(part)*(len(cb.keys)+3))
		rows := make([]string, len(part))
		for i, d := range part {
			for _, k := range cb.keys {
				args = append(args, d.Key.Dimension(k))
			}
			args = append(args, d.Count, d.MembersWomen, d.MembersMen)
			rows[i] = row
		}
		q := fmt.Sprintf(`INSERT INTO %[1]s (%[2]s, registrants, members_women, members_men) VALUES %[3]s
			ON CONFLICT (%[2]s) DO UPDATE SET registrants = %[1]s.registrants + excluded.registrants,
				members_women = %[1]s.members_women + excluded.members_women, members_men = %[1]s.members_men + excluded.members_men`,
			cb.table, keys, strings.Join(rows, ", "))
		if err := p.exec(ctx, tx, q, args...); err != nil {
			return fmt.Errorf("add counts to %s: %w", cb.table, err)
		}
	}
	return nil
}

// writeFacts stores the last state of every changed registrant.
func (p *Projector) writeFacts(ctx context.Context, tx *sql.Tx, keys []factKey, facts map[factKey]fact) error {
	for start := 0; start < len(keys); start += batchRows {
		part := keys[start:min(start+batchRows, len(keys))]
		args := make([]any, 0, 15*len(part))
		rows := make([]string, len(part))
		for i, k := range part {
			f := facts[k]
			r := f.r
			del := 0
			if f.deleted {
				del = 1
			}
			args = append(args, r.Type, r.Chamber, r.ID, r.Region, r.Province, r.Activity, r.Category, r.State, r.Gender,
				r.RegisterDate, r.RegisterMonth(), r.MembersWomen, r.MembersMen, r.Version, del)
			rows[i] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		}
		q := `INSERT INTO registrant_facts (registrant_type, chamber, id, region, province, activity, category, state, gender,
				register_date, register_month, members_women, members_men, version, deleted)
			VALUES ` + strings.Join(rows, ", ") + `
			ON CONFLICT (registrant_type, chamber, id) DO UPDATE SET region = excluded.region, province = excluded.province,
				activity = excluded.activity, category = excluded.category, state = excluded.state, gender = excluded.gender,
				register_date = excluded.register_date, register_month = excluded.register_month, members_women = excluded.members_women,
				members_men = excluded.members_men, version = excluded.version, deleted = excluded.deleted`
		if err := p.exec(ctx, tx, q, args...); err != nil {
			return fmt.Errorf("write registrants: %w", err)
		}
	}
	return nil
}

// Package sqlstore keeps the reporting projections in SQL (PostgreSQL or
// SQLite, chosen by the database URL): Apply writes one decoded event into
// the projection inside the caller's transaction (the event bus's consumer
// transaction, which also records the event as processed), ApplyBatch
// writes a batch of them set-based, and Stats
// answers the statistics from them. Migrations are embedded per dialect.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"strings"

	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/projection"
)

//go:embed migrations
var migrations embed.FS

// Migrate applies the platform and reporting migrations.
var Migrate = store.Embedded("reporting", migrations)

// Projector applies decoded events to the projections.
type Projector struct{ db *store.DB }

// NewProjector returns the projector on db.
func NewProjector(db *store.DB) *Projector { return &Projector{db: db} }

// cube is one pre-aggregated counts table and its key dimensions.
type cube struct {
	table string
	keys  []string // Registrant.Dimension names, registrant_type and chamber first
}

// cubes, smallest first: the query planner takes the first that holds
// every dimension a question needs.
var cubes = []cube{
	{"registrant_counts_profile", []string{"registrant_type", "chamber", "region", "province", "category", "state", "gender"}},
	{"registrant_counts_month", []string{"registrant_type", "chamber", "region", "province", "state", "register_month"}},
	{"registrant_counts_activity", []string{"registrant_type", "chamber", "region", "activity", "state"}},
	{"registrant_counts", []string{"registrant_type", "chamber", "region", "province", "activity", "category", "state", "gender"}},
}

// Apply writes c into the projections in tx. Stale and repeated changes
// (a version not newer than the stored one) change nothing.
func (p *Projector) Apply(ctx context.Context, tx *sql.Tx, c projection.Change) error {
	var err error
	switch {
	case c.Sweep != nil:
		err = p.sweep(ctx, tx, *c.Sweep)
	case c.Registrant != nil:
		err = p.registrant(ctx, tx, c.Op, *c.Registrant)
		if err == nil && c.Organisation != nil {
			err = p.organisation(ctx, tx, c.Op, *c.Organisation)
		}
	case c.Request != nil:
		r := c.Request
		err = p.exec(ctx, tx, `INSERT INTO request_facts (chamber, id, type, state, version, deleted) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (chamber, id) DO UPDATE SET type = excluded.type, state = excluded.state, version = excluded.version, deleted = excluded.deleted
			WHERE request_facts.version < excluded.version`,
			r.Chamber, r.ID, r.Type, r.State, r.Version, deleted(c.Op))
	case c.Card != nil:
		k := c.Card
		err = p.exec(ctx, tx, `INSERT INTO card_facts (chamber, id, kind, artisan_chamber, artisan_id, artisan_state, revoked, version, deleted)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (chamber, id) DO UPDATE SET kind = excluded.kind, artisan_chamber = excluded.artisan_chamber,
				artisan_id = excluded.artisan_id, artisan_state = excluded.artisan_state, revoked = excluded.revoked,
				version = excluded.version, deleted = excluded.deleted
			WHERE card_facts.version < excluded.version`,
			k.Chamber, k.ID, k.Kind, k.ArtisanChamber, k.ArtisanID, k.ArtisanState, flag(k.Revoked), k.Version, deleted(c.Op))
	case c.CraftBody != nil:
		b := c.CraftBody
		err = p.exec(ctx, tx, `INSERT INTO craft_body_facts (chamber, id, province, craft, stage, version, deleted) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (chamber, id) DO UPDATE SET province = excluded.province, craft = excluded.craft, stage = excluded.stage,
				version = excluded.version, deleted = excluded.deleted
			WHERE craft_body_facts.version < excluded.version`,
			b.Chamber, b.ID, b.Province, b.Craft, b.Stage, b.Version, deleted(c.Op))
	case c.Evidence != nil:
		e := c.Evidence
		err = p.exec(ctx, tx, `INSERT INTO evidence_facts (source, registrant, chamber, kind, day, version, deleted) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (source) DO UPDATE SET registrant = excluded.registrant, chamber = excluded.chamber, kind = excluded.kind,
				day = excluded.day, version = excluded.version, deleted = excluded.deleted
			WHERE evidence_facts.version < excluded.version`,
			e.Source, e.Registrant, e.Chamber, e.Kind, e.Day, e.Version, deleted(c.Op))
	case c.Event != nil:
		err = p.event(ctx, tx, c.Op, *c.Event)
	case c.Exhibitor != nil:
		x := c.Exhibitor
		err = p.exec(ctx, tx, `INSERT INTO exhibitor_facts (chamber, event, id, applicant, applicant_type, state, sales_centimes, version, deleted)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (chamber, event, id) DO UPDATE SET applicant = excluded.applicant, applicant_type = excluded.applicant_type,
				state = excluded.state, sales_centimes = excluded.sales_centimes, version = excluded.version, deleted = excluded.deleted
			WHERE exhibitor_facts.version < excluded.version`,
			x.Chamber, x.Event, x.ID, x.Applicant, x.ApplicantType, x.State, x.SalesCentimes, x.Version, deleted(c.Op))
	case c.VisitorCount != nil:
		v := c.VisitorCount
		err = p.exec(ctx, tx, `INSERT INTO visitor_facts (chamber, event, day, visitors, version, deleted) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (chamber, event, day) DO UPDATE SET visitors = excluded.visitors, version = excluded.version, deleted = excluded.deleted
			WHERE visitor_facts.version < excluded.version`,
			v.Chamber, v.Event, v.Day, v.Visitors, v.Version, deleted(c.Op))
	case c.Agreement != nil:
		a := c.Agreement
		// The approval day is the first time the agreement was seen
		// approved; later states (signed, active...) keep it.
		err = p.exec(ctx, tx, `INSERT INTO agreement_facts (chamber, id, title_ar, title_fr, state, resolution, approve_date, version, deleted)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (chamber, id) DO UPDATE SET title_ar = excluded.title_ar, title_fr = excluded.title_fr, state = excluded.state,
				resolution = excluded.resolution, version = excluded.version, deleted = excluded.deleted,
				approve_date = CASE WHEN agreement_facts.approve_date <> '' THEN agreement_facts.approve_date ELSE excluded.approve_date END
			WHERE agreement_facts.version < excluded.version`,
			a.Chamber, a.ID, a.Title.AR, a.Title.FR, a.State, a.Resolution, a.ApproveDate, a.Version, deleted(c.Op))
	case c.Activity != nil:
		a := c.Activity
		err = p.exec(ctx, tx, `INSERT INTO activity_facts (code, name_ar, name_fr, family, family_ar, family_fr, branch, branch_ar, branch_fr, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name_ar = excluded.name_ar, name_fr = excluded.name_fr, family = excluded.family,
				family_ar = excluded.family_ar, family_fr = excluded.family_fr, branch = excluded.branch,
				branch_ar = excluded.branch_ar, branch_fr = excluded.branch_fr, version = excluded.version
			WHERE activity_facts.version < excluded.version`,
			a.Code, a.Name.AR, a.Name.FR, a.Family.Code, a.Family.Name.AR, a.Family.Name.FR, a.Branch.Code, a.Branch.Name.AR, a.Branch.Name.FR, a.Version)
	default:
		return errors.New("apply: empty change")
	}
	if err == nil {
		err = p.markSnapshots(ctx, tx, []projection.Change{c})
	}
	if err != nil {
		return fmt.Errorf("apply: %w", err)
	}
	return nil
}

// organisation stores what the inventory keeps of an association or a
// cooperative. The state's day is kept while the state and its reason do
// not change, so a later edit of the record does not move the day of a
// manual mark.
func (p *Projector) organisation(ctx context.Context, tx *sql.Tx, op projection.Op, o projection.Organisation) error {
	return p.organisations(ctx, tx, []organisationChange{{op, o}})
}

type organisationChange struct {
	op projection.Op
	o  projection.Organisation
}

// organisations stores the inventory rows of changes in multi-row upserts,
// with the outcome of organisation on each in turn: a batch's rows cost
// one statement, not one each. A statement holds at most one change of an
// organisation (PostgreSQL refuses to upsert a row twice in one statement,
// and the state's day a change keeps depends on the state before it), so
// the k-th change of an organisation in changes goes in the k-th round.
func (p *Projector) organisations(ctx context.Context, tx *sql.Tx, changes []organisationChange) error {
	type key struct{ typ, chamber, id string }
	var rounds [][]organisationChange
	seen := make(map[key]int, len(changes))
	for _, c := range changes {
		k := key{c.o.Type, c.o.Chamber, c.o.ID}
		r := seen[k]
		seen[k] = r + 1
		if r == len(rounds) {
			rounds = append(rounds, nil)
		}
		rounds[r] = append(rounds[r], c)
	}
	const row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	for _, round := range rounds {
		for start := 0; start < len(round); start += batchRows {
			part := round[start:min(start+batchRows, len(round))]
			args := make([]any, 0, 17*len(part))
			rows := make([]string, len(part))
			for i, c := range part {
				o := c.o
				args = append(args, o.Type, o.Chamber, o.ID, o.DisplayName.AR, o.DisplayName.FR, o.Province, o.State, o.StateReason,
					o.StateActor, o.StateDate, o.FoundedDate, o.DefinitiveDate, o.ReceiptDue, o.AssemblyDate, o.BureauDate, o.Version, deleted(c.op))
				rows[i] = row
			}
			err := p.exec(ctx, tx, `INSERT INTO organisation_facts (registrant_type, chamber, id, name_ar, name_fr, province, state, state_reason,
					state_actor, state_date, founded_date, definitive_date, receipt_due, assembly_date, bureau_date, version, deleted)
				VALUES `+strings.Join(rows, ", ")+`
				ON CONFLICT (chamber, registrant_type, id) DO UPDATE SET name_ar = excluded.name_ar, name_fr = excluded.name_fr,
					province = excluded.province, state = excluded.state, state_reason = excluded.state_reason, state_actor = excluded.state_actor,
					state_date = CASE WHEN organisation_facts.state = excluded.state AND organisation_facts.state_reason = excluded.state_reason
						THEN organisation_facts.state_date ELSE excluded.state_date END,
					founded_date = excluded.founded_date, definitive_date = excluded.definitive_date, receipt_due = excluded.receipt_due, assembly_date = excluded.assembly_date,
					bureau_date = excluded.bureau_date, version = excluded.version, deleted = excluded.deleted
				WHERE organisation_facts.version < excluded.version`, args...)
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *Projector) event(ctx context.Context, tx *sql.Tx, op projection.Op, e projection.Event) error {
	var ev projection.Evaluation
	evaluated := 0
	if e.Evaluation != nil {
		ev, evaluated = *e.Evaluation, 1
	}
	return p.exec(ctx, tx, `INSERT INTO event_facts (chamber, id, kind, state, province, start_date, end_date, title_ar, title_fr,
			evaluated, eval_exhibitors, eval_artisans, eval_visitors, eval_sales, eval_registered, eval_attended, version, deleted)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (chamber, id) DO UPDATE SET kind = excluded.kind, state = excluded.state, province = excluded.province,
			start_date = excluded.start_date, end_date = excluded.end_date, title_ar = excluded.title_ar, title_fr = excluded.title_fr,
			evaluated = excluded.evaluated, eval_exhibitors = excluded.eval_exhibitors, eval_artisans = excluded.eval_artisans,
			eval_visitors = excluded.eval_visitors, eval_sales = excluded.eval_sales, eval_registered = excluded.eval_registered,
			eval_attended = excluded.eval_attended, version = excluded.version, deleted = excluded.deleted
		WHERE event_facts.version < excluded.version`,
		e.Chamber, e.ID, e.Kind, e.State, e.Province, e.StartDate, e.EndDate, e.Title.AR, e.Title.FR,
		evaluated, ev.Exhibitors, ev.Artisans, ev.Visitors, ev.SalesCentimes, ev.Registered, ev.Attended, e.Version, deleted(op))
}

// registrant moves the counts from the stored fact to the new one and
// stores the new fact (or its tombstone).
func (p *Projector) registrant(ctx context.Context, tx *sql.Tx, op projection.Op, r projection.Registrant) error {
	q := `SELECT region, province, activity, category, state, gender, register_date, members_women, members_men, version, deleted
		FROM registrant_facts WHERE registrant_type = ? AND chamber = ? AND id = ?`
	if p.db.Dialect == store.Postgres {
		q += " FOR UPDATE"
	}
	old := projection.Registrant{Type: r.Type, Chamber: r.Chamber, ID: r.ID}
	var del int
	err := tx.QueryRowContext(ctx, p.db.Rebind(q), r.Type, r.Chamber, r.ID).Scan(&old.Region, &old.Province, &old.Activity,
		&old.Category, &old.State, &old.Gender, &old.RegisterDate, &old.MembersWomen, &old.MembersMen, &old.Version, &del)
	var before *projection.Registrant
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return fmt.Errorf("read registrant: %w", err)
	case !projection.Newer(r.Version, old.Version):
		return nil // stale or repeated
	case del == 0:
		before = &old
	}
	var after *projection.Registrant
	if op == projection.Upsert {
		after = &r
	}
	for _, d := range projection.Deltas(before, after) {
		for _, cb := range cubes {
			if err := p.addCount(ctx, tx, cb, d); err != nil {
				return err
			}
		}
	}
	return p.exec(ctx, tx, `INSERT INTO registrant_facts (registrant_type, chamber, id, region, province, activity, category, state, gender,
			register_date, register_month, members_women, members_men, version, deleted)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (registrant_type, chamber, id) DO UPDATE SET region = excluded.region, province = excluded.province,
			activity = excluded.activity, category = excluded.category, state = excluded.state, gender = excluded.gender,
			register_date = excluded.register_date, register_month = excluded.register_month, members_women = excluded.members_women,
			members_men = excluded.members_men, version = excluded.version, deleted = excluded.deleted`,
		r.Type, r.Chamber, r.ID, r.Region, r.Province, r.Activity, r.Category, r.State, r.Gender,
		r.RegisterDate, r.RegisterMonth(), r.MembersWomen, r.MembersMen, r.Version, deleted(op))
}

func (p *Projector) addCount(ctx context.Context, tx *sql.Tx, cb cube, d projection.Delta) error {
	args := make([]any, 0, len(cb.keys)+3)
	for _, k := range cb.keys {
		args = append(args, d.Key.Dimension(k))
	}
	args = append(args, d.Count, d.MembersWomen, d.MembersMen)
	keys := strings.Join(cb.keys, ", ")
	q := fmt.Sprintf(`INSERT INTO %[1]s (%[2]s, registrants, members_women, members_men) VALUES (%[3]s)
		ON CONFLICT (%[2]s) DO UPDATE SET registrants = %[1]s.registrants + excluded.registrants,
			members_women = %[1]s.members_women + excluded.members_women, members_men = %[1]s.members_men + excluded.members_men`,
		cb.table, keys, strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", "))
	return p.exec(ctx, tx, q, args...)
}

func (p *Projector) exec(ctx context.Context, tx *sql.Tx, q string, args ...any) error {
	_, err := tx.ExecContext(ctx, p.db.Rebind(q), args...)
	return err
}

func deleted(op projection.Op) int { return flag(op == projection.Delete) }

// flag stores a boolean as the 0 or 1 both dialects' integer columns take.
func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

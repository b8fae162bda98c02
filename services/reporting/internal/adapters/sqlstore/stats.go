package sqlstore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/projection"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/stats"
)

// Stats answers the statistics from the projections.
type Stats struct{ db *store.DB }

var _ stats.Repository = (*Stats)(nil)

// NewStats returns the statistics repository on db.
func NewStats(db *store.DB) *Stats { return &Stats{db: db} }

// dimension columns: counts table alias c, nomenclature alias a.
var dimensionExpr = map[string]string{
	"region":          "c.region",
	"province":        "c.province",
	"activity":        "c.activity",
	"activity_branch": "a.branch",
	"activity_family": "a.family",
	"category":        "c.category",
	"state":           "c.state",
	"gender":          "c.gender",
	"register_month":  "c.register_month",
	"register_date":   "c.register_date",
}

// needs is the cube column a dimension is read from.
func needs(d string) string {
	switch d {
	case "activity_branch", "activity_family":
		return "activity"
	}
	return d
}

// schemaFor is the AIP-160 filter schema over the given dimensions.
func schemaFor(dims []string) *filter.Schema {
	var fields []filter.Field
	for _, d := range dims {
		fields = append(fields, filter.Field{Name: d, Column: dimensionExpr[d], Type: filter.String})
	}
	return filter.NewSchema(fields...)
}

var factDimensions = append(slices.Clone(stats.Dimensions), "register_month", "register_date")

// factSchema accepts every field; it validates filters before a cube is chosen.
var factSchema = schemaFor(factDimensions)

// filterFields lists the fields a filter mentions.
func filterFields(e filter.Expr, out map[string]bool) {
	switch x := e.(type) {
	case *filter.Comparison:
		out[x.Field] = true
	case *filter.And:
		for _, t := range x.Terms {
			filterFields(t, out)
		}
	case *filter.Or:
		for _, t := range x.Terms {
			filterFields(t, out)
		}
	case *filter.Not:
		filterFields(x.X, out)
	}
}

// source picks where a question is answered: the smallest cube holding
// every needed column, else the facts.
func source(needed map[string]bool) (table string, count, women, men string) {
	for _, cb := range cubes {
		ok := true
		for d := range needed {
			if !slices.Contains(cb.keys, needs(d)) {
				ok = false
				break
			}
		}
		if ok {
			return cb.table, "SUM(c.registrants)", "SUM(c.members_women)", "SUM(c.members_men)"
		}
	}
	return "registrant_facts", "COUNT(*)", "SUM(c.members_women)", "SUM(c.members_men)"
}

// RegisterStatistics answers a distribution.
func (s *Stats) RegisterStatistics(ctx context.Context, q stats.RegisterQuery) ([]stats.Row, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	needed := map[string]bool{}
	for _, d := range q.GroupBy {
		needed[d] = true
	}
	if q.Filter != "" {
		if _, _, err := factSchema.Compile(q.Filter); err != nil {
			return nil, invalidFilter(err)
		}
		e, _ := filter.Parse(q.Filter) // parsed fine just above
		filterFields(e, needed)
	}
	table, count, women, men := source(needed)
	count = "COALESCE(" + count + ", 0)"
	var dims []string
	for d := range needed {
		dims = append(dims, d)
	}
	where := []string{"c.registrant_type = ?"}
	args := []any{q.Type}
	if table == "registrant_facts" {
		where = append(where, "c.deleted = 0")
	}
	if q.Chamber != stats.Wildcard {
		where = append(where, "c.chamber = ?")
		args = append(args, q.Chamber)
	}
	if q.Filter != "" {
		fw, fargs, err := schemaFor(dims).Compile(q.Filter)
		if err != nil {
			return nil, invalidFilter(err)
		}
		if fw != "" {
			where = append(where, "("+fw+")")
			args = append(args, fargs...)
		}
	}
	join := ""
	if needed["activity_branch"] || needed["activity_family"] {
		join = " LEFT JOIN activity_facts a ON a.code = c.activity"
	}
	var sel, group []string
	for _, d := range q.GroupBy {
		expr := dimensionExpr[d]
		if strings.HasPrefix(expr, "a.") {
			expr = "COALESCE(" + expr + ", '')"
		}
		sel = append(sel, expr)
		group = append(group, expr)
	}
	query := "SELECT " + strings.Join(append(sel, count, "COALESCE("+women+", 0)", "COALESCE("+men+", 0)"), ", ") +
		" FROM " + table + " c" + join + " WHERE " + strings.Join(where, " AND ")
	if len(group) > 0 {
		query += " GROUP BY " + strings.Join(group, ", ") + " HAVING " + count + " <> 0 ORDER BY " + strings.Join(group, ", ")
	}
	rows, err := s.db.SQL.QueryContext(ctx, s.db.Rebind(query), args...)
	if err != nil {
		return nil, fmt.Errorf("register statistics: %w", err)
	}
	defer rows.Close()
	var out []stats.Row
	for rows.Next() {
		r := stats.Row{Values: make([]string, len(q.GroupBy))}
		dest := make([]any, 0, len(q.GroupBy)+3)
		for i := range r.Values {
			dest = append(dest, &r.Values[i])
		}
		dest = append(dest, &r.Count, &r.MembersWomen, &r.MembersMen)
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("register statistics: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func invalidFilter(err error) error {
	var fe *filter.Error
	if errors.As(err, &fe) {
		return fault.Invalid("filter", "filter.invalid", "%s", fe.Error())
	}
	return fault.Invalid("filter", "filter.invalid", "%s", err.Error())
}

// FairStatistics totals the fairs (and counts the other events) of a
// chamber or of every chamber that start within p. Cancelled and deleted
// events are left out. An evaluated fair counts its frozen figures; a fair
// not yet evaluated counts its accepted exhibitors, daily visitor counts
// and declared sales so far.
func (s *Stats) FairStatistics(ctx context.Context, chamber string, p stats.Period) (stats.FairStatistics, error) {
	out := stats.FairStatistics{Chamber: chamber, Period: p, PerChamber: map[string]stats.FairTotals{}}
	scope, args := "e.deleted = 0 AND e.state <> "+store.Lit(projection.EventCancelled)+" AND e.start_date >= ? AND e.start_date <= ?", []any{p.Start, p.End}
	if chamber != stats.Wildcard {
		scope += " AND e.chamber = ?"
		args = append(args, chamber)
	}
	fairKinds := "(" + store.Lit(projection.EventFair) + ", " + store.Lit(projection.EventExhibition) + ")"
	fair := " AND e.kind IN " + fairKinds
	accepted := "x.chamber = e.chamber AND x.event = e.id AND x.deleted = 0 AND x.state = " + store.Lit(projection.ExhibitorAccepted)
	q := `SELECT e.chamber, e.id, e.kind, e.title_ar, e.title_fr, e.start_date, e.end_date, e.province, e.evaluated,
			e.eval_exhibitors, e.eval_artisans, e.eval_visitors, e.eval_sales,
			(SELECT COUNT(*) FROM exhibitor_facts x WHERE ` + accepted + `),
			(SELECT COUNT(*) FROM exhibitor_facts x WHERE ` + accepted + ` AND x.applicant_type = ` + store.Lit(projection.Artisan) + `),
			(SELECT COALESCE(SUM(x.sales_centimes), 0) FROM exhibitor_facts x WHERE ` + accepted + `),
			(SELECT COALESCE(SUM(v.visitors), 0) FROM visitor_facts v WHERE v.chamber = e.chamber AND v.event = e.id AND v.deleted = 0)
		FROM event_facts e WHERE ` + scope + fair + ` ORDER BY e.start_date, e.chamber, e.id`
	rows, err := s.db.SQL.QueryContext(ctx, s.db.Rebind(q), args...)
	if err != nil {
		return out, fmt.Errorf("fair statistics: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f stats.FairFigures
		var evaluated int
		var ev [4]int64
		var live [4]int64
		if err := rows.Scan(&f.Chamber, &f.Event, &f.Kind, &f.Title.AR, &f.Title.FR, &f.StartDate, &f.EndDate, &f.Province, &evaluated,
			&ev[0], &ev[1], &ev[2], &ev[3], &live[0], &live[1], &live[3], &live[2]); err != nil {
			return out, fmt.Errorf("fair statistics: %w", err)
		}
		f.Evaluated = evaluated == 1
		src := live
		if f.Evaluated {
			src = ev
		}
		f.Exhibitors, f.Artisans, f.Visitors, f.SalesCentimes = src[0], src[1], src[2], src[3]
		out.PerFair = append(out.PerFair, f)
		t := out.PerChamber[f.Chamber]
		add(&t, f)
		out.PerChamber[f.Chamber] = t
		add(&out.Totals, f)
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("fair statistics: %w", err)
	}
	rows.Close()
	// Distinct exhibitors: an artisan at several fairs counts once, per
	// chamber and overall.
	distinct := `SELECT %s COUNT(DISTINCT CASE WHEN x.applicant_type = ` + store.Lit(projection.Artisan) + ` THEN x.applicant END), COUNT(DISTINCT x.applicant)
		FROM exhibitor_facts x JOIN event_facts e ON ` + accepted + ` WHERE ` + scope + fair + ` %s`
	drows, err := s.db.SQL.QueryContext(ctx, s.db.Rebind(fmt.Sprintf(distinct, "e.chamber,", "GROUP BY e.chamber")), args...)
	if err != nil {
		return out, fmt.Errorf("fair statistics: %w", err)
	}
	defer drows.Close()
	for drows.Next() {
		var c string
		var a, x int64
		if err := drows.Scan(&c, &a, &x); err != nil {
			return out, fmt.Errorf("fair statistics: %w", err)
		}
		t := out.PerChamber[c]
		t.Artisans, t.Exhibitors = a, x
		out.PerChamber[c] = t
	}
	if err := drows.Err(); err != nil {
		return out, fmt.Errorf("fair statistics: %w", err)
	}
	if err := s.db.SQL.QueryRowContext(ctx, s.db.Rebind(fmt.Sprintf(distinct, "", "")), args...).Scan(&out.Totals.Artisans, &out.Totals.Exhibitors); err != nil {
		return out, fmt.Errorf("fair statistics: %w", err)
	}
	for c := range out.PerChamber {
		out.Chambers = append(out.Chambers, c)
	}
	sort.Strings(out.Chambers)
	krows, err := s.db.SQL.QueryContext(ctx, s.db.Rebind(`SELECT e.kind, COUNT(*), COALESCE(SUM(e.eval_registered), 0), COALESCE(SUM(e.eval_attended), 0)
		FROM event_facts e WHERE `+scope+` AND e.kind NOT IN `+fairKinds+` GROUP BY e.kind ORDER BY e.kind`), args...)
	if err != nil {
		return out, fmt.Errorf("fair statistics: %w", err)
	}
	defer krows.Close()
	for krows.Next() {
		var k stats.KindCount
		if err := krows.Scan(&k.Kind, &k.Events, &k.Registered, &k.Attended); err != nil {
			return out, fmt.Errorf("fair statistics: %w", err)
		}
		out.OtherEvents = append(out.OtherEvents, k)
	}
	return out, krows.Err()
}

// add sums a fair into totals; the distinct counts are set apart.
func add(t *stats.FairTotals, f stats.FairFigures) {
	t.Fairs++
	if f.Evaluated {
		t.EvaluatedFairs++
	}
	t.Visitors += f.Visitors
	t.SalesCentimes += f.SalesCentimes
}

// Registrations counts registrants of typ by the month they entered the
// register, within p (exact days, from the facts).
func (s *Stats) Registrations(ctx context.Context, chamber, typ string, p stats.Period) ([]stats.MonthCount, error) {
	q := `SELECT c.register_month, COUNT(*) FROM registrant_facts c
		WHERE c.registrant_type = ? AND c.deleted = 0 AND c.register_date >= ? AND c.register_date <= ?`
	args := []any{typ, p.Start, p.End}
	if chamber != stats.Wildcard {
		q += " AND c.chamber = ?"
		args = append(args, chamber)
	}
	q += " GROUP BY c.register_month ORDER BY c.register_month"
	rows, err := s.db.SQL.QueryContext(ctx, s.db.Rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("registrations: %w", err)
	}
	defer rows.Close()
	var out []stats.MonthCount
	for rows.Next() {
		var m stats.MonthCount
		if err := rows.Scan(&m.Month, &m.Count); err != nil {
			return nil, fmt.Errorf("registrations: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// AgreementsApproved lists the agreements first seen approved within p.
func (s *Stats) AgreementsApproved(ctx context.Context, chamber string, p stats.Period) ([]stats.AgreementRow, error) {
	q := `SELECT chamber, id, title_ar, title_fr, state, approve_date, resolution FROM agreement_facts
		WHERE deleted = 0 AND approve_date >= ? AND approve_date <= ?`
	args := []any{p.Start, p.End}
	if chamber != stats.Wildcard {
		q += " AND chamber = ?"
		args = append(args, chamber)
	}
	q += " ORDER BY approve_date, chamber, id"
	rows, err := s.db.SQL.QueryContext(ctx, s.db.Rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("agreements: %w", err)
	}
	defer rows.Close()
	var out []stats.AgreementRow
	for rows.Next() {
		var a stats.AgreementRow
		if err := rows.Scan(&a.Chamber, &a.ID, &a.Title.AR, &a.Title.FR, &a.State, &a.ApproveDate, &a.Resolution); err != nil {
			return nil, fmt.Errorf("agreements: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Labels names the activities, branches and families by code.
func (s *Stats) Labels(ctx context.Context) (map[string]l10n.Text, error) {
	rows, err := s.db.SQL.QueryContext(ctx, `SELECT code, name_ar, name_fr, family, family_ar, family_fr, branch, branch_ar, branch_fr FROM activity_facts`)
	if err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	defer rows.Close()
	out := map[string]l10n.Text{}
	for rows.Next() {
		var code, fam, br string
		var n, f, b l10n.Text
		if err := rows.Scan(&code, &n.AR, &n.FR, &fam, &f.AR, &f.FR, &br, &b.AR, &b.FR); err != nil {
			return nil, fmt.Errorf("labels: %w", err)
		}
		out[code], out[fam], out[br] = n, f, b
	}
	return out, rows.Err()
}

// Achieved counts, per province of the scope, the artisans registered
// (REGISTERED or SUSPENDED) with a registration month up to December of year.
func (s *Stats) Achieved(ctx context.Context, chamber string, year int) (map[string]int64, error) {
	q := `SELECT c.province, SUM(c.registrants) FROM registrant_counts_month c
		WHERE c.registrant_type = ` + store.Lit(projection.Artisan) + ` AND c.state IN (` + store.Lit(projection.ArtisanRegistered) + `, ` + store.Lit(projection.ArtisanSuspended) + `) AND c.register_month <> '' AND c.register_month <= ?`
	args := []any{fmt.Sprintf("%04d-12", year)}
	if chamber != stats.Wildcard {
		q += " AND c.chamber = ?"
		args = append(args, chamber)
	}
	q += " GROUP BY c.province"
	rows, err := s.db.SQL.QueryContext(ctx, s.db.Rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("achieved: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var p string
		var n int64
		if err := rows.Scan(&p, &n); err != nil {
			return nil, fmt.Errorf("achieved: %w", err)
		}
		out[p] = n
	}
	return out, rows.Err()
}

// RequestStatistics counts the desk's requests of chamber (or every
// chamber) by type and state.
func (s *Stats) RequestStatistics(ctx context.Context, chamber string) ([]stats.RequestCount, error) {
	q, args := `SELECT type, state, COUNT(*) FROM request_facts WHERE deleted = 0`, []any{}
	if chamber != stats.Wildcard {
		q += " AND chamber = ?"
		args = append(args, chamber)
	}
	rows, err := s.db.SQL.QueryContext(ctx, s.db.Rebind(q+" GROUP BY type, state ORDER BY type, state"), args...)
	if err != nil {
		return nil, fmt.Errorf("request statistics: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []stats.RequestCount
	for rows.Next() {
		var r stats.RequestCount
		if err := rows.Scan(&r.Type, &r.State, &r.Count); err != nil {
			return nil, fmt.Errorf("request statistics: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CardStatistics counts the desks' cards of chamber (or every chamber) per
// chamber and kind. A card is invalidated when it is not revoked and its
// artisan's state — the registry's latest event, else what the desk last
// said — is not REGISTERED.
func (s *Stats) CardStatistics(ctx context.Context, chamber string) ([]stats.CardCount, error) {
	q := `SELECT c.chamber, c.kind, COUNT(*), SUM(c.revoked),
			SUM(CASE WHEN c.revoked = 0 AND COALESCE(r.state, c.artisan_state) <> ? THEN 1 ELSE 0 END)
		FROM card_facts c LEFT JOIN registrant_facts r
			ON r.registrant_type = ? AND r.chamber = c.artisan_chamber AND r.id = c.artisan_id AND r.deleted = 0
		WHERE c.deleted = 0`
	args := []any{"REGISTERED", projection.Artisan}
	if chamber != stats.Wildcard {
		q += " AND c.chamber = ?"
		args = append(args, chamber)
	}
	rows, err := s.db.SQL.QueryContext(ctx, s.db.Rebind(q+" GROUP BY c.chamber, c.kind ORDER BY c.chamber, c.kind"), args...)
	if err != nil {
		return nil, fmt.Errorf("card statistics: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []stats.CardCount
	for rows.Next() {
		var r stats.CardCount
		if err := rows.Scan(&r.Chamber, &r.Kind, &r.Issued, &r.Revoked, &r.Invalidated); err != nil {
			return nil, fmt.Errorf("card statistics: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CraftBodyStatistics counts the craft bodies of chamber (or every
// chamber) per province, craft and stage, stages in pipeline order.
func (s *Stats) CraftBodyStatistics(ctx context.Context, chamber string) ([]stats.CraftBodyCount, error) {
	q, args := `SELECT province, craft, stage, COUNT(*) FROM craft_body_facts WHERE deleted = 0`, []any{}
	if chamber != stats.Wildcard {
		q += " AND chamber = ?"
		args = append(args, chamber)
	}
	rows, err := s.db.SQL.QueryContext(ctx, s.db.Rebind(q+" GROUP BY province, craft, stage"), args...)
	if err != nil {
		return nil, fmt.Errorf("craft body statistics: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []stats.CraftBodyCount
	for rows.Next() {
		var r stats.CraftBodyCount
		if err := rows.Scan(&r.Province, &r.Craft, &r.Stage, &r.Count); err != nil {
			return nil, fmt.Errorf("craft body statistics: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b stats.CraftBodyCount) int {
		return cmp.Or(cmp.Compare(a.Province, b.Province), cmp.Compare(a.Craft, b.Craft),
			cmp.Compare(slices.Index(stats.Stages, a.Stage), slices.Index(stats.Stages, b.Stage)))
	})
	return out, nil
}

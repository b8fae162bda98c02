package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/event"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/fair"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/nested"
)

// Fairs stores booths, exhibitors and visitor counts, and computes the
// figures of fairs.
type Fairs struct {
	db         *store.DB
	booths     child[*fair.Booth]
	exhibitors child[*fair.Exhibitor]
	visitors   child[*fair.VisitorCount]
}

var _ fair.Repository = (*Fairs)(nil)

// Unique indexes, by PostgreSQL name and SQLite column list.
const (
	boothNumberIndex, boothNumberCols = "booths_number", "booths.chamber, booths.event, booths.number"
	applicantIndex, applicantCols     = "exhibitors_applicant", "exhibitors.chamber, exhibitors.event, exhibitors.applicant"
	boothIndex, boothCols             = "exhibitors_booth", "exhibitors.chamber, exhibitors.event, exhibitors.booth"
)

// FairEvents renders each of the fair's tables as its outbox event's
// message (the public resources); a nil field stores that table's JSON.
type FairEvents struct {
	Booth        func(*fair.Booth) proto.Message
	Exhibitor    func(*fair.Exhibitor) proto.Message
	VisitorCount func(*fair.VisitorCount) proto.Message
}

// NewFairs returns the fair repository on db.
func NewFairs(db *store.DB, p FairEvents) *Fairs {
	type (
		B = *fair.Booth
		X = *fair.Exhibitor
		V = *fair.VisitorCount
	)
	booths := store.NewTable(db, store.Spec[B]{
		Table: "booths", Collection: fair.BoothCollection, Kind: "Booth", Source: Source, EventType: EventType,
		New:     func() B { return &fair.Booth{} },
		Payload: p.Booth,
		Record:  boothRecord,
		NameOf:  nested.Render(event.Collection, fair.BoothCollection),
		Columns: []store.Column[B]{
			{Name: "event", Value: parentOf[B]},
			{Name: "number", Value: func(b B) any { return b.Number }},
			{Name: "zone", Value: func(b B) any { return b.Zone }},
			{Name: "fee_centimes", Value: func(b B) any { return b.FeeCentimes }},
		},
		Filter: filter.NewSchema(
			filter.Field{Name: "number", Column: "number", Type: filter.String},
			filter.Field{Name: "zone", Column: "zone", Type: filter.String},
			filter.Field{Name: "fee_centimes", Column: "fee_centimes", Type: filter.Int},
		),
		Order: map[string]string{"number": "number"},
	})
	exhibitors := store.NewTable(db, store.Spec[X]{
		Table: "exhibitors", Collection: fair.ExhibitorCollection, Kind: "Exhibitor", Source: Source, EventType: EventType,
		New:     func() X { return &fair.Exhibitor{} },
		Payload: p.Exhibitor,
		Record:  exhibitorRecord,
		NameOf:  nested.Render(event.Collection, fair.ExhibitorCollection),
		Columns: []store.Column[X]{
			{Name: "event", Value: parentOf[X]},
			{Name: "applicant", Value: func(x X) any { return x.Applicant }},
			{Name: "applicant_type", Value: func(x X) any { return string(x.ApplicantType) }},
			{Name: "gender", Value: func(x X) any { return string(x.Gender) }},
			{Name: "women", Value: func(x X) any { return x.Women }},
			{Name: "rural", Value: func(x X) any { return x.Rural }},
			{Name: "outside_region", Value: func(x X) any { return x.OutsideRegion }},
			{Name: "province", Value: func(x X) any { return x.Province }},
			{Name: "state", Value: func(x X) any { return string(x.State) }},
			{Name: "booth", Value: func(x X) any {
				if x.Booth == "" {
					return nil // NULLs never collide in the unique index
				}
				return x.Booth
			}},
			{Name: "sales_centimes", Value: func(x X) any { return x.SalesCentimes }},
		},
		Filter: filter.NewSchema(
			filter.Field{Name: "state", Column: "state", Type: filter.Enum, Values: []string{"APPLIED", "ACCEPTED", "WAITLISTED", "REJECTED", "WITHDRAWN"}},
			filter.Field{Name: "applicant_type", Column: "applicant_type", Type: filter.Enum, Values: []string{"ARTISAN", "COOPERATIVE", "ASSOCIATION", "ENTERPRISE"}},
			filter.Field{Name: "gender", Column: "gender", Type: filter.Enum, Values: []string{"FEMALE", "MALE"}},
			filter.Field{Name: "women", Column: "women", Type: filter.Bool},
			filter.Field{Name: "rural", Column: "rural", Type: filter.Bool},
			filter.Field{Name: "outside_region", Column: "outside_region", Type: filter.Bool},
			filter.Field{Name: "applicant", Column: "applicant", Type: filter.String},
			filter.Field{Name: "province", Column: "province", Type: filter.String},
		),
	})
	visitors := store.NewTable(db, store.Spec[V]{
		Table: "visitor_counts", Collection: fair.VisitorCountCollection, Kind: "VisitorCount", Source: Source, EventType: EventType,
		New:     func() V { return &fair.VisitorCount{} },
		Payload: p.VisitorCount,
		Record:  visitorCountRecord,
		NameOf:  nested.Render(event.Collection, fair.VisitorCountCollection),
		Columns: []store.Column[V]{
			{Name: "event", Value: parentOf[V]},
			{Name: "day", Value: func(v V) any { return string(v.Date) }},
			{Name: "visitors", Value: func(v V) any { return v.Visitors }},
		},
		Order: map[string]string{"date": "day"},
	})
	return &Fairs{db: db,
		booths:     child[B]{t: booths, parentCol: "event"},
		exhibitors: child[X]{t: exhibitors, parentCol: "event"},
		visitors:   child[V]{t: visitors, parentCol: "event"},
	}
}

// CreateBooth stores a booth; a number already on the site plan is AlreadyExists.
func (r *Fairs) CreateBooth(ctx context.Context, b *fair.Booth, w change.Write) (*fair.Booth, error) {
	out, err := r.booths.create(ctx, b, w)
	if store.IsUnique(err, boothNumberIndex, boothNumberCols) {
		return nil, numberTaken(b)
	}
	return out, err
}

func numberTaken(b *fair.Booth) error {
	return &fault.AlreadyExistsError{Reason: fair.ReasonBoothNumberTaken, Field: "booth.number",
		Msg: "the fair already has a booth numbered " + b.Number}
}

// GetBooth reads a booth.
func (r *Fairs) GetBooth(ctx context.Context, n nested.Name) (*fair.Booth, error) {
	return r.booths.get(ctx, n)
}

// ListBooths lists a fair's booths.
func (r *Fairs) ListBooths(ctx context.Context, parent resource.Name, q paging.ListQuery) (paging.Page[*fair.Booth], error) {
	return r.booths.list(ctx, parent, q)
}

// UpdateBooth changes a booth.
func (r *Fairs) UpdateBooth(ctx context.Context, n nested.Name, w change.Write, fn func(*fair.Booth) error) (*fair.Booth, error) {
	var last *fair.Booth
	out, err := r.booths.update(ctx, n, w, func(b *fair.Booth) error { last = b; return fn(b) })
	if store.IsUnique(err, boothNumberIndex, boothNumberCols) {
		return nil, numberTaken(last)
	}
	return out, err
}

// DeleteBooth removes a booth.
func (r *Fairs) DeleteBooth(ctx context.Context, n nested.Name, w change.Write, fn func(*fair.Booth) error) error {
	return r.booths.delete(ctx, n, w, fn)
}

// CountBooths counts a fair's booths.
func (r *Fairs) CountBooths(ctx context.Context, parent resource.Name) (int, error) {
	return count(ctx, r.db, "SELECT COUNT(*) FROM booths WHERE chamber = ? AND event = ?", parent.Chamber, parent.ID)
}

// BoothAllocated reports whether a booth is held by an exhibitor.
func (r *Fairs) BoothAllocated(ctx context.Context, n nested.Name) (bool, error) {
	c, err := count(ctx, r.db, "SELECT COUNT(*) FROM exhibitors WHERE chamber = ? AND event = ? AND booth = ?", n.Chamber, n.Parent, n.ID)
	return c > 0, err
}

// CreateExhibitor stores an application; a second application of the same
// applicant to the fair is AlreadyExists.
func (r *Fairs) CreateExhibitor(ctx context.Context, x *fair.Exhibitor, w change.Write) (*fair.Exhibitor, error) {
	out, err := r.exhibitors.create(ctx, x, w)
	if store.IsUnique(err, applicantIndex, applicantCols) {
		return nil, r.duplicate(ctx, x)
	}
	return out, err
}

func (r *Fairs) duplicate(ctx context.Context, x *fair.Exhibitor) error {
	n := x.NestedName()
	var id string
	err := r.db.SQL.QueryRowContext(ctx, r.db.Rebind("SELECT id FROM exhibitors WHERE chamber = ? AND event = ? AND applicant = ?"),
		n.Chamber, n.Parent, x.Applicant).Scan(&id)
	existing := ""
	if err == nil {
		existing = nested.FromKey(n.Chamber, event.Collection, fair.ExhibitorCollection, id).String()
	} else if !errors.Is(err, sql.ErrNoRows) {
		return wrap(r.db, "find application", err)
	}
	return &fault.AlreadyExistsError{Reason: fair.ReasonApplicationExists, Field: "exhibitor.applicant", Existing: existing,
		Msg: x.Applicant + " has applied to this fair already (" + existing + ")"}
}

// GetExhibitor reads an application.
func (r *Fairs) GetExhibitor(ctx context.Context, n nested.Name) (*fair.Exhibitor, error) {
	return r.exhibitors.get(ctx, n)
}

// ListExhibitors lists a fair's applications.
func (r *Fairs) ListExhibitors(ctx context.Context, parent resource.Name, q paging.ListQuery) (paging.Page[*fair.Exhibitor], error) {
	return r.exhibitors.list(ctx, parent, q)
}

// UpdateExhibitor changes an application. A booth held by another exhibitor
// of the fair is refused by the unique index, whatever the interleaving of
// concurrent allocations, and reported as AlreadyExists naming the holder.
func (r *Fairs) UpdateExhibitor(ctx context.Context, n nested.Name, w change.Write, fn func(*fair.Exhibitor) error) (*fair.Exhibitor, error) {
	var booth string
	out, err := r.exhibitors.update(ctx, n, w, func(x *fair.Exhibitor) error {
		if err := fn(x); err != nil {
			return err
		}
		booth = x.Booth
		return nil
	})
	if store.IsUnique(err, boothIndex, boothCols) {
		return nil, r.boothTaken(ctx, n, booth)
	}
	return out, err
}

func (r *Fairs) boothTaken(ctx context.Context, n nested.Name, booth string) error {
	bn := nested.Name{Chamber: n.Chamber, ParentCollection: event.Collection, Parent: n.Parent, Collection: fair.BoothCollection, ID: booth}
	var id string
	err := r.db.SQL.QueryRowContext(ctx, r.db.Rebind("SELECT id FROM exhibitors WHERE chamber = ? AND event = ? AND booth = ?"),
		n.Chamber, n.Parent, booth).Scan(&id)
	existing := ""
	if err == nil {
		existing = nested.FromKey(n.Chamber, event.Collection, fair.ExhibitorCollection, id).String()
	} else if !errors.Is(err, sql.ErrNoRows) {
		return wrap(r.db, "find booth holder", err)
	}
	return &fault.AlreadyExistsError{Reason: fair.ReasonBoothAlreadyAllocated, Field: "booth", Existing: existing,
		Msg: bn.String() + " is allocated already (to " + existing + ")"}
}

// AcceptedFlags returns the quota facts of the fair's accepted exhibitors.
func (r *Fairs) AcceptedFlags(ctx context.Context, parent resource.Name) ([]fair.Flags, error) {
	rows, err := r.db.SQL.QueryContext(ctx, r.db.Rebind("SELECT women, rural, outside_region FROM exhibitors WHERE chamber = ? AND event = ? AND state = "+store.Lit(fair.Accepted)),
		parent.Chamber, parent.ID)
	if err != nil {
		return nil, wrap(r.db, "accepted exhibitors", err)
	}
	defer rows.Close()
	var out []fair.Flags
	for rows.Next() {
		var f fair.Flags
		if err := rows.Scan(&f.Women, &f.Rural, &f.OutsideRegion); err != nil {
			return nil, wrap(r.db, "accepted exhibitors", err)
		}
		out = append(out, f)
	}
	return out, wrap(r.db, "accepted exhibitors", rows.Err())
}

// RecordVisitorCount creates the day's count or replaces it.
func (r *Fairs) RecordVisitorCount(ctx context.Context, v *fair.VisitorCount, w change.Write) (*fair.VisitorCount, error) {
	n := v.NestedName()
	set := func(cur *fair.VisitorCount) error {
		cur.Date, cur.Visitors = v.Date, v.Visitors
		return nil
	}
	out, err := r.visitors.update(ctx, n, w, set)
	if !fault.Is[*fault.NotFoundError](err) {
		return out, err
	}
	out, err = r.visitors.create(ctx, v, w)
	if _, dup := store.UniqueViolation(err); dup {
		// Another clerk recorded the day first: correct it instead.
		return r.visitors.update(ctx, n, w, set)
	}
	return out, err
}

// ListVisitorCounts lists a fair's daily counts by date.
func (r *Fairs) ListVisitorCounts(ctx context.Context, parent resource.Name, q paging.ListQuery) (paging.Page[*fair.VisitorCount], error) {
	q.OrderBy = "date"
	return r.visitors.list(ctx, parent, q)
}

// scope renders the WHERE clause selecting the events of s (alias e).
func scope(s fair.Scope) (string, []any) {
	if s.Event != "" {
		return "e.chamber = ? AND e.id = ?", []any{s.Chamber, s.Event}
	}
	where := "e.kind IN (" + store.Lit(event.Fair) + ", " + store.Lit(event.Exhibition) + ") AND e.state <> " + store.Lit(event.Cancelled) + " AND e.start_date >= ? AND e.start_date <= ?"
	args := []any{string(s.From), string(s.To)}
	if s.Chamber != resource.Wildcard {
		where = "e.chamber = ? AND " + where
		args = append([]any{s.Chamber}, args...)
	}
	return where, args
}

// figureColumns are the sums over a fair's applications. CAST keeps
// PostgreSQL's SUM(bigint) (a numeric) an integer, as SQLite's already is.
var figureColumns = []struct {
	when string // condition on x (an application): the column counts the rows meeting it
	dst  func(*event.Evaluation) *int
}{
	{"x.id IS NOT NULL", func(e *event.Evaluation) *int { return &e.Applications }},
	{"x.state = " + store.Lit(fair.Accepted), func(e *event.Evaluation) *int { return &e.Exhibitors }},
	{"x.state = " + store.Lit(fair.Accepted) + " AND x.applicant_type = " + store.Lit(fair.Artisan), func(e *event.Evaluation) *int { return &e.Artisans }},
	{"x.state = " + store.Lit(fair.Accepted) + " AND x.applicant_type = " + store.Lit(fair.Cooperative), func(e *event.Evaluation) *int { return &e.Cooperatives }},
	{"x.state = " + store.Lit(fair.Accepted) + " AND x.applicant_type = " + store.Lit(fair.Association), func(e *event.Evaluation) *int { return &e.Associations }},
	{"x.state = " + store.Lit(fair.Accepted) + " AND x.applicant_type = " + store.Lit(fair.Enterprise), func(e *event.Evaluation) *int { return &e.Enterprises }},
	{"x.state = " + store.Lit(fair.Accepted) + " AND x.applicant_type = " + store.Lit(fair.Artisan) + " AND x.gender = " + store.Lit(fair.Female), func(e *event.Evaluation) *int { return &e.WomenArtisans }},
	{"x.state = " + store.Lit(fair.Accepted) + " AND x.applicant_type = " + store.Lit(fair.Artisan) + " AND x.gender = " + store.Lit(fair.Male), func(e *event.Evaluation) *int { return &e.MenArtisans }},
	{"x.state = " + store.Lit(fair.Accepted) + " AND x.women", func(e *event.Evaluation) *int { return &e.WomenExhibitors }},
	{"x.state = " + store.Lit(fair.Accepted) + " AND x.rural", func(e *event.Evaluation) *int { return &e.RuralExhibitors }},
	{"x.state = " + store.Lit(fair.Accepted) + " AND x.outside_region", func(e *event.Evaluation) *int { return &e.OutsideRegionExhibitors }},
	{"x.state = " + store.Lit(fair.Accepted) + " AND x.booth IS NOT NULL", func(e *event.Evaluation) *int { return &e.BoothsUsed }},
	{"x.state = " + store.Lit(fair.Rejected), func(e *event.Evaluation) *int { return &e.Rejected }},
	{"x.state = " + store.Lit(fair.Waitlisted), func(e *event.Evaluation) *int { return &e.Waitlisted }},
}

// Figures computes the live figures of the fairs in s, by start date.
func (r *Fairs) Figures(ctx context.Context, s fair.Scope) ([]fair.Figures, error) {
	where, args := scope(s)
	var cols strings.Builder
	for _, c := range figureColumns {
		cols.WriteString(", CAST(COALESCE(SUM(CASE WHEN " + c.when + " THEN 1 ELSE 0 END), 0) AS BIGINT)")
	}
	q := "SELECT e.chamber, e.id" + cols.String() +
		", CAST(COALESCE(SUM(CASE WHEN x.state = " + store.Lit(fair.Accepted) + " THEN x.sales_centimes ELSE 0 END), 0) AS BIGINT)" +
		" FROM events e LEFT JOIN exhibitors x ON x.chamber = e.chamber AND x.event = e.id" +
		" WHERE " + where + " GROUP BY e.chamber, e.id, e.start_date ORDER BY e.start_date, e.chamber, e.id"
	rows, err := r.db.SQL.QueryContext(ctx, r.db.Rebind(q), args...)
	if err != nil {
		return nil, wrap(r.db, "fair figures", err)
	}
	defer rows.Close()
	var out []fair.Figures
	index := map[[2]string]int{}
	for rows.Next() {
		var f fair.Figures
		dst := []any{&f.Chamber, &f.Event}
		ints := make([]int64, len(figureColumns))
		for i := range ints {
			dst = append(dst, &ints[i])
		}
		dst = append(dst, &f.SalesCentimes)
		if err := rows.Scan(dst...); err != nil {
			return nil, wrap(r.db, "fair figures", err)
		}
		for i, c := range figureColumns {
			*c.dst(&f.Evaluation) = int(ints[i])
		}
		index[[2]string{f.Chamber, f.Event}] = len(out)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(r.db, "fair figures", err)
	}
	sums := []struct {
		q   string
		set func(*fair.Figures, int64)
	}{
		{"SELECT e.chamber, e.id, COUNT(*) FROM booths b JOIN events e ON b.chamber = e.chamber AND b.event = e.id WHERE " + where + " GROUP BY e.chamber, e.id",
			func(f *fair.Figures, n int64) { f.Booths = int(n) }},
		{"SELECT e.chamber, e.id, CAST(COALESCE(SUM(v.visitors), 0) AS BIGINT) FROM visitor_counts v JOIN events e ON v.chamber = e.chamber AND v.event = e.id WHERE " + where + " GROUP BY e.chamber, e.id",
			func(f *fair.Figures, n int64) { f.Visitors = n }},
	}
	for _, s := range sums {
		if err := r.sum(ctx, s.q, args, func(chamber, id string, n int64) {
			if i, ok := index[[2]string{chamber, id}]; ok {
				s.set(&out[i], n)
			}
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (r *Fairs) sum(ctx context.Context, q string, args []any, each func(chamber, id string, n int64)) error {
	rows, err := r.db.SQL.QueryContext(ctx, r.db.Rebind(q), args...)
	if err != nil {
		return wrap(r.db, "fair figures", err)
	}
	defer rows.Close()
	for rows.Next() {
		var chamber, id string
		var n int64
		if err := rows.Scan(&chamber, &id, &n); err != nil {
			return wrap(r.db, "fair figures", err)
		}
		each(chamber, id, n)
	}
	return wrap(r.db, "fair figures", rows.Err())
}

// DistinctExhibitors counts the different applicants accepted at the fairs in s.
func (r *Fairs) DistinctExhibitors(ctx context.Context, s fair.Scope) (int, error) {
	where, args := scope(s)
	return count(ctx, r.db, "SELECT COUNT(DISTINCT x.applicant) FROM exhibitors x JOIN events e ON x.chamber = e.chamber AND x.event = e.id WHERE x.state = "+store.Lit(fair.Accepted)+" AND "+where, args...)
}

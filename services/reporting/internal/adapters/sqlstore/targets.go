package sqlstore

import (
	"context"
	"fmt"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/target"
)

// Targets stores registration targets (the reporting service's own data,
// with the audit trail and idempotent creates of every Hirfa resource).
type Targets struct {
	t  *store.Table[*target.Target]
	db *store.DB
}

var _ target.Repository = (*Targets)(nil)

// NewTargets returns the target repository on db.
func NewTargets(db *store.DB) *Targets {
	type T = *target.Target
	t := store.NewTable(db, store.Spec[T]{
		Table: "registration_targets", Collection: target.Collection, Kind: "RegistrationTarget",
		Source: "reporting", EventType: "hirfa.reporting.v1.",
		New:    func() T { return &target.Target{} },
		Record: targetRecord,
		Columns: []store.Column[T]{
			{Name: "province", Value: func(t T) any { return t.Province }},
			{Name: "year", Value: func(t T) any { return int64(t.Year) }},
			{Name: "artisans", Value: func(t T) any { return t.Artisans }},
		},
		Filter: filter.NewSchema(
			filter.Field{Name: "province", Column: "province", Type: filter.String},
			filter.Field{Name: "year", Column: "year", Type: filter.Int},
		),
	})
	return &Targets{t: t, db: db}
}

// Create stores a target; a second target for the same province and year is AlreadyExists.
func (r *Targets) Create(ctx context.Context, t *target.Target, w change.Write) (*target.Target, error) {
	out, _, err := r.t.Create(ctx, t, w)
	if store.IsUnique(err, "registration_targets_pkey", "registration_targets.chamber, registration_targets.id") {
		return nil, &fault.AlreadyExistsError{Reason: "TARGET_ALREADY_SET", Field: "registration_target.province", Existing: t.Name(), Msg: fmt.Sprintf("%s already has a target for %d", t.Province, t.Year)}
	}
	return out, err
}

// Get reads a target.
func (r *Targets) Get(ctx context.Context, chamber, id string) (*target.Target, error) {
	return r.t.Get(ctx, chamber, id)
}

// List pages through targets.
func (r *Targets) List(ctx context.Context, q paging.ListQuery) (paging.Page[*target.Target], error) {
	return r.t.List(ctx, q)
}

// Update changes a target through fn.
func (r *Targets) Update(ctx context.Context, chamber, id string, w change.Write, fn func(*target.Target) error) (*target.Target, error) {
	return r.t.Update(ctx, chamber, id, w, fn)
}

// Delete removes a target if fn allows it.
func (r *Targets) Delete(ctx context.Context, chamber, id string, w change.Write, fn func(*target.Target) error) error {
	return r.t.Delete(ctx, chamber, id, w, fn)
}

// Sums returns the target of each province of the scope for year.
func (r *Targets) Sums(ctx context.Context, chamber string, year int) (map[string]int64, error) {
	q := "SELECT province, SUM(artisans) FROM registration_targets WHERE year = ?"
	args := []any{int64(year)}
	if chamber != resource.Wildcard {
		q += " AND chamber = ?"
		args = append(args, chamber)
	}
	rows, err := r.db.SQL.QueryContext(ctx, r.db.Rebind(q+" GROUP BY province"), args...)
	if err != nil {
		return nil, fmt.Errorf("target sums: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var p string
		var n int64
		if err := rows.Scan(&p, &n); err != nil {
			return nil, fmt.Errorf("target sums: %w", err)
		}
		out[p] = n
	}
	return out, rows.Err()
}

// targetRecordV1 is what a target row's data holds since version 1, written
// out apart from target.Target so that renaming a domain field is a compile
// error here, never a silent change of what is stored; it keeps version 0's
// keys (see store.Record).
type targetRecordV1 struct {
	Province string `json:"province"`
	Year     int    `json:"year"`
	Artisans int64  `json:"artisans"`
}

var targetRecord = store.RecordV1("registration target",
	func(t *target.Target) targetRecordV1 {
		return targetRecordV1{Province: t.Province, Year: t.Year, Artisans: t.Artisans}
	},
	func(r targetRecordV1, t *target.Target) {
		t.Province, t.Year, t.Artisans = r.Province, r.Year, r.Artisans
	})

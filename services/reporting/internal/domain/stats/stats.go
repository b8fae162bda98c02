// Package stats is the questions the reporting service answers from its
// projections — distributions of the register, fair evaluations over a
// period — with their rules (which dimensions, how many, how long a
// period), and the repository interface that answers them.
package stats

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/projection"
)

// Dimensions a distribution can be grouped by, in documentation order.
var Dimensions = []string{"region", "province", "activity_family", "activity_branch", "activity", "category", "state", "gender"}

// MaxGroupBy is the most dimensions one distribution groups by.
const MaxGroupBy = 3

// Limits are the configurable bounds of the questions.
type Limits struct {
	MaxFairPeriod   time.Duration // longest fairStatistics period
	MaxReportPeriod time.Duration // longest activity report period
}

// DefaultLimits: five years of fair statistics, one year (leap day
// included) of activity report.
var DefaultLimits = Limits{MaxFairPeriod: (5*365 + 2) * 24 * time.Hour, MaxReportPeriod: 366 * 24 * time.Hour}

// RegisterQuery asks for a distribution of the register.
type RegisterQuery struct {
	Chamber string // a chamber id, or resource.Wildcard
	Type    string // projection.Artisan, ...
	GroupBy []string
	Filter  string // AIP-160, compiled by the repository
}

// Validate checks the query's own rules, naming the field of each problem.
func (q RegisterQuery) Validate() error {
	var vs fault.Violations
	if !slices.Contains(projection.RegistrantTypes, q.Type) {
		vs.Add("registrant_type", "registrant_type.known", "must be one of %s, got %q", strings.Join(projection.RegistrantTypes, ", "), q.Type)
	}
	if len(q.GroupBy) > MaxGroupBy {
		vs.Add("group_by", "group_by.max", "at most %d dimensions, got %d", MaxGroupBy, len(q.GroupBy))
	}
	seen := map[string]bool{}
	for i, d := range q.GroupBy {
		field := fmt.Sprintf("group_by[%d]", i)
		switch {
		case !slices.Contains(Dimensions, d):
			vs.Add(field, "group_by.dimension", "unknown dimension %q (known: %s)", d, strings.Join(Dimensions, ", "))
		case seen[d]:
			vs.Add(field, "group_by.unique", "dimension %q is repeated", d)
		case d == "gender" && q.Type != projection.Artisan:
			vs.Add(field, "group_by.gender", "gender applies to artisans only")
		case d == "category" && q.Type != projection.Artisan && q.Type != projection.Association:
			vs.Add(field, "group_by.category", "category applies to artisans and associations only")
		case (d == "activity" || d == "activity_branch" || d == "activity_family") && q.Type == projection.Association:
			vs.Add(field, "group_by.activity", "associations have no activity")
		}
		seen[d] = true
	}
	return vs.Err()
}

// Row is one group of a distribution: its dimension values (in the order
// of the query's GroupBy) and its counts.
type Row struct {
	Values       []string
	Count        int64
	MembersWomen int64
	MembersMen   int64
}

// Period is a span of days, both ends included.
type Period struct {
	Start, End string // YYYY-MM-DD
}

// ParsePeriod checks a period: both dates valid, end not before start, and
// no longer than max. Problems name start_date or end_date.
func ParsePeriod(start, end string, max time.Duration) (Period, error) {
	var vs fault.Violations
	s, errS := time.Parse(time.DateOnly, start)
	if errS != nil {
		vs.Add("start_date", "date.format", "must be a date YYYY-MM-DD, got %q", start)
	}
	e, errE := time.Parse(time.DateOnly, end)
	if errE != nil {
		vs.Add("end_date", "date.format", "must be a date YYYY-MM-DD, got %q", end)
	}
	if errS == nil && errE == nil {
		switch {
		case e.Before(s):
			vs.Add("end_date", "period.order", "must be on or after start_date (%s), got %s", start, end)
		case e.Sub(s) >= max:
			vs.Add("end_date", "period.max", "the period may cover at most %d days, got %d", int(max.Hours()/24), int(e.Sub(s).Hours()/24)+1)
		}
	}
	if err := vs.Err(); err != nil {
		return Period{}, err
	}
	return Period{Start: start, End: end}, nil
}

// FairFigures is one fair's figures.
type FairFigures struct {
	Chamber       string
	Event         string // event id
	Title         l10n.Text
	Kind          string
	StartDate     string
	EndDate       string
	Province      string
	Exhibitors    int64
	Artisans      int64
	Visitors      int64
	SalesCentimes int64
	Evaluated     bool
}

// Name is the fair's resource name.
func (f FairFigures) Name() string { return "chambers/" + f.Chamber + "/events/" + f.Event }

// FairTotals sum the fairs of a scope.
type FairTotals struct {
	Fairs          int64
	EvaluatedFairs int64
	Artisans       int64 // distinct artisans
	Exhibitors     int64 // distinct exhibitors
	Visitors       int64
	SalesCentimes  int64
}

// KindCount counts the events of one kind other than fairs.
type KindCount struct {
	Kind       string
	Events     int64
	Registered int64
	Attended   int64
}

// FairStatistics is the evaluation of the fairs and events of a period.
type FairStatistics struct {
	Chamber     string
	Period      Period
	Totals      FairTotals
	PerChamber  map[string]FairTotals
	Chambers    []string // keys of PerChamber, sorted
	PerFair     []FairFigures
	OtherEvents []KindCount
}

// AgreementRow is an agreement approved in a period.
type AgreementRow struct {
	Chamber     string
	ID          string
	Title       l10n.Text
	State       string
	ApproveDate string
	Resolution  string
}

// MonthCount is a count for one month, YYYY-MM.
type MonthCount struct {
	Month string
	Count int64
}

// RequestCount is the number of desk requests of one type in one state.
type RequestCount struct {
	Type  string
	State string
	Count int64
}

// CardCount is what one chamber's desk issued of one kind: every card,
// the revoked ones, and the ones not revoked whose artisan is no longer
// registered.
type CardCount struct {
	Chamber     string
	Kind        string
	Issued      int64
	Revoked     int64
	Invalidated int64
}

// CraftBodyCount is the number of craft bodies of one craft in one
// province at one pipeline stage.
type CraftBodyCount struct {
	Province string
	Craft    string
	Stage    string
	Count    int64
}

// Stages are the craft bodies' pipeline stages in their order.
var Stages = []string{"PLANNED", "AWARENESS", "COMMITTEE", "CENSUS_TAKEN", "ASSEMBLY_CONVENED", "CONSTITUTED", "ACTIVE", "DISSOLVED"}

// Repository answers the questions from the projections.
type Repository interface {
	RegisterStatistics(ctx context.Context, q RegisterQuery) ([]Row, error)
	FairStatistics(ctx context.Context, chamber string, p Period) (FairStatistics, error)
	// Registrations counts the registrants of a type by register month within p.
	Registrations(ctx context.Context, chamber, typ string, p Period) ([]MonthCount, error)
	// AgreementsApproved lists the agreements first seen approved within p.
	AgreementsApproved(ctx context.Context, chamber string, p Period) ([]AgreementRow, error)
	// Achieved counts, per province of the scope, the artisans registered
	// (REGISTERED or SUSPENDED) by the end of year.
	Achieved(ctx context.Context, chamber string, year int) (map[string]int64, error)
	// Labels gives the names of the nomenclature's activities, branches
	// and families by code.
	Labels(ctx context.Context) (map[string]l10n.Text, error)
}

// Wildcard is the chamber of a national question.
const Wildcard = resource.Wildcard

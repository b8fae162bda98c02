package app

import (
	"context"
	"fmt"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/event"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/fair"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/nested"
)

// fairOf reads the fair n belongs to after the access check, and refuses
// events that are not fairs.
func (a *EventsFairs) fairOf(ctx context.Context, parent resource.Name, write bool) (*event.Event, error) {
	check := a.access.Read
	if write {
		check = a.access.Write
	}
	if err := check(ctx, parent.Chamber, parent.String()); err != nil {
		return nil, err
	}
	e, err := a.repos.Events.Get(ctx, parent)
	if err != nil {
		return nil, err
	}
	return e, e.CheckFair()
}

// CreateBooth adds a booth to a fair's inventory before the fair ends.
func (a *EventsFairs) CreateBooth(ctx context.Context, parent resource.Name, b *fair.Booth, m Mutation) (*fair.Booth, error) {
	e, err := a.fairOf(ctx, parent, true)
	if err != nil {
		return nil, err
	}
	if err := e.CheckIn(fair.ReasonBoothsFrozen, "booths are added", event.Planned, event.OpenForApplications, event.ApplicationsClosed, event.Running); err != nil {
		return nil, err
	}
	b.Chamber, b.ID = parent.Chamber, nested.Key(parent.ID, resource.NewID())
	if err := b.Validate(); err != nil {
		return nil, err
	}
	var out *fair.Booth
	err = a.locked(ctx, parent, func() error {
		// The fair may have been deleted while this call waited.
		if _, err := a.repos.Events.Get(ctx, parent); err != nil {
			return err
		}
		out, err = a.repos.Fairs.CreateBooth(ctx, b, a.write(ctx, m, "Created"))
		return err
	})
	return out, err
}

// GetBooth reads one booth.
func (a *EventsFairs) GetBooth(ctx context.Context, n nested.Name) (*fair.Booth, error) {
	if err := a.access.Read(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return a.repos.Fairs.GetBooth(ctx, n)
}

// ListBooths lists a fair's booths.
func (a *EventsFairs) ListBooths(ctx context.Context, parent resource.Name, q paging.ListQuery) (paging.Page[*fair.Booth], error) {
	if _, err := a.fairOf(ctx, parent, false); err != nil {
		return paging.Page[*fair.Booth]{}, err
	}
	return a.repos.Fairs.ListBooths(ctx, parent, q)
}

// UpdateBooth changes a booth of a fair that is not evaluated.
func (a *EventsFairs) UpdateBooth(ctx context.Context, n nested.Name, m Mutation, patch func(*fair.Booth) error) (*fair.Booth, error) {
	e, err := a.fairOf(ctx, n.ParentName(), true)
	if err != nil {
		return nil, err
	}
	if err := e.CheckOpen(); err != nil {
		return nil, err
	}
	return a.repos.Fairs.UpdateBooth(ctx, n, a.write(ctx, m, "Updated"), resource.WithEtag(n.String(), m.Etag, func(b *fair.Booth) error {
		if err := patch(b); err != nil {
			return err
		}
		return b.Validate()
	}))
}

// DeleteBooth removes a booth nobody holds, before the fair runs.
func (a *EventsFairs) DeleteBooth(ctx context.Context, n nested.Name, m Mutation) error {
	e, err := a.fairOf(ctx, n.ParentName(), true)
	if err != nil {
		return err
	}
	if err := e.CheckIn(fair.ReasonBoothsFrozen, "booths are removed", event.Planned, event.OpenForApplications, event.ApplicationsClosed); err != nil {
		return err
	}
	return a.locked(ctx, n.ParentName(), func() error {
		held, err := a.repos.Fairs.BoothAllocated(ctx, n)
		if err != nil {
			return err
		}
		if held {
			return &fault.PreconditionError{Reason: fair.ReasonBoothAllocated, Msg: n.String() + " is allocated to an exhibitor; move the exhibitor first",
				Meta: map[string]string{"resource": n.String()}}
		}
		return a.repos.Fairs.DeleteBooth(ctx, n, a.write(ctx, m, "Deleted"), resource.WithEtag(n.String(), m.Etag, func(*fair.Booth) error { return nil }))
	})
}

// CreateExhibitor records an application while the fair takes them. The
// registry is asked about the applicant first; if it cannot answer, the
// application fails (UNAVAILABLE) and nothing is written.
func (a *EventsFairs) CreateExhibitor(ctx context.Context, parent resource.Name, x *fair.Exhibitor, m Mutation) (*fair.Exhibitor, error) {
	e, err := a.fairOf(ctx, parent, true)
	if err != nil {
		return nil, err
	}
	if err := e.CheckIn(fair.ReasonApplicationsClosed, "applications are taken", event.OpenForApplications); err != nil {
		return nil, err
	}
	applicant, err := a.registry.Lookup(ctx, x.Applicant)
	if err != nil {
		return nil, err
	}
	if err := applicant.Admit(e); err != nil {
		return nil, err
	}
	x.Fill(applicant, e.Chamber)
	x.Chamber, x.ID = parent.Chamber, nested.Key(parent.ID, resource.NewID())
	return a.repos.Fairs.CreateExhibitor(ctx, x, a.write(ctx, m, "Applied"))
}

// GetExhibitor reads one application.
func (a *EventsFairs) GetExhibitor(ctx context.Context, n nested.Name) (*fair.Exhibitor, error) {
	if err := a.access.Read(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return a.repos.Fairs.GetExhibitor(ctx, n)
}

// ListExhibitors lists a fair's applications.
func (a *EventsFairs) ListExhibitors(ctx context.Context, parent resource.Name, q paging.ListQuery) (paging.Page[*fair.Exhibitor], error) {
	if _, err := a.fairOf(ctx, parent, false); err != nil {
		return paging.Page[*fair.Exhibitor]{}, err
	}
	return a.repos.Fairs.ListExhibitors(ctx, parent, q)
}

// SelectExhibitor performs a selection action; the event it records is the
// action's row of fair.Transitions.
// Accepting checks the booth count and the quotas against the exhibitors
// accepted so far, under the fair's lock, so two clerks accepting at once
// cannot both take the last booth or the last place of a quota.
func (a *EventsFairs) SelectExhibitor(ctx context.Context, n nested.Name, action fair.Action, m Mutation) (*fair.Exhibitor, error) {
	parent := n.ParentName()
	e, err := a.fairOf(ctx, parent, true)
	if err != nil {
		return nil, err
	}
	states := []event.State{event.OpenForApplications, event.ApplicationsClosed}
	if action == fair.Withdraw {
		states = append(states, event.Running)
	}
	if err := e.CheckIn(fair.ReasonSelectionClosed, "applications are decided", states...); err != nil {
		return nil, err
	}
	update := func() (*fair.Exhibitor, error) {
		return a.repos.Fairs.UpdateExhibitor(ctx, n, a.write(ctx, m, fair.Transitions.Event(action)), resource.WithEtag(n.String(), m.Etag, func(x *fair.Exhibitor) error {
			return x.Apply(action, m.Reason)
		}))
	}
	if action != fair.Accept {
		return update()
	}
	var out *fair.Exhibitor
	err = a.locked(ctx, parent, func() error {
		x, err := a.repos.Fairs.GetExhibitor(ctx, n)
		if err != nil {
			return err
		}
		// Decide only applications that can be accepted; an accepted one
		// with a request id may be a retry, which the store replays.
		if x.State == fair.Applied || x.State == fair.Waitlisted {
			booths, err := a.repos.Fairs.CountBooths(ctx, parent)
			if err != nil {
				return err
			}
			accepted, err := a.repos.Fairs.AcceptedFlags(ctx, parent)
			if err != nil {
				return err
			}
			sel := fair.Selection{Booths: booths, Quotas: e.Fair.Quotas, Accepted: accepted}
			if err := sel.CheckAccept(x.Flags()); err != nil {
				return err
			}
		}
		out, err = update()
		return err
	})
	return out, err
}

// AllocateBooth gives a booth of the fair to an accepted exhibitor. The
// store's unique index on (fair, booth) is the guard against giving a booth
// twice, however allocations interleave.
func (a *EventsFairs) AllocateBooth(ctx context.Context, n, booth nested.Name, m Mutation) (*fair.Exhibitor, error) {
	if booth.Chamber != n.Chamber || booth.Parent != n.Parent {
		return nil, fault.Invalid("booth", fair.RuleBoothOtherFair, "%s is not a booth of %s", booth.String(), n.ParentName().String())
	}
	e, err := a.fairOf(ctx, n.ParentName(), true)
	if err != nil {
		return nil, err
	}
	if err := e.CheckIn(fair.ReasonAllocationClosed, "booths are allocated", event.OpenForApplications, event.ApplicationsClosed, event.Running); err != nil {
		return nil, err
	}
	if _, err := a.repos.Fairs.GetBooth(ctx, booth); err != nil {
		return nil, err
	}
	return a.repos.Fairs.UpdateExhibitor(ctx, n, a.write(ctx, m, "BoothAllocated"), resource.WithEtag(n.String(), m.Etag, func(x *fair.Exhibitor) error {
		return x.Allocate(booth.ID)
	}))
}

// DeclareSales records an accepted exhibitor's sales while the fair runs or
// after it ended, until it is evaluated.
func (a *EventsFairs) DeclareSales(ctx context.Context, n nested.Name, centimes int64, m Mutation) (*fair.Exhibitor, error) {
	if centimes < 0 {
		return nil, fault.Invalid("sales_centimes", fault.RuleMoneyNonNegative, "sales must not be negative, got %d", centimes)
	}
	parent := n.ParentName()
	var out *fair.Exhibitor
	err := a.locked(ctx, parent, func() error {
		e, err := a.fairOf(ctx, parent, true)
		if err != nil {
			return err
		}
		if err := e.CheckIn(fair.ReasonSalesNotOpen, "sales are declared", event.Running, event.Ended); err != nil {
			return err
		}
		out, err = a.repos.Fairs.UpdateExhibitor(ctx, n, a.write(ctx, m, "SalesDeclared"), resource.WithEtag(n.String(), m.Etag, func(x *fair.Exhibitor) error {
			return x.DeclareSales(centimes)
		}))
		return err
	})
	return out, err
}

// RecordVisitorCount records (or corrects) one day's visitors of a running
// or ended fair.
func (a *EventsFairs) RecordVisitorCount(ctx context.Context, parent resource.Name, v *fair.VisitorCount, m Mutation) (*fair.VisitorCount, error) {
	var out *fair.VisitorCount
	err := a.locked(ctx, parent, func() error {
		e, err := a.fairOf(ctx, parent, true)
		if err != nil {
			return err
		}
		if err := e.CheckIn(fair.ReasonCountsNotOpen, "visitors are counted", event.Running, event.Ended); err != nil {
			return err
		}
		if err := fair.CheckDay(e, v.Date, v.Visitors); err != nil {
			return err
		}
		v.Chamber, v.ID = parent.Chamber, nested.Key(parent.ID, fair.DayID(v.Date))
		out, err = a.repos.Fairs.RecordVisitorCount(ctx, v, a.write(ctx, m, "Recorded"))
		return err
	})
	return out, err
}

// ListVisitorCounts lists a fair's daily counts by date.
func (a *EventsFairs) ListVisitorCounts(ctx context.Context, parent resource.Name, q paging.ListQuery) (paging.Page[*fair.VisitorCount], error) {
	if _, err := a.fairOf(ctx, parent, false); err != nil {
		return paging.Page[*fair.VisitorCount]{}, err
	}
	return a.repos.Fairs.ListVisitorCounts(ctx, parent, q)
}

// FairEvaluation is the figures of one fair.
type FairEvaluation struct {
	Event   *event.Event
	Figures event.Evaluation
	// Final reports figures frozen by the fair's evaluation.
	Final bool
}

// GetFairEvaluation returns a fair's figures: frozen once evaluated,
// computed now before.
func (a *EventsFairs) GetFairEvaluation(ctx context.Context, n resource.Name) (FairEvaluation, error) {
	e, err := a.fairOf(ctx, n, false)
	if err != nil {
		return FairEvaluation{}, err
	}
	if e.State == event.Evaluated && e.Evaluation != nil {
		return FairEvaluation{Event: e, Figures: *e.Evaluation, Final: true}, nil
	}
	figures, err := a.figures(ctx, e)
	return FairEvaluation{Event: e, Figures: figures}, err
}

// PeriodEvaluation is the figures of a chamber's fairs over a period.
type PeriodEvaluation struct {
	Chamber            string // or resource.Wildcard
	From, To           resource.Date
	Fairs              int
	EvaluatedFairs     int
	DistinctExhibitors int
	Totals             event.Evaluation
	PerFair            []FairEvaluation
}

// EvaluateFairs totals the fairs and exhibitions of a chamber (or, for
// national roles, of every chamber) starting in [from, to]; cancelled ones
// are left out. Figures are the live ones, which for an evaluated fair are
// its frozen figures: nothing of an evaluated fair can change.
func (a *EventsFairs) EvaluateFairs(ctx context.Context, chamber string, from, to resource.Date) (PeriodEvaluation, error) {
	var vs fault.Violations
	event.CheckDate(&vs, "start_date", from)
	event.CheckDate(&vs, "end_date", to)
	if err := vs.Err(); err != nil {
		return PeriodEvaluation{}, err
	}
	if to < from {
		return PeriodEvaluation{}, fault.Invalid("end_date", fault.RuleDatesOrder, "the period ends (%s) before it starts (%s)", to, from)
	}
	scope, err := a.access.ListScope(ctx, chamber)
	if err != nil {
		return PeriodEvaluation{}, err
	}
	out := PeriodEvaluation{Chamber: scope, From: from, To: to}
	s := fair.Scope{Chamber: scope, From: from, To: to}
	figs, err := a.repos.Fairs.Figures(ctx, s)
	if err != nil {
		return out, err
	}
	events := map[[2]string]*event.Event{}
	q := paging.ListQuery{Chamber: scope, PageSize: 1000, OrderBy: "start_date",
		Filter: fmt.Sprintf(`(kind = FAIR OR kind = EXHIBITION) AND state != CANCELLED AND start_date >= %q AND start_date <= %q`, from, to)}
	for {
		page, err := a.repos.Events.List(ctx, q)
		if err != nil {
			return out, err
		}
		for _, e := range page.Items {
			events[[2]string{e.Chamber, e.ID}] = e
		}
		if page.NextPageToken == "" {
			break
		}
		q.PageToken = page.NextPageToken
	}
	for _, f := range figs {
		e, ok := events[[2]string{f.Chamber, f.Event}]
		if !ok {
			continue // created between the two reads: counted next time
		}
		fe := FairEvaluation{Event: e, Figures: f.Evaluation, Final: e.State == event.Evaluated}
		out.Fairs++
		if fe.Final {
			out.EvaluatedFairs++
		}
		out.Totals.Add(f.Evaluation)
		out.PerFair = append(out.PerFair, fe)
	}
	out.Totals.ComputeTime = a.now()
	out.DistinctExhibitors, err = a.repos.Fairs.DistinctExhibitors(ctx, s)
	return out, err
}

package app

import (
	"context"
	"fmt"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/event"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/fair"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/registration"
)

// CreateEvent plans an event of a chamber.
func (a *EventsFairs) CreateEvent(ctx context.Context, chamber string, e *event.Event, m Mutation) (*event.Event, error) {
	if err := a.access.Write(ctx, chamber, "chambers/"+chamber); err != nil {
		return nil, err
	}
	e.Chamber, e.ID, e.State, e.StateReason, e.Evaluation = chamber, resource.NewID(), event.Planned, "", nil
	if err := e.Validate(a.places); err != nil {
		return nil, err
	}
	return a.repos.Events.Create(ctx, e, a.write(ctx, m, "Planned"))
}

// GetEvent reads one event.
func (a *EventsFairs) GetEvent(ctx context.Context, n resource.Name) (*event.Event, error) {
	if err := a.access.Read(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return a.repos.Events.Get(ctx, n)
}

// ListEvents lists a chamber's events, or all for national roles.
func (a *EventsFairs) ListEvents(ctx context.Context, q paging.ListQuery) (paging.Page[*event.Event], error) {
	q, err := a.listScope(ctx, q)
	if err != nil {
		return paging.Page[*event.Event]{}, err
	}
	return a.repos.Events.List(ctx, q)
}

// UpdateEvent applies patch to an event that is neither evaluated nor
// cancelled; its kind never changes.
func (a *EventsFairs) UpdateEvent(ctx context.Context, n resource.Name, m Mutation, patch func(*event.Event) error) (*event.Event, error) {
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return a.repos.Events.Update(ctx, n, a.write(ctx, m, "Updated"), resource.WithEtag(n.String(), m.Etag, func(e *event.Event) error {
		if err := e.CheckOpen(); err != nil {
			return err
		}
		kind := e.Kind
		if err := patch(e); err != nil {
			return err
		}
		e.Kind = kind
		return e.Validate(a.places)
	}))
}

// DeleteEvent deletes a PLANNED event.
func (a *EventsFairs) DeleteEvent(ctx context.Context, n resource.Name, m Mutation) error {
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return err
	}
	// Under the event's lock, so no booth is added while it goes.
	return a.locked(ctx, n, func() error {
		booths, err := a.repos.Fairs.CountBooths(ctx, n)
		if err != nil {
			return err
		}
		return a.repos.Events.Delete(ctx, n, a.write(ctx, m, "Deleted"), resource.WithEtag(n.String(), m.Etag, func(e *event.Event) error {
			if err := e.CheckDelete(); err != nil {
				return err
			}
			if booths > 0 {
				return &fault.PreconditionError{Reason: fault.ReasonNotDeletable, Msg: fmt.Sprintf("%s has %d booths: remove them first, or cancel the fair", n, booths),
					Meta: map[string]string{"resource": n.String()}, Args: []string{n.String(), string(e.State)}}
			}
			return nil
		}))
	})
}

// TransitionEvent performs a lifecycle action; the event it records is the
// action's row of event.Transitions.
func (a *EventsFairs) TransitionEvent(ctx context.Context, n resource.Name, action event.Action, m Mutation) (*event.Event, error) {
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return a.repos.Events.Update(ctx, n, a.write(ctx, m, event.Transitions.Event(action)), resource.WithEtag(n.String(), m.Etag, func(e *event.Event) error {
		return e.Apply(action, m.Reason)
	}))
}

// EvaluateEvent computes the figures of an ended event and freezes them in
// it (ENDED → EVALUATED). It holds the event's lock, so a sale or visitor
// count recorded concurrently either lands before the figures are computed
// or is refused because the event is evaluated.
func (a *EventsFairs) EvaluateEvent(ctx context.Context, n resource.Name, m Mutation) (*event.Event, error) {
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	var out *event.Event
	err := a.locked(ctx, n, func() error {
		e, err := a.repos.Events.Get(ctx, n)
		if err != nil {
			return err
		}
		// Refuse before computing; an evaluated event with a request id
		// may be a retry, which the store answers with the stored result.
		if e.State != event.Ended && (e.State != event.Evaluated || m.RequestID == "") {
			return e.Apply(event.Evaluate, "")
		}
		figures, err := a.figures(ctx, e)
		if err != nil {
			return err
		}
		w := a.write(ctx, m, event.Transitions.Event(event.Evaluate))
		if e.IsFair() {
			w.Event = "FairEvaluated" // what reporting projects fair evaluations from
		}
		out, err = a.repos.Events.Update(ctx, n, w, resource.WithEtag(n.String(), m.Etag, func(e *event.Event) error {
			return e.SetEvaluation(figures)
		}))
		return err
	})
	return out, err
}

// figures computes an event's figures now: exhibitors, booths, visitors and
// sales for fairs; registrations and attendance for the others.
func (a *EventsFairs) figures(ctx context.Context, e *event.Event) (event.Evaluation, error) {
	var ev event.Evaluation
	if e.IsFair() {
		figs, err := a.repos.Fairs.Figures(ctx, fair.Scope{Chamber: e.Chamber, Event: e.ID})
		if err != nil {
			return ev, err
		}
		if len(figs) == 1 {
			ev = figs[0].Evaluation
		}
	} else {
		c, err := a.repos.Registrations.Counts(ctx, resource.Name{Chamber: e.Chamber, Collection: event.Collection, ID: e.ID})
		if err != nil {
			return ev, err
		}
		ev.Registered, ev.Attended, ev.Waitlisted = c.Taken(), c[registration.Attended], c[registration.Waitlisted]
	}
	ev.ComputeTime = a.now().Truncate(time.Microsecond)
	return ev, nil
}

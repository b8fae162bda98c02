package app

import (
	"context"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/event"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/nested"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/registration"
)

// sessionOf reads the event n belongs to after the access check, and
// refuses fairs, which take exhibitors instead of registrations.
func (a *EventsFairs) sessionOf(ctx context.Context, parent resource.Name, write bool) (*event.Event, error) {
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
	if !e.Places() {
		return nil, &fault.PreconditionError{Reason: registration.ReasonNotASession, Msg: e.Name() + " is a " + string(e.Kind) + ": it takes exhibitors, not registrations",
			Meta: map[string]string{"resource": e.Name(), "kind": string(e.Kind)}}
	}
	return e, nil
}

// CreateRegistration registers a participant while the event takes
// registrations: a place while places remain, the wait list after. The
// event's lock makes the count and the new registration one decision.
func (a *EventsFairs) CreateRegistration(ctx context.Context, parent resource.Name, r *registration.Registration, m Mutation) (*registration.Registration, error) {
	var out *registration.Registration
	err := a.locked(ctx, parent, func() error {
		e, err := a.sessionOf(ctx, parent, true)
		if err != nil {
			return err
		}
		if err := e.CheckIn(registration.ReasonRegistrationClosed, "registrations are taken", event.OpenForApplications); err != nil {
			return err
		}
		if err := r.Validate(); err != nil {
			return err
		}
		// Places freed by an interrupted promotion go to the wait list
		// first, not to the newcomer.
		if err := a.fillPlaces(ctx, e, m); err != nil {
			return err
		}
		counts, err := a.repos.Registrations.Counts(ctx, parent)
		if err != nil {
			return err
		}
		r.Chamber, r.ID = parent.Chamber, nested.Key(parent.ID, resource.NewID())
		r.State, r.CheckInCode, r.CheckInTime = registration.Place(e.Capacity, counts.Taken()), registration.NewCode(), nil
		action := "Registered"
		if r.State == registration.Waitlisted {
			action = "Waitlisted"
		}
		out, err = a.repos.Registrations.Create(ctx, r, a.write(ctx, m, action))
		return err
	})
	return out, err
}

// GetRegistration reads one registration.
func (a *EventsFairs) GetRegistration(ctx context.Context, n nested.Name) (*registration.Registration, error) {
	if err := a.access.Read(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return a.repos.Registrations.Get(ctx, n)
}

// ListRegistrations lists an event's registrations.
func (a *EventsFairs) ListRegistrations(ctx context.Context, parent resource.Name, q paging.ListQuery) (paging.Page[*registration.Registration], error) {
	if _, err := a.sessionOf(ctx, parent, false); err != nil {
		return paging.Page[*registration.Registration]{}, err
	}
	return a.repos.Registrations.List(ctx, parent, q)
}

// CancelRegistration cancels a registration and gives the freed place to
// the first on the wait list. The promotion is its own write (with its own
// event); should it fail after the cancellation, the next cancellation or
// registration on the event fills every free place again.
func (a *EventsFairs) CancelRegistration(ctx context.Context, n nested.Name, m Mutation) (*registration.Registration, error) {
	parent := n.ParentName()
	var out *registration.Registration
	err := a.locked(ctx, parent, func() error {
		e, err := a.sessionOf(ctx, parent, true)
		if err != nil {
			return err
		}
		if err := e.CheckIn(registration.ReasonRegistrationClosed, "registrations are cancelled", event.OpenForApplications, event.ApplicationsClosed); err != nil {
			return err
		}
		out, err = a.repos.Registrations.Update(ctx, n, a.write(ctx, m, registration.Transitions.Event(registration.Cancel)), resource.WithEtag(n.String(), m.Etag, (*registration.Registration).Cancel))
		if err != nil {
			return err
		}
		return a.fillPlaces(ctx, e, m)
	})
	return out, err
}

// fillPlaces promotes wait-listed registrations, oldest first, while the
// event has free places. Call it under the event's lock.
func (a *EventsFairs) fillPlaces(ctx context.Context, e *event.Event, m Mutation) error {
	parent := resource.Name{Chamber: e.Chamber, Collection: event.Collection, ID: e.ID}
	for {
		counts, err := a.repos.Registrations.Counts(ctx, parent)
		if err != nil {
			return err
		}
		if registration.Place(e.Capacity, counts.Taken()) != registration.Registered {
			return nil
		}
		next, err := a.repos.Registrations.FirstWaitlisted(ctx, parent)
		if err != nil || next == nil {
			return err
		}
		// The promotion is the platform's decision, not a retry of the
		// caller's request: it carries no request id.
		w := a.write(ctx, Mutation{Method: m.Method, TraceID: m.TraceID}, registration.Transitions.Event(registration.Promote))
		if _, err := a.repos.Registrations.Update(ctx, next.NestedName(), w, (*registration.Registration).Promote); err != nil {
			return err
		}
	}
}

// CheckIn records a participant's attendance by the registration's code
// while the event runs.
func (a *EventsFairs) CheckIn(ctx context.Context, parent resource.Name, code string, m Mutation) (*registration.Registration, error) {
	e, err := a.sessionOf(ctx, parent, true)
	if err != nil {
		return nil, err
	}
	if err := e.CheckIn(registration.ReasonEventNotRunning, "participants are checked in", event.Running); err != nil {
		return nil, err
	}
	r, err := a.repos.Registrations.ByCode(ctx, parent, code)
	if fault.Is[*fault.NotFoundError](err) {
		return nil, &fault.PreconditionError{Reason: registration.ReasonUnknownCheckInCode, Msg: "no registration of " + parent.String() + " holds this code",
			Meta: map[string]string{"resource": parent.String()}}
	}
	if err != nil {
		return nil, err
	}
	now := a.now().Truncate(time.Microsecond)
	return a.repos.Registrations.Update(ctx, r.NestedName(), a.write(ctx, m, registration.Transitions.Event(registration.CheckIn)), func(r *registration.Registration) error {
		return r.CheckIn(now)
	})
}

// Attendance is the counts of an event's registrations.
type Attendance struct {
	Event    *event.Event
	Counts   registration.Counts
	Capacity int
}

// GetAttendance counts places, wait list and attendance of an event.
func (a *EventsFairs) GetAttendance(ctx context.Context, parent resource.Name) (Attendance, error) {
	e, err := a.sessionOf(ctx, parent, false)
	if err != nil {
		return Attendance{}, err
	}
	c, err := a.repos.Registrations.Counts(ctx, parent)
	return Attendance{Event: e, Counts: c, Capacity: e.Capacity}, err
}

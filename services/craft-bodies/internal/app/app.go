// Package app holds the craft-bodies use cases: who may touch which
// chamber's bodies, the rules that need other records (the programme a body
// is founded under, the lower bodies a regional threshold counts, the census
// an assembly's roll is, the registry's facts, the events-and-fairs events)
// and the repositories. Transport code only maps messages to these calls.
package app

import (
	"context"
	"errors"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/awareness"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/census"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/constitutive"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/election"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/programme"
)

// Repositories are the stores the use cases need.
type Repositories struct {
	Programmes programme.Repository
	Bodies     craftbody.Repository
	Censuses   census.Repository
	Assemblies constitutive.Repository
	Offices    election.Repository
	Meetings   awareness.Repository
}

// Access decides, for the caller in ctx, whether it may read or write the
// records of a chamber (pkg/tenancy's Guard): NotFound for another
// chamber's objects, so existence does not leak.
type Access interface {
	Read(ctx context.Context, chamber string, resourceName string) error
	Write(ctx context.Context, chamber string, resourceName string) error
	ListScope(ctx context.Context, requested string) (string, error)
	Actor(ctx context.Context) change.Actor
}

// Registry reads the register through RegistrantService.ListRegistrantFacts
// with the caller's credentials. It returns fault errors; an unreachable
// registry is a *fault.UnavailableError.
type Registry interface {
	// Facts returns one page of the artisans of chamber practising craft (a
	// code or branch prefix) in province, and the next page token.
	Facts(ctx context.Context, chamber, craft, province, pageToken string) ([]census.Registrant, string, error)
}

// Events creates and reads awareness sessions in events-and-fairs over gRPC.
// An unreachable events-and-fairs is a *fault.UnavailableError.
type Events interface {
	// CreateAwarenessSession plans an AWARENESS_SESSION event of chamber in
	// province for the meeting and returns the event's resource name.
	CreateAwarenessSession(ctx context.Context, chamber, province string, m *awareness.Meeting, requestID string) (string, error)
	// CheckedIn counts the check-ins of an event.
	CheckedIn(ctx context.Context, event string) (int, error)
}

// Places is the reference territory.
type Places interface {
	craftbody.Places
}

// CraftBodies is the craft-bodies application.
type CraftBodies struct {
	repos    Repositories
	places   Places
	access   Access
	registry Registry
	events   Events
	now      func() time.Time
}

// New wires the use cases.
func New(repos Repositories, places Places, access Access, registry Registry, events Events) *CraftBodies {
	return &CraftBodies{repos: repos, places: places, access: access, registry: registry, events: events,
		now: func() time.Time { return time.Now().UTC() }}
}

// SetClock replaces the clock (tests).
func (a *CraftBodies) SetClock(now func() time.Time) { a.now = now }

// today is the current day in Morocco (UTC+1).
func (a *CraftBodies) today() resource.Date {
	return resource.DateOf(a.now())
}

// Mutation is the transport facts of a write.
type Mutation = change.Mutation

func (a *CraftBodies) write(ctx context.Context, m Mutation, action string) change.Write {
	return m.Write(a.access.Actor(ctx), action)
}

// transition writes a state change under the table's event name.
func (a *CraftBodies) transition(ctx context.Context, m Mutation, t craftbody.Transition) change.Write {
	w := a.write(ctx, m, string(t.Action))
	w.Event = t.Event
	return w
}

func (a *CraftBodies) listScope(ctx context.Context, q paging.ListQuery) (paging.ListQuery, error) {
	scope, err := a.access.ListScope(ctx, q.Chamber)
	if err != nil {
		return q, err
	}
	q.Chamber = scope
	return q, nil
}

// dependency names another service's failure with this service's reason: an
// outage stays UNAVAILABLE (retry) and anything else becomes a precondition
// of this step, never the other service's status.
func dependency(what, unavailable, refused string, err error) error {
	var un *fault.UnavailableError
	if errors.As(err, &un) {
		return &fault.UnavailableError{What: what, Err: err, Reason: unavailable}
	}
	var inv *fault.InvalidError
	if errors.As(err, &inv) {
		return err
	}
	return &fault.PreconditionError{Reason: refused, Msg: what + " refused the step: " + err.Error()}
}

// Package app holds the events-and-fairs use cases: it checks who may touch
// which chamber's records, applies the rules that need other records (the
// fair an exhibitor applies to, the registry's word on the applicant, the
// assembly an item is voted in), takes the per-event lock where a decision
// reads several records, and drives the repositories. Transport code only
// maps messages to these calls.
package app

import (
	"context"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/agreement"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/event"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/fair"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/generalassembly"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/registration"
)

// Repositories are the stores the use cases need.
type Repositories struct {
	Events        event.Repository
	Fairs         fair.Repository
	Registrations registration.Repository
	Assemblies    generalassembly.Repository
	Items         generalassembly.ItemRepository
	Agreements    agreement.Repository
	Audit         AuditLog
}

// Access decides, for the caller in ctx, whether it may read or write the
// records of a chamber. It returns the fault to answer with (NotFound for
// another chamber's objects, so existence does not leak). The composition
// root supplies pkg/tenancy's Guard.
type Access interface {
	Read(ctx context.Context, chamber string, resourceName string) error
	Write(ctx context.Context, chamber string, resourceName string) error
	// ListScope returns the chamber a list is limited to: the requested one
	// if allowed, or an error; national roles may use resource.Wildcard.
	ListScope(ctx context.Context, requested string) (string, error)
	Actor(ctx context.Context) change.Actor
}

// Registrants answers what the registry says about a registrant, by its
// registry resource name. It returns fault errors: PreconditionError
// APPLICANT_NOT_FOUND when the registry does not know it (or does not show
// it to the caller), UnavailableError when the registry cannot be reached.
type Registrants interface {
	Lookup(ctx context.Context, name string) (fair.Applicant, error)
}

// Locker serialises decisions about one event (or assembly) across
// requests and replicas.
type Locker interface {
	Lock(ctx context.Context, key string) (unlock func(), err error)
}

// Places is the reference territory (pkg/territory).
type Places = event.Places

// Settings are the rules the law leaves to configuration.
type Settings struct {
	// Quorum is the quorum of a general assembly that does not set its own.
	Quorum generalassembly.Quorum
}

// EventsFairs is the events-and-fairs application.
type EventsFairs struct {
	repos    Repositories
	places   Places
	registry Registrants
	access   Access
	locks    Locker
	settings Settings
	now      func() time.Time
}

// New wires the use cases.
func New(repos Repositories, places Places, registry Registrants, access Access, locks Locker, settings Settings) *EventsFairs {
	return &EventsFairs{repos: repos, places: places, registry: registry, access: access, locks: locks, settings: settings,
		now: func() time.Time { return time.Now().UTC() }}
}

// SetClock replaces the clock (tests).
func (a *EventsFairs) SetClock(now func() time.Time) { a.now = now }

// today is the current calendar day in Morocco (resource.Morocco says
// why a fixed zone).
func (a *EventsFairs) today() resource.Date { return resource.DateOf(a.now()) }

// Mutation is the transport facts of a write.
type Mutation = change.Mutation

func (a *EventsFairs) write(ctx context.Context, m Mutation, action string) change.Write {
	return m.Write(a.access.Actor(ctx), action)
}

// listScope resolves and authorises the chamber of a List.
func (a *EventsFairs) listScope(ctx context.Context, q paging.ListQuery) (paging.ListQuery, error) {
	scope, err := a.access.ListScope(ctx, q.Chamber)
	if err != nil {
		return q, err
	}
	q.Chamber = scope
	return q, nil
}

// locked runs fn under the lock of the event or assembly n. Every locked
// decision is a write, so the caller's right to write n's chamber is
// checked first: a caller of another chamber gets NotFound without ever
// queueing behind (or holding up) that chamber's decisions.
func (a *EventsFairs) locked(ctx context.Context, n resource.Name, fn func() error) error {
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return err
	}
	unlock, err := a.locks.Lock(ctx, n.String())
	if err != nil {
		return err
	}
	defer unlock()
	return fn()
}

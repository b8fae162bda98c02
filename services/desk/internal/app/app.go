// Package app holds the desk use cases: it checks who may touch
// which chamber's records (through Access, pkg/tenancy's guard), applies
// the domain's rules and drives the repositories. Transport code only maps
// messages to these calls.
package app

import (
	"context"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/services/desk/internal/domain/card"
	"github.com/hirfa/hirfa/services/desk/internal/domain/document"
	"github.com/hirfa/hirfa/services/desk/internal/domain/mediation"
	"github.com/hirfa/hirfa/services/desk/internal/domain/request"
	"github.com/hirfa/hirfa/services/desk/internal/domain/requesttype"
)

// Repositories are the stores the use cases need.
type Repositories struct {
	Requests  request.Repository
	Cases     mediation.Repository
	Documents document.Repository
	Cards     card.Repository
	Types     requesttype.Repository
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
	// Mediate allows the chamber's admins and the case's mediator
	// (NotFound for everyone else); OpenMediation allows the chamber's
	// admins to open cases.
	Mediate(ctx context.Context, chamber, resourceName, mediator string) error
	OpenMediation(ctx context.Context, chamber, resourceName string) error
	// Subject is the caller's user identifier.
	Subject(ctx context.Context) string
	// ManageReference allows the ministry to maintain national lists.
	ManageReference(ctx context.Context) error
}

// Reasons of a registrant the registry refuses (FAILED_PRECONDITION), with
// the ErrorInfo metadata "resource" (the name) and "request_field" (the
// field that named it).
const (
	ReasonRegistrantNotFound   = "REGISTRANT_NOT_FOUND"
	ReasonRegistrantNotVisible = "REGISTRANT_NOT_VISIBLE"
)

// Registrants looks a registrant up in the registry before the desk
// records it: FAILED_PRECONDITION REGISTRANT_NOT_FOUND for a name the
// registry does not know (or answers NotFound for, as it does for another
// chamber's record the caller may not see), REGISTRANT_NOT_VISIBLE when the
// registry refuses the caller, UNAVAILABLE when the registry cannot answer.
// field is the request field that named it.
type Registrants interface {
	Check(ctx context.Context, field, name string) error
}

// App is the desk application.
type App struct {
	repos       Repositories
	access      Access
	objects     Objects
	registrants Registrants
	artisans    Artisans
	printer     Printer
	now         func() time.Time
}

// New wires the use cases; objects keeps the archive's contents;
// registrants checks requesters, parties and owners in the registry; now
// is the clock (deadlines, overdue lists, retention).
func New(repos Repositories, access Access, objects Objects, registrants Registrants, now func() time.Time) *App {
	if now == nil {
		now = time.Now
	}
	return &App{repos: repos, access: access, objects: objects, registrants: registrants, now: now}
}

func notFound(name string) error { return fault.NotFound(name) }

// Mutation is the transport facts of a write.
type Mutation = change.Mutation

func (a *App) write(ctx context.Context, m Mutation, action string) change.Write {
	return m.Write(a.access.Actor(ctx), action)
}

// listScope resolves and authorises the chamber of a List.
func (a *App) listScope(ctx context.Context, q paging.ListQuery) (paging.ListQuery, error) {
	scope, err := a.access.ListScope(ctx, q.Chamber)
	if err != nil {
		return q, err
	}
	q.Chamber = scope
	return q, nil
}

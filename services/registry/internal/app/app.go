// Package app holds the registry's use cases: it checks who may touch which
// chamber's records, applies the domain rules that need other records or
// reference data, and drives the repositories. Transport code (gRPC, REST
// through the gateway) only maps messages to these calls.
package app

import (
	"context"
	"fmt"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/territory"
	"github.com/hirfa/hirfa/services/registry/internal/domain/activity"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/association"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
	"github.com/hirfa/hirfa/services/registry/internal/domain/enterprise"
	"github.com/hirfa/hirfa/services/registry/internal/domain/place"
)

// Repositories are the stores the use cases need.
type Repositories struct {
	Artisans     artisan.Repository
	Merges       artisan.Merger
	Cooperatives cooperative.Repository
	Associations association.Repository
	Enterprises  enterprise.Repository
	Activities   activity.Repository
	Audit        AuditLog
	// Registrations registers a cooperative with its name certificate.
	Registrations CertificateRegistrar
}

// Access decides, for the caller in ctx, whether it may read or write the
// records of a chamber. It returns the fault to answer with (NotFound for
// another chamber's objects, so existence does not leak). The registry's
// composition root supplies the implementation (pkg/tenancy's Guard, which
// reads the identity pkg/auth put in ctx).
type Access interface {
	Read(ctx context.Context, chamber string, resourceName string) error
	Write(ctx context.Context, chamber string, resourceName string) error
	// Merge is Write for merging duplicates, which the ministry may also
	// do across chambers.
	Merge(ctx context.Context, chamber string, resourceName string) error
	// Scope returns the chamber a list is limited to: the requested one if
	// allowed, or an error; national roles may use resource.Wildcard.
	ListScope(ctx context.Context, requested string) (string, error)
	ManageReference(ctx context.Context) error
	Actor(ctx context.Context) change.Actor
}

// Registry is the registry application.
type Registry struct {
	repos  Repositories
	terr   *territory.Territory
	access Access
	coops  cooperative.Rules
	now    func() time.Time
	// imports runs bulk imports; nil until EnableImports.
	imports *Importer
	// names handles cooperative name requests; nil until
	// EnableNameRequests.
	names *names
	// heldNames is handed the names every committed write changed that
	// the name check holds (NameCheck.Written); nil: nobody listens.
	heldNames func([]HeldName)
}

// New wires the use cases.
func New(repos Repositories, terr *territory.Territory, access Access, coops cooperative.Rules) *Registry {
	return &Registry{repos: repos, terr: terr, access: access, coops: coops, now: func() time.Time { return time.Now().UTC() }}
}

// SetClock replaces the clock (tests).
func (r *Registry) SetClock(now func() time.Time) { r.now = now }

// OnHeldNamesChanged has f handed the names each committed write of a
// cooperative or a name request made through this Registry holds (or
// releases) as of that write, before the write returns, so this replica's
// name check sees it from its next check.
func (r *Registry) OnHeldNamesChanged(f func([]HeldName)) { r.heldNames = f }

// heldNamesWritten hands the listener the names of a write that committed.
func (r *Registry) heldNamesWritten(held []HeldName) {
	if r.heldNames != nil && len(held) > 0 {
		r.heldNames(held)
	}
}

// Territory returns the reference territory.
func (r *Registry) Territory() *territory.Territory { return r.terr }

// Mutation is the transport facts of a write.
type Mutation = change.Mutation

func (r *Registry) write(ctx context.Context, m Mutation, action string) change.Write {
	return m.Write(r.access.Actor(ctx), action)
}

func (r *Registry) place(ctx context.Context, chamber, province, act, prefix string) error {
	return place.Check(ctx, r.terr, r.repos.Activities, chamber, province, act, prefix)
}

// niaFor assigns the next NIA of the chamber for the current year.
func (r *Registry) niaFor(ctx context.Context, chamber string) (string, error) {
	c, ok := r.terr.Chamber(chamber)
	if !ok {
		return "", fmt.Errorf("unknown chamber %q", chamber)
	}
	year := r.now().Year()
	seq, err := r.repos.Artisans.NextNIASequence(ctx, chamber, year)
	if err != nil {
		return "", err
	}
	for _, reg := range r.terr.Regions {
		if reg.ID == c.RegionID {
			return artisan.FormatNIA(reg.Code, year, seq), nil
		}
	}
	return "", fmt.Errorf("chamber %q has no region", chamber)
}

// listScope resolves and authorises the chamber of a List.
func (r *Registry) listScope(ctx context.Context, q paging.ListQuery) (paging.ListQuery, error) {
	scope, err := r.access.ListScope(ctx, q.Chamber)
	if err != nil {
		return q, err
	}
	q.Chamber = scope
	return q, nil
}

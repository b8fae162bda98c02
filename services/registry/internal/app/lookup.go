package app

import (
	"context"
	"strings"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/association"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
	"github.com/hirfa/hirfa/services/registry/internal/domain/enterprise"
)

// LookupRegistrant reads any chamber's registrant for a registration check
// (a fair admitting artisans of other regions). It is deliberately outside
// the chamber scope; the transport strips personal data from the answer.
// The access policy still requires an authenticated caller.
func (r *Registry) LookupRegistrant(ctx context.Context, name string) (any, error) {
	parts := strings.Split(name, "/")
	if len(parts) != 4 {
		return nil, fault.Invalid("name", fault.RuleResourceName, "must be chambers/{chamber}/{collection}/{id}, got %q", name)
	}
	n, err := resource.ParseName(name, parts[2], "name")
	if err != nil {
		return nil, err
	}
	switch n.Collection {
	case artisan.Collection:
		// A merged artisan answers with its successor: fairs, desk
		// requests and craft bodies that hold the merged name keep working.
		a, err := r.repos.Artisans.Get(ctx, n)
		if err != nil {
			return nil, err
		}
		return r.successor(ctx, a, func(resource.Name) error { return nil })
	case cooperative.Collection:
		return r.repos.Cooperatives.Get(ctx, n)
	case association.Collection:
		return r.repos.Associations.Get(ctx, n)
	case enterprise.Collection:
		return r.repos.Enterprises.Get(ctx, n)
	}
	return nil, fault.Invalid("name", RuleRegistrantCollection, "registrants are artisans, cooperatives, associations or enterprises, got %q", n.Collection)
}

// RuleRegistrantCollection: a lookup names a collection that holds no
// registrants.
const RuleRegistrantCollection = "registrant.collection"

// ReasonSeed: the demo data cannot be loaded as it stands.
const ReasonSeed = "SEED"

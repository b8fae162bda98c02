package app

import (
	"context"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
)

// MergeArtisan merges other into kept: other becomes MERGED with kept as its
// successor, kept takes the fields named in take from other, and the
// registry's references to other (supervised enterprises) move to kept. The
// caller must be allowed to write both chambers: a clerk merges within the
// chamber, a national role across chambers. m.Etag is kept's etag,
// otherEtag other's; m.Reason explains the merge and is kept with it.
func (r *Registry) MergeArtisan(ctx context.Context, kept, other resource.Name, take []string, otherEtag string, m Mutation) (*artisan.Artisan, error) {
	for _, n := range []resource.Name{kept, other} {
		if err := r.access.Merge(ctx, n.Chamber, n.String()); err != nil {
			return nil, err
		}
	}
	actor := r.access.Actor(ctx)
	w := r.write(ctx, m, "Merged")
	wOther := w
	wOther.RequestID, wOther.Action = "", "MergedInto"
	return r.repos.Merges.MergeArtisans(ctx, kept, other, w, wOther, func(k, o *artisan.Artisan) error {
		if err := fault.Join(k.CheckEtag(kept.String(), m.Etag), o.CheckEtag(other.String(), otherEtag)); err != nil {
			return err
		}
		if err := artisan.CheckMerge(k, o, take); err != nil {
			return err
		}
		if err := o.MarkMerged(k.Name(), m.Reason); err != nil {
			return err
		}
		k.TakeFrom(o, artisan.MergeNote{Name: o.Name(), Time: r.now(), Actor: actor.Subject, Role: actor.Role, Reason: m.Reason, Taken: take})
		return fault.Join(k.Validate(r.now()), r.place(ctx, k.Chamber, k.Province, k.Activity, "artisan"))
	})
}

// maxSuccessors bounds how many merges a read follows: a chain longer than
// any real history means a loop, which merges cannot make (a MERGED record
// cannot be kept), so this only guards against damaged data.
const maxSuccessors = 8

// successor follows a MERGED record to the record it was merged into, and
// on, so that other services that hold the merged name keep working.
func (r *Registry) successor(ctx context.Context, a *artisan.Artisan, read func(resource.Name) error) (*artisan.Artisan, error) {
	for i := 0; a.State == artisan.Merged && a.Successor != ""; i++ {
		if i == maxSuccessors {
			return nil, fault.Precondition(artisan.ReasonMerged, "%s: too many merges to follow", a.Name())
		}
		n, err := resource.ParseName(a.Successor, artisan.Collection, "successor")
		if err != nil {
			return nil, err
		}
		if err := read(n); err != nil {
			return nil, err
		}
		if a, err = r.repos.Artisans.Get(ctx, n); err != nil {
			return nil, err
		}
	}
	return a, nil
}

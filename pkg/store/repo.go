package store

import (
	"context"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
)

// Repo adapts a Table of chamber-owned resources to the name-based methods
// every service's repositories expose. Services embed it and add their own
// queries (or wrap Create with their own uniqueness checks).
type Repo[T Entity] struct{ T *Table[T] }

// NewRepo returns the repository of t.
func NewRepo[T Entity](t *Table[T]) Repo[T] { return Repo[T]{T: t} }

// Create stores v with the write's outbox event, audit record and request
// id; a replayed request id returns the stored resource.
func (r Repo[T]) Create(ctx context.Context, v T, w change.Write) (T, error) {
	out, _, err := r.T.Create(ctx, v, w)
	return out, err
}

// Get reads the resource named n.
func (r Repo[T]) Get(ctx context.Context, n resource.Name) (T, error) {
	return r.T.Get(ctx, n.Chamber, n.ID)
}

// List reads one page of q.
func (r Repo[T]) List(ctx context.Context, q paging.ListQuery) (paging.Page[T], error) {
	return r.T.List(ctx, q)
}

// Update applies fn to the resource named n under the write's etag check.
func (r Repo[T]) Update(ctx context.Context, n resource.Name, w change.Write, fn func(T) error) (T, error) {
	return r.T.Update(ctx, n.Chamber, n.ID, w, fn)
}

// Delete removes the resource named n once fn accepts it.
func (r Repo[T]) Delete(ctx context.Context, n resource.Name, w change.Write, fn func(T) error) error {
	return r.T.Delete(ctx, n.Chamber, n.ID, w, fn)
}

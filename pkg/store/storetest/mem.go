package storetest

import (
	"context"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
)

// Mem is an in-memory repository of one resource kind E (P is *E), for unit
// tests of an app layer whose rule needs no SQL: Update works on a copy and
// keeps it only when fn succeeds, as a store.Table does in its transaction,
// and every kept change is recorded in Writes with its change.Write. A
// test's fake embeds it and adds the kind's own queries.
type Mem[E any, P interface {
	*E
	store.Entity
}] struct {
	Rows   map[string]E // by chamber/id
	Writes []change.Write
}

// NewMem returns a Mem holding rows (their Meta's chamber and id set).
func NewMem[E any, P interface {
	*E
	store.Entity
}](rows ...P) *Mem[E, P] {
	m := &Mem[E, P]{Rows: map[string]E{}}
	for _, v := range rows {
		m.Rows[key(v.ResourceMeta().Chamber, v.ResourceMeta().ID)] = *v
	}
	return m
}

func key(chamber, id string) string { return chamber + "/" + id }

// Create stores v at revision 1.
func (m *Mem[E, P]) Create(_ context.Context, v P, w change.Write) (P, error) {
	meta := v.ResourceMeta()
	meta.Revision = 1
	m.Rows[key(meta.Chamber, meta.ID)], m.Writes = *v, append(m.Writes, w)
	c := *v
	return &c, nil
}

// Get returns a copy of the resource, or NOT_FOUND.
func (m *Mem[E, P]) Get(_ context.Context, n resource.Name) (P, error) {
	v, ok := m.Rows[key(n.Chamber, n.ID)]
	if !ok {
		return nil, &fault.NotFoundError{Resource: n.String()}
	}
	return &v, nil
}

// Update lets fn change a copy and keeps it, one revision up, only when fn
// succeeds.
func (m *Mem[E, P]) Update(ctx context.Context, n resource.Name, w change.Write, fn func(P) error) (P, error) {
	v, err := m.Get(ctx, n)
	if err != nil {
		return nil, err
	}
	if err := fn(v); err != nil {
		return nil, err
	}
	v.ResourceMeta().Revision++
	m.Rows[key(n.Chamber, n.ID)], m.Writes = *v, append(m.Writes, w)
	c := *v
	return &c, nil
}

// Actions are the recorded changes' actions (event names), in order.
func (m *Mem[E, P]) Actions() []string {
	out := make([]string, len(m.Writes))
	for i, w := range m.Writes {
		out[i] = w.Action
	}
	return out
}

package app

import (
	"context"

	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/desk/internal/domain/item"
)

// CreateItem records a new active item in a chamber.
func (a *App) CreateItem(ctx context.Context, chamber string, it *item.Item, m Mutation) (*item.Item, error) {
	if err := a.access.Write(ctx, chamber, "chambers/"+chamber); err != nil {
		return nil, err
	}
	it.Chamber, it.ID, it.State = chamber, resource.NewID(), item.Active
	if err := it.Validate(); err != nil {
		return nil, err
	}
	return a.repos.Items.Create(ctx, it, a.write(ctx, m, "Created"))
}

// GetItem reads one item.
func (a *App) GetItem(ctx context.Context, n resource.Name) (*item.Item, error) {
	if err := a.access.Read(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return a.repos.Items.Get(ctx, n)
}

// ListItems lists a chamber's items, or every chamber's for national roles.
func (a *App) ListItems(ctx context.Context, q resource.ListQuery) (resource.Page[*item.Item], error) {
	q, err := a.listScope(ctx, q)
	if err != nil {
		return resource.Page[*item.Item]{}, err
	}
	return a.repos.Items.List(ctx, q)
}

// UpdateItem changes an active item (archiving it is a change too).
func (a *App) UpdateItem(ctx context.Context, n resource.Name, m Mutation, patch func(*item.Item) error) (*item.Item, error) {
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return a.repos.Items.Update(ctx, n, a.write(ctx, m, "Updated"), resource.WithEtag(n.String(), m.Etag, func(it *item.Item) error {
		if err := it.CheckChange(); err != nil {
			return err
		}
		if err := patch(it); err != nil {
			return err
		}
		return it.Validate()
	}))
}

// DeleteItem deletes an item whose quantity is zero.
func (a *App) DeleteItem(ctx context.Context, n resource.Name, m Mutation) error {
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return err
	}
	return a.repos.Items.Delete(ctx, n, a.write(ctx, m, "Deleted"), resource.WithEtag(n.String(), m.Etag, (*item.Item).CheckDelete))
}

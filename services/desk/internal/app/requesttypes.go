package app

import (
	"context"
	"errors"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/services/desk/internal/domain/requesttype"
)

// CreateRequestType adds a type to the national list (the ministry).
func (a *App) CreateRequestType(ctx context.Context, t *requesttype.Type, m Mutation) (*requesttype.Type, error) {
	if err := a.access.ManageReference(ctx); err != nil {
		return nil, err
	}
	t.Inactive = false
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return a.repos.Types.Create(ctx, t, a.write(ctx, m, "Created"))
}

// GetRequestType reads one type (every role: the policy admits them).
func (a *App) GetRequestType(ctx context.Context, code string) (*requesttype.Type, error) {
	return a.repos.Types.Get(ctx, code)
}

// ListRequestTypes lists the types by code.
func (a *App) ListRequestTypes(ctx context.Context, q paging.ListQuery) (paging.Page[*requesttype.Type], error) {
	return a.repos.Types.List(ctx, q)
}

// UpdateRequestType changes a type's labels or deadline (the ministry);
// patch applies the caller's masked fields. Requests already received keep
// their deadline.
func (a *App) UpdateRequestType(ctx context.Context, code, etag string, m Mutation, patch func(*requesttype.Type) error) (*requesttype.Type, error) {
	if err := a.access.ManageReference(ctx); err != nil {
		return nil, err
	}
	return a.repos.Types.Update(ctx, code, a.write(ctx, m, "Updated"), func(t *requesttype.Type) error {
		if err := t.CheckEtag(t.Name(), etag); err != nil {
			return err
		}
		if err := patch(t); err != nil {
			return err
		}
		t.ID = code
		return t.Validate()
	})
}

// DeactivateRequestType stops new requests from taking a type (the
// ministry); deactivating an inactive type changes nothing.
func (a *App) DeactivateRequestType(ctx context.Context, code string, m Mutation) (*requesttype.Type, error) {
	if err := a.access.ManageReference(ctx); err != nil {
		return nil, err
	}
	return a.repos.Types.Update(ctx, code, a.write(ctx, m, "Deactivated"), func(t *requesttype.Type) error {
		if err := t.CheckEtag(t.Name(), m.Etag); err != nil {
			return err
		}
		t.Inactive = true
		return nil
	})
}

// requestType reads the row of a request's type; nil when the list has no
// such code.
func (a *App) requestType(ctx context.Context, code string) (*requesttype.Type, error) {
	if code == "" || !requesttype.ValidCode(code) {
		return nil, nil
	}
	t, err := a.repos.Types.Get(ctx, code)
	var nf *fault.NotFoundError
	if errors.As(err, &nf) {
		return nil, nil
	}
	return t, err
}

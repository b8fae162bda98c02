package app

import (
	"context"
	"strings"

	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/desk/internal/domain/request"
)

// CreateRequest records a received request in a chamber, with its
// deadline from the type's setting.
func (a *App) CreateRequest(ctx context.Context, chamber string, r *request.Request, m Mutation) (*request.Request, error) {
	if err := a.access.Write(ctx, chamber, "chambers/"+chamber); err != nil {
		return nil, err
	}
	r.Chamber, r.ID = chamber, resource.NewID()
	typ, err := a.requestType(ctx, string(r.Type))
	if err != nil {
		return nil, err
	}
	if err := r.Receive(a.now(), typ); err != nil {
		return nil, err
	}
	if r.Requester != "" {
		if err := a.registrants.Check(ctx, "service_request.requester", r.Requester); err != nil {
			return nil, err
		}
	}
	return a.repos.Requests.Create(ctx, r, a.write(ctx, m, "Received"))
}

// GetRequest reads one request.
func (a *App) GetRequest(ctx context.Context, n resource.Name) (*request.Request, error) {
	if err := a.access.Read(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return a.repos.Requests.Get(ctx, n)
}

// ListRequests lists a chamber's requests, or every chamber's for national
// roles; overdue keeps the open ones past their deadline.
func (a *App) ListRequests(ctx context.Context, q paging.ListQuery, overdue bool) (paging.Page[*request.Request], error) {
	q, err := a.listScope(ctx, q)
	if err != nil {
		return paging.Page[*request.Request]{}, err
	}
	if overdue {
		in := make([]string, len(request.Open))
		for i, s := range request.Open {
			in[i] = "'" + string(s) + "'"
		}
		q.Where = "state IN (" + strings.Join(in, ", ") + ") AND deadline_time < ?"
		q.WhereArgs = []any{a.now().UnixMicro()}
	}
	return a.repos.Requests.List(ctx, q)
}

// TransitionRequest applies a lifecycle action (study, answer, forward,
// close) through the state table; arg is the assignee or the authority.
// Studying without an assignee assigns the caller.
func (a *App) TransitionRequest(ctx context.Context, n resource.Name, m Mutation, action, arg string, answer l10n.Text) (*request.Request, error) {
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	if action == request.Study && strings.TrimSpace(arg) == "" {
		arg = a.access.Subject(ctx)
	}
	event := map[string]string{request.Study: "Studied", request.Answer: "Answered", request.Forward: "Forwarded", request.Close: "Closed"}[action]
	return a.repos.Requests.Update(ctx, n, a.write(ctx, m, event), resource.WithEtag(n.String(), m.Etag, func(r *request.Request) error {
		return r.Apply(action, a.now(), arg, answer)
	}))
}

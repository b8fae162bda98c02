package grpcport

import (
	"context"

	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/hirfa/hirfa/pkg/fieldmask"
	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/event"
)

// CreateEvent implements EventService.
func (s *Server) CreateEvent(ctx context.Context, req *eventsfairsv1.CreateEventRequest) (*eventsfairsv1.Event, error) {
	chamber, err := resource.ParseParent(req.GetParent(), "parent", false)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	e := &event.Event{}
	eventFields(e, req.GetEvent())
	out, err := s.app.CreateEvent(ctx, chamber, e, grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return eventPB(out), nil
}

// GetEvent implements EventService.
func (s *Server) GetEvent(ctx context.Context, req *eventsfairsv1.GetEventRequest) (*eventsfairsv1.Event, error) {
	n, err := resource.ParseName(req.GetName(), event.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	e, err := s.app.GetEvent(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return eventPB(e), nil
}

// ListEvents implements EventService.
func (s *Server) ListEvents(ctx context.Context, req *eventsfairsv1.ListEventsRequest) (*eventsfairsv1.ListEventsResponse, error) {
	q, err := paging.ListQueryOf(req.GetParent(), req.GetPageSize(), req.GetPageToken(), req.GetFilter(), req.GetOrderBy())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListEvents(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &eventsfairsv1.ListEventsResponse{NextPageToken: page.NextPageToken}
	for _, e := range page.Items {
		resp.Events = append(resp.Events, eventPB(e))
	}
	return resp, nil
}

// UpdateEvent implements EventService.
func (s *Server) UpdateEvent(ctx context.Context, req *eventsfairsv1.UpdateEventRequest) (*eventsfairsv1.Event, error) {
	n, err := resource.ParseName(req.GetEvent().GetName(), event.Collection, "event.name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.UpdateEvent(ctx, n, grpcserver.Mutation(ctx, "", req.GetEvent().GetEtag(), ""),
		fieldmask.Patch(req.GetEvent(), req.GetUpdateMask(), eventUpdatable, "event", eventPB, eventFields))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return eventPB(out), nil
}

// DeleteEvent implements EventService.
func (s *Server) DeleteEvent(ctx context.Context, req *eventsfairsv1.DeleteEventRequest) (*emptypb.Empty, error) {
	n, err := resource.ParseName(req.GetName(), event.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if err := s.app.DeleteEvent(ctx, n, grpcserver.Mutation(ctx, "", req.GetEtag(), "")); err != nil {
		return nil, s.err(ctx, err)
	}
	return &emptypb.Empty{}, nil
}

func (s *Server) transitionEvent(ctx context.Context, name, etag, requestID, reason string, action event.Action) (*eventsfairsv1.Event, error) {
	n, err := resource.ParseName(name, event.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.TransitionEvent(ctx, n, action, grpcserver.Mutation(ctx, requestID, etag, reason))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return eventPB(out), nil
}

// OpenApplications implements EventService.
func (s *Server) OpenApplications(ctx context.Context, req *eventsfairsv1.OpenApplicationsRequest) (*eventsfairsv1.Event, error) {
	return s.transitionEvent(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), "", event.OpenApplications)
}

// CloseApplications implements EventService.
func (s *Server) CloseApplications(ctx context.Context, req *eventsfairsv1.CloseApplicationsRequest) (*eventsfairsv1.Event, error) {
	return s.transitionEvent(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), "", event.CloseApplications)
}

// StartEvent implements EventService.
func (s *Server) StartEvent(ctx context.Context, req *eventsfairsv1.StartEventRequest) (*eventsfairsv1.Event, error) {
	return s.transitionEvent(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), "", event.Start)
}

// EndEvent implements EventService.
func (s *Server) EndEvent(ctx context.Context, req *eventsfairsv1.EndEventRequest) (*eventsfairsv1.Event, error) {
	return s.transitionEvent(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), "", event.End)
}

// CancelEvent implements EventService.
func (s *Server) CancelEvent(ctx context.Context, req *eventsfairsv1.CancelEventRequest) (*eventsfairsv1.Event, error) {
	return s.transitionEvent(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), req.GetReason(), event.Cancel)
}

// EvaluateEvent implements EventService.
func (s *Server) EvaluateEvent(ctx context.Context, req *eventsfairsv1.EvaluateEventRequest) (*eventsfairsv1.Event, error) {
	n, err := resource.ParseName(req.GetName(), event.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.EvaluateEvent(ctx, n, grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return eventPB(out), nil
}

package grpcport

import (
	"context"
	"strings"

	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/protomap"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/event"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/nested"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/registration"
)

// CreateRegistration implements RegistrationService.
func (s *Server) CreateRegistration(ctx context.Context, req *eventsfairsv1.CreateRegistrationRequest) (*eventsfairsv1.Registration, error) {
	parent, err := eventName(req.GetParent(), "parent")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	p := req.GetRegistration()
	r := &registration.Registration{DisplayName: p.GetDisplayName(), Participant: p.GetParticipant(), Contact: protomap.ContactOf(p.GetContact())}
	out, err := s.app.CreateRegistration(ctx, parent, r, grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return registrationPB(out), nil
}

// GetRegistration implements RegistrationService.
func (s *Server) GetRegistration(ctx context.Context, req *eventsfairsv1.GetRegistrationRequest) (*eventsfairsv1.Registration, error) {
	n, err := nested.Parse(req.GetName(), event.Collection, registration.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	r, err := s.app.GetRegistration(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return registrationPB(r), nil
}

// ListRegistrations implements RegistrationService.
func (s *Server) ListRegistrations(ctx context.Context, req *eventsfairsv1.ListRegistrationsRequest) (*eventsfairsv1.ListRegistrationsResponse, error) {
	parent, err := eventName(req.GetParent(), "parent")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListRegistrations(ctx, parent, childQuery(req.GetPageSize(), req.GetPageToken(), req.GetFilter(), ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &eventsfairsv1.ListRegistrationsResponse{NextPageToken: page.NextPageToken}
	for _, r := range page.Items {
		resp.Registrations = append(resp.Registrations, registrationPB(r))
	}
	return resp, nil
}

// CancelRegistration implements RegistrationService.
func (s *Server) CancelRegistration(ctx context.Context, req *eventsfairsv1.CancelRegistrationRequest) (*eventsfairsv1.Registration, error) {
	n, err := nested.Parse(req.GetName(), event.Collection, registration.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.CancelRegistration(ctx, n, grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return registrationPB(out), nil
}

// CheckIn implements RegistrationService.
func (s *Server) CheckIn(ctx context.Context, req *eventsfairsv1.CheckInRequest) (*eventsfairsv1.Registration, error) {
	parent, err := eventName(req.GetParent(), "parent")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.CheckIn(ctx, parent, req.GetCode(), grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return registrationPB(out), nil
}

// GetAttendance implements RegistrationService.
func (s *Server) GetAttendance(ctx context.Context, req *eventsfairsv1.GetAttendanceRequest) (*eventsfairsv1.Attendance, error) {
	parent, err := eventName(strings.TrimSuffix(req.GetName(), "/attendance"), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	a, err := s.app.GetAttendance(ctx, parent)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return &eventsfairsv1.Attendance{
		Event:      a.Event.Name(),
		Capacity:   int32(a.Capacity),
		Registered: int32(a.Counts[registration.Registered]),
		Waitlisted: int32(a.Counts[registration.Waitlisted]),
		Cancelled:  int32(a.Counts[registration.Cancelled]),
		Attended:   int32(a.Counts[registration.Attended]),
	}, nil
}

package grpcport

import (
	"context"

	"github.com/hirfa/hirfa/pkg/fieldmask"
	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/protomap"
	"github.com/hirfa/hirfa/pkg/resource"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/app"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/generalassembly"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/nested"
)

func assemblyName(s, field string) (resource.Name, error) {
	return resource.ParseName(s, generalassembly.Collection, field)
}

func itemName(s string) (nested.Name, error) {
	return nested.Parse(s, generalassembly.Collection, generalassembly.ItemCollection, "name")
}

// CreateAssembly implements AssemblyService.
func (s *Server) CreateAssembly(ctx context.Context, req *eventsfairsv1.CreateAssemblyRequest) (*eventsfairsv1.Assembly, error) {
	chamber, err := resource.ParseParent(req.GetParent(), "parent", false)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	a := &generalassembly.Assembly{}
	assemblyFields(a, req.GetAssembly())
	out, err := s.app.CreateAssembly(ctx, chamber, a, grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return assemblyPB(out), nil
}

// GetAssembly implements AssemblyService.
func (s *Server) GetAssembly(ctx context.Context, req *eventsfairsv1.GetAssemblyRequest) (*eventsfairsv1.Assembly, error) {
	n, err := assemblyName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	a, err := s.app.GetAssembly(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return assemblyPB(a), nil
}

// ListAssemblies implements AssemblyService.
func (s *Server) ListAssemblies(ctx context.Context, req *eventsfairsv1.ListAssembliesRequest) (*eventsfairsv1.ListAssembliesResponse, error) {
	q, err := paging.ListQueryOf(req.GetParent(), req.GetPageSize(), req.GetPageToken(), req.GetFilter(), req.GetOrderBy())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListAssemblies(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &eventsfairsv1.ListAssembliesResponse{NextPageToken: page.NextPageToken}
	for _, a := range page.Items {
		resp.Assemblies = append(resp.Assemblies, assemblyPB(a))
	}
	return resp, nil
}

// UpdateAssembly implements AssemblyService.
func (s *Server) UpdateAssembly(ctx context.Context, req *eventsfairsv1.UpdateAssemblyRequest) (*eventsfairsv1.Assembly, error) {
	n, err := assemblyName(req.GetAssembly().GetName(), "assembly.name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.UpdateAssembly(ctx, n, grpcserver.Mutation(ctx, "", req.GetAssembly().GetEtag(), ""),
		fieldmask.Patch(req.GetAssembly(), req.GetUpdateMask(), assemblyUpdatable, "assembly", assemblyPB, assemblyFields))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return assemblyPB(out), nil
}

func (s *Server) changeAssembly(ctx context.Context, name string, act func(resource.Name) (*generalassembly.Assembly, error)) (*eventsfairsv1.Assembly, error) {
	n, err := assemblyName(name, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := act(n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return assemblyPB(out), nil
}

// RecordAttendance implements AssemblyService.
func (s *Server) RecordAttendance(ctx context.Context, req *eventsfairsv1.RecordAttendanceRequest) (*eventsfairsv1.Assembly, error) {
	m := grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), "")
	return s.changeAssembly(ctx, req.GetName(), func(n resource.Name) (*generalassembly.Assembly, error) {
		return s.app.ChangeAssembly(ctx, n, app.RecordAttendance(req.GetPresent(), req.GetAbsent()), m)
	})
}

// OpenSession implements AssemblyService.
func (s *Server) OpenSession(ctx context.Context, req *eventsfairsv1.OpenSessionRequest) (*eventsfairsv1.Assembly, error) {
	m := grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), "")
	return s.changeAssembly(ctx, req.GetName(), func(n resource.Name) (*generalassembly.Assembly, error) {
		return s.app.OpenSession(ctx, n, m)
	})
}

// ReconveneAssembly implements AssemblyService.
func (s *Server) ReconveneAssembly(ctx context.Context, req *eventsfairsv1.ReconveneAssemblyRequest) (*eventsfairsv1.Assembly, error) {
	m := grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), "")
	return s.changeAssembly(ctx, req.GetName(), func(n resource.Name) (*generalassembly.Assembly, error) {
		return s.app.ChangeAssembly(ctx, n, app.Reconvene(resource.Date(req.GetDate())), m)
	})
}

// CloseAssembly implements AssemblyService.
func (s *Server) CloseAssembly(ctx context.Context, req *eventsfairsv1.CloseAssemblyRequest) (*eventsfairsv1.Assembly, error) {
	m := grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), "")
	return s.changeAssembly(ctx, req.GetName(), func(n resource.Name) (*generalassembly.Assembly, error) {
		return s.app.CloseAssembly(ctx, n, m)
	})
}

// CancelAssembly implements AssemblyService.
func (s *Server) CancelAssembly(ctx context.Context, req *eventsfairsv1.CancelAssemblyRequest) (*eventsfairsv1.Assembly, error) {
	m := grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), req.GetReason())
	return s.changeAssembly(ctx, req.GetName(), func(n resource.Name) (*generalassembly.Assembly, error) {
		return s.app.ChangeAssembly(ctx, n, app.CancelAssembly(req.GetReason()), m)
	})
}

// ExportMinutes implements AssemblyService.
func (s *Server) ExportMinutes(ctx context.Context, req *eventsfairsv1.ExportMinutesRequest) (*eventsfairsv1.Minutes, error) {
	n, err := assemblyName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	ar, fr, err := s.app.ExportMinutes(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return &eventsfairsv1.Minutes{Assembly: n.String(), Ar: ar, Fr: fr}, nil
}

// CreateAgendaItem implements AssemblyService.
func (s *Server) CreateAgendaItem(ctx context.Context, req *eventsfairsv1.CreateAgendaItemRequest) (*eventsfairsv1.AgendaItem, error) {
	parent, err := assemblyName(req.GetParent(), "parent")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	it := &generalassembly.Item{}
	itemFields(it, req.GetItem())
	out, err := s.app.CreateAgendaItem(ctx, parent, it, grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return itemPB(out), nil
}

// GetAgendaItem implements AssemblyService.
func (s *Server) GetAgendaItem(ctx context.Context, req *eventsfairsv1.GetAgendaItemRequest) (*eventsfairsv1.AgendaItem, error) {
	n, err := itemName(req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	it, err := s.app.GetAgendaItem(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return itemPB(it), nil
}

// ListAgendaItems implements AssemblyService.
func (s *Server) ListAgendaItems(ctx context.Context, req *eventsfairsv1.ListAgendaItemsRequest) (*eventsfairsv1.ListAgendaItemsResponse, error) {
	parent, err := assemblyName(req.GetParent(), "parent")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListAgendaItems(ctx, parent, childQuery(req.GetPageSize(), req.GetPageToken(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &eventsfairsv1.ListAgendaItemsResponse{NextPageToken: page.NextPageToken}
	for _, it := range page.Items {
		resp.Items = append(resp.Items, itemPB(it))
	}
	return resp, nil
}

// OpenVote implements AssemblyService.
func (s *Server) OpenVote(ctx context.Context, req *eventsfairsv1.OpenVoteRequest) (*eventsfairsv1.AgendaItem, error) {
	n, err := itemName(req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.OpenVote(ctx, n, grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return itemPB(out), nil
}

// CastVote implements AssemblyService.
func (s *Server) CastVote(ctx context.Context, req *eventsfairsv1.CastVoteRequest) (*eventsfairsv1.AgendaItem, error) {
	n, err := itemName(req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.CastVote(ctx, n, req.GetMember(), choiceOf(req.GetChoice()), grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return itemPB(out), nil
}

// CloseVote implements AssemblyService.
func (s *Server) CloseVote(ctx context.Context, req *eventsfairsv1.CloseVoteRequest) (*eventsfairsv1.AgendaItem, error) {
	n, err := itemName(req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.CloseVote(ctx, n, protomap.Localized(req.GetResolution()), grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return itemPB(out), nil
}

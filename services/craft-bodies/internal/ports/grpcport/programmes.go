package grpcport

import (
	"context"

	"github.com/hirfa/hirfa/pkg/fieldmask"
	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	cbv1 "github.com/hirfa/hirfa/proto/gen/hirfa/craftbodies/v1"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/programme"
)

// CreateProgramme implements ProgrammeService.
func (s *Server) CreateProgramme(ctx context.Context, req *cbv1.CreateProgrammeRequest) (*cbv1.Programme, error) {
	chamber, err := resource.ParseParent(req.GetParent(), "parent", false)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	p := &programme.Programme{}
	programmeFields(p, req.GetProgramme())
	out, err := s.app.CreateProgramme(ctx, chamber, p, grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return programmePB(out), nil
}

// GetProgramme implements ProgrammeService.
func (s *Server) GetProgramme(ctx context.Context, req *cbv1.GetProgrammeRequest) (*cbv1.Programme, error) {
	n, err := resource.ParseName(req.GetName(), programme.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	p, err := s.app.GetProgramme(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return programmePB(p), nil
}

// ListProgrammes implements ProgrammeService.
func (s *Server) ListProgrammes(ctx context.Context, req *cbv1.ListProgrammesRequest) (*cbv1.ListProgrammesResponse, error) {
	q, err := paging.ListQueryOf(req.GetParent(), req.GetPageSize(), req.GetPageToken(), "", "")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	pg, err := s.app.ListProgrammes(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &cbv1.ListProgrammesResponse{NextPageToken: pg.NextPageToken}
	for _, p := range pg.Items {
		resp.Programmes = append(resp.Programmes, programmePB(p))
	}
	return resp, nil
}

// UpdateProgramme implements ProgrammeService.
func (s *Server) UpdateProgramme(ctx context.Context, req *cbv1.UpdateProgrammeRequest) (*cbv1.Programme, error) {
	n, err := resource.ParseName(req.GetProgramme().GetName(), programme.Collection, "programme.name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.UpdateProgramme(ctx, n, grpcserver.Mutation(ctx, "", req.GetProgramme().GetEtag(), ""),
		fieldmask.Patch(req.GetProgramme(), req.GetUpdateMask(), programmeUpdatable, "programme", programmePB, programmeFields))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return programmePB(out), nil
}

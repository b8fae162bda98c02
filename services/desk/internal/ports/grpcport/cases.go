package grpcport

import (
	"context"

	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/protomap"
	"github.com/hirfa/hirfa/pkg/resource"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	"github.com/hirfa/hirfa/services/desk/internal/domain/mediation"
)

func caseName(s, field string) (resource.Name, error) {
	return resource.ParseName(s, mediation.Collection, field)
}

// CreateMediationCase implements MediationCaseService.
func (s *Server) CreateMediationCase(ctx context.Context, req *deskv1.CreateMediationCaseRequest) (*deskv1.MediationCase, error) {
	chamber, err := resource.ParseParent(req.GetParent(), "parent", false)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.CreateCase(ctx, chamber, caseFields(req.GetMediationCase()), grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return MediationCasePB(out), nil
}

// GetMediationCase implements MediationCaseService.
func (s *Server) GetMediationCase(ctx context.Context, req *deskv1.GetMediationCaseRequest) (*deskv1.MediationCase, error) {
	n, err := caseName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	c, err := s.app.GetCase(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return MediationCasePB(c), nil
}

// ListMediationCases implements MediationCaseService.
func (s *Server) ListMediationCases(ctx context.Context, req *deskv1.ListMediationCasesRequest) (*deskv1.ListMediationCasesResponse, error) {
	q, err := paging.ListQueryOf(req.GetParent(), req.GetPageSize(), req.GetPageToken(), req.GetFilter(), req.GetOrderBy())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListCases(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &deskv1.ListMediationCasesResponse{NextPageToken: page.NextPageToken}
	for _, c := range page.Items {
		resp.MediationCases = append(resp.MediationCases, MediationCasePB(c))
	}
	return resp, nil
}

// AddMediationSession implements MediationCaseService.
func (s *Server) AddMediationSession(ctx context.Context, req *deskv1.AddMediationSessionRequest) (*deskv1.MediationCase, error) {
	n, err := caseName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.AddSession(ctx, n, grpcserver.Mutation(ctx, "", req.GetEtag(), ""), sessionOf(req.GetSession()))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return MediationCasePB(out), nil
}

// CloseMediationCase implements MediationCaseService.
func (s *Server) CloseMediationCase(ctx context.Context, req *deskv1.CloseMediationCaseRequest) (*deskv1.MediationCase, error) {
	n, err := caseName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.CloseCase(ctx, n, grpcserver.Mutation(ctx, "", req.GetEtag(), ""),
		mediation.Outcome(protomap.EnumName(req.GetOutcome().String())), req.GetOutcomeText())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return MediationCasePB(out), nil
}

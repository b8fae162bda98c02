package grpcport

import (
	"context"

	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/protomap"
	"github.com/hirfa/hirfa/pkg/resource"
	cbv1 "github.com/hirfa/hirfa/proto/gen/hirfa/craftbodies/v1"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/app"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/awareness"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/progress"
)

// CreateCraftBody implements CraftBodyService.
func (s *Server) CreateCraftBody(ctx context.Context, req *cbv1.CreateCraftBodyRequest) (*cbv1.CraftBody, error) {
	chamber, err := resource.ParseParent(req.GetParent(), "parent", false)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.CreateCraftBody(ctx, chamber, bodyOf(req.GetCraftBody()), grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return bodyPB(out), nil
}

// GetCraftBody implements CraftBodyService.
func (s *Server) GetCraftBody(ctx context.Context, req *cbv1.GetCraftBodyRequest) (*cbv1.CraftBody, error) {
	n, err := bodyName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	b, err := s.app.GetCraftBody(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return bodyPB(b), nil
}

// ListCraftBodies implements CraftBodyService.
func (s *Server) ListCraftBodies(ctx context.Context, req *cbv1.ListCraftBodiesRequest) (*cbv1.ListCraftBodiesResponse, error) {
	q, err := paging.ListQueryOf(req.GetParent(), req.GetPageSize(), req.GetPageToken(), req.GetFilter(), req.GetOrderBy())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	pg, err := s.app.ListCraftBodies(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &cbv1.ListCraftBodiesResponse{NextPageToken: pg.NextPageToken}
	for _, b := range pg.Items {
		resp.CraftBodies = append(resp.CraftBodies, bodyPB(b))
	}
	return resp, nil
}

// move runs one body transition named by its request.
func (s *Server) move(ctx context.Context, name, etag, requestID string, fn func(context.Context, resource.Name, app.Mutation) (*craftbody.Body, error)) (*cbv1.CraftBody, error) {
	n, err := bodyName(name, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	b, err := fn(ctx, n, grpcserver.Mutation(ctx, requestID, etag, ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return bodyPB(b), nil
}

// StartAwareness implements CraftBodyService.
func (s *Server) StartAwareness(ctx context.Context, req *cbv1.StartAwarenessRequest) (*cbv1.CraftBody, error) {
	return s.move(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), s.app.StartAwareness)
}

// FormCommittee implements CraftBodyService.
func (s *Server) FormCommittee(ctx context.Context, req *cbv1.FormCommitteeRequest) (*cbv1.CraftBody, error) {
	c := committeeOf(req.GetCommittee())
	return s.move(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), func(ctx context.Context, n resource.Name, m app.Mutation) (*craftbody.Body, error) {
		return s.app.FormCommittee(ctx, n, c, m)
	})
}

// ActivateCraftBody implements CraftBodyService.
func (s *Server) ActivateCraftBody(ctx context.Context, req *cbv1.ActivateCraftBodyRequest) (*cbv1.CraftBody, error) {
	return s.move(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), s.app.ActivateCraftBody)
}

// DissolveCraftBody implements CraftBodyService.
func (s *Server) DissolveCraftBody(ctx context.Context, req *cbv1.DissolveCraftBodyRequest) (*cbv1.CraftBody, error) {
	n, err := bodyName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	b, err := s.app.DissolveCraftBody(ctx, n, grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), req.GetReason()))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return bodyPB(b), nil
}

// TakeCensus implements CraftBodyService.
func (s *Server) TakeCensus(ctx context.Context, req *cbv1.TakeCensusRequest) (*cbv1.Census, error) {
	n, err := bodyName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	snap, _, err := s.app.TakeCensus(ctx, n, grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return censusPB(snap), nil
}

// GetCensus implements CraftBodyService.
func (s *Server) GetCensus(ctx context.Context, req *cbv1.GetCensusRequest) (*cbv1.Census, error) {
	n, err := nestedName(req.GetName(), "census", "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	snap, err := s.app.GetCensus(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return censusPB(snap), nil
}

// ListCensusMembers implements CraftBodyService.
func (s *Server) ListCensusMembers(ctx context.Context, req *cbv1.ListCensusMembersRequest) (*cbv1.ListCensusMembersResponse, error) {
	n, err := nestedName(req.GetParent(), "census", "parent")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	members, next, err := s.app.ListCensusMembers(ctx, n, int(req.GetPageSize()), req.GetPageToken())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &cbv1.ListCensusMembersResponse{NextPageToken: next}
	for _, m := range members {
		resp.Members = append(resp.Members, censusMemberPB(m))
	}
	return resp, nil
}

// CreateAwarenessMeeting implements CraftBodyService.
func (s *Server) CreateAwarenessMeeting(ctx context.Context, req *cbv1.CreateAwarenessMeetingRequest) (*cbv1.AwarenessMeeting, error) {
	n, err := bodyName(req.GetParent(), "parent")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	mt, err := s.app.CreateAwarenessMeeting(ctx, n, meetingOf(req.GetAwarenessMeeting()), grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return meetingPB(mt, 0), nil
}

// GetAwarenessMeeting implements CraftBodyService.
func (s *Server) GetAwarenessMeeting(ctx context.Context, req *cbv1.GetAwarenessMeetingRequest) (*cbv1.AwarenessMeeting, error) {
	n, id, err := childName(req.GetName(), awareness.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	mt, attended, err := s.app.GetAwarenessMeeting(ctx, n, id)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return meetingPB(mt, attended), nil
}

// ListAwarenessMeetings implements CraftBodyService. Attendance is read from
// events-and-fairs by GetAwarenessMeeting only, so a list costs no call per
// meeting; listed meetings carry attended = 0.
func (s *Server) ListAwarenessMeetings(ctx context.Context, req *cbv1.ListAwarenessMeetingsRequest) (*cbv1.ListAwarenessMeetingsResponse, error) {
	n, err := bodyName(req.GetParent(), "parent")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	pg, err := s.app.ListAwarenessMeetings(ctx, n, page(req.GetPageSize(), req.GetPageToken()))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &cbv1.ListAwarenessMeetingsResponse{NextPageToken: pg.NextPageToken}
	for _, m := range pg.Items {
		resp.AwarenessMeetings = append(resp.AwarenessMeetings, meetingPB(m, 0))
	}
	return resp, nil
}

// GetCraftBodyProgress implements CraftBodyService.
func (s *Server) GetCraftBodyProgress(ctx context.Context, req *cbv1.GetCraftBodyProgressRequest) (*cbv1.CraftBodyProgress, error) {
	scope, err := resource.ParseParent(req.GetScope(), "scope", true)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	g := progress.GroupBy(protomap.EnumName(req.GetGroupBy().String()))
	if g == "" {
		g = progress.ByStage
	}
	r, err := s.app.GetProgress(ctx, scope, g, craftbody.Level(protomap.EnumName(req.GetLevel().String())), resource.Date(req.GetAsOf()))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return progressPB(req.GetScope(), r), nil
}

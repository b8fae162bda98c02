package grpcport

import (
	"context"
	"strings"

	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/hirfa/hirfa/pkg/fieldmask"
	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/resource"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/event"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/fair"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/nested"
)

func eventName(s, field string) (resource.Name, error) {
	return resource.ParseName(s, event.Collection, field)
}

// CreateBooth implements FairService.
func (s *Server) CreateBooth(ctx context.Context, req *eventsfairsv1.CreateBoothRequest) (*eventsfairsv1.Booth, error) {
	parent, err := eventName(req.GetParent(), "parent")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	b := &fair.Booth{}
	boothFields(b, req.GetBooth())
	out, err := s.app.CreateBooth(ctx, parent, b, grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return boothPB(out), nil
}

// GetBooth implements FairService.
func (s *Server) GetBooth(ctx context.Context, req *eventsfairsv1.GetBoothRequest) (*eventsfairsv1.Booth, error) {
	n, err := nested.Parse(req.GetName(), event.Collection, fair.BoothCollection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	b, err := s.app.GetBooth(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return boothPB(b), nil
}

// ListBooths implements FairService.
func (s *Server) ListBooths(ctx context.Context, req *eventsfairsv1.ListBoothsRequest) (*eventsfairsv1.ListBoothsResponse, error) {
	parent, err := eventName(req.GetParent(), "parent")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListBooths(ctx, parent, childQuery(req.GetPageSize(), req.GetPageToken(), req.GetFilter(), req.GetOrderBy()))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &eventsfairsv1.ListBoothsResponse{NextPageToken: page.NextPageToken}
	for _, b := range page.Items {
		resp.Booths = append(resp.Booths, boothPB(b))
	}
	return resp, nil
}

// UpdateBooth implements FairService.
func (s *Server) UpdateBooth(ctx context.Context, req *eventsfairsv1.UpdateBoothRequest) (*eventsfairsv1.Booth, error) {
	n, err := nested.Parse(req.GetBooth().GetName(), event.Collection, fair.BoothCollection, "booth.name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.UpdateBooth(ctx, n, grpcserver.Mutation(ctx, "", req.GetBooth().GetEtag(), ""),
		fieldmask.Patch(req.GetBooth(), req.GetUpdateMask(), boothUpdatable, "booth", boothPB, boothFields))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return boothPB(out), nil
}

// DeleteBooth implements FairService.
func (s *Server) DeleteBooth(ctx context.Context, req *eventsfairsv1.DeleteBoothRequest) (*emptypb.Empty, error) {
	n, err := nested.Parse(req.GetName(), event.Collection, fair.BoothCollection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if err := s.app.DeleteBooth(ctx, n, grpcserver.Mutation(ctx, "", req.GetEtag(), "")); err != nil {
		return nil, s.err(ctx, err)
	}
	return &emptypb.Empty{}, nil
}

// CreateExhibitor implements FairService.
func (s *Server) CreateExhibitor(ctx context.Context, req *eventsfairsv1.CreateExhibitorRequest) (*eventsfairsv1.Exhibitor, error) {
	parent, err := eventName(req.GetParent(), "parent")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	x := &fair.Exhibitor{Applicant: req.GetExhibitor().GetApplicant(), Rural: req.GetExhibitor().GetRural(), Products: req.GetExhibitor().GetProducts()}
	out, err := s.app.CreateExhibitor(ctx, parent, x, grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return exhibitorPB(out), nil
}

// GetExhibitor implements FairService.
func (s *Server) GetExhibitor(ctx context.Context, req *eventsfairsv1.GetExhibitorRequest) (*eventsfairsv1.Exhibitor, error) {
	n, err := nested.Parse(req.GetName(), event.Collection, fair.ExhibitorCollection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	x, err := s.app.GetExhibitor(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return exhibitorPB(x), nil
}

// ListExhibitors implements FairService.
func (s *Server) ListExhibitors(ctx context.Context, req *eventsfairsv1.ListExhibitorsRequest) (*eventsfairsv1.ListExhibitorsResponse, error) {
	parent, err := eventName(req.GetParent(), "parent")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListExhibitors(ctx, parent, childQuery(req.GetPageSize(), req.GetPageToken(), req.GetFilter(), req.GetOrderBy()))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &eventsfairsv1.ListExhibitorsResponse{NextPageToken: page.NextPageToken}
	for _, x := range page.Items {
		resp.Exhibitors = append(resp.Exhibitors, exhibitorPB(x))
	}
	return resp, nil
}

func (s *Server) selectExhibitor(ctx context.Context, name, etag, requestID, reason string, action fair.Action) (*eventsfairsv1.Exhibitor, error) {
	n, err := nested.Parse(name, event.Collection, fair.ExhibitorCollection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.SelectExhibitor(ctx, n, action, grpcserver.Mutation(ctx, requestID, etag, reason))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return exhibitorPB(out), nil
}

// AcceptExhibitor implements FairService.
func (s *Server) AcceptExhibitor(ctx context.Context, req *eventsfairsv1.AcceptExhibitorRequest) (*eventsfairsv1.Exhibitor, error) {
	return s.selectExhibitor(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), "", fair.Accept)
}

// RejectExhibitor implements FairService.
func (s *Server) RejectExhibitor(ctx context.Context, req *eventsfairsv1.RejectExhibitorRequest) (*eventsfairsv1.Exhibitor, error) {
	return s.selectExhibitor(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), req.GetReason(), fair.Reject)
}

// WaitlistExhibitor implements FairService.
func (s *Server) WaitlistExhibitor(ctx context.Context, req *eventsfairsv1.WaitlistExhibitorRequest) (*eventsfairsv1.Exhibitor, error) {
	return s.selectExhibitor(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), "", fair.Waitlist)
}

// WithdrawExhibitor implements FairService.
func (s *Server) WithdrawExhibitor(ctx context.Context, req *eventsfairsv1.WithdrawExhibitorRequest) (*eventsfairsv1.Exhibitor, error) {
	return s.selectExhibitor(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), req.GetReason(), fair.Withdraw)
}

// AllocateBooth implements FairService.
func (s *Server) AllocateBooth(ctx context.Context, req *eventsfairsv1.AllocateBoothRequest) (*eventsfairsv1.Exhibitor, error) {
	n, err := nested.Parse(req.GetName(), event.Collection, fair.ExhibitorCollection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	b, err := nested.Parse(req.GetBooth(), event.Collection, fair.BoothCollection, "booth")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.AllocateBooth(ctx, n, b, grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return exhibitorPB(out), nil
}

// DeclareSales implements FairService.
func (s *Server) DeclareSales(ctx context.Context, req *eventsfairsv1.DeclareSalesRequest) (*eventsfairsv1.Exhibitor, error) {
	n, err := nested.Parse(req.GetName(), event.Collection, fair.ExhibitorCollection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.DeclareSales(ctx, n, req.GetSalesCentimes(), grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return exhibitorPB(out), nil
}

// RecordVisitorCount implements FairService.
func (s *Server) RecordVisitorCount(ctx context.Context, req *eventsfairsv1.RecordVisitorCountRequest) (*eventsfairsv1.VisitorCount, error) {
	parent, err := eventName(req.GetParent(), "parent")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	v := &fair.VisitorCount{Date: resource.Date(req.GetVisitorCount().GetDate()), Visitors: req.GetVisitorCount().GetVisitors()}
	out, err := s.app.RecordVisitorCount(ctx, parent, v, grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return visitorCountPB(out), nil
}

// ListVisitorCounts implements FairService.
func (s *Server) ListVisitorCounts(ctx context.Context, req *eventsfairsv1.ListVisitorCountsRequest) (*eventsfairsv1.ListVisitorCountsResponse, error) {
	parent, err := eventName(req.GetParent(), "parent")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListVisitorCounts(ctx, parent, childQuery(req.GetPageSize(), req.GetPageToken(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &eventsfairsv1.ListVisitorCountsResponse{NextPageToken: page.NextPageToken}
	for _, v := range page.Items {
		resp.VisitorCounts = append(resp.VisitorCounts, visitorCountPB(v))
	}
	return resp, nil
}

// GetFairEvaluation implements FairService.
func (s *Server) GetFairEvaluation(ctx context.Context, req *eventsfairsv1.GetFairEvaluationRequest) (*eventsfairsv1.FairEvaluation, error) {
	n, err := eventName(strings.TrimSuffix(req.GetName(), "/evaluation"), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	f, err := s.app.GetFairEvaluation(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return fairEvaluationPB(f), nil
}

// EvaluateFairs implements FairService.
func (s *Server) EvaluateFairs(ctx context.Context, req *eventsfairsv1.EvaluateFairsRequest) (*eventsfairsv1.EvaluateFairsResponse, error) {
	chamber, err := resource.ParseParent(req.GetParent(), "parent", true)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	p, err := s.app.EvaluateFairs(ctx, chamber, resource.Date(req.GetStartDate()), resource.Date(req.GetEndDate()))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &eventsfairsv1.EvaluateFairsResponse{
		Parent: "chambers/" + p.Chamber, StartDate: string(p.From), EndDate: string(p.To),
		Fairs: int32(p.Fairs), EvaluatedFairs: int32(p.EvaluatedFairs), DistinctExhibitors: int32(p.DistinctExhibitors),
		Totals: evaluationPB(p.Totals),
	}
	for _, f := range p.PerFair {
		resp.PerFair = append(resp.PerFair, fairEvaluationPB(f))
	}
	return resp, nil
}

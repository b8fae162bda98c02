package grpcport

import (
	"context"
	"regexp"

	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/fieldmask"
	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	reportingv1 "github.com/hirfa/hirfa/proto/gen/hirfa/reporting/v1"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/target"
)

// targetNameRe: a target's id is {province}-{year}, with the hyphens of
// province ids, which resource.ParseName's generated ids do not have.
var targetNameRe = regexp.MustCompile(`^chambers/([a-z0-9-]+)/registrationTargets/([a-z0-9-]{1,80})$`)

func targetName(s, field string) (resource.Name, error) {
	m := targetNameRe.FindStringSubmatch(s)
	if m == nil {
		return resource.Name{}, fault.Invalid(field, "target_name.format", "must be chambers/{chamber}/registrationTargets/{province}-{year}, got %q", s)
	}
	return resource.Name{Chamber: m[1], Collection: target.Collection, ID: m[2]}, nil
}

func targetPB(t *target.Target) *reportingv1.RegistrationTarget {
	return &reportingv1.RegistrationTarget{
		Name: t.Name(), Province: t.Province, Year: int32(t.Year), Artisans: t.Artisans,
		CreateTime: timestamppb.New(t.CreateTime), UpdateTime: timestamppb.New(t.UpdateTime), Etag: t.Etag(),
	}
}

// targetFields copies the writable fields of a message onto a target.
func targetFields(t *target.Target, p *reportingv1.RegistrationTarget) {
	t.Province, t.Year, t.Artisans = p.GetProvince(), int(p.GetYear()), p.GetArtisans()
}

var targetUpdatable = []string{"artisans"}

// GetRegistrationTarget implements TargetService.
func (s *Server) GetRegistrationTarget(ctx context.Context, req *reportingv1.GetRegistrationTargetRequest) (*reportingv1.RegistrationTarget, error) {
	n, err := targetName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	t, err := s.app.GetTarget(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return targetPB(t), nil
}

// ListRegistrationTargets implements TargetService.
func (s *Server) ListRegistrationTargets(ctx context.Context, req *reportingv1.ListRegistrationTargetsRequest) (*reportingv1.ListRegistrationTargetsResponse, error) {
	q, err := paging.ListQueryOf(req.GetParent(), req.GetPageSize(), req.GetPageToken(), req.GetFilter(), "")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListTargets(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out := &reportingv1.ListRegistrationTargetsResponse{NextPageToken: page.NextPageToken}
	for _, t := range page.Items {
		out.RegistrationTargets = append(out.RegistrationTargets, targetPB(t))
	}
	return out, nil
}

// CreateRegistrationTarget implements TargetService.
func (s *Server) CreateRegistrationTarget(ctx context.Context, req *reportingv1.CreateRegistrationTargetRequest) (*reportingv1.RegistrationTarget, error) {
	chamber, err := resource.ParseParent(req.GetParent(), "parent", false)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	t := &target.Target{}
	targetFields(t, req.GetRegistrationTarget())
	out, err := s.app.CreateTarget(ctx, chamber, t, grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return targetPB(out), nil
}

// UpdateRegistrationTarget implements TargetService.
func (s *Server) UpdateRegistrationTarget(ctx context.Context, req *reportingv1.UpdateRegistrationTargetRequest) (*reportingv1.RegistrationTarget, error) {
	n, err := targetName(req.GetRegistrationTarget().GetName(), "registration_target.name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.UpdateTarget(ctx, n, grpcserver.Mutation(ctx, "", req.GetRegistrationTarget().GetEtag(), ""),
		fieldmask.Patch(req.GetRegistrationTarget(), req.GetUpdateMask(), targetUpdatable, "registration_target", targetPB, targetFields))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return targetPB(out), nil
}

// DeleteRegistrationTarget implements TargetService.
func (s *Server) DeleteRegistrationTarget(ctx context.Context, req *reportingv1.DeleteRegistrationTargetRequest) (*emptypb.Empty, error) {
	n, err := targetName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if err := s.app.DeleteTarget(ctx, n, grpcserver.Mutation(ctx, "", req.GetEtag(), "")); err != nil {
		return nil, s.err(ctx, err)
	}
	return &emptypb.Empty{}, nil
}

// GetTargetAchievements implements TargetService.
func (s *Server) GetTargetAchievements(ctx context.Context, req *reportingv1.GetTargetAchievementsRequest) (*reportingv1.TargetAchievements, error) {
	chamber, err := scope(req.GetScope(), "scope")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	a, err := s.app.Achievements(ctx, chamber, int(req.GetYear()))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out := &reportingv1.TargetAchievements{Scope: req.GetScope(), Year: req.GetYear(), Total: achievementPB(a.Total)}
	for _, p := range a.Provinces {
		out.Provinces = append(out.Provinces, achievementPB(p))
	}
	for _, r := range a.Regions {
		out.Regions = append(out.Regions, achievementPB(r))
	}
	return out, nil
}

func achievementPB(a target.Achievement) *reportingv1.Achievement {
	return &reportingv1.Achievement{Level: a.Level, Area: a.Area, Region: a.Region, Target: a.Target, Achieved: a.Achieved, Percent: a.Percent()}
}

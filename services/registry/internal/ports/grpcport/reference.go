package grpcport

import (
	"context"
	"strings"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/fieldmask"
	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/protomap"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/territory"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/registry/internal/domain/activity"
)

// ListRegions implements ReferenceService.
func (s *Server) ListRegions(ctx context.Context, _ *registryv1.ListRegionsRequest) (*registryv1.ListRegionsResponse, error) {
	resp := &registryv1.ListRegionsResponse{}
	for _, r := range s.app.Territory().Regions {
		resp.Regions = append(resp.Regions, &registryv1.Region{Name: "regions/" + r.ID, Code: r.Code, DisplayName: protomap.Text(r.Name)})
	}
	return resp, nil
}

// ListProvinces implements ReferenceService.
func (s *Server) ListProvinces(ctx context.Context, req *registryv1.ListProvincesRequest) (*registryv1.ListProvincesResponse, error) {
	region, ok := strings.CutPrefix(req.GetParent(), "regions/")
	t := s.app.Territory()
	if !ok || (region != resource.Wildcard && !t.RegionExists(region)) {
		return nil, s.err(ctx, fault.NotFound(req.GetParent()))
	}
	resp := &registryv1.ListProvincesResponse{}
	for _, p := range t.ProvincesOf(region) {
		kind := registryv1.Province_PROVINCE
		if p.Prefecture {
			kind = registryv1.Province_PREFECTURE
		}
		resp.Provinces = append(resp.Provinces, &registryv1.Province{
			Name: "regions/" + p.RegionID + "/provinces/" + p.ID, ProvinceId: p.ID, DisplayName: protomap.Text(p.Name), Kind: kind,
		})
	}
	return resp, nil
}

func chamberPB(c territory.Chamber) *registryv1.Chamber {
	out := &registryv1.Chamber{Name: "chambers/" + c.ID, DisplayName: protomap.Text(c.Name), Kind: registryv1.Chamber_REGIONAL}
	if c.RegionID == "" {
		out.Kind = registryv1.Chamber_FEDERATION
	} else {
		out.Region = "regions/" + c.RegionID
	}
	return out
}

// ListChambers implements ReferenceService.
func (s *Server) ListChambers(ctx context.Context, _ *registryv1.ListChambersRequest) (*registryv1.ListChambersResponse, error) {
	resp := &registryv1.ListChambersResponse{}
	for _, c := range s.app.Territory().Chambers {
		resp.Chambers = append(resp.Chambers, chamberPB(c))
	}
	return resp, nil
}

// GetChamber implements ReferenceService.
func (s *Server) GetChamber(ctx context.Context, req *registryv1.GetChamberRequest) (*registryv1.Chamber, error) {
	c, ok := s.app.Territory().Chamber(strings.TrimPrefix(req.GetName(), "chambers/"))
	if !ok {
		return nil, s.err(ctx, fault.NotFound(req.GetName()))
	}
	return chamberPB(c), nil
}

// ListActivities implements ReferenceService.
func (s *Server) ListActivities(ctx context.Context, req *registryv1.ListActivitiesRequest) (*registryv1.ListActivitiesResponse, error) {
	page, err := s.app.ListActivities(ctx, paging.ListQuery{PageSize: int(req.GetPageSize()), PageToken: req.GetPageToken(), Filter: req.GetFilter()})
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &registryv1.ListActivitiesResponse{NextPageToken: page.NextPageToken}
	for _, a := range page.Items {
		resp.Activities = append(resp.Activities, activityPB(a))
	}
	return resp, nil
}

// GetActivity implements ReferenceService.
func (s *Server) GetActivity(ctx context.Context, req *registryv1.GetActivityRequest) (*registryv1.Activity, error) {
	a, err := s.app.GetActivity(ctx, strings.TrimPrefix(req.GetName(), "activities/"))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return activityPB(a), nil
}

// CreateActivity implements ReferenceService.
func (s *Server) CreateActivity(ctx context.Context, req *registryv1.CreateActivityRequest) (*registryv1.Activity, error) {
	a := &activity.Activity{}
	a.ID = req.GetActivity().GetCode()
	activityFields(a, req.GetActivity())
	out, err := s.app.CreateActivity(ctx, a, grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return activityPB(out), nil
}

// UpdateActivity implements ReferenceService.
func (s *Server) UpdateActivity(ctx context.Context, req *registryv1.UpdateActivityRequest) (*registryv1.Activity, error) {
	code, ok := strings.CutPrefix(req.GetActivity().GetName(), "activities/")
	if !ok || code == "" {
		return nil, s.err(ctx, fault.Invalid("activity.name", fault.RuleResourceName, "must be activities/{code}"))
	}
	out, err := s.app.UpdateActivity(ctx, code, req.GetActivity().GetEtag(), grpcserver.Mutation(ctx, "", "", ""),
		fieldmask.Patch(req.GetActivity(), req.GetUpdateMask(), activityUpdatable, "activity", activityPB, activityFields))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return activityPB(out), nil
}

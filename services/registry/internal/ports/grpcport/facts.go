package grpcport

import (
	"context"

	"github.com/hirfa/hirfa/pkg/protomap"
	"github.com/hirfa/hirfa/pkg/resource"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
)

// factsDefaultPageSize is larger than the lists' default: a census reads
// every page of a craft in a province.
const factsDefaultPageSize = 100

// ListRegistrantFacts implements RegistrantService: artisans by activity and
// province, registration facts only (no CNIE, no contact, no birth date).
func (s *Server) ListRegistrantFacts(ctx context.Context, req *registryv1.ListRegistrantFactsRequest) (*registryv1.ListRegistrantFactsResponse, error) {
	chamber, err := resource.ParseParent(req.GetParent(), "parent", true)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	q := app.FactsQuery{
		Chamber: chamber, Activity: req.GetActivity(), Province: req.GetProvince(),
		PageSize: int(req.GetPageSize()), PageToken: req.GetPageToken(),
	}
	if q.PageSize == 0 {
		q.PageSize = factsDefaultPageSize
	}
	for _, st := range req.GetStates() {
		q.States = append(q.States, artisan.State(protomap.EnumName(st.String())))
	}
	page, err := s.app.ListRegistrantFacts(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &registryv1.ListRegistrantFactsResponse{NextPageToken: page.NextPageToken}
	for _, a := range page.Items {
		resp.Facts = append(resp.Facts, factPB(a))
	}
	return resp, nil
}

// factPB keeps the registration facts of an artisan and nothing personal
// beyond the name the register shows.
func factPB(a *artisan.Artisan) *registryv1.RegistrantFact {
	f := &registryv1.RegistrantFact{
		Name:     a.Name(),
		Nia:      a.NIA,
		State:    registryv1.Artisan_State(registryv1.Artisan_State_value[string(a.State)]),
		Category: registryv1.Artisan_Category(registryv1.Artisan_Category_value[string(a.Category)]),
		Activity: a.Activity,
		Province: a.Province,
		DisplayName: &typev1.LocalizedText{
			Ar: joinName(a.GivenNameAR, a.FamilyNameAR),
			Fr: joinName(a.GivenNameLatin, a.FamilyNameLatin),
		},
	}
	if a.RegisterTime != nil {
		f.RegisterTime = protomap.Timestamp(*a.RegisterTime)
	}
	return f
}

func joinName(given, family string) string {
	switch {
	case given == "":
		return family
	case family == "":
		return given
	}
	return given + " " + family
}

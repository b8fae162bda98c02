package grpcport

import (
	"context"

	"google.golang.org/genproto/googleapis/api/httpbody"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/protomap"
	"github.com/hirfa/hirfa/pkg/render"
	reportingv1 "github.com/hirfa/hirfa/proto/gen/hirfa/reporting/v1"
	"github.com/hirfa/hirfa/services/reporting/internal/app"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/vitality"
)

// ListOrganisationStandings implements InventoryService.
func (s *Server) ListOrganisationStandings(ctx context.Context, req *reportingv1.ListOrganisationStandingsRequest) (*reportingv1.ListOrganisationStandingsResponse, error) {
	q, err := inventoryQuery(req.GetParent(), "parent", req.GetRegistrantType(), req.GetStanding())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	q.PageSize, q.PageToken = int(req.GetPageSize()), req.GetPageToken()
	page, err := s.app.ListInventory(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out := &reportingv1.ListOrganisationStandingsResponse{NextPageToken: page.NextPageToken, TotalSize: int32(page.TotalSize)}
	for _, it := range page.Items {
		out.OrganisationStandings = append(out.OrganisationStandings, standingPB(it))
	}
	return out, nil
}

// DownloadInventory implements InventoryService.
func (s *Server) DownloadInventory(ctx context.Context, req *reportingv1.DownloadInventoryRequest) (*httpbody.HttpBody, error) {
	q, err := inventoryQuery(req.GetScope(), "scope", req.GetRegistrantType(), req.GetStanding())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	d, err := s.app.InventoryDownload(ctx, q, render.Language(req.GetLanguage()), formatOf(req.GetFormat()))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return s.body(ctx, d), nil
}

func inventoryQuery(parent, field string, t reportingv1.RegistrantType, st reportingv1.OrganisationStanding_Standing) (app.InventoryQuery, error) {
	chamber, err := scope(parent, field)
	if err != nil {
		return app.InventoryQuery{}, err
	}
	q := app.InventoryQuery{Chamber: chamber}
	switch t {
	case reportingv1.RegistrantType_REGISTRANT_TYPE_UNSPECIFIED:
	case reportingv1.RegistrantType_ASSOCIATION:
		q.Type = vitality.Association
	case reportingv1.RegistrantType_COOPERATIVE:
		q.Type = vitality.Cooperative
	default:
		return q, fault.Invalid("registrant_type", "registrant_type.known", "must be one of %s, got %q", "ASSOCIATION, COOPERATIVE", t.String())
	}
	switch st {
	case reportingv1.OrganisationStanding_STANDING_UNSPECIFIED:
	case reportingv1.OrganisationStanding_ACTIVE, reportingv1.OrganisationStanding_STAGNANT, reportingv1.OrganisationStanding_UNKNOWN:
		q.Standing = vitality.Standing(st.String())
	default:
		return q, fault.Invalid("standing", "standing.known", "must be ACTIVE, STAGNANT or UNKNOWN, got %q", st.String())
	}
	return q, nil
}

func standingPB(it app.InventoryItem) *reportingv1.OrganisationStanding {
	out := &reportingv1.OrganisationStanding{
		Registrant:               it.Name(),
		RegistrantType:           reportingv1.RegistrantType(reportingv1.RegistrantType_value[it.Type]),
		DisplayName:              protomap.Text(it.DisplayName),
		Province:                 it.Province,
		State:                    it.State,
		Standing:                 reportingv1.OrganisationStanding_Standing(reportingv1.OrganisationStanding_Standing_value[string(it.Standing)]),
		DefinitiveReceiptOverdue: it.ReceiptOverdue,
	}
	for _, r := range it.Reasons {
		out.Reasons = append(out.Reasons, &reportingv1.StandingReason{Code: r.Code, Date: r.Date, Text: r.Text, Actor: r.Actor,
			Description: protomap.Text(vitality.Words(r.Code))})
	}
	return out
}

package grpcport

import (
	"context"
	"fmt"

	"github.com/hirfa/hirfa/pkg/protomap"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/association"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
	"github.com/hirfa/hirfa/services/registry/internal/domain/enterprise"
)

// LookupRegistrant implements RegistrantService: the registration facts a
// fair's admission needs of any chamber's registrant, built field by field
// so nothing personal can ride along when a record gains a field.
func (s *Server) LookupRegistrant(ctx context.Context, req *registryv1.LookupRegistrantRequest) (*registryv1.RegistrantStanding, error) {
	rec, err := s.app.LookupRegistrant(ctx, req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out := &registryv1.RegistrantStanding{Name: req.GetName()}
	const (
		live, notRegistered = registryv1.RegistrantStanding_LIVE, registryv1.RegistrantStanding_NOT_REGISTERED
		inactive, struckOff = registryv1.RegistrantStanding_INACTIVE, registryv1.RegistrantStanding_STRUCK_OFF
	)
	switch r := rec.(type) {
	case *artisan.Artisan:
		// A merged artisan's name answers with its successor's standing,
		// under the successor's name, so the caller can update what it holds.
		out.Name, out.Chamber, out.Type, out.State = r.Name(), r.Chamber, registryv1.RegistrantStanding_ARTISAN, string(r.State)
		out.Province, out.Activity, out.WomenQuota = r.Province, r.Activity, r.Gender == artisan.Female
		switch r.State {
		case artisan.Registered:
			out.Standing = live
		case artisan.Applicant:
			out.Standing = notRegistered
		case artisan.Suspended:
			out.Standing = inactive
		case artisan.StruckOff:
			out.Standing = struckOff
		}
	case *cooperative.Cooperative:
		out.Chamber, out.Type, out.State = r.Chamber, registryv1.RegistrantStanding_COOPERATIVE, string(r.State)
		out.Province, out.Activity, out.DisplayName = r.Province, r.Activity, protomap.Text(r.DisplayName)
		// A cooperative counts under the women's quota when women are the
		// majority of its members.
		out.WomenQuota = r.MembersWomen > r.MembersMen
		switch r.State {
		case cooperative.Registered, cooperative.Active:
			out.Standing = live
		case cooperative.Forming:
			out.Standing = notRegistered
		default:
			out.Standing = inactive
		}
	case *association.Association:
		out.Chamber, out.Type, out.State = r.Chamber, registryv1.RegistrantStanding_ASSOCIATION, string(r.State)
		out.Province, out.DisplayName = r.Province, protomap.Text(r.DisplayName)
		out.WomenQuota = r.Category == "WOMEN"
		out.Standing = inactive
		if r.State == association.Declared || r.State == association.Active {
			out.Standing = live
		}
	case *enterprise.Enterprise:
		out.Chamber, out.Type, out.State = r.Chamber, registryv1.RegistrantStanding_ENTERPRISE, string(r.State)
		out.Province, out.Activity, out.DisplayName = r.Province, r.Activity, protomap.Text(r.DisplayName)
		out.Standing = inactive
		if r.State == enterprise.Active {
			out.Standing = live
		}
	default:
		return nil, s.err(ctx, fmt.Errorf("lookup: unexpected %T", rec))
	}
	return out, nil
}

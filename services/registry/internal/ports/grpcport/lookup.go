package grpcport

import (
	"context"
	"fmt"

	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/association"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
	"github.com/hirfa/hirfa/services/registry/internal/domain/enterprise"
)

// LookupRegistrant implements RegistrantService: registration facts of any
// chamber's registrant, without personal data.
func (s *Server) LookupRegistrant(ctx context.Context, req *registryv1.LookupRegistrantRequest) (*registryv1.Registrant, error) {
	rec, err := s.app.LookupRegistrant(ctx, req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out := &registryv1.Registrant{Name: req.GetName()}
	switch r := rec.(type) {
	case *artisan.Artisan:
		a := artisanPB(r, true)
		a.BirthDate, a.Contact, a.StateReason = "", nil, ""
		out.Record = &registryv1.Registrant_Artisan{Artisan: a}
	case *cooperative.Cooperative:
		c := cooperativePB(r)
		c.Contact = nil
		out.Record = &registryv1.Registrant_Cooperative{Cooperative: c}
	case *association.Association:
		a := associationPB(r)
		a.Contact = nil
		out.Record = &registryv1.Registrant_Association{Association: a}
	case *enterprise.Enterprise:
		e := enterprisePB(r)
		e.Contact = nil
		out.Record = &registryv1.Registrant_Enterprise{Enterprise: e}
	default:
		return nil, s.err(ctx, fmt.Errorf("lookup: unexpected %T", rec))
	}
	return out, nil
}

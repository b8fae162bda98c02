package grpcport

import (
	"context"

	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/coopname"
)

var reasons = map[coopname.Reason]registryv1.NameConflict_Reason{
	coopname.Identical:       registryv1.NameConflict_IDENTICAL,
	coopname.SameWords:       registryv1.NameConflict_SAME_DISTINCTIVE_WORDS,
	coopname.SoundsAlike:     registryv1.NameConflict_SOUNDS_ALIKE,
	coopname.Transliteration: registryv1.NameConflict_TRANSLITERATION,
}

var holderKinds = map[string]registryv1.NameConflict_HolderKind{
	app.HeldCooperative: registryv1.NameConflict_COOPERATIVE,
	app.HeldReserved:    registryv1.NameConflict_RESERVED,
	app.HeldPending:     registryv1.NameConflict_PENDING,
}

// CheckCooperativeName implements CooperativeNameService.
func (s *Server) CheckCooperativeName(ctx context.Context, req *registryv1.CheckCooperativeNameRequest) (*registryv1.CheckCooperativeNameResponse, error) {
	cs, err := s.Names.Check(ctx, req.GetNameAr(), req.GetNameFr())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &registryv1.CheckCooperativeNameResponse{Available: len(cs) == 0}
	for _, c := range cs {
		resp.Conflicts = append(resp.Conflicts, &registryv1.NameConflict{
			Holder: c.Holder, NameAr: c.AR, NameFr: c.FR, Score: c.Score,
			Reason: reasons[c.Reason], Proposed: c.Proposed, HolderKind: holderKinds[c.Kind],
		})
	}
	return resp, nil
}

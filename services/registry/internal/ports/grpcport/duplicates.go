package grpcport

import (
	"context"
	"strings"

	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/registry/internal/domain/duplicate"
)

var duplicateReasons = map[duplicate.Reason]registryv1.DuplicateCandidate_Reason{
	duplicate.SameCNIE:          registryv1.DuplicateCandidate_SAME_CNIE,
	duplicate.SameNameBirthDate: registryv1.DuplicateCandidate_SAME_NAME_AND_BIRTH_DATE,
	duplicate.CloseNameSameDate: registryv1.DuplicateCandidate_CLOSE_NAME_AND_BIRTH_DATE,
	duplicate.Transliteration:   registryv1.DuplicateCandidate_TRANSLITERATION,
}

// ListDuplicateCandidates implements DuplicateService.
func (s *Server) ListDuplicateCandidates(ctx context.Context, req *registryv1.ListDuplicateCandidatesRequest) (*registryv1.ListDuplicateCandidatesResponse, error) {
	chamber := strings.TrimPrefix(req.GetParent(), "chambers/")
	page, err := s.Duplicates.List(ctx, chamber, int(req.GetPageSize()), req.GetPageToken())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &registryv1.ListDuplicateCandidatesResponse{NextPageToken: page.NextPageToken}
	for _, p := range page.Pairs {
		c := &registryv1.DuplicateCandidate{Artisan: p.A, OtherArtisan: p.B, Score: p.Score}
		for _, r := range p.Reasons {
			c.Reasons = append(c.Reasons, duplicateReasons[r])
		}
		resp.DuplicateCandidates = append(resp.DuplicateCandidates, c)
	}
	return resp, nil
}

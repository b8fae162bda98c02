package grpcport

import (
	"context"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/pkg/grpcserver"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/registry/internal/domain/duplicate"
)

var duplicateReasons = map[duplicate.Reason]registryv1.DuplicateCandidate_Reason{
	duplicate.SameCNIE:          registryv1.DuplicateCandidate_SAME_CNIE,
	duplicate.SameNameBirthDate: registryv1.DuplicateCandidate_SAME_NAME_AND_BIRTH_DATE,
	duplicate.CloseNameSameDate: registryv1.DuplicateCandidate_CLOSE_NAME_AND_BIRTH_DATE,
	duplicate.Transliteration:   registryv1.DuplicateCandidate_TRANSLITERATION,
}

var duplicateStates = map[duplicate.State]registryv1.DuplicateCandidate_State{
	duplicate.Open:      registryv1.DuplicateCandidate_OPEN,
	duplicate.Dismissed: registryv1.DuplicateCandidate_DISMISSED,
	duplicate.Merged:    registryv1.DuplicateCandidate_MERGED,
}

// ListDuplicateCandidates implements DuplicateService.
func (s *Server) ListDuplicateCandidates(ctx context.Context, req *registryv1.ListDuplicateCandidatesRequest) (*registryv1.ListDuplicateCandidatesResponse, error) {
	chamber := strings.TrimPrefix(req.GetParent(), "chambers/")
	var state duplicate.State
	if req.GetState() != registryv1.DuplicateCandidate_STATE_UNSPECIFIED {
		state = duplicate.State(req.GetState().String())
	}
	page, err := s.Duplicates.List(ctx, chamber, state, req.GetMinScore(), int(req.GetPageSize()), req.GetPageToken())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &registryv1.ListDuplicateCandidatesResponse{NextPageToken: page.NextPageToken}
	for _, r := range page.Pairs {
		resp.DuplicateCandidates = append(resp.DuplicateCandidates, duplicateCandidate(r))
	}
	return resp, nil
}

// DismissDuplicateCandidate implements DuplicateService.
func (s *Server) DismissDuplicateCandidate(ctx context.Context, req *registryv1.DismissDuplicateCandidateRequest) (*registryv1.DuplicateCandidate, error) {
	// The pattern is checked by protovalidate: chambers/{c}/duplicateCandidates/{id}.
	parts := strings.Split(req.GetName(), "/")
	r, err := s.Duplicates.Dismiss(ctx, parts[1], parts[3], grpcserver.Mutation(ctx, "", "", req.GetReason()))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return duplicateCandidate(r), nil
}

// DuplicateCandidateEvent is the outbox payload of a pair's change.
func DuplicateCandidateEvent(r duplicate.Review) proto.Message { return duplicateCandidate(r) }

func duplicateCandidate(r duplicate.Review) *registryv1.DuplicateCandidate {
	c := &registryv1.DuplicateCandidate{
		Name: r.Name(), Artisan: r.Pair.A, OtherArtisan: r.Pair.B, Score: r.Pair.Score, State: duplicateStates[r.State],
		DismissedBy: r.DismissedBy, DismissReason: r.DismissReason,
		DismissTime: optionalTime(r.DismissTime), CreateTime: timestamppb.New(r.CreateTime), UpdateTime: timestamppb.New(r.UpdateTime),
	}
	for _, x := range r.Pair.Reasons {
		c.Reasons = append(c.Reasons, duplicateReasons[x])
	}
	return c
}

func optionalTime(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

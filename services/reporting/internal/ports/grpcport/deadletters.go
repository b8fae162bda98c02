package grpcport

import (
	"context"
	"strings"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/pkg/eventbus"
	reportingv1 "github.com/hirfa/hirfa/proto/gen/hirfa/reporting/v1"
)

// ListDeadLetters implements DeadLetterService.
func (s *Server) ListDeadLetters(ctx context.Context, req *reportingv1.ListDeadLettersRequest) (*reportingv1.ListDeadLettersResponse, error) {
	size := int(req.GetPageSize())
	if size <= 0 || size > 500 {
		size = 100
	}
	page, next, err := s.app.DeadLetters(ctx, req.GetPageToken(), size)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out := &reportingv1.ListDeadLettersResponse{NextPageToken: next}
	for _, d := range page {
		out.DeadLetters = append(out.DeadLetters, deadLetterPB(d))
	}
	return out, nil
}

// ReplayDeadLetter implements DeadLetterService.
func (s *Server) ReplayDeadLetter(ctx context.Context, req *reportingv1.ReplayDeadLetterRequest) (*reportingv1.DeadLetter, error) {
	d, err := s.app.ReplayDeadLetter(ctx, strings.TrimPrefix(req.GetName(), "deadLetters/"))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return deadLetterPB(d), nil
}

func deadLetterPB(d eventbus.DeadLetter) *reportingv1.DeadLetter {
	out := &reportingv1.DeadLetter{Name: "deadLetters/" + d.ID, Stream: d.Stream, EventId: d.Entry, Deliveries: d.Deliveries, Error: d.Reason, DeadTime: timestamppb.New(d.Time)}
	if e := d.Envelope; e != nil {
		out.EventId, out.Type, out.Subject, out.Chamber = e.GetId(), e.GetType(), e.GetSubject(), e.GetChamber()
	}
	return out
}

// Package load drives Hirfa's registry at a bounded rate and checks what it
// acknowledged. It is the engine behind `hirfa-load` (mixed reads and
// creates at a fixed rate, through the REST edge or gRPC), `hirfa-bench`
// (closed-loop throughput and latency) and the end-to-end restart tests.
//
// Every create carries a request_id, and a create that fails with a
// retryable error (UNAVAILABLE, HTTP 502/503/504/429, a cut connection) is
// sent again with the same request_id, so a retried create can never be
// recorded twice. Every acknowledged create is remembered (request id and
// resource name) so that a run can be verified afterwards: each one present,
// each one exactly once.
package load

import (
	"context"
	"fmt"
	"strings"

	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
)

// Client is the part of the registry API a load run uses, over either
// transport. Errors are *StatusError or *TransportError.
type Client interface {
	GetCooperative(ctx context.Context, name string) (*registryv1.Cooperative, error)
	CreateCooperative(ctx context.Context, parent, requestID string, c *registryv1.Cooperative) (*registryv1.Cooperative, error)
	ListCooperatives(ctx context.Context, req *registryv1.ListCooperativesRequest) (*registryv1.ListCooperativesResponse, error)
}

// namePrefix starts the French name of every cooperative a load run
// creates; the request id follows it, which lets a check count the records
// of each request id.
const namePrefix = "Coopérative de charge "

// NewCooperative returns a valid cooperative for the Fès-Meknès chamber
// (province fes) whose French name carries requestID.
func NewCooperative(requestID string) *registryv1.Cooperative {
	return &registryv1.Cooperative{
		DisplayName: &typev1.LocalizedText{
			Ar: "تعاونية الاختبار " + requestID,
			Fr: namePrefix + requestID,
		},
		Activity:           "F1.B02.A01",
		Province:           "fes",
		FoundingDate:       "2020-01-15",
		CapitalCentimes:    1_500_000,
		ShareValueCentimes: 10_000,
		MembersWomen:       4,
		MembersMen:         3,
	}
}

// RequestIDOf returns the request id a cooperative made by NewCooperative
// carries in its French name, or "" for other cooperatives.
func RequestIDOf(c *registryv1.Cooperative) string {
	fr := c.GetDisplayName().GetFr()
	if !strings.HasPrefix(fr, namePrefix) {
		return ""
	}
	return strings.TrimPrefix(fr, namePrefix)
}

// ListAll reads every cooperative under parent whose request id (see
// RequestIDOf) starts with prefix, following pages.
func ListAll(ctx context.Context, c Client, parent, prefix string) ([]*registryv1.Cooperative, error) {
	var out []*registryv1.Cooperative
	req := &registryv1.ListCooperativesRequest{Parent: parent, PageSize: 1000}
	for {
		resp, err := c.ListCooperatives(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", parent, err)
		}
		for _, co := range resp.GetCooperatives() {
			if id := RequestIDOf(co); id != "" && strings.HasPrefix(id, prefix) {
				out = append(out, co)
			}
		}
		if resp.GetNextPageToken() == "" {
			return out, nil
		}
		req.PageToken = resp.GetNextPageToken()
	}
}

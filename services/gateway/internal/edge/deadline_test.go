package edge

import (
	"context"
	"testing"
	"time"

	"google.golang.org/grpc"
)

// TestDownloadDeadline: Download* methods get the download deadline, every
// other method the request deadline, and a caller's own deadline stands.
func TestDownloadDeadline(t *testing.T) {
	i := deadline(15*time.Second, 90*time.Second)
	left := func(ctx context.Context, method string) time.Duration {
		var d time.Duration
		_ = i(ctx, method, nil, nil, nil, func(ctx context.Context, _ string, _, _ any, _ *grpc.ClientConn, _ ...grpc.CallOption) error {
			dl, _ := ctx.Deadline()
			d = time.Until(dl)
			return nil
		})
		return d
	}
	if d := left(context.Background(), "/hirfa.desk.v1.ProfessionalCardService/DownloadProfessionalCard"); d <= 15*time.Second || d > 90*time.Second {
		t.Errorf("a download gets %v", d)
	}
	if d := left(context.Background(), "/hirfa.desk.v1.ProfessionalCardService/GetProfessionalCard"); d > 15*time.Second {
		t.Errorf("a get gets %v", d)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if d := left(ctx, "/hirfa.reporting.v1.ReportService/DownloadChart"); d > 5*time.Second {
		t.Errorf("the caller's deadline was replaced: %v", d)
	}
}

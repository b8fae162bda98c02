package grpcport

import (
	"context"
	"strings"

	"google.golang.org/genproto/googleapis/api/httpbody"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/hirfa/hirfa/pkg/render"
	reportingv1 "github.com/hirfa/hirfa/proto/gen/hirfa/reporting/v1"
	"github.com/hirfa/hirfa/services/reporting/internal/app"
)

// DownloadActivityReport implements ReportService.
func (s *Server) DownloadActivityReport(ctx context.Context, req *reportingv1.DownloadActivityReportRequest) (*httpbody.HttpBody, error) {
	chamber, err := scope(req.GetScope(), "scope")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	d, err := s.app.ActivityReport(ctx, chamber, req.GetStartDate(), req.GetEndDate(), render.Language(req.GetLanguage()), formatOf(req.GetFormat()), req.GetTable())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return s.body(ctx, d), nil
}

// DownloadChart implements ReportService.
func (s *Server) DownloadChart(ctx context.Context, req *reportingv1.DownloadChartRequest) (*httpbody.HttpBody, error) {
	chamber, err := scope(req.GetScope(), "scope")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	d, err := s.app.Chart(ctx, chamber, req.GetChart(), req.GetStartDate(), req.GetEndDate(), render.Language(req.GetLanguage()), formatOf(req.GetFormat()))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return s.body(ctx, d), nil
}

func formatOf(f reportingv1.Format) app.Format { return app.Format(strings.ToLower(f.String())) }

// body hands the document out; the file name travels as a
// content-disposition header (the edge forwards it).
func (s *Server) body(ctx context.Context, d app.Download) *httpbody.HttpBody {
	_ = grpc.SetHeader(ctx, metadata.Pairs("content-disposition", `attachment; filename="`+d.Filename+`"`))
	return &httpbody.HttpBody{ContentType: d.ContentType, Data: d.Body}
}

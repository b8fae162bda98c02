package grpcport

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"google.golang.org/genproto/googleapis/api/httpbody"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/fault/catalog"
	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/bulkimport"
)

// problemsInline is how many report lines an ImportOperation carries; the
// whole report is a download.
const problemsInline = 100

// CreateImportOperation implements ImportService.
func (s *Server) CreateImportOperation(ctx context.Context, req *registryv1.CreateImportOperationRequest) (*registryv1.ImportOperation, error) {
	chamber, err := resource.ParseParent(req.GetParent(), "parent", false)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	in := req.GetImportOperation()
	op, err := s.app.StartImport(ctx, app.ImportRequest{Chamber: chamber, Kind: in.GetKind(), Encoding: in.GetEncoding(), FileName: in.GetFileName(),
		File: in.GetFile(), DryRun: in.GetValidateOnly()},
		grpcserver.Mutation(ctx, "", "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return importPB(op), nil
}

// ListImportOperations implements ImportService: the history, newest
// first, each import without its problems.
func (s *Server) ListImportOperations(ctx context.Context, req *registryv1.ListImportOperationsRequest) (*registryv1.ListImportOperationsResponse, error) {
	q, err := paging.ListQueryOf(req.GetParent(), req.GetPageSize(), req.GetPageToken(), "", "")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListImportOperations(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out := &registryv1.ListImportOperationsResponse{NextPageToken: page.NextPageToken}
	for _, op := range page.Items {
		out.ImportOperations = append(out.ImportOperations, importPB(op))
	}
	return out, nil
}

// GetImportOperation implements ImportService.
func (s *Server) GetImportOperation(ctx context.Context, req *registryv1.GetImportOperationRequest) (*registryv1.ImportOperation, error) {
	op, err := s.operation(ctx, req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return importPB(op), nil
}

func (s *Server) operation(ctx context.Context, name string) (*bulkimport.Operation, error) {
	n, err := resource.ParseName(name, bulkimport.Collection, "name")
	if err != nil {
		return nil, err
	}
	return s.app.GetImportOperation(ctx, n)
}

// DownloadImportReport implements ImportService: one line per problem, the
// message in Arabic and in French from the catalogue.
func (s *Server) DownloadImportReport(ctx context.Context, req *registryv1.DownloadImportReportRequest) (*httpbody.HttpBody, error) {
	op, err := s.operation(ctx, req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if !op.Done() {
		return nil, s.err(ctx, fault.Precondition(bulkimport.ReasonRunning, "%s is still running: the report is ready when it is done", op.Name()))
	}
	header := []string{"row", "column", "field", "reason", "message_ar", "message_fr"}
	lines := [][]string{header}
	for _, p := range problemsPB(op.Problems) {
		lines = append(lines, []string{strconv.Itoa(int(p.GetRow())), p.GetColumn(), p.GetField(), p.GetReason(), p.GetMessageAr(), p.GetMessageFr()})
	}
	var b bytes.Buffer
	ct, ext := "text/csv; charset=utf-8", "csv"
	if req.GetFormat() == registryv1.ImportReportFormat_XLSX {
		ct, ext = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
		f := excelize.NewFile()
		defer f.Close()
		for i, l := range lines {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			row := make([]any, len(l))
			for j := range l {
				row[j] = l[j]
			}
			if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
				return nil, s.err(ctx, err)
			}
		}
		if err := f.Write(&b); err != nil {
			return nil, s.err(ctx, err)
		}
	} else {
		b.Write([]byte{0xEF, 0xBB, 0xBF}) // Excel reads the Arabic only with the BOM
		w := csv.NewWriter(&b)
		_ = w.WriteAll(lines) // a bytes.Buffer does not fail
	}
	_ = grpc.SetHeader(ctx, metadata.Pairs("content-disposition", `attachment; filename="import-`+op.ID+`-report.`+ext+`"`))
	return &httpbody.HttpBody{ContentType: ct, Data: b.Bytes()}, nil
}

// GetImportMapping implements ImportService.
func (s *Server) GetImportMapping(ctx context.Context, req *registryv1.GetImportMappingRequest) (*registryv1.ImportMapping, error) {
	n, err := resource.ParseName(req.GetName(), bulkimport.MappingCollection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	m, err := s.app.GetImportMapping(ctx, n.Chamber, n.ID)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return mappingPB(m), nil
}

// UpdateImportMapping implements ImportService.
func (s *Server) UpdateImportMapping(ctx context.Context, req *registryv1.UpdateImportMappingRequest) (*registryv1.ImportMapping, error) {
	in := req.GetImportMapping()
	n, err := resource.ParseName(in.GetName(), bulkimport.MappingCollection, "import_mapping.name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	for _, p := range req.GetUpdateMask().GetPaths() {
		if p != "headers" {
			return nil, s.err(ctx, fault.Invalid("update_mask", fault.RuleUpdateMaskPath, "cannot update field %q (only headers)", p))
		}
	}
	m := &bulkimport.Mapping{Kind: n.ID, Headers: in.GetHeaders()}
	if m.Headers == nil {
		m.Headers = map[string]string{}
	}
	m.Chamber = n.Chamber
	out, err := s.app.UpdateImportMapping(ctx, m)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return mappingPB(out), nil
}

func mappingPB(m *bulkimport.Mapping) *registryv1.ImportMapping {
	out := &registryv1.ImportMapping{Name: resource.Name{Chamber: m.Chamber, Collection: bulkimport.MappingCollection, ID: m.Kind}.String(), Headers: m.Headers}
	if !m.UpdateTime.IsZero() {
		out.UpdateTime = timestamppb.New(m.UpdateTime)
	}
	return out
}

var importStates = map[string]registryv1.ImportOperation_State{
	bulkimport.Running: registryv1.ImportOperation_RUNNING, bulkimport.Succeeded: registryv1.ImportOperation_SUCCEEDED, bulkimport.Failed: registryv1.ImportOperation_FAILED,
}

func importPB(op *bulkimport.Operation) *registryv1.ImportOperation {
	out := &registryv1.ImportOperation{
		Name: op.Name(), Kind: op.Kind, ValidateOnly: op.DryRun, Encoding: op.Encoding, State: importStates[op.State],
		RowsTotal: int32(op.Summary.Total), RowsRead: int32(op.Summary.Read), RowsAccepted: int32(op.Summary.Accepted),
		RowsRejected: int32(op.Summary.Rejected), PercentDone: int32(op.Summary.Percent()), Error: op.Error, Attempts: int32(op.Attempts),
		CreateTime: timestamppb.New(op.CreateTime), UpdateTime: timestamppb.New(op.UpdateTime), FileName: op.FileName, Creator: op.Actor.Subject,
		Problems: problemsPB(op.Problems[:min(len(op.Problems), problemsInline)]),
	}
	if op.DoneTime != nil {
		out.DoneTime = timestamppb.New(*op.DoneTime)
	}
	return out
}

// problemsPB renders each problem's message in Arabic and French from the
// catalogue (the English message when a template lacks a figure).
func problemsPB(ps []bulkimport.Problem) []*registryv1.ImportProblem {
	out := make([]*registryv1.ImportProblem, len(ps))
	for i, p := range ps {
		params := catalog.Params{Args: p.Args, Field: p.Field, Named: p.Named}
		msg := func(lang string) string {
			if m, ok := Catalog.Render(lang, p.Rule, params); ok {
				return m
			}
			return p.Msg
		}
		out[i] = &registryv1.ImportProblem{Row: int32(p.Row), Column: p.Column, Field: p.Field, Reason: p.Rule,
			MessageAr: strings.TrimSpace(msg("ar")), MessageFr: strings.TrimSpace(msg("fr"))}
	}
	return out
}

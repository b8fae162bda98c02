package grpcport

import (
	"context"
	"io"

	"google.golang.org/genproto/googleapis/api/httpbody"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/protomap"
	"github.com/hirfa/hirfa/pkg/resource"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	"github.com/hirfa/hirfa/services/desk/internal/domain/document"
)

func documentName(s, field string) (resource.Name, error) {
	return resource.ParseName(s, document.Collection, field)
}

// DocumentPB renders a document's record as its public message (and
// outbox payload).
func DocumentPB(d *document.Document) *deskv1.Document {
	return &deskv1.Document{
		Name:            d.Name(),
		Classification:  deskv1.Document_Classification(deskv1.Document_Classification_value[d.Classification]),
		Owner:           d.Owner,
		Retention:       deskv1.Document_Retention(deskv1.Document_Retention_value[string(d.Retention)]),
		FileName:        d.FileName,
		MediaType:       d.MediaType,
		SizeBytes:       d.Size,
		Sha256:          d.SHA256,
		RetainUntilTime: protomap.Timestamp(d.RetainUntil),
		CreateTime:      protomap.Timestamp(d.CreateTime),
		UpdateTime:      protomap.Timestamp(d.UpdateTime),
		Etag:            d.Etag(),
	}
}

// chunks reads an upload stream's chunks as one byte stream.
type chunks struct {
	stream grpc.ClientStreamingServer[deskv1.UploadDocumentRequest, deskv1.Document]
	buf    []byte
}

func (c *chunks) Read(p []byte) (int, error) {
	for len(c.buf) == 0 {
		msg, err := c.stream.Recv()
		if err != nil {
			return 0, err // io.EOF at the end of the upload
		}
		if msg.GetMetadata() != nil {
			return 0, fault.Invalid("metadata", fault.RuleRequired, "the metadata comes once, in the first message")
		}
		c.buf = msg.GetChunk()
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	return n, nil
}

// UploadDocument implements DocumentService.
func (s *Server) UploadDocument(stream grpc.ClientStreamingServer[deskv1.UploadDocumentRequest, deskv1.Document]) error {
	ctx := stream.Context()
	first, err := stream.Recv()
	if err == io.EOF || (err == nil && first.GetMetadata() == nil) {
		return s.err(ctx, fault.Invalid("metadata", fault.RuleRequired, "the first message carries the metadata"))
	}
	if err != nil {
		return err
	}
	md := first.GetMetadata()
	chamber, err := resource.ParseParent(md.GetParent(), "metadata.parent", false)
	if err != nil {
		return s.err(ctx, err)
	}
	p := md.GetDocument()
	d := &document.Document{Owner: p.GetOwner(), FileName: p.GetFileName(), Retention: document.Retention(protomap.EnumName(p.GetRetention().String())),
		Classification: protomap.EnumName(p.GetClassification().String())}
	out, err := s.app.UploadDocument(ctx, chamber, d, &chunks{stream: stream}, grpcserver.Mutation(ctx, "", "", ""))
	if err != nil {
		return s.err(ctx, err)
	}
	return stream.SendAndClose(DocumentPB(out))
}

// GetDocument implements DocumentService.
func (s *Server) GetDocument(ctx context.Context, req *deskv1.GetDocumentRequest) (*deskv1.Document, error) {
	n, err := documentName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	d, err := s.app.GetDocument(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return DocumentPB(d), nil
}

// ListDocuments implements DocumentService.
func (s *Server) ListDocuments(ctx context.Context, req *deskv1.ListDocumentsRequest) (*deskv1.ListDocumentsResponse, error) {
	q, err := paging.ListQueryOf(req.GetParent(), req.GetPageSize(), req.GetPageToken(), req.GetFilter(), req.GetOrderBy())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListDocuments(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &deskv1.ListDocumentsResponse{NextPageToken: page.NextPageToken}
	for _, d := range page.Items {
		resp.Documents = append(resp.Documents, DocumentPB(d))
	}
	return resp, nil
}

// DownloadDocument implements DocumentService: the content with its
// sniffed media type, and a file name made of the document's id (the
// uploaded name is never echoed into a header).
func (s *Server) DownloadDocument(ctx context.Context, req *deskv1.DownloadDocumentRequest) (*httpbody.HttpBody, error) {
	n, err := documentName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	d, body, err := s.app.DownloadDocument(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	ext := map[string]string{"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}[d.MediaType]
	_ = grpc.SetHeader(ctx, metadata.Pairs("content-disposition", `attachment; filename="`+d.ID+ext+`"`))
	return &httpbody.HttpBody{ContentType: d.MediaType, Data: body}, nil
}

// DeleteDocument implements DocumentService.
func (s *Server) DeleteDocument(ctx context.Context, req *deskv1.DeleteDocumentRequest) (*emptypb.Empty, error) {
	n, err := documentName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if err := s.app.DeleteDocument(ctx, n, grpcserver.Mutation(ctx, "", req.GetEtag(), "")); err != nil {
		return nil, s.err(ctx, err)
	}
	return &emptypb.Empty{}, nil
}

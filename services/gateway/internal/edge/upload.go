package edge

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/encoding/protojson"

	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
)

// UploadPath is the REST route of an archive upload. grpc-gateway cannot
// bind a client stream, so the edge serves it itself: the raw body is the
// file, the metadata are query parameters, and the body goes to the desk's
// UploadDocument stream chunk by chunk as it arrives — never held whole.
const UploadPath = "POST /v1/chambers/{chamber}/documents:upload"

// isUpload reports whether the root mux may route r to the upload (its
// method and last segment): such calls go through the mux's own matching.
func isUpload(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/documents:upload")
}

// uploadChunk is the size of one streamed message.
const uploadChunk = 64 << 10

// upload streams a REST body into DocumentService.UploadDocument. The size
// limit is enforced while streaming: past max bytes the stream is cancelled
// (the desk writes nothing) and the answer is 413. The type is not taken
// from Content-Type: the desk sniffs it from the content.
func upload(docs deskv1.DocumentServiceClient, max int64, log *slog.Logger) http.Handler {
	fail := errorHandler(log)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		doc := &deskv1.Document{Owner: q.Get("owner"), FileName: q.Get("file_name")}
		for _, e := range []struct {
			field  string
			values map[string]int32
			set    func(int32)
		}{
			{"classification", deskv1.Document_Classification_value, func(v int32) { doc.Classification = deskv1.Document_Classification(v) }},
			{"retention", deskv1.Document_Retention_value, func(v int32) { doc.Retention = deskv1.Document_Retention(v) }},
		} {
			v, ok := e.values[q.Get(e.field)]
			if !ok && q.Get(e.field) != "" {
				writeError(w, r, http.StatusBadRequest, 3, fmt.Sprintf("%s: unknown value %q", e.field, q.Get(e.field)), ReasonInvalidQueryParameter, e.field)
				return
			}
			e.set(v)
		}
		if r.ContentLength > max {
			writeError(w, r, http.StatusRequestEntityTooLarge, 8, "request body too large", ReasonBodyTooLarge, fmt.Sprintf("limit is %d bytes", max))
			return
		}
		ctx, cancel := context.WithCancel(outgoing(r))
		defer cancel()
		stream, err := docs.UploadDocument(ctx)
		if err != nil {
			fail(ctx, nil, nil, w, r, err)
			return
		}
		err = stream.Send(&deskv1.UploadDocumentRequest{Content: &deskv1.UploadDocumentRequest_Metadata{Metadata: &deskv1.DocumentUpload{
			Parent: "chambers/" + r.PathValue("chamber"), Document: doc}}})
		buf := make([]byte, uploadChunk)
		var sent int64
		for err == nil {
			n, rerr := io.ReadFull(r.Body, buf)
			if n > 0 {
				if sent += int64(n); sent > max {
					cancel() // the desk sees a cancelled stream and writes nothing
					writeError(w, r, http.StatusRequestEntityTooLarge, 8, "request body too large", ReasonBodyTooLarge, fmt.Sprintf("limit is %d bytes", max))
					return
				}
				err = stream.Send(&deskv1.UploadDocumentRequest{Content: &deskv1.UploadDocumentRequest_Chunk{Chunk: append([]byte(nil), buf[:n]...)}})
			}
			if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
				break
			}
			if rerr != nil {
				cancel()
				writeError(w, r, http.StatusBadRequest, 3, "could not read request body", ReasonBodyUnreadable, rerr.Error())
				return
			}
		}
		// A failed Send is reported by CloseAndRecv with the desk's status.
		out, err := stream.CloseAndRecv()
		if err != nil {
			fail(ctx, nil, nil, w, r, err)
			return
		}
		body, err := protojson.MarshalOptions{UseProtoNames: true}.Marshal(out)
		if err != nil {
			fail(ctx, nil, nil, w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
}

// outgoing carries the caller's token and the forwarded headers to the
// service as gRPC metadata, as grpc-gateway does for the generated routes.
func outgoing(r *http.Request) context.Context {
	md := metadata.MD{}
	if a := r.Header.Get("Authorization"); a != "" {
		md.Set("authorization", a)
	}
	for h, k := range forwardedHeaders {
		if v := r.Header.Get(h); v != "" {
			md.Set(k, v)
		}
	}
	if ip := clientAddr(r); ip != "" {
		md.Set("x-forwarded-for", ip)
	}
	return metadata.NewOutgoingContext(r.Context(), md)
}

// clientAddr is the peer's host, without its port.
func clientAddr(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndex(host, ":"); i > 0 {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}

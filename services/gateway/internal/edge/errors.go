package edge

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
)

// errorBody is the JSON shape of every error the edge returns:
// {"code": <gRPC code>, "message": "...", "details": [ ...google.rpc details... ]}.
var errorJSON = protojson.MarshalOptions{UseProtoNames: true}

// errorHandler renders gRPC statuses (from services, or from the gateway's
// own decoding) as HTTP status + JSON. Malformed JSON bodies become 400 with
// the decoder's message.
func errorHandler(log *slog.Logger) runtime.ErrorHandlerFunc {
	return func(ctx context.Context, _ *runtime.ServeMux, _ runtime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
		st := status.Convert(err)
		httpCode := runtime.HTTPStatusFromCode(st.Code())
		if st.Code() == codes.Unauthenticated {
			w.Header().Set("WWW-Authenticate", `Bearer realm="hirfa"`)
		}
		if st.Code() == codes.Unavailable {
			w.Header().Set("Retry-After", "1")
			if len(st.Details()) == 0 {
				// A transport failure: its text names internal addresses.
				log.WarnContext(ctx, "backend unavailable", slog.String("path", r.URL.Path), slog.String("error", st.Message()))
				st = status.New(codes.Unavailable, "service temporarily unavailable, retry later")
				if d, err := st.WithDetails(&errdetails.ErrorInfo{Reason: ReasonBackendUnavailable, Domain: "gateway.hirfa"}); err == nil {
					st = d
				}
			}
		}
		writeStatus(w, httpCode, localize(r, st))
	}
}

func routingErrorHandler(log *slog.Logger) runtime.RoutingErrorHandlerFunc {
	return func(ctx context.Context, mux *runtime.ServeMux, m runtime.Marshaler, w http.ResponseWriter, r *http.Request, httpStatus int) {
		switch httpStatus {
		case http.StatusMethodNotAllowed:
			writeError(w, r, httpStatus, int32(codes.Unimplemented), "method not allowed on this path", ReasonMethodNotAllowed, r.Method+" "+r.URL.Path)
		case http.StatusNotFound:
			writeError(w, r, httpStatus, int32(codes.NotFound), "no such route", ReasonRouteNotFound, r.URL.Path)
		default:
			writeError(w, r, httpStatus, int32(codes.InvalidArgument), http.StatusText(httpStatus), ReasonBadRequest, "")
		}
	}
}

// writeError renders an error produced by the edge itself.
func writeError(w http.ResponseWriter, r *http.Request, httpCode int, code int32, msg, reason, detail string) {
	md := map[string]string{}
	if detail != "" {
		md["detail"] = detail
	}
	st := status.New(codes.Code(code), msg)
	if d, err := st.WithDetails(&errdetails.ErrorInfo{Reason: reason, Domain: "gateway.hirfa", Metadata: md}); err == nil {
		st = d
	}
	writeStatus(w, httpCode, localize(r, st))
}

func writeStatus(w http.ResponseWriter, httpCode int, st *status.Status) {
	body, err := errorJSON.Marshal(st.Proto())
	if err != nil {
		body, _ = json.Marshal(map[string]any{"code": st.Code(), "message": st.Message()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(httpCode)
	_, _ = w.Write(body)
}

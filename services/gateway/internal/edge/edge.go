// Package edge is Hirfa's REST edge: a grpc-gateway mux per service, picked by
// path (route.go), over APIs dialled as real gRPC clients (so the services'
// interceptors — auth, validation, tracing — run for REST calls too), with
// JSON in proto field names, errors as JSON, a request body limit, the
// OpenAPI document and health endpoints.
package edge

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/textproto"
	"strings"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric/noop"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	"github.com/hirfa/hirfa/proto/openapi"
)

//go:generate go run ./genapis ../../../../proto/gen/hirfa apis_gen.go

// RegisterFunc is a generated Register…HandlerFromEndpoint function.
type RegisterFunc = func(ctx context.Context, mux *runtime.ServeMux, endpoint string, opts []grpc.DialOption) error

// Backend is one gRPC service behind the edge. An empty Addr means the
// service is not configured here: its routes answer 503 with a JSON error
// naming the service (not 404), and readiness does not wait for it.
type Backend struct {
	Name     string
	API      string // proto API hirfa.<api>.v1, for the error of an unconfigured backend
	Addr     string
	Register []RegisterFunc
}

// Options configure the edge.
type Options struct {
	Backends       []Backend
	MaxBodyBytes   int64
	RequestTimeout time.Duration
	// DownloadTimeout is the deadline of Download* methods (rendered PDFs,
	// charts, exports): the first PDF after a service restart starts
	// Chromium, which takes longer than RequestTimeout on a busy node.
	DownloadTimeout time.Duration
	TLS             *tls.Config // client TLS to the services; nil = plaintext
	Logger          *slog.Logger
	// Wrap adds middleware around the API (rate limits, idempotency, CORS);
	// nil leaves it bare.
	Wrap func(http.Handler) http.Handler
	// ClientSpans gives each gRPC call its own span (set when traces are
	// exported, HIRFA_OTLP_ENDPOINT); without, the calls carry the trace
	// context only (trace.go).
	ClientSpans bool
	// NoOpenAPI leaves GET /openapi.json out (HIRFA_OPENAPI=false, the prod values).
	NoOpenAPI bool
	// MaxUploadBytes bounds a REST archive upload (UploadPath), enforced
	// while the body streams to the desk; 0 means 10 MiB, the desk's own
	// limit.
	MaxUploadBytes int64
}

// BackendFor returns the REST routes of the API (from the generated table
// apis_gen.go) served by the named service at addr.
func BackendFor(name, api, addr string) (Backend, error) {
	reg, ok := apis[api]
	if !ok {
		return Backend{}, fmt.Errorf("%s: no generated REST routes for api %s (proto/gen/hirfa/%s/v1; run make generate)", name, api, api)
	}
	return Backend{Name: name, API: api, Addr: addr, Register: reg}, nil
}

// APIs lists the APIs the edge has generated routes for.
func APIs() []string {
	out := make([]string, 0, len(apis))
	for a := range apis {
		out = append(out, a)
	}
	return out
}

// RegistryBackend returns the registry's REST routes.
func RegistryBackend(addr string) Backend {
	b, err := BackendFor("registry", "registry", addr)
	if err != nil {
		panic(err)
	}
	return b
}

// forwardedHeaders are the HTTP headers passed to services as gRPC metadata.
// Authorization is not listed: grpc-gateway always forwards it itself, and
// listing it again would send the token twice.
var forwardedHeaders = map[string]string{
	"X-Request-Id":    "x-request-id",
	"Idempotency-Key": "idempotency-key",
	"Accept-Language": "grpc-accept-language", // catalog.LanguageMetadata: the services pick their language by it
}

// grpcContentType is the header every answer's gRPC content-type metadata
// becomes, in the canonical form Header.Add would give it.
var grpcContentType = textproto.CanonicalMIMEHeaderKey(runtime.MetadataHeaderPrefix + "content-type")

// outgoingHeader names the HTTP header of a service's response metadata: a
// download's file name (content-disposition) becomes the HTTP header;
// other metadata keeps the gateway's Grpc-Metadata- form. The names are
// returned canonical: Header.Add would otherwise build the name and then
// canonicalise it anew on every answer (every answer carries content-type).
func outgoingHeader(k string) (string, bool) {
	switch k {
	case "content-type":
		return grpcContentType, true
	case "content-disposition":
		return "Content-Disposition", true
	}
	return textproto.CanonicalMIMEHeaderKey(runtime.MetadataHeaderPrefix + k), true
}

// Edge is the assembled HTTP handler with its backend connections.
type Edge struct {
	Handler http.Handler
	health  map[string]healthpb.HealthClient
	conns   []*grpc.ClientConn
	router  *router
}

// New registers every backend's routes.
func New(ctx context.Context, o Options) (*Edge, error) {
	creds := insecure.NewCredentials()
	if o.TLS != nil {
		creds = credentials.NewTLS(o.TLS)
	}
	// Traces cross to the services (the span context goes out with every
	// call; trace.go); client metrics do not: a call's duration and status
	// are the edge's HTTP metrics (internal/instrument) and the service's own
	// rpc.server metrics already, and recording them a third time was a
	// measurable share of the edge's CPU per request.
	tracing := []grpc.DialOption{
		grpc.WithChainUnaryInterceptor(propagateUnary(otel.GetTextMapPropagator())),
		grpc.WithChainStreamInterceptor(propagateStream(otel.GetTextMapPropagator())),
	}
	if o.ClientSpans {
		tracing = []grpc.DialOption{grpc.WithStatsHandler(otelgrpc.NewClientHandler(otelgrpc.WithMeterProvider(noop.NewMeterProvider())))}
	}
	dial := append([]grpc.DialOption{
		grpc.WithTransportCredentials(creds),
		grpc.WithChainUnaryInterceptor(deadline(o.RequestTimeout, o.DownloadTimeout)),
		grpc.WithDefaultServiceConfig(retryPolicy),
	}, tracing...)
	muxOpts := []runtime.ServeMuxOption{
		// google.api.HttpBody answers (reporting's downloads) go out as
		// their own bytes and content type; everything else as JSON.
		runtime.WithMarshalerOption(runtime.MIMEWildcard, &runtime.HTTPBodyMarshaler{Marshaler: newJSONMarshaler()}),
		runtime.WithOutgoingHeaderMatcher(outgoingHeader),
		runtime.WithIncomingHeaderMatcher(func(h string) (string, bool) {
			v, ok := forwardedHeaders[textproto.CanonicalMIMEHeaderKey(h)]
			return v, ok
		}),
		runtime.SetQueryParameterParser(enumQueryParser{}),
		runtime.WithErrorHandler(errorHandler(o.Logger)),
		runtime.WithRoutingErrorHandler(routingErrorHandler(o.Logger)),
	}
	e := &Edge{health: map[string]healthpb.HealthClient{}}
	var docs deskv1.DocumentServiceClient
	register := func(mux *runtime.ServeMux, b Backend) error {
		addr, bdial := b.Addr, dial
		if addr == "" {
			// Routes stay known (503, not 404); no call leaves the edge.
			addr = "passthrough:///unconfigured-" + b.Name
			bdial = append([]grpc.DialOption{grpc.WithChainUnaryInterceptor(unconfigured(b))}, dial...)
		}
		for _, reg := range b.Register {
			if err := reg(ctx, mux, addr, bdial); err != nil {
				return fmt.Errorf("register %s routes: %w", b.Name, err)
			}
		}
		return nil
	}
	rt, err := newRouter(o.Logger, o.Backends, muxOpts, register)
	if err != nil {
		return nil, err
	}
	e.router = rt
	for _, b := range o.Backends {
		if b.Addr == "" {
			continue
		}
		conn, err := grpc.NewClient(b.Addr, dial...)
		if err != nil {
			return nil, fmt.Errorf("dial %s: %w", b.Name, err)
		}
		e.conns = append(e.conns, conn)
		e.health[b.Name] = healthpb.NewHealthClient(conn)
		if b.API == "desk" {
			docs = deskv1.NewDocumentServiceClient(conn)
		}
	}
	var api http.Handler = rt
	if o.Wrap != nil {
		api = o.Wrap(api)
	}
	api = limitBody(o.MaxBodyBytes, o.Logger, api)
	root := http.NewServeMux()
	root.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"SERVING"}`)
	})
	root.HandleFunc("GET /readyz", e.ready)
	if !o.NoOpenAPI {
		root.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(openapi.Document)
		})
	}
	root.Handle("/", api)
	if docs != nil {
		// Not behind limitBody: the upload streams its body and bounds it itself.
		max := o.MaxUploadBytes
		if max <= 0 {
			max = 10 << 20
		}
		up := upload(docs, max, o.Logger)
		if o.Wrap != nil {
			up = o.Wrap(up)
		}
		root.Handle(UploadPath, up)
	}
	e.Handler = securityHeaders(Ahead(root, api, isUpload))
	return e, nil
}

// Close closes the backend connections used for readiness.
func (e *Edge) Close() {
	for _, c := range e.conns {
		_ = c.Close()
	}
}

// ready answers 200 only when every backend reports SERVING, so a
// Kubernetes readiness probe takes the edge out while a service drains.
func (e *Edge) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	var bad []string
	for name, h := range e.health {
		resp, err := h.Check(ctx, &healthpb.HealthCheckRequest{})
		if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
			bad = append(bad, name)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	if len(bad) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, `{"status":"NOT_SERVING","backends":%q}`, strings.Join(bad, ","))
		return
	}
	_, _ = io.WriteString(w, `{"status":"SERVING"}`)
}

// unconfigured answers every call to a backend with no address with
// UNAVAILABLE and an ErrorInfo naming the service and its address variable
// (the details keep the error handler from replacing the message).
func unconfigured(b Backend) grpc.UnaryClientInterceptor {
	st := status.New(codes.Unavailable, fmt.Sprintf("the %s service is not configured on this gateway", b.Name))
	if d, err := st.WithDetails(&errdetails.ErrorInfo{Reason: "BACKEND_NOT_CONFIGURED", Domain: "gateway.hirfa",
		Metadata: map[string]string{"service": b.Name, "variable": "HIRFA_" + strings.ToUpper(b.API) + "_ADDR"}}); err == nil {
		st = d
	}
	return func(context.Context, string, any, any, *grpc.ClientConn, grpc.UnaryInvoker, ...grpc.CallOption) error {
		return st.Err()
	}
}

// retryPolicy retries calls that failed with UNAVAILABLE (a service
// restarting, a pod draining) a few times with backoff. Mutations are
// safe to retry because they carry request ids or are rejected by etags.
const retryPolicy = `{"methodConfig":[{"name":[{}],"retryPolicy":{"maxAttempts":4,"initialBackoff":"0.05s","maxBackoff":"1s","backoffMultiplier":2,"retryableStatusCodes":["UNAVAILABLE"]}}]}`

func deadline(d, download time.Duration) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		limit := d
		if download > 0 && strings.HasPrefix(method[strings.LastIndex(method, "/")+1:], "Download") {
			limit = download
		}
		if _, ok := ctx.Deadline(); !ok && limit > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, limit)
			defer cancel()
		}
		return invoker(ctx, method, req, reply, cc, opts...)
	}
}

// limitBody refuses bodies over max with 413 before any parsing: the body is
// read up to max+1 bytes once and handed on from memory.
func limitBody(max int64, log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		if r.ContentLength > max {
			writeError(w, r, http.StatusRequestEntityTooLarge, 8, "request body too large", "BODY_TOO_LARGE", fmt.Sprintf("limit is %d bytes", max))
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, max+1))
		if err != nil {
			writeError(w, r, http.StatusBadRequest, 3, "could not read request body", "BODY_UNREADABLE", err.Error())
			return
		}
		if int64(len(body)) > max {
			writeError(w, r, http.StatusRequestEntityTooLarge, 8, "request body too large", "BODY_TOO_LARGE", fmt.Sprintf("limit is %d bytes", max))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

// securityHeaders are set on every answer; the values are built once and
// shared (read-only: a later Set replaces the slice, an Add copies it).
var securityHeaderValues = http.Header{
	"X-Content-Type-Options":  {"nosniff"},
	"X-Frame-Options":         {"DENY"},
	"Referrer-Policy":         {"no-referrer"},
	"Content-Security-Policy": {"default-src 'none'; frame-ancestors 'none'"},
	"Cache-Control":           {"no-store"},
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range securityHeaderValues {
			h[k] = v[:len(v):len(v)]
		}
		next.ServeHTTP(w, r)
	})
}

func readAll(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	r.Body = readerOf(b)
	return b, err
}

func readerOf(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }

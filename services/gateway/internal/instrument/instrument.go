// Package instrument gives every HTTP request the edge serves a server span
// and records the OpenTelemetry HTTP server metrics: what
// otelhttp.NewHandler did, under otelhttp's instrumentation scope and with its
// instruments (http.server.request.duration, http.server.request.body.size,
// http.server.response.body.size: same names, units, bucket boundaries and
// attributes), so the exported series are the same, and a recording span
// carries otelhttp's name, kind, attributes and status.
//
// It does less per request. otelhttp built about fifteen span attributes and
// the span name for every request before starting the span, wrapped the
// writer twice (its own wrapper and httpsnoop's), the body even when there
// was none, added a labeler to the context, and built a new attribute set —
// sorted and hashed — for the three metric records. Here the span's
// attributes and final name are built only when the span records (when
// traces are exported, HIRFA_OTLP_ENDPOINT); the trace context is extracted
// only when the request carries one of the propagator's headers; one
// wrapper counts the response and, for a request with a body, the body; and
// the metric attribute set of each (method, scheme, host, protocol, status,
// route) is built once and kept. In BenchmarkGet's REST profile otelhttp's
// own work was about a ninth of the CPU of the edge's request goroutines
// (0.42 s of 3.74 s); this middleware's is about a twentieth (0.17 s of
// 3.68 s), and around an empty handler it allocates 4 times per request,
// otelhttp 31 (TestAllocations).
//
// Unlike otelhttp, the span's request attributes are set just after it
// starts rather than passed to Start, so a sampler does not see them (Hirfa
// samples by parent and by nothing else, telemetry.Setup); the span holds
// the same attributes either way.
package instrument

import (
	"io"
	"net"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/httpconv"
	"go.opentelemetry.io/otel/trace"
)

// durationBounds are otelhttp's bucket boundaries of
// http.server.request.duration, in seconds.
var durationBounds = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

// maxSets bounds the remembered metric attribute sets: the host is the
// client's Host header, so a caller sending a new one on every request
// would otherwise grow the map without end. Past it, a set is built per
// request, as otelhttp always did.
const maxSets = 1024

type middleware struct {
	next     http.Handler
	tracer   trace.Tracer
	prop     propagation.TextMapPropagator
	start    []trace.SpanStartOption // built once: a variadic option escapes per call
	carriers []string                // the canonical header names the propagator reads
	reqSize  metric.Int64Histogram
	respSize metric.Int64Histogram
	duration metric.Float64Histogram

	mu   sync.RWMutex
	sets map[setKey][]metric.RecordOption
}

// setKey is what the metric attributes are computed from.
type setKey struct {
	method, host, proto, route string
	tls                        bool
	status                     int
}

// Handler wraps next in a server span named after the method (and the
// route, once a mux has set the request's Pattern) and records the HTTP
// server metrics, with the global tracer and meter providers and
// propagator, as otelhttp.NewHandler with
// otelhttp.WithTracerProvider(otel.GetTracerProvider()) did: call it after
// the providers are installed.
func Handler(next http.Handler) http.Handler {
	return New(next, otel.GetTracerProvider(), otel.GetMeterProvider(), otel.GetTextMapPropagator())
}

// New is Handler with the providers and propagator given.
func New(next http.Handler, tp trace.TracerProvider, mp metric.MeterProvider, prop propagation.TextMapPropagator) http.Handler {
	meter := mp.Meter(otelhttp.ScopeName, metric.WithInstrumentationVersion(otelhttp.Version))
	m := &middleware{
		next:   next,
		tracer: tp.Tracer(otelhttp.ScopeName, trace.WithInstrumentationVersion(otelhttp.Version)),
		prop:   prop,
		start:  []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindServer)},
		sets:   map[setKey][]metric.RecordOption{},
	}
	for _, f := range prop.Fields() {
		m.carriers = append(m.carriers, textproto.CanonicalMIMEHeaderKey(f))
	}
	// otelhttp reports an instrument it cannot create to otel.Handle and
	// goes on with a no-op one; so does this.
	reqSize, err := httpconv.NewServerRequestBodySize(meter)
	otelHandle(err)
	respSize, err := httpconv.NewServerResponseBodySize(meter)
	otelHandle(err)
	duration, err := httpconv.NewServerRequestDuration(meter, metric.WithExplicitBucketBoundaries(durationBounds...))
	otelHandle(err)
	m.reqSize, m.respSize, m.duration = reqSize.Inst(), respSize.Inst(), duration.Inst()
	return m
}

func otelHandle(err error) {
	if err != nil {
		otel.Handle(err)
	}
}

func (m *middleware) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	ctx := r.Context()
	for _, k := range m.carriers {
		if _, ok := r.Header[k]; ok {
			ctx = m.prop.Extract(ctx, propagation.HeaderCarrier(r.Header))
			break
		}
	}
	ctx, span := m.tracer.Start(ctx, spanName(r.Method, ""), m.start...)
	defer span.End()
	recording := span.IsRecording()
	if recording {
		span.SetAttributes(requestAttrs(r)...)
	}

	rw := &writer{ResponseWriter: w, status: http.StatusOK}
	if r.Body != nil && r.Body != http.NoBody {
		// The original body goes back once served: net/http checks its type
		// after the handler.
		body := r.Body
		rw.body = body
		r.Body = (*countingBody)(rw)
		defer func() { r.Body = body }()
	}
	rc := r.WithContext(ctx)
	defer func() {
		// As net/http removes the temporary files of a parsed multipart
		// form only from the request it gave the handler.
		if rc.MultipartForm != nil {
			r.MultipartForm = rc.MultipartForm
		}
	}()
	m.next.ServeHTTP(rw, rc)

	if recording {
		if rc.Pattern != "" {
			span.SetName(spanName(rc.Method, route(rc.Pattern)))
		}
		if rw.status < 100 || rw.status >= 600 {
			span.SetStatus(codes.Error, "Invalid HTTP status code "+strconv.Itoa(rw.status))
		} else if rw.status >= 500 {
			span.SetStatus(codes.Error, "")
		}
		span.SetAttributes(responseAttrs(rw)...)
	}
	opts := m.metricOptions(rc, rw.status)
	m.reqSize.Record(ctx, rw.read, opts...)
	m.respSize.Record(ctx, rw.written, opts...)
	m.duration.Record(ctx, float64(time.Since(start))/float64(time.Second), opts...)
}

// metricOptions returns the record option carrying the request's metric
// attributes, built once per distinct set.
func (m *middleware) metricOptions(r *http.Request, status int) []metric.RecordOption {
	k := setKey{method: standardMethod(r.Method), host: r.Host, proto: r.Proto, route: route(r.Pattern), tls: r.TLS != nil, status: status}
	m.mu.RLock()
	opts, ok := m.sets[k]
	m.mu.RUnlock()
	if ok {
		return opts
	}
	opts = []metric.RecordOption{metric.WithAttributeSet(attribute.NewSet(metricAttrs(k)...))}
	m.mu.Lock()
	if len(m.sets) < maxSets {
		m.sets[k] = opts
	}
	m.mu.Unlock()
	return opts
}

// metricAttrs are otelhttp's metric attributes of a request (semconv
// v1.43.0 HTTP server).
func metricAttrs(k setKey) []attribute.KeyValue {
	host, port := splitHostPort(k.host)
	attrs := []attribute.KeyValue{
		semconv.HTTPRequestMethodKey.String(k.method),
		scheme(k.tls),
		semconv.ServerAddress(host),
	}
	if p := requiredPort(k.tls, port); p > 0 {
		attrs = append(attrs, semconv.ServerPort(p))
	}
	name, version := netProtocol(k.proto)
	if name != "" {
		attrs = append(attrs, semconv.NetworkProtocolName(name))
	}
	if version != "" {
		attrs = append(attrs, semconv.NetworkProtocolVersion(version))
	}
	if k.status > 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(k.status))
	}
	if k.route != "" {
		attrs = append(attrs, semconv.HTTPRoute(k.route))
	}
	return attrs
}

// requestAttrs are otelhttp's span attributes of a request.
func requestAttrs(r *http.Request) []attribute.KeyValue {
	host, port := splitHostPort(r.Host)
	attrs := []attribute.KeyValue{semconv.ServerAddress(host)}
	method, original := methodAttrs(r.Method)
	attrs = append(attrs, method, scheme(r.TLS != nil))
	if p := requiredPort(r.TLS != nil, port); p > 0 {
		attrs = append(attrs, semconv.ServerPort(p))
	}
	if original.Valid() {
		attrs = append(attrs, original)
	}
	peer, peerPort := splitHostPort(r.RemoteAddr)
	if peer != "" {
		attrs = append(attrs, semconv.NetworkPeerAddress(peer))
		if peerPort > 0 {
			attrs = append(attrs, semconv.NetworkPeerPort(peerPort))
		}
	}
	if ua := r.UserAgent(); ua != "" {
		attrs = append(attrs, semconv.UserAgentOriginal(ua))
	}
	client, _, _ := strings.Cut(r.Header.Get("X-Forwarded-For"), ",")
	if client == "" {
		client = peer
	}
	if client != "" {
		attrs = append(attrs, semconv.ClientAddress(client))
	}
	if r.URL != nil && r.URL.Path != "" {
		attrs = append(attrs, semconv.URLPath(r.URL.Path))
	}
	name, version := netProtocol(r.Proto)
	if name != "" && name != "http" {
		attrs = append(attrs, semconv.NetworkProtocolName(name))
	}
	if version != "" {
		attrs = append(attrs, semconv.NetworkProtocolVersion(version))
	}
	if rt := route(r.Pattern); rt != "" {
		attrs = append(attrs, semconv.HTTPRoute(rt))
	}
	return attrs
}

// responseAttrs are otelhttp's span attributes of the answer.
func responseAttrs(w *writer) []attribute.KeyValue {
	var attrs []attribute.KeyValue
	if w.read > 0 {
		attrs = append(attrs, semconv.HTTPRequestBodySize(int(w.read)))
	}
	if w.written > 0 {
		attrs = append(attrs, semconv.HTTPResponseBodySize(int(w.written)))
	}
	if w.status > 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(w.status))
	}
	return attrs
}

var methods = map[string]attribute.KeyValue{
	http.MethodConnect: semconv.HTTPRequestMethodConnect,
	http.MethodDelete:  semconv.HTTPRequestMethodDelete,
	http.MethodGet:     semconv.HTTPRequestMethodGet,
	http.MethodHead:    semconv.HTTPRequestMethodHead,
	http.MethodOptions: semconv.HTTPRequestMethodOptions,
	http.MethodPatch:   semconv.HTTPRequestMethodPatch,
	http.MethodPost:    semconv.HTTPRequestMethodPost,
	http.MethodPut:     semconv.HTTPRequestMethodPut,
	http.MethodTrace:   semconv.HTTPRequestMethodTrace,
}

// methodAttrs is http.request.method, and http.request.method_original
// when the method was not sent in its standard form.
func methodAttrs(m string) (attribute.KeyValue, attribute.KeyValue) {
	if m == "" {
		return semconv.HTTPRequestMethodOther, attribute.KeyValue{}
	}
	if a, ok := methods[m]; ok {
		return a, attribute.KeyValue{}
	}
	original := semconv.HTTPRequestMethodOriginal(m)
	if a, ok := methods[strings.ToUpper(m)]; ok {
		return a, original
	}
	return semconv.HTTPRequestMethodOther, original
}

// standardMethod is the method as the metrics name it: a standard method,
// or _OTHER.
func standardMethod(m string) string {
	if _, ok := methods[m]; ok {
		return m
	}
	if u := strings.ToUpper(m); methods[u].Valid() {
		return u
	}
	return "_OTHER"
}

// spanName is "METHOD route", or "METHOD" without a route; a method that is
// not standard reads "HTTP". The route-less names are constants.
func spanName(method, route string) string {
	m := strings.ToUpper(method)
	if _, ok := methods[m]; !ok {
		m = "HTTP"
	}
	if route == "" {
		return m
	}
	return m + " " + route
}

// route is the path part of a ServeMux pattern ("GET /x/{id}" → "/x/{id}").
func route(pattern string) string {
	if i := strings.IndexByte(pattern, '/'); i >= 0 {
		return pattern[i:]
	}
	return ""
}

func scheme(tls bool) attribute.KeyValue {
	if tls {
		return semconv.URLScheme("https")
	}
	return semconv.URLScheme("http")
}

// requiredPort is the port when it is not the scheme's default, else -1.
func requiredPort(tls bool, port int) int {
	if port <= 0 || (tls && port == 443) || (!tls && port == 80) {
		return -1
	}
	return port
}

// splitHostPort splits "host:port", "[v6]:port", a bare host or "[v6]";
// the port is -1 when absent or invalid.
func splitHostPort(hostport string) (host string, port int) {
	port = -1
	if strings.HasPrefix(hostport, "[") {
		end := strings.LastIndexByte(hostport, ']')
		if end < 0 {
			return "", port
		}
		if !strings.Contains(hostport[end:], ":") {
			return hostport[1:end], port
		}
	} else if !strings.Contains(hostport, ":") {
		return hostport, port
	}
	host, p, err := net.SplitHostPort(hostport)
	if err != nil {
		return host, port
	}
	n, err := strconv.ParseUint(p, 10, 16)
	if err != nil {
		return host, port
	}
	return host, int(n)
}

// netProtocol splits "HTTP/1.1" into "http" and "1.1".
func netProtocol(proto string) (name, version string) {
	name, version, _ = strings.Cut(proto, "/")
	switch name {
	case "HTTP":
		name = "http"
	case "QUIC":
		name = "quic"
	case "SPDY":
		name = "spdy"
	default:
		name = strings.ToLower(name)
	}
	return name, version
}

// writer records the status and the bytes of the answer and, for a request
// with a body, the bytes read from it (countingBody); one allocation per
// request for both.
type writer struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
	written     int64
	body        io.ReadCloser
	read        int64
}

func (w *writer) WriteHeader(code int) {
	if !w.wroteHeader {
		// Informational answers come before the real one.
		if code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols {
			w.ResponseWriter.WriteHeader(code)
			return
		}
		w.wroteHeader, w.status = true, code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *writer) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	n, err := w.ResponseWriter.Write(p)
	w.written += int64(n)
	return n, err
}

// Flush lets a streamed answer through (grpc-gateway flushes through
// http.ResponseController, which finds this method or Unwrap).
func (w *writer) Flush() {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the server's writer (deadlines,
// hijacking, full duplex).
func (w *writer) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// countingBody is the request body as the handler reads it, counted.
type countingBody writer

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.body.Read(p)
	b.read += int64(n)
	return n, err
}

func (b *countingBody) Close() error { return b.body.Close() }

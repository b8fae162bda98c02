package instrument

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

var propagator = propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})

// app answers as the edge's handlers do: a mux setting the Pattern, bodies
// read, statuses from 200 to 503, a flushed answer, nothing written at all.
func app() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"name":"items/`+r.PathValue("id")+`"}`)
	})
	mux.HandleFunc("POST /v1/items", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(b)
	})
	mux.HandleFunc("/v1/down", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, `{"code":14}`)
	})
	mux.HandleFunc("/v1/stream", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusEarlyHints)
		_, _ = io.WriteString(w, "a")
		_ = http.NewResponseController(w).Flush()
		_, _ = io.WriteString(w, "bc")
	})
	mux.HandleFunc("/v1/silent", func(http.ResponseWriter, *http.Request) {})
	return mux
}

// requests cover what changes the attributes: methods (standard, lower
// case, unknown), host with and without a port, TLS, X-Forwarded-For, a
// user agent, an incoming trace (sampled and not) and baggage, HTTP/2.
func requests() []*http.Request {
	var out []*http.Request
	add := func(method, target, body string, edit func(*http.Request)) {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		r := httptest.NewRequest(method, target, rd)
		if body == "" {
			r.Body = http.NoBody
		}
		if edit != nil {
			edit(r)
		}
		out = append(out, r)
	}
	add("GET", "http://edge.example:8080/v1/items/1", "", nil)
	add("GET", "http://edge.example/v1/items/2", "", func(r *http.Request) {
		r.Header.Set("User-Agent", "hirfactl/1")
		r.Header.Set("X-Forwarded-For", "203.0.113.9, 10.0.0.1")
		r.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
		r.Header.Set("Baggage", "chamber=fes-meknes")
	})
	add("GET", "https://edge.example:443/v1/items/3", "", func(r *http.Request) {
		r.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
		r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/2.0", 2, 0
	})
	add("POST", "http://[::1]:8080/v1/items", `{"display_name":"x"}`, nil)
	add("post", "http://edge.example:8080/v1/items", `{}`, nil)
	add("BREW", "http://edge.example:8080/v1/items/4", "", nil)
	add("GET", "http://edge.example:8080/v1/down", "", nil)
	add("PATCH", "http://edge.example:8080/v1/stream", "", nil)
	add("DELETE", "http://edge.example:8080/v1/silent", "", nil)
	add("GET", "http://edge.example:8080/nowhere", "", nil)
	return out
}

type observed struct {
	spans   []sdktrace.ReadOnlySpan
	metrics metricdata.ResourceMetrics
	// traces are the trace ids the handler saw, by request.
	traces []trace.TraceID
}

func observe(t *testing.T, sampler sdktrace.Sampler, wrap func(http.Handler, trace.TracerProvider, *sdkmetric.MeterProvider) http.Handler) observed {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sampler), sdktrace.WithSpanProcessor(rec))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	var o observed
	inner := app()
	h := wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.traces = append(o.traces, trace.SpanContextFromContext(r.Context()).TraceID())
		inner.ServeHTTP(w, r)
	}), tp, mp)
	for _, r := range requests() {
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	if err := reader.Collect(context.Background(), &o.metrics); err != nil {
		t.Fatal(err)
	}
	o.spans = rec.Ended()
	return o
}

func viaOtelhttp(next http.Handler, tp trace.TracerProvider, mp *sdkmetric.MeterProvider) http.Handler {
	return otelhttp.NewHandler(next, "gateway", otelhttp.WithTracerProvider(tp), otelhttp.WithMeterProvider(mp), otelhttp.WithPropagators(propagator))
}

func viaInstrument(next http.Handler, tp trace.TracerProvider, mp *sdkmetric.MeterProvider) http.Handler {
	return New(next, tp, mp, propagator)
}

// TestSameTelemetryAsOtelhttp: the spans (name, kind, parent, attributes,
// status, scope) and the metrics (scope, names, units, descriptions,
// bucket boundaries, attribute sets, counts, size sums) are otelhttp's, for
// every request of the table; with nothing sampled, the handler still sees
// the incoming trace, or a new one.
func TestSameTelemetryAsOtelhttp(t *testing.T) {
	want := observe(t, sdktrace.ParentBased(sdktrace.AlwaysSample()), viaOtelhttp)
	got := observe(t, sdktrace.ParentBased(sdktrace.AlwaysSample()), viaInstrument)
	if g, w := describeSpans(got.spans), describeSpans(want.spans); g != w {
		t.Errorf("spans:\n%s\nwant (otelhttp):\n%s", g, w)
	}
	if g, w := describeMetrics(t, got.metrics), describeMetrics(t, want.metrics); g != w {
		t.Errorf("metrics:\n%s\nwant (otelhttp):\n%s", g, w)
	}

	got = observe(t, sdktrace.NeverSample(), viaInstrument)
	if len(got.spans) != 0 {
		t.Errorf("%d spans recorded with nothing sampled", len(got.spans))
	}
	if g, w := describeMetrics(t, got.metrics), describeMetrics(t, want.metrics); g != w {
		t.Errorf("metrics, nothing sampled:\n%s\nwant (otelhttp):\n%s", g, w)
	}
	incoming := trace.TraceID{0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36}
	for i, id := range got.traces {
		switch {
		case i == 1 || i == 2:
			if id != incoming {
				t.Errorf("request %d: handler saw trace %s, want the incoming %s", i, id, incoming)
			}
		case !id.IsValid() || id == incoming:
			t.Errorf("request %d: handler saw trace %s, want a new one", i, id)
		}
	}
}

func describeSpans(spans []sdktrace.ReadOnlySpan) string {
	var b strings.Builder
	for _, s := range spans {
		fmt.Fprintf(&b, "%q kind=%s parent=%s/%v scope=%s@%s status=%s/%q events=%d\n", s.Name(), s.SpanKind(),
			s.Parent().TraceID(), s.Parent().IsRemote(), s.InstrumentationScope().Name, s.InstrumentationScope().Version,
			s.Status().Code, s.Status().Description, len(s.Events()))
		fmt.Fprintf(&b, "  %s\n", attrs(s.Attributes()))
	}
	return b.String()
}

func attrs(kvs []attribute.KeyValue) string {
	var out []string
	for _, kv := range kvs {
		out = append(out, string(kv.Key)+"="+kv.Value.String())
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

func describeMetrics(t *testing.T, rm metricdata.ResourceMetrics) string {
	t.Helper()
	var lines []string
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			head := fmt.Sprintf("%s@%s %s [%s] %q", sm.Scope.Name, sm.Scope.Version, m.Name, m.Unit, m.Description)
			switch d := m.Data.(type) {
			case metricdata.Histogram[int64]:
				for _, p := range d.DataPoints {
					lines = append(lines, fmt.Sprintf("%s bounds=%v count=%d sum=%d buckets=%v %s", head, p.Bounds, p.Count, p.Sum, p.BucketCounts, attrs(p.Attributes.ToSlice())))
				}
			case metricdata.Histogram[float64]:
				// Durations differ from run to run: their count and bounds do not.
				for _, p := range d.DataPoints {
					lines = append(lines, fmt.Sprintf("%s bounds=%v count=%d %s", head, p.Bounds, p.Count, attrs(p.Attributes.ToSlice())))
				}
			default:
				t.Errorf("metric %s: unexpected data %T", m.Name, m.Data)
			}
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// TestAllocations: with nothing sampled (no OTLP endpoint), a request costs
// the writer, the span and its context, and the request's copy: four
// allocations. otelhttp made 31 in this test.
func TestAllocations(t *testing.T) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.NeverSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	h := New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Pattern = "/"
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(emptyJSON)
	}), tp, mp, propagator)
	r := httptest.NewRequest("GET", "http://edge.example:8080/v1/chambers/fes-meknes/cooperatives/1", nil)
	r.Body = http.NoBody
	r.Header.Set("Authorization", "Bearer t")
	r.Header.Set("User-Agent", "hirfactl/1")
	w := discard{http.Header{}}
	h.ServeHTTP(w, r)
	if n := testing.AllocsPerRun(200, func() { h.ServeHTTP(w, r) }); n > 4 {
		t.Errorf("%v allocations per request, want at most 4", n)
	}
}

var emptyJSON = []byte("{}")

type discard struct{ h http.Header }

func (d discard) Header() http.Header       { return d.h }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/auth/devissuer"
	"github.com/hirfa/hirfa/pkg/telemetry"
	"github.com/hirfa/hirfa/services/gateway/internal/config"
)

// TestServedTelemetry: through the handler the binary serves, a REST call
// shows on the metrics port as the HTTP server metrics, under the names,
// labels and instrumentation scope otelhttp exported. No backend is
// configured, so the call is the edge's own 503.
func TestServedTelemetry(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	shutdown, err := telemetry.Setup(ctx, "gateway", version, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = shutdown(context.Background()) })
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := l.Addr().String()
	_ = l.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := telemetry.ServeMetrics(ctx, metricsAddr, log); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(t.TempDir(), "dev.pem")
	if _, err := devissuer.Load(key); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HIRFA_AUTH_DEV": "true", "HIRFA_AUTH_DEV_KEY_FILE": key, "HIRFA_HTTP_ADDR": "127.0.0.1:0"}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	h, closeHandler, err := handler(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeHandler)

	r := httptest.NewRequest(http.MethodGet, "http://edge.example:8080/v1/chambers/fes-meknes/cooperatives/1", nil)
	r.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r.WithContext(ctx))
	if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503 (no backend): %s", w.Code, w.Body)
	}

	var body string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get("http://" + metricsAddr + "/metrics")
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body = string(b)
			break
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"http_server_request_duration_seconds_bucket", "http_server_request_body_size_bytes_count", "http_server_response_body_size_bytes_count"} {
		line := metricLine(body, name)
		if line == "" {
			t.Errorf("no %s series on /metrics", name)
			continue
		}
		for _, label := range []string{`http_request_method="GET"`, `http_response_status_code="503"`, `http_route="/"`,
			`server_address="edge.example"`, `server_port="8080"`, `url_scheme="http"`, `network_protocol_name="http"`,
			`network_protocol_version="1.1"`, `otel_scope_name="go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"`} {
			if !strings.Contains(line, label) {
				t.Errorf("%s: no %s in %s", name, label, line)
			}
		}
	}
}

// metricLine is the first line of a Prometheus text body for name.
func metricLine(body, name string) string {
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, name+"{") {
			return l
		}
	}
	return ""
}

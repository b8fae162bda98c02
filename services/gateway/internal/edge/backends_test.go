package edge

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/suite"
)

// TestUnconfiguredBackendAnswers503: the routes of a service with no address
// stay known and answer 503 with a JSON error naming the service and its
// variable, not 404; readiness does not wait for it.
func TestUnconfiguredBackendAnswers503(t *testing.T) {
	b, err := BackendFor("events-and-fairs", "eventsfairs", "")
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(context.Background(), Options{Backends: []Backend{b}, MaxBodyBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	srv := httptest.NewServer(e.Handler)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/v1/chambers/fes-meknes/events/e1/booths")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d %q, want 503 JSON: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	var got struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Details []struct {
			Reason   string            `json:"reason"`
			Metadata map[string]string `json:"metadata"`
		} `json:"details"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	if got.Code != 14 || !strings.Contains(got.Message, "events-and-fairs") || len(got.Details) == 0 ||
		got.Details[0].Reason != "BACKEND_NOT_CONFIGURED" || got.Details[0].Metadata["variable"] != "HIRFA_EVENTSFAIRS_ADDR" {
		t.Errorf("body %s", body)
	}
	if r, err := http.Get(srv.URL + "/readyz"); err != nil || r.StatusCode != 200 {
		t.Errorf("readyz with only an unconfigured backend: %v %v", r, err)
	}
}

// TestEveryRoutedAPIHasRoutes: each API the manifest routes has generated
// routes in apis_gen.go.
func TestEveryRoutedAPIHasRoutes(t *testing.T) {
	for _, s := range suite.Services() {
		if !s.Routed {
			continue
		}
		if b, err := BackendFor(s.Name, s.API, s.DefaultAddr()); err != nil || len(b.Register) == 0 {
			t.Errorf("%s (api %s): no routes: %v", s.Name, s.API, err)
		}
	}
}

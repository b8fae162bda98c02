package e2e

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/proto/openapi/openapitest"
)

// TestReportingDownloadsThroughTheEdge downloads the activity report (HTML,
// CSV, XLSX) and a chart (SVG) of the seeded demo data through the REST edge
// of a multi-process stack, each answer checked against the media types the
// served OpenAPI document declares for it; a refused format still answers the
// JSON error the document declares. PDF and PNG need the headless-browser
// renderer, which this stack does not start.
func TestReportingDownloadsThroughTheEdge(t *testing.T) {
	s := newStack(t, "HIRFA_SHUTDOWN_TIMEOUT=10s")
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	api := openapitest.MustFetch(t, s.HTTP)
	hc := &http.Client{Transport: api.Transport(t, nil)}
	tok := token(t, s, auth.RoleChamberClerk, "fes-meknes")
	get := func(path string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.HTTP+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}
	const period = "start_date=2025-01-01&end_date=2025-12-31"
	for _, tt := range []struct {
		path, contentType string
		starts            []byte // the file's signature
	}{
		{"/v1/chambers/fes-meknes/activityReport?" + period + "&language=fr&format=HTML", "text/html", nil},
		{"/v1/chambers/fes-meknes/activityReport?" + period + "&language=ar&format=CSV&table=artisans_by_province", "text/csv", []byte("\xef\xbb\xbf")},
		{"/v1/chambers/fes-meknes/activityReport?" + period + "&language=ar&format=XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", []byte("PK\x03\x04")},
		{"/v1/chambers/fes-meknes/charts/artisans_by_province?language=fr&format=SVG", "image/svg+xml", nil},
	} {
		resp, body := get(tt.path)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.contentType) ||
			len(body) == 0 || !bytes.HasPrefix(body, tt.starts) {
			t.Errorf("GET %s = %d %s %q", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), truncate(body))
			continue
		}
		if !strings.Contains(resp.Header.Get("Content-Disposition"), "filename=") {
			t.Errorf("GET %s: Content-Disposition %q names no file", tt.path, resp.Header.Get("Content-Disposition"))
		}
		if tt.contentType == "image/svg+xml" && !bytes.Contains(body, []byte("<svg")) {
			t.Errorf("GET %s: no <svg> in %q", tt.path, truncate(body))
		}
	}
	// A chart format asked of the report: refused with the JSON error body.
	resp, body := get("/v1/chambers/fes-meknes/activityReport?" + period + "&language=fr&format=SVG")
	if resp.StatusCode != http.StatusBadRequest || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("SVG report = %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), truncate(body))
	}
}

func truncate(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

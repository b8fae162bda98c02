package openapitest_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hirfa/hirfa/proto/openapi"
	"github.com/hirfa/hirfa/proto/openapi/openapitest"
)

// TestCheckDownloads: a download's answer is checked by its Content-Type: a
// file of a declared type passes (whatever its bytes), a type the operation
// does not declare or a JSON body in place of the file fails, and a JSON
// error answer still passes.
func TestCheckDownloads(t *testing.T) {
	v, err := openapitest.Load(openapi.Document)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	req := httptest.NewRequest(http.MethodGet, "/v1/chambers/fes-meknes/activityReport?start_date=2026-01-01&end_date=2026-06-30&format=PDF", nil)
	in, err := v.CheckRequest(ctx, req, nil)
	if err != nil {
		t.Fatal(err)
	}
	answer := func(status int, ct string, body []byte) error {
		resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {ct}}, Body: io.NopCloser(bytes.NewReader(body))}
		return v.CheckResponse(ctx, in, resp, body)
	}
	pdf := []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
	for _, ct := range []string{"application/pdf", "text/html; charset=utf-8", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} {
		if err := answer(200, ct, pdf); err != nil {
			t.Errorf("%s: %v", ct, err)
		}
	}
	if err := answer(200, "text/csv; charset=utf-8", []byte("\xef\xbb\xbfprovince,cooperatives\nfes,12\n")); err != nil {
		t.Errorf("csv: %v", err)
	}
	if err := answer(200, "image/png", []byte("\x89PNG\r\n\x1a\n")); err == nil {
		t.Error("a PNG answer to the activity report passed")
	}
	if err := answer(200, "application/json", []byte(`{"content_type":"application/pdf","data":"JVBERg=="}`)); err == nil {
		t.Error("a JSON HttpBody answer passed")
	}
	if err := answer(404, "application/json", []byte(`{"code":5,"message":"not found"}`)); err != nil {
		t.Errorf("error answer: %v", err)
	}
}

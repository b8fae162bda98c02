package openapitest_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/hirfa/hirfa/proto/openapi"
	"github.com/hirfa/hirfa/proto/openapi/openapitest"
)

// BenchmarkCheck measures one checked create (request and answer), the
// cost the validating transport adds to each call of the load tests.
func BenchmarkCheck(b *testing.B) {
	v, err := openapitest.Load(openapi.Document)
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"display_name":{"ar":"تعاونية","fr":"Coopérative"},"province":"fes","activity":"F1.B02.A01","members_men":4,"members_women":3,"capital_centimes":"500000","share_value_centimes":"10000"}`)
	answer := []byte(`{"name":"chambers/fes-meknes/cooperatives/abc","display_name":{"fr":"Coopérative"},"state":"FORMING","create_time":"2026-01-10T09:30:00Z","etag":"\"1\""}`)
	ctx := context.Background()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/v1/chambers/fes-meknes/cooperatives?request_id=k1", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		in, err := v.CheckRequest(ctx, req, body)
		if err != nil {
			b.Fatal(err)
		}
		resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewReader(answer))}
		if err := v.CheckResponse(ctx, in, resp, answer); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCheckRejects: a path the document does not have, a body of the wrong
// shape and an answer of the wrong shape are each reported.
func TestCheckRejects(t *testing.T) {
	v, err := openapitest.Load(openapi.Document)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	check := func(method, path, body string) (*openapi3filter.RequestValidationInput, error) {
		req := httptest.NewRequest(method, path, bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", "application/json")
		return v.CheckRequest(ctx, req, []byte(body))
	}
	if _, err := check(http.MethodGet, "/v1/nowhere", ""); err == nil {
		t.Error("an undocumented path passed")
	}
	if _, err := check(http.MethodPost, "/v1/chambers/fes-meknes/cooperatives", `{"members_men":"four"}`); err == nil {
		t.Error("a string for an integer passed")
	}
	in, err := check(http.MethodGet, "/v1/chambers/fes-meknes/cooperatives/abc", "")
	if err != nil {
		t.Fatal(err)
	}
	answer := []byte(`{"name":7}`)
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewReader(answer))}
	if err := v.CheckResponse(ctx, in, resp, answer); err == nil {
		t.Error("a number for a resource name passed")
	}
	errBody := []byte(`{"code":5,"message":"not found","details":[{"reason":"NOT_FOUND"}]}`)
	resp = &http.Response{StatusCode: 404, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewReader(errBody))}
	if err := v.CheckResponse(ctx, in, resp, errBody); err == nil {
		t.Error("an error detail without @type passed")
	}
}

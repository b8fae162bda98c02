// Package openapitest holds REST tests to the OpenAPI document the gateway
// serves: every request a test sends and every response it gets is checked
// against the document (kin-openapi's openapi3filter), so a call that matches
// no documented path, or a body that breaks its schema, fails the test.
//
// Wrap a test's HTTP client transport with (*Validator).Transport. A request
// that is meant to break the contract (a path-traversal probe, malformed JSON,
// an oversized body) carries Unchecked(ctx) and is sent as is.
package openapitest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Validator checks HTTP exchanges against one OpenAPI document.
type Validator struct {
	Doc    *openapi3.T
	router routers.Router
}

// Load parses and validates an OpenAPI document.
func Load(data []byte) (*Validator, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load openapi document: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("invalid openapi document: %w", err)
	}
	// The document's server is relative ("/"): match any host a test uses.
	doc.Servers = nil
	// Check bodies with kin-openapi's own schema validator rather than its
	// JSON Schema 2020-12 one, which openapi3filter picks for a 3.1 document
	// and which recompiles the schema on every call (about 25 ms a call here,
	// enough to throttle the load tests). The document uses no 3.1-only
	// keyword that validation depends on (TestDocument walks it with the
	// 2020-12 validator once, for its examples).
	doc.OpenAPI = "3.0.3"
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route openapi document: %w", err)
	}
	return &Validator{Doc: doc, router: router}, nil
}

// Fetch loads the document an edge serves at base + "/openapi.json".
func Fetch(ctx context.Context, base string) (*Validator, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(base, "/")+"/openapi.json", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch openapi document: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("read openapi document: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /openapi.json = %d", resp.StatusCode)
	}
	return Load(body)
}

// MustFetch is Fetch failing the test.
func MustFetch(t testing.TB, base string) *Validator {
	t.Helper()
	v, err := Fetch(context.Background(), base)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

type uncheckedKey struct{}

// Unchecked marks a request as deliberately outside the contract: the
// transport sends it without checking it or its answer.
func Unchecked(ctx context.Context) context.Context {
	return context.WithValue(ctx, uncheckedKey{}, true)
}

func unchecked(ctx context.Context) bool {
	b, _ := ctx.Value(uncheckedKey{}).(bool)
	return b
}

// Route finds the documented operation of a request, or an error naming the
// method and path that match nothing.
func (v *Validator) Route(req *http.Request) (*routers.Route, map[string]string, error) {
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s matches no operation of the OpenAPI document: %w", req.Method, req.URL.Path, err)
	}
	return route, params, nil
}

var options = &openapi3filter.Options{
	// The document declares who may call; authentication itself is the
	// edge's job, and tests send anonymous calls to protected routes on purpose.
	AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
	// Every status the edge returns must be documented (4XX and default cover errors).
	IncludeResponseStatus: true,
}

// CheckRequest validates a request (whose body is body) against its operation.
func (v *Validator) CheckRequest(ctx context.Context, req *http.Request, body []byte) (*openapi3filter.RequestValidationInput, error) {
	route, params, err := v.Route(req)
	if err != nil {
		return nil, err
	}
	r := req.Clone(ctx)
	r.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: options}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		return nil, fmt.Errorf("%s %s (%s) breaks the OpenAPI document: %w", req.Method, req.URL.Path, route.Operation.OperationID, err)
	}
	return in, nil
}

// CheckResponse validates a response (whose body is body) to a checked request.
func (v *Validator) CheckResponse(ctx context.Context, in *openapi3filter.RequestValidationInput, resp *http.Response, body []byte) error {
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                options,
	}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return fmt.Errorf("answer %d to %s %s (%s) breaks the OpenAPI document: %w\nbody: %s",
			resp.StatusCode, in.Request.Method, in.Request.URL.Path, in.Route.Operation.OperationID, err, truncate(body))
	}
	return nil
}

// Transport returns a RoundTripper that checks every request and response
// through next (http.DefaultTransport when nil) and reports a breach with
// t.Errorf, so the test fails without stopping the goroutine that called.
func (v *Validator) Transport(t testing.TB, next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return roundTripper{v: v, t: t, next: next}
}

type roundTripper struct {
	v    *Validator
	t    testing.TB
	next http.RoundTripper
}

func (rt roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if unchecked(ctx) {
		return rt.next.RoundTrip(req)
	}
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		_ = req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	in, err := rt.v.CheckRequest(ctx, req, body)
	if err != nil {
		rt.t.Errorf("openapi: %v", err)
	}
	resp, err := rt.next.RoundTrip(req)
	if err != nil || in == nil {
		return resp, err
	}
	respBody, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		// A connection cut mid-answer (a killed backend): the caller sees
		// a transport failure, as it would without this check.
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	if err := rt.v.CheckResponse(ctx, in, resp, respBody); err != nil {
		rt.t.Errorf("openapi: %v", err)
	}
	return resp, nil
}

func truncate(b []byte) string {
	const max = 600
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}

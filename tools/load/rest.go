package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
)

// REST calls the registry through the gateway's REST/JSON edge.
type REST struct {
	base string // e.g. http://127.0.0.1:8080
	// auth is the Authorization header's value, built once per token and
	// shared by every request (read-only): what an integrator's client
	// does with a token it holds for an hour, rather than concatenating
	// "Bearer " and the token into a new string on every call.
	auth []string
	hc   *http.Client
}

var _ Client = (*REST)(nil)

// NewREST returns a REST client of the edge at base (scheme and host) that
// sends token as a bearer token (none when empty). hc nil means a client
// keeping up to 256 idle connections to the edge, so that many concurrent
// callers reuse connections instead of opening new ones.
func NewREST(base, token string, hc *http.Client) *REST {
	if hc == nil {
		hc = &http.Client{Transport: &http.Transport{
			MaxIdleConns:        256,
			MaxIdleConnsPerHost: 256,
			IdleConnTimeout:     90 * time.Second,
		}}
	}
	return &REST{base: strings.TrimRight(base, "/"), auth: bearer(token), hc: hc}
}

// bearer is the Authorization header of token, nil (none sent) when empty.
func bearer(token string) []string {
	if token == "" {
		return nil
	}
	return []string{"Bearer " + token}
}

// jsonContentType is the Content-Type header of a request body, shared.
var jsonContentType = []string{"application/json"}

// WithToken returns a client of the same edge, sharing connections, that
// sends another token.
func (r *REST) WithToken(token string) *REST {
	c := *r
	c.auth = bearer(token)
	return &c
}

var (
	restMarshal   = protojson.MarshalOptions{UseProtoNames: true}
	restUnmarshal = protojson.UnmarshalOptions{DiscardUnknown: true}
)

// GetCooperative is GET /v1/{name}.
func (r *REST) GetCooperative(ctx context.Context, name string) (*registryv1.Cooperative, error) {
	out := &registryv1.Cooperative{}
	return out, r.Do(ctx, http.MethodGet, "/v1/"+name, nil, nil, out)
}

// CreateCooperative is POST /v1/{parent}/cooperatives?request_id=….
func (r *REST) CreateCooperative(ctx context.Context, parent, requestID string, c *registryv1.Cooperative) (*registryv1.Cooperative, error) {
	q := url.Values{}
	if requestID != "" {
		q.Set("request_id", requestID)
	}
	out := &registryv1.Cooperative{}
	return out, r.Do(ctx, http.MethodPost, "/v1/"+parent+"/cooperatives", q, c, out)
}

// ListCooperatives is GET /v1/{parent}/cooperatives.
func (r *REST) ListCooperatives(ctx context.Context, req *registryv1.ListCooperativesRequest) (*registryv1.ListCooperativesResponse, error) {
	q := url.Values{}
	if req.GetPageSize() != 0 {
		q.Set("page_size", strconv.Itoa(int(req.GetPageSize())))
	}
	for k, v := range map[string]string{"page_token": req.GetPageToken(), "filter": req.GetFilter(), "order_by": req.GetOrderBy()} {
		if v != "" {
			q.Set(k, v)
		}
	}
	out := &registryv1.ListCooperativesResponse{}
	return out, r.Do(ctx, http.MethodGet, "/v1/"+req.GetParent()+"/cooperatives", q, nil, out)
}

// Do sends one JSON request: body (if not nil) marshalled with proto field
// names, the answer unmarshalled into out (if not nil). An error status
// becomes a *StatusError carrying the edge's gRPC code and message; no
// answer at all becomes a *TransportError.
func (r *REST) Do(ctx context.Context, method, path string, query url.Values, body, out proto.Message) error {
	var rd io.Reader
	if body != nil {
		b, err := restMarshal.Marshal(body)
		if err != nil {
			return fmt.Errorf("encode request: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	u := r.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	// The header names are canonical already (what Header.Set stores).
	if body != nil {
		req.Header["Content-Type"] = jsonContentType
	}
	if r.auth != nil {
		req.Header["Authorization"] = r.auth
	}
	resp, err := r.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &TransportError{Err: err}
	}
	defer resp.Body.Close()
	b, err := readBody(resp)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &TransportError{Err: err}
	}
	if resp.StatusCode/100 != 2 {
		return restError(resp, b)
	}
	if out == nil {
		return nil
	}
	if err := restUnmarshal.Unmarshal(b, out); err != nil {
		return fmt.Errorf("decode %s %s answer: %w", method, path, err)
	}
	return nil
}

// readBody reads an answer's body into one buffer of its Content-Length
// when the edge sent one (every JSON answer it writes at once); io.ReadAll
// starts at 512 bytes and grows, two or three allocations for a record.
func readBody(resp *http.Response) ([]byte, error) {
	n := resp.ContentLength
	if n < 0 || n > maxPresizedBody {
		return io.ReadAll(resp.Body)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(resp.Body, b); err != nil {
		return nil, err
	}
	return b, nil
}

// maxPresizedBody bounds the buffer a Content-Length alone can make the
// client allocate; a larger answer grows as it arrives.
const maxPresizedBody = 1 << 20

// restError reads the edge's error body ({"code","message","details"}, a
// google.rpc.Status in JSON); a body that is not one (say from a proxy)
// keeps the HTTP status and the text.
func restError(resp *http.Response, body []byte) error {
	e := &StatusError{HTTPStatus: resp.StatusCode, Code: codeOfHTTP(resp.StatusCode)}
	var st status.Status
	if err := restUnmarshal.Unmarshal(body, &st); err == nil && (st.GetCode() != 0 || st.GetMessage() != "") {
		e.Code, e.Message = codes.Code(st.GetCode()), st.GetMessage()
	} else {
		e.Message = strings.TrimSpace(string(body))
	}
	if s := resp.Header.Get("Retry-After"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 0 {
			e.RetryAfter = time.Duration(n) * time.Second
		}
	}
	return e
}

// codeOfHTTP is the usual gRPC code of an HTTP status, for answers without
// a status body.
func codeOfHTTP(s int) codes.Code {
	switch s {
	case http.StatusBadRequest:
		return codes.InvalidArgument
	case http.StatusUnauthorized:
		return codes.Unauthenticated
	case http.StatusForbidden:
		return codes.PermissionDenied
	case http.StatusNotFound:
		return codes.NotFound
	case http.StatusConflict:
		return codes.Aborted
	case http.StatusTooManyRequests:
		return codes.ResourceExhausted
	case http.StatusBadGateway, http.StatusServiceUnavailable:
		return codes.Unavailable
	case http.StatusGatewayTimeout:
		return codes.DeadlineExceeded
	}
	return codes.Unknown
}

// IsCode reports whether err is a StatusError with code c.
func IsCode(err error, c codes.Code) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Code == c
}

package console

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
)

// client calls the public REST API as the signed-in user: the user's own
// bearer token and language, nothing more. The console holds no other
// credential, so it can do only what the API lets that user do.
type client struct {
	base string // e.g. http://127.0.0.1:8080, or "http://edge" in process
	rt   http.RoundTripper
}

// HandlerTransport sends requests to an http.Handler in process: the
// gateway's console calls its own edge (with its guard: limits,
// idempotency, authentication) without a network hop.
type HandlerTransport struct{ Handler http.Handler }

// RoundTrip serves req with the handler.
func (t HandlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	if req.RemoteAddr == "" {
		req.RemoteAddr = "127.0.0.1:0" // the console itself, for per-address limits
	}
	t.Handler.ServeHTTP(rec, req)
	return rec.Result(), nil
}

// apiError is the edge's JSON error: {"code","message","details"}.
type apiError struct {
	HTTPStatus int
	Code       int    `json:"code"`
	Message    string `json:"message"`
	Details    []struct {
		Type            string `json:"@type"`
		Reason          string `json:"reason"`
		FieldViolations []struct {
			Field       string `json:"field"`
			Description string `json:"description"`
			Reason      string `json:"reason"`
		} `json:"field_violations"`
		Message string `json:"message"`
	} `json:"details"`
}

func (e *apiError) Error() string { return fmt.Sprintf("%d: %s", e.HTTPStatus, e.Message) }

// Fields maps each violated field (last path segment, as the form names
// its inputs) to its message in the caller's language.
func (e *apiError) Fields() map[string]string {
	out := map[string]string{}
	for _, d := range e.Details {
		for _, v := range d.FieldViolations {
			f := v.Field
			if i := strings.LastIndex(f, "."); i >= 0 && !strings.HasPrefix(f[i:], ".ar") && !strings.HasPrefix(f[i:], ".fr") {
				f = f[i+1:]
			}
			f = strings.TrimPrefix(f, "cooperative.")
			if out[f] == "" {
				out[f] = v.Description
			} else {
				out[f] += " — " + v.Description
			}
		}
	}
	return out
}

// NotFound reports an answer of 404 (also what another chamber's record
// answers).
// text is the message to show: the API's own, already in the user's
// language, or, for a bare 5xx that carries no API status (a proxy with no
// healthy upstream), the console's localized "unavailable".
func (e *apiError) text(l locale) string {
	if e.Code == 0 && e.HTTPStatus >= http.StatusInternalServerError {
		return l.T("unavailable")
	}
	return e.Message
}

func (e *apiError) NotFound() bool { return e.HTTPStatus == http.StatusNotFound }

// call does one API request; body (if not nil) is sent as JSON. A JSON
// answer decodes into out (a *map[string]any or a struct pointer).
func (c *client) call(ctx context.Context, s *session, lang, method, path string, query url.Values, body any, out any) error {
	raw, _, err := c.do(ctx, s, lang, method, path, query, body)
	if err != nil {
		return err
	}
	if out == nil || len(raw) == 0 {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s %s: decode: %w", method, path, err)
	}
	return nil
}

// do returns the answer's bytes and headers, or an *apiError.
func (c *client) do(ctx context.Context, s *session, lang, method, path string, query url.Values, body any) ([]byte, http.Header, error) {
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if method == http.MethodPost || method == http.MethodPatch {
		// Each form submission is one idempotent request: a retried
		// submission never creates twice.
		req.Header.Set("Idempotency-Key", newID(16))
	}
	req.Header.Set("Accept-Language", lang)
	if s != nil && s.Token != "" {
		req.Header.Set("Authorization", "Bearer "+s.Token)
	}
	resp, err := c.rt.RoundTrip(req)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: read: %w", method, path, err)
	}
	if resp.StatusCode >= 300 {
		e := &apiError{HTTPStatus: resp.StatusCode}
		if json.Unmarshal(raw, e) != nil || e.Message == "" {
			e.Message = http.StatusText(resp.StatusCode)
		}
		return nil, nil, e
	}
	return raw, resp.Header, nil
}

func newID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
)

// memRegistry is an in-memory registry with request_id replay, like the
// real one, and injectable failures.
type memRegistry struct {
	mu      sync.Mutex
	byName  map[string]*registryv1.Cooperative
	order   []string
	byReqID map[string]string
	calls   map[string]int // creates per request id
	// failFirst makes the first n attempts of each create fail with this
	// error; applyThenFail applies the create before failing (a lost
	// answer).
	failFirst     int
	failErr       error
	applyThenFail bool
	// forgetReplay breaks idempotency (a registry without request ids).
	forgetReplay bool
	seq          int
}

func newMem() *memRegistry {
	return &memRegistry{byName: map[string]*registryv1.Cooperative{}, byReqID: map[string]string{}, calls: map[string]int{}}
}

func (m *memRegistry) GetCooperative(_ context.Context, name string) (*registryv1.Cooperative, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.byName[name]
	if !ok {
		return nil, &StatusError{Code: codes.NotFound, Message: name}
	}
	return c, nil
}

func (m *memRegistry) CreateCooperative(_ context.Context, parent, requestID string, c *registryv1.Cooperative) (*registryv1.Cooperative, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls[requestID]++
	fail := m.calls[requestID] <= m.failFirst
	if fail && !m.applyThenFail {
		return nil, m.failErr
	}
	var out *registryv1.Cooperative
	if name, ok := m.byReqID[requestID]; ok && !m.forgetReplay {
		out = m.byName[name]
	} else {
		m.seq++
		out = &registryv1.Cooperative{Name: fmt.Sprintf("%s/cooperatives/c%d", parent, m.seq), DisplayName: c.GetDisplayName()}
		m.byName[out.Name] = out
		m.order = append(m.order, out.Name)
		m.byReqID[requestID] = out.Name
	}
	if fail {
		return nil, m.failErr
	}
	return out, nil
}

func (m *memRegistry) ListCooperatives(_ context.Context, req *registryv1.ListCooperativesRequest) (*registryv1.ListCooperativesResponse, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	start := 0
	if req.GetPageToken() != "" {
		fmt.Sscan(req.GetPageToken(), &start)
	}
	end := min(start+int(req.GetPageSize()), len(m.order))
	resp := &registryv1.ListCooperativesResponse{}
	for _, n := range m.order[start:end] {
		resp.Cooperatives = append(resp.Cooperatives, m.byName[n])
	}
	if end < len(m.order) {
		resp.NextPageToken = fmt.Sprint(end)
	}
	return resp, nil
}

func (m *memRegistry) delete(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.byName, name)
}

var fastRetry = Retry{Initial: time.Millisecond, Max: 5 * time.Millisecond, MaxElapsed: 5 * time.Second, Attempt: time.Second}

func TestRetryable(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
		code codes.Code
	}{
		{"grpc unavailable", &StatusError{Code: codes.Unavailable}, true, codes.Unavailable},
		{"http 503", &StatusError{Code: codes.Unavailable, HTTPStatus: 503}, true, codes.Unavailable},
		{"http 429", &StatusError{Code: codes.ResourceExhausted, HTTPStatus: 429}, true, codes.ResourceExhausted},
		{"http 502 without body", &StatusError{Code: codes.Unknown, HTTPStatus: 502}, true, codes.Unknown},
		{"connection refused", &TransportError{Err: errors.New("connection refused")}, true, codes.Unavailable},
		{"attempt timeout", &attemptTimeout{err: context.DeadlineExceeded}, true, codes.Unavailable},
		{"wrapped", fmt.Errorf("create: %w", &StatusError{Code: codes.Unavailable}), true, codes.Unavailable},
		{"aborted", &StatusError{Code: codes.Aborted, HTTPStatus: 409}, false, codes.Aborted},
		{"invalid", &StatusError{Code: codes.InvalidArgument}, false, codes.InvalidArgument},
		{"not found over http", &StatusError{Code: codes.NotFound, HTTPStatus: 404}, false, codes.NotFound},
		{"caller deadline", context.DeadlineExceeded, false, codes.DeadlineExceeded},
		{"nil", nil, false, codes.OK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Retryable(tc.err); got != tc.want {
				t.Errorf("Retryable = %v, want %v", got, tc.want)
			}
			if got := Code(tc.err); got != tc.code {
				t.Errorf("Code = %s, want %s", got, tc.code)
			}
		})
	}
}

func TestFromGRPC(t *testing.T) {
	err := fromGRPC(status.Error(codes.Unavailable, "connection refused"))
	if !Retryable(err) || !IsCode(err, codes.Unavailable) {
		t.Errorf("fromGRPC(Unavailable) = %v, want a retryable Unavailable", err)
	}
	if fromGRPC(nil) != nil {
		t.Error("fromGRPC(nil) is not nil")
	}
}

func TestRetryDo(t *testing.T) {
	unavailable := &StatusError{Code: codes.Unavailable}
	for _, tc := range []struct {
		name         string
		policy       Retry
		errs         []error // answers of successive attempts; then success
		wantAttempts int
		wantErr      bool
	}{
		{"success first", fastRetry, nil, 1, false},
		{"unavailable twice", fastRetry, []error{unavailable, unavailable}, 3, false},
		{"not retryable", fastRetry, []error{&StatusError{Code: codes.InvalidArgument}}, 1, true},
		{"no retry policy", NoRetry, []error{unavailable}, 1, true},
		// Waits are jittered (up to 20ms each), so the number of attempts
		// varies; what must hold is that it stops near MaxElapsed.
		{"gives up after max elapsed", Retry{Initial: 20 * time.Millisecond, Max: 20 * time.Millisecond, MaxElapsed: 50 * time.Millisecond},
			slices.Repeat([]error{unavailable}, 100_000), 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			began := time.Now()
			attempts, err := tc.policy.Do(t.Context(), func(context.Context) error {
				n++
				if n <= len(tc.errs) {
					return tc.errs[n-1]
				}
				return nil
			})
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if attempts != n {
				t.Errorf("reported %d attempts, made %d", attempts, n)
			}
			if tc.wantAttempts != 0 && attempts != tc.wantAttempts {
				t.Errorf("attempts = %d, want %d", attempts, tc.wantAttempts)
			}
			if took := time.Since(began); tc.name == "gives up after max elapsed" && (attempts >= len(tc.errs) || took > time.Second) {
				t.Errorf("made %d attempts in %v; the 50ms deadline was not applied", attempts, took)
			}
		})
	}
}

func TestRetryAttemptTimeout(t *testing.T) {
	p := Retry{Initial: time.Millisecond, Max: time.Millisecond, MaxElapsed: 5 * time.Second, Attempt: 20 * time.Millisecond}
	n := 0
	attempts, err := p.Do(t.Context(), func(ctx context.Context) error {
		n++
		if n == 1 { // the first attempt hangs until its own deadline
			<-ctx.Done()
			return ctx.Err()
		}
		return nil
	})
	if err != nil || attempts != 2 {
		t.Errorf("attempts=%d err=%v; want a second, successful attempt after the first timed out", attempts, err)
	}
}

func TestRESTClient(t *testing.T) {
	var gotAuth, gotReqID, gotBody string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/v1/chambers/fes-meknes/cooperatives":
			gotAuth, gotReqID = r.Header.Get("Authorization"), r.URL.Query().Get("request_id")
			b := make([]byte, 4096)
			n, _ := r.Body.Read(b)
			gotBody = string(b[:n])
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"name":"chambers/fes-meknes/cooperatives/abc","display_name":{"ar":"تعاونية","fr":"x"},"capital_centimes":"1500000","unknown_field":1}`)
		case r.URL.Path == "/v1/chambers/fes-meknes/cooperatives/busy":
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"code":14,"message":"service temporarily unavailable, retry later"}`)
		case r.URL.Path == "/v1/chambers/fes-meknes/cooperatives/stale":
			w.WriteHeader(http.StatusConflict)
			fmt.Fprint(w, `{"code":10,"message":"etag mismatch","details":[]}`)
		default:
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, "upstream connect error")
		}
	}))
	defer srv.Close()
	c := NewREST(srv.URL+"/", "tok", nil)

	out, err := c.CreateCooperative(t.Context(), "chambers/fes-meknes", "rq-1", NewCooperative("rq-1"))
	if err != nil {
		t.Fatal(err)
	}
	if out.GetName() != "chambers/fes-meknes/cooperatives/abc" || out.GetCapitalCentimes() != 1_500_000 {
		t.Errorf("decoded %v", out)
	}
	if gotAuth != "Bearer tok" || gotReqID != "rq-1" || !strings.Contains(gotBody, `"display_name"`) || !strings.Contains(gotBody, `"capital_centimes"`) {
		t.Errorf("sent auth %q request_id %q body %s; want the bearer token, the request id and proto field names", gotAuth, gotReqID, gotBody)
	}

	for _, tc := range []struct {
		name       string
		want       codes.Code
		http       int
		retry      bool
		retryAfter time.Duration
	}{
		{"busy", codes.Unavailable, 503, true, 2 * time.Second},
		{"stale", codes.Aborted, 409, false, 0},
		{"other", codes.Unavailable, 502, true, 0},
	} {
		_, err := c.GetCooperative(t.Context(), "chambers/fes-meknes/cooperatives/"+tc.name)
		var se *StatusError
		if !errors.As(err, &se) {
			t.Fatalf("%s: %v is not a StatusError", tc.name, err)
		}
		if se.Code != tc.want || se.HTTPStatus != tc.http || Retryable(err) != tc.retry || se.RetryAfter != tc.retryAfter {
			t.Errorf("%s: got %+v retryable=%v", tc.name, se, Retryable(err))
		}
	}

	dead := NewREST("http://127.0.0.1:1", "", nil)
	_, err = dead.GetCooperative(t.Context(), "chambers/x/cooperatives/y")
	var te *TransportError
	if !errors.As(err, &te) || !Retryable(err) {
		t.Errorf("refused connection: %v, want a retryable TransportError", err)
	}
}

func TestRunRetriesWithTheSameRequestID(t *testing.T) {
	for _, tc := range []struct {
		name          string
		applyThenFail bool
	}{
		{"refused before applying", false},
		{"answer lost after applying", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMem()
			m.failFirst, m.failErr, m.applyThenFail = 2, &StatusError{Code: codes.Unavailable, HTTPStatus: 503}, tc.applyThenFail
			rep, err := Run(t.Context(), m, Config{Rate: 400, Duration: 250 * time.Millisecond, CreateShare: 0.5, Parent: "chambers/fes-meknes", Retry: fastRetry})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Results) != 100 {
				t.Errorf("%d requests, want 400/s × 0.25s = 100", len(rep.Results))
			}
			if f := rep.Failed(); len(f) != 0 {
				t.Fatalf("%d failed, first: %v", len(f), f[0].Err)
			}
			acks := rep.Acked()
			if len(acks) == 0 || rep.Stats(OpRead).Count == 0 {
				t.Fatalf("acked %d creates and %d reads; want both kinds", len(acks), rep.Stats(OpRead).Count)
			}
			for _, a := range acks {
				if n := m.calls[a.RequestID]; n != 3 {
					t.Errorf("request %s sent %d times, want 3 (two failures, one success)", a.RequestID, n)
				}
			}
			if rep.Retried() != len(acks) {
				t.Errorf("retried %d requests, want every create (%d)", rep.Retried(), len(acks))
			}
			v, err := Verify(t.Context(), m, "chambers/fes-meknes", rep, fastRetry)
			if err != nil {
				t.Fatal(err)
			}
			if !v.OK() || v.Listed != len(acks) || v.Unacknowledged != 0 {
				t.Errorf("verification %s; want every create once", v)
			}
		})
	}
}

func TestVerifyFindsLostAndDuplicatedWrites(t *testing.T) {
	m := newMem()
	m.forgetReplay, m.failFirst, m.failErr, m.applyThenFail = true, 1, &StatusError{Code: codes.Unavailable}, true
	rep, err := Run(t.Context(), m, Config{Rate: 200, Duration: 100 * time.Millisecond, CreateShare: 1, Parent: "chambers/fes-meknes", Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	acks := rep.Acked()
	if len(acks) != 20 {
		t.Fatalf("acked %d, want 20", len(acks))
	}
	m.delete(acks[3].Name)
	v, err := Verify(t.Context(), m, "chambers/fes-meknes", rep, fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	if v.OK() {
		t.Fatalf("verification passed on a registry that loses and duplicates writes: %s", v)
	}
	if len(v.Missing) != 1 || v.Missing[0] != acks[3] {
		t.Errorf("missing %v, want %v", v.Missing, acks[3])
	}
	// Without replay, each retried create was recorded twice.
	if len(v.Duplicates) != 19 {
		t.Errorf("%d duplicated request ids, want 19 (the one deleted leaves a single record)", len(v.Duplicates))
	}
}

func TestRunStopsWithContext(t *testing.T) {
	m := newMem()
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	rep, err := Run(ctx, m, Config{Rate: 100, Duration: time.Minute, CreateShare: 1, Parent: "chambers/fes-meknes", Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 5*time.Second || len(rep.Results) > 20 {
		t.Errorf("ran %s and sent %d after the context ended at 100ms", time.Since(start), len(rep.Results))
	}
}

func TestRunRejectsBadConfig(t *testing.T) {
	for _, cfg := range []Config{
		{Rate: 0, Duration: time.Second, Parent: "chambers/x"},
		{Rate: 1, Duration: 0, Parent: "chambers/x"},
		{Rate: 1, Duration: time.Second, CreateShare: 1.5, Parent: "chambers/x"},
		{Rate: 1, Duration: time.Second, Parent: "fes-meknes"},
	} {
		if _, err := Run(t.Context(), newMem(), cfg); err == nil {
			t.Errorf("Run accepted %+v", cfg)
		}
	}
}

func TestClosed(t *testing.T) {
	var calls atomic.Int64
	r := Closed(t.Context(), 4, 20*time.Millisecond, 100*time.Millisecond, func(ctx context.Context, w, i int) error {
		calls.Add(1)
		time.Sleep(time.Millisecond)
		if i%10 == 9 {
			return errors.New("every tenth call fails")
		}
		return nil
	})
	if r.Latency.Count == 0 || int64(r.Latency.Count) >= calls.Load() {
		t.Errorf("measured %d of %d calls; want the warm-up excluded", r.Latency.Count, calls.Load())
	}
	if r.Errors == 0 || r.FirstErr == nil {
		t.Errorf("errors %d (%v), want some", r.Errors, r.FirstErr)
	}
	if r.PerSecond() <= 0 || r.Latency.P50 < time.Millisecond {
		t.Errorf("rate %.0f/s p50 %s", r.PerSecond(), r.Latency.P50)
	}
}

func TestRequestIDOf(t *testing.T) {
	if got := RequestIDOf(NewCooperative("ld1-000001")); got != "ld1-000001" {
		t.Errorf("RequestIDOf = %q", got)
	}
	if got := RequestIDOf(&registryv1.Cooperative{}); got != "" {
		t.Errorf("RequestIDOf(other) = %q", got)
	}
}

// cannedTransport answers every request with the same JSON record, so an
// allocation count sees the REST client's own work only.
type cannedTransport struct {
	body   []byte
	header http.Header
	got    http.Header
	r      bytes.Reader
	resp   http.Response
}

func (c *cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.got = req.Header
	c.r.Reset(c.body)
	c.resp = http.Response{StatusCode: http.StatusOK, Header: c.header, ContentLength: int64(len(c.body)), Body: io.NopCloser(&c.r), Request: req}
	return &c.resp, nil
}

// TestRESTClientAllocations holds the client's own allocations per Get:
// the Authorization header is built once per token, not per request, and
// the answer is read into one buffer of its Content-Length (io.ReadAll
// started at 512 bytes and grew). The benchmark's REST client shares the
// machine's cores with the edge it measures.
func TestRESTClientAllocations(t *testing.T) {
	body := []byte(`{"name":"chambers/fes-meknes/cooperatives/abc","display_name":{"ar":"تعاونية الاختبار","fr":"Coopérative de charge 0123456789abcdef-00000001"},` +
		`"activity":"F1.B02.A01","province":"fes","founding_date":"2020-01-15","capital_centimes":"1500000","share_value_centimes":"10000",` +
		`"members_women":4,"members_men":3,"state":"ACTIVE","etag":"W/\"1\"","create_time":"2026-01-01T00:00:00Z","update_time":"2026-01-01T00:00:00Z"}`)
	tr := &cannedTransport{body: body, header: http.Header{"Content-Type": {"application/json"}}}
	c := NewREST("http://edge.invalid", "tok", &http.Client{Transport: tr})
	ctx := context.Background()
	get := func() {
		if _, err := c.GetCooperative(ctx, "chambers/fes-meknes/cooperatives/abc"); err != nil {
			t.Fatal(err)
		}
	}
	get()
	if got := tr.got.Get("Authorization"); got != "Bearer tok" {
		t.Fatalf("sent Authorization %q, want the bearer token", got)
	}
	baseline := testing.AllocsPerRun(100, func() {
		out := &registryv1.Cooperative{}
		if err := restUnmarshal.Unmarshal(body, out); err != nil {
			t.Fatal(err)
		}
	})
	allocs := testing.AllocsPerRun(100, get)
	// net/http's own per request (URL, Request, Header map, the client's
	// bookkeeping) and the one body buffer; decoding is the baseline. A
	// header built per request, or a body grown by io.ReadAll, adds more.
	const own = 14
	if allocs-baseline > own {
		t.Errorf("a REST Get allocates %.0f times beside decoding's %.0f (%.0f of its own), want at most %d", allocs, baseline, allocs-baseline, own)
	}
}

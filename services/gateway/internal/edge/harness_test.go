package edge

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
	"github.com/hirfa/hirfa/pkg/idempotency"
	"github.com/hirfa/hirfa/pkg/ratelimit"
	"github.com/hirfa/hirfa/pkg/svcconfig"
	"github.com/hirfa/hirfa/pkg/testenv"
	"github.com/hirfa/hirfa/proto/openapi/openapitest"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// stack is a real registry process (built from source, on its own SQLite
// file) behind a real edge.
type stack struct {
	key    string // the dev issuer's key file
	url    string
	issuer *devissuer.Issuer
	logs   *testenv.LogBuffer
	// api is the OpenAPI document the edge serves; client checks every
	// call to /v1/ against it.
	api    *openapitest.Validator
	client *http.Client
}

// registryBinary builds the registry once per test binary.
func registryBinary(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(os.TempDir(), fmt.Sprintf("hirfa-registry-test-%d", os.Getpid()))
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	cmd := exec.Command("go", "build", "-o", bin, "github.com/hirfa/hirfa/services/registry/cmd/registry")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build registry: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = os.Remove(bin) })
	return bin
}

func freeAddr(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startStack runs the registry and an edge in front of it; limits is the
// rate-limit configuration ("off" to disable).
func startStack(t testing.TB, limits string) *stack {
	t.Helper()
	return startStackWith(t, limits, "")
}

// startStackWith is startStack with the rate limiter's Redis at redisURL
// ("" = the test Redis). Limits written "local:<limits>" are decided by the
// in-memory limiter synced through Redis (the gateway's default), others by
// one Redis decision per request. registryEnv are further HIRFA_* settings
// of the registry, written KEY=value (e.g. the demo profile).
func startStackWith(t testing.TB, limits, redisURL string, registryEnv ...string) *stack {
	t.Helper()
	dir := t.TempDir()
	key := filepath.Join(dir, "dev.pem")
	iss, err := devissuer.Load(key)
	if err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	cmd := exec.Command(registryBinary(t))
	cmd.Env = append(os.Environ(), "HIRFA_GRPC_ADDR="+addr, "HIRFA_DATABASE_URL=sqlite://"+filepath.Join(dir, "registry.db"),
		"HIRFA_AUTH_DEV_KEY_FILE="+key, "HIRFA_AUTH_DEV=true", "HIRFA_SHUTDOWN_TIMEOUT=5s",
		// The suites record in the sample nomenclature's codes.
		"HIRFA_SAMPLE_NOMENCLATURE=true")
	cmd.Env = append(cmd.Env, registryEnv...)
	var regLogs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &regLogs, &regLogs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("registry logs:\n%s", regLogs.String())
		}
	})
	waitServing(t, addr)

	verifier, err := svcconfig.DevVerifier(key, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	logs := &testenv.LogBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	if redisURL == "" {
		redisURL = testenv.Redis(t)
	}
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	opts.ContextTimeoutEnabled = true
	rdb := redis.NewClient(opts)
	t.Cleanup(func() { _ = rdb.Close() })
	prefix := testenv.RedisPrefix(t)
	limits, local := strings.CutPrefix(limits, "local:")
	lim, limited, err := ParseLimits(limits)
	if err != nil {
		t.Fatal(err)
	}
	g := &Guard{Verifier: verifier, Limits: lim, Logger: log, CORSOrigins: []string{"https://console.hirfa.ma"},
		Idempotency: idempotency.New(rdb, idempotency.Options{Prefix: prefix + "idem:"})}
	if limited {
		shared := ratelimit.New(rdb, ratelimit.Options{Prefix: prefix + "rl:", Logger: log})
		g.Limiter = shared
		if local {
			l := ratelimit.NewLocal(shared, 0)
			t.Cleanup(l.Close)
			g.Limiter = l
		}
	}
	e, err := New(context.Background(), Options{Backends: []Backend{RegistryBackend(addr)}, MaxBodyBytes: 64 << 10,
		RequestTimeout: 10 * time.Second, Logger: log, Wrap: g.Wrap})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.Handler)
	t.Cleanup(func() { srv.Close(); e.Close() })
	api := openapitest.MustFetch(t, srv.URL)
	client := &http.Client{Transport: api.Transport(t, nil)}
	return &stack{key: key, url: srv.URL, issuer: iss, logs: logs, api: api, client: client}
}

func waitServing(t testing.TB, addr string) {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	h := healthpb.NewHealthClient(conn)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		resp, err := h.Check(ctx, &healthpb.HealthCheckRequest{})
		cancel()
		if err == nil && resp.GetStatus() == healthpb.HealthCheckResponse_SERVING {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("registry did not become SERVING")
}

func (s *stack) token(t testing.TB, role auth.Role, chamber string) string {
	t.Helper()
	tok, err := s.issuer.Issue(devissuer.Claims{Subject: string(role) + "@" + chamber, Role: role, Chamber: chamber, TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

type response struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    []byte
}

// do sends a call and checks it and its answer against the served OpenAPI
// document; the edge's own endpoints (/openapi.json, /readyz) and CORS
// preflights are outside the API and go unchecked.
func (s *stack) do(t testing.TB, method, path, token string, body any, headers ...string) response {
	t.Helper()
	ctx := context.Background()
	if !strings.HasPrefix(path, "/v1/") || method == http.MethodOptions {
		ctx = openapitest.Unchecked(ctx)
	}
	return s.send(t, ctx, method, path, token, body, headers...)
}

// doUnchecked sends a call that breaks the contract on purpose (a probe, a
// malformed body) without checking it against the OpenAPI document.
func (s *stack) doUnchecked(t testing.TB, method, path, token string, body any, headers ...string) response {
	t.Helper()
	return s.send(t, openapitest.Unchecked(context.Background()), method, path, token, body, headers...)
}

func (s *stack) send(t testing.TB, ctx context.Context, method, path, token string, body any, headers ...string) response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	_ = json.Unmarshal(raw, &out.Body)
	return out
}

// fields lists the fields named by an error: BadRequest violations and
// ErrorInfo metadata "field".
func (r response) fields() []string {
	var out []string
	details, _ := r.Body["details"].([]any)
	for _, d := range details {
		m, _ := d.(map[string]any)
		if fv, ok := m["field_violations"].([]any); ok {
			for _, v := range fv {
				if vm, ok := v.(map[string]any); ok {
					out = append(out, fmt.Sprint(vm["field"]))
				}
			}
		}
		if md, ok := m["metadata"].(map[string]any); ok && md["field"] != nil {
			out = append(out, fmt.Sprint(md["field"]))
		}
	}
	return out
}

func (r response) reason() string {
	details, _ := r.Body["details"].([]any)
	for _, d := range details {
		if m, _ := d.(map[string]any); m["reason"] != nil && m["domain"] != nil {
			return fmt.Sprint(m["reason"])
		}
	}
	return ""
}

func (r response) str(key string) string { return fmt.Sprint(r.Body[key]) }

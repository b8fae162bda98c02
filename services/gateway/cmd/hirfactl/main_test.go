package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/auth/devissuer"
)

// runCmd runs hirfactl with args against the given environment.
func runCmd(t *testing.T, vars map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	root := newRoot(env{getenv: func(k string) string { return vars[k] }, client: http.DefaultClient}, &out, &errOut)
	root.SetArgs(args)
	err = root.Execute()
	return out.String(), errOut.String(), err
}

// fakeEdge answers like the REST edge: a cooperatives collection of five,
// paged by page_size with next_page_token, filter echoed into the items
// it keeps, and the edge's error body for unknown resources and missing
// tokens.
func fakeEdge(t *testing.T) (*httptest.Server, *[]string) {
	var seen []string
	coops := []map[string]any{}
	for i := 1; i <= 5; i++ {
		coops = append(coops, map[string]any{
			"name":         fmt.Sprintf("chambers/fes-meknes/cooperatives/c%d", i),
			"display_name": map[string]any{"ar": "تعاونية", "fr": fmt.Sprintf("Coopérative %d", i)},
			"activity":     "F1.B02.A01", "province": "fes", "state": "FORMING",
			"members_men": 4, "capital": 9007199254740993,
		})
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.URL.RequestURI())
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"code":16,"message":"a bearer token is required","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"TOKEN_MISSING"}]}`))
			return
		}
		switch r.URL.Path {
		case "/v1/chambers/fes-meknes/cooperatives":
			size := 2
			if s := r.URL.Query().Get("page_size"); s != "" {
				_, _ = fmt.Sscan(s, &size)
			}
			start := 0
			if tok := r.URL.Query().Get("page_token"); tok != "" {
				_, _ = fmt.Sscanf(tok, "p%d", &start)
			}
			end := min(start+size, len(coops))
			page := map[string]any{"cooperatives": coops[start:end]}
			if end < len(coops) {
				page["next_page_token"] = fmt.Sprintf("p%d", end)
			}
			_ = json.NewEncoder(w).Encode(page)
		case "/v1/chambers/fes-meknes/cooperatives/c1":
			_ = json.NewEncoder(w).Encode(coops[0])
		case "/v1/chambers/fes-meknes/widgets":
			_ = json.NewEncoder(w).Encode(map[string]any{"widgets": []map[string]any{{"name": "chambers/fes-meknes/widgets/w1", "state": "ON", "colour": "red"}}})
		default:
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"code":3,"message":"filter: unknown field \"colour\"","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest","field_violations":[{"field":"filter","description":"unknown field colour"}]}]}`))
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

func TestListFollowsPagesWithAll(t *testing.T) {
	srv, seen := fakeEdge(t)
	vars := map[string]string{"HIRFA_SERVER": srv.URL, "HIRFA_TOKEN": "tok"}
	out, _, err := runCmd(t, vars, "list", "chambers/fes-meknes/cooperatives", "--all", "--page-size", "2", "--filter", "state = FORMING", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Cooperatives []map[string]any `json:"cooperatives"`
		Next         string           `json:"next_page_token"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got.Cooperatives) != 5 || got.Next != "" {
		t.Fatalf("got %d items, next %q, want all 5 and no token:\n%s", len(got.Cooperatives), got.Next, out)
	}
	if len(*seen) != 3 {
		t.Fatalf("requests %v, want 3 pages", *seen)
	}
	for _, u := range *seen {
		if !strings.Contains(u, "filter=state+%3D+FORMING") || !strings.Contains(u, "page_size=2") {
			t.Errorf("request %s lost the filter or page size", u)
		}
	}
	if !strings.Contains((*seen)[2], "page_token=p4") {
		t.Errorf("last request %s did not carry the token", (*seen)[2])
	}
}

func TestListOnePageTable(t *testing.T) {
	srv, seen := fakeEdge(t)
	out, stderr, err := runCmd(t, map[string]string{"HIRFA_TOKEN": "tok"}, "--server", srv.URL, "list", "/v1/chambers/fes-meknes/cooperatives", "-o", "table")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || len(*seen) != 1 {
		t.Fatalf("want a header and 2 rows from 1 request, got %d lines from %v:\n%s", len(lines), *seen, out)
	}
	if f := strings.Fields(lines[0]); strings.Join(f, " ") != "NAME DISPLAY_NAME ACTIVITY PROVINCE STATE" {
		t.Errorf("header %q", lines[0])
	}
	if !strings.Contains(lines[1], "chambers/fes-meknes/cooperatives/c1") || !strings.Contains(lines[1], "Coopérative 1") || !strings.Contains(lines[1], "FORMING") {
		t.Errorf("row %q", lines[1])
	}
	if !strings.Contains(stderr, "--page-token p2") {
		t.Errorf("no hint about the next page: %q", stderr)
	}
}

func TestListGenericColumns(t *testing.T) {
	srv, _ := fakeEdge(t)
	out, _, err := runCmd(t, map[string]string{"HIRFA_SERVER": srv.URL, "HIRFA_TOKEN": "tok"}, "list", "chambers/fes-meknes/widgets")
	if err != nil {
		t.Fatal(err)
	}
	if want := "NAME STATE"; strings.Join(strings.Fields(strings.Split(out, "\n")[0]), " ") != want {
		t.Errorf("generic header: %q, want %q", out, want)
	}
}

func TestGet(t *testing.T) {
	srv, _ := fakeEdge(t)
	out, _, err := runCmd(t, map[string]string{"HIRFA_SERVER": srv.URL}, "--token", "tok", "get", "chambers/fes-meknes/cooperatives/c1")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil || got["name"] != "chambers/fes-meknes/cooperatives/c1" {
		t.Fatalf("get: %v %s", err, out)
	}
	if !strings.Contains(out, `"capital": 9007199254740993`) {
		t.Errorf("a large number was rounded:\n%s", out)
	}
	out, _, err = runCmd(t, map[string]string{"HIRFA_SERVER": srv.URL, "HIRFA_TOKEN": "tok"}, "get", "chambers/fes-meknes/cooperatives/c1", "-o", "table")
	if err != nil || !strings.Contains(out, "Coopérative 1") {
		t.Fatalf("get -o table: %v\n%s", err, out)
	}
}

// TestErrorsPrintTheAPIMessage: the edge's message, reason and field
// violations reach the operator, with the HTTP status.
func TestErrorsPrintTheAPIMessage(t *testing.T) {
	srv, _ := fakeEdge(t)
	_, _, err := runCmd(t, map[string]string{"HIRFA_SERVER": srv.URL}, "list", "chambers/fes-meknes/cooperatives")
	if err == nil || !strings.Contains(err.Error(), "401 Unauthorized: a bearer token is required (reason TOKEN_MISSING)") {
		t.Fatalf("missing token: %v", err)
	}
	_, _, err = runCmd(t, map[string]string{"HIRFA_SERVER": srv.URL, "HIRFA_TOKEN": "tok"}, "list", "chambers/fes-meknes/other", "--filter", "colour = red")
	if err == nil || !strings.Contains(err.Error(), `400 Bad Request: filter: unknown field "colour"`) || !strings.Contains(err.Error(), "filter: unknown field colour") {
		t.Fatalf("bad filter: %v", err)
	}
	for _, args := range [][]string{
		{"list", "chambers/fes-meknes/cooperatives", "-o", "yaml"},
		{"--server", "127.0.0.1:8080", "get", "chambers/x"},
		{"get"},
	} {
		if _, _, err := runCmd(t, map[string]string{"HIRFA_TOKEN": "tok"}, args...); err == nil {
			t.Errorf("%q: accepted", args)
		}
	}
	// Nothing listening: the error names the URL.
	_, _, err = runCmd(t, nil, "--server", "http://127.0.0.1:1", "get", "chambers/x")
	if err == nil || !strings.Contains(err.Error(), "http://127.0.0.1:1/v1/chambers/x") {
		t.Fatalf("unreachable: %v", err)
	}
}

func TestTokenCommands(t *testing.T) {
	key := filepath.Join(t.TempDir(), "dev.pem")
	if _, err := devissuer.Load(key); err != nil { // creates the key file
		t.Fatal(err)
	}
	out, _, err := runCmd(t, nil, "token", "issue", "--key", key, "--role", "chamber-clerk", "--chamber", "fes-meknes", "--subject", "clerk2@fes", "--ttl", "1h")
	if err != nil {
		t.Fatal(err)
	}
	if parts := strings.Split(strings.TrimSpace(out), "."); len(parts) != 3 {
		t.Fatalf("issue printed %q, not a JWT", out)
	}
	// HIRFA_AUTH_DEV_KEY_FILE is the default key, as the services read it.
	out, _, err = runCmd(t, map[string]string{"HIRFA_AUTH_DEV_KEY_FILE": key}, "token", "demo")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range DemoPrincipals {
		if !strings.Contains(out, "export "+d.Var+"=") {
			t.Errorf("demo lacks %s:\n%s", d.Var, out)
		}
	}
	if _, _, err := runCmd(t, nil, "token", "issue", "--key", key, "--role", "nobody", "--subject", "x"); err == nil {
		t.Error("an unknown role was issued a token")
	}
	bad := filepath.Join(t.TempDir(), "bad.pem")
	if err := os.WriteFile(bad, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, nil, "token", "demo", "--key", bad); err == nil {
		t.Error("a file that holds no key was accepted")
	}
}

func TestHelpAndVersion(t *testing.T) {
	out, _, err := runCmd(t, map[string]string{"HIRFA_TOKEN": "secret-token"}, "--help")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "secret-token") {
		t.Errorf("--help prints the token from HIRFA_TOKEN:\n%s", out)
	}
	for _, c := range []string{"token", "get", "list", "completion", "version", "--server", "--token"} {
		if !strings.Contains(out, c) {
			t.Errorf("--help lacks %s:\n%s", c, out)
		}
	}
	out, _, _ = runCmd(t, nil, "list", "--help")
	for _, f := range []string{"--filter", "--page-size", "--all", "--output", "HIRFA_SERVER", "HIRFA_TOKEN"} {
		if !strings.Contains(out, f) {
			t.Errorf("list --help lacks %s:\n%s", f, out)
		}
	}
	out, _, _ = runCmd(t, nil, "token", "issue", "--help")
	for _, f := range []string{"--role", "--chamber", "--subject", "--ttl", "--key"} {
		if !strings.Contains(out, f) {
			t.Errorf("token issue --help lacks %s:\n%s", f, out)
		}
	}
	out, _, err = runCmd(t, nil, "version")
	if err != nil || out != "hirfactl dev\n" {
		t.Errorf("version: %q %v", out, err)
	}
	out, _, err = runCmd(t, nil, "completion", "bash")
	if err != nil || !strings.Contains(out, "__start_hirfactl") {
		t.Errorf("completion bash: %v (%d bytes)", err, len(out))
	}
	if _, _, err := runCmd(t, nil, "frobnicate"); err == nil || !strings.Contains(err.Error(), `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %v", err)
	}
}

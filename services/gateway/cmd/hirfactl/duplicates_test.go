package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// duplicateEdge answers GET /v1/chambers/{c}/duplicateCandidates (three
// pairs, paged by two, the query echoed into each pair's dismiss_reason)
// and POST …:dismiss like the edge; it records each request.
func duplicateEdge(t *testing.T) (*httptest.Server, *[]string) {
	var seen []string
	pairs := []map[string]any{}
	for i := 1; i <= 3; i++ {
		pairs = append(pairs, map[string]any{"name": fmt.Sprintf("chambers/fes-meknes/duplicateCandidates/p%d", i),
			"artisan": fmt.Sprintf("chambers/fes-meknes/artisans/a%d", i), "other_artisan": fmt.Sprintf("chambers/fes-meknes/artisans/b%d", i),
			"score": 1 - float64(i)/100, "reasons": []string{"SAME_NAME_AND_BIRTH_DATE"}, "state": "OPEN"})
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		seen = append(seen, r.Method+" "+r.URL.RequestURI()+" "+string(body))
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/v1/chambers/fes-meknes/duplicateCandidates":
			start := 0
			if r.URL.Query().Get("page_token") == "p2" {
				start = 2
			}
			end := min(start+2, len(pairs))
			page := map[string]any{"duplicate_candidates": pairs[start:end]}
			if end < len(pairs) {
				page["next_page_token"] = "p2"
			}
			_ = json.NewEncoder(w).Encode(page)
		case r.Method == http.MethodPost && r.URL.Path == "/v1/chambers/fes-meknes/duplicateCandidates/p1:dismiss":
			var req struct{ Reason string }
			if err := json.Unmarshal(body, &req); err != nil || req.Reason == "" {
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(`{"code":3,"message":"reason: required"}`))
				return
			}
			p := map[string]any{}
			for k, v := range pairs[0] {
				p[k] = v
			}
			p["state"], p["dismiss_reason"], p["dismissed_by"] = "DISMISSED", req.Reason, "chamber-clerk@fes-meknes"
			_ = json.NewEncoder(w).Encode(p)
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"code":5,"message":"duplicate candidate not found"}`))
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

func TestDuplicatesList(t *testing.T) {
	srv, seen := duplicateEdge(t)
	vars := map[string]string{"HIRFA_SERVER": srv.URL, "HIRFA_TOKEN": "tok"}
	out, _, err := runCmd(t, vars, "duplicates", "list", "--chamber", "fes-meknes", "--state", "open", "--min-score", "0.9", "--all", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Pairs []map[string]any `json:"duplicate_candidates"`
		Next  string           `json:"next_page_token"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got.Pairs) != 3 || got.Next != "" || len(*seen) != 2 ||
		(*seen)[0] != "GET /v1/chambers/fes-meknes/duplicateCandidates?min_score=0.9&state=OPEN " ||
		(*seen)[1] != "GET /v1/chambers/fes-meknes/duplicateCandidates?min_score=0.9&page_token=p2&state=OPEN " {
		t.Fatalf("got %d pairs (next %q) from %q, want 3 from 2 pages with the filters", len(got.Pairs), got.Next, *seen)
	}
	out, errOut, err := runCmd(t, vars, "duplicates", "list", "--chamber", "fes-meknes")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "OTHER_ARTISAN") || !strings.Contains(lines[1], "duplicateCandidates/p1") ||
		!strings.Contains(lines[1], "0.99") || !strings.Contains(lines[1], "SAME_NAME_AND_BIRTH_DATE") || errOut != "more results: --all\n" {
		t.Errorf("table:\n%s\nstderr: %q", out, errOut)
	}
	// The default is the national queue, which this edge does not know.
	if _, _, err := runCmd(t, vars, "duplicates", "list"); err == nil || !strings.Contains(err.Error(), "404") ||
		(*seen)[len(*seen)-1] != "GET /v1/chambers/-/duplicateCandidates " {
		t.Errorf("national list: %v, %q", err, *seen)
	}
	asked := len(*seen)
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"--state", "closed"}, `--state "CLOSED": want one of OPEN, DISMISSED, MERGED`},
		{[]string{"--min-score", "1.5"}, "--min-score 1.5: want 0 to 1"},
		{[]string{"--chamber", "Fes/x"}, `--chamber "Fes/x": want a chamber id`},
		{[]string{"--page-size", "-1"}, "--page-size: must not be negative"},
		{[]string{"-o", "yaml"}, `-o "yaml": want json or table`},
	} {
		if _, _, err := runCmd(t, vars, append([]string{"duplicates", "list"}, bad.args...)...); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("list %v: %v, want %q", bad.args, err, bad.want)
		}
	}
	if len(*seen) != asked {
		t.Errorf("bad flags reached the edge: %q", (*seen)[asked:])
	}
}

func TestDuplicatesDismiss(t *testing.T) {
	srv, seen := duplicateEdge(t)
	vars := map[string]string{"HIRFA_SERVER": srv.URL}
	out, _, err := runCmd(t, vars, "duplicates", "dismiss", "/v1/chambers/fes-meknes/duplicateCandidates/p1", "--reason", "different mothers", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"state": "DISMISSED"`) || !strings.Contains(out, `"dismiss_reason": "different mothers"`) {
		t.Errorf("dismiss answered:\n%s", out)
	}
	if len(*seen) != 1 || (*seen)[0] != `POST /v1/chambers/fes-meknes/duplicateCandidates/p1:dismiss {"reason":"different mothers"}` {
		t.Errorf("requests %q", *seen)
	}
	out, _, err = runCmd(t, vars, "duplicates", "dismiss", "chambers/fes-meknes/duplicateCandidates/p1", "--reason", "checked at the desk")
	if err != nil || !strings.Contains(out, "DISMISSED") || !strings.Contains(out, "chamber-clerk@fes-meknes") {
		t.Errorf("table: %v\n%s", err, out)
	}
	if _, _, err := runCmd(t, vars, "duplicates", "dismiss", "chambers/fes-meknes/duplicateCandidates/p9", "--reason", "different people"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("unknown pair: %v", err)
	}
	asked := len(*seen)
	if _, _, err := runCmd(t, vars, "duplicates", "dismiss", "chambers/fes-meknes/artisans/a1", "--reason", "x y z"); err == nil || !strings.Contains(err.Error(), "not a duplicate candidate name") {
		t.Errorf("bad name: %v", err)
	}
	if _, _, err := runCmd(t, vars, "duplicates", "dismiss", "chambers/fes-meknes/duplicateCandidates/p1"); err == nil || !strings.Contains(err.Error(), "--reason") {
		t.Errorf("no reason: %v", err)
	}
	if len(*seen) != asked {
		t.Errorf("refused arguments reached the edge: %q", (*seen)[asked:])
	}
}

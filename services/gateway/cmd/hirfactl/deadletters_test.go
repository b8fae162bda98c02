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

// deadLetterEdge answers GET /v1/deadLetters (three, paged by two) and
// POST /v1/deadLetters/{id}:replay like the edge; it records each request.
func deadLetterEdge(t *testing.T) (*httptest.Server, *[]string) {
	var seen []string
	letters := []map[string]any{}
	for i := 1; i <= 3; i++ {
		letters = append(letters, map[string]any{"name": fmt.Sprintf("deadLetters/170000000000%d-0", i), "type": "hirfa.registry.v1.ArtisanCreated",
			"subject": "chambers/fes-meknes/artisans/a" + fmt.Sprint(i), "deliveries": "5", "error": "decode", "dead_time": "2026-11-27T10:00:00Z"})
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		seen = append(seen, r.Method+" "+r.URL.RequestURI()+" "+string(body))
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/v1/deadLetters":
			start := 0
			if r.URL.Query().Get("page_token") == "p2" {
				start = 2
			}
			end := min(start+2, len(letters))
			page := map[string]any{"dead_letters": letters[start:end]}
			if end < len(letters) {
				page["next_page_token"] = "p2"
			}
			_ = json.NewEncoder(w).Encode(page)
		case r.Method == http.MethodPost && r.URL.Path == "/v1/deadLetters/1700000000001-0:replay" && r.Header.Get("Content-Type") == "application/json":
			_ = json.NewEncoder(w).Encode(letters[0])
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"code":5,"message":"dead letter not found"}`))
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

func TestDeadLettersListAll(t *testing.T) {
	srv, seen := deadLetterEdge(t)
	out, _, err := runCmd(t, map[string]string{"HIRFA_SERVER": srv.URL, "HIRFA_TOKEN": "tok"}, "deadletters", "list", "--all", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		DeadLetters []map[string]any `json:"dead_letters"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got.DeadLetters) != 3 || len(*seen) != 2 {
		t.Fatalf("got %d dead letters from %v, want 3 from 2 pages", len(got.DeadLetters), *seen)
	}
	out, _, err = runCmd(t, map[string]string{"HIRFA_SERVER": srv.URL}, "deadletters", "list")
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 3 || !strings.Contains(lines[0], "SUBJECT") || !strings.Contains(lines[1], "deadLetters/1700000000001-0") {
		t.Errorf("table:\n%s", out)
	}
}

func TestDeadLettersReplay(t *testing.T) {
	srv, seen := deadLetterEdge(t)
	vars := map[string]string{"HIRFA_SERVER": srv.URL}
	for _, arg := range []string{"deadLetters/1700000000001-0", "1700000000001-0"} {
		out, _, err := runCmd(t, vars, "deadletters", "replay", arg, "-o", "json")
		if err != nil {
			t.Fatalf("replay %s: %v", arg, err)
		}
		if !strings.Contains(out, `"name": "deadLetters/1700000000001-0"`) {
			t.Errorf("replay %s answered:\n%s", arg, out)
		}
	}
	if len(*seen) != 2 || (*seen)[0] != "POST /v1/deadLetters/1700000000001-0:replay {}" {
		t.Errorf("requests %q", *seen)
	}
	if _, _, err := runCmd(t, vars, "deadletters", "replay", "chambers/x"); err == nil || !strings.Contains(err.Error(), "not a dead letter name") {
		t.Errorf("bad name: %v", err)
	}
	if _, _, err := runCmd(t, vars, "deadletters", "replay", "1700000000009-0"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("unknown dead letter: %v", err)
	}
	if len(*seen) != 3 {
		t.Errorf("a bad name reached the edge: %q", *seen)
	}
}

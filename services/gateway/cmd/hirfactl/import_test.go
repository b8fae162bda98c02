package main

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportFollowsTheOperation: the file goes up base64-encoded with the
// flags, the operation is read until it is no longer RUNNING, the bar shows
// each reading and the summary lists the problems.
func TestImportFollowsTheOperation(t *testing.T) {
	const csv = "Prénom,Nom\nKhadija,Tazi\n"
	var uploaded map[string]any
	reads := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == "POST" && r.URL.Path == "/v1/chambers/fes-meknes/importOperations":
			_ = json.NewDecoder(r.Body).Decode(&uploaded)
			_, _ = w.Write([]byte(`{"name":"chambers/fes-meknes/importOperations/op1","state":"RUNNING","rows_total":4}`))
		case r.Method == "GET" && r.URL.Path == "/v1/chambers/fes-meknes/importOperations/op1":
			reads++
			if reads == 1 {
				_, _ = w.Write([]byte(`{"name":"chambers/fes-meknes/importOperations/op1","state":"RUNNING","rows_total":4,"rows_read":2,"rows_accepted":2,"percent_done":50}`))
				return
			}
			_, _ = w.Write([]byte(`{"name":"chambers/fes-meknes/importOperations/op1","state":"SUCCEEDED","rows_total":4,"rows_read":4,"rows_accepted":3,"rows_rejected":1,"percent_done":100,
				"problems":[{"row":4,"column":"CNIE","field":"artisan.cnie","reason":"cnie.format","message_fr":"numéro de CNIE : doit être un numéro de CNIE comme AB123456"}]}`))
		default:
			http.Error(w, `{"code":5,"message":"not found"}`, http.StatusNotFound)
		}
	}))
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "artisans.csv")
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	out, bar, err := runCmd(t, map[string]string{"HIRFA_SERVER": srv.URL, "HIRFA_TOKEN": "t"}, "import", file, "--chamber", "fes-meknes", "--dry-run", "--poll", "1ms")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := base64.StdEncoding.DecodeString(uploaded["file"].(string)); string(got) != csv || uploaded["validate_only"] != true || uploaded["kind"] != "artisans" ||
		uploaded["file_name"] != "artisans.csv" {
		t.Fatalf("uploaded %v", uploaded)
	}
	if reads != 2 || !strings.Contains(bar, "[###############...............]  50%  2/4 rows read") || !strings.Contains(bar, "100%  4/4 rows read, 3 accepted, 1 rejected") {
		t.Fatalf("reads %d, bar %q", reads, bar)
	}
	for _, want := range []string{"chambers/fes-meknes/importOperations/op1: SUCCEEDED", "would import (dry run, nothing written) 3 of 4 rows; 1 rejected",
		"row 4  CNIE  cnie.format", "downloadReport"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if _, _, err := runCmd(t, map[string]string{"HIRFA_SERVER": srv.URL}, "import", file); err == nil || !strings.Contains(err.Error(), "--chamber") {
		t.Fatalf("without --chamber: %v", err)
	}
}

// TestImportList reads the history page by page with --all and prints the
// history's columns; without --chamber it asks for one.
func TestImportList(t *testing.T) {
	var queries []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path != "/v1/chambers/fes-meknes/importOperations" {
			http.Error(w, `{"code":5,"message":"not found"}`, http.StatusNotFound)
			return
		}
		queries = append(queries, r.URL.RawQuery)
		if r.URL.Query().Get("page_token") == "" {
			_, _ = w.Write([]byte(`{"import_operations":[{"name":"chambers/fes-meknes/importOperations/op2","kind":"cooperatives","file_name":"تعاونيات.csv",
				"creator":"clerk@fes-meknes","create_time":"2026-11-27T10:00:00Z","state":"RUNNING","rows_total":40,"rows_accepted":12}],"next_page_token":"p2"}`))
			return
		}
		_, _ = w.Write([]byte(`{"import_operations":[{"name":"chambers/fes-meknes/importOperations/op1","kind":"artisans","file_name":"artisans.csv",
			"creator":"clerk@fes-meknes","create_time":"2026-11-26T10:00:00Z","state":"SUCCEEDED","rows_total":4,"rows_accepted":3,"rows_rejected":1,"validate_only":true}]}`))
	}))
	defer srv.Close()
	vars := map[string]string{"HIRFA_SERVER": srv.URL, "HIRFA_TOKEN": "t"}
	out, _, err := runCmd(t, vars, "import", "list", "--chamber", "fes-meknes", "--all", "--page-size", "1")
	if err != nil {
		t.Fatal(err)
	}
	if len(queries) != 2 || queries[0] != "page_size=1" || queries[1] != "page_size=1&page_token=p2" {
		t.Fatalf("queries %q", queries)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "NAME") || !strings.Contains(lines[0], "FILE_NAME") ||
		!strings.Contains(lines[1], "تعاونيات.csv") || !strings.Contains(lines[2], "SUCCEEDED") || !strings.Contains(lines[2], "true") {
		t.Fatalf("table:\n%s", out)
	}
	js, _, err := runCmd(t, vars, "import", "list", "--chamber", "fes-meknes", "-o", "json")
	if err != nil || !strings.Contains(js, `"import_operations"`) || !strings.Contains(js, `"next_page_token": "p2"`) {
		t.Fatalf("json %v:\n%s", err, js)
	}
	if _, _, err := runCmd(t, vars, "import", "list"); err == nil || !strings.Contains(err.Error(), "--chamber") {
		t.Fatalf("without --chamber: %v", err)
	}
}

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
	if got, _ := base64.StdEncoding.DecodeString(uploaded["file"].(string)); string(got) != csv || uploaded["validate_only"] != true || uploaded["kind"] != "artisans" {
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

package edge

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/auth"
)

// coopImportCSV: one cooperative the law allows and one whose capital is
// under its minimum, with the chamber's own header for the capital.
const coopImportCSV = "Dénomination (ar),Dénomination,Province,Activité,Capital (MAD),Valeur de la part,Adhérentes,Adhérents\n" +
	"تعاونية الأمل للنسيج,Coopérative Al Amal,fes,F1.B02.A01,5000,100,4,3\n" +
	"تعاونية النور,Coopérative Nour,fes,F1.B02.A01,500,100,4,3\n"

// TestRESTImportKindsAndHistory imports cooperatives through the edge
// under a saved mapping, reads the report in French, and lists the
// chamber's imports newest first, and the ministry's national history;
// every call is checked against the served OpenAPI document.
func TestRESTImportKindsAndHistory(t *testing.T) {
	s := startStack(t, "off")
	clerk := s.token(t, auth.RoleChamberClerk, "fes-meknes")
	m := s.do(t, "PATCH", "/v1/chambers/fes-meknes/importMappings/cooperatives", clerk, map[string]any{"headers": map[string]string{"Capital (MAD)": "capital"}})
	if m.Status != 200 || m.str("name") != "chambers/fes-meknes/importMappings/cooperatives" {
		t.Fatalf("mapping = %d %s", m.Status, m.Raw)
	}
	follow := func(name string) response {
		op := s.do(t, "GET", "/v1/"+name, clerk, nil)
		for i := 0; op.str("state") == "RUNNING" && i < 2000; i++ {
			time.Sleep(20 * time.Millisecond)
			op = s.do(t, "GET", "/v1/"+name, clerk, nil)
		}
		return op
	}
	art := s.do(t, "POST", "/v1/chambers/fes-meknes/importOperations", clerk, map[string]any{
		"kind": "artisans", "file_name": "artisans.csv", "file": base64.StdEncoding.EncodeToString([]byte(importCSV)),
	})
	if art.Status != 200 {
		t.Fatalf("artisans upload = %d %s", art.Status, art.Raw)
	}
	follow(art.str("name"))
	up := s.do(t, "POST", "/v1/chambers/fes-meknes/importOperations", clerk, map[string]any{
		"kind": "cooperatives", "file_name": "تعاونيات 2019.csv", "file": base64.StdEncoding.EncodeToString([]byte(coopImportCSV)),
	})
	if up.Status != 200 || up.str("kind") != "cooperatives" {
		t.Fatalf("upload = %d %s", up.Status, up.Raw)
	}
	op := follow(up.str("name"))
	if op.str("state") != "SUCCEEDED" || op.Body["rows_accepted"].(float64) != 1 || op.Body["rows_rejected"].(float64) != 1 {
		t.Fatalf("operation = %d %s", op.Status, op.Raw)
	}
	p := op.Body["problems"].([]any)[0].(map[string]any)
	if p["row"].(float64) != 3 || p["column"] != "Capital (MAD)" || p["reason"] != "capital.minimum" || p["message_ar"] == "" || p["message_fr"] == "" {
		t.Fatalf("problem = %v", p)
	}
	if list := s.do(t, "GET", "/v1/chambers/fes-meknes/cooperatives", clerk, nil); len(list.Body["cooperatives"].([]any)) != 1 {
		t.Fatalf("cooperatives after import = %s", list.Raw)
	}

	h := s.do(t, "GET", "/v1/chambers/fes-meknes/importOperations?page_size=1", clerk, nil)
	items, _ := h.Body["import_operations"].([]any)
	if h.Status != 200 || len(items) != 1 || h.str("next_page_token") == "" {
		t.Fatalf("history = %d %s", h.Status, h.Raw)
	}
	last := items[0].(map[string]any)
	if last["name"] != up.str("name") || last["kind"] != "cooperatives" || last["file_name"] != "تعاونيات 2019.csv" ||
		!strings.HasSuffix(last["creator"].(string), "fes-meknes") || last["rows_accepted"].(float64) != 1 || last["state"] != "SUCCEEDED" {
		t.Fatalf("newest import = %v", last)
	}
	next := s.do(t, "GET", "/v1/chambers/fes-meknes/importOperations?page_size=1&page_token="+h.str("next_page_token"), clerk, nil)
	if items, _ := next.Body["import_operations"].([]any); len(items) != 1 || items[0].(map[string]any)["file_name"] != "artisans.csv" {
		t.Fatalf("second page = %d %s", next.Status, next.Raw)
	}
	ministry := s.token(t, auth.RoleMinistry, "")
	if all := s.do(t, "GET", "/v1/chambers/-/importOperations", ministry, nil); all.Status != 200 || len(all.Body["import_operations"].([]any)) != 2 {
		t.Fatalf("national history = %d %s", all.Status, all.Raw)
	}
	other := s.token(t, auth.RoleChamberClerk, "marrakech-safi")
	if o := s.do(t, "GET", "/v1/chambers/fes-meknes/importOperations", other, nil); o.Status != 404 {
		t.Fatalf("another chamber's history = %d %s", o.Status, o.Raw)
	}
	// A kind imports do not take breaks the document's enumeration, and the
	// edge refuses it.
	if bad := s.doUnchecked(t, "POST", "/v1/chambers/fes-meknes/importOperations", clerk, map[string]any{
		"kind": "unions", "file": base64.StdEncoding.EncodeToString([]byte(coopImportCSV)),
	}); bad.Status != 400 || bad.reason() == "" {
		t.Fatalf("unknown kind = %d %s", bad.Status, bad.Raw)
	}
}

package edge

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/auth"
)

// importCSV is a chamber's spreadsheet: Arabic and French headers, three
// good rows and one whose CNIE is malformed.
const importCSV = "الاسم الشخصي,الاسم العائلي,Prénom,Nom,رقم البطاقة الوطنية,Sexe,Date de naissance,Province,Activité,Catégorie,Années de pratique\n" +
	"خديجة,التازي,Khadija,Tazi,RE100001,F,12/03/1985,fes,F1.B02.A02,Expérimenté,6\n" +
	"محمد,الفاسي,Mohamed,El Fassi,RE100002,M,1979-01-20,meknes,F1.B02.A02,Expérimenté,12\n" +
	"فاطمة,البقالي,Fatima,Bekkali,12345,F,1990-07-01,fes,F1.B02.A02,Expérimenté,4\n" +
	"سعيد,العلوي,Said,Alaoui,RE100004,M,1988-11-30,fes,F1.B02.A02,Expérimenté,5\n"

// TestRESTImport uploads a file through the edge, follows the operation's
// progress to the end, downloads the per-row report, refuses a PDF with
// nothing written, and saves a header mapping; every call is checked
// against the served OpenAPI document.
func TestRESTImport(t *testing.T) {
	s := startStack(t, "off")
	clerk := s.token(t, auth.RoleChamberClerk, "fes-meknes")
	up := s.do(t, "POST", "/v1/chambers/fes-meknes/importOperations", clerk, map[string]any{
		"kind": "artisans", "file": base64.StdEncoding.EncodeToString([]byte(importCSV)),
	})
	if up.Status != 200 || !strings.HasPrefix(up.str("name"), "chambers/fes-meknes/importOperations/") || up.Body["rows_total"].(float64) != 4 {
		t.Fatalf("upload = %d %s", up.Status, up.Raw)
	}
	// Follow the operation as a client does; it is done after four rows.
	op := up
	for i := 0; op.str("state") == "RUNNING" && i < 2000; i++ {
		time.Sleep(20 * time.Millisecond)
		op = s.do(t, "GET", "/v1/"+up.str("name"), clerk, nil)
	}
	if op.str("state") != "SUCCEEDED" || op.Body["rows_accepted"].(float64) != 3 || op.Body["rows_rejected"].(float64) != 1 || op.Body["percent_done"].(float64) != 100 {
		t.Fatalf("operation = %d %s", op.Status, op.Raw)
	}
	p := op.Body["problems"].([]any)[0].(map[string]any)
	if p["row"].(float64) != 4 || p["column"] != "رقم البطاقة الوطنية" || p["reason"] != "cnie.format" || !strings.Contains(p["message_fr"].(string), "CNIE") || p["message_ar"] == "" {
		t.Fatalf("problem = %v", p)
	}
	// The report is a file, checked against the media types the document
	// declares for it.
	rep := s.do(t, "GET", "/v1/"+up.str("name")+":downloadReport?format=CSV", clerk, nil)
	if rep.Status != 200 || !strings.HasPrefix(rep.Header.Get("Content-Type"), "text/csv") || !strings.Contains(string(rep.Raw), "4,رقم البطاقة الوطنية,artisan.cnie,cnie.format,") {
		t.Fatalf("report = %d %s %s", rep.Status, rep.Header.Get("Content-Type"), rep.Raw)
	}
	list := s.do(t, "GET", "/v1/chambers/fes-meknes/artisans", clerk, nil)
	if items, _ := list.Body["artisans"].([]any); len(items) != 3 {
		t.Fatalf("artisans after import = %s", list.Raw)
	}
	// A PDF is refused at upload, with the field and rule, and nothing is written.
	ministry := s.token(t, auth.RoleMinistry, "")
	before := lastAudit(t, s, ministry)
	bad := s.do(t, "POST", "/v1/chambers/fes-meknes/importOperations", clerk, map[string]any{
		"kind": "artisans", "file": base64.StdEncoding.EncodeToString([]byte("%PDF-1.7\n%\xe2\xe3\n")),
	}, "Accept-Language", "fr")
	if bad.Status != 400 || bad.reason() != "file.not_spreadsheet" || !strings.Contains(string(bad.Raw), "ni un CSV ni un classeur XLSX") {
		t.Fatalf("pdf = %d %s", bad.Status, bad.Raw)
	}
	if lastAudit(t, s, ministry) != before {
		t.Fatal("a refused file wrote an audit record")
	}
	// The chamber's own header for the CNIE column.
	m := s.do(t, "PATCH", "/v1/chambers/fes-meknes/importMappings/artisans", clerk, map[string]any{"headers": map[string]string{"N° Carte": "cnie"}})
	if m.Status != 200 || m.Body["headers"].(map[string]any)["N° Carte"] != "cnie" {
		t.Fatalf("mapping = %d %s", m.Status, m.Raw)
	}
	if g := s.do(t, "GET", "/v1/chambers/fes-meknes/importMappings/artisans", clerk, nil); g.Status != 200 || g.Body["headers"].(map[string]any)["N° Carte"] != "cnie" {
		t.Fatalf("get mapping = %d %s", g.Status, g.Raw)
	}
}

package service

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/registry/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/bulkimport"
	"github.com/hirfa/hirfa/services/registry/internal/domain/sheet"
)

// Arabic headers for the names and the CNIE, French for the rest: a chamber's
// spreadsheet mixes both.
var importHeader = []string{"الاسم الشخصي", "الاسم العائلي", "Prénom", "Nom", "رقم البطاقة الوطنية", "Sexe", "Date de naissance",
	"Province", "Activité", "Catégorie", "Années de pratique"}

// importRow is a valid artisan row; n makes the CNIE unique.
func importRow(n int) []string {
	return []string{"خديجة", "التازي", "Khadija", "Tazi", fmt.Sprintf("IM%06d", n), "F", "12/03/1985", "fes", "F1.B02.A02", "Expérimenté", "6"}
}

func csvOf(rows [][]string) []byte {
	var b bytes.Buffer
	for _, r := range append([][]string{importHeader}, rows...) {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	return b.Bytes()
}

func clerk(chamber string) context.Context {
	return auth.NewContext(context.Background(), auth.Principal{Subject: "clerk@" + chamber, Role: auth.RoleChamberClerk, Chamber: chamber})
}

const importMethod = "/hirfa.registry.v1.ImportService/CreateImport"

func runImport(t *testing.T, e *env, req app.ImportRequest) *bulkimport.Operation {
	t.Helper()
	op, err := e.svc.App.StartImport(clerk(req.Chamber), req, app.Mutation{Method: importMethod})
	if err != nil {
		t.Fatalf("start import: %v", err)
	}
	e.svc.App.WaitImports()
	done, err := e.svc.App.GetImportOperation(clerk(req.Chamber), resource.Name{Chamber: op.Chamber, Collection: bulkimport.Collection, ID: op.ID})
	if err != nil {
		t.Fatal(err)
	}
	if done.State != bulkimport.Succeeded {
		t.Fatalf("operation %s: %s", done.State, done.Error)
	}
	return done
}

func countWhere(t *testing.T, e *env, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.svc.DB.SQL.QueryRowContext(context.Background(), e.svc.DB.Rebind(query), args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// rowsOf counts what an operation wrote: artisans, outbox events, audit records.
func rowsOf(t *testing.T, e *env, op *bulkimport.Operation) (artisans, events, audits int) {
	prefix := "chambers/" + op.Chamber + "/artisans/" + op.ID + "r%"
	return countWhere(t, e, "SELECT COUNT(*) FROM artisans WHERE chamber = ? AND id LIKE ?", op.Chamber, op.ID+"r%"),
		countWhere(t, e, "SELECT COUNT(*) FROM outbox WHERE subject LIKE ? AND type LIKE '%ArtisanCreated'", prefix),
		countWhere(t, e, "SELECT COUNT(*) FROM audit_records WHERE resource LIKE ? AND action = 'Created'", prefix)
}

func eachBackend(t *testing.T, fn func(t *testing.T, e *env)) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			url := ""
			if backend == "postgres" {
				url = postgresURL(t)
			}
			fn(t, start(t, url))
		})
	}
}

// TestImportTenPercentBadRows: 20 rows, two breaking rules of the record,
// one repeating a CNIE of the file; every good row is written with its event
// and audit record, every bad one is in the report with its file column.
func TestImportTenPercentBadRows(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		var rows [][]string
		for i := range 20 {
			rows = append(rows, importRow(i))
		}
		rows[4][6] = "31/02/1985" // not a date
		rows[9][7] = "marrakech"  // outside the chamber's region
		rows[9][10] = "1"         // and too few years for EXPERIENCED
		rows[15][4] = rows[2][4]  // the same person as row 4
		data := append([]byte{0xEF, 0xBB, 0xBF}, csvOf(rows)...)
		op := runImport(t, e, app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Artisans, File: data})
		if op.Summary != (bulkimport.Summary{Total: 20, Read: 20, Accepted: 17, Rejected: 3}) || op.Summary.Percent() != 100 {
			t.Fatalf("summary %+v", op.Summary)
		}
		got := map[string]bool{}
		for _, p := range op.Problems {
			got[fmt.Sprintf("%d|%s|%s", p.Row, p.Column, p.Rule)] = true
		}
		for _, want := range []string{"6|Date de naissance|date", "11|Province|province.outside_region", "11|Années de pratique|category.experienced.min_years",
			"17|رقم البطاقة الوطنية|row.duplicate_in_file"} {
			if !got[want] {
				t.Errorf("report lacks %s; has %v", want, got)
			}
		}
		if a, ev, au := rowsOf(t, e, op); a != 17 || ev != 17 || au != 17 {
			t.Fatalf("written: %d artisans, %d events, %d audit records; want 17 each", a, ev, au)
		}
		// The same file again: every CNIE is now held, so every row is refused
		// with the single-record path's reason and nothing more is written.
		again := runImport(t, e, app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Artisans, File: data})
		if again.Summary.Accepted != 0 || again.Summary.Rejected != 20 {
			t.Fatalf("second import %+v", again.Summary)
		}
		if n := countWhere(t, e, "SELECT COUNT(*) FROM artisans"); n != 17 {
			t.Fatalf("%d artisans after the second import", n)
		}
	})
}

// TestImportDryRunWritesNothing validates every row, CNIEs already held
// included, and writes no record, event or audit record.
func TestImportDryRunWritesNothing(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		first := runImport(t, e, app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Artisans, File: csvOf([][]string{importRow(1)})})
		if first.Summary.Accepted != 1 {
			t.Fatalf("%+v %v", first.Summary, first.Problems)
		}
		before := countWhere(t, e, "SELECT COUNT(*) FROM outbox")
		op := runImport(t, e, app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Artisans, DryRun: true,
			File: csvOf([][]string{importRow(1), importRow(2), importRow(3)})})
		if op.Summary.Accepted != 2 || op.Summary.Rejected != 1 || len(op.Problems) != 1 || op.Problems[0].Rule != "CNIE_ALREADY_REGISTERED" || op.Problems[0].Row != 2 {
			t.Fatalf("dry run %+v %+v", op.Summary, op.Problems)
		}
		if a, _, _ := rowsOf(t, e, op); a != 0 || countWhere(t, e, "SELECT COUNT(*) FROM outbox") != before || countWhere(t, e, "SELECT COUNT(*) FROM artisans") != 1 {
			t.Fatal("a dry run wrote records")
		}
	})
}

// TestImportRefusesUnreadableFiles: each file is refused at upload with its
// exact rule, and no operation, record or event is written.
func TestImportRefusesUnreadableFiles(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		good := csvOf([][]string{importRow(1)})
		broken := append([]byte{0xEF, 0xBB, 0xBF}, good...)
		broken = append(broken, []byte("Fatima,\xff\xfe,x\n")...)
		for _, tc := range []struct {
			name, rule string
			file       []byte
			want       string
		}{
			{"broken UTF-8 after a BOM", sheet.RuleEncoding, broken, "line 3 is not valid UTF-8"},
			{"missing headers", bulkimport.RuleHeaderMissing, bytes.Replace(good, []byte("رقم البطاقة الوطنية"), []byte("Téléphone"), 1), "no column gives cnie"},
			{"over the size limit", sheet.RuleTooLarge, bytes.Repeat(good, app.MaxImportBytes/len(good)+1), "over the limit of 33554432"},
			{"a PDF", sheet.RuleNotSpreadsheet, []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"), "neither CSV text nor an XLSX workbook"},
			{"a PNG", sheet.RuleNotSpreadsheet, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "neither CSV text nor an XLSX workbook"},
			{"a ZIP that is not a workbook", sheet.RuleNotSpreadsheet, []byte("PK\x03\x04\x14\x00\x00\x00\x00\x00"), "not an XLSX workbook"},
			{"an empty file", sheet.RuleEmpty, []byte("\n\n"), "empty"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.App.StartImport(clerk("fes-meknes"), app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Artisans, File: tc.file}, app.Mutation{Method: importMethod})
				inv, ok := err.(*fault.InvalidError)
				if !ok || inv.Violations[0].Rule != tc.rule || !strings.Contains(inv.Violations[0].Msg, tc.want) || inv.Violations[0].Field != "file" {
					t.Fatalf("err = %v, want %s %q", err, tc.rule, tc.want)
				}
				if n := countWhere(t, e, "SELECT COUNT(*) FROM import_operations") + countWhere(t, e, "SELECT COUNT(*) FROM artisans"); n != 0 {
					t.Fatalf("%d rows written", n)
				}
			})
		}
		// Every missing column is named at once.
		_, err := e.svc.App.StartImport(clerk("fes-meknes"), app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Artisans,
			File: []byte("Prénom,Nom\nKhadija,Tazi\n")}, app.Mutation{Method: importMethod})
		if inv, ok := err.(*fault.InvalidError); !ok || len(inv.Violations) != 8 {
			t.Fatalf("missing columns: %v", err)
		}
	})
}

// TestImportEncodingsAndXLSX: Windows-1256 as Excel exports Arabic CSV, a
// semicolon-separated French export, and an XLSX workbook.
func TestImportEncodingsAndXLSX(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		cp, err := charmap.Windows1256.NewEncoder().Bytes(csvOf([][]string{importRow(1), importRow(2)}))
		if err != nil {
			t.Fatal(err)
		}
		op := runImport(t, e, app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Artisans, File: cp})
		if op.Summary.Accepted != 2 || op.Encoding != sheet.Windows1256 {
			t.Fatalf("windows-1256: %+v %s %v", op.Summary, op.Encoding, op.Problems)
		}
		if op.RowIDWidth != bulkimport.RowIDWidth { // the ids sort in row order
			t.Fatalf("row id width %d, want %d", op.RowIDWidth, bulkimport.RowIDWidth)
		}
		a, err := e.svc.App.GetArtisan(clerk("fes-meknes"), resource.Name{Chamber: "fes-meknes", Collection: "artisans", ID: op.RowID(2)})
		if err != nil || a.GivenNameAR != "خديجة" || a.BirthDate != "1985-03-12" {
			t.Fatalf("decoded %+v %v", a, err)
		}
		semi := bytes.ReplaceAll(csvOf([][]string{importRow(3)}), []byte(","), []byte(";"))
		if op := runImport(t, e, app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Artisans, File: semi}); op.Summary.Accepted != 1 {
			t.Fatalf("semicolons: %+v %v", op.Summary, op.Problems)
		}
		f := excelize.NewFile()
		for i, r := range append([][]string{importHeader}, importRow(4), importRow(5)) {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			row := make([]any, len(r))
			for j := range r {
				row[j] = r[j]
			}
			if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
				t.Fatal(err)
			}
		}
		var xb bytes.Buffer
		if err := f.Write(&xb); err != nil {
			t.Fatal(err)
		}
		if op := runImport(t, e, app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Artisans, File: xb.Bytes()}); op.Summary.Accepted != 2 {
			t.Fatalf("xlsx: %+v %v", op.Summary, op.Problems)
		}
	})
}

// TestImportMappingPerChamber: a chamber saves its own headers; a file
// using them imports, another chamber's default mapping does not know them.
func TestImportMappingPerChamber(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		header := append([]string{}, importHeader...)
		header[4] = "N° Carte"
		data := []byte(strings.Join(header, ",") + "\n" + strings.Join(importRow(1), ",") + "\n")
		_, err := e.svc.App.StartImport(clerk("fes-meknes"), app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Artisans, File: data}, app.Mutation{})
		if inv, ok := err.(*fault.InvalidError); !ok || inv.Violations[0].Rule != bulkimport.RuleHeaderMissing {
			t.Fatalf("unmapped header: %v", err)
		}
		bad := &bulkimport.Mapping{Kind: bulkimport.Artisans, Headers: map[string]string{"N° Carte": "cine"}}
		bad.Chamber = "fes-meknes"
		if _, err := e.svc.App.UpdateImportMapping(clerk("fes-meknes"), bad); !fault.Is[*fault.InvalidError](err) {
			t.Fatalf("unknown field accepted: %v", err)
		}
		m := &bulkimport.Mapping{Kind: bulkimport.Artisans, Headers: map[string]string{"N° Carte": "cnie"}}
		m.Chamber = "fes-meknes"
		if _, err := e.svc.App.UpdateImportMapping(clerk("fes-meknes"), m); err != nil {
			t.Fatal(err)
		}
		if op := runImport(t, e, app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Artisans, File: data}); op.Summary.Accepted != 1 {
			t.Fatalf("mapped: %+v %v", op.Summary, op.Problems)
		}
		got, err := e.svc.App.GetImportMapping(clerk("fes-meknes"), "fes-meknes", bulkimport.Artisans)
		if err != nil || got.Headers["N° Carte"] != "cnie" {
			t.Fatalf("saved mapping %+v %v", got, err)
		}
		if _, err := e.svc.App.GetImportMapping(clerk("fes-meknes"), "marrakech-safi", bulkimport.Artisans); !fault.Is[*fault.NotFoundError](err) {
			t.Fatalf("another chamber's mapping: %v", err)
		}
	})
}

// TestImportResumesAfterRestart: an operation left RUNNING with some rows
// already applied (as a crash leaves it) is run again at start; the applied
// rows are recognised, none is written twice, and each has exactly one
// event and audit record. Also for an operation created before row ids were
// padded (width 0), resumed by a release that pads them.
func TestImportResumesAfterRestart(t *testing.T) {
	for _, width := range []int{bulkimport.RowIDWidth, 0} {
		t.Run(fmt.Sprintf("width%d", width), func(t *testing.T) { testImportResumes(t, width) })
	}
}

func testImportResumes(t *testing.T, width int) {
	eachBackend(t, func(t *testing.T, e *env) {
		var rows [][]string
		for i := range 10 {
			rows = append(rows, importRow(i))
		}
		op := &bulkimport.Operation{Kind: bulkimport.Artisans, File: csvOf(rows), Encoding: sheet.UTF8, State: bulkimport.Running,
			Summary: bulkimport.Summary{Total: 10}, Actor: change.Actor{Subject: "clerk@fes-meknes", Role: "chamber-clerk", Chamber: "fes-meknes"}, Method: importMethod, Attempts: 1, RowIDWidth: width}
		op.Chamber, op.ID = "fes-meknes", resource.NewID()
		store := e.svc.Imports
		if err := store.CreateOperation(context.Background(), op); err != nil {
			t.Fatal(err)
		}
		// The first four rows were applied before the "crash", each with its
		// event and audit record (one transaction each).
		layout, err := bulkimport.Resolve(bulkimport.Artisans, importHeader, nil)
		if err != nil {
			t.Fatal(err)
		}
		repo := sqlstore.NewArtisans(e.svc.DB, nil)
		for i := range 4 {
			a, err := layout.Artisan(rows[i])
			if err != nil {
				t.Fatal(err)
			}
			a.Chamber, a.ID, a.State = op.Chamber, op.RowID(i+2), "APPLICANT"
			if _, err := repo.Create(context.Background(), a, change.Write{Action: "Created", Method: importMethod, Actor: op.Actor}); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.svc.App.ResumeImports(context.Background()); err != nil {
			t.Fatal(err)
		}
		e.svc.App.WaitImports()
		done, err := store.GetOperation(context.Background(), resource.Name{Chamber: op.Chamber, Collection: bulkimport.Collection, ID: op.ID})
		if err != nil || done.State != bulkimport.Succeeded || done.Attempts != 2 || done.Summary.Accepted != 10 || done.File != nil || done.RowIDWidth != width {
			t.Fatalf("resumed %+v %v", done, err)
		}
		if a, ev, au := rowsOf(t, e, op); a != 10 || ev != 10 || au != 10 {
			t.Fatalf("written: %d artisans, %d events, %d audit records; want 10 each", a, ev, au)
		}
	})
}

// TestImportHundredThousandRows takes a 100,000-row file (10 % of rows bad)
// on PostgreSQL (the other import tests run on both databases): every good
// row is written with its event and audit record, every bad one is reported.
func TestImportHundredThousandRows(t *testing.T) {
	const n = 100_000
	t.Run("postgres", func(t *testing.T) {
		e := start(t, postgresURL(t))
		rows := make([][]string, n)
		for i := range rows {
			rows[i] = importRow(i)
			if i%10 == 7 {
				rows[i][5] = "X" // not a gender
			}
		}
		op := runImport(t, e, app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Artisans, File: csvOf(rows)})
		if op.Summary != (bulkimport.Summary{Total: n, Read: n, Accepted: n - n/10, Rejected: n / 10}) || len(op.Problems) != n/10 {
			t.Fatalf("summary %+v, %d problems", op.Summary, len(op.Problems))
		}
		if a, ev, au := rowsOf(t, e, op); a != n-n/10 || ev != a || au != a {
			t.Fatalf("written: %d artisans, %d events, %d audit records; want %d each", a, ev, au, n-n/10)
		}
	})
}

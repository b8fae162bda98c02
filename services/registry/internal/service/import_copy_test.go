package service

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/bulkimport"
)

// TestImportCopyPathMatchesRowPath imports the same file on PostgreSQL by
// the set-based path (COPY into a staging table, checks in SQL) and by the
// row path SQLite takes, each into a fresh register holding the same two
// records: the summaries, the per-row reports and what is written (records,
// outbox events, audit records) are the same.
func TestImportCopyPathMatchesRowPath(t *testing.T) {
	type result struct {
		Summary  bulkimport.Summary
		Problems []bulkimport.Problem
		Records  []string
		Events   []string
		Audits   int
	}
	run := func(t *testing.T, rowPath bool) result {
		e := start(t, postgresURL(t))
		e.svc.Imports.RowPath = rowPath
		if e.svc.Imports.Copies() == rowPath {
			t.Fatalf("Copies() = %v with RowPath %v", e.svc.Imports.Copies(), rowPath)
		}
		// Already in registers: row 3's CNIE in this chamber, row 5's in
		// another.
		seed := runImport(t, e, app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Artisans, File: csvOf([][]string{importRow(3)})})
		other := importRow(5)
		other[7] = "marrakech"
		if op := runImport(t, e, app.ImportRequest{Chamber: "marrakech-safi", Kind: bulkimport.Artisans, File: csvOf([][]string{other})}); op.Summary.Accepted != 1 {
			t.Fatalf("seed: %+v %+v", op.Summary, op.Problems)
		}
		var rows [][]string
		for i := range 30 {
			rows = append(rows, importRow(i))
		}
		rows[7][5] = "X"          // not a gender
		rows[12][4] = rows[10][4] // the same person as row 12
		rows[20][7] = "marrakech" // outside the chamber's region
		rows[25][9] = "Maître"    // a master without an amin certificate
		op := runImport(t, e, app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Artisans, File: csvOf(rows)})
		var res result
		res.Summary, res.Problems = op.Summary, op.Problems
		for i := range res.Problems {
			// The held record's id is derived from its operation's id.
			res.Problems[i].Msg = strings.ReplaceAll(res.Problems[i].Msg, seed.ID, "SEED")
		}
		q, err := e.svc.DB.SQL.QueryContext(context.Background(), `SELECT cnie, state, province, activity, category, gender, display_key, revision,
			data->>'given_name_ar', data->>'years_of_practice', nia IS NULL FROM artisans WHERE id LIKE $1 ORDER BY cnie`, op.ID+"r%")
		if err != nil {
			t.Fatal(err)
		}
		defer q.Close()
		for q.Next() {
			v := make([]any, 11)
			for i := range v {
				v[i] = new(any)
			}
			if err := q.Scan(v...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, x := range v {
				fmt.Fprintf(&b, "%v|", *(x.(*any)))
			}
			res.Records = append(res.Records, b.String())
		}
		ev, err := e.svc.DB.SQL.QueryContext(context.Background(), `SELECT replace(subject, $1, ''), type, source, data_type, chamber, length(data) > 0
			FROM outbox WHERE subject LIKE $2 ORDER BY subject`, op.ID, "chambers/fes-meknes/artisans/"+op.ID+"r%")
		if err != nil {
			t.Fatal(err)
		}
		defer ev.Close()
		for ev.Next() {
			var subject, typ, source, dataType, chamber string
			var data bool
			if err := ev.Scan(&subject, &typ, &source, &dataType, &chamber, &data); err != nil {
				t.Fatal(err)
			}
			res.Events = append(res.Events, strings.Join([]string{subject, typ, source, dataType, chamber, fmt.Sprint(data)}, "|"))
		}
		res.Audits = countWhere(t, e, `SELECT COUNT(*) FROM audit_records WHERE resource LIKE ? AND action = 'Created' AND method = ? AND actor = ?
			AND after_digest <> '' AND before_digest = ''`, "chambers/fes-meknes/artisans/"+op.ID+"r%", importMethod, "clerk@fes-meknes")
		return res
	}
	var copied, byRow result
	t.Run("copy", func(t *testing.T) { copied = run(t, false) })
	t.Run("rows", func(t *testing.T) { byRow = run(t, true) })
	if copied.Summary != (bulkimport.Summary{Total: 30, Read: 30, Accepted: 24, Rejected: 6}) {
		t.Fatalf("copy path summary %+v, problems %+v", copied.Summary, copied.Problems)
	}
	if len(copied.Records) != 24 || len(copied.Events) != 24 || copied.Audits != 24 {
		t.Fatalf("copy path wrote %d records, %d events, %d audit records; want 24 each", len(copied.Records), len(copied.Events), copied.Audits)
	}
	if !reflect.DeepEqual(copied, byRow) {
		t.Fatalf("the paths differ:\ncopy %+v\nrows %+v", copied, byRow)
	}
	rules := map[int]string{}
	for _, p := range copied.Problems {
		rules[p.Row] += p.Rule + " "
	}
	for row, want := range map[int]string{5: "CNIE_ALREADY_REGISTERED", 7: "CNIE_ALREADY_REGISTERED", 9: "enum", 14: "row.duplicate_in_file",
		22: "province.outside_region", 27: "category.master.amin_certificate"} {
		if !strings.Contains(rules[row], want) {
			t.Errorf("row %d: rules %q, want %s", row, rules[row], want)
		}
	}
}

// TestImportTakesTheCNIEOfAMergedRecord: a MERGED record leaves the
// live-CNIE index (migration 0008), so a create may take its CNIE; an
// import must agree, on every path (SQLite's rows, PostgreSQL's COPY and
// its row path), and a dry run too. A live holder still refuses the row.
func TestImportTakesTheCNIEOfAMergedRecord(t *testing.T) {
	for _, tc := range []struct {
		name    string
		pg, row bool
	}{{"sqlite", false, true}, {"postgres copy", true, false}, {"postgres rows", true, true}} {
		t.Run(tc.name, func(t *testing.T) {
			url := ""
			if tc.pg {
				url = postgresURL(t)
			}
			e := start(t, url)
			e.svc.Imports.RowPath = tc.row
			if op := runImport(t, e, app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Artisans, File: csvOf([][]string{importRow(1), importRow(2)})}); op.Summary.Accepted != 2 {
				t.Fatalf("seed: %+v %+v", op.Summary, op.Problems)
			}
			// The state column is what the live-CNIE index and the
			// import's look-ups read; a merge sets it so.
			if _, err := e.svc.DB.Exec(context.Background(), e.svc.DB.Rebind(`UPDATE artisans SET state = 'MERGED' WHERE cnie = ?`), importRow(1)[4]); err != nil {
				t.Fatal(err)
			}
			file := csvOf([][]string{importRow(1), importRow(2)})
			for _, dry := range []bool{true, false} {
				op := runImport(t, e, app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Artisans, File: file, DryRun: dry})
				if op.Summary.Accepted != 1 || op.Summary.Rejected != 1 || len(op.Problems) != 1 || op.Problems[0].Row != 3 ||
					op.Problems[0].Rule != "CNIE_ALREADY_REGISTERED" {
					t.Fatalf("dry run %v: %+v %+v; want row 2 (the merged record's CNIE) accepted, row 3 (a live one's) refused", dry, op.Summary, op.Problems)
				}
			}
			if n := countWhere(t, e, `SELECT COUNT(*) FROM artisans WHERE cnie = ? AND state = 'APPLICANT'`, importRow(1)[4]); n != 1 {
				t.Fatalf("%d live records hold the merged record's CNIE, want 1", n)
			}
		})
	}
}

// TestImportLeavesTheTrigramIndexMerged: on PostgreSQL an import's batches
// put their name trigrams in the GIN index's pending list (a large one: the
// entries are then merged into the index in bulk, not key by key), and the
// import merges what is left before it reports success. A name search reads
// every pending entry, so a list left behind (up to the import's limit, far
// above the 4 MB default) would slow every search until autovacuum came by;
// and the names must be found, merged or not.
func TestImportLeavesTheTrigramIndexMerged(t *testing.T) {
	e := start(t, postgresURL(t))
	ctx := context.Background()
	// pgstatginindex reads the index's metapage: its pending list's pages
	// and heap rows (pgstattuple ships with the server).
	if _, err := e.svc.DB.SQL.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS pgstattuple"); err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	for i := range 3000 {
		rows = append(rows, importRow(i))
	}
	rows[1234][2], rows[1234][3] = "Zhor", "Karatai"
	if op := runImport(t, e, app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Artisans, File: csvOf(rows)}); op.Summary.Accepted != len(rows) {
		t.Fatalf("import: %+v %+v", op.Summary, op.Problems)
	}
	var pages, tuples int64
	if err := e.svc.DB.SQL.QueryRowContext(ctx, "SELECT pending_pages, pending_tuples FROM pgstatginindex('artisans_name_grams')").Scan(&pages, &tuples); err != nil {
		t.Fatal(err)
	}
	if pages != 0 || tuples != 0 {
		t.Errorf("after the import the name trigram index has %d rows pending on %d pages; want none", tuples, pages)
	}
	ministry := auth.NewContext(ctx, auth.Principal{Subject: "ministry", Role: auth.RoleMinistry})
	for filter, want := range map[string]int{`display_name:"karatai"`: 1, `display_name:"tazi"`: len(rows) - 1} {
		n, token := 0, ""
		for {
			lq, err := paging.ListQueryOf("chambers/-", 1000, token, filter, "")
			if err != nil {
				t.Fatal(err)
			}
			page, err := e.svc.App.ListArtisans(ministry, lq)
			if err != nil {
				t.Fatal(err)
			}
			n += len(page.Items)
			if token = page.NextPageToken; token == "" {
				break
			}
		}
		if n != want {
			t.Errorf("%s: %d artisans found, want %d", filter, n, want)
		}
	}
}

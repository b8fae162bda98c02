package service

import (
	"sync"
	"testing"

	"github.com/hirfa/hirfa/pkg/auth"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/bulkimport"
)

// TestImportBesideScanAndCreates: on SQLite an import runs while the
// duplicate scan runs every millisecond over the rows it writes and clerks
// create artisans over gRPC. Every row of the file shares one birth date
// (the scan's worst case: each record is compared with the most records
// of its date). The import succeeds with every row, each with its outbox
// event and audit record, and so does every create: no write waits for
// SQLite's file lock on a read connection, and the scan's writes take the
// writer in short turns.
func TestImportBesideScanAndCreates(t *testing.T) {
	const n = 3000
	e := start(t, "", "HIRFA_DUPLICATE_SCAN_INTERVAL", "1ms")
	rows := make([][]string, n)
	for i := range rows {
		rows[i] = importRow(900_000 + i)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	var created []string
	var createErr error
	ctx := e.as(t, auth.RoleChamberClerk, "fes-meknes")
	wg.Add(1)
	go func() {
		defer wg.Done()
		// At least a few creates, and more for as long as the import runs.
		for i := 0; ; i++ {
			if i >= 5 {
				select {
				case <-done:
					return
				default:
				}
			}
			a, err := e.artisans().CreateArtisan(ctx, &registryv1.CreateArtisanRequest{Parent: "chambers/fes-meknes", Artisan: newArtisan("C" + uniqueDigits())})
			if err != nil {
				createErr = err
				return
			}
			created = append(created, a.GetName())
		}
	}()
	op := runImport(t, e, app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Artisans, File: csvOf(rows)})
	close(done)
	wg.Wait()
	if createErr != nil {
		t.Fatalf("create beside the import: %v", createErr)
	}
	if op.Summary != (bulkimport.Summary{Total: n, Read: n, Accepted: n}) {
		t.Fatalf("summary %+v, problems %v", op.Summary, op.Problems)
	}
	if a, ev, au := rowsOf(t, e, op); a != n || ev != n || au != n {
		t.Fatalf("written: %d artisans, %d events, %d audit records; want %d each", a, ev, au, n)
	}
	for _, name := range created {
		if ev, au := countWhere(t, e, "SELECT COUNT(*) FROM outbox WHERE subject = ?", name), countWhere(t, e, "SELECT COUNT(*) FROM audit_records WHERE resource = ?", name); ev != 1 || au != 1 {
			t.Fatalf("%s: %d events, %d audit records; want 1 each", name, ev, au)
		}
	}
	t.Logf("%d creates beside the import", len(created))
}

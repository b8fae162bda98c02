package sqlstore_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"modernc.org/sqlite"

	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/pkg/testenv"
	"github.com/hirfa/hirfa/services/registry/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/registry/internal/domain/bulkimport"
)

// newImportOp stores a RUNNING artisans import of chamber fes-meknes whose
// file is file.
func newImportOp(t *testing.T, imports *sqlstore.Imports, file []byte) *bulkimport.Operation {
	t.Helper()
	op := &bulkimport.Operation{Kind: bulkimport.Artisans, Encoding: "UTF-8", File: file, State: bulkimport.Running, Method: "m", Attempts: 1}
	op.Chamber, op.ID = "fes-meknes", resource.NewID()
	if err := imports.CreateOperation(context.Background(), op); err != nil {
		t.Fatal(err)
	}
	return op
}

// TestImportProgressSaveDoesNotReadTheFile: on SQLite a progress save of a
// running import reads as many pages whatever the size of its file. SQLite
// writes a row anew on UPDATE: with the file in the operation's row, each
// save (one per batch of 1,000 rows) read the whole file back through its
// overflow pages, and a 3,000,000-row import's cost grew with the square of
// its size.
func TestImportProgressSaveDoesNotReadTheFile(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "imports.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	if err := sqlstore.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	imports := sqlstore.NewImports(db, sqlstore.NewArtisans(db, nil))
	// The pages one save reads on the writer (from its cache or the file).
	pagesRead := func(op *bulkimport.Operation) int {
		testenv.SQLiteStatus(t, db.Writer(), sqlite.DBStatusCacheHit, true)
		testenv.SQLiteStatus(t, db.Writer(), sqlite.DBStatusCacheMiss, true)
		op.Summary.Read += 1000
		if err := imports.SaveProgress(ctx, op); err != nil {
			t.Fatal(err)
		}
		return testenv.SQLiteStatus(t, db.Writer(), sqlite.DBStatusCacheHit, false) +
			testenv.SQLiteStatus(t, db.Writer(), sqlite.DBStatusCacheMiss, false)
	}
	small := newImportOp(t, imports, []byte("cnie\n"))
	big := newImportOp(t, imports, bytes.Repeat([]byte("AB123456,Fès\n"), 8<<20/13)) // 8 MiB: 2,048 pages of 4 KiB
	for range 3 {
		s, b := pagesRead(small), pagesRead(big)
		if b > s+16 {
			t.Fatalf("a progress save read %d pages for an operation with an 8 MiB file, %d for one with a 5-byte file: the save reads the file", b, s)
		}
	}
}

// TestImportFileKeptUntilDone: the file of a running import is given back
// to the run that resumes it (Unfinished), and dropped once the operation
// is done, on both databases.
func TestImportFileKeptUntilDone(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		ctx := context.Background()
		db := open(t)
		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		imports := sqlstore.NewImports(db, sqlstore.NewArtisans(db, nil))
		file := []byte("cnie\nAB123456\n")
		running, done := newImportOp(t, imports, file), newImportOp(t, imports, file)
		running.Summary.Read = 1
		if err := imports.SaveProgress(ctx, running); err != nil {
			t.Fatal(err)
		}
		done.State = bulkimport.Succeeded
		if err := imports.SaveProgress(ctx, done); err != nil {
			t.Fatal(err)
		}
		ops, err := imports.Unfinished(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ops) != 1 || ops[0].ID != running.ID || !bytes.Equal(ops[0].File, file) || ops[0].Summary.Read != 1 || ops[0].Attempts != 2 {
			t.Fatalf("unfinished: got %+v, want the running operation with its file, 1 row read, attempt 2", ops)
		}
		var kept int
		if err := db.SQL.QueryRowContext(ctx, db.Rebind("SELECT COUNT(*) FROM import_files WHERE id = ?"), done.ID).Scan(&kept); err != nil {
			t.Fatal(err)
		}
		if kept != 0 {
			t.Errorf("the file of a SUCCEEDED operation is still kept")
		}
	})
}

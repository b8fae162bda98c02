package store

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"reflect"
	"testing"
	"testing/fstest"

	"github.com/hirfa/hirfa/pkg/testenv"
)

// TestOutboxArchiveMigration upgrades a database whose outbox holds
// published and unpublished rows (platform migrations 0001-0003, as every
// service's database had them) with migration 0004: the published rows
// move to outbox_archive with their publish time, seq and payload, the
// unpublished one stays, and the outbox no longer has published_time.
func TestOutboxArchiveMigration(t *testing.T) {
	for _, backend := range []struct{ name, url string }{
		{"sqlite", "sqlite://" + filepath.Join(t.TempDir(), "m.db")},
		{"postgres", testenv.Postgres(t)},
	} {
		t.Run(backend.name, func(t *testing.T) {
			if backend.url == "" {
				return
			}
			ctx := context.Background()
			db, err := Open(ctx, backend.url)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			conn, err := db.Writer().Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := conn.ExecContext(ctx, `CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_time BIGINT NOT NULL)`); err != nil {
				t.Fatal(err)
			}
			// The platform migrations before 0004.
			dir := "migrations/" + db.Dialect.String()
			before := fstest.MapFS{}
			entries, err := fs.ReadDir(platformMigrations, dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if e.Name() < "0004" {
					body, err := fs.ReadFile(platformMigrations, path.Join(dir, e.Name()))
					if err != nil {
						t.Fatal(err)
					}
					before[path.Join(dir, e.Name())] = &fstest.MapFile{Data: body}
				}
			}
			if err := applyDir(ctx, db, conn, "platform", before, dir); err != nil {
				t.Fatal(err)
			}
			for _, r := range []struct {
				id        string
				published any
			}{{"e1", 100}, {"e2", nil}, {"e3", 300}} {
				if _, err := conn.ExecContext(ctx, db.Rebind(`INSERT INTO outbox (id, type, source, subject, chamber, time, data, data_type, traceparent, snapshot_id, published_time)
					VALUES (?, 't', 'test', 'chambers/fes-meknes/things/' || ?, 'fes-meknes', 1, ?, 'dt', 'tp', 'run', ?)`), r.id, r.id, []byte("payload "+r.id), r.published); err != nil {
					t.Fatal(err)
				}
			}
			if err := applyDir(ctx, db, conn, "platform", platformMigrations, dir); err != nil {
				t.Fatal(err)
			}
			rows := func(q string) []string {
				t.Helper()
				rs, err := conn.QueryContext(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				defer rs.Close()
				var out []string
				for rs.Next() {
					var seq, published int64
					var id, subject, dataType, traceparent, snapshot string
					var data []byte
					if err := rs.Scan(&seq, &id, &subject, &data, &dataType, &traceparent, &snapshot, &published); err != nil {
						t.Fatal(err)
					}
					out = append(out, fmt.Sprintf("%s|%s|%s|%s|%s|%s@%d/%d", id, subject, data, dataType, traceparent, snapshot, seq, published))
				}
				if err := rs.Err(); err != nil {
					t.Fatal(err)
				}
				return out
			}
			archived := rows("SELECT seq, id, subject, data, data_type, traceparent, snapshot_id, published_time FROM outbox_archive ORDER BY seq")
			want := []string{"e1|chambers/fes-meknes/things/e1|payload e1|dt|tp|run@1/100", "e3|chambers/fes-meknes/things/e3|payload e3|dt|tp|run@3/300"}
			if !reflect.DeepEqual(archived, want) {
				t.Errorf("outbox_archive after 0004 = %q, want %q", archived, want)
			}
			left := rows("SELECT seq, id, subject, data, data_type, traceparent, snapshot_id, 0 FROM outbox ORDER BY seq")
			if want := []string{"e2|chambers/fes-meknes/things/e2|payload e2|dt|tp|run@2/0"}; !reflect.DeepEqual(left, want) {
				t.Errorf("outbox after 0004 = %q, want %q", left, want)
			}
			if _, err := conn.ExecContext(ctx, "SELECT published_time FROM outbox"); err == nil {
				t.Error("the outbox still has published_time after 0004")
			}
		})
	}
}

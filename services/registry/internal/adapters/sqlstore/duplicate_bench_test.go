package sqlstore_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/testenv"
	"github.com/hirfa/hirfa/services/registry/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/registry/internal/domain/duplicate"
)

// BenchmarkDuplicateScan measures the stored duplicate queue's scan over a
// register of HIRFA_BENCH_DUPLICATE_ARTISANS artisans (20,000 unless set;
// birth dates over 50 years, 2 % entered twice) on both databases: the
// scan of every record (what the migration's first scans of an existing
// register cost), reported per record — the cost each later change adds
// — beside, in the same run on the same data, the recomputation the queue
// replaces (read the whole register, fill a duplicate.Finder, list its
// pairs: what every list call cost before). Both must find the same pairs.
//
//	tools/dev/services.sh run -- go test -run '^$' -bench DuplicateScan -benchtime 1x ./services/registry/internal/adapters/sqlstore/
func BenchmarkDuplicateScan(b *testing.B) {
	n := 20_000
	if v, err := strconv.Atoi(os.Getenv("HIRFA_BENCH_DUPLICATE_ARTISANS")); err == nil && v > 0 {
		n = v
	}
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			ctx := context.Background()
			url := "sqlite://" + filepath.Join(b.TempDir(), "bench.db")
			if backend == "postgres" {
				url = testenv.Postgres(b)
			}
			db, err := store.Open(ctx, url)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = db.Close() })
			if err := sqlstore.Migrate(ctx, db); err != nil {
				b.Fatal(err)
			}
			fillPeople(b, db, n)
			queue := sqlstore.DuplicateQueue{DB: db, Now: time.Now}
			var scanned, recomputed int
			b.Run("scan", func(b *testing.B) {
				for range b.N {
					b.StopTimer()
					exec(b, db, "DELETE FROM duplicate_candidates")
					exec(b, db, "INSERT INTO duplicate_pending (chamber, id, seq) SELECT chamber, id, 1 FROM artisans WHERE true ON CONFLICT (chamber, id) DO NOTHING") // WHERE: SQLite reads ON after FROM as a join
					b.StartTimer()
					start := time.Now()
					if done, err := queue.Scan(ctx, n); err != nil || done != n {
						b.Fatalf("scan took %d of %d: %v", done, n, err)
					}
					b.ReportMetric(float64(time.Since(start).Microseconds())/float64(n), "µs/record")
				}
				scanned = count(b, db, "SELECT COUNT(*) FROM duplicate_candidates")
			})
			b.Run("recompute", func(b *testing.B) {
				for range b.N {
					start := time.Now()
					recomputed = len(recompute(b, db))
					b.ReportMetric(float64(time.Since(start).Microseconds())/1000, "ms/list")
				}
			})
			if scanned != recomputed || scanned == 0 {
				b.Fatalf("the scan stored %d pairs, the recomputation finds %d", scanned, recomputed)
			}
		})
	}
}

// fillPeople adds n artisans with names, CNIEs and birth dates in one
// transaction (the triggers mark each for the scan): one in fifty repeats
// the person 37 rows before it under another CNIE.
func fillPeople(tb testing.TB, db *store.DB, n int) {
	tb.Helper()
	given := []string{"mohamed", "fatima", "ahmed", "khadija", "youssef", "aicha", "omar", "zineb", "hassan", "naima"}
	givenAR := []string{"محمد", "فاطمة", "أحمد", "خديجة", "يوسف", "عائشة", "عمر", "زينب", "حسن", "نعيمة"}
	syl := []string{"ben", "el", "ka", "ra", "mo", "ta", "za", "fi", "lou", "ha", "sa", "bou", "dri"}
	sylAR := []string{"بن", "ال", "كا", "را", "مو", "تا", "زا", "في", "لو", "ها", "سا", "بو", "دري"}
	day := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	err := db.Tx(context.Background(), func(tx *sql.Tx) error {
		stmt, err := tx.Prepare(db.Rebind(`INSERT INTO artisans (chamber, id, revision, create_time, update_time, data, state, province, activity, category, gender, cnie, nia, display_key)
			VALUES (?, ?, 1, ?, ?, ?, 'REGISTERED', 'fes', 'F1.B02.A01', 'EXPERIENCED', 'FEMALE', ?, NULL, ?)`))
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i := range n {
			p := i
			if i%50 == 49 {
				p = i - 37 // the same person again
			}
			family := syl[p%13] + syl[(p/13)%13] + syl[(p/169)%13] + "i"
			familyAR := sylAR[p%13] + sylAR[(p/13)%13] + sylAR[(p/169)%13] + "ي"
			data, _ := json.Marshal(map[string]string{
				"given_name_latin": given[p%10], "family_name_latin": family, "given_name_ar": givenAR[p%10], "family_name_ar": familyAR,
				"cnie": fmt.Sprintf("B%07d", i), "birth_date": day.AddDate(0, 0, (p*7919)%18000).Format(time.DateOnly),
			})
			chamber := "fes-meknes"
			if i%5 >= 3 {
				chamber = "rabat-sale-kenitra"
			}
			if _, err := stmt.Exec(chamber, fmt.Sprintf("p%d", i), 1700000000000000+i, 1700000000000000+i, string(data),
				fmt.Sprintf("B%07d", i), given[p%10]+" "+family); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("fill %d people: %v", n, err)
	}
	exec(tb, db, "ANALYZE artisans")
}

// recompute is what a list of the duplicate candidates did before the
// queue was stored: every record read and compared, each call.
func recompute(tb testing.TB, db *store.DB) []duplicate.Pair {
	tb.Helper()
	rows, err := db.SQL.QueryContext(context.Background(), "SELECT chamber, id, data FROM artisans")
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	f := duplicate.NewFinder()
	for rows.Next() {
		var (
			chamber, id string
			data        []byte
			a           struct {
				GivenAR     string `json:"given_name_ar"`
				FamilyAR    string `json:"family_name_ar"`
				GivenLatin  string `json:"given_name_latin"`
				FamilyLatin string `json:"family_name_latin"`
				CNIE        string `json:"cnie"`
				BirthDate   string `json:"birth_date"`
			}
		)
		if err := rows.Scan(&chamber, &id, &data); err != nil {
			tb.Fatal(err)
		}
		if err := json.Unmarshal(data, &a); err != nil {
			tb.Fatal(err)
		}
		f.Add(duplicate.Person{Ref: "chambers/" + chamber + "/artisans/" + id, CNIE: a.CNIE, BirthDate: a.BirthDate,
			GivenAR: a.GivenAR, FamilyAR: a.FamilyAR, GivenLatin: a.GivenLatin, FamilyLatin: a.FamilyLatin})
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return f.Pairs()
}

func exec(tb testing.TB, db *store.DB, q string) {
	tb.Helper()
	if _, err := db.Writer().ExecContext(context.Background(), q); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
}

func count(tb testing.TB, db *store.DB, q string) int {
	tb.Helper()
	var n int
	if err := db.SQL.QueryRowContext(context.Background(), q).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

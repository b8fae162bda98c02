package testenv

import (
	"context"
	"database/sql"
	"strings"
	"testing"
)

// Explain is PostgreSQL's plan of q with args: EXPLAIN's lines, joined by
// newlines, for plan tests to look for the index a query must use.
func Explain(tb testing.TB, ctx context.Context, db interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, q string, args ...any) string {
	tb.Helper()
	rows, err := db.QueryContext(ctx, "EXPLAIN "+q, args...)
	if err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			tb.Fatal(err)
		}
		plan = append(plan, line)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return strings.Join(plan, "\n")
}

// BackendCPU starts measuring the CPU time db's PostgreSQL backend spends
// (ProcessCPU of pg_backend_pid()); the function it returns reports it per
// operation of b as a metric named unit. db must be held to one connection
// (SetMaxOpenConns(1), set before its first use) so that every statement
// runs on that backend. /proc counts 10 ms ticks, so nothing is reported
// under 1,000 operations.
func BackendCPU(b *testing.B, ctx context.Context, db *sql.DB) (report func(unit string)) {
	b.Helper()
	var pid int
	if err := db.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		b.Fatal(err)
	}
	before := ProcessCPU(b, pid)
	return func(unit string) {
		if b.N >= 1000 {
			b.ReportMetric(float64((ProcessCPU(b, pid)-before).Microseconds())/float64(b.N), unit)
		}
	}
}

package filter_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/testenv"
	"github.com/hirfa/hirfa/pkg/textnorm"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// The same DDL runs on both databases: SQLite accepts BOOLEAN and BIGINT
// as type names.
const createCooperatives = `CREATE TABLE cooperatives (
	id             TEXT PRIMARY KEY,
	state          TEXT NOT NULL,
	name_key       TEXT NOT NULL,
	province       TEXT NOT NULL,
	create_time_us BIGINT NOT NULL,
	member_count   BIGINT NOT NULL,
	archived       BOOLEAN NOT NULL,
	craft_code     TEXT NOT NULL,
	reference      TEXT NOT NULL
)`

type cooperative struct {
	id, state, name, province, created string
	members                            int64
	archived                           bool
	craft, reference                   string
}

var fixture = []cooperative{
	{"A", "REGISTERED", "تعاونية الأمل للنسيج بفاس", "Fès-Meknès", "2024-01-15T10:00:00Z", 12, false, "C12", "A_1"},
	{"B", "REGISTERED", "Coopérative Fès Broderie", "Fès-Meknès", "2024-06-01T00:00:00Z", 7, false, "C07", "B%2"},
	{"C", "SUSPENDED", "مدرسة الفخار مكناس", "Fès-Meknès", "2023-11-30T23:59:59.5Z", 25, true, "C12", `C\3`},
	{"D", "STRUCK_OFF", "Coopérative 100% Argan_Souss", "Souss-Massa", "2022-03-01T08:00:00Z", 3, true, "C33", "AX1"},
	{"E", "REGISTERED", "إبراهيم للزليج", "Tanger-Tétouan-Al Hoceïma", "2025-02-02T02:02:02Z", 40, false, "C07", "E12"},
	{"F", "REGISTERED", "مصطفى M'diq-Fnideq", "Tanger-Tétouan-Al Hoceïma", "2024-01-15T10:00:00.000001Z", 9, false, "C12", "F-1"},
}

// rowArgs returns the INSERT arguments of c, storing the folded name as the
// search column does in production.
func (c cooperative) rowArgs() []any {
	return []any{c.id, c.state, textnorm.Fold(c.name), c.province, micros(c.created), c.members, c.archived, c.craft, c.reference}
}

const insertCooperative = `INSERT INTO cooperatives
	(id, state, name_key, province, create_time_us, member_count, archived, craft_code, reference)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`

// database runs a compiled filter and returns the ids of matching rows in
// id order.
type database interface {
	ids(ctx context.Context, where string, args []any) ([]string, error)
}

func selectIDs(where string) string {
	if where == "" {
		return "SELECT id FROM cooperatives ORDER BY id"
	}
	return "SELECT id FROM cooperatives WHERE " + where + " ORDER BY id"
}

type sqliteDB struct{ db *sql.DB }

func openSQLite(t testing.TB) sqliteDB {
	t.Helper()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1) // each connection to :memory: is its own database
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Exec(createCooperatives); err != nil {
		t.Fatalf("create table: %v", err)
	}
	for _, c := range fixture {
		if _, err := db.Exec(insertCooperative, c.rowArgs()...); err != nil {
			t.Fatalf("insert %s: %v", c.id, err)
		}
	}
	return sqliteDB{db}
}

func (s sqliteDB) ids(ctx context.Context, where string, args []any) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, selectIDs(where), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

type postgresDB struct{ conn *pgx.Conn }

func openPostgres(t testing.TB) postgresDB {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testenv.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	if _, err := conn.Exec(ctx, createCooperatives); err != nil {
		t.Fatalf("create table: %v", err)
	}
	for _, c := range fixture {
		if _, err := conn.Exec(ctx, filter.NumberPlaceholders(insertCooperative, 1), c.rowArgs()...); err != nil {
			t.Fatalf("insert %s: %v", c.id, err)
		}
	}
	return postgresDB{conn}
}

func (p postgresDB) ids(ctx context.Context, where string, args []any) ([]string, error) {
	rows, err := p.conn.Query(ctx, selectIDs(filter.NumberPlaceholders(where, 1)), args...)
	if err != nil {
		return nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if ids == nil {
		ids = []string{}
	}
	return ids, err
}

// TestCompiledFiltersOnDatabases runs compiled filters on SQLite and
// PostgreSQL and checks that both return the rows the filter means.
func TestCompiledFiltersOnDatabases(t *testing.T) {
	tests := []struct {
		filter string
		want   []string
	}{
		{"", []string{"A", "B", "C", "D", "E", "F"}},
		{"state = REGISTERED", []string{"A", "B", "E", "F"}},
		{"state != REGISTERED", []string{"C", "D"}},
		{"display_name:fes", []string{"B"}},
		{"display_name:FÈS", []string{"B"}},
		{"display_name:فاس", []string{"A"}},
		{"display_name:فَـاس", []string{"A"}},
		{"display_name:مدرسة", []string{"C"}},
		{`display_name:"مدرسه"`, []string{"C"}},
		{"display_name:ابراهيم", []string{"E"}},
		{"display_name:مصطفي", []string{"F"}},
		{`display_name:"M’DIQ fnideq"`, []string{"F"}},
		{`display_name:"100%"`, []string{"D"}},
		{`display_name:"argan_souss"`, []string{"D"}},
		{"display_name = \"coopérative fès broderie\"", []string{"B"}},
		{"create_time >= 2024-01-15T10:00:00Z", []string{"A", "B", "E", "F"}},
		{"create_time > 2024-01-15T10:00:00Z", []string{"B", "E", "F"}},
		{"create_time = 2024-01-15T10:00:00.000001Z", []string{"F"}},
		{`create_time < "2023-12-01T00:00:00+01:00"`, []string{"D"}},
		{`create_time <= "2023-11-30T23:59:59.5Z"`, []string{"C", "D"}},
		{"member_count >= 9 member_count <= 25", []string{"A", "C", "F"}},
		{"member_count > -1 AND member_count < 4", []string{"D"}},
		{"archived = true", []string{"C", "D"}},
		{"archived != true", []string{"A", "B", "E", "F"}},
		{"NOT archived = true", []string{"A", "B", "E", "F"}},
		{"NOT NOT archived = true", []string{"C", "D"}},
		{"-archived = false", []string{"C", "D"}},
		// AIP-160 precedence: REGISTERED AND (C07 OR C33). SQL's own
		// precedence would also return D.
		{"state = REGISTERED AND craft.code = C07 OR craft.code = C33", []string{"B", "E"}},
		{"state = REGISTERED craft.code = C07 OR craft.code = C33", []string{"B", "E"}},
		{"(state = REGISTERED AND craft.code = C07) OR craft.code = C33", []string{"B", "D", "E"}},
		{"NOT (state = REGISTERED OR state = SUSPENDED)", []string{"D"}},
		{"-state = REGISTERED display_name:cooperative", []string{"D"}},
		{`province = "Fès-Meknès"`, []string{"A", "B", "C"}},
		{`province > "T"`, []string{"E", "F"}},
		// LIKE wildcards in the value match literally.
		{`reference:"_1"`, []string{"A"}},
		{`reference:"%2"`, []string{"B"}},
		{`reference:"\\"`, []string{"C"}},
		{`reference:X`, []string{"D"}},
		{`reference:"'"`, []string{}},
		{`display_name:"'; DROP TABLE cooperatives; --" OR state = REGISTERED`, []string{"A", "B", "E", "F"}},
	}
	backends := []struct {
		name string
		open func(testing.TB) database
	}{
		{"sqlite", func(t testing.TB) database { return openSQLite(t) }},
		{"postgres", func(t testing.TB) database { return openPostgres(t) }},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			db := b.open(t)
			for _, tc := range tests {
				where, args, err := cooperatives.Compile(tc.filter)
				if err != nil {
					t.Fatalf("Compile(%q): %v", tc.filter, err)
				}
				got, err := db.ids(t.Context(), where, args)
				if err != nil {
					t.Fatalf("filter %q compiled to %q %v: %v", tc.filter, where, args, err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("filter %q (%s %v): ids mismatch (-want +got):\n%s", tc.filter, where, args, diff)
				}
			}
			// The table survived every filter above.
			all, err := db.ids(t.Context(), "", nil)
			if err != nil || len(all) != len(fixture) {
				t.Errorf("after the filters: %d rows, %v; want %d", len(all), err, len(fixture))
			}
		})
	}
}

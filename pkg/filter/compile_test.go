package filter_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/textnorm"
)

// cooperatives is the kind of schema a List method declares.
var cooperatives = filter.NewSchema(
	filter.Field{Name: "state", Column: "state", Type: filter.Enum, Values: []string{"REGISTERED", "SUSPENDED", "STRUCK_OFF"}},
	filter.Field{Name: "display_name", Column: "name_key", Type: filter.String, Contains: true, Fold: textnorm.Fold},
	filter.Field{Name: "province", Column: "province", Type: filter.String},
	filter.Field{Name: "create_time", Column: "create_time_us", Type: filter.Timestamp},
	filter.Field{Name: "member_count", Column: "member_count", Type: filter.Int},
	filter.Field{Name: "archived", Column: "archived", Type: filter.Bool},
	filter.Field{Name: "craft.code", Column: "craft_code", Type: filter.String},
	// reference keeps punctuation (no Fold), to exercise LIKE escaping.
	filter.Field{Name: "reference", Column: "reference", Type: filter.String, Contains: true},
)

func micros(s string) int64 {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UnixMicro()
}

func TestCompile(t *testing.T) {
	tests := []struct {
		src   string
		where string
		args  []any
	}{
		{"", "", nil},
		{"  ", "", nil},
		{"state = REGISTERED", "state = ?", []any{"REGISTERED"}},
		{`state != "STRUCK_OFF"`, "state <> ?", []any{"STRUCK_OFF"}},
		{"display_name = Fès", "name_key = ?", []any{"fes"}},
		{`display_name = "Coopérative  Al-Amal"`, "name_key = ?", []any{"cooperative al amal"}},
		{"display_name:FES", `name_key LIKE ? ESCAPE '\'`, []any{"%fes%"}},
		{"display_name : فَـــاس", `name_key LIKE ? ESCAPE '\'`, []any{"%فاس%"}},
		{"display_name:مدرسة", `name_key LIKE ? ESCAPE '\'`, []any{"%مدرسه%"}},
		{"display_name > M", "name_key > ?", []any{"m"}},
		{"province = Fès-Meknès", "province = ?", []any{"Fès-Meknès"}}, // no Fold: bound as written
		{"province <= B", "province <= ?", []any{"B"}},
		{`province = "100%_\\"`, "province = ?", []any{`100%_\`}}, // = is not LIKE: nothing to escape
		{"create_time >= 2024-01-31T09:00:00Z", "create_time_us >= ?", []any{micros("2024-01-31T09:00:00Z")}},
		{`create_time < "2024-01-31T10:00:00+01:00"`, "create_time_us < ?", []any{micros("2024-01-31T09:00:00Z")}},
		{"create_time = 2024-01-31T09:00:00.123456Z", "create_time_us = ?", []any{int64(1706691600123456)}},
		{"create_time = 2024-01-31T09:00:00.123456000Z", "create_time_us = ?", []any{int64(1706691600123456)}},
		{"create_time > 1969-12-31T23:59:59Z", "create_time_us > ?", []any{int64(-1000000)}},
		{"member_count > 7", "member_count > ?", []any{int64(7)}},
		{"member_count != -3", "member_count <> ?", []any{int64(-3)}},
		{`member_count = "42"`, "member_count = ?", []any{int64(42)}},
		{"member_count <= 9223372036854775807", "member_count <= ?", []any{int64(9223372036854775807)}},
		{"archived = false", "archived = ?", []any{false}},
		{"archived != true", "archived <> ?", []any{true}},
		{"craft.code = C12", "craft_code = ?", []any{"C12"}},
		{"state = REGISTERED member_count > 7", "(state = ? AND member_count > ?)", []any{"REGISTERED", int64(7)}},
		{"state = REGISTERED AND member_count > 7", "(state = ? AND member_count > ?)", []any{"REGISTERED", int64(7)}},
		{
			"state = REGISTERED OR state = SUSPENDED",
			"(state = ? OR state = ?)", []any{"REGISTERED", "SUSPENDED"},
		},
		{
			// OR binds tighter than AND (AIP-160).
			"member_count > 7 AND state = REGISTERED OR state = SUSPENDED",
			"(member_count > ? AND (state = ? OR state = ?))", []any{int64(7), "REGISTERED", "SUSPENDED"},
		},
		{
			"(member_count > 7 AND state = REGISTERED) OR state = SUSPENDED",
			"((member_count > ? AND state = ?) OR state = ?)", []any{int64(7), "REGISTERED", "SUSPENDED"},
		},
		{"NOT state = STRUCK_OFF", "NOT (state = ?)", []any{"STRUCK_OFF"}},
		{"-state = STRUCK_OFF", "NOT (state = ?)", []any{"STRUCK_OFF"}},
		{"NOT NOT archived = true", "NOT (NOT (archived = ?))", []any{true}},
		{
			"NOT (state = STRUCK_OFF OR archived = true)",
			"NOT (state = ? OR archived = ?)", []any{"STRUCK_OFF", true},
		},
		{
			"display_name:fes -state=STRUCK_OFF create_time >= 2024-01-01T00:00:00Z",
			`(name_key LIKE ? ESCAPE '\' AND NOT (state = ?) AND create_time_us >= ?)`,
			[]any{"%fes%", "STRUCK_OFF", micros("2024-01-01T00:00:00Z")},
		},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			where, args, err := cooperatives.Compile(tc.src)
			if err != nil {
				t.Fatalf("Compile(%q): %v", tc.src, err)
			}
			if where != tc.where {
				t.Errorf("Compile(%q) where = %q, want %q", tc.src, where, tc.where)
			}
			if diff := cmp.Diff(tc.args, args); diff != "" {
				t.Errorf("Compile(%q) args mismatch (-want +got):\n%s", tc.src, diff)
			}
		})
	}
}

func TestCompileLikeEscaping(t *testing.T) {
	// With a Fold that keeps punctuation, the LIKE wildcards reach the
	// pattern and must match literally.
	s := filter.NewSchema(filter.Field{Name: "code", Column: "code", Type: filter.String, Contains: true})
	tests := []struct{ src, arg string }{
		{`code:"100%"`, `%100\%%`},
		{`code:a_b`, `%a\_b%`},
		{`code:"a\\b"`, `%a\\b%`},
		{`code:"%_\\"`, `%\%\_\\%`},
		{`code:plain`, `%plain%`},
	}
	for _, tc := range tests {
		where, args, err := s.Compile(tc.src)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tc.src, err)
		}
		if want := `code LIKE ? ESCAPE '\'`; where != want {
			t.Errorf("Compile(%q) where = %q, want %q", tc.src, where, want)
		}
		if diff := cmp.Diff([]any{tc.arg}, args); diff != "" {
			t.Errorf("Compile(%q) args mismatch (-want +got):\n%s", tc.src, diff)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		src   string
		field string
		pos   int
		text  string // Error()
	}{
		{
			"colour = red", "colour", 0,
			`filter: unknown field "colour" (known: archived, craft.code, create_time, display_name, member_count, province, reference, state)`,
		},
		{
			"state = REGISTERED AND colour = red", "colour", 23,
			`filter: unknown field "colour" (known: archived, craft.code, create_time, display_name, member_count, province, reference, state)`,
		},
		{"craft = C12", "craft", 0, `filter: unknown field "craft" (known: archived, craft.code, create_time, display_name, member_count, province, reference, state)`},
		{"STATE = REGISTERED", "STATE", 0, `filter: unknown field "STATE" (known: archived, craft.code, create_time, display_name, member_count, province, reference, state)`},
		{"state = registered", "state", 8, `filter: invalid value "registered" for field "state" (allowed: REGISTERED, SUSPENDED, STRUCK_OFF)`},
		{"state < REGISTERED", "state", 6, `filter: operator < not supported on enum field "state" (supported: = !=)`},
		{"state : REG", "state", 6, `filter: operator : not supported on enum field "state" (supported: = !=)`},
		{"province : Fes", "province", 9, `filter: operator : not supported on string field "province" (supported: = != < <= > >=)`},
		{"member_count : 1", "member_count", 13, `filter: operator : not supported on integer field "member_count" (supported: = != < <= > >=)`},
		{"archived > false", "archived", 9, `filter: operator > not supported on boolean field "archived" (supported: = !=)`},
		{"archived = yes", "archived", 11, `filter: invalid value "yes" for field "archived" (allowed: true, false)`},
		{"archived = TRUE", "archived", 11, `filter: invalid value "TRUE" for field "archived" (allowed: true, false)`},
		{"member_count = 1.5", "member_count", 15, `filter: invalid integer "1.5" for field "member_count"`},
		{"member_count = 9223372036854775808", "member_count", 15, `filter: invalid integer "9223372036854775808" for field "member_count"`},
		{"member_count = 1e3", "member_count", 15, `filter: invalid integer "1e3" for field "member_count"`},
		{
			"create_time > 2024-13-01T00:00:00Z", "create_time", 14,
			`filter: invalid timestamp "2024-13-01T00:00:00Z" for field "create_time": want RFC 3339, e.g. 2024-01-31T09:00:00Z`,
		},
		{
			"create_time > 2024-01-31", "create_time", 14,
			`filter: invalid timestamp "2024-01-31" for field "create_time": want RFC 3339, e.g. 2024-01-31T09:00:00Z`,
		},
		{
			`create_time > "yesterday"`, "create_time", 14,
			`filter: invalid timestamp "yesterday" for field "create_time": want RFC 3339, e.g. 2024-01-31T09:00:00Z`,
		},
		{
			"create_time > 2024-01-31T09:00:00.1234567Z", "create_time", 14,
			`filter: timestamp "2024-01-31T09:00:00.1234567Z" for field "create_time" is finer than a microsecond`,
		},
		{`display_name : "- ' -"`, "display_name", 15, `filter: field "display_name": nothing to search for in "- ' -"`},
		{`display_name:""`, "display_name", 13, `filter: field "display_name": nothing to search for in ""`},
		// Syntax errors come before field checks and name no field.
		{"colour = ", "", 9, "filter: syntax error at 9: expected a value, found end of filter"},
		{`display_name = "Fès`, "", 15, "filter: syntax error at 15: unterminated string"},
		{"(state = REGISTERED", "", 0, "filter: syntax error at 0: missing ')' for this '('"},
		{"state = REGISTERED)", "", 18, "filter: syntax error at 18: unexpected ')' without matching '('"},
		{"state = REGISTERED garbage", "", 26, `filter: syntax error at 26: expected an operator (= != < <= > >= :) after "garbage", found end of filter`},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			where, args, err := cooperatives.Compile(tc.src)
			if err == nil {
				t.Fatalf("Compile(%q) = %q, %v; want an error", tc.src, where, args)
			}
			if where != "" || args != nil {
				t.Errorf("Compile(%q) returned %q, %v with an error", tc.src, where, args)
			}
			var fe *filter.Error
			if !errors.As(err, &fe) {
				t.Fatalf("Compile(%q) error %T, want *filter.Error", tc.src, err)
			}
			if fe.Field != tc.field || fe.Pos != tc.pos || fe.Error() != tc.text {
				t.Errorf("Compile(%q) error = {Field: %q, Pos: %d, %q}\nwant {Field: %q, Pos: %d, %q}",
					tc.src, fe.Field, fe.Pos, fe.Error(), tc.field, tc.pos, tc.text)
			}
		})
	}
}

// TestCompileHostileValues proves that text from the filter reaches the SQL
// only as bound arguments, whatever it contains.
func TestCompileHostileValues(t *testing.T) {
	hostile := []string{
		`'; DROP TABLE cooperatives; --`,
		`x' OR '1'='1`,
		`") OR 1=1 --`,
		`1; DELETE FROM audit`,
		`\'; SELECT pg_sleep(10); --`,
		`?`, `$1`, `/* */`, `%`, `_`,
		`state`, `state) OR (1=1`,
	}
	schema := filter.NewSchema(filter.Field{Name: "code", Column: "code", Type: filter.String, Contains: true})
	quote := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	likeEscape := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	for _, v := range hostile {
		q := `"` + quote.Replace(v) + `"`
		tests := []struct {
			src  string
			args []any
		}{
			{"code = " + q, []any{v}},
			{"code : " + q, []any{"%" + likeEscape.Replace(v) + "%"}},
			{"NOT code != " + q + " OR code >= " + q, []any{v, v}},
		}
		for _, tc := range tests {
			where, args, err := schema.Compile(tc.src)
			if err != nil {
				t.Fatalf("Compile(%q): %v", tc.src, err)
			}
			checkSQL(t, []string{"code"}, where, args)
			if diff := cmp.Diff(tc.args, args); diff != "" {
				t.Errorf("Compile(%q) args mismatch (-want +got):\n%s", tc.src, diff)
			}
		}
	}
}

// cooperativeColumns are the columns of the cooperatives schema.
var cooperativeColumns = []string{"state", "name_key", "province", "create_time_us", "member_count", "archived", "craft_code", "reference"}

// checkSQL asserts that where holds nothing but the given columns, "?"
// placeholders, parentheses, fixed keywords and comparison operators, and
// one argument per placeholder, each of a type the drivers bind natively.
func checkSQL(t testing.TB, columns []string, where string, args []any) {
	t.Helper()
	allowed := map[string]bool{
		"(": true, ")": true, "?": true, "AND": true, "OR": true, "NOT": true, "LIKE": true, "ESCAPE": true, `'\'`: true,
		"=": true, "<>": true, "<": true, "<=": true, ">": true, ">=": true,
	}
	for _, c := range columns {
		allowed[c] = true
	}
	spaced := strings.NewReplacer("(", " ( ", ")", " ) ").Replace(where)
	placeholders := 0
	for _, tok := range strings.Fields(spaced) {
		if tok == "?" {
			placeholders++
		}
		if !allowed[tok] {
			t.Fatalf("compiled SQL %q contains %q, which is neither a column nor fixed SQL", where, tok)
		}
	}
	if placeholders != len(args) {
		t.Fatalf("compiled SQL %q has %d placeholders for %d args", where, placeholders, len(args))
	}
	for _, a := range args {
		switch a.(type) {
		case string, int64, bool:
		default:
			t.Fatalf("arg %#v of type %T", a, a)
		}
	}
}

func TestFields(t *testing.T) {
	want := []string{"archived", "craft.code", "create_time", "display_name", "member_count", "province", "reference", "state"}
	got := cooperatives.Fields()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Fields() mismatch (-want +got):\n%s", diff)
	}
	got[0] = "changed"
	if cooperatives.Fields()[0] != "archived" {
		t.Error("Fields() returned the schema's own slice")
	}
}

func TestNewSchemaRejectsMalformedFields(t *testing.T) {
	tests := []struct {
		name   string
		fields []filter.Field
	}{
		{"empty name", []filter.Field{{Name: "", Column: "c"}}},
		{"keyword name", []filter.Field{{Name: "AND", Column: "c"}}},
		{"name with space", []filter.Field{{Name: "a b", Column: "c"}}},
		{"injected column", []filter.Field{{Name: "a", Column: "c; DROP TABLE x"}}},
		{"quoted column", []filter.Field{{Name: "a", Column: `"c"`}}},
		{"empty column", []filter.Field{{Name: "a", Column: ""}}},
		{"duplicate", []filter.Field{{Name: "a", Column: "c"}, {Name: "a", Column: "d"}}},
		{"enum without values", []filter.Field{{Name: "a", Column: "c", Type: filter.Enum}}},
		{"values on string", []filter.Field{{Name: "a", Column: "c", Values: []string{"X"}}}},
		{"contains on int", []filter.Field{{Name: "a", Column: "c", Type: filter.Int, Contains: true}}},
		{"fold on enum", []filter.Field{{Name: "a", Column: "c", Type: filter.Enum, Values: []string{"X"}, Fold: strings.ToLower}}},
		{"unknown type", []filter.Field{{Name: "a", Column: "c", Type: filter.Type(99)}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("NewSchema(%+v) did not panic", tc.fields)
				}
			}()
			filter.NewSchema(tc.fields...)
		})
	}
}

func TestNumberPlaceholders(t *testing.T) {
	tests := []struct {
		where string
		first int
		want  string
	}{
		{"", 1, ""},
		{"state = ?", 1, "state = $1"},
		{`(state = ? AND name_key LIKE ? ESCAPE '\' AND n > ?)`, 3, `(state = $3 AND name_key LIKE $4 ESCAPE '\' AND n > $5)`},
	}
	for _, tc := range tests {
		if got := filter.NumberPlaceholders(tc.where, tc.first); got != tc.want {
			t.Errorf("NumberPlaceholders(%q, %d) = %q, want %q", tc.where, tc.first, got, tc.want)
		}
	}
}

var (
	sinkWhere string
	sinkArgs  []any
)

func BenchmarkCompile(b *testing.B) {
	inputs := []struct{ name, src string }{
		{"one enum", "state = REGISTERED"},
		{"contains arabic", "display_name : تعاونية"},
		{"typical", `display_name:"Fès" state = REGISTERED create_time >= 2024-01-01T00:00:00Z`},
		{"complex", `(state = REGISTERED OR state = SUSPENDED) AND NOT archived = true AND member_count >= 7 ` +
			`AND (display_name:"tissage" OR display_name:"نسيج") AND create_time < "2025-01-01T00:00:00+01:00"`},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w, a, err := cooperatives.Compile(in.src)
				if err != nil {
					b.Fatal(err)
				}
				sinkWhere, sinkArgs = w, a
			}
		})
	}
}

func BenchmarkParseLongest(b *testing.B) {
	src := strings.Repeat("state = REGISTERED ", filter.MaxTerms)
	if len(src) > filter.MaxLength {
		src = src[:filter.MaxLength-len("state = REGISTERED ")]
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := filter.Parse(src); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCompileIndexedContains: a field with an Index puts the index's
// condition before the LIKE, both in one parenthesis (so NOT negates the
// pair), and leaves values the index cannot serve to the LIKE alone.
func TestCompileIndexedContains(t *testing.T) {
	s := filter.NewSchema(filter.Field{Name: "display_name", Column: "k", Type: filter.String, Contains: true, Fold: textnorm.Fold,
		Index: func(v, _ string) (string, []any, bool) {
			if len([]rune(v)) < 3 {
				return "", nil, false
			}
			if v == "mohamed" {
				return "strpos(k, ?) > 0", []any{v}, true
			}
			return "grams(k) @> grams(?)", []any{v}, false
		}})
	tests := []struct {
		src, where string
		args       []any
	}{
		{`display_name:"Fassi"`, `(grams(k) @> grams(?) AND k LIKE ? ESCAPE '\')`, []any{"fassi", "%fassi%"}},
		{`NOT display_name:"Fès"`, `NOT ((grams(k) @> grams(?) AND k LIKE ? ESCAPE '\'))`, []any{"fes", "%fes%"}},
		{`display_name:"el"`, `k LIKE ? ESCAPE '\'`, []any{"%el%"}},
		{`display_name = "Fassi"`, `k = ?`, []any{"fassi"}},
		// An exact condition replaces the LIKE.
		{`NOT display_name:"Mohamed"`, `NOT ((strpos(k, ?) > 0))`, []any{"mohamed"}},
	}
	for _, tc := range tests {
		where, args, err := s.Compile(tc.src)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tc.src, err)
		}
		if where != tc.where {
			t.Errorf("Compile(%q) where = %q, want %q", tc.src, where, tc.where)
		}
		if diff := cmp.Diff(tc.args, args); diff != "" {
			t.Errorf("Compile(%q) args mismatch (-want +got):\n%s", tc.src, diff)
		}
	}
}

// TestCompileInGivesIndexTheScope: CompileIn hands the query's scope to a
// field's Index (a name frequent nationally can be rare in one chamber),
// Compile an empty one.
func TestCompileInGivesIndexTheScope(t *testing.T) {
	var got []string
	s := filter.NewSchema(filter.Field{Name: "display_name", Column: "k", Type: filter.String, Contains: true,
		Index: func(v, scope string) (string, []any, bool) {
			got = append(got, scope)
			if scope == "fes-meknes" {
				return "", nil, false
			}
			return "grams(k) @> grams(?)", []any{v}, false
		}})
	for _, scope := range []string{"fes-meknes", "-"} {
		if _, _, err := s.CompileIn(`display_name:"fassi"`, scope); err != nil {
			t.Fatal(err)
		}
	}
	where, _, err := s.Compile(`display_name:"fassi"`)
	if err != nil || where != `(grams(k) @> grams(?) AND k LIKE ? ESCAPE '\')` {
		t.Fatalf("Compile: %q, %v", where, err)
	}
	if diff := cmp.Diff([]string{"fes-meknes", "-", ""}, got); diff != "" {
		t.Errorf("scopes given to Index (-want +got):\n%s", diff)
	}
}

// TestCompileSplit: a ':' match whose field splits it, alone or a term of
// the top-level AND, in a list ordered by the field's SplitOrder, compiles
// to one fragment per part (the rest of the filter in each); under OR or
// NOT, in another order, or split in fewer than two parts, it compiles as
// CompileIn does.
func TestCompileSplit(t *testing.T) {
	var scopes []string
	s := filter.NewSchema(
		filter.Field{Name: "state", Column: "state", Type: filter.String},
		filter.Field{Name: "display_name", Column: "k", Type: filter.String, Contains: true, Fold: textnorm.Fold,
			Index: func(v, _ string) (string, []any, bool) { return "grams(k) @> grams(?)", []any{v}, false },
			Split: func(v, scope string) ([]string, [][]any) {
				scopes = append(scopes, scope)
				if v == "fassi" {
					return nil, nil
				}
				return []string{"k LIKE ?", "strpos(k, ?) > 1"}, [][]any{{v + "%"}, {v}}
			}, SplitOrder: "k"})
	tests := []struct {
		src    string
		order  string // the list's order column; "" for k
		wheres []string
		args   [][]any
	}{
		{`display_name:"Mohamed"`, "", []string{`(k LIKE ?)`, `(strpos(k, ?) > 1)`}, [][]any{{"mohamed%"}, {"mohamed"}}},
		{`state = "A" AND display_name:"Mohamed" AND state != "B"`, "",
			[]string{`(state = ? AND (k LIKE ?) AND state <> ?)`, `(state = ? AND (strpos(k, ?) > 1) AND state <> ?)`},
			[][]any{{"A", "mohamed%", "B"}, {"A", "mohamed", "B"}}},
		{`state = "A" OR display_name:"Mohamed"`, "",
			[]string{`(state = ? OR (grams(k) @> grams(?) AND k LIKE ? ESCAPE '\'))`}, [][]any{{"A", "mohamed", "%mohamed%"}}},
		{`NOT display_name:"Mohamed"`, "", []string{`NOT ((grams(k) @> grams(?) AND k LIKE ? ESCAPE '\'))`}, [][]any{{"mohamed", "%mohamed%"}}},
		{`display_name:"Fassi"`, "", []string{`(grams(k) @> grams(?) AND k LIKE ? ESCAPE '\')`}, [][]any{{"fassi", "%fassi%"}}},
		// Ordered by another column, each part would be read whole and
		// sorted: the match stays one condition, and Split is not asked.
		{`display_name:"Mohamed"`, "create_time", []string{`(grams(k) @> grams(?) AND k LIKE ? ESCAPE '\')`}, [][]any{{"mohamed", "%mohamed%"}}},
		{``, "", nil, nil},
	}
	for _, tc := range tests {
		order := tc.order
		if order == "" {
			order = "k"
		}
		wheres, args, err := s.CompileSplit(tc.src, "fes-meknes", order)
		if err != nil {
			t.Fatalf("CompileSplit(%q): %v", tc.src, err)
		}
		if diff := cmp.Diff(tc.wheres, wheres); diff != "" {
			t.Errorf("CompileSplit(%q) wheres (-want +got):\n%s", tc.src, diff)
		}
		if diff := cmp.Diff(tc.args, args); diff != "" {
			t.Errorf("CompileSplit(%q) args (-want +got):\n%s", tc.src, diff)
		}
	}
	// Split is asked once per search, with the query's scope.
	if diff := cmp.Diff([]string{"fes-meknes", "fes-meknes", "fes-meknes"}, scopes); diff != "" {
		t.Errorf("scopes given to Split (-want +got):\n%s", diff)
	}
}

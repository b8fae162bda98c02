package filter

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParse checks the tree through its canonical rendering, which shows
// grouping with parentheses.
func TestParse(t *testing.T) {
	tests := []struct {
		src  string
		want string // canonical String(); "" for an empty filter
	}{
		{"", ""},
		{"   \t\n ", ""},
		{"state = REGISTERED", "state = REGISTERED"},
		{"state=REGISTERED", "state = REGISTERED"},
		{"state!=REGISTERED", "state != REGISTERED"},
		{"n<1", "n < 1"},
		{"n<=1", "n <= 1"},
		{"n>1", "n > 1"},
		{"n>=1", "n >= 1"},
		{"n = -12", "n = -12"},
		{"display_name:fes", "display_name : fes"},
		{`display_name : "Fès Médina"`, `display_name : "Fès Médina"`},
		{`name = "a \"b\" \\ c"`, `name = "a \"b\" \\ c"`},
		{`name = 'l\'atelier'`, `name = "l'atelier"`},
		{`name = "l'atelier"`, `name = "l'atelier"`},
		{`name = ""`, `name = ""`},
		{`name = "AND"`, `name = "AND"`},
		{"name = فاس", "name = فاس"},
		{"create_time > 2024-01-31T09:00:00Z", "create_time > 2024-01-31T09:00:00Z"},
		{`create_time > "2024-01-31T09:00:00+01:00"`, "create_time > 2024-01-31T09:00:00+01:00"},
		{"craft.code = C12", "craft.code = C12"},
		{"a=1 b=2", "a = 1 AND b = 2"},
		{"a=1 AND b=2", "a = 1 AND b = 2"},
		{"a=1 OR b=2", "a = 1 OR b = 2"},
		// AIP-160: OR binds tighter than AND, explicit or implicit.
		{"a=1 AND b=2 OR c=3", "a = 1 AND (b = 2 OR c = 3)"},
		{"a=1 OR b=2 AND c=3", "(a = 1 OR b = 2) AND c = 3"},
		{"a=1 b=2 OR c=3", "a = 1 AND (b = 2 OR c = 3)"},
		{"a=1 OR b=2 c=3 OR d=4", "(a = 1 OR b = 2) AND (c = 3 OR d = 4)"},
		{"(a=1 AND b=2) OR c=3", "(a = 1 AND b = 2) OR c = 3"},
		{"a=1 OR b=2 OR c=3", "a = 1 OR b = 2 OR c = 3"},
		{"(a=1 OR b=2) OR c=3", "a = 1 OR b = 2 OR c = 3"},
		{"a=1 (b=2 c=3)", "a = 1 AND b = 2 AND c = 3"},
		{"((a=1))", "a = 1"},
		// NOT binds tighter than OR and AND.
		{"NOT a=1", "NOT a = 1"},
		{"NOT a=1 OR b=2", "NOT a = 1 OR b = 2"},
		{"NOT a=1 b=2", "NOT a = 1 AND b = 2"},
		{"-a=1", "NOT a = 1"},
		{"-a=1 b=2", "NOT a = 1 AND b = 2"},
		{"NOT (a=1 OR b=2)", "NOT (a = 1 OR b = 2)"},
		{"NOT(a=1)", "NOT a = 1"},
		{"NOT NOT a=1", "NOT NOT a = 1"},
		{"a=1 NOT b=2", "a = 1 AND NOT b = 2"},
		{"a=1 -b=2", "a = 1 AND NOT b = 2"},
		{"NOTE=1", "NOTE = 1"},
		{"ORDER=1 ANDROID=2", "ORDER = 1 AND ANDROID = 2"},
		{"a=x:y", "a = x:y"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			e, err := Parse(tc.src)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.src, err)
			}
			got := ""
			if e != nil {
				got = e.String()
			}
			if got != tc.want {
				t.Errorf("Parse(%q) = %s, want %s", tc.src, got, tc.want)
			}
		})
	}
}

// TestParseTree pins the exact tree for one filter, positions included.
func TestParseTree(t *testing.T) {
	src := `  state  !=  "X" OR -n>=2 (a:b)`
	want := &And{Terms: []Expr{
		&Or{Terms: []Expr{
			&Comparison{Field: "state", Op: NotEqual, Value: "X", Pos: 2, OpPos: 9, ValuePos: 13},
			&Not{Pos: 20, X: &Comparison{Field: "n", Op: GreaterOrEqual, Value: "2", Pos: 21, OpPos: 22, ValuePos: 24}},
		}},
		&Comparison{Field: "a", Op: Has, Value: "b", Pos: 27, OpPos: 28, ValuePos: 29},
	}}
	got, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Expr(want), got); diff != "" {
		t.Errorf("Parse(%q) mismatch (-want +got):\n%s", src, diff)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src     string
		pos     int
		message string // the whole Error() text
	}{
		{"state", 5, `expected an operator (= != < <= > >= :) after "state", found end of filter`},
		{"state REGISTERED", 6, `expected an operator (= != < <= > >= :) after "state", found "REGISTERED"`},
		{"a=1 and b=2", 8, `expected an operator (= != < <= > >= :) after "and", found "b" (AND, OR and NOT are written in upper case)`},
		{"state =", 7, "expected a value, found end of filter"},
		{"state = )", 8, `expected a value, found ")"`},
		{"state = (A OR B)", 8, `expected a value, found "("`},
		{"state = AND", 8, "expected a value, found keyword AND (quote it to use it as a value)"},
		{"= 1", 0, `expected a field name, found "="`},
		{"1 = 1", 0, `expected a field name, found "1"`},
		{"a=1 AND", 7, "expected a comparison, found end of filter"},
		{"a=1 OR", 6, "expected a comparison, found end of filter"},
		{"a=1 AND AND b=2", 8, `expected a field name, found "AND"`},
		{"a=1 OR OR b=2", 7, `expected a field name, found "OR"`},
		{"NOT", 3, "expected a comparison, found end of filter"},
		{"- a=1", 0, "expected a comparison right after '-'"},
		{"-", 0, "expected a comparison right after '-'"},
		{`a="abc`, 2, "unterminated string"},
		{`a='abc"`, 2, "unterminated string"},
		{`a="abc\`, 2, "unterminated string"},
		{`a="x\ny"`, 4, `unknown escape \n in string (use \", \' or \\)`},
		{"(a=1", 0, "missing ')' for this '('"},
		{"((a=1)", 0, "missing ')' for this '('"},
		{"(a=1 =2)", 5, `unexpected "=", expected ')'`},
		{"a=1)", 3, "unexpected ')' without matching '('"},
		{"a=1 )", 4, "unexpected ')' without matching '('"},
		{"()", 1, `expected a field name, found ")"`},
		{"a=1 =", 4, `unexpected "="`},
		{"a=1 'x'", 4, `unexpected "'"`},
		{"a=1 OR 2", 7, `expected a field name, found "2"`},
		{"a.=1", 0, `expected a field name, found "a."`},
		{"a\x00=1", 1, "control character U+0000 not allowed"},
		{"a=\xff", 2, "invalid UTF-8"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			_, err := Parse(tc.src)
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("Parse(%q) error = %v, want *Error", tc.src, err)
			}
			want := &Error{Pos: tc.pos, Msg: tc.message}
			if diff := cmp.Diff(want, fe); diff != "" {
				t.Errorf("Parse(%q) error mismatch (-want +got):\n%s", tc.src, diff)
			}
		})
	}
}

func TestParseLimits(t *testing.T) {
	tests := []struct {
		name string
		src  string
		ok   bool
		msg  string
	}{
		{"longest", "a=" + strings.Repeat("x", MaxLength-2), true, ""},
		{"too long", "a=" + strings.Repeat("x", MaxLength-1), false, "filter longer than 2000 bytes"},
		{"deepest parens", strings.Repeat("(", MaxDepth) + "a=1" + strings.Repeat(")", MaxDepth), true, ""},
		{"parens too deep", strings.Repeat("(", MaxDepth+1) + "a=1" + strings.Repeat(")", MaxDepth+1), false, "nested deeper than 16 levels"},
		{"NOTs too deep", strings.Repeat("NOT ", MaxDepth+1) + "a=1", false, "nested deeper than 16 levels"},
		{"mixed too deep", strings.Repeat("-(", MaxDepth/2+1) + "a=1" + strings.Repeat(")", MaxDepth/2+1), false, "nested deeper than 16 levels"},
		{"most terms", strings.Repeat("a=1 ", MaxTerms), true, ""},
		{"too many terms", strings.Repeat("a=1 ", MaxTerms+1), false, "more than 64 comparisons"},
		{"too many terms in OR", strings.Repeat("a=1 OR ", MaxTerms) + "a=1", false, "more than 64 comparisons"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.src)
			if tc.ok {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			var fe *Error
			if !errors.As(err, &fe) || fe.Msg != tc.msg || fe.Field != "" {
				t.Fatalf("Parse error = %#v, want *Error with message %q", err, tc.msg)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Pos: 12, Msg: "expected a value, found end of filter"}, "filter: syntax error at 12: expected a value, found end of filter"},
		{&Error{Field: "colour", Pos: 0, Msg: `unknown field "colour" (known: activity, category)`}, `filter: unknown field "colour" (known: activity, category)`},
	}
	for _, tc := range tests {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

// TestStringRoundTrip checks that the canonical form parses back to itself,
// including values that need quoting.
func TestStringRoundTrip(t *testing.T) {
	for _, src := range []string{
		`a = "x y"`, `a = "a\"b"`, `a = 'c\'d'`, `a = "back\\slash"`, `a = "(x)"`, `a = "x=y"`,
		`a = "NOT"`, `a = "OR" OR b = "AND"`, "a = \"tab\there\"", `a = "é ü"`, `NOT (a=1 b=2)`,
		`-(a=1 OR b=2) c=3`, `a = "!"`, `a = "<>"`,
	} {
		e, err := Parse(src)
		if err != nil {
			t.Fatalf("Parse(%q): %v", src, err)
		}
		again, err := Parse(e.String())
		if err != nil {
			t.Fatalf("Parse(%q) (canonical form of %q): %v", e.String(), src, err)
		}
		if again.String() != e.String() {
			t.Errorf("round trip of %q: %q became %q", src, e.String(), again.String())
		}
	}
}

package filter_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/filter"
)

// The seed corpora live in testdata/fuzz/FuzzParse and
// testdata/fuzz/FuzzCompile, so plain `go test` runs them. To search for
// new failures: go test -run '^$' -fuzz FuzzCompile -fuzztime 60s

// checkError asserts that err is a well-formed *filter.Error for src.
func checkError(t *testing.T, src string, err error) *filter.Error {
	t.Helper()
	var fe *filter.Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not a *filter.Error", err, err)
	}
	if fe.Pos < 0 || fe.Pos > max(len(src), filter.MaxLength) {
		t.Fatalf("error %q: position %d outside the filter (%d bytes)", fe.Error(), fe.Pos, len(src))
	}
	if fe.Msg == "" || !strings.HasPrefix(fe.Error(), "filter: ") {
		t.Fatalf("badly formed error %#v", fe)
	}
	if fe.Field != "" && !strings.Contains(src, fe.Field) {
		t.Fatalf("error %q names field %q, which is not in the filter", fe.Error(), fe.Field)
	}
	return fe
}

func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, src string) {
		e, err := filter.Parse(src)
		if err != nil {
			if fe := checkError(t, src, err); fe.Field != "" {
				t.Fatalf("syntax error %q names a field", fe.Error())
			}
			return
		}
		if e == nil {
			if strings.TrimSpace(src) != "" {
				t.Fatalf("Parse(%q) = nil for a non-empty filter", src)
			}
			return
		}
		// The canonical form reads back to itself. It may be longer or one
		// level deeper than src, so it can exceed the limits src met.
		canon := e.String()
		again, err := filter.Parse(canon)
		if err != nil {
			fe := checkError(t, canon, err)
			if strings.HasPrefix(fe.Msg, "filter longer than") || strings.HasPrefix(fe.Msg, "nested deeper than") {
				return
			}
			t.Fatalf("Parse(%q) ok, but its canonical form %q: %v", src, canon, err)
		}
		if again.String() != canon {
			t.Fatalf("canonical form of %q is %q, which reads back as %q", src, canon, again.String())
		}
	})
}

func FuzzCompile(f *testing.F) {
	db := openSQLite(f)
	f.Fuzz(func(t *testing.T, src string) {
		where, args, err := cooperatives.Compile(src)
		if err != nil {
			checkError(t, src, err)
			if where != "" || args != nil {
				t.Fatalf("Compile(%q) returned %q, %v with an error", src, where, args)
			}
			return
		}
		if _, perr := filter.Parse(src); perr != nil {
			t.Fatalf("Compile(%q) ok but Parse failed: %v", src, perr)
		}
		checkSQL(t, cooperativeColumns, where, args)
		// The fragment is valid SQL, whatever its shape.
		if _, err := db.ids(t.Context(), where, args); err != nil {
			t.Fatalf("Compile(%q) = %q %v, which SQLite rejects: %v", src, where, args, err)
		}
	})
}

// Package catalogtest holds the checks every service runs on its error
// catalogue: every entry translated with the same parameters in Arabic and
// French, and every reason the code uses catalogued with the right code.
package catalogtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"

	"github.com/hirfa/hirfa/pkg/fault/catalog"
)

// Check fails t on a conflicting, untranslated or inconsistent entry or
// enum word: an empty Arabic or French template or word, templates whose parameters differ between
// the languages, a field rule without {field}, or an entry answering OK.
func Check(t testing.TB, c *catalog.Catalog) {
	t.Helper()
	for _, what := range c.Conflicts() {
		t.Errorf("catalogue: %s is declared twice with different texts", what)
	}
	if len(c.Entries()) == 0 {
		t.Fatal("catalogue: no entries")
	}
	for _, e := range c.Entries() {
		if strings.TrimSpace(e.Ar) == "" || strings.TrimSpace(e.Fr) == "" {
			t.Errorf("catalogue: %s: missing translation (ar %q, fr %q)", e.Reason, e.Ar, e.Fr)
			continue
		}
		if e.Code == codes.OK {
			t.Errorf("catalogue: %s: no gRPC code", e.Reason)
		}
		if ar, fr := catalog.Placeholders(e.Ar), catalog.Placeholders(e.Fr); !slices.Equal(ar, fr) {
			t.Errorf("catalogue: %s: parameters differ: ar %v, fr %v", e.Reason, ar, fr)
		}
		if e.Ar == e.Fr {
			t.Errorf("catalogue: %s: the Arabic and French texts are the same", e.Reason)
		}
	}
	for _, l := range c.Labels() {
		if strings.TrimSpace(l.Ar) == "" || strings.TrimSpace(l.Fr) == "" {
			t.Errorf("catalogue: field %s: missing label (ar %q, fr %q)", l.Field, l.Ar, l.Fr)
		}
	}
	for _, w := range c.Words() {
		if strings.TrimSpace(w.Ar) == "" || strings.TrimSpace(w.Fr) == "" || w.Ar == w.Fr {
			t.Errorf("catalogue: word %s: missing or identical translations (ar %q, fr %q)", w.Value, w.Ar, w.Fr)
		}
	}
}

// enumTypes are the domain types whose values messages show.
var enumTypes = map[string]bool{"State": true, "Action": true, "Kind": true}

// site is one place an error reason is given.
type site struct {
	pos    token.Position
	reason string
	code   codes.Code
	args   int      // format arguments given ({1}…{args} exist); -1: unknown
	named  []string // Meta keys given as a literal; nil: unknown
	field  string   // the field's last segment, for violations
}

// Used parses the Go sources under roots (test files excluded) and fails t
// when a reason or field rule is given as a string literal in a service
// (strict), when a State, Action or Kind constant has no catalog.Words
// entry, when an exported Reason*/Rule* constant or a reason given at a
// construction site is not in c, when the catalogue's code differs from
// the one the construction answers with, when a template uses a parameter
// the site does not give, or when a violated field has no label.
//
// Construction sites are fault.Invalid, Violations.Add, fault.Precondition,
// the fault.PreconditionError, AlreadyExistsError and DeniedError literals,
// and the aggregates' helper methods named precondition or CheckIn (reason
// first; resource and state as metadata). Constants are resolved by package name across roots, so pass
// the pkg/fault directory as a root when the code uses fault's constants.
func Used(t testing.TB, c *catalog.Catalog, strict bool, roots ...string) {
	t.Helper()
	fset := token.NewFileSet()
	var files []*ast.File
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			files = append(files, f)
			return nil
		})
		if err != nil {
			t.Fatalf("parse %s: %v", root, err)
		}
	}
	consts := map[string]string{} // "pkg.Name" → value
	for _, f := range files {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i >= len(vs.Values) {
						continue
					}
					if v, ok := literal(vs.Values[i]); ok {
						key := f.Name.Name + "." + n.Name
						consts[key] = v
						if n.IsExported() && (strings.HasPrefix(n.Name, "Reason") || strings.HasPrefix(n.Name, "Rule")) {
							if _, ok := c.Entry(v); !ok {
								t.Errorf("%s: constant %s = %q is not in the catalogue", fset.Position(n.Pos()), key, v)
							}
						}
						// States, actions and kinds are what
						// messages show as {state}, {action},
						// {kind}: each needs its words.
						if typ, ok := vs.Type.(*ast.Ident); ok && enumTypes[typ.Name] {
							if _, ok := c.Word(v); !ok {
								t.Errorf("%s: %s %s = %q has no Arabic and French words (catalog.Words)", fset.Position(n.Pos()), typ.Name, key, v)
							}
						}
					}
				}
			}
		}
	}
	var sites []site
	for _, f := range files {
		pkg := f.Name.Name
		resolve := func(e ast.Expr) (string, bool, bool) { // value, known, literal
			switch x := e.(type) {
			case *ast.BasicLit:
				v, ok := literal(x)
				return v, ok, true
			case *ast.Ident:
				v, ok := consts[pkg+"."+x.Name]
				return v, ok, false
			case *ast.SelectorExpr:
				if id, ok := x.X.(*ast.Ident); ok {
					v, ok := consts[id.Name+"."+x.Sel.Name]
					return v, ok, false
				}
			}
			return "", false, false
		}
		add := func(n ast.Node, e ast.Expr, code codes.Code, args int, named []string, field string) {
			pos := fset.Position(n.Pos())
			v, known, lit := resolve(e)
			if lit && strict {
				t.Errorf("%s: reason %q is a string literal: declare it as a constant in the domain package", pos, v)
			}
			if known {
				sites = append(sites, site{pos: pos, reason: v, code: code, args: args, named: named, field: field})
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				sel, ok := x.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				recv, _ := sel.X.(*ast.Ident)
				isFault := recv != nil && recv.Name == "fault"
				switch {
				case isFault && sel.Sel.Name == "Invalid" && len(x.Args) >= 3:
					add(x, x.Args[1], codes.InvalidArgument, formatArgs(x, 3), nil, fieldOf(x.Args[0]))
				case sel.Sel.Name == "Add" && len(x.Args) >= 3 && isString(x.Args[2]):
					add(x, x.Args[1], codes.InvalidArgument, formatArgs(x, 3), nil, fieldOf(x.Args[0]))
				case isFault && sel.Sel.Name == "Precondition" && len(x.Args) >= 2:
					add(x, x.Args[0], codes.FailedPrecondition, formatArgs(x, 2), nil, "")
				case !isFault && (sel.Sel.Name == "precondition" || sel.Sel.Name == "CheckIn") && len(x.Args) >= 2:
					// The aggregates' helpers that build a PreconditionError
					// with the resource and its state as metadata.
					add(x, x.Args[0], codes.FailedPrecondition, -1, []string{"resource", "state", ""}, "")
				}
			case *ast.CompositeLit:
				sel, ok := x.Type.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if id, ok := sel.X.(*ast.Ident); !ok || id.Name != "fault" {
					return true
				}
				code, ok := map[string]codes.Code{
					"PreconditionError":  codes.FailedPrecondition,
					"AlreadyExistsError": codes.AlreadyExists,
					"DeniedError":        codes.PermissionDenied,
				}[sel.Sel.Name]
				if !ok {
					return true
				}
				var reason ast.Expr
				args, named := 0, []string(nil)
				for _, el := range x.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					switch kv.Key.(*ast.Ident).Name {
					case "Reason":
						reason = kv.Value
					case "Args":
						args = -1
						if cl, ok := kv.Value.(*ast.CompositeLit); ok {
							args = len(cl.Elts)
						}
					case "Meta":
						named = []string{"*"} // a variable: unknown keys
						if cl, ok := kv.Value.(*ast.CompositeLit); ok {
							named = nil
							for _, me := range cl.Elts {
								if k, ok := literal(me.(*ast.KeyValueExpr).Key); ok {
									named = append(named, k)
								}
							}
						}
					}
				}
				if sel.Sel.Name == "AlreadyExistsError" {
					named = append(named, "existing")
				}
				if reason != nil {
					add(x, reason, code, args, append(named, ""), "")
				}
			}
			return true
		})
	}
	if len(sites) == 0 {
		t.Fatalf("no construction site found under %v", roots)
	}
	for _, s := range sites {
		e, ok := c.Entry(s.reason)
		if !ok {
			t.Errorf("%s: reason %q is not in the catalogue", s.pos, s.reason)
			continue
		}
		if e.Code != s.code {
			t.Errorf("%s: reason %q answers %s here, the catalogue says %s", s.pos, s.reason, s.code, e.Code)
		}
		for _, p := range catalog.Placeholders(e.Ar) {
			if p == "field" {
				continue
			}
			if n, err := strconv.Atoi(p); err == nil {
				if s.args >= 0 && n > s.args {
					t.Errorf("%s: reason %q: template uses {%s} but the site gives %d format arguments", s.pos, s.reason, p, s.args)
				}
				continue
			}
			if s.named != nil && !slices.Contains(s.named, "*") && !slices.Contains(s.named, p) {
				t.Errorf("%s: reason %q: template uses {%s} but the site's metadata lacks it", s.pos, s.reason, p)
			}
			if s.named == nil && s.code != codes.FailedPrecondition {
				t.Errorf("%s: reason %q: template uses {%s}, a named parameter the site does not give", s.pos, s.reason, p)
			}
		}
		if s.field != "" && c.Label(catalog.Arabic, s.field) == s.field {
			t.Errorf("%s: field %q has no label in the catalogue", s.pos, s.field)
		}
	}
}

func literal(e ast.Expr) (string, bool) {
	b, ok := e.(*ast.BasicLit)
	if !ok || b.Kind != token.STRING {
		return "", false
	}
	v, err := strconv.Unquote(b.Value)
	return v, err == nil
}

func isString(e ast.Expr) bool { _, ok := literal(e); return ok }

// formatArgs counts the arguments after the format; -1 with a spread.
func formatArgs(c *ast.CallExpr, from int) int {
	if c.Ellipsis.IsValid() {
		return -1
	}
	return len(c.Args) - from
}

// fieldOf returns the last segment of a field path given as a literal or as
// prefix+"literal"; "" when the path is computed otherwise.
func fieldOf(e ast.Expr) string {
	if b, ok := e.(*ast.BinaryExpr); ok {
		e = b.Y
	}
	v, ok := literal(e)
	if !ok || strings.HasPrefix(v, "]") { // computed index: the path is built
		return ""
	}
	v = strings.TrimPrefix(v, ".")
	if i := strings.LastIndex(v, "."); i >= 0 {
		v = v[i+1:]
	}
	if i := strings.Index(v, "["); i >= 0 {
		v = v[:i]
	}
	return v
}

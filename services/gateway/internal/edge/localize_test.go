package edge

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"strconv"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/fault/catalog/catalogtest"
)

// TestLocalizedREST: the edge forwards Accept-Language to the service, which
// answers the reason's own message in the best language by q-value; a
// language with q=0 is never chosen and an unknown one leaves English.
func TestLocalizedREST(t *testing.T) {
	s := startStack(t, "off")
	clerk := s.token(t, auth.RoleChamberClerk, "fes-meknes")
	create := func(lang string) response {
		h := []string{}
		if lang != "" {
			h = append(h, "Accept-Language", lang)
		}
		r := s.do(t, "POST", "/v1/chambers/fes-meknes/cooperatives", clerk, with(coopBody(), "capital_centimes", "50000"), h...)
		if r.Status != 400 || r.reason() != "capital.minimum" {
			t.Fatalf("capital below minimum (%s) = %d %s", lang, r.Status, r.Raw)
		}
		return r
	}
	if r := create("fr-CA;q=0.9, ar;q=0.8"); !strings.Contains(r.str("message"), "capital social : le capital social doit être d'au moins 1 000,00 MAD (100000 centimes), reçu 50000") ||
		!strings.Contains(string(r.Raw), `"locale":"fr"`) {
		t.Errorf("French = %s", r.Raw)
	}
	if r := create("fr;q=0, ar;q=0.5"); !strings.Contains(r.str("message"), "رأس المال: يجب ألا يقل رأس المال عن 1000.00 درهم") {
		t.Errorf("q=0 excludes French, Arabic follows: %s", r.Raw)
	}
	for _, lang := range []string{"", "de-CH, it;q=0.5", "ar;q=0"} {
		if r := create(lang); !strings.Contains(r.str("message"), "share capital must be at least 1,000.00 MAD") || !strings.Contains(string(r.Raw), `"locale":"en"`) {
			t.Errorf("%q must stay English: %s", lang, r.Raw)
		}
	}
	// The edge's own errors come from its catalogue.
	if r := s.doUnchecked(t, "GET", "/v1/nowhere", "", nil, "Accept-Language", "fr"); r.Status != 404 || !strings.HasPrefix(r.str("message"), "Aucune route à cette adresse") {
		t.Errorf("route not found in French = %d %s", r.Status, r.Raw)
	}
}

// TestCatalog: the edge's reasons are translated, and every reason its
// writeError calls give (as a literal or one of its constants) is catalogued.
func TestCatalog(t *testing.T) {
	catalogtest.Check(t, Catalog)
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0) //nolint:staticcheck // SA1019: the package's files are plain Go, no build tags to consider
	if err != nil {
		t.Fatal(err)
	}
	// The package's string constants, read from its source, so a reason
	// given by constant is checked like a literal one.
	consts := map[string]string{}
	for _, f := range pkgs["edge"].Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if vs, ok := n.(*ast.ValueSpec); ok {
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							consts[name.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
			}
			return true
		})
	}
	sites := 0
	for _, f := range pkgs["edge"].Files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if id, isID := call.Fun.(*ast.Ident); !isID || id.Name != "writeError" || len(call.Args) < 6 {
				return true
			}
			var reason string
			switch a := call.Args[5].(type) {
			case *ast.BasicLit:
				reason, _ = strconv.Unquote(a.Value)
			case *ast.Ident:
				reason = consts[a.Name]
			default:
				return true // computed (auth.Reason(err)): auth.Messages covers it
			}
			sites++
			if _, ok := Catalog.Entry(reason); !ok {
				t.Errorf("%s: reason %q (%s) is not in the edge's catalogue", fset.Position(call.Pos()), reason, types.ExprString(call.Args[5]))
			}
			return true
		})
	}
	if sites < 8 {
		t.Fatalf("found %d writeError sites, expected at least 8", sites)
	}
}

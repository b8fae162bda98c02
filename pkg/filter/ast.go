package filter

import "strings"

// Op is a comparison operator.
type Op int

// The comparison operators of AIP-160 that this package supports.
const (
	Equal          Op = iota + 1 // =
	NotEqual                     // !=
	Less                         // <
	LessOrEqual                  // <=
	Greater                      // >
	GreaterOrEqual               // >=
	Has                          // : (contains)
)

// String returns the operator as written in a filter.
func (o Op) String() string {
	switch o {
	case Equal:
		return "="
	case NotEqual:
		return "!="
	case Less:
		return "<"
	case LessOrEqual:
		return "<="
	case Greater:
		return ">"
	case GreaterOrEqual:
		return ">="
	case Has:
		return ":"
	}
	return "?"
}

// Expr is a parsed filter: *Comparison, *And, *Or or *Not.
//
// String renders the expression in a canonical form that Parse accepts and
// that is equal for filters that differ only in spacing, quoting,
// redundant parentheses or "-" versus NOT; it suits binding page tokens to
// a query.
type Expr interface {
	String() string
	expr()
}

// Comparison is field Op value.
type Comparison struct {
	Field    string
	Op       Op
	Value    string // unquoted and unescaped
	Pos      int    // byte offset of the field name
	OpPos    int    // byte offset of the operator
	ValuePos int    // byte offset of the value (of its opening quote if quoted)
}

// And holds two or more terms that must all hold. Terms are never *And.
type And struct {
	Terms []Expr
}

// Or holds two or more terms of which one must hold. Terms are never *Or.
type Or struct {
	Terms []Expr
}

// Not negates X.
type Not struct {
	X   Expr
	Pos int // byte offset of NOT or "-"
}

func (*Comparison) expr() {}
func (*And) expr()        {}
func (*Or) expr()         {}
func (*Not) expr()        {}

func (c *Comparison) String() string {
	return c.Field + " " + c.Op.String() + " " + quote(c.Value)
}

func (a *And) String() string { return join(a.Terms, " AND ") }

func (o *Or) String() string { return join(o.Terms, " OR ") }

func (n *Not) String() string { return "NOT " + operand(n.X) }

func join(terms []Expr, sep string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = operand(t)
	}
	return strings.Join(parts, sep)
}

// operand renders e as a term of a larger expression, parenthesised when
// it is a conjunction or disjunction so that a reader need not know that
// OR binds tighter than AND here.
func operand(e Expr) string {
	switch e.(type) {
	case *And, *Or:
		return "(" + e.String() + ")"
	}
	return e.String()
}

// quote returns v bare when Parse would read it back unchanged, and as a
// double-quoted string otherwise.
func quote(v string) string {
	bare := v != "" && !isKeyword(v)
	for _, r := range v {
		if !isBareRune(r) {
			bare = false
			break
		}
	}
	if bare {
		return v
	}
	var b strings.Builder
	b.Grow(len(v) + 2)
	b.WriteByte('"')
	for i := 0; i < len(v); i++ {
		if v[i] == '"' || v[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(v[i])
	}
	b.WriteByte('"')
	return b.String()
}

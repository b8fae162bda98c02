package filter

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Type is the type of a filter field; it decides the operators a field
// accepts and how its values are parsed and bound.
type Type int

// Field types.
const (
	String    Type = iota // text, bound as Fold(value)
	Enum                  // one of Field.Values, bound as the string
	Timestamp             // RFC 3339, bound as int64 Unix microseconds
	Int                   // bound as int64
	Bool                  // true or false, bound as bool
)

func (t Type) String() string {
	switch t {
	case String:
		return "string"
	case Enum:
		return "enum"
	case Timestamp:
		return "timestamp"
	case Int:
		return "integer"
	case Bool:
		return "boolean"
	}
	return "Type(" + strconv.Itoa(int(t)) + ")"
}

// Field maps one filter field to a SQL column.
type Field struct {
	Name     string   // filter field name, e.g. "state", "create_time", "display_name"
	Column   string   // SQL column, e.g. "state" or "c.state"
	Type     Type     // decides operators and value parsing
	Values   []string // Enum only: the allowed values, case-sensitive, e.g. "REGISTERED"
	Contains bool     // String only: allows ':' (substring match on a pre-folded column)
	// Fold is applied to String values before they are bound (e.g.
	// textnorm.Fold, when Column stores folded text); nil binds them as
	// written.
	Fold func(string) string
	// Index, when set, serves a ':' match from an index: given the folded
	// value and the query's scope (CompileIn's; "" from Compile) it returns
	// a condition (with ? placeholders) and its arguments, ANDed before the
	// LIKE, which stays to make the match exact (the index may answer a
	// superset, e.g. rows sharing every trigram). With exact, the
	// condition is the match itself and replaces the LIKE (a form whose
	// selectivity the database estimates as the caller needs). An empty
	// condition means the value cannot use the index (too short): the LIKE
	// alone.
	Index func(folded, scope string) (cond string, args []any, exact bool)
	// Split, when set, serves a ':' match that is the whole filter or a
	// term of its top-level AND (see CompileSplit) as the union of
	// disjoint conditions, each exact: a list ordered by an index walks
	// each part's own way and merges them, where one condition would be
	// walked as a whole (a common first name in name order: its holders
	// are one range of the name index, the rare others found by trigrams,
	// while the name's single condition walks every name sorting before
	// it). Fewer than two parts: the ':' compiles as Index says.
	Split func(folded, scope string) (conds []string, args [][]any)
	// SplitOrder is the column whose ordering index Split's parts are
	// ranges of: a list in another order gains nothing from the parts
	// (each would read and sort all its rows, where the one condition
	// walks that order's index) and compiles the match as Index says.
	SplitOrder string
}

// Schema is the set of fields one resource can be filtered on. It is
// immutable and safe for concurrent use.
type Schema struct {
	fields map[string]Field
	names  []string // sorted
}

var (
	fieldName  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$`)
	columnName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$`)
)

// NewSchema returns the schema of fields. Like regexp.MustCompile it is
// meant for package-level declarations built from constants, and it panics
// when a field is malformed: an invalid or duplicate name, a column that is
// not a plain (optionally table-qualified) identifier, an Enum without
// values, Values on a non-Enum field, or Contains on a non-String field.
// Column names are written into SQL verbatim, hence the strict check.
func NewSchema(fields ...Field) *Schema {
	s := &Schema{fields: make(map[string]Field, len(fields))}
	for _, f := range fields {
		if err := f.check(); err != nil {
			panic("filter.NewSchema: " + err.Error())
		}
		if _, dup := s.fields[f.Name]; dup {
			panic(fmt.Sprintf("filter.NewSchema: field %q declared twice", f.Name))
		}
		f.Values = slices.Clone(f.Values)
		s.fields[f.Name] = f
		s.names = append(s.names, f.Name)
	}
	slices.Sort(s.names)
	return s
}

func (f Field) check() error {
	switch {
	case !fieldName.MatchString(f.Name) || isKeyword(f.Name):
		return fmt.Errorf("invalid field name %q", f.Name)
	case !columnName.MatchString(f.Column):
		return fmt.Errorf("field %q: invalid column %q", f.Name, f.Column)
	case f.Type < String || f.Type > Bool:
		return fmt.Errorf("field %q: unknown type %d", f.Name, int(f.Type))
	case f.Type == Enum && len(f.Values) == 0:
		return fmt.Errorf("field %q: enum without values", f.Name)
	case f.Type != Enum && len(f.Values) > 0:
		return fmt.Errorf("field %q: values on a %s field", f.Name, f.Type)
	case f.Type != String && f.Contains:
		return fmt.Errorf("field %q: contains on a %s field", f.Name, f.Type)
	case f.Type != String && f.Fold != nil:
		return fmt.Errorf("field %q: fold on a %s field", f.Name, f.Type)
	}
	return nil
}

// Fields returns the names of the fields, sorted, for documentation and
// error messages.
func (s *Schema) Fields() []string { return slices.Clone(s.names) }

// Compile parses src and compiles it into a WHERE fragment with "?"
// placeholders and their arguments, in order. An empty filter compiles to
// "", nil, nil. Errors are *Error.
//
// The fragment is self-contained (safe to join with other conditions by
// AND) and its only text comes from the Schema's columns and fixed SQL
// keywords; every value from src is in args.
func (s *Schema) Compile(src string) (where string, args []any, err error) {
	return s.CompileIn(src, "")
}

// CompileIn is Compile for a query limited to scope (a list's parent, such
// as a chamber), which a field's Index may use to choose its condition: a
// value frequent overall can be rare within one scope.
func (s *Schema) CompileIn(src, scope string) (where string, args []any, err error) {
	e, err := Parse(src)
	if err != nil || e == nil {
		return "", nil, err
	}
	return s.compile(e, scope)
}

// compile is the WHERE fragment of the parsed filter e.
func (s *Schema) compile(e Expr, scope string) (string, []any, error) {
	c := compiler{s: s, scope: scope}
	if err := c.expr(e); err != nil {
		return "", nil, err
	}
	return c.b.String(), c.args, nil
}

type compiler struct {
	s     *Schema
	scope string
	b     strings.Builder
	args  []any
	// split is the comparison replaced by its field's Split part number
	// part (CompileSplit: parts and partArgs); nil for none.
	split    *Comparison
	parts    []string
	partArgs [][]any
	part     int
}

// CompileSplit is CompileIn for a query the caller can run as a union:
// when a ':' match on a field with a Split is the filter itself or a term
// of its top-level AND (not under OR or NOT), and its Split gives two or
// more parts, it returns one WHERE fragment per part (the filter with that
// match replaced by the part) and each one's arguments. The parts are
// disjoint, so the union of the fragments' rows (UNION ALL) is the
// filter's. Only a field whose SplitOrder is order (the list's order
// column) splits. Otherwise it returns the single fragment CompileIn does.
func (s *Schema) CompileSplit(src, scope, order string) (wheres []string, args [][]any, err error) {
	e, err := Parse(src)
	if err != nil || e == nil {
		return nil, nil, err
	}
	var terms []Expr
	if and, ok := e.(*And); ok {
		terms = and.Terms
	} else {
		terms = []Expr{e}
	}
	for _, t := range terms {
		cmp, ok := t.(*Comparison)
		if !ok || cmp.Op != Has {
			continue
		}
		f, ok := s.fields[cmp.Field]
		if !ok || f.Split == nil || f.SplitOrder != order || f.Type != String || !f.Contains {
			continue
		}
		v := cmp.Value
		if f.Fold != nil {
			v = f.Fold(v)
		}
		conds, condArgs := f.Split(v, scope)
		if len(conds) < 2 || len(condArgs) != len(conds) {
			break
		}
		for part := range conds {
			c := compiler{s: s, scope: scope, split: cmp, parts: conds, partArgs: condArgs, part: part}
			if err := c.expr(e); err != nil {
				return nil, nil, err
			}
			wheres, args = append(wheres, c.b.String()), append(args, c.args)
		}
		return wheres, args, nil
	}
	where, one, err := s.compile(e, scope)
	if err != nil || where == "" {
		return nil, nil, err
	}
	return []string{where}, [][]any{one}, nil
}

func (c *compiler) expr(e Expr) error {
	switch e := e.(type) {
	case *Comparison:
		return c.comparison(e)
	case *And:
		return c.join(e.Terms, " AND ")
	case *Or:
		return c.join(e.Terms, " OR ")
	case *Not:
		c.b.WriteString("NOT ")
		switch e.X.(type) {
		case *And, *Or:
			return c.expr(e.X) // writes its own parentheses
		}
		c.b.WriteByte('(')
		if err := c.expr(e.X); err != nil {
			return err
		}
		c.b.WriteByte(')')
		return nil
	}
	return fmt.Errorf("filter: unexpected expression %T", e)
}

func (c *compiler) join(terms []Expr, sep string) error {
	c.b.WriteByte('(')
	for i, t := range terms {
		if i > 0 {
			c.b.WriteString(sep)
		}
		if err := c.expr(t); err != nil {
			return err
		}
	}
	c.b.WriteByte(')')
	return nil
}

// sqlOps spells each operator in SQL that PostgreSQL and SQLite both accept.
var sqlOps = map[Op]string{
	Equal:          " = ?",
	NotEqual:       " <> ?",
	Less:           " < ?",
	LessOrEqual:    " <= ?",
	Greater:        " > ?",
	GreaterOrEqual: " >= ?",
	Has:            ` LIKE ? ESCAPE '\'`,
}

func (c *compiler) comparison(cmp *Comparison) error {
	f, ok := c.s.fields[cmp.Field]
	if !ok {
		return fieldErr(cmp.Field, cmp.Pos, "unknown field %q (known: %s)", cmp.Field, strings.Join(c.s.names, ", "))
	}
	if ops := f.ops(); !slices.Contains(ops, cmp.Op) {
		return fieldErr(f.Name, cmp.OpPos, "operator %s not supported on %s field %q (supported: %s)",
			cmp.Op, f.Type, f.Name, opList(ops))
	}
	arg, err := f.bind(cmp)
	if err != nil {
		return err
	}
	if cmp == c.split {
		c.b.WriteString("(" + c.parts[c.part] + ")")
		c.args = append(c.args, c.partArgs[c.part]...)
		return nil
	}
	if cmp.Op == Has && f.Index != nil {
		v := cmp.Value
		if f.Fold != nil {
			v = f.Fold(v)
		}
		if cond, args, exact := f.Index(v, c.scope); exact && cond != "" {
			c.b.WriteString("(" + cond + ")")
			c.args = append(c.args, args...)
			return nil
		} else if cond != "" {
			// Parenthesised: a NOT before the comparison negates both.
			c.b.WriteString("(" + cond + " AND " + f.Column + sqlOps[cmp.Op] + ")")
			c.args = append(append(c.args, args...), arg)
			return nil
		}
	}
	c.b.WriteString(f.Column)
	c.b.WriteString(sqlOps[cmp.Op])
	c.args = append(c.args, arg)
	return nil
}

var (
	equality = []Op{Equal, NotEqual}
	ordering = []Op{Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual}
	textOps  = []Op{Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual, Has}
)

// ops returns the operators f accepts.
func (f Field) ops() []Op {
	switch f.Type {
	case String:
		if f.Contains {
			return textOps
		}
		return ordering
	case Timestamp, Int:
		return ordering
	}
	return equality
}

func opList(ops []Op) string {
	s := make([]string, len(ops))
	for i, o := range ops {
		s[i] = o.String()
	}
	return strings.Join(s, " ")
}

// bind converts the value of cmp to the argument bound for f.
func (f Field) bind(cmp *Comparison) (any, error) {
	v := cmp.Value
	switch f.Type {
	case String:
		if f.Fold != nil {
			v = f.Fold(v)
		}
		if cmp.Op != Has {
			return v, nil
		}
		if v == "" {
			return nil, fieldErr(f.Name, cmp.ValuePos, "field %q: nothing to search for in %q", f.Name, cmp.Value)
		}
		return ContainsPattern(v), nil
	case Enum:
		if !slices.Contains(f.Values, v) {
			return nil, fieldErr(f.Name, cmp.ValuePos, "invalid value %q for field %q (allowed: %s)",
				v, f.Name, strings.Join(f.Values, ", "))
		}
		return v, nil
	case Timestamp:
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return nil, fieldErr(f.Name, cmp.ValuePos, "invalid timestamp %q for field %q: want RFC 3339, e.g. 2024-01-31T09:00:00Z", v, f.Name)
		}
		if t.Nanosecond()%1000 != 0 {
			// Columns hold microseconds; rounding would silently change
			// what < and <= match.
			return nil, fieldErr(f.Name, cmp.ValuePos, "timestamp %q for field %q is finer than a microsecond", v, f.Name)
		}
		return t.UnixMicro(), nil
	case Int:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, fieldErr(f.Name, cmp.ValuePos, "invalid integer %q for field %q", v, f.Name)
		}
		return n, nil
	case Bool:
		switch v {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, fieldErr(f.Name, cmp.ValuePos, "invalid value %q for field %q (allowed: true, false)", v, f.Name)
	}
	return nil, fieldErr(f.Name, cmp.Pos, "field %q has unknown type %d", f.Name, int(f.Type))
}

// ContainsPattern is the LIKE pattern (under ESCAPE '\') of a ':' match:
// v anywhere in the column, its wildcards taken literally.
func ContainsPattern(v string) string { return "%" + escapeLike(v) + "%" }

// escapeLike escapes the LIKE wildcards % and _ and the escape character
// itself, so the value matches literally under ESCAPE '\'.
func escapeLike(s string) string {
	if !strings.ContainsAny(s, `%_\`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '%', '_', '\\':
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// NumberPlaceholders rewrites the "?" placeholders of a fragment returned
// by Compile as $first, $first+1, … for PostgreSQL. It is only for Compile's
// output, which never has "?" inside a literal.
func NumberPlaceholders(where string, first int) string {
	if !strings.Contains(where, "?") {
		return where
	}
	var b strings.Builder
	b.Grow(len(where) + 8)
	n := first
	for i := 0; i < len(where); i++ {
		if where[i] != '?' {
			b.WriteByte(where[i])
			continue
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(n))
		n++
	}
	return b.String()
}

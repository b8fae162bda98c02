package filter

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on one filter; see the package documentation.
const (
	MaxLength = 2000 // bytes
	MaxDepth  = 16   // nested parentheses and NOTs
	MaxTerms  = 64   // comparisons
)

// Parse checks the syntax of src and returns its expression tree, or nil
// for an empty (or all white space) filter. It does not know any field:
// use Schema.Compile to check fields and values. Errors are *Error.
func Parse(src string) (Expr, error) {
	if len(src) > MaxLength {
		return nil, syntaxErr(MaxLength, "filter longer than %d bytes", MaxLength)
	}
	if err := checkText(src); err != nil {
		return nil, err
	}
	p := parser{src: src}
	p.skipSpace()
	if p.eof() {
		return nil, nil
	}
	e, err := p.expression()
	if err != nil {
		return nil, err
	}
	if !p.eof() {
		// expression stops before anything that cannot continue it.
		if p.peek() == ')' {
			return nil, syntaxErr(p.pos, "unexpected ')' without matching '('")
		}
		return nil, syntaxErr(p.pos, "unexpected %s", p.describe())
	}
	return e, nil
}

// checkText rejects input no database should see: invalid UTF-8 (which
// PostgreSQL refuses in text parameters) and control characters other than
// white space (NUL cannot be stored in PostgreSQL text at all).
func checkText(src string) error {
	for i, r := range src {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(src[i:]); size == 1 {
				return syntaxErr(i, "invalid UTF-8")
			}
		}
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return syntaxErr(i, "control character %U not allowed", r)
		}
	}
	return nil
}

type parser struct {
	src   string
	pos   int
	depth int // current nesting of parentheses and NOTs
	terms int // comparisons read so far
}

func (p *parser) eof() bool { return p.pos >= len(p.src) }

func (p *parser) peek() byte { return p.src[p.pos] }

func (p *parser) skipSpace() {
	for !p.eof() {
		r, size := utf8.DecodeRuneInString(p.src[p.pos:])
		if !unicode.IsSpace(r) {
			return
		}
		p.pos += size
	}
}

// expression = sequence { "AND" sequence }, sequence = factor { factor }.
// Both are conjunctions, so they are read by one loop into one *And.
// It stops, without error, before the end of input, a ')' or anything that
// cannot start a term; the caller decides whether that is allowed.
func (p *parser) expression() (Expr, error) {
	var terms []Expr
	for {
		f, err := p.factor()
		if err != nil {
			return nil, err
		}
		terms = appendAnd(terms, f)
		p.skipSpace()
		if p.eof() {
			break
		}
		if p.keyword("AND") {
			p.pos += len("AND")
			p.skipSpace()
			continue
		}
		if !p.startsTerm() {
			break
		}
		// Juxtaposition: an implicit AND.
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return &And{Terms: terms}, nil
}

// factor = term { "OR" term }.
func (p *parser) factor() (Expr, error) {
	t, err := p.term()
	if err != nil {
		return nil, err
	}
	terms := appendOr(nil, t)
	for {
		p.skipSpace()
		if !p.keyword("OR") {
			break
		}
		p.pos += len("OR")
		p.skipSpace()
		t, err := p.term()
		if err != nil {
			return nil, err
		}
		terms = appendOr(terms, t)
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return &Or{Terms: terms}, nil
}

// term = "NOT" term | "-" term | "(" expression ")" | comparison.
func (p *parser) term() (Expr, error) {
	if p.eof() {
		return nil, syntaxErr(p.pos, "expected a comparison, found end of filter")
	}
	start := p.pos
	switch {
	case p.keyword("NOT"):
		p.pos += len("NOT")
		p.skipSpace()
		return p.not(start)
	case p.peek() == '-':
		p.pos++
		if !p.startsTerm() {
			return nil, syntaxErr(start, "expected a comparison right after '-'")
		}
		return p.not(start)
	case p.peek() == '(':
		p.pos++
		if err := p.enter(start); err != nil {
			return nil, err
		}
		p.skipSpace()
		e, err := p.expression()
		if err != nil {
			return nil, err
		}
		if p.eof() {
			return nil, syntaxErr(start, "missing ')' for this '('")
		}
		if p.peek() != ')' {
			return nil, syntaxErr(p.pos, "unexpected %s, expected ')'", p.describe())
		}
		p.pos++
		p.depth--
		return e, nil
	}
	return p.comparison()
}

func (p *parser) not(start int) (Expr, error) {
	if err := p.enter(start); err != nil {
		return nil, err
	}
	x, err := p.term()
	if err != nil {
		return nil, err
	}
	p.depth--
	return &Not{X: x, Pos: start}, nil
}

func (p *parser) enter(pos int) error {
	p.depth++
	if p.depth > MaxDepth {
		return syntaxErr(pos, "nested deeper than %d levels", MaxDepth)
	}
	return nil
}

// comparison = field operator value.
func (p *parser) comparison() (Expr, error) {
	start := p.pos
	field := p.ident()
	if field == "" || isKeyword(field) {
		p.pos = start
		return nil, syntaxErr(start, "expected a field name, found %s", p.describe())
	}
	p.terms++
	if p.terms > MaxTerms {
		return nil, syntaxErr(start, "more than %d comparisons", MaxTerms)
	}
	p.skipSpace()
	opPos := p.pos
	op := p.operator()
	if op == 0 {
		hint := ""
		switch field {
		case "and", "or", "not":
			hint = " (AND, OR and NOT are written in upper case)"
		}
		return nil, syntaxErr(opPos, "expected an operator (= != < <= > >= :) after %q, found %s%s", field, p.describe(), hint)
	}
	p.skipSpace()
	valuePos := p.pos
	value, err := p.value()
	if err != nil {
		return nil, err
	}
	return &Comparison{Field: field, Op: op, Value: value, Pos: start, OpPos: opPos, ValuePos: valuePos}, nil
}

// ident reads name { "." name } and returns "" if there is none here.
func (p *parser) ident() string {
	start := p.pos
	for {
		if p.eof() || !isNameStart(p.peek()) {
			p.pos = start
			return ""
		}
		for !p.eof() && isNameByte(p.peek()) {
			p.pos++
		}
		if p.eof() || p.peek() != '.' {
			return p.src[start:p.pos]
		}
		p.pos++ // a dot must be followed by another name
	}
}

func (p *parser) operator() Op {
	rest := p.src[p.pos:]
	for _, o := range []struct {
		text string
		op   Op
	}{
		// Two-byte operators first, so "<=" is not read as "<".
		{"<=", LessOrEqual}, {">=", GreaterOrEqual}, {"!=", NotEqual},
		{"<", Less}, {">", Greater}, {"=", Equal}, {":", Has},
	} {
		if strings.HasPrefix(rest, o.text) {
			p.pos += len(o.text)
			return o.op
		}
	}
	return 0
}

func (p *parser) value() (string, error) {
	if p.eof() {
		return "", syntaxErr(p.pos, "expected a value, found end of filter")
	}
	if q := p.peek(); q == '"' || q == '\'' {
		return p.quoted(q)
	}
	start := p.pos
	for !p.eof() {
		r, size := utf8.DecodeRuneInString(p.src[p.pos:])
		if !isBareRune(r) {
			break
		}
		p.pos += size
	}
	v := p.src[start:p.pos]
	switch {
	case v == "":
		return "", syntaxErr(start, "expected a value, found %s", p.describe())
	case isKeyword(v):
		return "", syntaxErr(start, "expected a value, found keyword %s (quote it to use it as a value)", v)
	}
	return v, nil
}

// quoted reads a string opened by q, in which \" \' and \\ are the only
// escapes.
func (p *parser) quoted(q byte) (string, error) {
	start := p.pos
	p.pos++
	var b strings.Builder
	from := p.pos // start of the run not yet copied into b
	for !p.eof() {
		switch c := p.peek(); c {
		case q:
			v := p.src[from:p.pos]
			p.pos++
			if b.Len() == 0 {
				return v, nil
			}
			b.WriteString(v)
			return b.String(), nil
		case '\\':
			b.WriteString(p.src[from:p.pos])
			if p.pos+1 >= len(p.src) {
				return "", syntaxErr(start, "unterminated string")
			}
			switch e := p.src[p.pos+1]; e {
			case '"', '\'', '\\':
				b.WriteByte(e)
			default:
				r, _ := utf8.DecodeRuneInString(p.src[p.pos+1:])
				return "", syntaxErr(p.pos, `unknown escape \%s in string (use \", \' or \\)`, string(r))
			}
			p.pos += 2
			from = p.pos
		default:
			p.pos++
		}
	}
	return "", syntaxErr(start, "unterminated string")
}

// keyword reports whether the keyword kw starts at the current position as
// a whole word.
func (p *parser) keyword(kw string) bool {
	if !strings.HasPrefix(p.src[p.pos:], kw) {
		return false
	}
	end := p.pos + len(kw)
	return end == len(p.src) || !isNameByte(p.src[end]) && p.src[end] != '.'
}

// startsTerm reports whether a term can start at the current position.
func (p *parser) startsTerm() bool {
	if p.eof() {
		return false
	}
	c := p.peek()
	return c == '(' || c == '-' || isNameStart(c)
}

// describe names what is at the current position, for error messages.
func (p *parser) describe() string {
	if p.eof() {
		return "end of filter"
	}
	// The first rune, and the rest of its word if it starts one.
	r, end := utf8.DecodeRuneInString(p.src[p.pos:])
	end += p.pos
	for isBareRune(r) && end < len(p.src) && end-p.pos < 20 {
		var size int
		r, size = utf8.DecodeRuneInString(p.src[end:])
		if !isBareRune(r) {
			break
		}
		end += size
	}
	return strconv.Quote(p.src[p.pos:end])
}

func isNameStart(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isNameByte(c byte) bool { return isNameStart(c) || '0' <= c && c <= '9' }

func isKeyword(s string) bool { return s == "AND" || s == "OR" || s == "NOT" }

// isBareRune reports whether r may appear in an unquoted value.
func isBareRune(r rune) bool {
	switch r {
	case '(', ')', '"', '\'', '=', '<', '>', '!':
		return false
	}
	return !unicode.IsSpace(r) && !unicode.IsControl(r)
}

// appendAnd appends e to the terms of a conjunction, splicing in the terms
// of e when it is itself a conjunction, so trees stay flat.
func appendAnd(terms []Expr, e Expr) []Expr {
	if a, ok := e.(*And); ok {
		return append(terms, a.Terms...)
	}
	return append(terms, e)
}

// appendOr is appendAnd for disjunctions.
func appendOr(terms []Expr, e Expr) []Expr {
	if o, ok := e.(*Or); ok {
		return append(terms, o.Terms...)
	}
	return append(terms, e)
}

// Package catalog is the list of every error reason Hirfa answers with: its
// gRPC code and its message in Arabic and French. English stays the message
// the code writes (the default language); the catalogue translates it.
//
// Templates name their parameters in braces:
//   - {1}, {2}, … are the format arguments of the English message, in order
//     (fault.Invalid, Violations.Add, fault.Precondition keep them);
//   - {name} is a named parameter from the error's metadata (ErrorInfo
//     metadata: resource, state, action, existing, …);
//   - {field} is the violated field's label in the caller's language.
//
// A parameter that is an enum word (a state, an action, a kind: Words) is
// shown in the caller's language too.
//
// A service declares its reasons as constants in its domain packages and
// lists their entries in its grpcport (catalog.go), which builds the
// service's Catalog from Common, the auth entries and its own; the gRPC
// server localises with it (grpcserver.Options.Catalog). No central file
// names a service's reasons.
package catalog

import (
	"context"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/text/language"
	"google.golang.org/grpc/codes"
)

// Languages the catalogue speaks besides English, the default.
const (
	English = "en"
	Arabic  = "ar"
	French  = "fr"
)

// Entry is one reason (an ErrorInfo reason or a field rule id).
type Entry struct {
	Reason string
	Code   codes.Code
	Ar, Fr string // templates
}

// Label is a field's name in each language. Field is the proto field name
// (the last segment of a field path, e.g. "years_of_practice") or a whole
// path when the last segment alone is ambiguous.
type Label struct {
	Field  string
	Ar, Fr string
}

// Catalog is a set of entries and field labels, merged from several lists.
type Catalog struct {
	entries   map[string]Entry
	labels    map[string]Label
	words     map[string]Word
	conflicts []string
}

// New merges entry and label lists, with the shared Words. The same reason
// may appear in several lists only with identical entries; any other
// repetition is recorded in Conflicts (the catalogue tests fail on it).
func New(entries [][]Entry, labels ...[]Label) *Catalog {
	c := &Catalog{entries: map[string]Entry{}, labels: map[string]Label{}, words: map[string]Word{}}
	for _, w := range Words {
		if old, ok := c.words[w.Value]; ok && old != w {
			c.conflicts = append(c.conflicts, "word "+w.Value)
		}
		c.words[w.Value] = w
	}
	for _, list := range entries {
		for _, e := range list {
			if old, ok := c.entries[e.Reason]; ok && old != e {
				c.conflicts = append(c.conflicts, "reason "+e.Reason)
			}
			c.entries[e.Reason] = e
		}
	}
	for _, list := range labels {
		for _, l := range list {
			if old, ok := c.labels[l.Field]; ok && old != l {
				c.conflicts = append(c.conflicts, "field "+l.Field)
			}
			c.labels[l.Field] = l
		}
	}
	return c
}

// Conflicts lists reasons or fields declared twice with different texts.
func (c *Catalog) Conflicts() []string { return c.conflicts }

// Entry returns the entry of reason.
func (c *Catalog) Entry(reason string) (Entry, bool) {
	if c == nil {
		return Entry{}, false
	}
	e, ok := c.entries[reason]
	return e, ok
}

// Entries returns every entry, sorted by reason.
func (c *Catalog) Entries() []Entry {
	out := make([]Entry, 0, len(c.entries))
	for _, e := range c.entries {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Reason < out[j].Reason })
	return out
}

// Words returns every enum word, sorted by value.
func (c *Catalog) Words() []Word {
	out := make([]Word, 0, len(c.words))
	for _, w := range c.words {
		out = append(out, w)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Value < out[j].Value })
	return out
}

// Word returns the enum word value, if the catalogue has it.
func (c *Catalog) Word(value string) (Word, bool) {
	if c == nil {
		return Word{}, false
	}
	w, ok := c.words[value]
	return w, ok
}

// word is value in lang when it is an enum word, else value as given.
func (c *Catalog) word(lang, value string) string {
	if w, ok := c.words[value]; ok {
		if t := w.text(lang); t != "" {
			return t
		}
	}
	return value
}

// Labels returns every field label, sorted by field.
func (c *Catalog) Labels() []Label {
	out := make([]Label, 0, len(c.labels))
	for _, l := range c.labels {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

var index = regexp.MustCompile(`\[[^\]]*\]`)

// Label returns the name of the field at path in lang: the label of the
// whole path (indexes dropped), else of its last segment, else the path.
func (c *Catalog) Label(lang, path string) string {
	if c == nil || lang == English || lang == "" {
		return path
	}
	bare := index.ReplaceAllString(path, "")
	l, ok := c.labels[bare]
	if !ok {
		l, ok = c.labels[bare[strings.LastIndex(bare, ".")+1:]]
	}
	if !ok {
		return path
	}
	if t := l.text(lang); t != "" {
		return t
	}
	return path
}

func (l Label) text(lang string) string {
	switch lang {
	case Arabic:
		return l.Ar
	case French:
		return l.Fr
	}
	return ""
}

// Template returns the entry's template in lang ("" for English or an
// unknown language).
func (e Entry) Template(lang string) string {
	switch lang {
	case Arabic:
		return e.Ar
	case French:
		return e.Fr
	}
	return ""
}

// Params are the values a template's placeholders take.
type Params struct {
	Args  []string          // {1}, {2}, …
	Named map[string]string // {resource}, {state}, …
	Field string            // {field}: the field path, labelled in the language
}

var placeholder = regexp.MustCompile(`\{([a-z_0-9]+)\}`)

// Placeholders returns the distinct parameter names a template uses, sorted.
func Placeholders(tmpl string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(tmpl, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	sort.Strings(out)
	return out
}

// Render returns reason's message in lang with its parameters filled in.
// ok is false when lang is English, the reason is not catalogued, or a
// parameter is missing: the caller then keeps the English message, which
// always names every figure, rather than print a half-filled template.
func (c *Catalog) Render(lang, reason string, p Params) (string, bool) {
	e, ok := c.Entry(reason)
	if !ok {
		return "", false
	}
	tmpl := e.Template(lang)
	if tmpl == "" {
		return "", false
	}
	complete := true
	out := placeholder.ReplaceAllStringFunc(tmpl, func(m string) string {
		name := m[1 : len(m)-1]
		if name == "field" && p.Field != "" {
			return c.Label(lang, p.Field)
		}
		if v, ok := p.Named[name]; ok {
			return c.word(lang, v)
		}
		if n := argIndex(name); n > 0 && n <= len(p.Args) {
			return c.word(lang, p.Args[n-1])
		}
		complete = false
		return m
	})
	return out, complete
}

func argIndex(name string) int {
	n := 0
	for _, r := range name {
		if r < '0' || r > '9' {
			return 0
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// LanguageMetadata is the gRPC metadata key carrying the caller's languages
// in Accept-Language syntax; the gateway forwards the REST header into it.
const LanguageMetadata = "grpc-accept-language"

var matcher = language.NewMatcher([]language.Tag{language.English, language.Arabic, language.French})

// Match picks en, ar or fr from an Accept-Language value (q-values honoured,
// q=0 excluded). English is the answer when nothing matches.
func Match(accept string) string {
	tags, _, err := language.ParseAcceptLanguage(accept)
	if err != nil || len(tags) == 0 {
		return English
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return English
	}
	return [...]string{English, Arabic, French}[i]
}

// Localizer is a request's language with the catalogue that speaks it.
type Localizer struct {
	Lang    string
	Catalog *Catalog
}

type ctxKey struct{}

// NewContext returns ctx carrying l.
func NewContext(ctx context.Context, l Localizer) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// FromContext returns the request's Localizer; English with no catalogue
// when none was set.
func FromContext(ctx context.Context) Localizer {
	if l, ok := ctx.Value(ctxKey{}).(Localizer); ok {
		return l
	}
	return Localizer{Lang: English}
}

// Reason is an Entry: reason answered with code, its Arabic and French
// templates.
func Reason(reason string, code codes.Code, ar, fr string) Entry {
	return Entry{Reason: reason, Code: code, Ar: ar, Fr: fr}
}

// Field is a Label: a field's name in Arabic and French.
func Field(field, ar, fr string) Label { return Label{Field: field, Ar: ar, Fr: fr} }

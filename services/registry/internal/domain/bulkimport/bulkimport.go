// Package bulkimport is the domain of taking a chamber's spreadsheet into its
// register: which column holds which field (a mapping, saved per chamber and
// editable, recognising Arabic and French headers by default), turning a row
// into a record, and the per-row report. The record's own rules are not
// repeated here: the application validates each record exactly as the
// single-record path does.
package bulkimport

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/textnorm"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/sheet"
)

// Kinds of records an import can hold (the others are in registers.go).
const (
	Artisans = "artisans"
)

// Rule ids of the file's columns and of row cells (catalogued in ar/fr).
const (
	RuleHeaderMissing   = "file.header_missing"
	RuleHeaderDuplicate = "file.header_duplicate"
	RuleMappingField    = "mapping.field_unknown"
	RuleKind            = "kind.unsupported"
	RuleRowEmpty        = "row.empty"
	RuleRowDuplicate    = "row.duplicate_in_file"
	RuleNumber          = "number"
	RuleEnum            = "enum"
)

// Column describes one field a file may carry.
type Column struct {
	Field    string   // the record's field, e.g. "cnie" (the report's field path is artisan.cnie)
	Required bool     // a file without this column is refused
	Headers  []string // headers recognised without a saved mapping (French, Arabic, English)
}

// artisanColumns are the artisan register's columns.
var artisanColumns = []Column{
	{"given_name_ar", true, []string{"الاسم الشخصي", "الاسم الشخصي بالعربية", "الاسم", "prénom arabe", "prénom (ar)", "given_name_ar"}},
	{"family_name_ar", true, []string{"الاسم العائلي", "الاسم العائلي بالعربية", "النسب", "nom arabe", "nom (ar)", "family_name_ar"}},
	{"given_name_latin", true, []string{"prénom", "prenom", "الاسم الشخصي بالفرنسية", "given_name_latin"}},
	{"family_name_latin", true, []string{"nom", "nom de famille", "الاسم العائلي بالفرنسية", "family_name_latin"}},
	{"cnie", true, []string{"cnie", "cin", "n° cnie", "numéro cnie", "رقم البطاقة الوطنية", "رقم البطاقة", "ب.و.ت.إ"}},
	{"gender", true, []string{"sexe", "genre", "الجنس", "gender"}},
	{"birth_date", true, []string{"date de naissance", "تاريخ الازدياد", "تاريخ الميلاد", "birth_date"}},
	{"province", true, []string{"province", "préfecture ou province", "الإقليم", "العمالة أو الإقليم", "province_code"}},
	{"activity", true, []string{"activité", "code activité", "النشاط", "رمز النشاط", "activity"}},
	{"category", true, []string{"catégorie", "الفئة", "category"}},
	{"diploma_reference", false, []string{"diplôme", "référence du diplôme", "مرجع الدبلوم", "الدبلوم", "diploma_reference"}},
	{"years_of_practice", false, []string{"années de pratique", "ancienneté", "سنوات الممارسة", "الأقدمية", "years_of_practice"}},
	{"amin_certificate_reference", false, []string{"certificat de l'amine", "شهادة الأمين", "مرجع شهادة الأمين", "amin_certificate_reference"}},
}

// Columns returns the columns of kind, or false for a kind imports do not take.
func Columns(kind string) ([]Column, bool) {
	switch kind {
	case Artisans:
		return artisanColumns, true
	case Cooperatives:
		return cooperativeColumns, true
	case Associations:
		return associationColumns, true
	case Enterprises:
		return enterpriseColumns, true
	}
	return nil, false
}

// Mapping is a chamber's saved header → field mapping for one kind; the
// headers are matched after textnorm folding, so case, accents, hamza forms
// and spacing do not matter. Fields absent from it fall back to the default
// headers of Columns.
type Mapping struct {
	resource.Meta
	Kind    string            `json:"kind"`
	Headers map[string]string `json:"headers"` // header as written in the file → field
}

// Validate checks that every mapped field exists for the kind.
func (m *Mapping) Validate() error {
	var vs fault.Violations
	cols, ok := Columns(m.Kind)
	if !ok {
		vs.Add("mapping.kind", RuleKind, "imports take %s, got %q", Kinds, m.Kind)
		return vs.Err()
	}
	known := map[string]bool{}
	for _, c := range cols {
		known[c.Field] = true
	}
	headers := make([]string, 0, len(m.Headers))
	for h := range m.Headers {
		headers = append(headers, h)
	}
	sort.Strings(headers)
	for _, h := range headers {
		if !known[m.Headers[h]] {
			vs.Add("mapping.headers", RuleMappingField, "header %q maps to %q, which is not a field of %s", h, m.Headers[h], m.Kind)
		}
		if strings.TrimSpace(h) == "" {
			vs.Add("mapping.headers", fault.RuleRequired, "a header must not be empty")
		}
	}
	return vs.Err()
}

// Layout is where each field sits in one file. It is used by one
// goroutine at a time (it caches folded cells).
type Layout struct {
	Kind   string
	index  map[string]int    // field → column index
	names  []string          // the file's headers
	folded map[string]string // enumerated cells (gender, category) → folded
}

// fold is textnorm.Fold of an enumerated cell, remembered: a file repeats a
// handful of such values on every row, and folding is the costliest step of
// reading a row.
func (l *Layout) fold(s string) string {
	if f, ok := l.folded[s]; ok {
		return f
	}
	f := textnorm.Fold(s)
	if len(l.folded) < 1024 {
		l.folded[s] = f
	}
	return f
}

// Resolve finds the column of every field in header, preferring the saved
// mapping. Every required field without a column, and every field two
// columns claim, is reported at once.
func Resolve(kind string, header []string, saved *Mapping) (*Layout, error) {
	cols, ok := Columns(kind)
	if !ok {
		return nil, fault.Invalid("kind", RuleKind, "imports take %s, got %q", Kinds, kind)
	}
	aliases := map[string]string{} // folded header → field
	for _, c := range cols {
		for _, h := range c.Headers {
			aliases[textnorm.Fold(h)] = c.Field
		}
	}
	if saved != nil {
		for h, f := range saved.Headers {
			aliases[textnorm.Fold(h)] = f
		}
	}
	l := &Layout{Kind: kind, index: map[string]int{}, names: header, folded: map[string]string{}}
	var vs fault.Violations
	for i, h := range header {
		f, ok := aliases[textnorm.Fold(h)]
		if !ok {
			continue // extra columns are ignored
		}
		if j, dup := l.index[f]; dup {
			vs.Add(sheet.Field, RuleHeaderDuplicate, "columns %q and %q both give %s", header[j], h, f)
			continue
		}
		l.index[f] = i
	}
	for _, c := range cols {
		if _, ok := l.index[c.Field]; c.Required && !ok {
			vs.Add(sheet.Field, RuleHeaderMissing, "no column gives %s (e.g. a header %q)", c.Field, c.Headers[0])
		}
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	return l, nil
}

// Header is the file's header of field, for the report ("" if not read).
// A violation's path below the record (receipt.provisional_date) is the
// column joined by "_"; one naming a text in two languages (display_name)
// is given the Arabic column, or the French one; a sum kept in centimes
// (capital_centimes) is the column of MAD (capital).
func (l *Layout) Header(field string) string {
	field = strings.ReplaceAll(field, ".", "_")
	for _, f := range []string{field, field + "_ar", field + "_fr", strings.TrimSuffix(field, "_centimes")} {
		if i, ok := l.index[f]; ok {
			return l.names[i]
		}
	}
	return ""
}

func (l *Layout) cell(row []string, field string) string {
	i, ok := l.index[field]
	if !ok {
		return ""
	}
	return sheet.Cell(row, i)
}

// Artisan builds the artisan a row describes. Cells that cannot be read as
// their type (a gender, a date, a number) are violations; the record's own
// rules are left to artisan.Validate.
func (l *Layout) Artisan(row []string) (*artisan.Artisan, error) {
	var vs fault.Violations
	if empty(row) {
		vs.Add("row", RuleRowEmpty, "the row is empty")
		return nil, vs.Err()
	}
	const p = "artisan."
	a := &artisan.Artisan{
		GivenNameAR: l.cell(row, "given_name_ar"), FamilyNameAR: l.cell(row, "family_name_ar"),
		GivenNameLatin: l.cell(row, "given_name_latin"), FamilyNameLatin: l.cell(row, "family_name_latin"),
		CNIE:     artisan.NormCNIE(l.cell(row, "cnie")),
		Province: l.cell(row, "province"), Activity: l.cell(row, "activity"),
		DiplomaReference:         l.cell(row, "diploma_reference"),
		AminCertificateReference: l.cell(row, "amin_certificate_reference"),
	}
	if s := l.cell(row, "gender"); s != "" {
		if g, ok := genders[l.fold(s)]; ok {
			a.Gender = g
		} else {
			vs.Add(p+"gender", RuleEnum, "%q is not a gender (F, M, FEMALE, MALE, أنثى, ذكر)", s)
		}
	}
	if s := l.cell(row, "category"); s != "" {
		if c, ok := categories[l.fold(s)]; ok {
			a.Category = c
		} else {
			vs.Add(p+"category", RuleEnum, "%q is not a category (GRADUATE, EXPERIENCED, MASTER or their French or Arabic names)", s)
		}
	}
	if s := l.cell(row, "birth_date"); s != "" {
		if d, ok := date(s); ok {
			a.BirthDate = d
		} else {
			vs.Add(p+"birth_date", fault.RuleDate, "must be a calendar date YYYY-MM-DD or DD/MM/YYYY, got %q", s)
		}
	}
	if s := l.cell(row, "years_of_practice"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 0 {
			a.YearsOfPractice = n
		} else {
			vs.Add(p+"years_of_practice", RuleNumber, "must be a whole number of years, got %q", s)
		}
	}
	return a, vs.Err()
}

var genders = map[string]artisan.Gender{
	"f": artisan.Female, "female": artisan.Female, "femme": artisan.Female, "feminin": artisan.Female, textnorm.Fold("أنثى"): artisan.Female,
	"m": artisan.Male, "male": artisan.Male, "homme": artisan.Male, "masculin": artisan.Male, "h": artisan.Male, textnorm.Fold("ذكر"): artisan.Male,
}

var categories = map[string]artisan.Category{
	"graduate": artisan.Graduate, "diplome": artisan.Graduate, "laureat": artisan.Graduate, textnorm.Fold("حاصل على دبلوم"): artisan.Graduate, textnorm.Fold("خريج"): artisan.Graduate,
	"experienced": artisan.Experienced, "experimente": artisan.Experienced, textnorm.Fold("ذو خبرة"): artisan.Experienced,
	"master": artisan.Master, "maitre": artisan.Master, "maitre artisan": artisan.Master, textnorm.Fold("معلم"): artisan.Master, textnorm.Fold("معلم حرفي"): artisan.Master,
}

func date(s string) (resource.Date, bool) {
	for _, layout := range []string{time.DateOnly, "02/01/2006", "2/1/2006", "02-01-2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return resource.Date(t.Format(time.DateOnly)), true
		}
	}
	return "", false
}

func empty(row []string) bool {
	for _, c := range row {
		if c != "" {
			return false
		}
	}
	return true
}

// Problem is one line of the per-row report: a row of the file, the column
// (the file's own header) and the rule it breaks, with the English message
// and its figures for the Arabic and French templates.
type Problem struct {
	Row    int      `json:"row"`
	Column string   `json:"column,omitempty"`
	Field  string   `json:"field"`
	Rule   string   `json:"rule"`
	Msg    string   `json:"msg"`
	Args   []string `json:"args,omitempty"`
	Reason string   `json:"reason,omitempty"` // for non-field faults (e.g. CNIE already registered)
	// Named are a precondition's figures ({resource}, {state}) for the
	// templates.
	Named map[string]string `json:"named,omitempty"`
}

// Problems turns a row's error into report lines; ok is false when err is
// not a fault about the row (an infrastructure failure: the import stops).
func (l *Layout) Problems(row int, err error) (out []Problem, ok bool) {
	switch e := err.(type) {
	case *fault.InvalidError:
		for _, v := range e.Violations {
			field := strings.TrimPrefix(v.Field, prefixes[l.Kind])
			out = append(out, Problem{Row: row, Column: l.Header(field), Field: v.Field, Rule: v.Rule, Msg: v.Msg, Args: v.Args})
		}
		return out, true
	case *fault.AlreadyExistsError:
		field := strings.TrimPrefix(e.Field, prefixes[l.Kind])
		return []Problem{{Row: row, Column: l.Header(field), Field: e.Field, Rule: e.Reason, Reason: e.Reason, Msg: e.Msg}}, true
	case *fault.PreconditionError:
		return []Problem{{Row: row, Rule: e.Reason, Reason: e.Reason, Msg: e.Msg, Named: e.Meta}}, true
	}
	return nil, false
}

// Duplicates remembers the keys seen in one file so the second row giving
// the same person is reported against the first.
type Duplicates map[string]int

// Check records key for row, or returns the violation naming the first row.
func (d Duplicates) Check(row int, field, key string) error {
	if key == "" {
		return nil
	}
	if first, ok := d[key]; ok {
		_, name, _ := strings.Cut(field, ".")
		return fault.Invalid(field, RuleRowDuplicate, "the same %s as row %d of this file", name, first)
	}
	d[key] = row
	return nil
}

// Summary is what an operation reports while it runs and at the end.
type Summary struct {
	Total, Read, Accepted, Rejected int
}

// Percent done, 0–100.
func (s Summary) Percent() int {
	if s.Total == 0 {
		return 100
	}
	return s.Read * 100 / s.Total
}

func (s Summary) String() string {
	return fmt.Sprintf("%d/%d read, %d accepted, %d rejected", s.Read, s.Total, s.Accepted, s.Rejected)
}

// Package render turns report documents into files: HTML (html/template,
// right to left in Arabic), PDF and PNG (the HTML or SVG printed by headless
// Chromium, which shapes Arabic and orders right-to-left lines), CSV (UTF-8
// with a byte order mark, so spreadsheet programs read Arabic) and XLSX (a
// sheet per table, right-to-left sheet view in Arabic), and bar and line
// charts as SVG. It knows nothing of where the figures come from.
package render

// Language of a document.
type Language string

// Languages.
const (
	Arabic Language = "ar"
	French Language = "fr"
)

// RTL reports whether the language is written right to left.
func (l Language) RTL() bool { return l == Arabic }

// Dir is the HTML dir attribute of the language.
func (l Language) Dir() string {
	if l.RTL() {
		return "rtl"
	}
	return "ltr"
}

// Document is a report: a title, a few facts and sections of tables and charts.
type Document struct {
	Language Language
	Title    string
	Subtitle string // e.g. the chamber and the period
	Facts    []Fact // headline figures
	Sections []Section
}

// Fact is one headline figure, e.g. "Visitors: 235,000".
type Fact struct {
	Label string
	Value string
}

// Section is a heading with a table and optionally a chart.
type Section struct {
	Heading string
	Note    string
	Table   Table
	Chart   *Chart
}

// Table is a table of text cells. ID names it in downloads (CSV file,
// XLSX sheet).
type Table struct {
	ID      string
	Title   string
	Columns []string
	Rows    [][]string
	// Numeric marks the columns that hold numbers (right-aligned in LTR,
	// written as numbers in XLSX).
	Numeric []bool
}

// Tables returns the document's tables in order.
func (d Document) Tables() []Table {
	out := make([]Table, 0, len(d.Sections))
	for _, s := range d.Sections {
		if len(s.Table.Columns) > 0 {
			out = append(out, s.Table)
		}
	}
	return out
}

// TableByID finds a table.
func (d Document) TableByID(id string) (Table, bool) {
	for _, t := range d.Tables() {
		if t.ID == id {
			return t, true
		}
	}
	return Table{}, false
}

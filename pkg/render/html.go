package render

import (
	"bytes"
	"fmt"
	"html/template"
)

// The report page. Arabic documents are dir="rtl" with an Arabic font
// first in the stack; the browser shapes the letters and orders the lines.
// Charts are inlined SVG (trusted: drawn by this package).
var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}" dir="{{.Dir}}">
<head>
<meta charset="utf-8">
<title>{{.Doc.Title}}</title>
<style>
@page { size: A4; margin: 16mm 14mm; }
body { font-family: {{if .RTL}}"Amiri", "Noto Naskh Arabic", {{end}}"Noto Sans", "DejaVu Sans", sans-serif; font-size: 11pt; color: #222; }
h1 { font-size: 20pt; margin: 0 0 4px; color: #8a3b12; }
h2 { font-size: 14pt; margin: 22px 0 6px; border-bottom: 1px solid #ccc; }
.subtitle { color: #555; margin-bottom: 12px; }
.facts { display: flex; flex-wrap: wrap; gap: 8px; }
.fact { border: 1px solid #ddd; padding: 6px 10px; border-radius: 4px; }
.fact b { display: block; font-size: 14pt; }
table { border-collapse: collapse; width: 100%; page-break-inside: auto; }
th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: start; }
th { background: #f3ece6; }
td.num { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr { page-break-inside: avoid; }
.chart svg { max-width: 100%; height: auto; }
.note { color: #666; font-size: 9pt; }
</style>
</head>
<body>
<h1>{{.Doc.Title}}</h1>
<div class="subtitle">{{.Doc.Subtitle}}</div>
{{if .Doc.Facts}}<div class="facts">{{range .Doc.Facts}}<div class="fact">{{.Label}}<b>{{.Value}}</b></div>{{end}}</div>{{end}}
{{range .Sections}}<section id="{{.Table.ID}}">
<h2>{{.Heading}}</h2>
{{if .Note}}<p class="note">{{.Note}}</p>{{end}}
{{if .SVG}}<div class="chart">{{.SVG}}</div>{{end}}
{{if .Table.Columns}}<table>
<thead><tr>{{range .Table.Columns}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range .}}<td{{if .Num}} class="num"{{end}}>{{.Text}}</td>{{end}}</tr>{{end}}</tbody>
</table>{{end}}
</section>
{{end}}
</body>
</html>
`))

type htmlCell struct {
	Text string
	Num  bool
}

type htmlSection struct {
	Section
	SVG  template.HTML
	Rows [][]htmlCell
}

// HTML renders the document as one self-contained page.
func HTML(d Document) ([]byte, error) {
	data := struct {
		Doc      Document
		Lang     string
		Dir      string
		RTL      bool
		Sections []htmlSection
	}{Doc: d, Lang: string(d.Language), Dir: d.Language.Dir(), RTL: d.Language.RTL()}
	for _, s := range d.Sections {
		hs := htmlSection{Section: s}
		if s.Chart != nil {
			svg, err := s.Chart.SVG()
			if err != nil {
				return nil, err
			}
			hs.SVG = template.HTML(svg) // drawn by this package with every text escaped
		}
		for _, r := range s.Table.Rows {
			row := make([]htmlCell, len(r))
			for i, c := range r {
				row[i] = htmlCell{Text: c, Num: i < len(s.Table.Numeric) && s.Table.Numeric[i]}
			}
			hs.Rows = append(hs.Rows, row)
		}
		data.Sections = append(data.Sections, hs)
	}
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("render html: %w", err)
	}
	return b.Bytes(), nil
}

package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"text/template"
)

// ChartKind is bar or line.
type ChartKind string

// Chart kinds.
const (
	Bar  ChartKind = "bar"
	Line ChartKind = "line"
)

// Chart is a bar chart (one bar per label) or a line chart (one point per
// label, e.g. per month) of one series.
type Chart struct {
	Kind     ChartKind
	Title    string
	Language Language
	Labels   []string
	Values   []float64
}

// Chart geometry, in SVG user units.
const (
	chartW, chartH             = 720.0, 400.0
	padTop, padBottom, padSide = 48.0, 96.0, 64.0
)

type svgBar struct {
	X, Y, W, H     float64
	LabelX, LabelY float64
	Label, Value   string
}

type svgPoint struct {
	X, Y           float64
	LabelX, LabelY float64
	Label, Value   string
}

type svgTick struct {
	Y     float64
	Label string
}

type svgData struct {
	W, H, Left, Right, Top, Bottom float64
	Title, Dir, Anchor, TitleX     string
	Bars                           []svgBar
	Points                         []svgPoint
	Path                           string
	Ticks                          []svgTick
	AxisX                          float64
}

// The SVG keeps its text as text: the browser (or any viewer) shapes
// Arabic with the system's fonts. Text is XML-escaped by the esc function.
var svgTemplate = template.Must(template.New("chart").Funcs(template.FuncMap{"esc": xmlEscape, "f": func(v float64) string { return fmt.Sprintf("%.1f", v) }}).Parse(
	`<svg xmlns="http://www.w3.org/2000/svg" width="{{f .W}}" height="{{f .H}}" viewBox="0 0 {{f .W}} {{f .H}}" direction="{{.Dir}}" font-family="Amiri, 'Noto Naskh Arabic', 'Noto Sans', sans-serif">
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="{{.TitleX}}" y="28" font-size="18" font-weight="bold" text-anchor="middle">{{esc .Title}}</text>
{{range .Ticks}}<line x1="{{f $.Left}}" x2="{{f $.Right}}" y1="{{f .Y}}" y2="{{f .Y}}" stroke="#dddddd"/>
<text x="{{f $.AxisX}}" y="{{f .Y}}" font-size="11" text-anchor="{{$.Anchor}}" dominant-baseline="middle">{{esc .Label}}</text>
{{end}}<line x1="{{f .Left}}" x2="{{f .Right}}" y1="{{f .Bottom}}" y2="{{f .Bottom}}" stroke="#333333"/>
{{range .Bars}}<rect x="{{f .X}}" y="{{f .Y}}" width="{{f .W}}" height="{{f .H}}" fill="#8a3b12"><title>{{esc .Label}}: {{esc .Value}}</title></rect>
<text x="{{f .LabelX}}" y="{{f .Y}}" dy="-4" font-size="11" text-anchor="middle">{{esc .Value}}</text>
<text x="{{f .LabelX}}" y="{{f .LabelY}}" font-size="12" text-anchor="end" transform="rotate(-40 {{f .LabelX}} {{f .LabelY}})">{{esc .Label}}</text>
{{end}}{{if .Path}}<path d="{{.Path}}" fill="none" stroke="#1f5f8b" stroke-width="2"/>
{{end}}{{range .Points}}<circle cx="{{f .X}}" cy="{{f .Y}}" r="3.5" fill="#1f5f8b"><title>{{esc .Label}}: {{esc .Value}}</title></circle>
<text x="{{f .LabelX}}" y="{{f .LabelY}}" font-size="11" text-anchor="end" transform="rotate(-40 {{f .LabelX}} {{f .LabelY}})">{{esc .Label}}</text>
{{end}}</svg>
`))

func xmlEscape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s)) // writes to a buffer: cannot fail
	return b.String()
}

// SVG draws the chart. In Arabic the categories run from right to left.
func (c Chart) SVG() ([]byte, error) {
	if len(c.Labels) != len(c.Values) {
		return nil, fmt.Errorf("chart %q: %d labels for %d values", c.Title, len(c.Labels), len(c.Values))
	}
	d := svgData{W: chartW, H: chartH, Left: padSide, Right: chartW - padSide, Top: padTop, Bottom: chartH - padBottom,
		Title: c.Title, Dir: c.Language.Dir(), TitleX: fmt.Sprintf("%.1f", chartW/2), Anchor: "end", AxisX: padSide - 6}
	if c.Language.RTL() {
		d.Anchor, d.AxisX = "start", chartW-padSide+6
	}
	max := 0.0
	for _, v := range c.Values {
		max = math.Max(max, v)
	}
	step := niceStep(max / 4)
	top := step * 4
	if top == 0 {
		top = 1
	}
	y := func(v float64) float64 { return d.Bottom - (d.Bottom-d.Top)*v/top }
	for i := 0; i <= 4; i++ {
		v := step * float64(i)
		d.Ticks = append(d.Ticks, svgTick{Y: y(v), Label: formatNumber(int64(v), c.Language)})
	}
	n := len(c.Values)
	slot := (d.Right - d.Left) / math.Max(float64(n), 1)
	x := func(i int) float64 { // centre of slot i, mirrored in RTL
		if c.Language.RTL() {
			i = n - 1 - i
		}
		return d.Left + slot*(float64(i)+0.5)
	}
	for i, v := range c.Values {
		value := formatNumber(int64(math.Round(v)), c.Language)
		switch c.Kind {
		case Line:
			p := svgPoint{X: x(i), Y: y(v), LabelX: x(i), LabelY: d.Bottom + 16, Label: c.Labels[i], Value: value}
			d.Points = append(d.Points, p)
			if d.Path == "" {
				d.Path = fmt.Sprintf("M%.1f %.1f", p.X, p.Y)
			} else {
				d.Path += fmt.Sprintf(" L%.1f %.1f", p.X, p.Y)
			}
		default:
			w := slot * 0.7
			d.Bars = append(d.Bars, svgBar{X: x(i) - w/2, Y: y(v), W: w, H: d.Bottom - y(v), LabelX: x(i), LabelY: d.Bottom + 16, Label: c.Labels[i], Value: value})
		}
	}
	var b bytes.Buffer
	if err := svgTemplate.Execute(&b, d); err != nil {
		return nil, fmt.Errorf("chart %q: %w", c.Title, err)
	}
	return b.Bytes(), nil
}

// niceStep rounds a raw step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*p {
			return math.Max(1, m*p)
		}
	}
	return 10 * p
}

package render_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hirfa/hirfa/pkg/render"
	"github.com/hirfa/hirfa/pkg/testenv"
)

func doc(l render.Language) render.Document {
	title, fairs, visitors := "Rapport d'activité", "Foires", "Visiteurs"
	if l == render.Arabic {
		title, fairs, visitors = "تقرير النشاط", "المعارض", "الزوار"
	}
	return render.Document{
		Language: l, Title: title, Subtitle: "غرفة الصناعة التقليدية لجهة فاس مكناس — 2023-01-01 / 2023-05-31",
		Facts: []render.Fact{{Label: visitors, Value: render.FormatNumber(235000, l)}},
		Sections: []render.Section{{
			Heading: fairs,
			Table: render.Table{ID: "fairs", Title: fairs, Columns: []string{fairs, visitors, "MAD"}, Numeric: []bool{false, true, true},
				Rows: [][]string{
					{"معرض منتوجات الصناعة التقليدية بخنيفرة", render.FormatNumber(50000, l), render.FormatCentimes(216000000, l)},
					{"Salon régional, \"Fès\"", render.FormatNumber(185000, l), render.FormatCentimes(113796000, l)},
				}},
			Chart: &render.Chart{Kind: render.Bar, Title: visitors, Language: l, Labels: []string{"فاس", "مكناس", "تازة"}, Values: []float64{50000, 35000, 25000}},
		}},
	}
}

func TestFormat(t *testing.T) {
	if got := render.FormatCentimes(329796000, render.French); got != "3\u00a0297\u00a0960,00" {
		t.Errorf("FormatCentimes = %q", got)
	}
	if got := render.FormatCentimes(5, render.Arabic); got != "0,05" {
		t.Errorf("FormatCentimes(5) = %q", got)
	}
}

func TestHTML(t *testing.T) {
	ar, err := render.HTML(doc(render.Arabic))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<html lang="ar" dir="rtl">`, "تقرير النشاط", "<svg", "Amiri"} {
		if !bytes.Contains(ar, []byte(want)) {
			t.Errorf("arabic HTML lacks %q", want)
		}
	}
	fr, err := render.HTML(doc(render.French))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(fr, []byte(`<html lang="fr" dir="ltr">`)) || !bytes.Contains(fr, []byte("Salon régional, &#34;Fès&#34;")) {
		t.Errorf("french HTML:\n%s", fr)
	}
}

func TestCSV(t *testing.T) {
	d := doc(render.Arabic)
	b, err := render.CSV(d.Sections[0].Table)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}) {
		t.Fatalf("no BOM: % x", b[:4])
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || recs[1][0] != "معرض منتوجات الصناعة التقليدية بخنيفرة" || recs[2][0] != `Salon régional, "Fès"` {
		t.Fatalf("records = %q", recs)
	}
}

func TestXLSX(t *testing.T) {
	for _, l := range []render.Language{render.Arabic, render.French} {
		b, err := render.XLSX(doc(l))
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		view, err := f.GetSheetView("fairs", 0)
		if err != nil {
			t.Fatal(err)
		}
		if rtl := view.RightToLeft != nil && *view.RightToLeft; rtl != (l == render.Arabic) {
			t.Errorf("%s: RightToLeft = %v", l, rtl)
		}
		v, err := f.GetCellValue("fairs", "C2", excelize.Options{RawCellValue: true})
		if err != nil || v != "2160000" {
			t.Errorf("%s: C2 = %q, %v (want the number 2160000)", l, v, err)
		}
		a, _ := f.GetCellValue("fairs", "A2")
		if a != "معرض منتوجات الصناعة التقليدية بخنيفرة" {
			t.Errorf("%s: A2 = %q", l, a)
		}
		_ = f.Close()
	}
}

func TestSVGWellFormed(t *testing.T) {
	for _, c := range []render.Chart{
		{Kind: render.Bar, Title: "Répartition <des> coopératives & associations", Language: render.French, Labels: []string{"Fès", "Taza"}, Values: []float64{12, 7}},
		{Kind: render.Line, Title: "المعارض حسب الشهر", Language: render.Arabic, Labels: []string{"2023-01", "2023-02", "2023-03"}, Values: []float64{2, 0, 3}},
		{Kind: render.Bar, Title: "empty", Language: render.Arabic},
	} {
		svg, err := c.SVG()
		if err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(bytes.NewReader(svg))
		var texts []string
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: not well-formed: %v\n%s", c.Title, err, svg)
			}
			if cd, ok := tok.(xml.CharData); ok && strings.TrimSpace(string(cd)) != "" {
				texts = append(texts, string(cd))
			}
		}
		if !strings.Contains(strings.Join(texts, "|"), c.Title) {
			t.Errorf("%s: title not in the SVG text %q", c.Title, texts)
		}
	}
	if _, err := (render.Chart{Labels: []string{"a"}}).SVG(); err == nil {
		t.Error("labels without values: want an error")
	}
}

// shared is one browser for the package's tests: starting Chromium is
// the slow part.
var shared struct {
	once sync.Once
	b    *render.Browser
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.b != nil {
		shared.b.Close()
	}
	os.Exit(code)
}

// browser returns the shared browser, failing under CI when none is installed.
func browser(t *testing.T) *render.Browser {
	t.Helper()
	shared.once.Do(func() { shared.b, shared.err = render.NewBrowser(os.Getenv("HIRFA_CHROMIUM"), 2*time.Minute) })
	if shared.err != nil {
		testenv.Unavailable(t, shared.err)
	}
	return shared.b
}

func TestPDFCarriesArabicText(t *testing.T) {
	b := browser(t)
	html, err := render.HTML(doc(render.Arabic))
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := b.PDF(context.Background(), html)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:16])
	}
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		testenv.Unavailable(t, fmt.Errorf("pdftotext missing (tools/dev/chromium.sh installs it): %w", err))
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	// The words come back as text (in logical order), so the PDF carries
	// real Arabic glyphs mapped to their letters, not pictures of them.
	for _, want := range []string{"تقرير", "النشاط", "الصناعة", "التقليدية", "خنيفرة", "فاس"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
}

func TestPNG(t *testing.T) {
	b := browser(t)
	svg, err := doc(render.Arabic).Sections[0].Chart.SVG()
	if err != nil {
		t.Fatal(err)
	}
	png, err := b.PNG(context.Background(), svg)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) || len(png) < 2000 {
		t.Fatalf("not a PNG chart (%d bytes)", len(png))
	}
}

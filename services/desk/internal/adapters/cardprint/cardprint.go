// Package cardprint prints a professional card or an attestation of
// registration as a bilingual (Arabic and French) PDF: the photograph from
// the archive, the register facts recorded at issue, the chamber, the
// validity and a QR code of the public verification address. The page is
// HTML printed by headless Chromium (pkg/render), the renderer that joins
// Arabic letters and lays out right-to-left text correctly.
package cardprint

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"html/template"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/territory"
	"github.com/hirfa/hirfa/services/desk/internal/domain/card"
)

// ReasonRendererUnavailable: a card's PDF was asked for and no Chromium
// is installed (FAILED_PRECONDITION: installing it fixes it).
const ReasonRendererUnavailable = "RENDERER_UNAVAILABLE"

// PDF prints HTML to PDF (render.Browser).
type PDF interface {
	PDF(ctx context.Context, html []byte) ([]byte, error)
}

// Printer prints cards. Browser is nil when no Chromium is installed.
type Printer struct {
	Browser PDF
	// VerifyBase is the public address of the edge, e.g.
	// https://hirfa.example.ma: the QR code holds VerifyBase + "/v1/" +
	// the card's verification name.
	VerifyBase string
	Territory  *territory.Territory
}

// VerifyURL is the address a card's QR code holds.
func (p Printer) VerifyURL(c *card.Card) string {
	return strings.TrimRight(p.VerifyBase, "/") + "/v1/" + c.Verification()
}

// QR returns a card's QR code as SVG, one square per dark module, with
// its quiet zone. A vector code prints with sharp module edges at any
// printer resolution; a bitmap scaled to 32 mm lands modules on
// fractional pixels, and a blurred edge is what makes scanners misjudge
// a code's size. Medium error correction survives a worn or creased card.
func (p Printer) QR(c *card.Card) ([]byte, error) {
	q, err := qrcode.New(p.VerifyURL(c), qrcode.Medium)
	if err != nil {
		return nil, err
	}
	bits := q.Bitmap()
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges"><rect width="100%%" height="100%%" fill="#fff"/><path fill="#000" d="`, len(bits), len(bits))
	for y, row := range bits {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return b.Bytes(), nil
}

// Category names, as printed.
var categories = map[string]l10n.Text{
	"GRADUATE":    {AR: "صانع تقليدي خريج", FR: "Artisan lauréat"},
	"EXPERIENCED": {AR: "صانع تقليدي ذو خبرة", FR: "Artisan expérimenté"},
	"MASTER":      {AR: "معلم حرفي", FR: "Maître artisan"},
}

var titles = map[card.Kind]l10n.Text{
	card.ProfessionalCard:        {AR: "البطاقة المهنية للصانع التقليدي", FR: "Carte professionnelle d'artisan"},
	card.RegistrationAttestation: {AR: "شهادة التسجيل في سجل الصناعة التقليدية", FR: "Attestation d'inscription au registre de l'artisanat"},
}

type page struct {
	Title, Category, Chamber l10n.Text
	C                        *card.Card
	From, Until              string
	Photo, QR                template.URL
	URL                      string
}

// CardPDF prints the card.
func (p Printer) CardPDF(ctx context.Context, c *card.Card, photo []byte, mediaType string) ([]byte, error) {
	if p.Browser == nil {
		return nil, &fault.PreconditionError{Reason: ReasonRendererUnavailable,
			Msg: "printing a card needs Chromium on the desk's host (tools/dev/chromium.sh installs it)"}
	}
	html, err := p.HTML(c, photo, mediaType)
	if err != nil {
		return nil, err
	}
	return p.Browser.PDF(ctx, html)
}

// HTML is the card's page, as printed.
func (p Printer) HTML(c *card.Card, photo []byte, mediaType string) ([]byte, error) {
	qr, err := p.QR(c)
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	pg := page{Title: titles[c.Kind], Category: categories[c.Category], C: c,
		From: c.ValidFrom.UTC().Format(time.DateOnly), Until: c.ValidUntil.UTC().AddDate(0, 0, -1).Format(time.DateOnly),
		QR: dataURL("image/svg+xml", qr), URL: p.VerifyURL(c)}
	pg.Chamber = l10n.Text{AR: c.Chamber, FR: c.Chamber}
	if p.Territory != nil {
		if ch, ok := p.Territory.Chamber(c.Chamber); ok {
			pg.Chamber = ch.Name
		}
	}
	if len(photo) > 0 {
		pg.Photo = dataURL(mediaType, photo)
	}
	var b bytes.Buffer
	err = pageTemplate.Execute(&b, pg)
	return b.Bytes(), err
}

// dataURL inlines an image; the content was sniffed (JPEG or PNG) or made
// here, so it is safe as a URL.
func dataURL(mediaType string, b []byte) template.URL {
	return template.URL("data:" + mediaType + ";base64," + base64.StdEncoding.EncodeToString(b)) // #nosec G203 -- sniffed or generated image bytes
}

var pageTemplate = template.Must(template.New("card").Parse(`<!doctype html>
<html lang="ar"><head><meta charset="utf-8"><title>{{.Title.FR}}</title>
<style>
@page { size: A4; margin: 18mm; }
body { font-family: "Amiri", "Noto Naskh Arabic", "Noto Sans", "DejaVu Sans", sans-serif; color: #1b1b1b; }
.card { border: 2px solid #7a4b12; border-radius: 4mm; padding: 6mm; width: 160mm; margin: 0 auto; }
.head { display: flex; justify-content: space-between; border-bottom: 1px solid #7a4b12; padding-bottom: 3mm; }
.head div { width: 48%; font-weight: bold; }
.ar { direction: rtl; text-align: right; }
.fr { direction: ltr; text-align: left; }
.body { display: flex; gap: 5mm; margin-top: 4mm; align-items: flex-start; }
.photo { width: 32mm; height: 40mm; object-fit: cover; border: 1px solid #999; }
.nophoto { width: 32mm; height: 40mm; border: 1px dashed #999; }
table { border-collapse: collapse; flex: 1; font-size: 11pt; }
td { padding: 1.2mm 2mm; vertical-align: top; }
.qr { text-align: center; margin-top: 4mm; font-size: 8pt; }
.qr img { width: 32mm; height: 32mm; }
</style></head>
<body><div class="card">
<div class="head"><div class="fr">{{.Chamber.FR}}<br>{{.Title.FR}}</div><div class="ar">{{.Chamber.AR}}<br>{{.Title.AR}}</div></div>
<div class="body">
{{if .Photo}}<img class="photo" alt="photo" src="{{.Photo}}">{{else}}<div class="nophoto"></div>{{end}}
<table>
<tr><td class="fr">N° d'identification (NIA)</td><td class="fr">{{.C.NIA}}</td><td class="ar">رقم التعريف</td></tr>
<tr><td class="fr">Nom</td><td class="fr">{{.C.FullNameLatin}}</td><td class="ar">{{.C.FullNameAr}}</td></tr>
<tr><td class="fr">Catégorie</td><td class="fr">{{.Category.FR}}</td><td class="ar">الصنف: {{.Category.AR}}</td></tr>
<tr><td class="fr">Activité</td><td class="fr">{{.C.Activity}}</td><td class="ar">النشاط</td></tr>
<tr><td class="fr">Valable du {{.From}} au {{.Until}}</td><td></td><td class="ar">صالحة من {{.From}} إلى {{.Until}}</td></tr>
</table>
</div>
<div class="qr"><img alt="QR" src="{{.QR}}"><br>{{.URL}}</div>
</div></body></html>
`))

// Package certificate lays out ODCO's cooperative name certificate as one
// bilingual HTML page (Arabic right to left, then French), which
// pkg/render's Chromium prints to PDF.
package certificate

import (
	"bytes"
	"html/template"
)

// Certificate is what the page shows.
type Certificate struct {
	Number               string
	NameAR, NameFR       string
	ChamberAR, ChamberFR string
	Founder              string
	Request              string // the request's resource name
	Decided, Expires     string // dates, YYYY-MM-DD
}

// The page: two halves of the same text, each in its own direction and
// font stack (an Arabic font first for the Arabic half), so the browser
// shapes the Arabic letters and orders the lines.
var page = template.Must(template.New("certificate").Parse(`<!DOCTYPE html>
<html lang="ar">
<head>
<meta charset="utf-8">
<title>{{.Number}}</title>
<style>
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Noto Sans", "DejaVu Sans", sans-serif; font-size: 12pt; color: #222; }
.half { border: 2px solid #8a3b12; padding: 10mm 12mm; margin-bottom: 8mm; }
.ar { font-family: "Amiri", "Noto Naskh Arabic", "Noto Sans", "DejaVu Sans", sans-serif; font-size: 14pt; }
h1 { font-size: 18pt; color: #8a3b12; margin: 0 0 6px; }
.issuer { color: #555; margin-bottom: 10px; }
.name { font-size: 16pt; font-weight: bold; margin: 10px 0; }
dl { display: grid; grid-template-columns: max-content auto; gap: 4px 12px; }
dt { color: #555; }
dd { margin: 0; }
.number { font-family: "DejaVu Sans Mono", monospace; unicode-bidi: isolate; direction: ltr; }
</style>
</head>
<body>
<section class="half ar" dir="rtl" lang="ar">
<div class="issuer">المملكة المغربية — مكتب تنمية التعاون</div>
<h1>شهادة قبول تسمية تعاونية</h1>
<p>يشهد مكتب تنمية التعاون بأن التسمية التالية غير مستعملة من طرف أي تعاونية أو اتحاد تعاونيات ويمكن اعتمادها لتأسيس التعاونية:</p>
<div class="name">{{if .NameAR}}{{.NameAR}}{{else}}{{.NameFR}}{{end}}</div>
<dl>
<dt>رقم الشهادة</dt><dd class="number">{{.Number}}</dd>
<dt>الغرفة</dt><dd>{{.ChamberAR}}</dd>
<dt>لفائدة المؤسسين، ممثلين في</dt><dd>{{.Founder}}</dd>
<dt>تاريخ القرار</dt><dd class="number">{{.Decided}}</dd>
<dt>صالحة إلى غاية</dt><dd class="number">{{.Expires}}</dd>
</dl>
<p>تستعمل هذه الشهادة مرة واحدة عند تسجيل التعاونية.</p>
</section>
<section class="half" dir="ltr" lang="fr">
<div class="issuer">Royaume du Maroc — Office du Développement de la Coopération</div>
<h1>Certificat de dénomination de coopérative</h1>
<p>L'Office du Développement de la Coopération certifie que la dénomination suivante n'est portée par aucune coopérative ni union de coopératives et peut être adoptée pour la constitution de la coopérative :</p>
<div class="name">{{if .NameFR}}{{.NameFR}}{{else}}{{.NameAR}}{{end}}</div>
<dl>
<dt>Numéro du certificat</dt><dd class="number">{{.Number}}</dd>
<dt>Chambre</dt><dd>{{.ChamberFR}}</dd>
<dt>Pour les fondateurs, représentés par</dt><dd>{{.Founder}}</dd>
<dt>Date de la décision</dt><dd class="number">{{.Decided}}</dd>
<dt>Valable jusqu'au</dt><dd class="number">{{.Expires}}</dd>
</dl>
<p>Ce certificat sert une seule fois, à l'immatriculation de la coopérative. Référence : {{.Request}}</p>
</section>
</body>
</html>
`))

// HTML renders the certificate page.
func HTML(c Certificate) ([]byte, error) {
	var b bytes.Buffer
	if err := page.Execute(&b, c); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

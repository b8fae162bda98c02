package console

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/chromedp/chromedp"
)

// work walks screens 6 and 7 in Arabic: an artisans file imported as a
// dry run (one good row, one without a CNIE) with its progress and its
// per-row report, a cooperatives file (its kind picked in the form), the
// history listing both, the duplicates queue, a name check that finds the
// seeded cooperative's name taken, the desk's requests (all and overdue)
// and the mediation cases a clerk may see.
func (b *browser) work() {
	t := b.t
	t.Helper()
	csv := "الاسم الشخصي,الاسم العائلي,Prénom,Nom,رقم البطاقة الوطنية,Sexe,Date de naissance,Province,Activité,Catégorie,Années de pratique\n" +
		"خديجة,التازي,Khadija,Tazi,IM000901,F,12/03/1985,fes,F1.B02.A02,Expérimenté,6\n" +
		"سعيد,البقالي,Said,Bakkali,,M,02/07/1980,fes,F1.B02.A02,Expérimenté,9\n"
	file := filepath.Join(t.TempDir(), "artisans.csv")
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Navigate(b.base+"/console/imports"), chromedp.WaitVisible(chromedp.ID("import-form")))
	b.screen("imports", "rtl")
	b.do(chromedp.SetUploadFiles(chromedp.ID("file"), []string{file}), chromedp.Click(chromedp.ID("validate_only")),
		chromedp.Click(chromedp.ID("import-submit")), chromedp.WaitVisible(chromedp.ID("import-state")))
	b.waitJS(`document.querySelector("#import-report")`)
	if acc, rej := b.text("#rows-accepted"), b.text("#rows-rejected"); acc != "1" || rej != "1" {
		t.Errorf("dry-run import: %s accepted, %s rejected; want 1 and 1", acc, rej)
	}
	if got := b.text("#problems"); !hasArabic(got) {
		t.Errorf("per-row report not in Arabic: %q", got)
	}
	b.screen("import", "rtl")
	got := b.eval(`fetch(document.getElementById("import-report").href).then(r => r.status)`)
	if got != float64(200) {
		t.Errorf("import report download: %v", got)
	}

	// A cooperatives file, its kind picked in the form: one cooperative
	// the law allows, one under the minimum capital.
	coops := "Dénomination (ar),Dénomination,Province,Activité,Capital,Valeur de la part,Adhérentes,Adhérents\n" +
		"تعاونية الأمل,Coopérative Al Amal,fes,F1.B02.A01,5000,100,4,3\n" +
		"تعاونية النور,Coopérative Nour,fes,F1.B02.A01,500,100,4,3\n"
	coopFile := filepath.Join(t.TempDir(), "تعاونيات.csv")
	if err := os.WriteFile(coopFile, []byte(coops), 0o600); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Navigate(b.base+"/console/imports"), chromedp.WaitVisible(chromedp.ID("import-history")))
	b.do(chromedp.SetUploadFiles(chromedp.ID("file"), []string{coopFile}), chromedp.SetValue(chromedp.ID("kind"), "cooperatives"),
		chromedp.Click(chromedp.ID("validate_only")), chromedp.Click(chromedp.ID("import-submit")), chromedp.WaitVisible(chromedp.ID("import-state")))
	b.waitJS(`document.querySelector("#import-report")`)
	if acc, rej := b.text("#rows-accepted"), b.text("#rows-rejected"); acc != "1" || rej != "1" {
		t.Errorf("dry-run cooperatives import: %s accepted, %s rejected; want 1 and 1", acc, rej)
	}
	// The history lists both, newest first, with kind and file name.
	b.do(chromedp.Navigate(b.base+"/console/imports"), chromedp.WaitVisible(chromedp.ID("import-history")))
	if first, second := b.text("#import-history tbody tr:nth-child(1)"), b.text("#import-history tbody tr:nth-child(2)"); !strings.Contains(first, "تعاونيات.csv") ||
		!strings.Contains(first, "التعاونيات") || !strings.Contains(second, "artisans.csv") {
		t.Errorf("import history: %q, %q", first, second)
	}
	b.screen("imports-history", "rtl")

	b.do(chromedp.Navigate(b.base+"/console/duplicates"), chromedp.WaitVisible(chromedp.ID("tab-duplicates")))
	b.screen("duplicates", "rtl")
	b.do(chromedp.Navigate(b.base+"/console/names"), chromedp.WaitVisible(chromedp.ID("names-form")),
		chromedp.SetValue(chromedp.ID("name_ar"), "تعاونية النسيج الفاسي"), chromedp.Click(chromedp.ID("names-submit")),
		chromedp.WaitVisible(chromedp.ID("name-result")))
	if n := b.eval(`document.querySelectorAll("#conflicts tbody tr").length`); n == float64(0) {
		t.Errorf("name check of the seeded cooperative's name: no conflict")
	}
	b.screen("names", "rtl")

	for _, p := range []struct{ name, path, id string }{{"desk", "/console/desk", "tab-desk"}, {"desk-overdue", "/console/desk?overdue=1", "tab-overdue"},
		{"mediation", "/console/mediation", "tab-mediation"}} {
		b.do(chromedp.Navigate(b.base+p.path), chromedp.WaitVisible(chromedp.CSS(`#`+p.id+`[aria-current="page"]`)))
		if e := b.eval(`document.querySelector("#page-error") ? document.querySelector("#page-error").textContent : ""`); e != "" {
			t.Errorf("%s: %v", p.name, e)
		}
		b.screen(p.name, "rtl")
	}
}

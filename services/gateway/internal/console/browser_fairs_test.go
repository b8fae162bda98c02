package console

import (
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// waitJS evaluates a JavaScript condition until it holds: the page after a
// form's redirect, not the one before it.
func (b *browser) waitJS(cond string) {
	b.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		v, err := chromedp.Run(b.ctx, chromedp.Evaluate[any](`(() => { try { return !!(`+cond+`); } catch (e) { return false; } })()`))
		if err == nil && v == true {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatalf("waiting for %s (at %s)", cond, b.location())
}

// pick selects the option of a select whose label contains text.
func (b *browser) pick(sel, text string) {
	b.t.Helper()
	if v := b.eval(`(() => { const s = document.querySelector(` + jsString(sel) + `); const o = [...s.options].find(o => o.textContent.includes(` + jsString(text) + `)); if (!o) return false; s.value = o.value; return true; })()`); v != true {
		b.t.Fatalf("%s has no option %q", sel, text)
	}
}

// fairApplications, on the open fair's page in French: an applicant the
// registry has not registered is refused with the registry check's
// reason; a registered artisan's application shows the register's facts,
// is accepted (counted against the women's quota) and given a booth; the
// applications close and the fair opens.
func (b *browser) fairApplications() {
	t := b.t
	t.Helper()
	b.screen("fair-open-fr", "ltr")
	b.pick("#applicant", "Alami")
	b.do(chromedp.Click(chromedp.ID("apply-submit")), chromedp.WaitVisible(chromedp.ID("page-error")))
	if got := b.text("#page-error"); got == "" || hasArabic(got) {
		t.Errorf("refused application's message: %q", got)
	}
	b.screen("fair-apply-refused-fr", "ltr")
	b.pick("#applicant", "Bennani")
	b.do(chromedp.SendKeys(chromedp.ID("products"), "Tapis, coussins"), chromedp.Click(chromedp.ID("apply-submit")))
	b.waitJS(`document.querySelector("#exhibitors").textContent.includes("Bennani")`)
	if got := b.text("#exhibitors"); !strings.Contains(got, "Femmes") || !strings.Contains(got, "Artisan") {
		t.Errorf("exhibitor row lacks the register's facts: %q", got)
	}
	b.do(chromedp.Click(chromedp.CSS(`#exhibitors button[value="accept"]`)))
	b.waitJS(`document.querySelector('#exhibitors button[value="allocateBooth"]')`)
	if got := b.text("#quotas"); !strings.Contains(got, "Femmes") {
		t.Errorf("quotas: %q", got)
	}
	b.screen("fair-accepted-fr", "ltr")
	b.do(chromedp.Click(chromedp.CSS(`#exhibitors button[value="allocateBooth"]`)))
	b.waitJS(`!document.querySelector('#exhibitors button[value="allocateBooth"]') && document.querySelector("#exhibitors")`)
	if got := b.text("#booths"); !strings.Contains(got, "Bennani") {
		t.Errorf("booth list does not name the exhibitor: %q", got)
	}
	b.do(chromedp.Click(chromedp.ID("event-closeApplications")), chromedp.WaitVisible(chromedp.ID("event-start")),
		chromedp.Click(chromedp.ID("event-start")), chromedp.WaitVisible(chromedp.ID("event-end")))
}

// fairFigures declares the exhibitor's sales, ends the fair and evaluates
// it: the frozen figures show the visitors and sales.
func (b *browser) fairFigures() {
	t := b.t
	t.Helper()
	b.do(chromedp.SetValue(chromedp.CSS(`#exhibitors input[name="sales"]`), "12 500"),
		chromedp.Click(chromedp.CSS(`#exhibitors button[value="declareSales"]`)))
	b.waitJS(`document.querySelector("#exhibitors").textContent.includes("12\u202f500,00")`)
	b.do(chromedp.Click(chromedp.ID("event-end")), chromedp.WaitVisible(chromedp.ID("event-evaluate")),
		chromedp.Click(chromedp.ID("event-evaluate")))
	b.waitJS(`document.querySelector("#evaluation") && document.querySelector("h2 .hint") && !document.querySelector("#event-evaluate")`)
	if got := b.text("#evaluation"); !strings.Contains(got, "12\u202f500,00") || !strings.Contains(got, "1\u202f250") {
		t.Errorf("evaluation: %q", got)
	}
	b.screen("fair-evaluated-fr", "ltr")
}

// training: a training of one place takes a registration, puts the next
// one on the wait list, promotes it when the first cancels, and checks the
// participant in by the code once the training runs.
func (b *browser) training(name string) {
	t := b.t
	t.Helper()
	b.do(chromedp.Navigate(b.base+"/console/"+name), chromedp.WaitVisible(chromedp.ID("registration-form")))
	b.screen("training-empty-fr", "ltr")
	for _, p := range []string{"Amina Idrissi", "Karim Tazi"} {
		b.do(chromedp.SetValue(chromedp.ID("participant_name"), p), chromedp.Click(chromedp.ID("registration-submit")))
		b.waitJS(`document.querySelector("#registrations") && document.querySelector("#registrations").textContent.includes(` + jsString(p) + `)`)
	}
	if got := b.text("#waitlisted-count"); got != "1" {
		t.Errorf("wait list after two registrations for one place: %q", got)
	}
	b.screen("training-fr", "ltr")
	b.eval(`[...document.querySelectorAll("#registrations tbody tr")].find(r => r.textContent.includes("Amina")).querySelector("button").click(), true`)
	b.waitJS(`document.querySelector("#waitlisted-count").textContent === "0"`)
	b.do(chromedp.Click(chromedp.ID("event-closeApplications")), chromedp.WaitVisible(chromedp.ID("event-start")),
		chromedp.Click(chromedp.ID("event-start")), chromedp.WaitVisible(chromedp.ID("event-end")))
	code, _ := b.eval(`[...document.querySelectorAll("#registrations tbody tr")].find(r => r.textContent.includes("Karim")).querySelector("code").textContent`).(string)
	b.do(chromedp.SetValue(chromedp.ID("code"), code), chromedp.Click(chromedp.ID("checkin-submit")))
	b.waitJS(`document.querySelector("#attended-count").textContent === "1"`)
	b.screen("training-checkin-fr", "ltr")
}

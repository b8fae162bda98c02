package console

import (
	"github.com/chromedp/chromedp"
)

// createForms walks the create forms outside the registers — an event, a
// desk request, a mediation case — in Arabic then in French, as a Fès
// clerk and (the mediation case) the Fès admin: each submitted first with
// a mistake, the API's message shown beside a field in the page's
// language with the form's own menu entry still highlighted, then fixed
// and saved, landing on its list with the confirmation.
func (b *browser) createForms() {
	t := b.t
	t.Helper()
	b.eventForm(langAR, "تكوين في الخط المغربي", "Formation à la calligraphie marocaine", "فاس")
	b.requestForm(langAR, "طلب شهادة التسجيل في السجل", "حسن البناني")

	// A mediation case, opened by the chamber's admin (the desk lets only
	// admins open cases; a clerk is not offered it).
	b.do(chromedp.Navigate(b.base+"/console/mediation"), chromedp.WaitVisible(chromedp.ID("tab-mediation")))
	if n := b.eval(`document.querySelectorAll("#new-case").length`); n != float64(0) {
		t.Error("a clerk is offered to open a mediation case")
	}
	b.do(chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("demo-signin")),
		chromedp.Click(chromedp.ID("u-chamber-admin-fes-meknes")), chromedp.Click(chromedp.ID("signin-submit")),
		chromedp.WaitVisible(chromedp.ID("q")))
	b.caseForm(langAR, "خلاف حول ثمن صفقة زرابي", "ورشة الأطلس", "متجر باب بوجلود")

	// The same three forms in French (labels, field errors, left to right).
	b.do(chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="fr"] main h1`)))
	suffix := newID(2)
	b.eventForm(langFR, "تكوين في التطريز "+suffix, "Formation à la broderie "+suffix, "Fès")
	b.requestForm(langFR, "Demande d'attestation d'inscription "+suffix, "Hassan Bennani")
	b.caseForm(langFR, "Litige sur le prix d'un lot de tapis "+suffix, "Atelier de l'Atlas", "Boutique Bab Boujloud")
	b.do(chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="ar"] main h1`)))
}

// eventForm: a training whose last day comes before its first.
func (b *browser) eventForm(lang, titleAR, titleFR, city string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base+"/console/fairs"), chromedp.WaitVisible(chromedp.ID("new-event")),
		chromedp.Click(chromedp.ID("new-event")), chromedp.WaitVisible(chromedp.ID("record-form")))
	b.labelled(lang, "end_date")
	b.screen(shotName("event-form", lang), dirOf(lang))
	b.do(chromedp.SetValue(chromedp.ID("kind"), "TRAINING"), chromedp.SetValue(chromedp.ID("scope"), "LOCAL"),
		chromedp.SendKeys(chromedp.ID("title_ar"), titleAR), chromedp.SendKeys(chromedp.ID("title_fr"), titleFR),
		chromedp.SetValue(chromedp.ID("start_date"), "2026-12-10"), chromedp.SetValue(chromedp.ID("end_date"), "2026-12-08"),
		chromedp.SetValue(chromedp.ID("province"), "fes"), chromedp.SendKeys(chromedp.ID("city"), city),
		chromedp.SendKeys(chromedp.ID("capacity"), "20"), chromedp.Click(chromedp.ID("record-submit")))
	b.refused(shotName("event-form-error", lang), lang, "fairs")
	b.do(chromedp.SetValue(chromedp.ID("end_date"), "2026-12-12"), chromedp.Click(chromedp.ID("record-submit")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	b.screen(shotName("event-created", lang), dirOf(lang))
}

// requestForm: a desk request sent with nothing filled in.
func (b *browser) requestForm(lang, subject, walkIn string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base+"/console/desk"), chromedp.WaitVisible(chromedp.ID("new-request")),
		chromedp.Click(chromedp.ID("new-request")), chromedp.WaitVisible(chromedp.ID("record-form")))
	b.labelled(lang, "type")
	b.do(chromedp.Click(chromedp.ID("record-submit")))
	b.refused(shotName("request-form-error", lang), lang, "desk")
	b.do(chromedp.SetValue(chromedp.ID("type"), "ATTESTATION"), chromedp.SetValue(chromedp.ID("channel"), "IN_PERSON"),
		chromedp.SendKeys(chromedp.ID("subject"), subject),
		chromedp.SendKeys(chromedp.ID("walk_in_name"), walkIn), chromedp.Click(chromedp.ID("record-submit")),
		chromedp.WaitVisible(chromedp.CSS(".flash")), chromedp.WaitVisible(chromedp.ID("requests")))
	b.screen(shotName("request-created", lang), dirOf(lang))
}

// caseForm: a mediation case with one party only, by the chamber's admin.
func (b *browser) caseForm(lang, subject, party1, party2 string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base+"/console/mediation"), chromedp.WaitVisible(chromedp.ID("new-case")),
		chromedp.Click(chromedp.ID("new-case")), chromedp.WaitVisible(chromedp.ID("record-form")))
	b.labelled(lang, "party_2")
	b.do(chromedp.SendKeys(chromedp.ID("subject"), subject),
		chromedp.SendKeys(chromedp.ID("party_1"), party1), chromedp.Click(chromedp.ID("record-submit")))
	b.refused(shotName("case-form-error", lang), lang, "desk")
	b.do(chromedp.SendKeys(chromedp.ID("party_2"), party2), chromedp.Click(chromedp.ID("record-submit")),
		chromedp.WaitVisible(chromedp.CSS(".flash")), chromedp.WaitVisible(chromedp.ID("mediation-cases")))
	b.screen(shotName("case-created", lang), dirOf(lang))
}

// labelled checks a form field's label is the catalogue's, in lang.
func (b *browser) labelled(lang, field string) {
	b.t.Helper()
	want := messages["field."+field][0]
	if lang == langFR {
		want = messages["field."+field][1]
	}
	if got := b.text(`label[for="` + field + `"]`); got != want {
		b.t.Errorf("label of %s: %q, want %q (%s)", field, got, want, lang)
	}
}

// refused checks a form the API refused: its field error in the page's
// language, every input marked invalid described by a message in its own
// field, and the form's menu entry (not the register's) highlighted.
func (b *browser) refused(shot, lang, nav string) {
	t := b.t
	t.Helper()
	b.do(chromedp.WaitVisible(chromedp.CSS("#record-form .msg")))
	msg := b.text("#record-form .msg")
	if lang == langAR && !hasArabic(msg) || lang == langFR && (msg == "" || hasArabic(msg)) {
		t.Errorf("%s: field error %q is not in %s", shot, msg, lang)
	}
	beside := b.eval(`(() => { const bad = [...document.querySelectorAll('#record-form [aria-invalid="true"]')];
		return bad.length > 0 && bad.every(el => { const m = document.getElementById(el.getAttribute("aria-describedby"));
			return m !== null && m.closest(".field") === el.closest(".field") && m.textContent.trim() !== ""; }); })()`)
	if beside != true {
		t.Errorf("%s: no input marked aria-invalid with its message beside it", shot)
	}
	if got := b.eval(`document.querySelector('nav.menu a[aria-current="page"]')?.getAttribute("href") ?? ""`); got != "/console/"+nav {
		t.Errorf("%s: the menu highlights %v, want /console/%s", shot, got, nav)
	}
	b.screen(shot, dirOf(lang))
}

func dirOf(lang string) string {
	if lang == langFR {
		return "ltr"
	}
	return "rtl"
}

// shotName keeps the Arabic screenshots' names and marks the French ones.
func shotName(name, lang string) string {
	if lang == langFR {
		return name + "-fr"
	}
	return name
}

package console

import (
	"github.com/chromedp/chromedp"
)

// createForms walks the create forms outside the registers in Arabic, as a
// Fès clerk and (the mediation case) the Fès admin: each submitted first with a mistake, the API's message shown
// beside a field, then fixed and saved, landing on its list or page with
// the confirmation.
func (b *browser) createForms() {
	t := b.t
	t.Helper()
	fieldError := func(shot string) {
		t.Helper()
		b.do(chromedp.WaitVisible(chromedp.CSS("#record-form .msg")))
		if msg := b.text("#record-form .msg"); !hasArabic(msg) {
			t.Errorf("%s: field error %q is not in Arabic", shot, msg)
		}
		if n := b.eval(`document.querySelectorAll('#record-form [aria-invalid="true"]').length`); n == float64(0) {
			t.Errorf("%s: no input marked aria-invalid beside the error", shot)
		}
		b.screen(shot, "rtl")
	}

	// A training whose last day comes before its first.
	b.do(chromedp.Navigate(b.base+"/console/fairs"), chromedp.WaitVisible(chromedp.ID("new-event")),
		chromedp.Click(chromedp.ID("new-event")), chromedp.WaitVisible(chromedp.ID("record-form")))
	b.screen("event-form", "rtl")
	b.do(chromedp.SetValue(chromedp.ID("kind"), "TRAINING"), chromedp.SetValue(chromedp.ID("scope"), "LOCAL"),
		chromedp.SendKeys(chromedp.ID("title_ar"), "تكوين في الخط المغربي"),
		chromedp.SendKeys(chromedp.ID("title_fr"), "Formation à la calligraphie marocaine"),
		chromedp.SetValue(chromedp.ID("start_date"), "2026-12-10"), chromedp.SetValue(chromedp.ID("end_date"), "2026-12-08"),
		chromedp.SetValue(chromedp.ID("province"), "fes"), chromedp.SendKeys(chromedp.ID("city"), "فاس"),
		chromedp.SendKeys(chromedp.ID("capacity"), "20"), chromedp.Click(chromedp.ID("record-submit")))
	fieldError("event-form-error")
	b.do(chromedp.SetValue(chromedp.ID("end_date"), "2026-12-12"), chromedp.Click(chromedp.ID("record-submit")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	b.screen("event-created", "rtl")

	// A desk request with nothing filled in.
	b.do(chromedp.Navigate(b.base+"/console/desk"), chromedp.WaitVisible(chromedp.ID("new-request")),
		chromedp.Click(chromedp.ID("new-request")), chromedp.WaitVisible(chromedp.ID("record-form")),
		chromedp.Click(chromedp.ID("record-submit")))
	fieldError("request-form-error")
	b.do(chromedp.SetValue(chromedp.ID("type"), "ATTESTATION"), chromedp.SetValue(chromedp.ID("channel"), "IN_PERSON"),
		chromedp.SendKeys(chromedp.ID("subject"), "طلب شهادة التسجيل في السجل"),
		chromedp.SendKeys(chromedp.ID("walk_in_name"), "حسن البناني"), chromedp.Click(chromedp.ID("record-submit")),
		chromedp.WaitVisible(chromedp.CSS(".flash")), chromedp.WaitVisible(chromedp.ID("requests")))
	b.screen("request-created", "rtl")

	// A mediation case with one party only, opened by the chamber's admin
	// (the desk lets only admins open cases; a clerk is not offered it).
	b.do(chromedp.Navigate(b.base+"/console/mediation"), chromedp.WaitVisible(chromedp.ID("tab-mediation")))
	if n := b.eval(`document.querySelectorAll("#new-case").length`); n != float64(0) {
		t.Error("a clerk is offered to open a mediation case")
	}
	b.do(chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("demo-signin")),
		chromedp.Click(chromedp.ID("u-chamber-admin-fes-meknes")), chromedp.Click(chromedp.ID("signin-submit")),
		chromedp.WaitVisible(chromedp.ID("q")))
	b.do(chromedp.Navigate(b.base+"/console/mediation"), chromedp.WaitVisible(chromedp.ID("new-case")),
		chromedp.Click(chromedp.ID("new-case")), chromedp.WaitVisible(chromedp.ID("record-form")),
		chromedp.SendKeys(chromedp.ID("subject"), "خلاف حول ثمن صفقة زرابي"),
		chromedp.SendKeys(chromedp.ID("party_1"), "ورشة الأطلس"), chromedp.Click(chromedp.ID("record-submit")))
	fieldError("case-form-error")
	b.do(chromedp.SendKeys(chromedp.ID("party_2"), "متجر باب بوجلود"), chromedp.Click(chromedp.ID("record-submit")),
		chromedp.WaitVisible(chromedp.CSS(".flash")), chromedp.WaitVisible(chromedp.ID("mediation-cases")))
	b.screen("case-created", "rtl")
}

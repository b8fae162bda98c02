package console

import (
	"strings"

	"github.com/chromedp/chromedp"
)

// registers walks the register screens beyond the cooperative journey, in
// French: editing the new cooperative (PATCH with its etag), the artisans
// filtered by gender, an artisan's edit form refused by the API (the
// French message beside the field) then saved, an association activated,
// then marked stagnant: refused without its reason, done with it, and the
// enterprises.
func (b *browser) registers(coop string) {
	t := b.t
	t.Helper()
	b.do(chromedp.Navigate(coop), chromedp.WaitVisible(chromedp.ID("edit-record")), chromedp.Click(chromedp.ID("edit-record")),
		chromedp.WaitVisible(chromedp.ID("record-form")))
	b.screen("coop-edit-fr", "ltr")
	b.do(chromedp.SetValue(chromedp.ID("members_women"), "9"), chromedp.Click(chromedp.ID("record-submit")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if got := b.text("#record"); !strings.Contains(got, "9") {
		t.Errorf("cooperative after edit: %q", got)
	}

	b.do(chromedp.Navigate(b.base+"/console/register?kind=artisans"), chromedp.WaitVisible(chromedp.ID("gender")),
		chromedp.SetValue(chromedp.ID("gender"), "FEMALE"), chromedp.Click(chromedp.ID("search-submit")),
		chromedp.WaitReady(chromedp.CSS(`#gender option[value="FEMALE"][selected]`)), chromedp.WaitVisible(chromedp.ID("results")))
	if got := b.text("#results tbody"); strings.Contains(got, "Homme") || !strings.Contains(got, "Femme") {
		t.Errorf("artisans filtered by gender FEMALE: %q", got)
	}
	b.screen("artisans-fr", "ltr")
	b.do(chromedp.Click(chromedp.CSS("#results tbody a")), chromedp.WaitVisible(chromedp.ID("record")))
	b.screen("artisan-fr", "ltr")
	b.do(chromedp.Click(chromedp.ID("edit-record")), chromedp.WaitVisible(chromedp.ID("record-form")),
		chromedp.SetValue(chromedp.ID("category"), "EXPERIENCED"), chromedp.SetValue(chromedp.ID("years_of_practice"), "1"),
		chromedp.Click(chromedp.ID("record-submit")), chromedp.WaitVisible(chromedp.ID("years_of_practice-msg")))
	if msg := b.text("#years_of_practice-msg"); msg == "" || hasArabic(msg) {
		t.Errorf("years of practice error in French: %q", msg)
	}
	if inv := b.attr("#years_of_practice", "aria-invalid"); inv != "true" {
		t.Errorf("years_of_practice aria-invalid = %q", inv)
	}
	b.screen("artisan-edit-error-fr", "ltr")
	b.do(chromedp.SetValue(chromedp.ID("years_of_practice"), "12"), chromedp.Click(chromedp.ID("record-submit")),
		chromedp.WaitVisible(chromedp.CSS(".flash")), chromedp.WaitVisible(chromedp.ID("record")))

	b.do(chromedp.Navigate(b.base+"/console/register?kind=associations"), chromedp.WaitVisible(chromedp.ID("results")),
		chromedp.Click(chromedp.CSS("#results tbody a")), chromedp.WaitVisible(chromedp.ID("action-activate")))
	b.screen("association-fr", "ltr")
	b.do(chromedp.Click(chromedp.ID("action-activate")), chromedp.WaitVisible(chromedp.ID("action-markStagnant")))
	b.do(chromedp.Click(chromedp.ID("action-markStagnant")), chromedp.WaitVisible(chromedp.ID("page-error")))
	b.screen("association-action-error-fr", "ltr")
	b.do(chromedp.SendKeys(chromedp.ID("reason-markStagnant"), "Aucune assemblée depuis deux ans"),
		chromedp.Click(chromedp.ID("action-markStagnant")), chromedp.WaitVisible(chromedp.ID("action-reactivate")))
	if got := b.text("#state"); !strings.Contains(got, "Inactive") {
		t.Errorf("association after markStagnant: %q", got)
	}
	b.do(chromedp.Click(chromedp.ID("action-reactivate")), chromedp.WaitVisible(chromedp.ID("action-markStagnant")))
	b.do(chromedp.Click(chromedp.ID("edit-record")), chromedp.WaitVisible(chromedp.ID("record-form")))
	b.screen("association-edit-fr", "ltr")

	b.do(chromedp.Navigate(b.base+"/console/register?kind=enterprises"), chromedp.WaitVisible(chromedp.ID("results")))
	b.screen("enterprises-fr", "ltr")
	b.do(chromedp.Click(chromedp.CSS("#results tbody a")), chromedp.WaitVisible(chromedp.ID("record")))
	b.screen("enterprise-fr", "ltr")
	b.do(chromedp.Click(chromedp.ID("edit-record")), chromedp.WaitVisible(chromedp.ID("record-form")))
	b.screen("enterprise-edit-fr", "ltr")
}

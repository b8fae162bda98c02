package console

import (
	"strings"

	"github.com/chromedp/chromedp"
)

// nameRequests walks the name request screens as ODCO's officer: the
// pending queue (the seeded Fès request), a rejection without a reason
// refused with the API's Arabic message beside the field, the approval of
// the first proposed name, the certificate's download from the approved
// list, an empty filter, and the queue in French.
func (b *browser) nameRequests() {
	t := b.t
	t.Helper()
	b.do(chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("demo-signin")),
		chromedp.Click(chromedp.ID("u-odco-officer")), chromedp.Click(chromedp.ID("signin-submit")),
		chromedp.WaitVisible(chromedp.ID("namerequests")))
	b.screen("namerequests", "rtl")
	id, _ := b.eval(`(() => { const f = [...document.querySelectorAll('form[id^="approve-"]')].find(f => f.closest("tr").textContent.includes("تعاونية الأطلس للطرز")); return f ? f.id.slice("approve-".length) : ""; })()`).(string)
	if id == "" {
		t.Fatal("the seeded pending name request is not in the officer's queue")
	}
	b.keyboardReaches("#approve-submit-" + id)

	b.do(chromedp.Click(chromedp.ID("reject-submit-"+id)), chromedp.WaitVisible(chromedp.ID("reason-"+id+"-msg")))
	if msg := b.text("#reason-" + id + "-msg"); !hasArabic(msg) {
		t.Errorf("rejection without a reason: message %q is not in Arabic", msg)
	}
	if inv := b.attr("#reason-"+id, "aria-invalid"); inv != "true" {
		t.Errorf("reason input aria-invalid = %q", inv)
	}
	b.screen("namerequest-error", "rtl")

	b.do(chromedp.SetValue(chromedp.ID("approved_name-"+id), "2"), chromedp.Click(chromedp.ID("approve-submit-"+id)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if n := b.eval(`document.querySelectorAll("#approve-` + id + `").length`); n != float64(0) {
		t.Error("the approved request is still offered for decision")
	}
	b.do(chromedp.Navigate(b.base+"/console/nameRequests?state=APPROVED"), chromedp.WaitVisible(chromedp.ID("cert-"+id)))
	if row := b.text("#nr-" + id); !strings.Contains(row, "ODCO-") {
		t.Errorf("approved request row %q lacks its certificate number", row)
	}
	b.screen("namerequests-approved", "rtl")
	got := b.eval(`fetch(document.getElementById("cert-` + id + `").href).then(r => r.status + " " + r.headers.get("content-type"))`)
	if s, _ := got.(string); !strings.HasPrefix(s, "200 application/pdf") {
		t.Errorf("certificate download: %v", got)
	}

	b.do(chromedp.Navigate(b.base+"/console/nameRequests?state=WITHDRAWN&overdue=1"), chromedp.WaitVisible(chromedp.ID("empty")))
	b.screen("namerequests-empty", "rtl")
	b.do(chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="fr"] #namereq-filters`)))
	b.screen("namerequests-fr", "ltr")
}

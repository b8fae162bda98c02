package console

import (
	"strings"

	"github.com/chromedp/chromedp"
)

// merge walks the merge of two duplicates from the review queue: the
// pair's side-by-side form, a merge without a reason refused with the
// API's Arabic message, then a (the first) kept with b's years of practice
// taken, which opens b's record, now merged and naming a as its successor,
// in both languages.
func (b *browser) merge(a, dup string) {
	t := b.t
	t.Helper()
	link := `a.merge-link[href*="` + a[strings.LastIndex(a, "/")+1:] + `"][href*="` + dup[strings.LastIndex(dup, "/")+1:] + `"]`
	b.do(chromedp.Navigate(b.base+"/console/duplicates"), chromedp.WaitVisible(chromedp.CSS(link)))
	b.screen("duplicates-pair", "rtl")
	b.do(chromedp.Click(chromedp.CSS(link)), chromedp.WaitVisible(chromedp.ID("merge-form")))
	// The form names a as "a" whichever order the queue lists the pair in.
	if got := b.attr(`input[name="a"]`, "value"); got != a && got != dup {
		t.Fatalf("merge form for %s", got)
	}
	kept, merged := b.attr(`input[name="a"]`, "value"), b.attr(`input[name="b"]`, "value")
	b.screen("merge", "rtl")
	b.keyboardReaches("#merge-submit")

	b.do(chromedp.Click(chromedp.ID("merge-submit")), chromedp.WaitVisible(chromedp.ID("page-error")))
	if msg := b.text("#page-error"); !hasArabic(msg) {
		t.Errorf("merge without a reason: message %q is not in Arabic", msg)
	}
	b.screen("merge-error", "rtl")

	b.do(chromedp.Click(chromedp.ID("keep-a")), chromedp.Click(chromedp.ID("take-years_of_practice")),
		chromedp.SendKeys(chromedp.ID("reason"), "نفس الشخص: بطاقة جديدة بعد التجديد"),
		chromedp.Click(chromedp.ID("merge-submit")), chromedp.WaitVisible(chromedp.ID("successor")))
	if href := b.attr("#successor", "href"); !strings.HasSuffix(href, kept) {
		t.Errorf("merged record's successor link %q, want %s", href, kept)
	}
	if loc := b.location(); !strings.Contains(loc, merged) {
		t.Errorf("after the merge the console shows %s, want the merged record %s", loc, merged)
	}
	b.screen("merged-record", "rtl")
	b.do(chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="fr"] #successor`)))
	b.screen("merged-record-fr", "ltr")
	b.do(chromedp.Click(chromedp.ID("successor")), chromedp.WaitVisible(chromedp.ID("record")))
	b.screen("merge-successor-fr", "ltr")
	b.do(chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="ar"] #record`)))
}

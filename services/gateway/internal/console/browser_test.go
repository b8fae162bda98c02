package console

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
	"github.com/hirfa/hirfa/pkg/testenv"
	"github.com/hirfa/hirfa/proto/openapi/openapitest"
	"github.com/hirfa/hirfa/tools/load/localstack"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// TestBrowserJourneys drives headless Chromium through the console served
// over a real stack (every service as its own process on PostgreSQL and
// Redis, demo data seeded). The console under test runs in this process
// with an HTTP transport that checks every console→API request and answer
// against the OpenAPI document the edge serves. On every screen: the page
// direction is asserted, axe-core finds no serious or critical violation,
// and a screenshot is written (HIRFA_CONSOLE_SHOTS, else a temp dir).
func TestBrowserJourneys(t *testing.T) {
	chromium := chromiumPath(t)
	axe := axeSource(t)
	stack := newStack(t)
	validator := openapitest.MustFetch(t, stack.HTTP)
	iss, err := devissuer.Load(stack.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	con, err := New(Options{API: validator.Transport(t, http.DefaultTransport), APIBase: stack.HTTP, DemoIssuer: iss})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(con)
	t.Cleanup(srv.Close)
	// Chromium treats loopback as a secure context, so the Secure cookies
	// the console always sets work over plain HTTP here.
	base := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)

	fair, assembly, item, training := prepare(t, stack, iss)
	dupA, dupB := prepareDuplicates(t, stack, iss)
	t.Run("mounted in the gateway", func(t *testing.T) { gatewayConsole(t, stack.HTTP) })

	shots := os.Getenv("HIRFA_CONSOLE_SHOTS")
	if shots == "" {
		shots, err = os.MkdirTemp("", "hirfa-console-shots-")
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("screenshots in %s", shots)

	opts := append([]chromedp.ExecAllocatorOption{}, chromedp.DefaultExecAllocatorOptions[:]...)
	opts = append(opts, chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1280, 900))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancelTab := chromedp.NewContext(alloc)
	defer cancelTab()
	// Generous: the journeys take a few minutes alone, many more on a
	// machine busy with other builds (each step has its own two minutes).
	ctx, cancel := context.WithTimeout(ctx, 25*time.Minute)
	defer cancel()

	b := &browser{t: t, ctx: ctx, base: base, axe: axe, shots: shots}
	// Start the browser on the journey's own context: a step's shorter
	// context, ending, would otherwise take the browser with it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}

	// First page load, measured (not asserted): a cold browser cache.
	b.do(chromedp.Navigate(base + "/console/signin"))
	load := b.eval(`(() => { const n = performance.getEntriesByType("navigation")[0]; return Math.round(n.loadEventEnd - n.startTime); })()`)
	t.Logf("first page load (sign-in, cold cache): %v ms", load)
	b.do(chromedp.Navigate(base + "/console/signin"))
	t.Logf("second page load (assets cached by hashed name): %v ms",
		b.eval(`(() => { const n = performance.getEntriesByType("navigation")[0]; return Math.round(n.loadEventEnd - n.startTime); })()`))
	b.screen("signin", "rtl")
	b.keyboardReaches("#signin-submit")

	// Sign in as a Fès-Meknès clerk.
	b.do(chromedp.Click(chromedp.ID("u-chamber-clerk-fes-meknes")), chromedp.Click(chromedp.ID("signin-submit")),
		chromedp.WaitVisible(chromedp.ID("q")))
	b.screen("register", "rtl")

	// Tolerant search: ta marbuta typed as ha.
	b.do(chromedp.SetValue(chromedp.ID("q"), "تعاونيه النسيج"), chromedp.Click(chromedp.ID("search-submit")),
		// The answer page carries the query in the input's attribute.
		chromedp.WaitVisible(chromedp.CSS(`input#q[value="تعاونيه النسيج"]`)), chromedp.WaitVisible(chromedp.ID("results")))
	if got := b.text("#results"); !strings.Contains(got, "تعاونية النسيج") {
		t.Fatalf("search for تعاونيه النسيج: results %q lack تعاونية النسيج", got)
	}
	b.screen("register-search", "rtl")

	// Create a cooperative with a capital below the minimum: the Arabic
	// error from the API's BadRequest beside the field; fix it and save.
	b.do(chromedp.Click(chromedp.ID("new-record")), chromedp.WaitVisible(chromedp.ID("record-form")))
	b.keyboardReaches("#record-submit")
	suffix := newID(3)
	b.do(chromedp.SetValue(chromedp.ID("name_ar"), "تعاونية الفخار "+suffix),
		chromedp.SendKeys(chromedp.ID("name_fr"), "Coopérative de la poterie "+suffix),
		chromedp.SendKeys(chromedp.ID("activity"), "F1.B02.A01"),
		chromedp.SetValue(chromedp.ID("province"), "fes"),
		chromedp.SendKeys(chromedp.ID("capital"), "500"),
		chromedp.SendKeys(chromedp.ID("share_value"), "100"),
		chromedp.SendKeys(chromedp.ID("members_women"), "5"),
		chromedp.SendKeys(chromedp.ID("members_men"), "3"),
		chromedp.Click(chromedp.ID("record-submit")),
		chromedp.WaitVisible(chromedp.ID("capital-msg")))
	msg := b.text("#capital-msg")
	if !hasArabic(msg) {
		t.Fatalf("capital error %q is not in Arabic", msg)
	}
	if inv := b.attr("#capital", "aria-invalid"); inv != "true" {
		t.Errorf("capital input aria-invalid = %q", inv)
	}
	b.screen("coop-form-error", "rtl")
	b.do(chromedp.SetValue(chromedp.ID("capital"), "5000"), chromedp.Click(chromedp.ID("record-submit")),
		chromedp.WaitVisible(chromedp.ID("record")))
	if got := b.text("#record"); !strings.Contains(got, "تعاونية الفخار "+suffix) {
		t.Fatalf("record page after save: %q", got)
	}
	fesRecord := b.location()
	b.screen("coop-record", "rtl")

	// Switch to French: remembered on the next pages.
	b.do(chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="fr"] #record`)))
	b.screen("coop-record-fr", "ltr")
	if !strings.Contains(b.text("#record"), "Coopérative de la poterie "+suffix) {
		t.Errorf("French record page lacks the French name")
	}

	// The other registers, in French: artisans filtered by gender, a
	// record page and its edit form, where the API's field error shows
	// beside the field; then associations and enterprises.
	b.registers(fesRecord)

	// Open the fair and record visitors.
	b.do(chromedp.Navigate(base+"/console/fairs"), chromedp.WaitVisible(chromedp.ID("events")))
	b.screen("fairs-fr", "ltr")
	b.do(chromedp.Click(chromedp.CSS(`a[href="/console/`+fair+`"]`)), chromedp.WaitVisible(chromedp.ID("apply-form")))
	b.fairApplications()
	b.do(chromedp.SetValue(chromedp.ID("date"), "2026-04-11"), chromedp.SendKeys(chromedp.ID("visitors"), "1250"),
		chromedp.Click(chromedp.ID("visitors-submit")), chromedp.WaitVisible(chromedp.ID("visitor-counts")))
	if got := b.text("#visitors-total"); !strings.Contains(got, "250") {
		t.Errorf("visitors total %q after recording 1250", got)
	}
	b.screen("fair-fr", "ltr")
	b.fairFigures()
	b.training(training)

	// Vote an assembly item (public roll-call vote).
	b.do(chromedp.Navigate(base+"/console/assemblies"), chromedp.WaitVisible(chromedp.ID("assemblies")))
	b.screen("assemblies-fr", "ltr")
	b.do(chromedp.Click(chromedp.CSS(`a[href="/console/`+assembly+`"]`)), chromedp.WaitVisible(chromedp.ID("items")))
	b.screen("assembly-fr", "ltr")
	b.do(chromedp.Click(chromedp.CSS(`a[href="/console/`+item+`"]`)), chromedp.WaitVisible(chromedp.ID("roll-call")))
	b.screen("item-fr", "ltr")
	b.do(chromedp.Click(chromedp.ID("vote-m01-for")), chromedp.WaitVisible(chromedp.CSS(".flash")))
	if got := b.text("#roll-call"); !strings.Contains(got, "Pour") {
		t.Errorf("roll call after voting: %q", got)
	}

	// Dashboard and the activity report download, back in Arabic.
	b.do(chromedp.Navigate(base+"/console/dashboard"), chromedp.WaitVisible(chromedp.ID("report-xlsx")))
	b.screen("dashboard-fr", "ltr")
	if n := b.eval(`document.querySelectorAll("#charts figure[role=img] svg rect").length`); n == float64(0) {
		t.Errorf("dashboard: no SVG chart bars")
	}
	b.do(chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="ar"] #report-xlsx`)))
	b.screen("dashboard", "rtl")
	got := b.eval(`fetch(document.getElementById("report-xlsx").href).then(async r => r.status + " " + r.headers.get("content-type") + " " + (await r.arrayBuffer()).byteLength)`)
	if s, _ := got.(string); !strings.HasPrefix(s, "200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") {
		t.Errorf("report download: %v", got)
	}
	b.do(chromedp.Navigate(base+"/console/craft-bodies"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	b.screen("craft-bodies", "rtl")
	// A body's pipeline from awareness to bureau, the current stage marked.
	b.do(chromedp.Click(chromedp.CSS("#craft-bodies tbody a")), chromedp.WaitVisible(chromedp.ID("pipeline")))
	if n := b.eval(`document.querySelectorAll('#pipeline li[aria-current="step"]').length`); n != float64(1) {
		t.Errorf("craft body pipeline: %v current stages, want 1", n)
	}
	b.screen("craft-body", "rtl")

	// Every screen seen in one language only so far, in the other one.
	for _, p := range []struct{ name, path string }{{"fairs", "/console/fairs"}, {"fair", "/console/" + fair},
		{"assemblies", "/console/assemblies"}, {"assembly", "/console/" + assembly}, {"item", "/console/" + item},
		{"artisans", "/console/register?kind=artisans"}, {"associations", "/console/register?kind=associations"},
		{"enterprises", "/console/register?kind=enterprises"}, {"coop-edit", fesRecord[len(base):] + "/edit"}} {
		b.do(chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(`html[lang="ar"] main h1`)))
		b.screen(p.name, "rtl")
	}
	// The minutes of the assembly in Arabic, from its page's link.
	b.do(chromedp.Navigate(base+"/console/"+assembly), chromedp.WaitVisible(chromedp.ID("items")))
	minutes := b.eval(`fetch(document.querySelector('a[href$="minutes?language=ar"]').href).then(r => r.status + " " + r.headers.get("content-type"))`)
	if s, _ := minutes.(string); !strings.HasPrefix(s, "200 ") {
		t.Errorf("minutes download: %v", minutes)
	}
	// Arabic-Indic digits as a setting: the roll count changes script.
	b.do(chromedp.Click(chromedp.ID("digits-switch")), chromedp.WaitVisible(chromedp.CSS(`html[data-digits="eastern"] #roll`)))
	if got := b.text("#roll"); !strings.Contains(got, "٦٠") {
		t.Errorf("roll with Arabic-Indic digits: %q, want ٦٠", got)
	}
	b.do(chromedp.Click(chromedp.ID("digits-switch")), chromedp.WaitVisible(chromedp.CSS(`html[data-digits="western"] #roll`)))
	b.do(chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="fr"] main h1`)))
	for _, p := range []struct{ name, path string }{{"register-fr", "/console/register?q=" + "%D8%A7%D9%84%D9%86%D8%B3%D9%8A%D8%AC"},
		{"craft-bodies-fr", "/console/craft-bodies"}, {"coop-form-fr", "/console/register/cooperatives/new"}} {
		b.do(chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(`html[lang="fr"] main h1`)))
		b.screen(p.name, "ltr")
	}
	b.do(chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="ar"] main h1`)))
	b.do(chromedp.Navigate(fesRecord), chromedp.WaitVisible(chromedp.ID("record")))

	b.work()
	b.merge(dupA, dupB)
	b.createForms()

	// A Marrakech-Safi clerk cannot reach the Fès record by its URL.
	b.do(chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("demo-signin")),
		chromedp.Click(chromedp.ID("u-chamber-clerk-marrakech-safi")), chromedp.Click(chromedp.ID("signin-submit")),
		chromedp.WaitVisible(chromedp.ID("q")))
	status := b.eval(`fetch(` + jsString(fesRecord) + `).then(r => r.status)`)
	if status != float64(http.StatusNotFound) {
		t.Errorf("Marrakech-Safi clerk opening %s: status %v, want 404", fesRecord, status)
	}
	b.do(chromedp.Navigate(fesRecord), chromedp.WaitVisible(chromedp.ID("page-error")))
	if n := b.eval(`document.querySelectorAll("#record").length`); n != float64(0) {
		t.Errorf("the Fès record shows to a Marrakech-Safi clerk")
	}
	b.screen("other-chamber-404", "rtl")

	b.nameRequests()
}

// gatewayConsole signs in through the console the gateway binary serves
// (calling its own edge in process) and reads the register page: the
// seeded Fès cooperative is listed for a Fès-Meknès clerk.
func gatewayConsole(t *testing.T, base string) {
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	send := func(method, path string, form url.Values, cookie *http.Cookie) (*http.Response, string) {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, err := http.NewRequestWithContext(t.Context(), method, base+path, body)
		if err != nil {
			t.Fatal(err)
		}
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if cookie != nil {
			req.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	resp, page := send(http.MethodGet, "/console/signin", nil, nil)
	m := csrfRe.FindStringSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil || len(resp.Cookies()) == 0 {
		t.Fatalf("gateway GET /console/signin: %d, no form or no cookie", resp.StatusCode)
	}
	resp, _ = send(http.MethodPost, "/console/signin", url.Values{"csrf": {m[1]}, "user": {"chamber-clerk:fes-meknes"}}, resp.Cookies()[0])
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) == 0 {
		t.Fatalf("gateway sign-in: %d", resp.StatusCode)
	}
	resp, page = send(http.MethodGet, "/console/register", nil, resp.Cookies()[0])
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "تعاونية النسيج الفاسي") {
		t.Fatalf("gateway register page: %d, seeded cooperative missing", resp.StatusCode)
	}
}

// prepare opens the first vote of the seeded assembly (present members
// recorded) and plans a training open for registrations, through the API
// as a Fès-Meknès clerk; the seeded fair stays open for applications. It
// returns their resource names.
func prepare(t *testing.T, s *localstack.Stack, iss *devissuer.Issuer) (fair, assembly, item, training string) {
	t.Helper()
	tok, err := iss.Issue(devissuer.Claims{Subject: "setup@fes-meknes.test", Role: auth.RoleChamberClerk, Chamber: "fes-meknes"})
	if err != nil {
		t.Fatal(err)
	}
	c := &client{base: s.HTTP, rt: openapitest.MustFetch(t, s.HTTP).Transport(t, http.DefaultTransport)}
	sess := &session{Token: tok}
	ctx := t.Context()
	var events, asms, items obj
	// The seed runs as the services start; wait for it.
	deadline := time.Now().Add(30 * time.Second)
	for {
		if err := c.call(ctx, sess, "fr", http.MethodGet, "/v1/chambers/fes-meknes/events", nil, nil, &events); err != nil {
			t.Fatal(err)
		}
		if err := c.call(ctx, sess, "fr", http.MethodGet, "/v1/chambers/fes-meknes/assemblies", nil, nil, &asms); err != nil {
			t.Fatal(err)
		}
		if ev, _ := events["events"].([]any); len(ev) > 0 {
			if as, _ := asms["assemblies"].([]any); len(as) > 0 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("no seeded fair and assembly in fes-meknes")
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, x := range events["events"].([]any) {
		if e := x.(obj); e["kind"] == "FAIR" {
			fair = e["name"].(string)
		}
	}
	assembly = asms["assemblies"].([]any)[0].(obj)["name"].(string)
	post := func(path string, body obj) {
		t.Helper()
		if err := c.call(ctx, sess, "fr", http.MethodPost, "/v1/"+path, nil, body, nil); err != nil {
			t.Fatalf("POST %s: %v", path, err)
		}
	}
	var present []string
	for i := 1; i <= 60; i++ {
		present = append(present, fmt.Sprintf("m%02d", i))
	}
	post(assembly+":recordAttendance", obj{"present": present})
	post(assembly+":openSession", obj{})
	if err := c.call(ctx, sess, "fr", http.MethodGet, "/v1/"+assembly+"/items", nil, nil, &items); err != nil {
		t.Fatal(err)
	}
	item = items["items"].([]any)[0].(obj)["name"].(string)
	post(item+":openVote", obj{})
	// A training of one place, open for registrations: the second
	// participant goes on the wait list.
	var tr obj
	if err := c.call(ctx, sess, "fr", http.MethodPost, "/v1/chambers/fes-meknes/events", nil, obj{"kind": "TRAINING", "scope": "LOCAL",
		"title": obj{"ar": "تكوين في الصباغة الطبيعية", "fr": "Formation à la teinture naturelle"}, "start_date": "2026-12-01",
		"end_date": "2026-12-03", "venue": obj{"province": "fes", "city": "Fès"}, "capacity": 1}, &tr); err != nil {
		t.Fatalf("create training: %v", err)
	}
	training = tr["name"].(string)
	post(training+":openApplications", obj{})
	return fair, assembly, item, training
}

// prepareDuplicates registers two artisans the registry finds alike (same
// names and birth date, different CNIE and years of practice) for the
// merge screen, and returns their names.
func prepareDuplicates(t *testing.T, s *localstack.Stack, iss *devissuer.Issuer) (a, b string) {
	t.Helper()
	tok, err := iss.Issue(devissuer.Claims{Subject: "setup@fes-meknes.test", Role: auth.RoleChamberClerk, Chamber: "fes-meknes"})
	if err != nil {
		t.Fatal(err)
	}
	c := &client{base: s.HTTP, rt: openapitest.MustFetch(t, s.HTTP).Transport(t, http.DefaultTransport)}
	var names []string
	for i, years := range []int{4, 11} {
		var out obj
		if err := c.call(t.Context(), &session{Token: tok}, "fr", http.MethodPost, "/v1/chambers/fes-meknes/artisans", nil, obj{
			"given_name_ar": "زينب", "family_name_ar": "العلوي", "given_name_latin": "Zineb", "family_name_latin": "Alaoui",
			"cnie": fmt.Sprintf("CD%06d", 400100+i), "gender": "FEMALE", "birth_date": "1979-09-14", "province": "fes",
			"activity": "F1.B02.A02", "category": "EXPERIENCED", "years_of_practice": years}, &out); err != nil {
			t.Fatalf("create artisan: %v", err)
		}
		names = append(names, out["name"].(string))
	}
	return names[0], names[1]
}

type browser struct {
	t     *testing.T
	ctx   context.Context
	base  string
	axe   string
	shots string
}

func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	// One step waits at most two minutes: a page that never shows what a
	// step waits for fails the journey there, not at the overall deadline.
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v (at %s)", err, b.location())
	}
}

func (b *browser) eval(js string) any {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[any](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func (b *browser) attr(sel, name string) string {
	b.t.Helper()
	v, _ := b.eval(`document.querySelector(` + jsString(sel) + `).getAttribute(` + jsString(name) + `)`).(string)
	return v
}

func (b *browser) location() string {
	l, _ := chromedp.Run(b.ctx, chromedp.Location())
	return l
}

// screen checks the current screen: its direction (with the navigation
// mirrored: the first menu entry on the start side), no horizontal
// overflow of the page, axe-core's serious
// and critical violations, and writes a screenshot.
func (b *browser) screen(name, dir string) {
	b.t.Helper()
	if got := b.attr("html", "dir"); got != dir {
		b.t.Errorf("%s: <html dir=%q>, want %q", name, got, dir)
	}
	if dir == "rtl" {
		// Mirrored: the brand sits at the right edge of the header.
		mirrored := b.eval(`(() => { const h = document.querySelector("header.top").getBoundingClientRect(), s = document.querySelector(".brand").getBoundingClientRect(); return s.right > h.right - 40; })()`)
		if mirrored != true {
			b.t.Errorf("%s: header not mirrored in rtl", name)
		}
	}
	// Nothing wider than the window: a wide table scrolls in its own box.
	// scrollWidth misses what an rtl page pushes past its right edge (it
	// cannot scroll there), so every box outside a scroll box is measured too.
	if over := b.eval(`(() => {
		const w = window.innerWidth, sw = document.documentElement.scrollWidth;
		if (sw > w) { return "scrollWidth " + sw + " px in a " + w + " px window"; }
		for (const e of document.body.querySelectorAll("*")) {
			if (e.parentElement.closest(".table-scroll")) { continue; }
			const r = e.getBoundingClientRect();
			if ((r.width > 0 || r.height > 0) && (r.left < -0.5 || r.right > w + 0.5)) {
				return e.tagName.toLowerCase() + (e.className ? "." + e.className : "") + " spans " + Math.round(r.left) + "…" + Math.round(r.right) + " px in a " + w + " px window";
			}
		}
		return "";
	})()`); over != "" {
		b.t.Errorf("%s: the page overflows horizontally: %v", name, over)
	}
	// Evaluated through the DevTools protocol: the page's CSP (script-src
	// 'self') rightly refuses an injected inline script.
	b.eval(`window.axe ? true : (0, eval)(` + jsString(b.axe) + `) || true`)
	res := b.eval(`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}))))`)
	if s, _ := res.(string); s != "[]" {
		b.t.Errorf("%s: axe-core serious/critical violations: %s", name, s)
	}
	capture := chromedp.FullScreenshot(100)
	if b.eval(`document.documentElement.scrollHeight <= window.innerHeight`) == true {
		// A page the window holds is captured as the window shows it:
		// Chromium's capture beyond the viewport draws a short rtl page
		// shifted sideways, cut at the right edge, though nothing overflows.
		capture = chromedp.CaptureScreenshot()
	}
	png, err := chromedp.Run(b.ctx, capture)
	if err != nil {
		b.t.Fatalf("%s: screenshot: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// keyboardReaches presses Tab from the top of the page until the element
// matching sel has the focus (every control before it is passed on the way).
func (b *browser) keyboardReaches(sel string) {
	b.t.Helper()
	b.eval(`(document.activeElement && document.activeElement.blur(), window.scrollTo(0, 0), true)`)
	for i := 0; i < 200; i++ {
		b.do(chromedp.KeyEvent("\t"))
		if b.eval(`document.activeElement === document.querySelector(`+jsString(sel)+`)`) == true {
			return
		}
	}
	b.t.Errorf("%s is not reachable with the Tab key", sel)
}

func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

func hasArabic(s string) bool {
	for _, r := range s {
		if r >= 0x0600 && r <= 0x06FF {
			return true
		}
	}
	return false
}

// chromiumPath finds Debian's Chromium (tools/dev/chromium.sh installs it).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("HIRFA_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p != "" {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	t.Fatal("no Chromium: run tools/dev/chromium.sh (as root)")
	return ""
}

// axeSource reads axe-core as pinned by tools/a11y (npm ci, run by make).
func axeSource(t *testing.T) string {
	t.Helper()
	root, err := localstack.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "tools/a11y/node_modules/axe-core/axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core: %v (run: cd tools/a11y && npm ci)", err)
	}
	return string(b)
}

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// newStack starts the suite as separate processes (deploy/local/up.sh) on
// the test PostgreSQL and Redis, with the demo data unless env (up.sh
// inputs, KEY=VALUE) says otherwise, and stops it after.
func newStack(t *testing.T, env ...string) *localstack.Stack {
	t.Helper()
	root, err := localstack.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	bin := os.Getenv("HIRFA_E2E_BIN")
	if bin == "" {
		buildOnce.Do(func() {
			binDir, buildErr = os.MkdirTemp("", "hirfa-console-bin-")
			if buildErr == nil {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
				defer cancel()
				buildErr = localstack.Build(ctx, root, binDir)
			}
		})
		if buildErr != nil {
			t.Fatalf("build binaries: %v", buildErr)
		}
		bin = binDir
	}
	pg, redis := testenv.Postgres(t), testenv.Redis(t)
	rb := make([]byte, 4)
	_, _ = rand.Read(rb)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	s, err := localstack.Up(ctx, localstack.Options{
		Root: root, Dir: filepath.Join(t.TempDir(), "stack"), Bin: bin, PostgresURL: pg, RedisURL: redis,
		DBPrefix: "hirfa_console_" + hex.EncodeToString(rb) + "_",
		Env:      append([]string{"HIRFA_SEED_DEMO=true", "HIRFA_LOG_LEVEL=warn"}, env...),
	})
	if err != nil {
		t.Fatalf("start the stack: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, name := range append(append([]string(nil), s.Services...), "gateway") {
				t.Logf("last lines of %s.log:\n%s", name, s.Tail(name, 20))
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if err := s.Down(ctx, true); err != nil {
			t.Errorf("stop the stack: %v", err)
		}
	})
	return s
}

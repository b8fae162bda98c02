package console

import (
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hirfa/hirfa/pkg/auth/devissuer"
)

// TestRegisterLabels: every label the register screens look up (states,
// enum options, actions, fields, tabs, titles) is in the catalogue.
func TestRegisterLabels(t *testing.T) {
	need := func(key string) {
		if _, ok := messages[key]; !ok {
			t.Errorf("no message %q", key)
		}
	}
	for _, k := range registers {
		need("reg." + k.ID)
		need("new." + k.ID)
		need("title.register." + k.ID)
		for _, s := range k.States {
			need(k.ID + ".state." + s)
		}
		for st, as := range k.Actions {
			need(k.ID + ".state." + st)
			for _, a := range as {
				need("action." + a.Verb)
			}
		}
		for _, f := range k.Fields {
			need("field." + f.Name)
			for _, o := range f.Options {
				need(k.ID + "." + f.Name + "." + o)
			}
		}
		for _, f := range append(append([]string{}, k.Columns...), k.Filters...) {
			need("field." + f)
		}
	}
}

func TestMADCentimes(t *testing.T) {
	for in, want := range map[string]string{"1000": "100000", "1 500,5": "150050", "12.34": "1234", "0,07": "7", "1.234": "1.234", "abc": "abc", "-5": "-5"} {
		if got := madCentimes(in); got != want {
			t.Errorf("madCentimes(%q) = %q, want %q", in, got, want)
		}
	}
}

// fakeRegistry answers the console's register calls for one artisan and
// keeps the requests it received.
type fakeRegistry struct {
	mu    sync.Mutex
	calls []string
	patch map[string]any
	mask  string
}

func (f *fakeRegistry) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, r.Method+" "+r.URL.Path+"?"+r.URL.RawQuery)
	art := map[string]any{"name": "chambers/fes-meknes/artisans/a1", "given_name_ar": "فاطمة", "family_name_ar": "الفاسي",
		"given_name_latin": "Fatima", "family_name_latin": "Elfassi", "cnie": "CD123456", "gender": "FEMALE", "birth_date": "1980-02-03",
		"province": "fes", "activity": "F1.B02.A01", "category": "EXPERIENCED", "years_of_practice": 12, "state": "REGISTERED",
		"create_time": "2026-01-10T09:30:00Z", "etag": `"3"`}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/v1/chambers/fes-meknes/artisans":
		_ = json.NewEncoder(w).Encode(map[string]any{"artisans": []any{art}, "next_page_token": "p2"})
	case r.Method == http.MethodGet && r.URL.Path == "/v1/chambers/fes-meknes/artisans/a1":
		_ = json.NewEncoder(w).Encode(art)
	case r.Method == http.MethodPatch && r.URL.Path == "/v1/chambers/fes-meknes/artisans/a1":
		f.mask = r.URL.Query().Get("update_mask")
		b, _ := io.ReadAll(r.Body)
		f.patch = map[string]any{}
		_ = json.Unmarshal(b, &f.patch)
		if f.patch["cnie"] != "CD123457" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"code":3,"message":"بيانات غير صالحة","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest","field_violations":[{"field":"artisan.cnie","description":"رقم البطاقة غير صالح","reason":"CNIE_FORMAT"}]}]}`)
			return
		}
		_ = json.NewEncoder(w).Encode(art)
	default:
		_ = json.NewEncoder(w).Encode(map[string]any{})
	}
}

// signedInConsole is a console over api with a Fès-Meknès clerk signed in:
// it returns the console, the session cookie and the session's CSRF token.
func signedInConsole(t *testing.T, api http.Handler) (*Console, *http.Cookie, string) {
	t.Helper()
	iss, err := devissuer.Load(filepath.Join(t.TempDir(), "dev.pem"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Options{API: HandlerTransport{Handler: api}, APIBase: "http://edge", DemoIssuer: iss})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	c.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/console/signin", nil))
	m := csrfRe.FindStringSubmatch(rec.Body.String())
	r := httptest.NewRequest(http.MethodPost, "/console/signin", strings.NewReader(url.Values{"user": {"chamber-clerk:fes-meknes"}, "csrf": {m[1]}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.AddCookie(rec.Result().Cookies()[0])
	w := httptest.NewRecorder()
	c.ServeHTTP(w, r)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", w.Code)
	}
	cookie := w.Result().Cookies()[0]
	r = httptest.NewRequest(http.MethodGet, "/console/register", nil)
	r.AddCookie(cookie)
	w = httptest.NewRecorder()
	c.ServeHTTP(w, r)
	m = csrfRe.FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Fatalf("no CSRF token on the register page: %d", w.Code)
	}
	return c, cookie, m[1]
}

// TestArtisanSearchAndEdit: the artisans' filters reach the API as an
// AIP-160 filter; the edit form is filled from the record, its PATCH
// carries the etag it was opened with, and the API's field error shows
// beside the field with the input kept.
func TestArtisanSearchAndEdit(t *testing.T) {
	api := &fakeRegistry{}
	c, cookie, csrf := signedInConsole(t, api)
	send := func(method, path string, form url.Values) *httptest.ResponseRecorder {
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		r := httptest.NewRequest(method, path, body)
		if form != nil {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		r.AddCookie(cookie)
		w := httptest.NewRecorder()
		c.ServeHTTP(w, r)
		return w
	}
	w := send(http.MethodGet, "/console/register?kind=artisans&gender=FEMALE&category=MASTER&activity=F1&state=REGISTERED&province=fes&q=fat", nil)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "فاطمة الفاسي") || !strings.Contains(w.Body.String(), `id="next-page"`) {
		t.Fatalf("artisan search: %d", w.Code)
	}
	call := api.calls[len(api.calls)-1]
	for _, want := range []string{`gender = FEMALE`, `category = MASTER`, `activity = "F1"`, `state = REGISTERED`, `province = "fes"`, `display_name:"fat"`} {
		if !strings.Contains(mustUnescape(t, call), want) {
			t.Errorf("API call %s lacks %s", call, want)
		}
	}
	// A filter the register does not have never reaches the API.
	send(http.MethodGet, "/console/register?kind=associations&gender=FEMALE", nil)
	if call := api.calls[len(api.calls)-1]; strings.Contains(call, "gender") {
		t.Errorf("associations searched by gender: %s", call)
	}

	w = send(http.MethodGet, "/console/chambers/fes-meknes/artisans/a1/edit", nil)
	page := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(page, `name="etag" value="&#34;3&#34;"`) || !strings.Contains(page, `value="CD123456"`) {
		t.Fatalf("edit form: %d, etag or values missing", w.Code)
	}
	form := url.Values{"csrf": {csrf}, "etag": {`"3"`}}
	for k, v := range registerByID("artisans").formValues(map[string]any{"given_name_ar": "فاطمة", "family_name_ar": "الفاسي",
		"given_name_latin": "Fatima", "family_name_latin": "Elfassi", "gender": "FEMALE", "birth_date": "1980-02-03",
		"province": "fes", "activity": "F1.B02.A01", "category": "EXPERIENCED", "years_of_practice": float64(12)}) {
		form[k] = v
	}
	form.Set("cnie", "bad")
	w = send(http.MethodPost, "/console/chambers/fes-meknes/artisans/a1/edit", form)
	page = w.Body.String()
	if w.Code != http.StatusBadRequest || !strings.Contains(page, `<span class="msg" id="cnie-msg">رقم البطاقة غير صالح</span>`) ||
		!strings.Contains(page, `value="bad"`) {
		t.Fatalf("refused edit: %d, field error or input missing:\n%s", w.Code, page)
	}
	if api.patch["etag"] != `"3"` || api.patch["name"] != "chambers/fes-meknes/artisans/a1" || api.patch["years_of_practice"] != float64(12) {
		t.Errorf("PATCH body: %v", api.patch)
	}
	// The mask names the form's fields only: never name or etag, which
	// the API refuses to update.
	if want := "given_name_ar,family_name_ar,given_name_latin,family_name_latin,cnie,gender,birth_date,province,activity,category,diploma_reference,years_of_practice,amin_certificate_reference"; api.mask != want {
		t.Errorf("update_mask = %q, want %q", api.mask, want)
	}
	form.Set("cnie", "CD123457")
	w = send(http.MethodPost, "/console/chambers/fes-meknes/artisans/a1/edit", form)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/console/chambers/fes-meknes/artisans/a1?saved=1" {
		t.Fatalf("accepted edit: %d %s", w.Code, w.Header().Get("Location"))
	}
}

func mustUnescape(t *testing.T, s string) string {
	t.Helper()
	u, err := url.QueryUnescape(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestTemplateLabels: every label a template names literally is in the
// catalogue, in both languages.
func TestTemplateLabels(t *testing.T) {
	re := regexp.MustCompile(`\.T "([A-Za-z0-9_.-]+)"`)
	pages, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		b, err := templateFS.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if _, ok := messages[m[1]]; !ok {
				t.Errorf("%s: no message %q", p, m[1])
			}
		}
	}
}

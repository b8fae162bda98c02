package console

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestScreensWithTheAPIUnavailable: with the edge answering a bare 503
// (no healthy upstream), the queue screens keep their tabs and show the
// localized "unavailable" panel instead of an empty list, and a create
// form is drawn again with what was typed, the same panel, and its own
// menu entry highlighted.
func TestScreensWithTheAPIUnavailable(t *testing.T) {
	down := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, "no healthy upstream")
	})
	c, cookie, csrf := signedInConsole(t, down)
	unavailable := messages["unavailable"][0]
	send := func(r *http.Request) (int, string) {
		r.AddCookie(cookie)
		w := httptest.NewRecorder()
		c.ServeHTTP(w, r)
		return w.Code, w.Body.String()
	}
	for _, p := range []struct{ path, tab string }{{"/console/desk", "tab-desk"}, {"/console/desk?overdue=1", "tab-overdue"},
		{"/console/mediation", "tab-mediation"}, {"/console/duplicates", "tab-duplicates"},
		{"/console/nameRequests", "tab-namerequests"}, {"/console/names?name_ar=x", "tab-names"}} {
		code, body := send(httptest.NewRequest(http.MethodGet, p.path, nil))
		if code != http.StatusServiceUnavailable {
			t.Errorf("%s: status %d, want 503", p.path, code)
		}
		if !strings.Contains(body, `id="page-error">`+unavailable+`<`) {
			t.Errorf("%s: no localized unavailable panel", p.path)
		}
		if !strings.Contains(body, `id="`+p.tab+`"`) {
			t.Errorf("%s: the screen's tabs are gone", p.path)
		}
		if strings.Contains(body, `id="empty"`) {
			t.Errorf("%s: an unavailable queue is shown as empty", p.path)
		}
	}

	form := url.Values{"csrf": {csrf}, "kind": {"TRAINING"}, "scope": {"LOCAL"}, "title_ar": {"تكوين في النسيج"},
		"start_date": {"2026-12-10"}, "end_date": {"2026-12-12"}, "province": {"fes"}}
	r := httptest.NewRequest(http.MethodPost, "/console/new/events", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	code, body := send(r)
	if code != http.StatusServiceUnavailable || !strings.Contains(body, `id="record-form"`) {
		t.Fatalf("event form with the API down: status %d, form drawn again: %v", code, strings.Contains(body, `id="record-form"`))
	}
	if !strings.Contains(body, unavailable) || !strings.Contains(body, `value="تكوين في النسيج"`) {
		t.Error("event form with the API down: no unavailable panel, or the input is lost")
	}
	if !strings.Contains(body, `href="/console/fairs" aria-current="page"`) {
		t.Error("event form with the API down: the menu does not highlight Fairs")
	}
}

package console

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// mergeFields are the fields a merge may take from the merged artisan
// (the registry's artisan.MergeableFields), each with the register field
// that shows it.
var mergeFields = []struct{ Take, Show string }{
	{"given_name_ar", "given_name_ar"}, {"family_name_ar", "family_name_ar"},
	{"given_name_latin", "given_name_latin"}, {"family_name_latin", "family_name_latin"},
	{"cnie", "cnie"}, {"gender", "gender"}, {"birth_date", "birth_date"}, {"province", "province"},
	{"activity", "activity"}, {"category", "category"}, {"diploma_reference", "diploma_reference"},
	{"years_of_practice", "years_of_practice"}, {"amin_certificate_reference", "amin_certificate_reference"},
	{"contact", "phone"},
}

func (c *Console) mergeRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /console/duplicates/merge", c.auth(c.mergeForm))
	m.HandleFunc("POST /console/duplicates/merge", c.auth(c.merge))
}

// artisanName checks a form's artisan resource name
// (chambers/{chamber}/artisans/{id}) before it goes into an API path.
func artisanName(v string) (string, bool) {
	p := strings.Split(v, "/")
	if len(p) != 4 || p[0] != "chambers" || p[2] != "artisans" || strings.Contains(v, "..") ||
		!segRe.MatchString(p[1]) || !segRe.MatchString(p[3]) {
		return "", false
	}
	return v, true
}

// mergeForm shows two artisans the registry found alike side by side:
// which record to keep, which of the other's fields to take, and why.
func (c *Console) mergeForm(w http.ResponseWriter, r *http.Request, s *session) {
	q := r.URL.Query()
	c.mergePage(w, r, s, view{Form: url.Values{"a": {q.Get("a")}, "b": {q.Get("b")}, "keep": {"a"}}})
}

func (c *Console) mergePage(w http.ResponseWriter, r *http.Request, s *session, v view) {
	l := c.locale(r)
	a, okA := artisanName(v.Form.Get("a"))
	b, okB := artisanName(v.Form.Get("b"))
	if !okA || !okB {
		c.fail(w, r, s, http.StatusNotFound, l.T("bad.action"))
		return
	}
	ctx, cancel := pageCtx(r)
	defer cancel()
	var ra, rb obj
	for _, x := range []struct {
		name string
		out  *obj
	}{{a, &ra}, {b, &rb}} {
		if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/"+x.name, nil, nil, x.out); err != nil {
			c.failAPI(w, r, s, err)
			return
		}
	}
	k := registerByID("artisans")
	taken := map[string]bool{}
	for _, f := range v.Form["take_fields"] {
		taken[f] = true
	}
	var rows []obj
	for _, f := range mergeFields {
		va, vb := c.show(l, k, f.Show, ra), c.show(l, k, f.Show, rb)
		if va == "" && vb == "" {
			continue
		}
		rows = append(rows, obj{"Take": f.Take, "Label": l.T("field." + f.Show), "A": va, "B": vb, "Differ": va != vb, "Taken": taken[f.Take]})
	}
	v.S, v.Nav = s, "imports"
	v.Title = l.T("title.merge")
	v.Data = obj{"A": ra, "B": rb, "TitleA": k.title(l, ra), "TitleB": k.title(l, rb), "Rows": rows}
	c.render(w, r, "merge", v)
}

// merge merges the duplicate into the kept record and opens the merged
// record, which now names its successor.
func (c *Console) merge(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	a, okA := artisanName(r.PostFormValue("a"))
	b, okB := artisanName(r.PostFormValue("b"))
	if !okA || !okB {
		c.fail(w, r, s, http.StatusNotFound, l.T("bad.action"))
		return
	}
	kept, other, keptEtag, otherEtag := a, b, r.PostFormValue("etag_a"), r.PostFormValue("etag_b")
	if r.PostFormValue("keep") == "b" {
		kept, other, keptEtag, otherEtag = b, a, otherEtag, keptEtag
	}
	// The registry refuses a field it cannot take, naming it.
	take := append([]string{}, r.PostForm["take_fields"]...)
	body := obj{"other": other, "take_fields": take, "reason": strings.TrimSpace(r.PostFormValue("reason")),
		"etag": keptEtag, "other_etag": otherEtag}
	ctx, cancel := pageCtx(r)
	defer cancel()
	if err := c.api.call(ctx, s, l.Lang, http.MethodPost, "/v1/"+kept+":merge", nil, body, nil); err != nil {
		var ae *apiError
		if !errors.As(err, &ae) || ae.HTTPStatus == http.StatusNotFound || ae.HTTPStatus == http.StatusUnauthorized {
			c.failAPI(w, r, s, err)
			return
		}
		c.mergePage(w, r, s, view{Status: ae.HTTPStatus, Err: ae.Message, Fields: ae.Fields(), Form: r.PostForm})
		return
	}
	http.Redirect(w, r, "/console/"+other+"?merged=1", http.StatusSeeOther)
}

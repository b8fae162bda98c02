package console

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
)

// registerRoutes adds screen 1 for each register: search, record page
// with lifecycle actions and audit, create and edit forms.
func (c *Console) registerRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /console/register", c.auth(c.registerSearch))
	for _, k := range registers {
		rec := "/console/chambers/{chamber}/" + k.ID + "/{id}"
		m.HandleFunc("GET /console/register/"+k.ID+"/new", c.auth(c.withRegister(k, c.recordNew)))
		m.HandleFunc("POST /console/register/"+k.ID+"/new", c.auth(c.withRegister(k, c.recordCreate)))
		m.HandleFunc("GET "+rec, c.auth(c.withRegister(k, c.recordPage)))
		m.HandleFunc("POST "+rec+"/actions", c.auth(c.withRegister(k, c.recordAction)))
		m.HandleFunc("GET "+rec+"/edit", c.auth(c.withRegister(k, c.recordEdit)))
		m.HandleFunc("POST "+rec+"/edit", c.auth(c.withRegister(k, c.recordUpdate)))
	}
}

type registerPage func(http.ResponseWriter, *http.Request, *session, *register)

func (c *Console) withRegister(k *register, h registerPage) func(http.ResponseWriter, *http.Request, *session) {
	return func(w http.ResponseWriter, r *http.Request, s *session) { h(w, r, s, k) }
}

// recordName is the API resource name of the record in the console URL.
func recordName(r *http.Request, k *register) string {
	return "chambers/" + pathSeg(r, "chamber") + "/" + k.ID + "/" + pathSeg(r, "id")
}

// registerSearch is screen 1's search over one register: tolerant name
// search (the API folds hamza, ta marbuta and case), the filters the
// register's list accepts, AIP-158 paging.
func (c *Console) registerSearch(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	q := r.URL.Query()
	k := registerByID(q.Get("kind"))
	if k == nil {
		k = registers[0]
	}
	var filter []string
	if t := strings.TrimSpace(q.Get("q")); t != "" {
		filter = append(filter, "display_name:"+quoteFilter(t))
	}
	oneOf := func(v string, vs []string) bool {
		for _, x := range vs {
			if x == v {
				return true
			}
		}
		return false
	}
	if st := q.Get("state"); oneOf(st, k.States) {
		filter = append(filter, "state = "+st)
	}
	if p := q.Get("province"); p != "" && c.terr.HasProvince(p) {
		filter = append(filter, "province = "+quoteFilter(p))
	}
	if a := strings.TrimSpace(q.Get("activity")); a != "" && k.HasFilter("activity") {
		filter = append(filter, "activity = "+quoteFilter(a))
	}
	for _, f := range []string{"category", "gender"} {
		if v := q.Get(f); k.HasFilter(f) && oneOf(v, k.Options(f)) {
			filter = append(filter, f+" = "+v)
		}
	}
	api := url.Values{"page_size": {"20"}}
	if len(filter) > 0 {
		api.Set("filter", strings.Join(filter, " AND "))
	}
	if t := q.Get("page_token"); t != "" {
		api.Set("page_token", t)
	}
	ctx, cancel := pageCtx(r)
	defer cancel()
	var out obj
	v := view{S: s, Nav: "register", Form: q, Title: l.T("title.register." + k.ID)}
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/chambers/"+s.Scope()+"/"+k.ID, api, nil, &out); err != nil {
		var ae *apiError
		if !errors.As(err, &ae) || ae.HTTPStatus == http.StatusUnauthorized {
			c.failAPI(w, r, s, err)
			return
		}
		v.Err, v.Status = ae.Message, ae.HTTPStatus
	}
	next, first := "", ""
	if t, _ := out["next_page_token"].(string); t != "" {
		nq := url.Values{}
		for key, vs := range q {
			nq[key] = vs
		}
		nq.Set("page_token", t)
		next = "/console/register?" + nq.Encode()
	}
	if q.Get("page_token") != "" {
		fq := url.Values{}
		for key, vs := range q {
			fq[key] = vs
		}
		fq.Del("page_token")
		first = "/console/register?" + fq.Encode()
	}
	var rows []obj
	items, _ := out[k.ID].([]any)
	for _, x := range items {
		rec, _ := x.(obj)
		rows = append(rows, obj{"R": rec, "Title": k.title(l, rec)})
	}
	v.Data = obj{"K": k, "Registers": registers, "Rows": rows, "Next": next, "First": first, "Provinces": c.provinces(s)}
	c.render(w, r, "register", v)
}

// provinces lists the provinces the user's chamber covers (all for
// national roles), for the filters and the form.
func (c *Console) provinces(s *session) []obj {
	var out []obj
	for _, p := range c.terr.Provinces {
		if s.Chamber == "" || p.RegionID == s.Chamber {
			out = append(out, obj{"ID": p.ID, "AR": p.Name.AR, "FR": p.Name.FR})
		}
	}
	return out
}

// formView is the create or edit form of a register.
func (c *Console) formView(s *session, k *register, status int, action, etag string, form url.Values, fields map[string]string, msg string) view {
	return view{S: s, Nav: k.nav(), Status: status, Err: msg, Fields: fields, Form: form,
		Data: obj{"K": k, "Action": action, "Etag": etag, "Provinces": c.provinces(s)}}
}

func (c *Console) recordNew(w http.ResponseWriter, r *http.Request, s *session, k *register) {
	l := c.locale(r)
	if !s.CanWrite() {
		c.fail(w, r, s, http.StatusForbidden, l.T("forbidden"))
		return
	}
	v := c.formView(s, k, 0, "/console/register/"+k.ID+"/new", "", url.Values{}, nil, "")
	v.Title = l.T("new." + k.ID)
	c.render(w, r, "recordform", v)
}

// formFailure renders the form again after a refused submission: field
// errors come from the API's BadRequest details, already in the user's
// language, beside their inputs, with the user's input kept. A stale etag
// (409), a refused precondition or the API unavailable (unreachable, or a
// 5xx) keeps the form with the message, so a retry resends what was typed.
func (c *Console) formFailure(w http.ResponseWriter, r *http.Request, s *session, k *register, err error, title, action, etag string) {
	var ae *apiError
	var v view
	switch {
	case !errors.As(err, &ae):
		c.log.Error("console api call", slog.String("path", r.URL.Path), slog.String("error", err.Error()))
		v = c.formView(s, k, http.StatusBadGateway, action, etag, r.PostForm, nil, c.locale(r).T("unavailable"))
	case ae.HTTPStatus == http.StatusBadRequest || ae.HTTPStatus == http.StatusConflict ||
		ae.HTTPStatus == http.StatusPreconditionFailed || ae.HTTPStatus >= http.StatusInternalServerError:
		v = c.formView(s, k, ae.HTTPStatus, action, etag, r.PostForm, k.fieldErrors(ae), ae.text(c.locale(r)))
	default:
		c.failAPI(w, r, s, err)
		return
	}
	v.Title = title
	c.render(w, r, "recordform", v)
}

func (c *Console) recordCreate(w http.ResponseWriter, r *http.Request, s *session, k *register) {
	l := c.locale(r)
	ctx, cancel := pageCtx(r)
	defer cancel()
	var out obj
	if err := c.api.call(ctx, s, l.Lang, http.MethodPost, "/v1/chambers/"+s.Chamber+"/"+k.ID, nil, k.body(r.PostFormValue), &out); err != nil {
		c.formFailure(w, r, s, k, err, l.T("new."+k.ID), "/console/register/"+k.ID+"/new", "")
		return
	}
	name, _ := out["name"].(string)
	http.Redirect(w, r, "/console/"+name+"?created=1", http.StatusSeeOther)
}

func (c *Console) recordEdit(w http.ResponseWriter, r *http.Request, s *session, k *register) {
	l := c.locale(r)
	if !s.CanWrite() {
		c.fail(w, r, s, http.StatusForbidden, l.T("forbidden"))
		return
	}
	name := recordName(r, k)
	ctx, cancel := pageCtx(r)
	defer cancel()
	var rec obj
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/"+name, nil, nil, &rec); err != nil {
		c.failAPI(w, r, s, err)
		return
	}
	etag, _ := rec["etag"].(string)
	v := c.formView(s, k, 0, "/console/"+name+"/edit", etag, k.formValues(rec), nil, "")
	v.Title = l.T("edit") + " — " + k.title(l, rec)
	c.render(w, r, "recordform", v)
}

// recordUpdate sends the form as a PATCH with the etag read when the form
// was opened: a record changed meanwhile answers 409 and nothing is
// overwritten.
func (c *Console) recordUpdate(w http.ResponseWriter, r *http.Request, s *session, k *register) {
	l := c.locale(r)
	name := recordName(r, k)
	body := k.body(r.PostFormValue)
	body["name"] = name
	etag := r.PostFormValue("etag")
	body["etag"] = etag
	ctx, cancel := pageCtx(r)
	defer cancel()
	if err := c.api.call(ctx, s, l.Lang, http.MethodPatch, "/v1/"+name, url.Values{"update_mask": {k.mask()}}, body, nil); err != nil {
		c.formFailure(w, r, s, k, err, l.T("edit"), "/console/"+name+"/edit", etag)
		return
	}
	http.Redirect(w, r, "/console/"+name+"?saved=1", http.StatusSeeOther)
}

func (c *Console) recordPage(w http.ResponseWriter, r *http.Request, s *session, k *register) {
	c.recordPageWith(w, r, s, k, view{})
}

// recordPageWith shows a record: its fields, state, lifecycle actions the
// user's role may ask for in that state (the API decides), and the audit
// trail for roles that read it.
func (c *Console) recordPageWith(w http.ResponseWriter, r *http.Request, s *session, k *register, v view) {
	l := c.locale(r)
	name := recordName(r, k)
	ctx, cancel := pageCtx(r)
	defer cancel()
	var rec obj
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/"+name, nil, nil, &rec); err != nil {
		c.failAPI(w, r, s, err)
		return
	}
	var audit obj
	if s.CanAudit() {
		q := url.Values{"filter": {"resource = " + quoteFilter(name)}, "page_size": {"50"}}
		if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/chambers/"+pathSeg(r, "chamber")+"/auditRecords", q, nil, &audit); err != nil {
			var ae *apiError
			if !errors.As(err, &ae) {
				c.failAPI(w, r, s, err)
				return
			}
			v.Err = ae.Message
		}
	}
	state, _ := rec["state"].(string)
	var actions []regAction
	if s.CanWrite() {
		actions = k.Actions[state]
	}
	q := r.URL.Query()
	switch {
	case q.Get("created") != "":
		v.Flash = l.T("record.created")
	case q.Get("saved") != "":
		v.Flash = l.T("record.saved")
	case q.Get("done") != "":
		v.Flash = l.T("done")
	case q.Get("merged") != "":
		v.Flash = l.T("merge.done")
	}
	v.S, v.Nav, v.Title = s, "register", k.title(l, rec)
	v.Data = obj{"K": k, "C": rec, "Actions": actions, "Audit": audit["audit_records"], "CanAudit": s.CanAudit(),
		"CanWrite": s.CanWrite()}
	// A merged record's name answers with the record it was merged into.
	if got, _ := rec["name"].(string); got != "" && got != name {
		v.Data.(obj)["Successor"] = got
	}
	c.render(w, r, "record", v)
}

// recordAction asks the API for a lifecycle action; a refusal (a missing
// reason, a state that does not allow it) shows on the record page.
func (c *Console) recordAction(w http.ResponseWriter, r *http.Request, s *session, k *register) {
	l := c.locale(r)
	name := recordName(r, k)
	a, ok := k.action(r.PostFormValue("action"))
	if !ok {
		c.fail(w, r, s, http.StatusBadRequest, l.T("bad.action"))
		return
	}
	ctx, cancel := pageCtx(r)
	defer cancel()
	body := obj{}
	if etag := r.PostFormValue("etag"); etag != "" {
		body["etag"] = etag
	}
	if a.Reason {
		body["reason"] = strings.TrimSpace(r.PostFormValue("reason"))
	}
	if err := c.api.call(ctx, s, l.Lang, http.MethodPost, "/v1/"+name+":"+a.Verb, nil, body, nil); err != nil {
		var ae *apiError
		if !errors.As(err, &ae) || ae.HTTPStatus == http.StatusNotFound || ae.HTTPStatus == http.StatusUnauthorized ||
			ae.HTTPStatus == http.StatusForbidden {
			c.failAPI(w, r, s, err)
			return
		}
		msg := ae.Message
		for _, m := range ae.Fields() {
			msg += " — " + m
		}
		c.recordPageWith(w, r, s, k, view{Status: ae.HTTPStatus, Err: msg})
		return
	}
	http.Redirect(w, r, "/console/"+name+"?done=1", http.StatusSeeOther)
}

package console

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// nameRequestStates are the states the name request list filters on.
var nameRequestStates = []string{"PENDING", "APPROVED", "REJECTED", "WITHDRAWN", "CONSUMED"}

func (c *Console) nameRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /console/nameRequests", c.auth(c.nameRequests))
	m.HandleFunc("POST /console/chambers/{chamber}/nameRequests/{id}/{op}", c.auth(c.nameRequestDecide))
	m.HandleFunc("GET /console/chambers/{chamber}/nameRequests/{id}/certificate", c.auth(c.nameCertificate))
}

// nameRequests lists name requests: by default the pending queue, which
// ODCO's officer decides; a chamber's staff follow their own chamber's.
func (c *Console) nameRequests(w http.ResponseWriter, r *http.Request, s *session) {
	c.nameRequestsWith(w, r, s, view{})
}

func (c *Console) nameRequestsWith(w http.ResponseWriter, r *http.Request, s *session, v view) {
	l := c.locale(r)
	in := r.URL.Query()
	state := in.Get("state") // "" is every state
	if !in.Has("state") {
		state = "PENDING"
	}
	q := url.Values{"page_size": {"50"}}
	for _, st := range nameRequestStates {
		if st == state {
			q.Set("filter", "state = "+st)
		}
	}
	overdue := in.Get("overdue") != ""
	if overdue {
		q.Set("overdue", "true")
	}
	if t := in.Get("page_token"); t != "" {
		q.Set("page_token", t)
	}
	ctx, cancel := pageCtx(r)
	defer cancel()
	var out obj
	v.S, v.Nav = s, "imports"
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/chambers/"+s.Scope()+"/nameRequests", q, nil, &out); err != nil {
		// A refused decision's message and fields stay before the list's.
		list := view{}
		if !c.screenError(w, r, s, err, &list) {
			return
		}
		if v.Err == "" {
			v.Err, v.Status = list.Err, list.Status
		}
	}
	next := ""
	if t, _ := out["next_page_token"].(string); t != "" {
		nq := url.Values{"state": {state}, "page_token": {t}}
		if overdue {
			nq.Set("overdue", "1")
		}
		next = "/console/nameRequests?" + nq.Encode()
	}
	if d := in.Get("done"); d == "approve" || d == "reject" {
		v.Flash = l.T("namereq.done." + d)
	}
	v.Data = obj{"Items": out["name_requests"], "Next": next, "State": state, "States": nameRequestStates,
		"Overdue": overdue, "Decide": s.Role == "odco-officer"}
	c.render(w, r, "namerequests", v)
}

// nameRequestDecide approves (one of the proposed names) or rejects (with
// a reason) a pending request; the registry allows it to ODCO's officer.
func (c *Console) nameRequestDecide(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	name := "chambers/" + pathSeg(r, "chamber") + "/nameRequests/" + pathSeg(r, "id")
	body := obj{"etag": r.PostFormValue("etag")}
	op := r.PathValue("op")
	switch op {
	case "approve":
		n, err := strconv.Atoi(r.PostFormValue("approved_name"))
		if err != nil {
			n = 0 // the registry names the field and the rule
		}
		body["approved_name"] = n
	case "reject":
		body["reason"] = strings.TrimSpace(r.PostFormValue("reason"))
	default:
		c.fail(w, r, s, http.StatusNotFound, l.T("bad.action"))
		return
	}
	ctx, cancel := pageCtx(r)
	defer cancel()
	if err := c.api.call(ctx, s, l.Lang, http.MethodPost, "/v1/"+name+":"+op, nil, body, nil); err != nil {
		var ae *apiError
		if !errors.As(err, &ae) || ae.HTTPStatus == http.StatusNotFound || ae.HTTPStatus == http.StatusUnauthorized {
			c.failAPI(w, r, s, err)
			return
		}
		// The list again, the message beside the field of the row posted.
		form := url.Values{"request": {name}}
		for k, vs := range r.PostForm {
			form[k] = vs
		}
		c.nameRequestsWith(w, r, s, view{Status: ae.HTTPStatus, Err: ae.Message, Fields: ae.Fields(), Form: form})
		return
	}
	http.Redirect(w, r, "/console/nameRequests?done="+op, http.StatusSeeOther)
}

// nameCertificate downloads ODCO's certificate of an approved name.
func (c *Console) nameCertificate(w http.ResponseWriter, r *http.Request, s *session) {
	name := "chambers/" + pathSeg(r, "chamber") + "/nameRequests/" + pathSeg(r, "id")
	c.download(w, r, s, c.locale(r).Lang, "/v1/"+name+":downloadCertificate", nil)
}

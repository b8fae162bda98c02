package console

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Screens 6 and 7 over the APIs the registry and the desk serve today:
// register imports (upload, live progress, the per-row report), the
// duplicates review queue, the cooperative name check, the desk's
// requests queue with the overdue ones, and mediation cases for the roles
// the desk lets see them.

func (c *Console) workRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /console/imports", c.auth(c.importForm))
	m.HandleFunc("POST /console/imports", c.auth(c.importUpload))
	m.HandleFunc("GET /console/chambers/{chamber}/importOperations/{id}", c.auth(c.importPage))
	m.HandleFunc("GET /console/chambers/{chamber}/importOperations/{id}/report", c.auth(c.importReport))
	m.HandleFunc("GET /console/duplicates", c.auth(c.duplicates))
	m.HandleFunc("GET /console/names", c.auth(c.nameCheck))
	m.HandleFunc("GET /console/desk", c.auth(c.deskQueue))
	m.HandleFunc("GET /console/mediation", c.auth(c.mediation))
}

// maxImport is the API's limit on an uploaded register file.
const maxImport = 32 << 20

// importKinds are the registers an import takes, in the form's order.
var importKinds = []string{"artisans", "cooperatives", "associations", "enterprises"}

func (c *Console) importForm(w http.ResponseWriter, r *http.Request, s *session) {
	if !s.CanWrite() {
		c.fail(w, r, s, http.StatusForbidden, c.locale(r).T("forbidden"))
		return
	}
	c.renderImports(w, r, s, view{S: s, Nav: "imports", Form: url.Values{}})
}

// renderImports renders the imports screen: the upload form (v carries
// what a refused upload gave) and below it the chamber's imports, newest
// first, a page at a time.
func (c *Console) renderImports(w http.ResponseWriter, r *http.Request, s *session, v view) {
	l := c.locale(r)
	ctx, cancel := pageCtx(r)
	defer cancel()
	q := url.Values{"page_size": {"20"}}
	if t := r.URL.Query().Get("page_token"); t != "" {
		q.Set("page_token", t)
	}
	var out obj
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/chambers/"+s.Scope()+"/importOperations", q, nil, &out); err != nil {
		var ae *apiError
		if !errors.As(err, &ae) || ae.HTTPStatus == http.StatusUnauthorized {
			c.failAPI(w, r, s, err)
			return
		}
		if v.Err == "" {
			v.Err, v.Status = ae.Message, ae.HTTPStatus
		}
	}
	next := ""
	if t, _ := out["next_page_token"].(string); t != "" {
		next = "/console/imports?" + url.Values{"page_token": {t}}.Encode()
	}
	v.Data = obj{"Kinds": importKinds, "History": out["import_operations"], "Next": next}
	c.render(w, r, "imports", v)
}

// importUpload sends the chosen file to the registry as an import
// operation and opens its progress page.
func (c *Console) importUpload(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		c.renderImports(w, r, s, view{S: s, Nav: "imports", Status: http.StatusBadRequest, Form: r.PostForm,
			Fields: map[string]string{"file": l.T("import.nofile")}})
		return
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxImport+1))
	if err != nil || len(b) > maxImport {
		c.renderImports(w, r, s, view{S: s, Nav: "imports", Status: http.StatusBadRequest, Form: r.PostForm,
			Fields: map[string]string{"file": l.T("import.toolarge")}})
		return
	}
	enc := r.PostFormValue("encoding")
	if enc != "windows-1256" {
		enc = "utf-8"
	}
	// protojson carries bytes as base64; encoding/json does the same for []byte.
	// The registry refuses a kind it does not take, naming the field.
	kind := r.PostFormValue("kind")
	if kind == "" {
		kind = importKinds[0]
	}
	body := obj{"kind": kind, "encoding": enc, "validate_only": r.PostFormValue("validate_only") == "on", "file": b, "file_name": hdr.Filename}
	ctx, cancel := pageCtx(r)
	defer cancel()
	var op obj
	if err := c.api.call(ctx, s, l.Lang, http.MethodPost, "/v1/chambers/"+s.Chamber+"/importOperations", nil, body, &op); err != nil {
		var ae *apiError
		if !errors.As(err, &ae) || ae.HTTPStatus == http.StatusUnauthorized || ae.HTTPStatus == http.StatusNotFound {
			c.failAPI(w, r, s, err)
			return
		}
		c.renderImports(w, r, s, view{S: s, Nav: "imports", Status: ae.HTTPStatus, Err: ae.Message, Form: r.PostForm,
			Fields: ae.Fields()})
		return
	}
	name, _ := op["name"].(string)
	http.Redirect(w, r, "/console/"+name, http.StatusSeeOther)
}

// importPage shows an operation's progress; while it runs the console's
// script refreshes the progress region in place (without the script, a
// reload does the same).
func (c *Console) importPage(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	name := "chambers/" + pathSeg(r, "chamber") + "/importOperations/" + pathSeg(r, "id")
	ctx, cancel := pageCtx(r)
	defer cancel()
	var op obj
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/"+name, nil, nil, &op); err != nil {
		c.failAPI(w, r, s, err)
		return
	}
	var problems []obj
	pl, _ := op["problems"].([]any)
	for _, x := range pl {
		p := x.(obj)
		msg := p["message_ar"]
		if l.Lang == langFR {
			msg = p["message_fr"]
		}
		problems = append(problems, obj{"Row": p["row"], "Column": p["column"], "Message": msg})
	}
	c.render(w, r, "import", view{S: s, Nav: "imports", Data: obj{"Op": op, "Problems": problems, "Running": op["state"] == "RUNNING"}})
}

func (c *Console) importReport(w http.ResponseWriter, r *http.Request, s *session) {
	name := "chambers/" + pathSeg(r, "chamber") + "/importOperations/" + pathSeg(r, "id")
	c.download(w, r, s, c.locale(r).Lang, "/v1/"+name+":downloadReport", nil)
}

// duplicates is the review queue of artisans the registry found alike.
func (c *Console) duplicates(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	ctx, cancel := pageCtx(r)
	defer cancel()
	q := url.Values{"page_size": {"50"}}
	if t := r.URL.Query().Get("page_token"); t != "" {
		q.Set("page_token", t)
	}
	var out obj
	v := view{S: s, Nav: "imports"}
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/chambers/"+s.Scope()+"/duplicateCandidates", q, nil, &out); err != nil &&
		!c.screenError(w, r, s, err, &v) {
		return
	}
	next := ""
	if t, _ := out["next_page_token"].(string); t != "" {
		next = "/console/duplicates?" + url.Values{"page_token": {t}}.Encode()
	}
	v.Data = obj{"Items": out["duplicate_candidates"], "Next": next}
	c.render(w, r, "duplicates", v)
}

// nameCheck asks the registry whether a proposed cooperative name is free.
func (c *Console) nameCheck(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	q := r.URL.Query()
	v := view{S: s, Nav: "imports", Form: q}
	ar, fr := strings.TrimSpace(q.Get("name_ar")), strings.TrimSpace(q.Get("name_fr"))
	if ar != "" || fr != "" {
		ctx, cancel := pageCtx(r)
		defer cancel()
		var out obj
		if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/cooperativeNames:check", url.Values{"name_ar": {ar}, "name_fr": {fr}}, nil, &out); err != nil {
			if !c.screenError(w, r, s, err, &v) {
				return
			}
		} else {
			v.Data = obj{"Result": out, "Checked": true}
		}
	}
	c.render(w, r, "names", v)
}

// deskQueue is the requests desk's queue, all of it or only the overdue.
func (c *Console) deskQueue(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	overdue := r.URL.Query().Get("overdue") != ""
	q := url.Values{"page_size": {"100"}}
	if overdue {
		q.Set("overdue", "true")
	}
	ctx, cancel := pageCtx(r)
	defer cancel()
	var out obj
	// The queue's tabs and its create button stay when the desk fails.
	v := view{S: s, Nav: "desk", Flash: createdFlash(r, l)}
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/chambers/"+s.Scope()+"/serviceRequests", q, nil, &out); err != nil &&
		!c.screenError(w, r, s, err, &v) {
		return
	}
	now := time.Now()
	var rows []obj
	list, _ := out["service_requests"].([]any)
	for _, x := range list {
		sr := x.(obj)
		late := false
		if d, ok := sr["deadline_time"].(string); ok {
			t, err := time.Parse(time.RFC3339Nano, d)
			st, _ := sr["state"].(string)
			late = err == nil && t.Before(now) && (st == "RECEIVED" || st == "IN_STUDY")
		}
		rows = append(rows, obj{"R": sr, "Overdue": late})
	}
	v.Data = obj{"Rows": rows, "Overdue": overdue, "Mediation": s.CanMediate(), "CanCreate": createForms["serviceRequests"].Allowed(s)}
	c.render(w, r, "desk", v)
}

// mediation lists the chamber's mediation cases; the desk answers only
// the roles its policy allows, and the menu offers it only to them.
func (c *Console) mediation(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	ctx, cancel := pageCtx(r)
	defer cancel()
	var out obj
	v := view{S: s, Nav: "desk", Flash: createdFlash(r, l)}
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/chambers/"+s.Scope()+"/mediationCases", url.Values{"page_size": {"100"}}, nil, &out); err != nil &&
		!c.screenError(w, r, s, err, &v) {
		return
	}
	v.Data = obj{"Items": out["mediation_cases"], "Mediation": true, "CanCreate": createForms["mediationCases"].Allowed(s)}
	c.render(w, r, "mediation", v)
}

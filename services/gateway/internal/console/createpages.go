package console

import (
	"net/http"
	"net/url"
	"sort"

	"github.com/hirfa/hirfa/pkg/auth"
)

// createForm is a create form outside the registers — an event, a desk
// request, a mediation case — described as data like a register's form
// (fields, JSON paths, field errors) and drawn by the same template.
type createForm struct {
	K       *register                   // ID is the API collection under chambers/{chamber}
	Allowed func(s *session) bool       // who is offered the form (the API decides)
	Prefill func(s *session) url.Values // the new form's first values
	Done    func(name string) string    // where the console goes after creating
	// Shape, when set, turns the body built from the field paths into the
	// API's (e.g. numbered keys into a list).
	Shape func(body map[string]any)
}

var createForms = map[string]*createForm{
	"events": {
		K: &register{ID: "events", Singular: "event", Nav: "fairs", Fields: []regField{
			{Name: "kind", Path: "kind", Type: inEnum, Labels: "kind.", Options: []string{"FAIR", "EXHIBITION", "SEMINAR", "TRAINING", "AWARENESS_SESSION", "MEETING", "CELEBRATION"}},
			{Name: "scope", Path: "scope", Type: inEnum, Labels: "scope.", Options: []string{"LOCAL", "PROVINCIAL", "REGIONAL", "NATIONAL", "INTERNATIONAL"}},
			{Name: "title_ar", Path: "title.ar", Lang: langAR},
			{Name: "title_fr", Path: "title.fr", Lang: langFR},
			{Name: "start_date", Path: "start_date", Type: inDate},
			{Name: "end_date", Path: "end_date", Type: inDate},
			{Name: "province", Path: "venue.province", Type: inProvince},
			{Name: "city", Path: "venue.city"},
			{Name: "capacity", Path: "capacity", Type: inInt},
		}},
		Allowed: (*session).CanWrite,
		Done:    func(name string) string { return "/console/" + name + "?done=created" },
	},
	"serviceRequests": {
		K: &register{ID: "serviceRequests", Singular: "service_request", Nav: "desk", Fields: []regField{
			{Name: "type", Path: "type", Type: inEnum, Labels: "srtype.", Options: []string{"SUPPORT", "GUIDANCE", "LABEL", "ATTESTATION", "COMPLAINT", "INFORMATION", "OTHER"}},
			{Name: "channel", Path: "channel", Type: inEnum, Labels: "srchannel.", Options: []string{"IN_PERSON", "PHONE", "EMAIL", "MAIL", "WEB"}},
			{Name: "subject", Path: "subject", Type: inTextarea},
			{Name: "walk_in_name", Path: "walk_in_name"},
			{Name: "requester", Path: "requester", Lang: langFR},
		}},
		Allowed: (*session).CanWrite,
		Done:    func(string) string { return "/console/desk?done=created" },
	},
	"mediationCases": {
		K: &register{ID: "mediationCases", Singular: "mediation_case", Nav: "desk", Fields: []regField{
			{Name: "subject", Path: "subject", Type: inTextarea},
			{Name: "mediator", Path: "mediator", Lang: langFR},
			{Name: "party_1", Path: "parties.1.display_name"},
			{Name: "party_2", Path: "parties.2.display_name"},
		}},
		// The desk lets a chamber's admins open cases (and name the mediator).
		Allowed: func(s *session) bool { return s.Role == string(auth.RoleChamberAdmin) },
		Prefill: func(s *session) url.Values { return url.Values{"mediator": {s.Subject}} },
		Done:    func(string) string { return "/console/mediation?done=created" },
		Shape: func(body map[string]any) {
			// parties.N.display_name → the API's list of parties, in order.
			m, _ := body["parties"].(map[string]any)
			keys := make([]string, 0, len(m))
			for k := range m {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			parties := []any{}
			for _, k := range keys {
				parties = append(parties, m[k])
			}
			body["parties"] = parties
		},
	},
}

func (c *Console) createRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /console/new/{form}", c.auth(c.createFormPage))
	m.HandleFunc("POST /console/new/{form}", c.auth(c.create))
}

// formFor finds the form and checks the user is offered it.
func (c *Console) formFor(w http.ResponseWriter, r *http.Request, s *session) (*createForm, bool) {
	l := c.locale(r)
	f, ok := createForms[r.PathValue("form")]
	if !ok {
		c.fail(w, r, s, http.StatusNotFound, l.T("bad.action"))
		return nil, false
	}
	if !f.Allowed(s) {
		c.fail(w, r, s, http.StatusForbidden, l.T("forbidden"))
		return nil, false
	}
	return f, true
}

func (c *Console) createFormPage(w http.ResponseWriter, r *http.Request, s *session) {
	f, ok := c.formFor(w, r, s)
	if !ok {
		return
	}
	form := url.Values{}
	if f.Prefill != nil {
		form = f.Prefill(s)
	}
	v := c.formView(s, f.K, 0, "/console/new/"+f.K.ID, "", form, nil, "")
	v.Title = c.locale(r).T("new." + f.K.ID)
	c.render(w, r, "recordform", v)
}

func (c *Console) create(w http.ResponseWriter, r *http.Request, s *session) {
	f, ok := c.formFor(w, r, s)
	if !ok {
		return
	}
	l := c.locale(r)
	body := f.K.body(r.PostFormValue)
	if f.Shape != nil {
		f.Shape(body)
	}
	ctx, cancel := pageCtx(r)
	defer cancel()
	var out obj
	if err := c.api.call(ctx, s, l.Lang, http.MethodPost, "/v1/chambers/"+s.Chamber+"/"+f.K.ID, nil, body, &out); err != nil {
		c.formFailure(w, r, s, f.K, err, l.T("new."+f.K.ID), "/console/new/"+f.K.ID, "")
		return
	}
	name, _ := out["name"].(string)
	http.Redirect(w, r, f.Done(name), http.StatusSeeOther)
}

// createdFlash confirms a creation the list page was sent back to show.
func createdFlash(r *http.Request, l locale) string {
	if r.URL.Query().Get("done") == "created" {
		return l.T("record.created")
	}
	return ""
}

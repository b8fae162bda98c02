package console

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Screen 2: an event's page. A fair shows its booths, quotas (with the
// accepted exhibitors counted against each rule), exhibitor applications
// (the registry check's outcome is the API's answer to the application),
// visitors, sales and the evaluation; a training or any other event shows
// its registrations, wait list and check-in. Every change is one form
// posted to eventPost, which makes one API call.

// eventVerbs are the lifecycle actions offered in each event state.
var eventVerbs = map[string][]string{
	"PLANNED":               {"openApplications", "start"},
	"OPEN_FOR_APPLICATIONS": {"closeApplications"},
	"APPLICATIONS_CLOSED":   {"start"},
	"RUNNING":               {"end"},
	"ENDED":                 {"evaluate"},
}

// exhibitorVerbs are the actions on an application in each of its states.
var exhibitorVerbs = map[string][]regAction{
	"APPLIED":    {{Verb: "accept"}, {Verb: "waitlist"}, {Verb: "reject", Reason: true}},
	"WAITLISTED": {{Verb: "accept"}, {Verb: "reject", Reason: true}},
	"ACCEPTED":   {{Verb: "withdraw", Reason: true}},
}

func isFair(ev obj) bool { return ev["kind"] == "FAIR" || ev["kind"] == "EXHIBITION" }

func (c *Console) fairPage(w http.ResponseWriter, r *http.Request, s *session) {
	c.fairPageWith(w, r, s, view{})
}

func (c *Console) fairPageWith(w http.ResponseWriter, r *http.Request, s *session, v view) {
	l := c.locale(r)
	name := "chambers/" + pathSeg(r, "chamber") + "/events/" + pathSeg(r, "id")
	ctx, cancel := pageCtx(r)
	defer cancel()
	var ev obj
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/"+name, nil, nil, &ev); err != nil {
		c.failAPI(w, r, s, err)
		return
	}
	page := url.Values{"page_size": {"500"}}
	get := func(path string, q url.Values, out *obj) bool {
		if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/"+path, q, nil, out); err != nil {
			c.failAPI(w, r, s, err)
			return false
		}
		return true
	}
	state, _ := ev["state"].(string)
	data := obj{"E": ev, "CanWrite": s.CanWrite(), "Fair": isFair(ev), "Verbs": eventVerbs[state]}
	if !s.CanWrite() {
		data["Verbs"] = nil
	}
	if isFair(ev) {
		var counts, booths, exhibitors, eval obj
		if !get(name+"/visitorCounts", page, &counts) || !get(name+"/booths", page, &booths) || !get(name+"/exhibitors", page, &exhibitors) {
			return
		}
		var total int64
		list, _ := counts["visitor_counts"].([]any)
		for _, it := range list {
			n, _ := toInt(it.(obj)["visitors"])
			total += n
		}
		data["Counts"], data["Total"] = list, total
		applicants, names := c.applicants(r, s, l)
		c.fairData(data, ev, booths, exhibitors, names)
		// The evaluation: frozen figures once evaluated, the running
		// figures before (the API says which).
		if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/"+name+"/evaluation", nil, nil, &eval); err == nil {
			data["Eval"] = eval
		}
		if s.CanWrite() && state == "OPEN_FOR_APPLICATIONS" {
			data["Applicants"] = applicants
		}
		data["Sales"] = state == "RUNNING" || state == "ENDED"
	} else {
		var regs, att obj
		if !get(name+"/registrations", page, &regs) || !get(name+"/attendance", nil, &att) {
			return
		}
		data["Registrations"], data["Attendance"] = regs["registrations"], att
	}
	v.S, v.Nav, v.Title = s, "fairs", l.L(ev["title"])
	if v.Form == nil {
		v.Form = url.Values{"date": {time.Now().Format("2006-01-02")}}
	}
	switch r.URL.Query().Get("done") {
	case "":
	case "visitors":
		v.Flash = l.T("fair.recorded")
	default:
		v.Flash = l.T("done")
	}
	v.Data = data
	c.render(w, r, "fair", v)
}

// fairData counts the accepted exhibitors against each quota rule and
// lists the booths still free for allocation.
func (c *Console) fairData(data, ev, booths, exhibitors obj, names map[string]string) {
	bl, _ := booths["booths"].([]any)
	xl, _ := exhibitors["exhibitors"].([]any)
	held := map[string]string{}
	var accepted []obj
	for _, x := range xl {
		e := x.(obj)
		// The registry tells the events service no artisan's name; the
		// clerk's own register does, for the chamber's artisans.
		if n, ok := names[str(e["applicant"])]; ok && e["display_name"] == e["applicant"] {
			e["display_name"] = n
		}
		if b, _ := e["booth"].(string); b != "" {
			held[b], _ = e["display_name"].(string)
		}
		if e["state"] == "ACCEPTED" {
			accepted = append(accepted, e)
		}
	}
	var free []obj
	var rows []obj
	for _, x := range bl {
		b := x.(obj)
		n, _ := b["name"].(string)
		rows = append(rows, obj{"B": b, "Holder": held[n]})
		if _, ok := held[n]; !ok {
			free = append(free, b)
		}
	}
	flag := map[string]string{"WOMEN": "women", "RURAL": "rural", "OUTSIDE_REGION": "outside_region"}
	var quotas []obj
	fair, _ := ev["fair"].(obj)
	ql, _ := fair["quotas"].([]any)
	for _, x := range ql {
		q := x.(obj)
		crit, _ := q["criterion"].(string)
		used := 0
		for _, e := range accepted {
			if e[flag[crit]] == true {
				used++
			}
		}
		quotas = append(quotas, obj{"Q": q, "Used": used})
	}
	var xs []obj
	for _, x := range xl {
		e := x.(obj)
		st, _ := e["state"].(string)
		xs = append(xs, obj{"X": e, "ID": lastSegment(e["name"]), "Verbs": exhibitorVerbs[st]})
	}
	data["Booths"], data["FreeBooths"], data["Quotas"], data["Exhibitors"], data["Accepted"] = rows, free, quotas, xs, len(accepted)
}

func lastSegment(v any) string {
	s, _ := v.(string)
	return s[strings.LastIndex(s, "/")+1:]
}

// applicants offers the chamber's artisans and cooperatives for an
// application, with their register state (the API's registry check
// decides, and a refusal names why), and their names by resource name.
func (c *Console) applicants(r *http.Request, s *session, l locale) ([]obj, map[string]string) {
	names := map[string]string{}
	if s.Chamber == "" {
		return nil, names
	}
	ctx, cancel := pageCtx(r)
	defer cancel()
	var out []obj
	for _, id := range []string{"artisans", "cooperatives"} {
		k := registerByID(id)
		var list obj
		if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/chambers/"+s.Chamber+"/"+id, url.Values{"page_size": {"500"}}, nil, &list); err != nil {
			continue // the form still takes the others
		}
		items, _ := list[id].([]any)
		for _, x := range items {
			rec := x.(obj)
			st, _ := rec["state"].(string)
			out = append(out, obj{"Name": rec["name"], "Label": k.title(l, rec) + " — " + l.T(id+".state."+st)})
			names[str(rec["name"])] = k.title(l, rec)
		}
	}
	return out, names
}

func str(v any) string { s, _ := v.(string); return s }

// eventFields maps the API's field names to the fair page's inputs.
var eventFields = map[string]string{"fee_centimes": "fee", "sales_centimes": "sales", "display_name": "participant_name"}

// eventPost performs one change on an event and returns to its page; a
// refusal shows the API's message, and field errors beside their inputs.
func (c *Console) eventPost(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	name := "chambers/" + pathSeg(r, "chamber") + "/events/" + pathSeg(r, "id")
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	child := func(k string) string { // an id from the form, as a path segment
		v := f(k)
		if !segRe.MatchString(v) || strings.Contains(v, "..") {
			return "-invalid-"
		}
		return v
	}
	op := r.PathValue("op")
	var path string
	body := obj{}
	switch op {
	case "visitors":
		path = name + "/visitorCounts"
		body["date"] = f("date")
		if n, err := strconv.ParseInt(f("visitors"), 10, 64); err == nil {
			body["visitors"] = strconv.FormatInt(n, 10)
		}
	case "booths":
		path = name + "/booths"
		body["number"], body["zone"] = f("number"), f("zone")
		if a, err := strconv.ParseFloat(strings.ReplaceAll(f("area_m2"), ",", "."), 64); err == nil {
			body["area_m2"] = a
		}
		if fee := f("fee"); fee != "" {
			body["fee_centimes"] = madCentimes(fee)
		}
	case "exhibitors":
		path = name + "/exhibitors"
		body["applicant"], body["products"], body["rural"] = f("applicant"), f("products"), f("rural") == "on"
	case "exhibitor":
		x := name + "/exhibitors/" + child("exhibitor")
		verb := f("action")
		switch verb {
		case "accept", "waitlist":
		case "reject", "withdraw":
			body["reason"] = f("reason")
		case "allocateBooth":
			body["booth"] = name + "/booths/" + child("booth")
		case "declareSales":
			if sales := f("sales"); sales != "" {
				body["sales_centimes"] = madCentimes(sales)
			}
		default:
			c.fail(w, r, s, http.StatusBadRequest, l.T("bad.action"))
			return
		}
		path = x + ":" + verb
	case "registrations":
		path = name + "/registrations"
		body["display_name"] = f("participant_name")
		if p := f("phone"); p != "" {
			body["contact"] = obj{"phone": p}
		}
	case "cancel":
		path = name + "/registrations/" + child("registration") + ":cancel"
	case "checkin":
		path = name + "/registrations:checkIn"
		body["code"] = f("code")
	case "lifecycle":
		verb := f("action")
		ok := false
		for _, vs := range eventVerbs {
			for _, x := range vs {
				ok = ok || x == verb
			}
		}
		if !ok {
			c.fail(w, r, s, http.StatusBadRequest, l.T("bad.action"))
			return
		}
		path = name + ":" + verb
	default:
		c.fail(w, r, s, http.StatusNotFound, l.T("bad.action"))
		return
	}
	ctx, cancel := pageCtx(r)
	defer cancel()
	if err := c.api.call(ctx, s, l.Lang, http.MethodPost, "/v1/"+path, nil, body, nil); err != nil {
		var ae *apiError
		if !errors.As(err, &ae) || ae.HTTPStatus == http.StatusNotFound || ae.HTTPStatus == http.StatusUnauthorized {
			c.failAPI(w, r, s, err)
			return
		}
		fields := ae.Fields()
		for api, in := range eventFields {
			if m, ok := fields[api]; ok {
				fields[in] = m
			}
		}
		c.fairPageWith(w, r, s, view{Status: ae.HTTPStatus, Err: ae.Message, Fields: fields, Form: r.PostForm})
		return
	}
	http.Redirect(w, r, "/console/"+name+"?done="+op, http.StatusSeeOther)
}

package console

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

type obj = map[string]any

var segRe = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$`)

// pathSeg is a path segment of the console's URL as it goes into an API
// path: a resource id or chamber, never a separator, query or "..", so a
// crafted console URL cannot aim the user's token at another API route.
// An unfit segment becomes "-invalid-", which the API answers 404 for.
func pathSeg(r *http.Request, key string) string {
	v := r.PathValue(key)
	if !segRe.MatchString(v) || strings.Contains(v, "..") {
		return "-invalid-"
	}
	return v
}

// quoteFilter quotes a user's text as an AIP-160 string literal.
func quoteFilter(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

var cooperativeStates = []string{"FORMING", "REGISTERED", "ACTIVE", "DORMANT", "DISSOLVED", "IN_LIQUIDATION"}

// registerSearch is screen 1's search: tolerant name search (the API folds
// hamza, ta marbuta and case), state and province filters, AIP-158 paging.
func (c *Console) registerSearch(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	q := r.URL.Query()
	var filter []string
	if t := strings.TrimSpace(q.Get("q")); t != "" {
		filter = append(filter, "display_name:"+quoteFilter(t))
	}
	if st := q.Get("state"); st != "" {
		for _, k := range cooperativeStates {
			if k == st {
				filter = append(filter, "state = "+st)
			}
		}
	}
	if p := q.Get("province"); p != "" && c.terr.HasProvince(p) {
		filter = append(filter, "province = "+quoteFilter(p))
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
	v := view{S: s, Nav: "register", Form: q}
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/chambers/"+s.Scope()+"/cooperatives", api, nil, &out); err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			c.failAPI(w, r, s, err)
			return
		}
		v.Err, v.Status = ae.Message, ae.HTTPStatus
	}
	next := ""
	if t, _ := out["next_page_token"].(string); t != "" {
		nq := url.Values{}
		for k, vs := range q {
			nq[k] = vs
		}
		nq.Set("page_token", t)
		next = "/console/register?" + nq.Encode()
	}
	v.Data = obj{"Items": out["cooperatives"], "Next": next, "States": cooperativeStates, "Provinces": c.provinces(s)}
	if r.URL.Query().Get("created") != "" {
		v.Flash = l.T("register.created")
	}
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

func (c *Console) cooperativeForm(w http.ResponseWriter, r *http.Request, s *session) {
	if !s.CanWrite() {
		c.fail(w, r, s, http.StatusForbidden, c.locale(r).T("forbidden"))
		return
	}
	c.render(w, r, "coopform", view{S: s, Nav: "register", Form: url.Values{}, Data: obj{"Provinces": c.provinces(s)}})
}

// cooperativeCreate posts the form to the API; field errors come back
// from the API's BadRequest details, already in the user's language, and
// are shown beside their inputs with the user's input kept.
func (c *Console) cooperativeCreate(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	f := r.PostForm
	num := func(k string) any {
		t := strings.TrimSpace(f.Get(k))
		if n, err := strconv.ParseInt(t, 10, 64); err == nil {
			return n
		}
		return nil
	}
	mad := func(k string) any { // dirhams as typed → centimes as the API wants
		t := strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(f.Get(k)), " ", ""), ",", ".")
		if t == "" {
			return nil
		}
		d, err := strconv.ParseFloat(t, 64)
		if err != nil {
			return "x" // rejected by the API's JSON decoding: reported on the form
		}
		return strconv.FormatInt(int64(d*100+0.5), 10)
	}
	body := obj{
		"display_name": obj{"ar": strings.TrimSpace(f.Get("name_ar")), "fr": strings.TrimSpace(f.Get("name_fr"))},
		"activity":     strings.TrimSpace(f.Get("activity")),
		"province":     f.Get("province"),
	}
	for k, v := range map[string]any{"capital_centimes": mad("capital"), "share_value_centimes": mad("share_value"),
		"members_women": num("members_women"), "members_men": num("members_men")} {
		if v != nil {
			body[k] = v
		}
	}
	if d := strings.TrimSpace(f.Get("founding_date")); d != "" {
		body["founding_date"] = d
	}
	ctx, cancel := pageCtx(r)
	defer cancel()
	var out obj
	err := c.api.call(ctx, s, l.Lang, http.MethodPost, "/v1/chambers/"+s.Chamber+"/cooperatives", nil, body, &out)
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) || ae.HTTPStatus != http.StatusBadRequest {
			c.failAPI(w, r, s, err)
			return
		}
		fields := ae.Fields()
		// The form's inputs are named for people: map API fields to them.
		for api, form := range map[string]string{"capital_centimes": "capital", "share_value_centimes": "share_value",
			"display_name.ar": "name_ar", "display_name.fr": "name_fr", "display_name": "name_ar"} {
			if m, ok := fields[api]; ok {
				fields[form] = m
			}
		}
		c.render(w, r, "coopform", view{S: s, Nav: "register", Status: http.StatusBadRequest, Err: ae.Message,
			Fields: fields, Form: f, Data: obj{"Provinces": c.provinces(s)}})
		return
	}
	name, _ := out["name"].(string)
	http.Redirect(w, r, "/console/"+name+"?created=1", http.StatusSeeOther)
}

// lifecycle actions a clerk may ask for in each state (the API decides).
var cooperativeActions = map[string][]string{
	"FORMING":    {"register"},
	"REGISTERED": {"activate"},
	"ACTIVE":     {"markDormant", "dissolve"},
	"DORMANT":    {"reactivate", "dissolve"},
	"DISSOLVED":  {"liquidate"},
}

func (c *Console) cooperativePage(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	name := "chambers/" + pathSeg(r, "chamber") + "/cooperatives/" + pathSeg(r, "id")
	ctx, cancel := pageCtx(r)
	defer cancel()
	var coop obj
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/"+name, nil, nil, &coop); err != nil {
		c.failAPI(w, r, s, err)
		return
	}
	v := view{S: s, Nav: "register"}
	var audit obj
	if s.CanAudit() {
		q := url.Values{"filter": {"resource = " + quoteFilter(name)}, "page_size": {"50"}}
		if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/chambers/"+pathSeg(r, "chamber")+"/auditRecords", q, nil, &audit); err != nil {
			var ae *apiError
			if errors.As(err, &ae) {
				v.Err = ae.Message
			}
		}
	}
	state, _ := coop["state"].(string)
	var actions []string
	if s.CanWrite() {
		actions = cooperativeActions[state]
	}
	if r.URL.Query().Get("created") != "" {
		v.Flash = l.T("register.created")
	}
	if r.URL.Query().Get("done") != "" {
		v.Flash = l.T("done")
	}
	v.Data = obj{"C": coop, "Actions": actions, "Audit": audit["audit_records"], "CanAudit": s.CanAudit()}
	v.Title = l.L(coop["display_name"])
	c.render(w, r, "cooperative", v)
}

func (c *Console) cooperativeAction(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	name := "chambers/" + pathSeg(r, "chamber") + "/cooperatives/" + pathSeg(r, "id")
	verb := r.PostFormValue("action")
	ok := false
	for _, vs := range cooperativeActions {
		for _, a := range vs {
			ok = ok || a == verb
		}
	}
	if !ok {
		c.fail(w, r, s, http.StatusBadRequest, l.T("bad.action"))
		return
	}
	ctx, cancel := pageCtx(r)
	defer cancel()
	body := obj{}
	if reason := strings.TrimSpace(r.PostFormValue("reason")); reason != "" {
		body["reason"] = reason
	}
	if err := c.api.call(ctx, s, l.Lang, http.MethodPost, "/v1/"+name+":"+verb, nil, body, nil); err != nil {
		c.failAPI(w, r, s, err)
		return
	}
	http.Redirect(w, r, "/console/"+name+"?done=1", http.StatusSeeOther)
}

// fairList is screen 2's entry: the chamber's fairs and trainings.
func (c *Console) fairList(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	ctx, cancel := pageCtx(r)
	defer cancel()
	var out obj
	v := view{S: s, Nav: "fairs"}
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/chambers/"+s.Scope()+"/events", url.Values{"page_size": {"50"}}, nil, &out); err != nil {
		c.failAPI(w, r, s, err)
		return
	}
	v.Data = obj{"Items": out["events"]}
	c.render(w, r, "fairs", v)
}

func (c *Console) fairPage(w http.ResponseWriter, r *http.Request, s *session) {
	c.fairPageWith(w, r, s, view{})
}

func (c *Console) fairPageWith(w http.ResponseWriter, r *http.Request, s *session, v view) {
	l := c.locale(r)
	name := "chambers/" + pathSeg(r, "chamber") + "/events/" + pathSeg(r, "id")
	ctx, cancel := pageCtx(r)
	defer cancel()
	var ev, counts obj
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/"+name, nil, nil, &ev); err != nil {
		c.failAPI(w, r, s, err)
		return
	}
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/"+name+"/visitorCounts", url.Values{"page_size": {"100"}}, nil, &counts); err != nil {
		c.failAPI(w, r, s, err)
		return
	}
	var total int64
	list, _ := counts["visitor_counts"].([]any)
	for _, it := range list {
		n, _ := toInt(it.(obj)["visitors"])
		total += n
	}
	v.S, v.Nav, v.Title = s, "fairs", l.L(ev["title"])
	if v.Form == nil {
		v.Form = url.Values{"date": {time.Now().Format("2006-01-02")}}
	}
	if r.URL.Query().Get("done") != "" {
		v.Flash = l.T("fair.recorded")
	}
	v.Data = obj{"E": ev, "Counts": list, "Total": total, "CanWrite": s.CanWrite()}
	c.render(w, r, "fair", v)
}

func (c *Console) fairVisitors(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	name := "chambers/" + pathSeg(r, "chamber") + "/events/" + pathSeg(r, "id")
	body := obj{"date": strings.TrimSpace(r.PostFormValue("date"))}
	if n, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("visitors")), 10, 64); err == nil {
		body["visitors"] = strconv.FormatInt(n, 10)
	}
	ctx, cancel := pageCtx(r)
	defer cancel()
	if err := c.api.call(ctx, s, l.Lang, http.MethodPost, "/v1/"+name+"/visitorCounts", nil, body, nil); err != nil {
		var ae *apiError
		if !errors.As(err, &ae) || ae.HTTPStatus == http.StatusNotFound || ae.HTTPStatus == http.StatusUnauthorized {
			c.failAPI(w, r, s, err)
			return
		}
		c.fairPageWith(w, r, s, view{Status: ae.HTTPStatus, Err: ae.Message, Fields: ae.Fields(), Form: r.PostForm})
		return
	}
	http.Redirect(w, r, "/console/"+name+"?done=1", http.StatusSeeOther)
}

// assemblyList is screen 3's entry.
func (c *Console) assemblyList(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	ctx, cancel := pageCtx(r)
	defer cancel()
	var out obj
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/chambers/"+s.Scope()+"/assemblies", url.Values{"page_size": {"50"}}, nil, &out); err != nil {
		c.failAPI(w, r, s, err)
		return
	}
	c.render(w, r, "assemblies", view{S: s, Nav: "assemblies", Data: obj{"Items": out["assemblies"]}})
}

func (c *Console) assemblyPage(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	name := "chambers/" + pathSeg(r, "chamber") + "/assemblies/" + pathSeg(r, "id")
	ctx, cancel := pageCtx(r)
	defer cancel()
	var a, items obj
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/"+name, nil, nil, &a); err != nil {
		c.failAPI(w, r, s, err)
		return
	}
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/"+name+"/items", url.Values{"page_size": {"100"}}, nil, &items); err != nil {
		c.failAPI(w, r, s, err)
		return
	}
	present, _ := a["present"].([]any)
	members, _ := a["members"].([]any)
	quorum, _ := toInt(a["quorum_required"])
	c.render(w, r, "assembly", view{S: s, Nav: "assemblies", Title: l.L(a["title"]), Data: obj{
		"A": a, "Items": items["items"], "Present": len(present), "Members": len(members),
		"Quorum": quorum, "QuorumMet": quorum > 0 && int64(len(present)) >= quorum,
	}})
}

func (c *Console) itemPage(w http.ResponseWriter, r *http.Request, s *session) {
	c.itemPageWith(w, r, s, view{})
}

// itemPageWith shows one agenda item: its public roll-call vote (one row
// per present member who has not voted yet), the votes cast and the result.
func (c *Console) itemPageWith(w http.ResponseWriter, r *http.Request, s *session, v view) {
	l := c.locale(r)
	an := "chambers/" + pathSeg(r, "chamber") + "/assemblies/" + pathSeg(r, "id")
	ctx, cancel := pageCtx(r)
	defer cancel()
	var a, it obj
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/"+an, nil, nil, &a); err != nil {
		c.failAPI(w, r, s, err)
		return
	}
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/"+an+"/items/"+pathSeg(r, "item"), nil, nil, &it); err != nil {
		c.failAPI(w, r, s, err)
		return
	}
	voted := map[string]string{}
	votes, _ := it["votes"].([]any)
	for _, x := range votes {
		vo := x.(obj)
		m, _ := vo["member"].(string)
		ch, _ := vo["choice"].(string)
		voted[m] = ch
	}
	present := map[string]bool{}
	pl, _ := a["present"].([]any)
	for _, p := range pl {
		if id, ok := p.(string); ok {
			present[id] = true
		}
	}
	var roll []obj
	ml, _ := a["members"].([]any)
	for _, x := range ml {
		m := x.(obj)
		id, _ := m["id"].(string)
		if present[id] {
			roll = append(roll, obj{"ID": id, "Name": l.L(m["display_name"]), "Choice": voted[id]})
		}
	}
	v.S, v.Nav, v.Title = s, "assemblies", l.L(it["title"])
	if r.URL.Query().Get("done") != "" {
		v.Flash = l.T("vote.recorded")
	}
	v.Data = obj{"A": a, "I": it, "Roll": roll, "CanWrite": s.CanWrite(), "Base": "/console/" + an}
	c.render(w, r, "item", v)
}

func (c *Console) itemVote(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	in := "chambers/" + pathSeg(r, "chamber") + "/assemblies/" + pathSeg(r, "id") + "/items/" + pathSeg(r, "item")
	choice := r.PostFormValue("choice")
	if choice != "FOR" && choice != "AGAINST" && choice != "ABSTAIN" {
		choice = "CHOICE_UNSPECIFIED" // the API names the missing choice
	}
	ctx, cancel := pageCtx(r)
	defer cancel()
	body := obj{"member": r.PostFormValue("member"), "choice": choice}
	if err := c.api.call(ctx, s, l.Lang, http.MethodPost, "/v1/"+in+":castVote", nil, body, nil); err != nil {
		var ae *apiError
		if !errors.As(err, &ae) || ae.HTTPStatus == http.StatusNotFound || ae.HTTPStatus == http.StatusUnauthorized {
			c.failAPI(w, r, s, err)
			return
		}
		c.itemPageWith(w, r, s, view{Status: ae.HTTPStatus, Err: ae.Message})
		return
	}
	http.Redirect(w, r, "/console/"+in+"?done=1", http.StatusSeeOther)
}

// assemblyMinutes passes the API's minutes download through (ar or fr).
func (c *Console) assemblyMinutes(w http.ResponseWriter, r *http.Request, s *session) {
	name := "chambers/" + pathSeg(r, "chamber") + "/assemblies/" + pathSeg(r, "id")
	lang := r.URL.Query().Get("language")
	if lang != langFR {
		lang = langAR
	}
	c.download(w, r, s, lang, "/v1/"+name+":exportMinutes", nil)
}

func (c *Console) download(w http.ResponseWriter, r *http.Request, s *session, lang, path string, q url.Values) {
	ctx, cancel := pageCtx(r)
	defer cancel()
	body, h, err := c.api.do(ctx, s, lang, http.MethodGet, path, q, nil)
	if err != nil {
		c.failAPI(w, r, s, err)
		return
	}
	for _, k := range []string{"Content-Type", "Content-Disposition"} {
		if v := h.Get(k); v != "" {
			w.Header().Set(k, v)
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
}

// dashboard is screen 4: the register distributions by province and
// gender, the fair figures and the territorial targets, from reporting.
func (c *Console) dashboard(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	ctx, cancel := pageCtx(r)
	defer cancel()
	year := strconv.Itoa(time.Now().Year())
	var coops, artisans, fairs, targets obj
	v := view{S: s, Nav: "dashboard"}
	calls := []struct {
		path string
		q    url.Values
		out  *obj
	}{
		{"registerStatistics", url.Values{"registrant_type": {"COOPERATIVE"}, "group_by": {"province"}}, &coops},
		{"registerStatistics", url.Values{"registrant_type": {"ARTISAN"}, "group_by": {"gender"}}, &artisans},
		{"fairStatistics", url.Values{"start_date": {year + "-01-01"}, "end_date": {year + "-12-31"}}, &fairs},
		{"targetAchievements", url.Values{"year": {year}}, &targets},
	}
	for _, k := range calls {
		if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/chambers/"+s.Scope()+"/"+k.path, k.q, nil, k.out); err != nil {
			var ae *apiError
			if !errors.As(err, &ae) || ae.HTTPStatus == http.StatusUnauthorized {
				c.failAPI(w, r, s, err)
				return
			}
			v.Err = ae.Message // the other panels still show
		}
	}
	var max int64 = 1
	rows, _ := coops["rows"].([]any)
	for _, x := range rows {
		if n, _ := toInt(x.(obj)["count"]); n > max {
			max = n
		}
	}
	var bars []obj
	for _, x := range rows {
		n, _ := toInt(x.(obj)["count"])
		bars = append(bars, obj{"Province": x.(obj)["province"], "Count": n, "Max": max, "Women": x.(obj)["members_women"], "Men": x.(obj)["members_men"]})
	}
	v.Data = obj{"Bars": bars, "Artisans": artisans["rows"], "Fairs": fairs, "Targets": targets, "Year": year}
	c.render(w, r, "dashboard", v)
}

// report downloads the activity report from the API (XLSX, PDF, CSV, HTML).
func (c *Console) report(w http.ResponseWriter, r *http.Request, s *session) {
	q := r.URL.Query()
	format := q.Get("format")
	switch format {
	case "XLSX", "PDF", "CSV", "HTML":
	default:
		format = "XLSX"
	}
	lang := q.Get("language")
	if lang != langFR {
		lang = langAR
	}
	year := strconv.Itoa(time.Now().Year())
	c.download(w, r, s, lang, "/v1/chambers/"+s.Scope()+"/activityReport", url.Values{
		"start_date": {year + "-01-01"}, "end_date": {time.Now().Format("2006-01-02")}, "language": {lang}, "format": {format}})
}

// craftBodies is screen 5: the bodies of the chamber (or the nation) with
// their stage, and the roll-out per province.
func (c *Console) craftBodies(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	ctx, cancel := pageCtx(r)
	defer cancel()
	var bodies, progress obj
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/chambers/"+s.Scope()+"/craftBodies", url.Values{"page_size": {"100"}}, nil, &bodies); err != nil {
		c.failAPI(w, r, s, err)
		return
	}
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/chambers/"+s.Scope()+"/craftBodyProgress", url.Values{"group_by": {"PROVINCE"}}, nil, &progress); err != nil {
		c.failAPI(w, r, s, err)
		return
	}
	c.render(w, r, "craftbodies", view{S: s, Nav: "craftbodies", Data: obj{"Items": bodies["craft_bodies"], "Progress": progress}})
}

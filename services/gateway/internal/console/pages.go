package console

import (
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/render"
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
	var charts []obj
	coopChart := render.Chart{Kind: render.Bar, Title: l.T("dash.coops"), Language: render.Language(l.Lang)}
	for _, b := range bars {
		coopChart.Labels = append(coopChart.Labels, c.provinceName(l, b["Province"]))
		coopChart.Values = append(coopChart.Values, float64(b["Count"].(int64)))
	}
	artChart := render.Chart{Kind: render.Bar, Title: l.T("dash.artisans"), Language: render.Language(l.Lang)}
	arows, _ := artisans["rows"].([]any)
	for _, x := range arows {
		g, _ := x.(obj)["gender"].(string)
		n, _ := toInt(x.(obj)["count"])
		artChart.Labels = append(artChart.Labels, l.T("gender."+g))
		artChart.Values = append(artChart.Values, float64(n))
	}
	for _, ch := range []render.Chart{coopChart, artChart} {
		if len(ch.Values) == 0 {
			continue
		}
		svg, err := ch.SVG()
		if err != nil {
			c.log.Error("console chart", slog.String("error", err.Error()))
			continue
		}
		// The SVG is built by pkg/render from escaped text: safe to embed.
		charts = append(charts, obj{"Title": ch.Title, "SVG": template.HTML(svg)}) //nolint:gosec // escaped by render.Chart
	}
	v.Data = obj{"Bars": bars, "Artisans": artisans["rows"], "Fairs": fairs, "Targets": targets, "Year": year, "Charts": charts,
		"Provinces": targetRows(targets)}
	c.render(w, r, "dashboard", v)
}

// targetRows are the territorial targets per province with the share
// achieved, for the table with a bar each.
func targetRows(t obj) []obj {
	var out []obj
	ps, _ := t["provinces"].([]any)
	for _, x := range ps {
		p, _ := x.(obj)
		target, _ := toInt(p["target"])
		achieved, _ := toInt(p["achieved"])
		out = append(out, obj{"Area": p["area"], "Target": target, "Achieved": achieved, "Percent": p["percent"], "Max": max(target, achieved, 1)})
	}
	return out
}

func (c *Console) provinceName(l locale, id any) string {
	s, _ := id.(string)
	if p, ok := c.terr.Province(s); ok {
		if l.Lang == langFR {
			return p.Name.FR
		}
		return p.Name.AR
	}
	return s
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

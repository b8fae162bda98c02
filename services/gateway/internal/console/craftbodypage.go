package console

import (
	"errors"
	"net/http"
	"net/url"
)

// cbStages is a craft body's pipeline in order, from the awareness
// campaign to the constituted body with its bureau.
var cbStages = []string{"PLANNED", "AWARENESS", "COMMITTEE", "CENSUS_TAKEN", "ASSEMBLY_CONVENED", "CONSTITUTED", "ACTIVE"}

// craftBodyPage is screen 5's body page: the pipeline with the current
// stage, the awareness meetings, the committee, the census, and the
// constitutive assembly's offices (the bureau) with who was elected.
func (c *Console) craftBodyPage(w http.ResponseWriter, r *http.Request, s *session) {
	l := c.locale(r)
	name := "chambers/" + pathSeg(r, "chamber") + "/craftBodies/" + pathSeg(r, "id")
	ctx, cancel := pageCtx(r)
	defer cancel()
	var body obj
	if err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/"+name, nil, nil, &body); err != nil {
		c.failAPI(w, r, s, err)
		return
	}
	state, _ := body["state"].(string)
	at := -1
	for i, st := range cbStages {
		if st == state {
			at = i
		}
	}
	var steps []obj
	for i, st := range cbStages {
		steps = append(steps, obj{"Stage": st, "Done": at >= 0 && i < at, "Current": i == at})
	}
	// The parts of the pipeline reached so far; a part not there yet
	// answers 404 and is left out.
	optional := func(path string, out *obj) bool {
		err := c.api.call(ctx, s, l.Lang, http.MethodGet, "/v1/"+path, url.Values{"page_size": {"500"}}, nil, out)
		var ae *apiError
		if err != nil && (!errors.As(err, &ae) || ae.HTTPStatus == http.StatusUnauthorized) {
			c.failAPI(w, r, s, err)
			return false
		}
		return true
	}
	var meetings, census, offices obj
	if !optional(name+"/awarenessMeetings", &meetings) {
		return
	}
	if at >= 3 && !optional(name+"/census/members", &census) {
		return
	}
	if at >= 4 && !optional(name+"/assembly/offices", &offices) {
		return
	}
	members, _ := census["members"].([]any)
	c.render(w, r, "craftbody", view{S: s, Nav: "craftbodies", Title: l.L(body["display_name"]), Data: obj{
		"B": body, "Steps": steps, "Meetings": meetings["awareness_meetings"], "Census": len(members), "CensusTaken": at >= 3,
		"Offices": offices["offices"],
	}})
}

package app

import (
	"context"
	"strings"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
)

// FactsQuery selects artisans by craft and territory for a census.
type FactsQuery struct {
	// Chamber is a chamber id or resource.Wildcard (national roles).
	Chamber string
	// Activity is an activity code (F1.B02.A01) or a branch or family prefix
	// (F1.B02, F1): the activity itself or any activity under it.
	Activity string
	// Province narrows to one province; empty means every province.
	Province string
	// States narrows to these states; empty means every state.
	States    []artisan.State
	PageSize  int
	PageToken string
}

// ListRegistrantFacts lists artisans by activity and province under the same
// tenancy as ListArtisans; the transport keeps registration facts only. The
// craft bodies' eligibility census reads the register through it.
func (r *Registry) ListRegistrantFacts(ctx context.Context, q FactsQuery) (paging.Page[*artisan.Artisan], error) {
	var vs fault.Violations
	if q.Activity == "" {
		vs.Add("activity", fault.RuleRequired, "an activity code or prefix is required")
	}
	for _, s := range q.States {
		switch s {
		case artisan.Applicant, artisan.Registered, artisan.Suspended, artisan.StruckOff:
		default:
			vs.Add("states", RuleFactsState, "unknown state %q", s)
		}
	}
	if err := vs.Err(); err != nil {
		return paging.Page[*artisan.Artisan]{}, err
	}
	// The conditions are written here, never by the caller; the values travel
	// as arguments. Activity codes are [A-Z0-9.] (checked by the contract),
	// so the LIKE prefix holds no wildcard of the caller's.
	where := []string{"(activity = ? OR activity LIKE ?)"}
	args := []any{q.Activity, q.Activity + ".%"}
	if q.Province != "" {
		where = append(where, "province = ?")
		args = append(args, q.Province)
	}
	if len(q.States) > 0 {
		marks := make([]string, len(q.States))
		for i, s := range q.States {
			marks[i] = "?"
			args = append(args, string(s))
		}
		where = append(where, "state IN ("+strings.Join(marks, ", ")+")")
	}
	lq, err := r.listScope(ctx, paging.ListQuery{
		Chamber: q.Chamber, PageSize: q.PageSize, PageToken: q.PageToken,
		Where: strings.Join(where, " AND "), WhereArgs: args,
	})
	if err != nil {
		return paging.Page[*artisan.Artisan]{}, err
	}
	return r.repos.Artisans.List(ctx, lq)
}

// RuleFactsState: a facts query names only the artisan states the register
// knows (APPLICANT, REGISTERED, SUSPENDED, STRUCK_OFF).
const RuleFactsState = "state.known"

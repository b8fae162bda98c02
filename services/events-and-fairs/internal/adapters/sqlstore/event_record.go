package sqlstore

import (
	"time"

	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/event"
)

// eventRecordV1 is what an event row's data holds since version 1, written
// out field by field apart from event.Event for the same reason as
// agreementRecordV1. It keeps version 0's keys, so no row needs rewriting.
type eventRecordV1 struct {
	Kind        string               `json:"kind"`
	Scope       string               `json:"scope,omitempty"`
	Title       store.TextV1         `json:"title"`
	StartDate   string               `json:"start_date,omitempty"`
	EndDate     string               `json:"end_date,omitempty"`
	Venue       venueRecordV1        `json:"venue"`
	Partners    []partnerRecordV1    `json:"partners,omitempty"`
	Capacity    int                  `json:"capacity"`
	Fair        fairSettingsRecordV1 `json:"fair"`
	State       string               `json:"state"`
	StateReason string               `json:"state_reason,omitempty"`
	Evaluation  *evaluationRecordV1  `json:"evaluation,omitempty"`
	Demo        bool                 `json:"demo,omitempty"`
}

type venueRecordV1 struct {
	Province string `json:"province,omitempty"`
	City     string `json:"city,omitempty"`
	Address  string `json:"address,omitempty"`
}

type partnerRecordV1 struct {
	Name store.TextV1 `json:"name"`
	Role string       `json:"role,omitempty"`
}

type quotaRecordV1 struct {
	Criterion string `json:"criterion"`
	Booths    int    `json:"booths"`
	Limit     string `json:"limit"`
}

type fairSettingsRecordV1 struct {
	Quotas []quotaRecordV1 `json:"quotas,omitempty"`
	Crafts []string        `json:"crafts,omitempty"`
}

type evaluationRecordV1 struct {
	Exhibitors              int       `json:"exhibitors"`
	Artisans                int       `json:"artisans"`
	Cooperatives            int       `json:"cooperatives"`
	Associations            int       `json:"associations"`
	Enterprises             int       `json:"enterprises"`
	WomenArtisans           int       `json:"women_artisans"`
	MenArtisans             int       `json:"men_artisans"`
	WomenExhibitors         int       `json:"women_exhibitors"`
	RuralExhibitors         int       `json:"rural_exhibitors"`
	OutsideRegionExhibitors int       `json:"outside_region_exhibitors"`
	Booths                  int       `json:"booths"`
	BoothsUsed              int       `json:"booths_used"`
	Visitors                int64     `json:"visitors"`
	SalesCentimes           int64     `json:"sales_centimes"`
	Applications            int       `json:"applications"`
	Rejected                int       `json:"rejected"`
	Waitlisted              int       `json:"waitlisted"`
	Registered              int       `json:"registered"`
	Attended                int       `json:"attended"`
	ComputeTime             time.Time `json:"compute_time"`
}

// eventRecord reads versions 0 and 1 and writes version 1.
var eventRecord = store.RecordV1("event",
	func(e *event.Event) eventRecordV1 {
		r := eventRecordV1{Kind: string(e.Kind), Scope: string(e.Scope), Title: store.TextV1(e.Title), StartDate: string(e.StartDate), EndDate: string(e.EndDate),
			Venue: venueRecordV1(e.Venue), Capacity: e.Capacity, State: string(e.State), StateReason: e.StateReason, Demo: e.Demo}
		for _, p := range e.Partners {
			r.Partners = append(r.Partners, partnerRecordV1{Name: store.TextV1(p.Name), Role: p.Role})
		}
		for _, q := range e.Fair.Quotas {
			r.Fair.Quotas = append(r.Fair.Quotas, quotaRecordV1{Criterion: string(q.Criterion), Booths: q.Booths, Limit: string(q.Limit)})
		}
		r.Fair.Crafts = append(r.Fair.Crafts, e.Fair.Crafts...)
		if e.Evaluation != nil {
			ev := evaluationRecordV1(*e.Evaluation)
			r.Evaluation = &ev
		}
		return r
	},
	func(r eventRecordV1, e *event.Event) {
		e.Kind, e.Scope, e.Title, e.StartDate, e.EndDate = event.Kind(r.Kind), event.Scope(r.Scope), l10n.Text(r.Title), resource.Date(r.StartDate), resource.Date(r.EndDate)
		e.Venue, e.Capacity, e.State, e.StateReason = event.Venue(r.Venue), r.Capacity, event.State(r.State), r.StateReason
		e.Partners, e.Fair, e.Evaluation, e.Demo = nil, event.FairSettings{Crafts: r.Fair.Crafts}, nil, r.Demo
		for _, p := range r.Partners {
			e.Partners = append(e.Partners, event.Partner{Name: l10n.Text(p.Name), Role: p.Role})
		}
		for _, q := range r.Fair.Quotas {
			e.Fair.Quotas = append(e.Fair.Quotas, event.QuotaRule{Criterion: event.Criterion(q.Criterion), Booths: q.Booths, Limit: event.Limit(q.Limit)})
		}
		if r.Evaluation != nil {
			ev := event.Evaluation(*r.Evaluation)
			e.Evaluation = &ev
		}
	})

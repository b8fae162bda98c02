package sqlstore

import (
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/assembly"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/agreement"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/event"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/fair"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/generalassembly"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/nested"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/registration"
)

// under renders the name of a record nested under parents, from its store id.
func under(parents, collection string) func(key string) nested.Name {
	return func(key string) nested.Name { return nested.FromKey(storetest.RecordChamber, parents, collection, key) }
}

// TestRecordVersions checks every versioned record of events and fairs: it
// keeps every field of its entity, and a row in the shape stored before it
// is read, and rewritten as the current version, on SQLite and PostgreSQL.
func TestRecordVersions(t *testing.T) {
	checkedIn := time.Date(2026, 5, 2, 10, 30, 0, 0, time.UTC)
	opened := time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC)
	storetest.RecordVersions(t, Migrate,
		storetest.RecordVersion[*event.Event]{
			Record: eventRecord, Table: "events",
			Columns: map[string]any{"kind": "FAIR", "scope": "REGIONAL", "state": "ENDED", "province": "fes", "start_date": "2026-05-01",
				"end_date": "2026-05-09", "title_key": "salon"},
			Old: `{"kind":"FAIR","scope":"REGIONAL","title":{"ar":"معرض","fr":"Salon"},"start_date":"2026-05-01","end_date":"2026-05-09",
				"venue":{"province":"fes","city":"Fès","address":"Bab Boujloud"},"partners":[{"name":{"fr":"Région"},"role":"financement"}],"capacity":0,
				"fair":{"quotas":[{"criterion":"WOMEN","booths":10,"limit":"RESERVED"}],"crafts":["pottery"]},"state":"ENDED",
				"evaluation":{"exhibitors":40,"artisans":30,"cooperatives":6,"associations":3,"enterprises":1,"women_artisans":18,"men_artisans":12,
				"women_exhibitors":20,"rural_exhibitors":9,"outside_region_exhibitors":4,"booths":45,"booths_used":40,"visitors":12000,"sales_centimes":9900000,
				"applications":60,"rejected":12,"waitlisted":8,"registered":0,"attended":0,"compute_time":"2026-05-10T12:00:00Z"}}`,
			Want: &event.Event{Kind: event.Fair, Scope: event.Regional, Title: l10n.Text{AR: "معرض", FR: "Salon"}, StartDate: "2026-05-01", EndDate: "2026-05-09",
				Venue:    event.Venue{Province: "fes", City: "Fès", Address: "Bab Boujloud"},
				Partners: []event.Partner{{Name: l10n.Text{FR: "Région"}, Role: "financement"}},
				Fair:     event.FairSettings{Quotas: []event.QuotaRule{{Criterion: event.Women, Booths: 10, Limit: event.Reserved}}, Crafts: []string{"pottery"}},
				State:    event.Ended,
				Evaluation: &event.Evaluation{Exhibitors: 40, Artisans: 30, Cooperatives: 6, Associations: 3, Enterprises: 1, WomenArtisans: 18, MenArtisans: 12,
					WomenExhibitors: 20, RuralExhibitors: 9, OutsideRegionExhibitors: 4, Booths: 45, BoothsUsed: 40, Visitors: 12000, SalesCentimes: 9900000,
					Applications: 60, Rejected: 12, Waitlisted: 8, ComputeTime: time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)}},
			Repo: func(db *store.DB) storetest.KeyRepo[*event.Event] {
				r := NewEvents(db, nil)
				return storetest.ByName(storetest.Named(event.Collection), r.Get, r.Update)
			},
			Change:  func(e *event.Event) error { return e.Apply(event.Evaluate, "") },
			Changed: func(e *event.Event) { e.State = event.Evaluated },
			Keys: map[string]any{"state": "EVALUATED", "venue.city": "Fès", "evaluation.visitors": float64(12000),
				"evaluation.compute_time": "2026-05-10T12:00:00Z"},
		},
		storetest.RecordVersion[*agreement.Agreement]{
			Record: agreementRecord, Table: "agreements",
			Columns: map[string]any{"state": "SIGNED", "start_date": "2026-01-01", "end_date": "2027-12-31", "title_key": ""},
			Old: `{"title":{"ar":"اتفاقية","fr":"Convention"},"subject":"Formation","parties":[{"name":{"fr":"Chambre"},"kind":"CHAMBER"},
				{"name":{"ar":"بنك"},"kind":"BANK","country":"MA"}],"commitments":[{"party":1,"description":"Prêts","amount_centimes":25000050}],
				"start_date":"2026-01-01","end_date":"2027-12-31","approving_resolution":"chambers/fes-meknes/assemblies/a1/items/i1","state":"SIGNED"}`,
			Want: &agreement.Agreement{Title: l10n.Text{AR: "اتفاقية", FR: "Convention"}, Subject: "Formation",
				Parties:     []agreement.Party{{Name: l10n.Text{FR: "Chambre"}, Kind: agreement.Chamber}, {Name: l10n.Text{AR: "بنك"}, Kind: agreement.Bank, Country: "MA"}},
				Commitments: []agreement.Commitment{{Party: 1, Description: "Prêts", AmountCentimes: 250_000_50}},
				StartDate:   "2026-01-01", EndDate: "2027-12-31", ApprovingResolution: "chambers/fes-meknes/assemblies/a1/items/i1", State: agreement.Signed},
			Repo: func(db *store.DB) storetest.KeyRepo[*agreement.Agreement] {
				r := NewAgreements(db, nil)
				return storetest.ByName(storetest.Named(agreement.Collection), r.Get, r.Update)
			},
			Change:  (*agreement.Agreement).Activate,
			Changed: func(a *agreement.Agreement) { a.State = agreement.Active },
			Keys:    map[string]any{"state": "ACTIVE", "approving_resolution": "chambers/fes-meknes/assemblies/a1/items/i1"},
		},
		storetest.RecordVersion[*fair.Booth]{
			Record: boothRecord, Table: "booths", Prefix: "e1.",
			Columns: map[string]any{"event": "e1", "zone": "A", "fee_centimes": 150000, "number": func(key string) any { return key }},
			Old:     `{"number":"A-12","area_m2":9.5,"zone":"A","fee_centimes":150000}`,
			Want:    &fair.Booth{Number: "A-12", AreaM2: 9.5, Zone: "A", FeeCentimes: 150000},
			Repo: func(db *store.DB) storetest.KeyRepo[*fair.Booth] {
				r := NewFairs(db, FairEvents{})
				return storetest.ByName(under(event.Collection, fair.BoothCollection), r.GetBooth, r.UpdateBooth)
			},
			Change:  func(b *fair.Booth) error { b.FeeCentimes = 175000; return nil },
			Changed: func(b *fair.Booth) { b.FeeCentimes = 175000 },
			Keys:    map[string]any{"number": "A-12", "area_m2": 9.5, "zone": "A", "fee_centimes": float64(175000)},
		},
		storetest.RecordVersion[*fair.Exhibitor]{
			Record: exhibitorRecord, Table: "exhibitors", Prefix: "e1.",
			Columns: map[string]any{"event": "e1", "applicant_type": "COOPERATIVE", "gender": "", "women": true, "rural": true, "outside_region": false,
				"province": "sefrou", "state": "APPLIED", "sales_centimes": 0, "applicant": func(key string) any { return "chambers/fes-meknes/cooperatives/" + key }},
			Old: `{"applicant":"chambers/fes-meknes/cooperatives/c9","applicant_type":"COOPERATIVE","display_name":"Coopérative Amal","women":true,
				"rural":true,"outside_region":false,"province":"sefrou","activity":"weaving","products":"Tapis","state":"APPLIED","sales_centimes":0}`,
			Want: &fair.Exhibitor{Applicant: "chambers/fes-meknes/cooperatives/c9", ApplicantType: fair.ApplicantType("COOPERATIVE"), DisplayName: "Coopérative Amal",
				Women: true, Rural: true, Province: "sefrou", Activity: "weaving", Products: "Tapis", State: fair.Applied},
			Repo: func(db *store.DB) storetest.KeyRepo[*fair.Exhibitor] {
				r := NewFairs(db, FairEvents{})
				return storetest.ByName(under(event.Collection, fair.ExhibitorCollection), r.GetExhibitor, r.UpdateExhibitor)
			},
			Change:  func(x *fair.Exhibitor) error { return x.Apply(fair.Accept, "quota") },
			Changed: func(x *fair.Exhibitor) { x.State, x.StateReason = fair.Accepted, "quota" },
			Keys: map[string]any{"state": "ACCEPTED", "state_reason": "quota", "applicant_type": "COOPERATIVE", "women": true, "outside_region": false,
				"products": "Tapis"},
		},
		storetest.RecordVersion[*fair.VisitorCount]{
			Record: visitorCountRecord, Table: "visitor_counts", Prefix: "e1.",
			Columns: map[string]any{"event": "e1", "day": "2026-05-02", "visitors": 800},
			Old:     `{"date":"2026-05-02","visitors":800}`,
			Want:    &fair.VisitorCount{Date: "2026-05-02", Visitors: 800},
			Repo: func(db *store.DB) storetest.KeyRepo[*fair.VisitorCount] {
				r := NewFairs(db, FairEvents{})
				return storetest.ByName(under(event.Collection, fair.VisitorCountCollection), r.visitors.get, r.visitors.update)
			},
			Change:  func(v *fair.VisitorCount) error { v.Visitors = 950; return nil },
			Changed: func(v *fair.VisitorCount) { v.Visitors = 950 },
			Keys:    map[string]any{"date": "2026-05-02", "visitors": float64(950)},
		},
		storetest.RecordVersion[*registration.Registration]{
			Record: registrationRecord, Table: "registrations", Prefix: "e1.",
			Columns: map[string]any{"event": "e1", "state": "REGISTERED", "code": func(key string) any { return "CODE-" + key }},
			Old: `{"display_name":"Khadija B.","participant":"chambers/fes-meknes/artisans/a7","contact":{"phone":"+212622222222","email":"k@example.ma"},
				"state":"REGISTERED","check_in_code":"K7Q2-9XWM"}`,
			Want: &registration.Registration{DisplayName: "Khadija B.", Participant: "chambers/fes-meknes/artisans/a7",
				Contact: l10n.Contact{Phone: "+212622222222", Email: "k@example.ma"}, State: registration.Registered, CheckInCode: "K7Q2-9XWM"},
			Repo: func(db *store.DB) storetest.KeyRepo[*registration.Registration] {
				r := NewRegistrations(db, nil)
				return storetest.ByName(under(event.Collection, registration.Collection), r.Get, r.Update)
			},
			Change:  func(g *registration.Registration) error { return g.CheckIn(checkedIn) },
			Changed: func(g *registration.Registration) { g.State, g.CheckInTime = registration.Attended, &checkedIn },
			Keys: map[string]any{"state": "ATTENDED", "check_in_code": "K7Q2-9XWM", "check_in_time": "2026-05-02T10:30:00Z",
				"contact.email": "k@example.ma"},
		},
		storetest.RecordVersion[*generalassembly.Assembly]{
			Record: assemblyRecord, Table: "assemblies",
			Columns: map[string]any{"state": "IN_SESSION", "session_type": "ORDINARY", "day": "2026-02-20"},
			Old: `{"title":{"ar":"الجمع العام","fr":"Assemblée générale"},"session_type":"ORDINARY","ordinary_session":"FEBRUARY","date":"2026-02-20",
				"venue":"Siège","members":[{"id":"m1","display_name":{"fr":"Président"},"registrant":"chambers/fes-meknes/artisans/a1","office":"PRESIDENT"},
				{"id":"m2","display_name":{"ar":"عضو"}}],"president":"m1","quorum":{"numerator":1,"denominator":2,"second_numerator":1,"second_denominator":3,
				"second_minimum":2},"abstentions_count":true,"convocation":1,"present":["m1","m2"],"state":"IN_SESSION",
				"open_time":"2026-02-20T09:00:00Z","demo":true}`,
			Want: &generalassembly.Assembly{Title: l10n.Text{AR: "الجمع العام", FR: "Assemblée générale"}, SessionType: generalassembly.Ordinary,
				OrdinarySession: generalassembly.February, Date: resource.Date("2026-02-20"), Venue: "Siège",
				Members: []generalassembly.Member{{ID: "m1", DisplayName: l10n.Text{FR: "Président"}, Registrant: "chambers/fes-meknes/artisans/a1", Office: "PRESIDENT"},
					{ID: "m2", DisplayName: l10n.Text{AR: "عضو"}}},
				President: "m1", Quorum: generalassembly.Quorum{Numerator: 1, Denominator: 2, SecondNumerator: 1, SecondDenominator: 3, SecondMinimum: 2},
				AbstentionsCount: true, Convocation: assembly.FirstConvocation, Present: []string{"m1", "m2"}, State: generalassembly.InSession,
				OpenTime: &opened, Demo: true},
			Repo: func(db *store.DB) storetest.KeyRepo[*generalassembly.Assembly] {
				r := NewAssemblies(db, nil)
				return storetest.ByName(storetest.Named(generalassembly.Collection), r.Get, r.Update)
			},
			Change:  (*generalassembly.Assembly).Close,
			Changed: func(a *generalassembly.Assembly) { a.State = generalassembly.Closed },
			Keys: map[string]any{"state": "CLOSED", "convocation": float64(1), "quorum.second_minimum": float64(2), "open_time": "2026-02-20T09:00:00Z",
				"abstentions_count": true},
		},
		storetest.RecordVersion[*generalassembly.Item]{
			Record: itemRecord, Table: "agenda_items", Prefix: "a1.",
			Columns: map[string]any{"assembly": "a1", "position": 1, "state": "VOTING"},
			Old: `{"position":1,"title":{"fr":"Convention de formation"},"kind":"PARTNERSHIP_AGREEMENT","agreement":"chambers/fes-meknes/agreements/g1",
				"state":"VOTING","roll":["m1","m2","m3","m4"],"voters":["m1","m2","m3"],"president":"m1","abstentions_count":false,
				"votes":{"m1":1,"m2":1,"m3":2},"resolution":{}}`,
			Want: &generalassembly.Item{Position: 1, Title: l10n.Text{FR: "Convention de formation"}, Kind: generalassembly.PartnershipAgreement,
				Agreement: "chambers/fes-meknes/agreements/g1", State: generalassembly.Voting, Roll: []string{"m1", "m2", "m3", "m4"},
				Voters: []string{"m1", "m2", "m3"}, President: "m1", Votes: map[string]assembly.Choice{"m1": assembly.For, "m2": assembly.For, "m3": assembly.Against}},
			Repo: func(db *store.DB) storetest.KeyRepo[*generalassembly.Item] {
				r := NewItems(db, nil)
				return storetest.ByName(under(generalassembly.Collection, generalassembly.ItemCollection), r.Get, r.Update)
			},
			Change: func(it *generalassembly.Item) error { return it.CloseVote(l10n.Text{FR: "Adoptée"}) },
			Changed: func(it *generalassembly.Item) {
				it.State, it.Resolution = generalassembly.Adopted, l10n.Text{FR: "Adoptée"}
				it.Result = &assembly.Result{For: 2, Against: 1, Voting: 3, Outcome: assembly.Adopted}
			},
			Keys: map[string]any{"state": "ADOPTED", "votes.m3": float64(2), "result.For": float64(2), "result.Outcome": float64(1),
				"resolution.fr": "Adoptée", "agreement": "chambers/fes-meknes/agreements/g1"},
		},
	)
}

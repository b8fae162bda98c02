package sqlstore

import (
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/services/desk/internal/domain/card"
	"github.com/hirfa/hirfa/services/desk/internal/domain/document"
	"github.com/hirfa/hirfa/services/desk/internal/domain/mediation"
	"github.com/hirfa/hirfa/services/desk/internal/domain/request"
)

// TestRecordVersions checks every versioned record of the desk: it keeps
// every field of its entity, and a row in the shape stored before it is
// read, and rewritten as the current version, on SQLite and PostgreSQL.
// The changes are plain field writes: what is under test is the storage.
func TestRecordVersions(t *testing.T) {
	at := func(day, hour int) time.Time { return time.Date(2026, 4, day, hour, 0, 0, 0, time.UTC) }
	storetest.RecordVersions(t, Migrate,
		storetest.RecordVersion[*request.Request]{
			Record: requestRecord, Table: "service_requests",
			Columns: map[string]any{"state": "IN_STUDY", "type": "LABEL", "channel": "PHONE", "requester": "chambers/fes-meknes/artisans/a1",
				"receive_time": at(1, 9).UnixMicro(), "deadline_time": at(15, 9).UnixMicro()},
			Old: `{"requester":"chambers/fes-meknes/artisans/a1","type":"LABEL","channel":"PHONE","subject":"Label qualité",
				"receive_time":"2026-04-01T09:00:00Z","deadline_time":"2026-04-15T09:00:00Z","assignee":"agent-3","state":"IN_STUDY",
				"answer":{},"respond_time":"0001-01-01T00:00:00Z"}`,
			Want: &request.Request{Requester: "chambers/fes-meknes/artisans/a1", Type: request.Label, Channel: request.Phone, Subject: "Label qualité",
				ReceiveTime: at(1, 9), Deadline: at(15, 9), Assignee: "agent-3", State: request.InStudy},
			Repo: func(db *store.DB) storetest.KeyRepo[*request.Request] {
				r := NewRequests(db, nil)
				return storetest.ByName(storetest.Named(request.Collection), r.Get, r.Update)
			},
			Change: func(q *request.Request) error {
				q.State, q.Answer, q.RespondTime = request.Answered, l10n.Text{FR: "Dossier complet", AR: "ملف كامل"}, at(3, 11)
				return nil
			},
			Changed: func(q *request.Request) {
				q.State, q.Answer, q.RespondTime = request.Answered, l10n.Text{FR: "Dossier complet", AR: "ملف كامل"}, at(3, 11)
			},
			Keys: map[string]any{"state": "ANSWERED", "answer.fr": "Dossier complet", "respond_time": "2026-04-03T11:00:00Z",
				"deadline_time": "2026-04-15T09:00:00Z", "assignee": "agent-3"},
		},
		storetest.RecordVersion[*mediation.Case]{
			Record: caseRecord, Table: "mediation_cases",
			Columns: map[string]any{"state": "OPEN", "outcome": "", "mediator": "agent-7"},
			Old: `{"subject":"Litige de livraison","parties":[{"artisan":"chambers/fes-meknes/artisans/a1"},{"display_name":"Client X"}],
				"mediator":"agent-7","sessions":[{"time":"2026-04-05T10:00:00Z","notes":"Première séance"}],"state":"OPEN",
				"close_time":"0001-01-01T00:00:00Z"}`,
			Want: &mediation.Case{Subject: "Litige de livraison", Mediator: "agent-7", State: mediation.Open,
				Parties:  []mediation.Party{{Artisan: "chambers/fes-meknes/artisans/a1"}, {DisplayName: "Client X"}},
				Sessions: []mediation.Session{{Time: at(5, 10), Notes: "Première séance"}}},
			Repo: func(db *store.DB) storetest.KeyRepo[*mediation.Case] {
				r := NewCases(db, nil)
				return storetest.ByName(storetest.Named(mediation.Collection), r.Get, r.Update)
			},
			Change: func(c *mediation.Case) error {
				c.State, c.Outcome, c.OutcomeText, c.CloseTime = mediation.Closed, mediation.Settled, "Accord", at(9, 16)
				return nil
			},
			Changed: func(c *mediation.Case) {
				c.State, c.Outcome, c.OutcomeText, c.CloseTime = mediation.Closed, mediation.Settled, "Accord", at(9, 16)
			},
			Keys: map[string]any{"state": "CLOSED", "outcome": "SETTLED", "outcome_text": "Accord", "close_time": "2026-04-09T16:00:00Z",
				"parties":  []any{map[string]any{"artisan": "chambers/fes-meknes/artisans/a1"}, map[string]any{"display_name": "Client X"}},
				"sessions": []any{map[string]any{"time": "2026-04-05T10:00:00Z", "notes": "Première séance"}}},
		},
		storetest.RecordVersion[*document.Document]{
			Record: documentRecord, Table: "documents",
			Columns: map[string]any{"owner": "chambers/fes-meknes/serviceRequests/r1", "classification": "CORRESPONDENCE", "retention": "FIVE_YEARS"},
			Old: `{"classification":"CORRESPONDENCE","owner":"chambers/fes-meknes/serviceRequests/r1","retention":"FIVE_YEARS","file_name":"lettre.pdf",
				"media_type":"application/pdf","size_bytes":48213,"sha256":"9f86d081","retain_until_time":"2031-04-01T00:00:00Z"}`,
			Want: &document.Document{Classification: "CORRESPONDENCE", Owner: "chambers/fes-meknes/serviceRequests/r1", Retention: document.FiveYears,
				FileName: "lettre.pdf", MediaType: "application/pdf", Size: 48213, SHA256: "9f86d081", RetainUntil: time.Date(2031, 4, 1, 0, 0, 0, 0, time.UTC)},
			Repo: func(db *store.DB) storetest.KeyRepo[*document.Document] {
				r := NewDocuments(db, nil)
				return storetest.ByName(storetest.Named(document.Collection), r.Get, r.Update)
			},
			Change:  func(d *document.Document) error { d.Retention = document.TenYears; return nil },
			Changed: func(d *document.Document) { d.Retention = document.TenYears },
			Keys: map[string]any{"retention": "TEN_YEARS", "size_bytes": float64(48213), "sha256": "9f86d081", "file_name": "lettre.pdf",
				"retain_until_time": "2031-04-01T00:00:00Z"},
		},
		storetest.RecordVersion[*card.Card]{
			Record: cardRecord, Table: "professional_cards",
			Columns: map[string]any{"kind": "PROFESSIONAL_CARD", "artisan": "chambers/fes-meknes/artisans/a1", "valid_until_time": at(1, 0).AddDate(3, 0, 0).UnixMicro(),
				"code": func(key string) any { return "CODE-" + key }},
			Old: `{"kind":"PROFESSIONAL_CARD","artisan":"chambers/fes-meknes/artisans/a1","photo":"documents/d1","nia":"NIA-1","full_name_ar":"علي",
				"full_name_latin":"Ali","category":"ARTISAN","activity":"pottery","valid_from_time":"2026-04-01T00:00:00Z",
				"valid_until_time":"2029-04-01T00:00:00Z","code":"QZ7X-41KD","artisan_state":"ACTIVE","issuer":"clerk-2"}`,
			Want: &card.Card{Kind: card.ProfessionalCard, Artisan: "chambers/fes-meknes/artisans/a1", Photo: "documents/d1", NIA: "NIA-1", FullNameAr: "علي",
				FullNameLatin: "Ali", Category: "ARTISAN", Activity: "pottery", ValidFrom: at(1, 0), ValidUntil: at(1, 0).AddDate(3, 0, 0), Code: "QZ7X-41KD",
				ArtisanState: "ACTIVE", Issuer: "clerk-2"},
			Repo:    func(db *store.DB) storetest.KeyRepo[*card.Card] { return storetest.OnTable(NewCards(db, nil).T) },
			Change:  func(c *card.Card) error { c.Photo = "documents/d2"; return nil },
			Changed: func(c *card.Card) { c.Photo = "documents/d2" },
			Keys: map[string]any{"photo": "documents/d2", "code": "QZ7X-41KD", "valid_until_time": "2029-04-01T00:00:00Z", "full_name_ar": "علي",
				"artisan_state": "ACTIVE"},
		},
	)
}

package sqlstore

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/services/registry/internal/domain/activity"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/association"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
	"github.com/hirfa/hirfa/services/registry/internal/domain/enterprise"
	"github.com/hirfa/hirfa/services/registry/internal/domain/namerequest"
)

// TestRecordVersions checks every versioned record of the registry: it keeps
// every field of its entity, and a row in the shape stored before it is
// read, and rewritten as the current version, on SQLite and PostgreSQL.
func TestRecordVersions(t *testing.T) {
	storetest.RecordVersions(t, Migrate,
		storetest.RecordVersion[*artisan.Artisan]{
			Record: artisanRecord, Table: "artisans",
			Columns: map[string]any{"state": "SUSPENDED", "province": "fes", "activity": "F1.B02.A02", "category": "MASTER", "gender": "FEMALE",
				"display_key": "khadija tazi", "cnie": func(key string) any { return "AB1234" + key }, "nia": func(key string) any { return "NIA-" + key }},
			Old: `{"given_name_ar":"خديجة","family_name_ar":"التازي","given_name_latin":"Khadija","family_name_latin":"Tazi","cnie":"AB1234o",
				"gender":"FEMALE","birth_date":"1985-03-12","province":"fes","activity":"F1.B02.A02","category":"MASTER","diploma_reference":"D-9",
				"years_of_practice":12,"amin_certificate_reference":"AMIN-3","contact":{"phone":"+212600000001"},"state":"SUSPENDED","state_reason":"unpaid dues",
				"nia":"NIA-old","register_time":"2024-05-06T07:08:09Z","merged_from":[{"name":"chambers/fes-meknes/artisans/dup","time":"2025-01-02T03:04:05Z",
				"actor":"clerk","role":"chamber-clerk","reason":"same person","taken":["contact"],"nia":"NIA-dup"}],"demo":true}`,
			Want: &artisan.Artisan{GivenNameAR: "خديجة", FamilyNameAR: "التازي", GivenNameLatin: "Khadija", FamilyNameLatin: "Tazi", CNIE: "AB1234o",
				Gender: artisan.Female, BirthDate: "1985-03-12", Province: "fes", Activity: "F1.B02.A02", Category: artisan.Master, DiplomaReference: "D-9",
				YearsOfPractice: 12, AminCertificateReference: "AMIN-3", Contact: l10n.Contact{Phone: "+212600000001"}, State: artisan.Suspended,
				StateReason: "unpaid dues", NIA: "NIA-old", RegisterTime: ptr(time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)), Demo: true,
				MergedFrom: []artisan.MergeNote{{Name: "chambers/fes-meknes/artisans/dup", Time: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
					Actor: "clerk", Role: "chamber-clerk", Reason: "same person", Taken: []string{"contact"}, NIA: "NIA-dup"}}},
			Repo: func(db *store.DB) storetest.KeyRepo[*artisan.Artisan] {
				r := NewArtisans(db, nil)
				return storetest.ByName(storetest.Named(artisan.Collection), r.Get, r.Update)
			},
			Change:  func(a *artisan.Artisan) error { return a.StrikeOff("left the trade") },
			Changed: func(a *artisan.Artisan) { a.State, a.StateReason = artisan.StruckOff, "left the trade" },
			Keys: map[string]any{"state": "STRUCK_OFF", "state_reason": "left the trade", "register_time": "2024-05-06T07:08:09Z",
				"birth_date": "1985-03-12", "contact.phone": "+212600000001"},
		},
		storetest.RecordVersion[*enterprise.Enterprise]{
			Record: enterpriseRecord, Table: "enterprises",
			Columns: map[string]any{"state": "ACTIVE", "province": "fes", "activity": "pottery", "supervising_artisan": "chambers/fes-meknes/artisans/a1",
				"display_key": "atelier", "ice": func(key string) any { return "00200000000000" + key[:1] }},
			Old: `{"display_name":{"ar":"ورشة","fr":"Atelier"},"ice":"002000000000000","rc":"RC-12","activity":"pottery","province":"fes",
				"supervising_artisan":"chambers/fes-meknes/artisans/a1","contact":{"phone":"+212600000000","email":"a@example.ma","address":"Fès"},"state":"ACTIVE","demo":true}`,
			Want: &enterprise.Enterprise{DisplayName: l10n.Text{AR: "ورشة", FR: "Atelier"}, ICE: "002000000000000", RC: "RC-12", Activity: "pottery",
				Province: "fes", SupervisingArtisan: "chambers/fes-meknes/artisans/a1",
				Contact: l10n.Contact{Phone: "+212600000000", Email: "a@example.ma", Address: "Fès"}, State: enterprise.Active, Demo: true},
			Repo: func(db *store.DB) storetest.KeyRepo[*enterprise.Enterprise] {
				r := NewEnterprises(db, nil)
				return storetest.ByName(storetest.Named(enterprise.Collection), r.Get, r.Update)
			},
			Change:  func(e *enterprise.Enterprise) error { return e.Close("ceased trading") },
			Changed: func(e *enterprise.Enterprise) { e.State, e.StateReason = enterprise.Closed, "ceased trading" },
			Keys: map[string]any{"state": "CLOSED", "state_reason": "ceased trading", "supervising_artisan": "chambers/fes-meknes/artisans/a1",
				"demo": true, "contact.address": "Fès"},
		},
		storetest.RecordVersion[*association.Association]{
			Record: associationRecord, Table: "associations",
			Columns: map[string]any{"state": "DECLARED", "province": "fes", "category": "WOMEN", "display_key": "association"},
			Old: `{"display_name":{"ar":"جمعية","fr":"Association"},"object":"Tissage","province":"fes",
				"receipt":{"number":"R-7","provisional_date":"2025-03-01","definitive_date":"2025-04-20"},"president":"chambers/fes-meknes/artisans/a2",
				"last_general_assembly_date":"2026-02-01","category":"WOMEN","contact":{"email":"b@example.ma"},"state":"DECLARED"}`,
			Want: &association.Association{DisplayName: l10n.Text{AR: "جمعية", FR: "Association"}, Object: "Tissage", Province: "fes",
				Receipt:   association.Receipt{Number: "R-7", ProvisionalDate: "2025-03-01", DefinitiveDate: "2025-04-20"},
				President: "chambers/fes-meknes/artisans/a2", LastGeneralAssemblyDate: "2026-02-01", Category: "WOMEN",
				Contact: l10n.Contact{Email: "b@example.ma"}, State: association.Declared},
			Repo: func(db *store.DB) storetest.KeyRepo[*association.Association] {
				r := NewAssociations(db, nil)
				return storetest.ByName(storetest.Named(association.Collection), r.Get, r.Update)
			},
			Change:  (*association.Association).Activate,
			Changed: func(a *association.Association) { a.State = association.Active },
			Keys:    map[string]any{"state": "ACTIVE", "last_general_assembly_date": "2026-02-01", "receipt.definitive_date": "2025-04-20"},
		},
		storetest.RecordVersion[*cooperative.Cooperative]{
			Record: cooperativeRecord, Table: "cooperatives",
			Columns: map[string]any{"state": "REGISTERED", "province": "fes", "activity": "weaving", "members": 7, "capital": 1500000, "display_key": "tissage"},
			Old: `{"display_name":{"ar":"تعاونية","fr":"Tissage du Saïss"},"activity":"weaving","province":"fes","founding_date":"2019-04-02",
				"capital_centimes":1500000,"share_value_centimes":10000,"members_women":5,"members_men":2,"odco_certificate_reference":"ODCO-19/88",
				"name_certificate":"NC-2019-0001","local_register_number":"LR-31","union_name":"Union du Saïss","contact":{"phone":"+212611111111"},
				"state":"REGISTERED","demo":true}`,
			Want: &cooperative.Cooperative{DisplayName: l10n.Text{AR: "تعاونية", FR: "Tissage du Saïss"}, Activity: "weaving", Province: "fes",
				FoundingDate: "2019-04-02", CapitalCentimes: 1500000, ShareValueCentimes: 10000, MembersWomen: 5, MembersMen: 2,
				ODCOCertificateReference: "ODCO-19/88", NameCertificate: "NC-2019-0001", LocalRegisterNumber: "LR-31", UnionName: "Union du Saïss",
				Contact: l10n.Contact{Phone: "+212611111111"}, State: cooperative.Registered, Demo: true},
			Repo: func(db *store.DB) storetest.KeyRepo[*cooperative.Cooperative] {
				r := NewCooperatives(db, nil)
				return storetest.ByName(storetest.Named(cooperative.Collection), r.Get, r.Update)
			},
			Change:  func(c *cooperative.Cooperative) error { return c.Apply(cooperative.Activate, "") },
			Changed: func(c *cooperative.Cooperative) { c.State = cooperative.Active },
			Keys: map[string]any{"state": "ACTIVE", "founding_date": "2019-04-02", "members_women": float64(5), "name_certificate": "NC-2019-0001",
				"odco_certificate_reference": "ODCO-19/88", "contact.phone": "+212611111111"},
		},
		storetest.RecordVersion[*namerequest.Request]{
			Record: nameRequestRecord, Table: "name_requests",
			Columns: map[string]any{"state": "PENDING", "due_time": int64(1767225600000000)},
			Old: `{"names":[{"ar":"الأمل","fr":"Al Amal"},{"fr":"Espoir"}],"founder":"Fatima Zahra","state":"PENDING",
				"due_time":"2026-01-01T00:00:00Z","demo":true}`,
			Want: &namerequest.Request{Names: []namerequest.Proposal{{AR: "الأمل", FR: "Al Amal"}, {FR: "Espoir"}}, Founder: "Fatima Zahra",
				State: namerequest.Pending, DueTime: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Demo: true},
			Repo: func(db *store.DB) storetest.KeyRepo[*namerequest.Request] {
				r := NewNameRequests(db, nil)
				return storetest.ByName(storetest.Named(namerequest.Collection), r.Get, r.Update)
			},
			Change: func(q *namerequest.Request) error {
				return q.Approve(namerequest.Decision{Decider: "odco", Time: time.Date(2025, 12, 20, 9, 0, 0, 0, time.UTC), Name: 2,
					Certificate: "NC-2025-0042", Validity: 90 * 24 * time.Hour})
			},
			Changed: func(q *namerequest.Request) {
				q.State, q.ApprovedName, q.Certificate, q.ExpiryDate = namerequest.Approved, 2, "NC-2025-0042", "2026-03-20"
				q.DecideTime, q.Decider = time.Date(2025, 12, 20, 9, 0, 0, 0, time.UTC), "odco"
			},
			Keys: map[string]any{"state": "APPROVED", "approved_name": float64(2), "certificate": "NC-2025-0042", "expiry_date": "2026-03-20",
				"decide_time": "2025-12-20T09:00:00Z", "due_time": "2026-01-01T00:00:00Z", "founder": "Fatima Zahra"},
		},
		storetest.RecordVersion[*activity.Activity]{
			Record: activityRecord, Table: "activities", Chamber: activity.NationalScope,
			Columns: map[string]any{"family": "01", "branch": "0101", "retired": 0, "display_key": "poterie"},
			Old: `{"name":{"ar":"الفخار","fr":"Poterie"},"family":{"code":"01","name":{"fr":"Arts du feu"}},
				"branch":{"code":"0101","name":{"fr":"Terre cuite","ar":"الطين"}},"sample":true}`,
			Want: &activity.Activity{Name: l10n.Text{AR: "الفخار", FR: "Poterie"}, Family: activity.Group{Code: "01", Name: l10n.Text{FR: "Arts du feu"}},
				Branch: activity.Group{Code: "0101", Name: l10n.Text{FR: "Terre cuite", AR: "الطين"}}, Sample: true},
			Repo: func(db *store.DB) storetest.KeyRepo[*activity.Activity] {
				r := NewActivities(db, nil)
				return storetest.ByName(func(key string) string { return key }, r.Get, r.Update)
			},
			Change:  func(a *activity.Activity) error { a.Retired = true; return nil },
			Changed: func(a *activity.Activity) { a.Retired = true },
			Keys:    map[string]any{"retired": true, "sample": true, "family.code": "01", "branch.name.ar": "الطين"},
		},
	)
}

// TestUsableReadsTheRecord: the usable-activity check reads the sample flag
// of a version 0 row and of its version 1 rewrite alike.
func TestUsableReadsTheRecord(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		ctx := context.Background()
		db := open(t)
		if err := Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(ctx, db.Rebind(`INSERT INTO activities (chamber, id, revision, create_time, update_time, data, data_version, family, branch, retired, display_key)
			VALUES (?, 'S1', 1, 1, 1, '{"name":{"fr":"Échantillon"},"family":{"code":"01"},"branch":{"code":"0101"},"sample":true}', 0, '01', '0101', 0, 'echantillon')`),
			activity.NationalScope); err != nil {
			t.Fatal(err)
		}
		w := change.Write{Action: "Updated", Method: "/test/Update", Actor: change.Actor{Subject: "admin", Role: "ministry-admin"}}
		for _, version := range []string{"version 0", "version 1"} {
			r := NewActivities(db, nil) // a fresh cache
			if ok, err := r.Usable(ctx, "S1"); ok || !errors.Is(err, activity.ErrSample) {
				t.Fatalf("a sample activity stored as %s: usable = %v, %v; want ErrSample", version, ok, err)
			}
			if _, err := r.Update(ctx, "S1", w, func(a *activity.Activity) error { a.Name.AR = "عينة"; return nil }); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }

package sqlstore

import (
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/assembly"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/awareness"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/census"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/constitutive"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/election"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/programme"
)

// TestRecordVersions checks every versioned record of craft-bodies: it
// keeps every field of its entity, and a row in the shape stored before it
// is read, and rewritten as the current version, on SQLite and PostgreSQL.
// The changes are plain field writes: what is under test is the storage,
// the domain rules have their own tests.
func TestRecordVersions(t *testing.T) {
	constituted := time.Date(2026, 3, 14, 11, 0, 0, 0, time.UTC)
	settings := craftbody.Settings{Quorum: craftbody.Quorum{Numerator: 1, Denominator: 2, SecondNumerator: 1, SecondDenominator: 4, SecondMinimum: 3},
		TieBreak: assembly.TieRejected, AbstentionsCount: true, RunOff: craftbody.TwoLeaders, ElectionTie: craftbody.SeniorRegistration,
		ProvincialThreshold: craftbody.Share{Numerator: 2, Denominator: 3}}
	const settingsJSON = `{"quorum":{"numerator":1,"denominator":2,"second_numerator":1,"second_denominator":4,"second_minimum":3},"tie_break":1,
		"abstentions_count":true,"run_off":"TWO_LEADERS","election_tie":"SENIOR_REGISTRATION","provincial_threshold":{"numerator":2,"denominator":3}}`
	storetest.RecordVersions(t, Migrate,
		storetest.RecordVersion[*programme.Programme]{
			Record: programmeRecord, Table: "programmes",
			Columns: map[string]any{"launch_date": "2026-01-15"},
			Old: `{"title":{"fr":"Programme national","ar":"البرنامج الوطني"},"launch_date":"2026-01-15","phases":[{"number":1,"title":{"fr":"Phase 1"},
				"start_date":"2026-02-01","end_date":"2026-12-31","crafts":["pottery","weaving"],"milestones":[{"stage":"AWARENESS","due_date":"2026-03-01"}]}],"demo":true}`,
			Want: &programme.Programme{Title: l10n.Text{FR: "Programme national", AR: "البرنامج الوطني"}, LaunchDate: "2026-01-15", Demo: true,
				Phases: []programme.Phase{{Number: 1, Title: l10n.Text{FR: "Phase 1"}, StartDate: "2026-02-01", EndDate: "2026-12-31", Crafts: []string{"pottery", "weaving"},
					Milestones: []programme.Milestone{{Stage: craftbody.Awareness, DueDate: "2026-03-01"}}}}},
			Repo: func(db *store.DB) storetest.KeyRepo[*programme.Programme] {
				return storetest.OnTable(NewProgrammes(db, nil).t)
			},
			Change:  func(p *programme.Programme) error { p.Title.EN = "National programme"; return nil },
			Changed: func(p *programme.Programme) { p.Title.EN = "National programme" },
			Keys: map[string]any{"title.en": "National programme", "launch_date": "2026-01-15", "phases": []any{map[string]any{"number": float64(1),
				"title": map[string]any{"fr": "Phase 1"}, "start_date": "2026-02-01", "end_date": "2026-12-31", "crafts": []any{"pottery", "weaving"},
				"milestones": []any{map[string]any{"stage": "AWARENESS", "due_date": "2026-03-01"}}}}},
		},
		storetest.RecordVersion[*craftbody.Body]{
			Record: bodyRecord, Table: "craft_bodies",
			Columns: map[string]any{"level": "PROVINCIAL", "craft": "pottery", "province": "fes", "region": "", "stage": "ASSEMBLY_CONVENED",
				"programme": "programmes/p1", "phase": 1, "body_key": func(key string) any { return "PROVINCIAL/pottery/" + key }},
			Old: `{"display_name":{"fr":"Corps des potiers de Fès"},"level":"PROVINCIAL","craft":"pottery","province":"fes","programme":"programmes/p1",
				"phase":1,"settings":` + settingsJSON + `,"committee":{"members":[{"kind":"AMIN","display_name":{"ar":"أمين"},"role":"chair"},
				{"kind":"ARTISAN","registrant":"chambers/fes-meknes/artisans/a1","display_name":{"fr":"Ali"}}],"chair":"chambers/fes-meknes/artisans/a1",
				"formed_date":"2026-02-10"},"stage":"ASSEMBLY_CONVENED","demo":true}`,
			Want: &craftbody.Body{DisplayName: l10n.Text{FR: "Corps des potiers de Fès"}, Level: craftbody.Provincial, Craft: "pottery", Province: "fes",
				Programme: "programmes/p1", Phase: 1, Settings: settings, Stage: craftbody.AssemblyConvened, Demo: true,
				Committee: &craftbody.PreparatoryCommittee{Chair: "chambers/fes-meknes/artisans/a1", FormedDate: "2026-02-10",
					Members: []craftbody.CommitteeMember{{Kind: craftbody.MemberAmin, DisplayName: l10n.Text{AR: "أمين"}, Role: "chair"},
						{Kind: craftbody.MemberArtisan, Registrant: "chambers/fes-meknes/artisans/a1", DisplayName: l10n.Text{FR: "Ali"}}}}},
			Repo: func(db *store.DB) storetest.KeyRepo[*craftbody.Body] { return storetest.OnTable(NewBodies(db, nil).t) },
			Change: func(b *craftbody.Body) error {
				b.Stage, b.President, b.ConstituteTime = craftbody.Constituted, "chambers/fes-meknes/artisans/a1", &constituted
				return nil
			},
			Changed: func(b *craftbody.Body) {
				b.Stage, b.President, b.ConstituteTime = craftbody.Constituted, "chambers/fes-meknes/artisans/a1", &constituted
			},
			Keys: map[string]any{"stage": "CONSTITUTED", "constitute_time": "2026-03-14T11:00:00Z", "settings.tie_break": float64(1),
				"settings.provincial_threshold.denominator": float64(3), "committee.formed_date": "2026-02-10", "demo": true},
		},
		storetest.RecordVersion[*census.Snapshot]{
			Record: censusRecord, Table: "censuses",
			Columns: map[string]any{"members": 1},
			Old: `{"take_time":"2026-02-20T08:00:00Z","members":[{"registrant":"chambers/fes-meknes/artisans/a1","nia":"NIA-1","state":"ACTIVE",
				"category":"ARTISAN","activity":"pottery","province":"fes","display_name":{"fr":"Ali"},"register_date":"2015-06-01",
				"delegate_of":"craftBodies/b0"}],"excluded":{"STRUCK_OFF":2}}`,
			Want: &census.Snapshot{TakeTime: time.Date(2026, 2, 20, 8, 0, 0, 0, time.UTC), Excluded: map[string]int{"STRUCK_OFF": 2},
				Members: []census.Registrant{{Name: "chambers/fes-meknes/artisans/a1", NIA: "NIA-1", State: "ACTIVE", Category: "ARTISAN", Activity: "pottery",
					Province: "fes", DisplayName: l10n.Text{FR: "Ali"}, RegisterDate: "2015-06-01", DelegateOf: "craftBodies/b0"}}},
			Repo: func(db *store.DB) storetest.KeyRepo[*census.Snapshot] {
				return storetest.OnTable(NewCensuses(db, nil).t)
			},
			Change:  func(s *census.Snapshot) error { s.Excluded["DECEASED"] = 1; return nil },
			Changed: func(s *census.Snapshot) { s.Excluded["DECEASED"] = 1 },
			Keys: map[string]any{"take_time": "2026-02-20T08:00:00Z", "excluded": map[string]any{"STRUCK_OFF": float64(2), "DECEASED": float64(1)},
				"members": []any{map[string]any{"registrant": "chambers/fes-meknes/artisans/a1", "nia": "NIA-1", "state": "ACTIVE", "category": "ARTISAN",
					"activity": "pottery", "province": "fes", "display_name": map[string]any{"fr": "Ali"}, "register_date": "2015-06-01",
					"delegate_of": "craftBodies/b0"}}},
		},
		storetest.RecordVersion[*constitutive.Assembly]{
			Record: constitutiveRecord, Table: "constitutive_assemblies",
			Columns: map[string]any{"state": "IN_SESSION"},
			Old: `{"body":"chambers/fes-meknes/craftBodies/b1","roll":["m1","m2","m3"],"chair":"m1","settings":` + settingsJSON + `,
				"convocations":[{"number":1,"date":"2026-03-01","venue":"Siège","present":["m1","m2"],"quorum":{"met":true,"present":2,"required":2,
				"check_time":"2026-03-01T09:30:00Z"}}],"statutes":{"state":"VOTING","votes":{"m1":1,"m2":3}},"state":"IN_SESSION"}`,
			Want: &constitutive.Assembly{Body: "chambers/fes-meknes/craftBodies/b1", Roll: []string{"m1", "m2", "m3"}, Chair: "m1", Settings: settings,
				Convocations: []constitutive.Convocation{{Number: assembly.FirstConvocation, Date: "2026-03-01", Venue: "Siège", Present: []string{"m1", "m2"},
					Quorum: &constitutive.QuorumResult{Met: true, Present: 2, Required: 2, CheckTime: time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)}}},
				Statutes: constitutive.Statutes{State: constitutive.Voting, Votes: map[string]assembly.Choice{"m1": assembly.For, "m2": assembly.Abstain}},
				State:    constitutive.InSession},
			Repo: func(db *store.DB) storetest.KeyRepo[*constitutive.Assembly] {
				return storetest.OnTable(NewAssemblies(db, nil).t)
			},
			Change: func(a *constitutive.Assembly) error {
				a.Statutes.State, a.Statutes.Result = constitutive.Adopted, &assembly.Result{For: 1, Abstain: 1, Voting: 1, Outcome: assembly.Adopted}
				return nil
			},
			Changed: func(a *constitutive.Assembly) {
				a.Statutes.State, a.Statutes.Result = constitutive.Adopted, &assembly.Result{For: 1, Abstain: 1, Voting: 1, Outcome: assembly.Adopted}
			},
			Keys: map[string]any{"statutes.state": "ADOPTED", "statutes.votes.m2": float64(3), "statutes.result.Abstain": float64(1),
				"statutes.result.Outcome": float64(1), "settings.run_off": "TWO_LEADERS"},
		},
		storetest.RecordVersion[*election.Office]{
			Record: officeRecord, Table: "offices", Prefix: "b1.",
			Columns: map[string]any{"body": "b1", "position": 1, "elected": ""},
			Old: `{"office_id":"president","title":{"fr":"Président"},"position":1,"presidency":true,"candidates":["m1","m2"],
				"rounds":[{"number":1,"candidates":["m1","m2"],"ballots":[{"member":"m1","candidate":"m1"},{"member":"m3"}],"counts":{"m1":1},
				"votes_cast":1,"closed":false}]}`,
			Want: &election.Office{OfficeID: "president", Title: l10n.Text{FR: "Président"}, Position: 1, Presidency: true, Candidates: []string{"m1", "m2"},
				Rounds: []election.Round{{Number: 1, Candidates: []string{"m1", "m2"}, Ballots: []election.Ballot{{Member: "m1", Candidate: "m1"}, {Member: "m3"}},
					Counts: map[string]int{"m1": 1}, VotesCast: 1}}},
			Repo: func(db *store.DB) storetest.KeyRepo[*election.Office] {
				return storetest.OnTable(NewOffices(db, nil).t)
			},
			Change: func(o *election.Office) error {
				o.Rounds[0].Closed, o.Rounds[0].Elected, o.Rounds[0].ByTieRule, o.Elected = true, "m1", true, "m1"
				return nil
			},
			Changed: func(o *election.Office) {
				o.Rounds[0].Closed, o.Rounds[0].Elected, o.Rounds[0].ByTieRule, o.Elected = true, "m1", true, "m1"
			},
			Keys: map[string]any{"office_id": "president", "elected": "m1", "presidency": true, "rounds": []any{map[string]any{"number": float64(1),
				"candidates": []any{"m1", "m2"}, "ballots": []any{map[string]any{"member": "m1", "candidate": "m1"}, map[string]any{"member": "m3"}},
				"counts": map[string]any{"m1": float64(1)}, "votes_cast": float64(1), "elected": "m1", "by_tie_rule": true, "closed": true}}},
		},
		storetest.RecordVersion[*awareness.Meeting]{
			Record: meetingRecord, Table: "awareness_meetings", Prefix: "b1.",
			Columns: map[string]any{"body": "b1", "day": "2026-02-05", "event": func(key string) any { return "chambers/fes-meknes/events/" + key }},
			Old: `{"body":"chambers/fes-meknes/craftBodies/b1","meeting_id":"m1","title":{"ar":"لقاء تحسيسي"},"date":"2026-02-05","city":"Sefrou",
				"capacity":80,"event":"chambers/fes-meknes/events/e4"}`,
			Want: &awareness.Meeting{Body: "chambers/fes-meknes/craftBodies/b1", MeetingID: "m1", Title: l10n.Text{AR: "لقاء تحسيسي"}, Date: "2026-02-05",
				City: "Sefrou", Capacity: 80, Event: "chambers/fes-meknes/events/e4"},
			Repo: func(db *store.DB) storetest.KeyRepo[*awareness.Meeting] {
				return storetest.OnTable(NewMeetings(db, nil).t)
			},
			Change:  func(m *awareness.Meeting) error { m.Capacity = 120; return nil },
			Changed: func(m *awareness.Meeting) { m.Capacity = 120 },
			Keys: map[string]any{"body": "chambers/fes-meknes/craftBodies/b1", "meeting_id": "m1", "title.ar": "لقاء تحسيسي", "date": "2026-02-05",
				"city": "Sefrou", "capacity": float64(120), "event": "chambers/fes-meknes/events/e4"},
		},
	)
}

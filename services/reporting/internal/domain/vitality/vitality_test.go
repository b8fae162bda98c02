package vitality

import (
	"reflect"
	"testing"
	"time"
)

func TestAssess(t *testing.T) {
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	r := DefaultRules()
	relaxed := r
	relaxed.AssemblyRequired = false
	assoc := func(mod func(*Evidence)) Evidence {
		e := Evidence{Type: Association, State: "ACTIVE", FoundedDate: "2015-01-10", DefinitiveDate: "2015-03-01"}
		mod(&e)
		return e
	}
	coop := func(mod func(*Evidence)) Evidence {
		e := Evidence{Type: Cooperative, State: "ACTIVE", FoundedDate: "2018-05-02"}
		mod(&e)
		return e
	}
	for _, tc := range []struct {
		name     string
		rules    Rules
		e        Evidence
		standing Standing
		reasons  []Reason
		overdue  bool
	}{
		{"recent assembly", r, assoc(func(e *Evidence) { e.AssemblyDate = "2025-06-14" }), Active,
			[]Reason{{Code: RecentAssembly, Date: "2025-06-14"}}, false},
		{"assembly exactly at the window's edge", r, assoc(func(e *Evidence) { e.AssemblyDate = "2024-11-27" }), Active,
			[]Reason{{Code: RecentAssembly, Date: "2024-11-27"}}, false},
		{"assembly one day past the window", r, assoc(func(e *Evidence) { e.AssemblyDate = "2024-11-26" }), Stagnant,
			[]Reason{{Code: AssemblyOutdated, Date: "2024-11-26"}}, false},
		{"outdated assembly outweighs participation when required", r,
			assoc(func(e *Evidence) { e.AssemblyDate = "2021-02-01"; e.Participation = "2026-05-10" }), Stagnant,
			[]Reason{{Code: AssemblyOutdated, Date: "2021-02-01"}, {Code: RecentParticipation, Date: "2026-05-10"}}, false},
		{"outdated assembly with participation when not required", relaxed,
			assoc(func(e *Evidence) { e.AssemblyDate = "2021-02-01"; e.Participation = "2026-05-10" }), Active,
			[]Reason{{Code: AssemblyOutdated, Date: "2021-02-01"}, {Code: RecentParticipation, Date: "2026-05-10"}}, false},
		{"no assembly known, recent document", r, assoc(func(e *Evidence) { e.DocumentDate = "2026-10-01" }), Active,
			[]Reason{{Code: RecentDocument, Date: "2026-10-01"}}, false},
		{"recent bureau renewal", r, assoc(func(e *Evidence) { e.BureauDate = "2023-01-15" }), Active,
			[]Reason{{Code: RecentBureauRenewal, Date: "2023-01-15"}}, false},
		{"everything stale", r, assoc(func(e *Evidence) {
			e.BureauDate, e.Participation, e.DocumentDate = "2019-01-01", "2020-03-03", "2022-01-01"
		}), Stagnant,
			[]Reason{{Code: BureauOutdated, Date: "2019-01-01"}, {Code: ParticipationOutdated, Date: "2020-03-03"}, {Code: DocumentOutdated, Date: "2022-01-01"}}, false},
		{"nothing known", r, assoc(func(*Evidence) {}), Unknown, []Reason{{Code: NoEvidence}}, false},
		{"marked stagnant overrides recent evidence", r, assoc(func(e *Evidence) {
			e.State, e.StateReason, e.StateActor, e.StateDate = "STAGNANT", "no assembly since 2022", "admin@fes-meknes.ca.ma", "2026-11-02"
			e.AssemblyDate = "2026-06-01"
		}), Stagnant,
			[]Reason{{Code: MarkedStagnant, Date: "2026-11-02", Text: "no assembly since 2022", Actor: "admin@fes-meknes.ca.ma"}}, false},
		{"recently declared, receipt not yet due", r, assoc(func(e *Evidence) {
			e.State, e.FoundedDate, e.DefinitiveDate, e.ReceiptDue = "DECLARED", "2026-10-01", "", "2026-11-30"
		}), Active,
			[]Reason{{Code: RecentlyFounded, Date: "2026-10-01"}}, false},
		{"receipt due on day 60 is not yet overdue", r, assoc(func(e *Evidence) {
			e.State, e.FoundedDate, e.DefinitiveDate, e.ReceiptDue = "DECLARED", "2026-09-28", "", "2026-11-27"
		}), Active,
			[]Reason{{Code: RecentlyFounded, Date: "2026-09-28"}}, false},
		{"receipt missing on day 61", r, assoc(func(e *Evidence) {
			e.State, e.FoundedDate, e.DefinitiveDate, e.ReceiptDue = "DECLARED", "2026-09-27", "", "2026-11-26"
		}), Active,
			[]Reason{{Code: RecentlyFounded, Date: "2026-09-27"}, {Code: DefinitiveReceiptOverdue, Date: "2026-11-26"}}, true},
		{"receipt filed in the archive is not overdue", r, assoc(func(e *Evidence) {
			e.State, e.FoundedDate, e.DefinitiveDate, e.ReceiptDue, e.DefinitiveFiled = "DECLARED", "2026-01-01", "", "2026-03-02", true
		}), Active, []Reason{{Code: RecentlyFounded, Date: "2026-01-01"}}, false},
		{"marked stagnant and receipt overdue", r, assoc(func(e *Evidence) {
			e.State, e.DefinitiveDate, e.ReceiptDue, e.StateActor = "STAGNANT", "", "2015-03-11", "clerk@x"
		}), Stagnant, []Reason{{Code: MarkedStagnant, Actor: "clerk@x"}, {Code: DefinitiveReceiptOverdue, Date: "2015-03-11"}}, true},
		{"cooperative with recent participation", r, coop(func(e *Evidence) { e.Participation = "2026-04-20" }), Active,
			[]Reason{{Code: RecentParticipation, Date: "2026-04-20"}}, false},
		{"cooperative: an outdated assembly is not required", r, coop(func(e *Evidence) { e.AssemblyDate = "2020-06-01"; e.DocumentDate = "2026-02-02" }), Active,
			[]Reason{{Code: AssemblyOutdated, Date: "2020-06-01"}, {Code: RecentDocument, Date: "2026-02-02"}}, false},
		{"cooperative declared dormant", r, coop(func(e *Evidence) { e.State, e.StateReason = "DORMANT", "activity suspended" }), Stagnant,
			[]Reason{{Code: MarkedStagnant, Text: "activity suspended"}}, false},
		{"cooperative recently created, no receipt rule", r, coop(func(e *Evidence) { e.FoundedDate = "2026-01-05" }), Active,
			[]Reason{{Code: RecentlyFounded, Date: "2026-01-05"}}, false},
		{"no due day known, no flag", r, assoc(func(e *Evidence) { e.DefinitiveDate, e.AssemblyDate = "", "2026-01-01" }), Active,
			[]Reason{{Code: RecentAssembly, Date: "2026-01-01"}}, false},
		{"shorter activity window", Rules{AssemblyMonths: 24, BureauMonths: 48, ActivityMonths: 6},
			coop(func(e *Evidence) { e.Participation = "2026-04-20" }), Stagnant,
			[]Reason{{Code: ParticipationOutdated, Date: "2026-04-20"}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Assess(tc.rules, tc.e, today)
			if got.Standing != tc.standing || got.ReceiptOverdue != tc.overdue || !reflect.DeepEqual(got.Reasons, tc.reasons) {
				t.Fatalf("got %s overdue=%v %+v\nwant %s overdue=%v %+v", got.Standing, got.ReceiptOverdue, got.Reasons, tc.standing, tc.overdue, tc.reasons)
			}
		})
	}
}

func TestRulesValidate(t *testing.T) {
	if err := DefaultRules().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []Rules{{}, {AssemblyMonths: 24, BureauMonths: 48, ActivityMonths: 0}, {AssemblyMonths: 24, BureauMonths: 1201, ActivityMonths: 6}} {
		if bad.Validate() == nil {
			t.Fatalf("%+v accepted", bad)
		}
	}
}

func TestInventoried(t *testing.T) {
	for _, tc := range []struct {
		typ, state string
		want       bool
	}{{Association, "ACTIVE", true}, {Association, "DISSOLVED", false}, {Cooperative, "IN_LIQUIDATION", false}, {Cooperative, "FORMING", true}, {"ARTISAN", "REGISTERED", false}} {
		if got := Inventoried(tc.typ, tc.state); got != tc.want {
			t.Errorf("%s %s: %v", tc.typ, tc.state, got)
		}
	}
}

func TestEveryCodeHasWords(t *testing.T) {
	for _, c := range []string{string(Active), string(Stagnant), string(Unknown), Association, Cooperative, MarkedStagnant,
		RecentAssembly, AssemblyOutdated, RecentBureauRenewal, BureauOutdated, RecentParticipation, ParticipationOutdated,
		RecentDocument, DocumentOutdated, RecentlyFounded, NoEvidence, DefinitiveReceiptOverdue} {
		if w := Words(c); w.AR == c || w.FR == c || w.AR == "" || w.FR == "" {
			t.Errorf("%s has no words", c)
		}
	}
}

package app_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/assembly"
	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/tenancy"
	"github.com/hirfa/hirfa/pkg/territory"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/app"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/awareness"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/census"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/constitutive"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/election"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/programme"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/progress"
)

// register is an in-process stand-in for the registry's ListRegistrantFacts:
// pages of two, and an outage switch. The component tests of the next phase
// run the real registry.
type register struct {
	facts []census.Registrant
	down  bool
}

func (r *register) Facts(_ context.Context, chamber, craft, province, token string) ([]census.Registrant, string, error) {
	if r.down {
		return nil, "", &fault.UnavailableError{What: "registry", Err: errors.New("connection refused")}
	}
	var match []census.Registrant
	for _, f := range r.facts {
		if strings.HasPrefix(f.Name, "chambers/"+chamber+"/") && census.PractisesCraft(f.Activity, craft) && f.Province == province {
			match = append(match, f)
		}
	}
	start := 0
	fmt.Sscan(token, &start)
	end := min(start+2, len(match))
	next := ""
	if end < len(match) {
		next = fmt.Sprint(end)
	}
	return match[start:end], next, nil
}

// calendar stands in for events-and-fairs.
type calendar struct {
	created []string
	down    bool
}

func (c *calendar) CreateAwarenessSession(_ context.Context, chamber, _ string, _ *awareness.Meeting, _ string) (string, error) {
	if c.down {
		return "", &fault.UnavailableError{What: "events-and-fairs", Err: errors.New("connection refused")}
	}
	name := fmt.Sprintf("chambers/%s/events/e%d", chamber, len(c.created)+1)
	c.created = append(c.created, name)
	return name, nil
}

func (c *calendar) CheckedIn(context.Context, string) (int, error) { return 23, nil }

func as(role auth.Role, chamber string) context.Context {
	return auth.NewContext(context.Background(), auth.Principal{Subject: "tester", Role: role, Chamber: chamber})
}

func reason(err error) string {
	var pe *fault.PreconditionError
	var ue *fault.UnavailableError
	var ae *fault.AlreadyExistsError
	var nf *fault.NotFoundError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &pe):
		return pe.Reason
	case errors.As(err, &ue):
		return ue.Reason
	case errors.As(err, &ae):
		return ae.Reason
	case errors.As(err, &nf):
		return "NOT_FOUND"
	}
	return err.Error()
}

func setup(t *testing.T) (*app.CraftBodies, *register, *calendar) {
	t.Helper()
	db, err := store.Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "cb.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := sqlstore.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	terr, err := territory.Load()
	if err != nil {
		t.Fatal(err)
	}
	reg := &register{}
	for i := 1; i <= 9; i++ {
		st := census.StateRegistered
		switch i {
		case 8:
			st = census.StateSuspended
		case 9:
			st = census.StateStruckOff
		}
		reg.facts = append(reg.facts, census.Registrant{Name: fmt.Sprintf("chambers/fes-meknes/artisans/a%d", i), NIA: fmt.Sprintf("FM-2024-%04d", i),
			State: st, Category: "EXPERIENCED", Activity: "F1.B02.A01", Province: "fes",
			DisplayName: l10n.Text{AR: fmt.Sprintf("صانع %d", i), FR: fmt.Sprintf("Artisan %d", i)}, RegisterDate: resource.Date(fmt.Sprintf("2023-0%d-01", i))})
	}
	reg.facts = append(reg.facts, census.Registrant{Name: "chambers/fes-meknes/artisans/b1", NIA: "FM-2024-0100", State: census.StateRegistered,
		Activity: "F1.B02.A01", Province: "meknes"})
	cal := &calendar{}
	repos := app.Repositories{
		Programmes: sqlstore.NewProgrammes(db, nil), Bodies: sqlstore.NewBodies(db, nil), Censuses: sqlstore.NewCensuses(db, nil),
		Assemblies: sqlstore.NewAssemblies(db, nil), Offices: sqlstore.NewOffices(db, nil), Meetings: sqlstore.NewMeetings(db, nil),
	}
	a := app.New(repos, app.TerritoryPlaces{T: terr}, tenancy.Guard{}, reg, cal)
	a.SetClock(func() time.Time { return time.Date(2026, 1, 20, 10, 0, 0, 0, time.UTC) })
	return a, reg, cal
}

// TestFoundingAProvincialBodyFromAwarenessToBureau walks the whole founding
// of the Fès carpet weavers' body under the programme of 20 November 2025.
func TestFoundingAProvincialBodyFromAwarenessToBureau(t *testing.T) {
	a, reg, cal := setup(t)
	fes := as(auth.RoleChamberClerk, "fes-meknes")
	mut := func(id string) app.Mutation { return app.Mutation{Method: "/test/" + id, RequestID: id} }
	p, err := a.CreateProgramme(fes, "fes-meknes", &programme.Programme{
		Title: l10n.Text{AR: "تأسيس الهيئات الحرفية", FR: "Constitution des corps de métiers"}, LaunchDate: "2025-11-20",
		Phases: []programme.Phase{{Number: 1, StartDate: "2025-11-20", EndDate: "2026-06-30", Crafts: []string{"F1.B02"},
			Milestones: []programme.Milestone{{Stage: craftbody.Awareness, DueDate: "2025-12-31"}, {Stage: craftbody.Committee, DueDate: "2026-01-31"},
				{Stage: craftbody.Constituted, DueDate: "2026-04-30"}}}},
	}, mut("p"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := a.CreateCraftBody(fes, "fes-meknes", &craftbody.Body{DisplayName: l10n.Text{AR: "الهيئة الإقليمية لنساجي الزرابي بفاس", FR: "Corps des tisserands de tapis de Fès"},
		Level: craftbody.Provincial, Craft: "F1.B02.A01", Province: "fes", Programme: p.Name(), Phase: 1}, mut("b"))
	if err != nil {
		t.Fatal(err)
	}
	n, _ := resource.ParseName(b.Name(), craftbody.Collection, "name")
	if _, err := a.CreateCraftBody(fes, "fes-meknes", &craftbody.Body{DisplayName: l10n.Text{FR: "bis"}, Level: craftbody.Provincial,
		Craft: "F1.B02.A01", Province: "fes"}, mut("b2")); reason(err) != craftbody.ReasonCraftBodyExists {
		t.Fatalf("second body = %v", err)
	}
	if _, err := a.CreateCraftBody(fes, "fes-meknes", &craftbody.Body{DisplayName: l10n.Text{FR: "cuir"}, Level: craftbody.Provincial,
		Craft: "F1.B03.A01", Province: "fes", Programme: p.Name(), Phase: 1}, mut("b3")); reason(err) != programme.ReasonCraftNotInPhase {
		t.Fatalf("craft outside the phase = %v", err)
	}
	// Another chamber does not see it.
	if _, err := a.GetCraftBody(as(auth.RoleChamberClerk, "marrakech-safi"), n); reason(err) != "NOT_FOUND" {
		t.Fatalf("other chamber = %v", err)
	}
	// Awareness: an illegal jump first, then the meeting through events-and-fairs.
	if _, err := a.FormCommittee(fes, n, craftbody.PreparatoryCommittee{}, mut("c0")); reason(err) == "" {
		t.Fatal("committee accepted while PLANNED")
	}
	if _, err := a.StartAwareness(fes, n, mut("aw")); err != nil {
		t.Fatal(err)
	}
	cal.down = true
	if _, err := a.CreateAwarenessMeeting(fes, n, &awareness.Meeting{Title: l10n.Text{FR: "Réunion"}, Date: "2025-12-05"}, mut("m0")); reason(err) != awareness.ReasonEventsUnavailable {
		t.Fatalf("events outage = %v", err)
	}
	if page, _ := a.ListAwarenessMeetings(fes, n, paging.ListQuery{}); len(page.Items) != 0 {
		t.Fatal("an events outage wrote a meeting")
	}
	cal.down = false
	mt, err := a.CreateAwarenessMeeting(fes, n, &awareness.Meeting{Title: l10n.Text{FR: "Réunion"}, Date: "2025-12-05", City: "Fès"}, mut("m1"))
	if err != nil || mt.Event != "chambers/fes-meknes/events/e1" {
		t.Fatalf("meeting %+v %v", mt, err)
	}
	if _, got, err := a.GetAwarenessMeeting(fes, n, mt.MeetingID); err != nil || got != 23 {
		t.Fatalf("attendance %d %v", got, err)
	}
	chair := "chambers/fes-meknes/artisans/a1"
	if _, err := a.FormCommittee(fes, n, craftbody.PreparatoryCommittee{Chair: chair, FormedDate: "2025-12-20", Members: []craftbody.CommitteeMember{
		{Kind: craftbody.MemberArtisan, Registrant: chair, DisplayName: l10n.Text{FR: "Artisan 1"}},
		{Kind: craftbody.MemberAmin, Registrant: "chambers/fes-meknes/artisans/a2", DisplayName: l10n.Text{FR: "Amin"}},
		{Kind: craftbody.MemberAssociation, Registrant: "chambers/fes-meknes/associations/s1", DisplayName: l10n.Text{FR: "Association"}},
	}}, mut("c1")); err != nil {
		t.Fatal(err)
	}
	// Census: an outage writes nothing; then the snapshot from the register.
	reg.down = true
	if _, _, err := a.TakeCensus(fes, n, mut("cs0")); reason(err) != census.ReasonRegistryUnavailable {
		t.Fatalf("registry outage = %v", err)
	}
	if _, err := a.GetCensus(fes, n); reason(err) != "NOT_FOUND" {
		t.Fatalf("an outage wrote a census: %v", err)
	}
	if got, _ := a.GetCraftBody(fes, n); got.Stage != craftbody.Committee {
		t.Fatalf("an outage moved the body to %s", got.Stage)
	}
	reg.down = false
	snap, body, err := a.TakeCensus(fes, n, mut("cs1"))
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Members) != 7 || snap.Excluded[census.ExcludedSuspended] != 1 || snap.Excluded[census.ExcludedStruckOff] != 1 || body.Stage != craftbody.CensusTaken {
		t.Fatalf("census %d members %v, body %s", len(snap.Members), snap.Excluded, body.Stage)
	}
	roll := snap.Roll()
	// The assembly: the first convocation fails its quorum (3 of 7, 4 needed).
	if _, err := a.ConveneAssembly(fes, n, "2026-01-15", "Fès", mut("cv")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.RecordAttendance(fes, n, roll[:3], nil, mut("at1")); err != nil {
		t.Fatal(err)
	}
	ga, err := a.CheckQuorum(fes, n, mut("q1"))
	if err != nil || ga.State != constitutive.QuorumFailed {
		t.Fatalf("first convocation: %v %v", ga.State, err)
	}
	if _, err := a.ReconveneAssembly(fes, n, "2026-01-22", "", mut("rc")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.RecordAttendance(fes, n, roll[:5], nil, mut("at2")); err != nil {
		t.Fatal(err)
	}
	if ga, err = a.CheckQuorum(fes, n, mut("q2")); err != nil || ga.State != constitutive.InSession {
		t.Fatalf("second convocation: %v %v", ga.State, err)
	}
	for i, c := range []assembly.Choice{assembly.For, assembly.For, assembly.For, assembly.Against, assembly.Abstain} {
		if _, err := a.CastStatutesVote(fes, n, roll[i], c, mut(fmt.Sprintf("v%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.CastStatutesVote(fes, n, roll[6], assembly.For, mut("v6")); reason(err) != constitutive.ReasonNotPresent {
		t.Fatalf("absent voter = %v", err)
	}
	if ga, err = a.CloseStatutesVote(fes, n, mut("vc")); err != nil || ga.Statutes.State != constitutive.Adopted {
		t.Fatalf("statutes %v %v", ga.Statutes.State, err)
	}
	// The bureau: the president in two rounds, a treasurer in one.
	if _, err := a.ConstituteCraftBody(fes, n, mut("k0")); reason(err) != app.ReasonBureauIncomplete {
		t.Fatalf("constitute without bureau = %v", err)
	}
	if _, err := a.CreateOffice(fes, n, &election.Office{OfficeID: "president", Title: l10n.Text{AR: "الرئيس", FR: "Président"}, Position: 1,
		Presidency: true, Candidates: []string{roll[0], roll[1], roll[2]}}, mut("o1")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateOffice(fes, n, &election.Office{OfficeID: "treasurer", Title: l10n.Text{FR: "Trésorier"}, Position: 2,
		Candidates: []string{roll[6]}}, mut("o2")); reason(err) != election.ReasonCandidateNotPresent {
		t.Fatalf("absent candidate = %v", err)
	}
	for i, c := range []string{roll[0], roll[0], roll[1], roll[1], roll[2]} {
		if _, err := a.CastBallot(fes, n, "president", roll[i], c, mut(fmt.Sprintf("p1-%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	if o, err := a.CloseRound(fes, n, "president", mut("p1c")); err != nil || o.Elected != "" || len(o.Rounds) != 2 || len(o.Rounds[1].Candidates) != 2 {
		t.Fatalf("round 1: %+v %v", o, err)
	}
	for i, c := range []string{roll[1], roll[1], roll[1], roll[0], ""} {
		if _, err := a.CastBallot(fes, n, "president", roll[i], c, mut(fmt.Sprintf("p2-%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	if o, err := a.CloseRound(fes, n, "president", mut("p2c")); err != nil || o.Elected != roll[1] {
		t.Fatalf("round 2: %+v %v", o, err)
	}
	if _, err := a.CreateOffice(fes, n, &election.Office{OfficeID: "treasurer", Title: l10n.Text{FR: "Trésorier"}, Position: 2,
		Candidates: []string{roll[1]}}, mut("o3")); reason(err) != election.ReasonMemberHoldsOffice {
		t.Fatalf("president as treasurer = %v", err)
	}
	if _, err := a.CreateOffice(fes, n, &election.Office{OfficeID: "treasurer", Title: l10n.Text{FR: "Trésorier"}, Position: 2,
		Candidates: []string{roll[3]}}, mut("o4")); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := a.CastBallot(fes, n, "treasurer", roll[i], roll[3], mut(fmt.Sprintf("t-%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.CloseRound(fes, n, "treasurer", mut("tc")); err != nil {
		t.Fatal(err)
	}
	body, err = a.ConstituteCraftBody(fes, n, mut("k1"))
	if err != nil || body.Stage != craftbody.Constituted || body.President != roll[1] || body.ConstituteTime == nil {
		t.Fatalf("constituted %+v %v", body, err)
	}
	ar, fr, err := a.ExportMinutes(fes, n)
	if err != nil || !strings.Contains(fr, "Élu : "+roll[1]) || !strings.Contains(ar, "الدعوة الثانية") {
		t.Fatalf("minutes %v:\n%s\n%s", err, fr, ar)
	}
	// The regional body of the craft: its roll is the Fès bureau, and it
	// waits for half of the region's provinces (1 of 9 is not enough)
	// unless its setting asks for less.
	regional := func(threshold craftbody.Share, id string) resource.Name {
		t.Helper()
		s := craftbody.DefaultSettings()
		s.ProvincialThreshold = threshold
		rb, err := a.CreateCraftBody(fes, "fes-meknes", &craftbody.Body{DisplayName: l10n.Text{FR: "Corps régional des tisserands"},
			Level: craftbody.Regional, Craft: "F1.B02.A01", Settings: s}, mut(id))
		if err != nil {
			t.Fatal(err)
		}
		rn, _ := resource.ParseName(rb.Name(), craftbody.Collection, "name")
		if _, err := a.StartAwareness(fes, rn, mut(id+"aw")); err != nil {
			t.Fatal(err)
		}
		if _, err := a.FormCommittee(fes, rn, craftbody.PreparatoryCommittee{Chair: roll[1], FormedDate: "2026-02-01",
			Members: []craftbody.CommitteeMember{{Kind: craftbody.MemberArtisan, Registrant: roll[1], DisplayName: l10n.Text{FR: "P"}}}}, mut(id+"c")); err != nil {
			t.Fatal(err)
		}
		snap, _, err := a.TakeCensus(fes, rn, mut(id+"cs"))
		if err != nil || len(snap.Members) != 2 || snap.Members[0].DelegateOf != b.Name() || snap.Members[0].NIA == "" {
			t.Fatalf("delegates %+v %v", snap, err)
		}
		return rn
	}
	rn := regional(craftbody.Share{Numerator: 1, Denominator: 2}, "r1")
	if _, err := a.ConveneAssembly(fes, rn, "2026-03-01", "Fès", mut("r1cv")); reason(err) != craftbody.ReasonProvincialThresholdNotMet {
		t.Fatalf("regional before the threshold = %v", err)
	}
	if _, err := a.GetAssembly(fes, rn); reason(err) != "NOT_FOUND" {
		t.Fatalf("a refused convocation wrote an assembly: %v", err)
	}
	if _, err := a.DissolveCraftBody(fes, rn, app.Mutation{Method: "/t", Reason: "threshold lowered by the chamber"}); err != nil {
		t.Fatal(err)
	}
	rn = regional(craftbody.Share{Numerator: 1, Denominator: 9}, "r2")
	if ga, err := a.ConveneAssembly(fes, rn, "2026-03-01", "Fès", mut("r2cv")); err != nil || len(ga.Roll) != 2 {
		t.Fatalf("regional at its threshold: %v %v", ga, err)
	}

	// Progress: one constituted body in Fès, nothing lagging, nothing due.
	r, err := a.GetProgress(as(auth.RoleMinistry, ""), "-", progress.ByProvince, "", "2026-02-10")
	if err != nil || len(r.Groups) != 2 || r.Groups[0].Key != "-" {
		t.Fatalf("progress with the regional bodies %+v %v", r.Groups, err)
	}
	r, err = a.GetProgress(as(auth.RoleMinistry, ""), "-", progress.ByProvince, craftbody.Provincial, "2026-02-10")
	if err != nil || len(r.Groups) != 1 || r.Groups[0].Key != "fes" || r.Groups[0].ByStage[craftbody.Constituted] != 1 || len(r.Lagging) != 0 {
		t.Fatalf("progress %+v %v", r, err)
	}
	if _, err := a.GetProgress(fes, "-", progress.ByProvince, "", ""); err == nil {
		t.Fatal("a chamber clerk read progress nationally")
	}
}

// TestRegionalRollNeedsConstitutedProvincialBodies: a regional body's roll
// is the provincial bodies' delegates, never a census of the register, so
// without any constituted provincial body there is no roll.
func TestRegionalRollNeedsConstitutedProvincialBodies(t *testing.T) {
	a, _, _ := setup(t)
	fes := as(auth.RoleChamberClerk, "fes-meknes")
	b, err := a.CreateCraftBody(fes, "fes-meknes", &craftbody.Body{DisplayName: l10n.Text{FR: "Corps régional"}, Level: craftbody.Regional, Craft: "F1.B02.A01"},
		app.Mutation{Method: "/t"})
	if err != nil {
		t.Fatal(err)
	}
	n, _ := resource.ParseName(b.Name(), craftbody.Collection, "name")
	for _, act := range []func() error{
		func() error { _, err := a.StartAwareness(fes, n, app.Mutation{Method: "/t"}); return err },
		func() error {
			_, err := a.FormCommittee(fes, n, craftbody.PreparatoryCommittee{Chair: "chambers/fes-meknes/artisans/a1", FormedDate: "2026-01-02",
				Members: []craftbody.CommitteeMember{{Kind: craftbody.MemberArtisan, Registrant: "chambers/fes-meknes/artisans/a1", DisplayName: l10n.Text{FR: "A"}}}},
				app.Mutation{Method: "/t"})
			return err
		},
	} {
		if err := act(); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := a.TakeCensus(fes, n, app.Mutation{Method: "/t"}); reason(err) != census.ReasonCensusEmpty {
		t.Fatalf("regional census = %v", err)
	}
}

// Package repotest is the craft-bodies repository conformance suite: the
// same tests run against SQLite and PostgreSQL — CRUD and paging of bodies
// and programmes, filters, stale etags, the uniqueness of a live body per
// (level, craft, territory) even under racing creations, a dissolved body
// freeing its key, the threshold look-up across chambers, the census
// replaced when taken again, the assembly, the offices by position and an
// event linked to one awareness meeting only; every write with its outbox
// row.
package repotest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/awareness"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/census"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/constitutive"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/election"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/programme"
)

// Run runs the suite; open returns a fresh, empty database.
func Run(t *testing.T, open func(t *testing.T) *store.DB) {
	storetest.Suite(t, open, sqlstore.Migrate, map[string]func(*testing.T, *store.DB){
		"BodyCRUDAndPaging":      testBodies,
		"BodyKeyUnique":          testBodyKey,
		"BodyKeyUniqueUnderRace": testBodyRace,
		"ByCraftAcrossChambers":  testByCraft,
		"Programmes":             testProgrammes,
		"CensusReplaced":         testCensus,
		"Assembly":               testAssembly,
		"OfficesByPosition":      testOffices,
		"MeetingEventOnce":       testMeetings,
	})
}

const fes = "fes-meknes"

var ctx = context.Background()

func write(action string) change.Write {
	return change.Write{Action: action, Method: "/test", Actor: change.Actor{Subject: "tester", Role: "chamber-clerk", Chamber: fes}}
}

func newBody(chamber string, level craftbody.Level, craft, province string) *craftbody.Body {
	b := &craftbody.Body{Level: level, Craft: craft, Province: province, Stage: craftbody.Planned, Settings: craftbody.DefaultSettings(),
		DisplayName: l10n.Text{AR: "هيئة", FR: "Corps " + craft}}
	b.Chamber, b.ID = chamber, resource.NewID()
	switch level {
	case craftbody.Provincial, craftbody.Regional:
		b.Region = chamber
	}
	return b
}

func outbox(t *testing.T, db *store.DB, subject string) int {
	t.Helper()
	var n int
	if err := db.SQL.QueryRowContext(ctx, db.Rebind("SELECT COUNT(*) FROM outbox WHERE subject = ?"), subject).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func testBodies(t *testing.T, db *store.DB) {
	r := sqlstore.NewBodies(db, nil)
	var names []string
	for i, p := range []string{"fes", "meknes", "sefrou", "taounate", "boulemane"} {
		b := newBody(fes, craftbody.Provincial, "F1.B02.A01", p)
		b.Programme, b.Phase = "chambers/fes-meknes/programmes/p1", 1+i%2
		out, err := r.Create(ctx, b, write("Created"))
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, out.Name())
	}
	n, _ := resource.ParseName(names[0], craftbody.Collection, "name")
	got, err := r.Get(ctx, n)
	if err != nil || got.Province != "fes" || got.Settings.Quorum.Denominator != 2 || got.Etag() == "" {
		t.Fatalf("get: %+v %v", got, err)
	}
	if outbox(t, db, names[0]) != 1 {
		t.Fatal("create wrote no outbox row")
	}
	upd, err := r.Update(ctx, n, write("AwarenessStarted"), func(b *craftbody.Body) error {
		_, err := b.Apply(craftbody.StartAwareness)
		return err
	})
	if err != nil || upd.Stage != craftbody.Awareness || upd.Revision != 2 {
		t.Fatalf("update: %+v %v", upd, err)
	}
	// A refused move writes nothing.
	_, err = r.Update(ctx, n, write("Activated"), func(b *craftbody.Body) error {
		_, err := b.Apply(craftbody.Activate)
		return err
	})
	var pe *fault.PreconditionError
	if !errors.As(err, &pe) || pe.Reason != craftbody.ReasonIllegalTransition {
		t.Fatalf("illegal move = %v", err)
	}
	if got, _ := r.Get(ctx, n); got.Revision != 2 || outbox(t, db, names[0]) != 2 {
		t.Fatalf("a refused move wrote: revision %d", got.Revision)
	}
	// Stale etag.
	_, err = r.Update(ctx, n, write("Updated"), resource.WithEtag(n.String(), `"1"`, func(*craftbody.Body) error { return nil }))
	if !fault.Is[*fault.ConflictError](err) {
		t.Fatalf("stale etag = %v", err)
	}
	// Paging in creation order, and filters.
	var paged []string
	q := paging.ListQuery{Chamber: fes, PageSize: 2}
	for {
		page, err := r.List(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range page.Items {
			paged = append(paged, b.Name())
		}
		if page.NextPageToken == "" {
			break
		}
		q.PageToken = page.NextPageToken
	}
	if fmt.Sprint(paged) != fmt.Sprint(names) {
		t.Fatalf("paged %v, want %v", paged, names)
	}
	for filter, want := range map[string]int{
		`state = AWARENESS`:                           1,
		`province = "meknes"`:                         1,
		`level = PROVINCIAL AND craft = "F1.B02.A01"`: 5,
		`state = PLANNED AND province = "fes"`:        0,
	} {
		page, err := r.List(ctx, paging.ListQuery{Chamber: fes, Filter: filter})
		if err != nil || len(page.Items) != want {
			t.Errorf("filter %s: %d items, %v; want %d", filter, len(page.Items), err, want)
		}
	}
	if page, err := r.List(ctx, paging.ListQuery{Chamber: "marrakech-safi"}); err != nil || len(page.Items) != 0 {
		t.Fatalf("another chamber sees %d bodies (%v)", len(page.Items), err)
	}
}

func testBodyKey(t *testing.T, db *store.DB) {
	r := sqlstore.NewBodies(db, nil)
	first, err := r.Create(ctx, newBody(fes, craftbody.Provincial, "F1.B02.A01", "fes"), write("Created"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Create(ctx, newBody(fes, craftbody.Provincial, "F1.B02.A01", "fes"), write("Created"))
	var ae *fault.AlreadyExistsError
	if !errors.As(err, &ae) || ae.Reason != craftbody.ReasonCraftBodyExists || ae.Existing != first.Name() {
		t.Fatalf("duplicate = %v", err)
	}
	for _, b := range []*craftbody.Body{
		newBody(fes, craftbody.Provincial, "F1.B02.A01", "meknes"),
		newBody(fes, craftbody.Provincial, "F1.B02", "fes"),
		newBody(fes, craftbody.Regional, "F1.B02.A01", ""),
	} {
		if _, err := r.Create(ctx, b, write("Created")); err != nil {
			t.Fatalf("%s: %v", b.Key(), err)
		}
	}
	n, _ := resource.ParseName(first.Name(), craftbody.Collection, "name")
	if _, err := r.Update(ctx, n, write("Dissolved"), func(b *craftbody.Body) error {
		_, err := b.Apply(craftbody.Dissolve)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Create(ctx, newBody(fes, craftbody.Provincial, "F1.B02.A01", "fes"), write("Created")); err != nil {
		t.Fatalf("a dissolved body must free its key: %v", err)
	}
}

func testBodyRace(t *testing.T, db *store.DB) {
	r := sqlstore.NewBodies(db, nil)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = r.Create(ctx, newBody(fes, craftbody.Provincial, "F1.B04.A02", "sefrou"), write("Created"))
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !fault.Is[*fault.AlreadyExistsError](err):
			t.Fatalf("racing create: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d racing creations succeeded, want 1", ok)
	}
}

func testByCraft(t *testing.T, db *store.DB) {
	r := sqlstore.NewBodies(db, nil)
	for _, b := range []*craftbody.Body{
		newBody(fes, craftbody.Provincial, "F1.B02.A01", "fes"),
		newBody(fes, craftbody.Provincial, "F1.B02.A01", "meknes"),
		newBody("marrakech-safi", craftbody.Provincial, "F1.B02.A01", "safi"),
		newBody(fes, craftbody.Provincial, "F1.B02.A02", "fes"),
		newBody(fes, craftbody.Regional, "F1.B02.A01", ""),
	} {
		if _, err := r.Create(ctx, b, write("Created")); err != nil {
			t.Fatal(err)
		}
	}
	got, err := r.ByCraft(ctx, craftbody.Provincial, "F1.B02.A01")
	if err != nil || len(got) != 3 {
		t.Fatalf("ByCraft = %d bodies, %v", len(got), err)
	}
}

func testProgrammes(t *testing.T, db *store.DB) {
	r := sqlstore.NewProgrammes(db, nil)
	p := &programme.Programme{Title: l10n.Text{AR: "برنامج", FR: "Programme"}, LaunchDate: "2025-11-20",
		Phases: []programme.Phase{{Number: 1, StartDate: "2025-11-20", EndDate: "2026-06-30", Crafts: []string{"F1.B02"},
			Milestones: []programme.Milestone{{Stage: craftbody.Committee, DueDate: "2026-01-31"}}}}}
	p.Chamber, p.ID = fes, resource.NewID()
	out, err := r.Create(ctx, p, write("Created"))
	if err != nil {
		t.Fatal(err)
	}
	n, _ := resource.ParseName(out.Name(), programme.Collection, "name")
	got, err := r.Get(ctx, n)
	if err != nil || len(got.Phases) != 1 || got.Phases[0].Milestones[0].Stage != craftbody.Committee {
		t.Fatalf("get: %+v %v", got, err)
	}
	if _, err := r.Update(ctx, n, write("Updated"), func(p *programme.Programme) error {
		p.Phases = append(p.Phases, programme.Phase{Number: 2, StartDate: "2026-07-01", EndDate: "2026-12-31", Crafts: []string{"F1.B03"}})
		return p.Validate()
	}); err != nil {
		t.Fatal(err)
	}
	if got, _ := r.Get(ctx, n); len(got.Phases) != 2 {
		t.Fatalf("phases %d", len(got.Phases))
	}
	if page, err := r.List(ctx, paging.ListQuery{Chamber: resource.Wildcard}); err != nil || len(page.Items) != 1 {
		t.Fatalf("national list %v %v", page.Items, err)
	}
}

func bodyName(id string) resource.Name {
	return resource.Name{Chamber: fes, Collection: craftbody.Collection, ID: id}
}

func testCensus(t *testing.T, db *store.DB) {
	r := sqlstore.NewCensuses(db, nil)
	body := bodyName("b1")
	reg := func(id string) census.Registrant {
		return census.Registrant{Name: "chambers/fes-meknes/artisans/" + id, NIA: "N" + id, State: census.StateRegistered, Activity: "F1.B02.A01", Province: "fes"}
	}
	s1, err := census.Take(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), census.Scope{Craft: "F1.B02.A01", Provinces: []string{"fes"}}, []census.Registrant{reg("a1"), reg("a2")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Save(ctx, body, s1, write("CensusTaken")); err != nil {
		t.Fatal(err)
	}
	s2, _ := census.Take(time.Date(2026, 1, 9, 9, 0, 0, 0, time.UTC), census.Scope{Craft: "F1.B02.A01", Provinces: []string{"fes"}}, []census.Registrant{reg("a1"), reg("a2"), reg("a3")})
	if _, err := r.Save(ctx, body, s2, write("CensusRetaken")); err != nil {
		t.Fatal(err)
	}
	got, err := r.Get(ctx, body)
	if err != nil || len(got.Members) != 3 || !got.TakeTime.Equal(s2.TakeTime) || got.Revision != 2 {
		t.Fatalf("census %+v %v", got, err)
	}
	if outbox(t, db, body.String()+"/census") != 2 {
		t.Fatal("census writes must write their outbox rows")
	}
}

func testAssembly(t *testing.T, db *store.DB) {
	r := sqlstore.NewAssemblies(db, nil)
	body := bodyName("b1")
	roll := []string{"chambers/fes-meknes/artisans/a1", "chambers/fes-meknes/artisans/a2", "chambers/fes-meknes/artisans/a3"}
	a, err := constitutive.Convene(body.String(), roll, roll[0], craftbody.DefaultSettings(), "2026-01-15", "Fès")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Create(ctx, body, a, write("Convened")); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Update(ctx, body, write("QuorumChecked"), func(a *constitutive.Assembly) error {
		if err := a.RecordAttendance(roll[:1], nil); err != nil {
			return err
		}
		_, err := a.CheckQuorum(time.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	got, err := r.Get(ctx, body)
	if err != nil || got.State != constitutive.QuorumFailed || got.Convocations[0].Quorum == nil || got.Convocations[0].Quorum.Met {
		t.Fatalf("assembly %+v %v", got, err)
	}
	if outbox(t, db, body.String()+"/assembly") != 2 {
		t.Fatal("assembly writes must write their outbox rows")
	}
}

func testOffices(t *testing.T, db *store.DB) {
	r := sqlstore.NewOffices(db, nil)
	body := bodyName("b1")
	e := election.Electorate{Roll: []string{"chambers/fes-meknes/artisans/a1"}, Present: []string{"chambers/fes-meknes/artisans/a1"}}
	for _, o := range []struct {
		id  string
		pos int
	}{{"treasurer", 3}, {"president", 1}, {"secretary", 2}} {
		off, err := election.Open(o.id, l10n.Text{FR: o.id}, o.pos, o.id == "president", e.Roll, e, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Create(ctx, body, off, write("Opened")); err != nil {
			t.Fatal(err)
		}
	}
	dup, _ := election.Open("president", l10n.Text{FR: "p"}, 1, true, e.Roll, e, nil)
	if _, err := r.Create(ctx, body, dup, write("Opened")); !fault.Is[*fault.AlreadyExistsError](err) {
		t.Fatalf("office twice = %v", err)
	}
	// Another body's office does not show.
	other, _ := election.Open("president", l10n.Text{FR: "p"}, 1, true, e.Roll, e, nil)
	if _, err := r.Create(ctx, bodyName("b2"), other, write("Opened")); err != nil {
		t.Fatal(err)
	}
	page, err := r.List(ctx, body, paging.ListQuery{})
	if err != nil || len(page.Items) != 3 || page.Items[0].OfficeID != "president" || page.Items[2].OfficeID != "treasurer" {
		t.Fatalf("offices %v %v", page.Items, err)
	}
	if _, err := r.Update(ctx, body, "president", write("BallotCast"), func(o *election.Office) error {
		return o.Cast(e.Roll[0], e.Roll[0], e)
	}); err != nil {
		t.Fatal(err)
	}
	got, err := r.Get(ctx, body, "president")
	if err != nil || len(got.Rounds[0].Ballots) != 1 {
		t.Fatalf("office %+v %v", got, err)
	}
	if outbox(t, db, body.String()+"/assembly/offices/president") != 2 {
		t.Fatal("office writes must write their outbox rows under the office's name")
	}
}

func testMeetings(t *testing.T, db *store.DB) {
	r := sqlstore.NewMeetings(db, nil)
	body := bodyName("b1")
	mk := func(id, date, event string) error {
		_, err := r.Create(ctx, body, &awareness.Meeting{MeetingID: id, Title: l10n.Text{FR: "Réunion"}, Date: resource.Date(date), Event: event}, write("Planned"))
		return err
	}
	if err := mk("m2", "2025-12-12", "chambers/fes-meknes/events/e2"); err != nil {
		t.Fatal(err)
	}
	if err := mk("m1", "2025-12-05", "chambers/fes-meknes/events/e1"); err != nil {
		t.Fatal(err)
	}
	if err := mk("m3", "2025-12-20", "chambers/fes-meknes/events/e1"); !fault.Is[*fault.AlreadyExistsError](err) {
		t.Fatalf("event linked twice = %v", err)
	}
	page, err := r.List(ctx, body, paging.ListQuery{})
	if err != nil || len(page.Items) != 2 || page.Items[0].MeetingID != "m1" || page.Items[0].Name() != body.String()+"/awarenessMeetings/m1" {
		t.Fatalf("meetings %v %v", page.Items, err)
	}
}

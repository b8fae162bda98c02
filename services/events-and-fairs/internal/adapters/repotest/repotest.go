// Package repotest is the events-and-fairs repository conformance suite:
// the same tests run against every storage backend (SQLite and PostgreSQL),
// so both behave identically — CRUD of every resource, paging order and
// tokens, filters (kind, scope, state, province, date range), outbox and
// audit rows, the uniqueness rules (booth numbers, one application per
// applicant, a booth never given twice however allocations race), the
// figures aggregates, the per-event lock, and the look-ups behind
// registrations, agenda items and expiring agreements. Rollback, concurrent
// updates and request-id replay are the store's own mechanism, held by
// pkg/store's conformance suite on a test entity.
package repotest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/agreement"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/event"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/fair"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/generalassembly"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/nested"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/registration"
)

// Run runs the suite; open returns a fresh, empty database.
func Run(t *testing.T, open func(t *testing.T) *store.DB) {
	storetest.Suite(t, open, sqlstore.Migrate, map[string]func(*testing.T, *store.DB){
		"EventCRUD":                  testEventCRUD,
		"EventPaging":                testEventPaging,
		"EventFilters":               testEventFilters,
		"BoothNumberUnique":          testBoothNumber,
		"OneApplicationPerApplicant": testOneApplication,
		"RacingAllocations":          testRacingAllocations,
		"Figures":                    testFigures,
		"VisitorCountUpsert":         testVisitorUpsert,
		"Registrations":              testRegistrations,
		"AgendaItems":                testItems,
		"ExpiringAgreements":         testExpiring,
		"EventLock":                  testLock,
	})
}

const fes = "fes-meknes"

var w = change.Write{Action: "Created", Method: "/test", Actor: change.Actor{Subject: "tester", Role: "chamber-clerk", Chamber: fes}}

func newEvent(chamber string, kind event.Kind, start string, province string) *event.Event {
	e := &event.Event{Kind: kind, Scope: event.Regional, Title: l10n.Text{FR: "Salon " + start, AR: "معرض"},
		StartDate: resource.Date(start), EndDate: resource.Date(start), Venue: event.Venue{Province: province}, State: event.Planned}
	e.Chamber, e.ID = chamber, resource.NewID()
	return e
}

func evName(e *event.Event) resource.Name {
	return resource.Name{Chamber: e.Chamber, Collection: event.Collection, ID: e.ID}
}

func count(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func mustEvent(t *testing.T, db *store.DB, e *event.Event) *event.Event {
	t.Helper()
	out, err := sqlstore.NewEvents(db, nil).Create(context.Background(), e, w)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func testEventCRUD(t *testing.T, db *store.DB) {
	ctx := context.Background()
	repo := sqlstore.NewEvents(db, nil)
	e, err := repo.Create(ctx, newEvent(fes, event.Fair, "2023-03-01", "fes"), w)
	if err != nil {
		t.Fatal(err)
	}
	if e.Revision != 1 || e.CreateTime.IsZero() || !e.CreateTime.Equal(e.UpdateTime) {
		t.Fatalf("created meta = %+v", e.Meta)
	}
	got, err := repo.Get(ctx, evName(e))
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != e.Title || got.Kind != event.Fair || got.Etag() != e.Etag() {
		t.Fatalf("Get = %+v, want %+v", got, e)
	}
	upd, err := repo.Update(ctx, evName(e), change.Write{Action: "ApplicationsOpened"}, func(e *event.Event) error {
		return e.Apply(event.OpenApplications, "")
	})
	if err != nil {
		t.Fatal(err)
	}
	if upd.Revision != 2 || upd.State != event.OpenForApplications || upd.Etag() == e.Etag() {
		t.Fatalf("updated = %+v", upd)
	}
	if err := repo.Delete(ctx, evName(e), change.Write{Action: "Deleted"}, func(*event.Event) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Get(ctx, evName(e)); !fault.Is[*fault.NotFoundError](err) {
		t.Fatalf("Get after delete = %v, want NotFound", err)
	}
	var types []string
	rows, err := db.SQL.Query("SELECT type FROM outbox ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		types = append(types, s)
	}
	want := "[hirfa.eventsfairs.v1.EventCreated hirfa.eventsfairs.v1.EventApplicationsOpened hirfa.eventsfairs.v1.EventDeleted]"
	if fmt.Sprint(types) != want || count(t, db, "audit_records") != 3 {
		t.Fatalf("outbox = %v, want %s; audit = %d", types, want, count(t, db, "audit_records"))
	}
	// Nested records carry their full resource name in the outbox.
	fairs := sqlstore.NewFairs(db, sqlstore.FairEvents{})
	b := &fair.Booth{Number: "A-1", AreaM2: 9}
	b.Chamber, b.ID = fes, nested.Key("e1", "b1")
	if _, err := fairs.CreateBooth(ctx, b, w); err != nil {
		t.Fatal(err)
	}
	var subject string
	if err := db.SQL.QueryRow("SELECT subject FROM outbox ORDER BY seq DESC LIMIT 1").Scan(&subject); err != nil {
		t.Fatal(err)
	}
	if subject != "chambers/fes-meknes/events/e1/booths/b1" {
		t.Fatalf("booth event subject = %q", subject)
	}
	if _, err := fairs.GetBooth(ctx, nested.Name{Chamber: fes, ParentCollection: "events", Parent: "e1", Collection: "booths", ID: "b2"}); !fault.Is[*fault.NotFoundError](err) {
		t.Fatalf("missing booth = %v, want NotFound", err)
	}
}

func testEventPaging(t *testing.T, db *store.DB) {
	ctx := context.Background()
	repo := sqlstore.NewEvents(db, nil)
	var want []string
	for i := 0; i < 23; i++ {
		chamber := fes
		if i%3 == 0 {
			chamber = "marrakech-safi"
		}
		e := mustEvent(t, db, newEvent(chamber, event.Seminar, fmt.Sprintf("2023-%02d-01", 1+i%12), "fes"))
		if chamber == fes {
			want = append(want, e.ID)
		}
	}
	collect := func(q paging.ListQuery) []string {
		var ids []string
		for pages := 0; ; pages++ {
			p, err := repo.List(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range p.Items {
				ids = append(ids, e.ID)
			}
			if p.NextPageToken == "" {
				return ids
			}
			if len(p.Items) != q.PageSize {
				t.Fatalf("short page %d before the end", len(p.Items))
			}
			q.PageToken = p.NextPageToken
			if pages > 30 {
				t.Fatal("paging does not end")
			}
		}
	}
	if got := collect(paging.ListQuery{Chamber: fes, PageSize: 4}); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("pages in create order:\n got %v\nwant %v", got, want)
	}
	if all := collect(paging.ListQuery{Chamber: resource.Wildcard, PageSize: 5}); len(all) != 23 {
		t.Fatalf("national read = %d, want 23", len(all))
	}
	byDate := collect(paging.ListQuery{Chamber: fes, PageSize: 3, OrderBy: "start_date"})
	var prev resource.Date
	for _, id := range byDate {
		e, err := repo.Get(ctx, resource.Name{Chamber: fes, Collection: event.Collection, ID: id})
		if err != nil {
			t.Fatal(err)
		}
		if e.StartDate < prev {
			t.Fatalf("order by start_date: %s after %s", e.StartDate, prev)
		}
		prev = e.StartDate
	}
	if len(byDate) != len(want) {
		t.Fatalf("order by start_date lists %d, want %d", len(byDate), len(want))
	}
	p, err := repo.List(ctx, paging.ListQuery{Chamber: fes, PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.List(ctx, paging.ListQuery{Chamber: fes, PageSize: 2, Filter: "kind = FAIR", PageToken: p.NextPageToken}); !fault.Is[*fault.InvalidError](err) {
		t.Fatalf("token reused with another filter = %v, want InvalidArgument", err)
	}
}

func testEventFilters(t *testing.T, db *store.DB) {
	ctx := context.Background()
	repo := sqlstore.NewEvents(db, nil)
	f1 := newEvent(fes, event.Fair, "2023-01-15", "fes")
	f2 := newEvent(fes, event.Exhibition, "2023-05-31", "meknes")
	f2.Scope = event.National
	f3 := newEvent(fes, event.Fair, "2023-06-01", "fes")
	f3.State = event.Cancelled
	tr := newEvent(fes, event.Training, "2023-02-10", "ifrane")
	tr.Title = l10n.Text{FR: "Formation à la broderie de Fès", AR: "تكوين في الطرز الفاسي"}
	for _, e := range []*event.Event{f1, f2, f3, tr} {
		mustEvent(t, db, e)
	}
	tests := []struct {
		filter string
		want   int
	}{
		{`kind = FAIR`, 2},
		{`kind = FAIR OR kind = EXHIBITION`, 3},
		{`scope = NATIONAL`, 1},
		{`state = CANCELLED`, 1},
		{`province = "fes"`, 2},
		{`start_date >= "2023-01-01" AND start_date <= "2023-05-31"`, 3},
		{`start_date >= "2023-01-01" AND start_date <= "2023-05-31" AND kind != TRAINING`, 2},
		{`end_date < "2023-02-01"`, 1},
		{`title:"broderie"`, 1},
		{`title:"fes"`, 1}, // accent-insensitive: "Fès"
		{`title:"الطرز"`, 1},
	}
	for _, tt := range tests {
		p, err := repo.List(ctx, paging.ListQuery{Chamber: fes, Filter: tt.filter})
		if err != nil {
			t.Fatalf("%s: %v", tt.filter, err)
		}
		if len(p.Items) != tt.want {
			t.Errorf("%s: %d results, want %d", tt.filter, len(p.Items), tt.want)
		}
	}
	for _, bad := range []string{`colour = "red"`, `kind = PARTY`, `state = `} {
		if _, err := repo.List(ctx, paging.ListQuery{Chamber: fes, Filter: bad}); !fault.Is[*fault.InvalidError](err) {
			t.Errorf("filter %q = %v, want InvalidArgument", bad, err)
		}
	}
}

func booth(event, number string) *fair.Booth {
	b := &fair.Booth{Number: number, AreaM2: 9, FeeCentimes: 500_00}
	b.Chamber, b.ID = fes, nested.Key(event, resource.NewID())
	return b
}

func exhibitor(event, applicant string, state fair.State) *fair.Exhibitor {
	x := &fair.Exhibitor{Applicant: applicant, ApplicantType: fair.Artisan, Gender: fair.Female, Women: true, State: state}
	x.Chamber, x.ID = fes, nested.Key(event, resource.NewID())
	return x
}

func testBoothNumber(t *testing.T, db *store.DB) {
	ctx := context.Background()
	repo := sqlstore.NewFairs(db, sqlstore.FairEvents{})
	a, err := repo.CreateBooth(ctx, booth("e1", "A-1"), w)
	if err != nil {
		t.Fatal(err)
	}
	var ae *fault.AlreadyExistsError
	if _, err := repo.CreateBooth(ctx, booth("e1", "A-1"), w); !errors.As(err, &ae) || ae.Reason != "BOOTH_NUMBER_TAKEN" {
		t.Fatalf("second A-1 = %v, want BOOTH_NUMBER_TAKEN", err)
	}
	if _, err := repo.CreateBooth(ctx, booth("e2", "A-1"), w); err != nil {
		t.Fatalf("A-1 of another fair: %v", err)
	}
	b, err := repo.CreateBooth(ctx, booth("e1", "A-2"), w)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.UpdateBooth(ctx, b.NestedName(), w, func(b *fair.Booth) error { b.Number = "A-1"; return nil }); !errors.As(err, &ae) {
		t.Fatalf("renumber onto A-1 = %v, want AlreadyExists", err)
	}
	if n, err := repo.CountBooths(ctx, a.NestedName().ParentName()); err != nil || n != 2 {
		t.Fatalf("CountBooths = %d, %v; want 2", n, err)
	}
	page, err := repo.ListBooths(ctx, a.NestedName().ParentName(), paging.ListQuery{OrderBy: "number"})
	if err != nil || len(page.Items) != 2 || page.Items[0].Number != "A-1" {
		t.Fatalf("ListBooths = %+v, %v", page.Items, err)
	}
}

func testOneApplication(t *testing.T, db *store.DB) {
	ctx := context.Background()
	repo := sqlstore.NewFairs(db, sqlstore.FairEvents{})
	first, err := repo.CreateExhibitor(ctx, exhibitor("e1", "chambers/fes-meknes/artisans/a1", fair.Applied), w)
	if err != nil {
		t.Fatal(err)
	}
	var ae *fault.AlreadyExistsError
	_, err = repo.CreateExhibitor(ctx, exhibitor("e1", "chambers/fes-meknes/artisans/a1", fair.Applied), w)
	if !errors.As(err, &ae) || ae.Reason != "APPLICATION_EXISTS" || ae.Existing != first.Name() {
		t.Fatalf("second application = %#v, want APPLICATION_EXISTS naming %s", err, first.Name())
	}
	if _, err := repo.CreateExhibitor(ctx, exhibitor("e2", "chambers/fes-meknes/artisans/a1", fair.Applied), w); err != nil {
		t.Fatalf("same applicant, other fair: %v", err)
	}
	for _, f := range []string{"state = APPLIED AND women = true", "applicant_type = ARTISAN", "gender = FEMALE"} {
		page, err := repo.ListExhibitors(ctx, first.NestedName().ParentName(), paging.ListQuery{Filter: f})
		if err != nil || len(page.Items) != 1 {
			t.Errorf("ListExhibitors(%s) = %d, %v; want 1", f, len(page.Items), err)
		}
	}
}

// testRacingAllocations races many allocations of few booths: the unique
// index gives each booth to one exhibitor, whatever the interleaving, and
// refuses the others with BOOTH_ALREADY_ALLOCATED.
func testRacingAllocations(t *testing.T, db *store.DB) {
	ctx := context.Background()
	repo := sqlstore.NewFairs(db, sqlstore.FairEvents{})
	const exhibitors, booths = 24, 6
	var bs []*fair.Booth
	for i := range booths {
		b, err := repo.CreateBooth(ctx, booth("e1", fmt.Sprintf("B-%d", i)), w)
		if err != nil {
			t.Fatal(err)
		}
		bs = append(bs, b)
	}
	var xs []*fair.Exhibitor
	for i := range exhibitors {
		x, err := repo.CreateExhibitor(ctx, exhibitor("e1", fmt.Sprintf("chambers/fes-meknes/artisans/a%d", i), fair.Accepted), w)
		if err != nil {
			t.Fatal(err)
		}
		xs = append(xs, x)
	}
	var ok, taken atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, exhibitors*booths)
	start := make(chan struct{})
	for i, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			// Each exhibitor tries every booth, starting at a different one.
			for k := range booths {
				b := bs[(i+k)%booths]
				_, err := repo.UpdateExhibitor(ctx, x.NestedName(), w, func(x *fair.Exhibitor) error {
					if x.Booth != "" {
						return errDone
					}
					return x.Allocate(b.NestedName().ID)
				})
				var ae *fault.AlreadyExistsError
				switch {
				case err == nil:
					ok.Add(1)
					return
				case errors.Is(err, errDone):
					return
				case errors.As(err, &ae) && ae.Reason == "BOOTH_ALREADY_ALLOCATED":
					taken.Add(1)
				default:
					errs <- err
					return
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("allocation: %v", err)
	}
	if ok.Load() != booths {
		t.Fatalf("%d allocations succeeded, want exactly %d (one per booth)", ok.Load(), booths)
	}
	rows, err := db.SQL.Query("SELECT booth, COUNT(*) FROM exhibitors WHERE booth IS NOT NULL GROUP BY booth")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	held := 0
	for rows.Next() {
		var b string
		var n int
		if err := rows.Scan(&b, &n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("booth %s given %d times", b, n)
		}
		held++
	}
	if held != booths || taken.Load() == 0 {
		t.Fatalf("booths held = %d, refusals = %d", held, taken.Load())
	}
	t.Logf("%d exhibitors raced for %d booths: %d allocated, %d refused by the unique index", exhibitors, booths, ok.Load(), taken.Load())
}

var errDone = errors.New("already has a booth")

func testFigures(t *testing.T, db *store.DB) {
	ctx := context.Background()
	fairs := sqlstore.NewFairs(db, sqlstore.FairEvents{})
	f1 := mustEvent(t, db, newEvent(fes, event.Fair, "2023-02-01", "fes"))
	f2 := mustEvent(t, db, newEvent(fes, event.Exhibition, "2023-04-01", "meknes"))
	cancelled := newEvent(fes, event.Fair, "2023-03-01", "fes")
	cancelled.State = event.Cancelled
	mustEvent(t, db, cancelled)
	mustEvent(t, db, newEvent(fes, event.Training, "2023-03-05", "fes"))
	mustEvent(t, db, newEvent("marrakech-safi", event.Fair, "2023-03-01", "safi"))
	mustEvent(t, db, newEvent(fes, event.Fair, "2023-07-01", "fes")) // outside the period
	// Fair 1: three booths, four applications (two accepted, one with a booth).
	var b *fair.Booth
	for i := range 3 {
		var err error
		if b, err = fairs.CreateBooth(ctx, booth(f1.ID, fmt.Sprint(i)), w); err != nil {
			t.Fatal(err)
		}
	}
	add := func(ev *event.Event, applicant string, st fair.State, typ fair.ApplicantType, g fair.Gender, women, rural, outside bool, boothID string, sales int64) {
		x := exhibitor(ev.ID, applicant, st)
		x.ApplicantType, x.Gender, x.Women, x.Rural, x.OutsideRegion, x.Booth, x.SalesCentimes = typ, g, women, rural, outside, boothID, sales
		if _, err := fairs.CreateExhibitor(ctx, x, w); err != nil {
			t.Fatal(err)
		}
	}
	add(f1, "chambers/fes-meknes/artisans/a1", fair.Accepted, fair.Artisan, fair.Female, true, true, false, b.NestedName().ID, 150_000_00)
	add(f1, "chambers/fes-meknes/artisans/a2", fair.Accepted, fair.Artisan, fair.Male, false, false, true, "", 50_000_00)
	add(f1, "chambers/fes-meknes/artisans/a3", fair.Rejected, fair.Artisan, fair.Male, false, false, false, "", 0)
	add(f1, "chambers/fes-meknes/cooperatives/c1", fair.Waitlisted, fair.Cooperative, "", true, false, false, "", 0)
	// Fair 2: the same artisan a1 again, and a cooperative; a withdrawn one's sales do not count.
	add(f2, "chambers/fes-meknes/artisans/a1", fair.Accepted, fair.Artisan, fair.Female, true, false, false, "", 10_000_00)
	add(f2, "chambers/fes-meknes/cooperatives/c1", fair.Accepted, fair.Cooperative, "", true, false, false, "", 20_000_00)
	add(f2, "chambers/fes-meknes/associations/s1", fair.Withdrawn, fair.Association, "", false, false, false, "", 99_00)
	for _, v := range []struct {
		ev       *event.Event
		day      string
		visitors int64
	}{{f1, "2023-02-01", 1000}, {f1, "2023-02-02", 1500}, {f2, "2023-04-01", 700}} {
		vc := &fair.VisitorCount{Date: resource.Date(v.day), Visitors: v.visitors}
		vc.Chamber, vc.ID = fes, nested.Key(v.ev.ID, fair.DayID(vc.Date))
		if _, err := fairs.RecordVisitorCount(ctx, vc, w); err != nil {
			t.Fatal(err)
		}
	}
	period := fair.Scope{Chamber: fes, From: "2023-01-01", To: "2023-05-31"}
	figs, err := fairs.Figures(ctx, period)
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != 2 || figs[0].Event != f1.ID || figs[1].Event != f2.ID {
		t.Fatalf("figures cover %+v, want fair 1 then fair 2", figs)
	}
	want1 := event.Evaluation{Exhibitors: 2, Artisans: 2, WomenArtisans: 1, MenArtisans: 1, WomenExhibitors: 1, RuralExhibitors: 1,
		OutsideRegionExhibitors: 1, Booths: 3, BoothsUsed: 1, Visitors: 2500, SalesCentimes: 200_000_00, Applications: 4, Rejected: 1, Waitlisted: 1}
	want2 := event.Evaluation{Exhibitors: 2, Artisans: 1, Cooperatives: 1, WomenArtisans: 1, WomenExhibitors: 2,
		Visitors: 700, SalesCentimes: 30_000_00, Applications: 3}
	if figs[0].Evaluation != want1 {
		t.Errorf("fair 1 = %+v\nwant %+v", figs[0].Evaluation, want1)
	}
	if figs[1].Evaluation != want2 {
		t.Errorf("fair 2 = %+v\nwant %+v", figs[1].Evaluation, want2)
	}
	if n, err := fairs.DistinctExhibitors(ctx, period); err != nil || n != 3 {
		t.Errorf("DistinctExhibitors = %d, %v; want 3 (a1 counted once)", n, err)
	}
	one, err := fairs.Figures(ctx, fair.Scope{Chamber: fes, Event: f1.ID})
	if err != nil || len(one) != 1 || one[0].Evaluation != want1 {
		t.Errorf("one fair = %+v, %v", one, err)
	}
	national, err := fairs.Figures(ctx, fair.Scope{Chamber: resource.Wildcard, From: "2023-01-01", To: "2023-05-31"})
	if err != nil || len(national) != 3 {
		t.Errorf("national figures = %d fairs, %v; want 3", len(national), err)
	}
	flags, err := fairs.AcceptedFlags(ctx, evName(f1))
	if err != nil || len(flags) != 2 {
		t.Fatalf("AcceptedFlags = %+v, %v", flags, err)
	}
	if held, err := fairs.BoothAllocated(ctx, b.NestedName()); err != nil || !held {
		t.Errorf("BoothAllocated = %v, %v; want true", held, err)
	}
}

func testVisitorUpsert(t *testing.T, db *store.DB) {
	ctx := context.Background()
	fairs := sqlstore.NewFairs(db, sqlstore.FairEvents{})
	vc := func(n int64) *fair.VisitorCount {
		v := &fair.VisitorCount{Date: "2023-02-01", Visitors: n}
		v.Chamber, v.ID = fes, nested.Key("e1", "20230201")
		return v
	}
	if _, err := fairs.RecordVisitorCount(ctx, vc(100), w); err != nil {
		t.Fatal(err)
	}
	got, err := fairs.RecordVisitorCount(ctx, vc(120), w)
	if err != nil || got.Visitors != 120 || got.Revision != 2 {
		t.Fatalf("correction = %+v, %v", got, err)
	}
	page, err := fairs.ListVisitorCounts(ctx, resource.Name{Chamber: fes, Collection: "events", ID: "e1"}, paging.ListQuery{})
	if err != nil || len(page.Items) != 1 || page.Items[0].Visitors != 120 {
		t.Fatalf("ListVisitorCounts = %+v, %v", page.Items, err)
	}
}

func testRegistrations(t *testing.T, db *store.DB) {
	ctx := context.Background()
	repo := sqlstore.NewRegistrations(db, nil)
	parent := resource.Name{Chamber: fes, Collection: event.Collection, ID: "t1"}
	var made []*registration.Registration
	for i, st := range []registration.State{registration.Registered, registration.Waitlisted, registration.Waitlisted, registration.Attended} {
		r := &registration.Registration{DisplayName: fmt.Sprint("P", i), State: st, CheckInCode: registration.NewCode()}
		r.Chamber, r.ID = fes, nested.Key("t1", resource.NewID())
		out, err := repo.Create(ctx, r, w)
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, out)
		time.Sleep(time.Millisecond) // distinct create times: the wait list is in order
	}
	c, err := repo.Counts(ctx, parent)
	if err != nil || c[registration.Registered] != 1 || c[registration.Waitlisted] != 2 || c.Taken() != 2 {
		t.Fatalf("Counts = %v, %v", c, err)
	}
	first, err := repo.FirstWaitlisted(ctx, parent)
	if err != nil || first == nil || first.ID != made[1].ID {
		t.Fatalf("FirstWaitlisted = %+v, %v; want %s", first, err, made[1].ID)
	}
	byCode, err := repo.ByCode(ctx, parent, made[2].CheckInCode)
	if err != nil || byCode.ID != made[2].ID {
		t.Fatalf("ByCode = %+v, %v", byCode, err)
	}
	if _, err := repo.ByCode(ctx, parent, "0000000000"); !fault.Is[*fault.NotFoundError](err) {
		t.Fatalf("unknown code = %v, want NotFound", err)
	}
	if none, err := repo.FirstWaitlisted(ctx, resource.Name{Chamber: fes, Collection: event.Collection, ID: "t2"}); none != nil || err != nil {
		t.Fatalf("FirstWaitlisted of an empty event = %+v, %v", none, err)
	}
	page, err := repo.List(ctx, parent, paging.ListQuery{Filter: "state = WAITLISTED"})
	if err != nil || len(page.Items) != 2 {
		t.Fatalf("List waitlisted = %d, %v", len(page.Items), err)
	}
}

func testItems(t *testing.T, db *store.DB) {
	ctx := context.Background()
	assemblies := sqlstore.NewAssemblies(db, nil)
	items := sqlstore.NewItems(db, nil)
	ga := &generalassembly.Assembly{Title: l10n.Text{FR: "AG"}, SessionType: generalassembly.Ordinary, OrdinarySession: generalassembly.June,
		Members: []generalassembly.Member{{ID: "m1", DisplayName: l10n.Text{FR: "Un"}}}, State: generalassembly.Convened,
		Quorum: generalassembly.Quorum{Numerator: 1, Denominator: 2}}
	ga.Chamber, ga.ID = fes, resource.NewID()
	if _, err := assemblies.Create(ctx, ga, w); err != nil {
		t.Fatal(err)
	}
	parent := resource.Name{Chamber: fes, Collection: generalassembly.Collection, ID: ga.ID}
	for _, p := range []int{3, 1, 2} {
		it := &generalassembly.Item{Position: p, Title: l10n.Text{FR: fmt.Sprint("Point ", p)}, Kind: generalassembly.Other, State: generalassembly.Pending}
		if p == 2 {
			it.State = generalassembly.Voting
		}
		it.Chamber, it.ID = fes, nested.Key(ga.ID, resource.NewID())
		if _, err := items.Create(ctx, it, w); err != nil {
			t.Fatal(err)
		}
	}
	page, err := items.List(ctx, parent, paging.ListQuery{})
	if err != nil || len(page.Items) != 3 {
		t.Fatalf("List = %v, %v", page.Items, err)
	}
	for i, it := range page.Items {
		if it.Position != i+1 {
			t.Fatalf("item %d has position %d: not ordered by position", i, it.Position)
		}
	}
	if n, err := items.CountVoting(ctx, parent); err != nil || n != 1 {
		t.Fatalf("CountVoting = %d, %v", n, err)
	}
}

func testExpiring(t *testing.T, db *store.DB) {
	ctx := context.Background()
	repo := sqlstore.NewAgreements(db, nil)
	mk := func(state agreement.State, end string) *agreement.Agreement {
		a := &agreement.Agreement{Title: l10n.Text{FR: "Convention " + end}, State: state, StartDate: "2020-01-01", EndDate: resource.Date(end),
			Parties: []agreement.Party{{Name: l10n.Text{FR: "Chambre"}, Kind: agreement.Chamber}, {Name: l10n.Text{FR: "Banque"}, Kind: agreement.Bank}}}
		a.Chamber, a.ID = fes, resource.NewID()
		out, err := repo.Create(ctx, a, w)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	soon := mk(agreement.Active, "2026-02-10")
	sooner := mk(agreement.Signed, "2026-02-01")
	mk(agreement.Active, "2026-06-01")     // beyond the horizon
	mk(agreement.Draft, "2026-02-05")      // not in force
	mk(agreement.Terminated, "2026-02-05") // ended early
	mk(agreement.Active, "2026-01-10")     // ran out already
	page, err := repo.Expiring(ctx, paging.ListQuery{Chamber: fes}, "2026-01-15", "2026-02-14")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range page.Items {
		got = append(got, a.ID)
	}
	if fmt.Sprint(got) != fmt.Sprint([]string{sooner.ID, soon.ID}) {
		t.Fatalf("expiring = %v, want [%s %s] (soonest first)", got, sooner.ID, soon.ID)
	}
}

// testLock checks the per-event lock: callers of one key run one at a time,
// other keys are not held up, and a waiting caller gives up with its context.
func testLock(t *testing.T, db *store.DB) {
	locks := sqlstore.NewLocks(db)
	ctx := context.Background()
	var inside, maxInside atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			unlock, err := locks.Lock(ctx, "chambers/fes-meknes/events/e1")
			if err != nil {
				t.Error(err)
				return
			}
			n := inside.Add(1)
			for {
				m := maxInside.Load()
				if n <= m || maxInside.CompareAndSwap(m, n) {
					break
				}
			}
			time.Sleep(2 * time.Millisecond)
			inside.Add(-1)
			unlock()
		}()
	}
	wg.Wait()
	if maxInside.Load() != 1 {
		t.Fatalf("%d callers held the lock at once", maxInside.Load())
	}
	// Many events locked at once, each holder querying while it holds the
	// lock: the holders never take every pooled connection.
	busy, cancelBusy := context.WithTimeout(ctx, 10*time.Second)
	defer cancelBusy()
	var wg2 sync.WaitGroup
	for i := range 40 {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			unlock, err := locks.Lock(busy, fmt.Sprint("chambers/fes-meknes/events/busy", i))
			if err != nil {
				t.Error(err)
				return
			}
			defer unlock()
			time.Sleep(20 * time.Millisecond) // let the others take their locks
			var n int
			if err := db.SQL.QueryRowContext(busy, "SELECT COUNT(*) FROM events").Scan(&n); err != nil {
				t.Error(err)
			}
		}()
	}
	wg2.Wait()
	unlock, err := locks.Lock(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	other, err := locks.Lock(ctx, "b")
	if err != nil {
		t.Fatalf("another key: %v", err)
	}
	other()
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := locks.Lock(short, "a"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiting on a held key = %v, want the context's deadline", err)
	}
	if db.Dialect == store.Postgres {
		// Another replica has its own lock table: PostgreSQL's advisory
		// lock is what holds it back.
		replica := sqlstore.NewLocks(db)
		short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		if _, err := replica.Lock(short, "a"); err == nil {
			t.Fatal("another replica took a held lock")
		}
		if u, err := replica.Lock(ctx, "c"); err != nil {
			t.Fatalf("another replica, free key: %v", err)
		} else {
			u()
		}
	}
}

package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/pkg/territory"
	"github.com/hirfa/hirfa/pkg/testenv"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
	"github.com/hirfa/hirfa/services/reporting/internal/adapters/eventdecode"
	"github.com/hirfa/hirfa/services/reporting/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/projection"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/stats"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// feed applies producer events, encoded exactly as the producers' outbox
// payloads are (the resource's public proto), through the decoder and the
// projector, one transaction per event as the bus's consumer does.
type feed struct {
	t   *testing.T
	db  *store.DB
	p   *sqlstore.Projector
	dec eventdecode.Decoder
	at  time.Time
}

func newFeed(t *testing.T, db *store.DB) *feed {
	t.Helper()
	if err := sqlstore.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	terr, err := territory.Load()
	if err != nil {
		t.Fatal(err)
	}
	regionOf := func(p string) string {
		pr, _ := terr.Province(p)
		return pr.RegionID
	}
	return &feed{t: t, db: db, p: sqlstore.NewProjector(db), dec: eventdecode.Decoder{RegionOf: regionOf},
		at: time.Date(2023, 1, 1, 9, 0, 0, 0, time.UTC)}
}

// tick advances the clock: every event is a newer version of its resource.
func (f *feed) tick() *timestamppb.Timestamp {
	f.at = f.at.Add(time.Minute)
	return timestamppb.New(f.at)
}

func (f *feed) send(typ string, m proto.Message) {
	f.t.Helper()
	data, err := proto.Marshal(m)
	if err != nil {
		f.t.Fatal(err)
	}
	c, ok, err := f.dec.Decode(typ, f.at, data)
	if err != nil || !ok {
		f.t.Fatalf("decode %s: ok=%v err=%v", typ, ok, err)
	}
	if err := f.db.Tx(context.Background(), func(tx *sql.Tx) error { return f.p.Apply(context.Background(), tx, c) }); err != nil {
		f.t.Fatalf("apply %s: %v", typ, err)
	}
}

const (
	reg = "hirfa.registry.v1."
	ef  = "hirfa.eventsfairs.v1."
)

func TestProjections(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		t.Run("Seed003FairEvaluation", func(t *testing.T) { testSeed003(t, open(t)) })
		t.Run("RegisterStatistics", func(t *testing.T) { testRegister(t, open(t)) })
		t.Run("Agreements", func(t *testing.T) { testAgreements(t, open(t)) })
	})
}

// testSeed003 feeds the events events-and-fairs emits for the Fès-Meknès
// fairs of 1 January – 31 May 2023 heard by the general assembly of June
// 2023 (seed 003): 8 fairs, 220 artisans, 235,000 visitors and
// 3,297,960.00 MAD of sales — one of them the fair of 50,000 visitors and
// 2,160,000.00 MAD. Seven fairs are evaluated (frozen figures in
// FairEvaluated); the eighth has ended but is not evaluated yet, so its
// figures come from its visitor counts and declared sales. Around them: a
// cancelled fair, a fair after the period, another chamber's fair, and
// other events of the period.
func testSeed003(t *testing.T, db *store.DB) {
	f := newFeed(t, db)
	visitors := []int64{50_000, 35_000, 25_000, 25_000, 25_000, 25_000, 25_000, 25_000}
	sales := []int64{216_000_000, 17_796_000, 16_000_000, 16_000_000, 16_000_000, 16_000_000, 16_000_000, 16_000_000}
	event := func(chamber, id string, kind eventsfairsv1.Event_Kind, start string, state eventsfairsv1.Event_State, ev *eventsfairsv1.Evaluation) *eventsfairsv1.Event {
		return &eventsfairsv1.Event{
			Name: "chambers/" + chamber + "/events/" + id, Kind: kind, State: state, StartDate: start, EndDate: start,
			Title:      &typev1.LocalizedText{Ar: "معرض " + id, Fr: "Salon " + id},
			Venue:      &eventsfairsv1.Venue{Province: "fes"},
			Evaluation: ev, UpdateTime: f.tick(),
		}
	}
	exhibitor := func(fair, id, applicant string, typ eventsfairsv1.Exhibitor_ApplicantType, state eventsfairsv1.Exhibitor_State, sales int64) *eventsfairsv1.Exhibitor {
		return &eventsfairsv1.Exhibitor{
			Name: "chambers/fes-meknes/events/" + fair + "/exhibitors/" + id, Applicant: applicant,
			ApplicantType: typ, State: state, SalesCentimes: sales, UpdateTime: f.tick(),
		}
	}
	var replay []func()
	for k := 0; k < 8; k++ {
		id := fmt.Sprintf("f%d", k)
		start := fmt.Sprintf("2023-%02d-%02d", 1+k*4/8, 10+k)
		f.send(ef+"EventPlanned", event("fes-meknes", id, eventsfairsv1.Event_FAIR, start, eventsfairsv1.Event_PLANNED, nil))
		// 31 artisans per fair, three shared with the next fair: 7×27+31 = 220 distinct.
		var artisans int64
		for a := k * 27; a < k*27+31; a++ {
			xid := fmt.Sprintf("a%d", a)
			app := fmt.Sprintf("chambers/fes-meknes/artisans/a%d", a)
			f.send(ef+"ExhibitorApplied", exhibitor(id, xid, app, eventsfairsv1.Exhibitor_ARTISAN, eventsfairsv1.Exhibitor_APPLIED, 0))
			var s int64
			if k == 7 && a == k*27 {
				s = sales[k] - 1_000_000
			}
			last := exhibitor(id, xid, app, eventsfairsv1.Exhibitor_ARTISAN, eventsfairsv1.Exhibitor_ACCEPTED, s)
			f.send(ef+"ExhibitorSalesDeclared", last)
			artisans++
			if k == 0 && a == 0 {
				replay = append(replay, func() { f.send(ef+"ExhibitorSalesDeclared", last) })
			}
		}
		var coopSales int64
		if k == 7 {
			coopSales = 1_000_000
		}
		f.send(ef+"ExhibitorAccepted", exhibitor(id, "c1", "chambers/fes-meknes/cooperatives/c1", eventsfairsv1.Exhibitor_COOPERATIVE, eventsfairsv1.Exhibitor_ACCEPTED, coopSales))
		// A rejected artisan applicant is not an exhibitor.
		f.send(ef+"ExhibitorRejected", exhibitor(id, "r1", "chambers/fes-meknes/artisans/r1", eventsfairsv1.Exhibitor_ARTISAN, eventsfairsv1.Exhibitor_REJECTED, 0))
		if k == 7 {
			for i, n := range []int64{12_000, 13_000} {
				f.tick()
				f.send(ef+"VisitorCountRecorded", &eventsfairsv1.VisitorCount{
					Name: fmt.Sprintf("chambers/fes-meknes/events/%s/visitorCounts/2023051%d", id, i), Date: fmt.Sprintf("2023-05-1%d", i),
					Visitors: n, UpdateTime: timestamppb.New(f.at),
				})
			}
			f.send(ef+"EventEnded", event("fes-meknes", id, eventsfairsv1.Event_FAIR, start, eventsfairsv1.Event_ENDED, nil))
			continue
		}
		f.send(ef+"FairEvaluated", event("fes-meknes", id, eventsfairsv1.Event_FAIR, start, eventsfairsv1.Event_EVALUATED, &eventsfairsv1.Evaluation{
			Exhibitors: int32(artisans) + 1, Artisans: int32(artisans), Cooperatives: 1, Visitors: visitors[k], SalesCentimes: sales[k], Rejected: 1, Applications: int32(artisans) + 2,
		}))
	}
	// Left out: cancelled, after the period, another chamber.
	f.send(ef+"EventCancelled", event("fes-meknes", "cx", eventsfairsv1.Event_FAIR, "2023-03-01", eventsfairsv1.Event_CANCELLED, nil))
	f.send(ef+"FairEvaluated", event("fes-meknes", "jun", eventsfairsv1.Event_EXHIBITION, "2023-06-02", eventsfairsv1.Event_EVALUATED, &eventsfairsv1.Evaluation{Visitors: 9_999, SalesCentimes: 1}))
	f.send(ef+"FairEvaluated", event("marrakech-safi", "m1", eventsfairsv1.Event_FAIR, "2023-02-01", eventsfairsv1.Event_EVALUATED, &eventsfairsv1.Evaluation{Artisans: 40, Exhibitors: 40, Visitors: 7_000, SalesCentimes: 500_000}))
	// Other events of the period.
	f.send(ef+"EventEvaluated", event("fes-meknes", "s1", eventsfairsv1.Event_SEMINAR, "2023-02-15", eventsfairsv1.Event_EVALUATED, &eventsfairsv1.Evaluation{Registered: 40, Attended: 35}))
	f.send(ef+"EventPlanned", event("fes-meknes", "t1", eventsfairsv1.Event_TRAINING, "2023-04-15", eventsfairsv1.Event_PLANNED, nil))
	f.send(ef+"EventPlanned", event("fes-meknes", "t2", eventsfairsv1.Event_TRAINING, "2023-05-31", eventsfairsv1.Event_PLANNED, nil))

	// A redelivered event and a stale one change nothing.
	for _, r := range replay {
		r()
	}
	stale := event("fes-meknes", "f0", eventsfairsv1.Event_FAIR, "2023-01-10", eventsfairsv1.Event_PLANNED, nil)
	stale.UpdateTime = timestamppb.New(time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC))
	f.send(ef+"EventUpdated", stale)

	st := sqlstore.NewStats(db)
	ctx := context.Background()
	got, err := st.FairStatistics(ctx, "fes-meknes", stats.Period{Start: "2023-01-01", End: "2023-05-31"})
	if err != nil {
		t.Fatal(err)
	}
	want := stats.FairTotals{Fairs: 8, EvaluatedFairs: 7, Artisans: 220, Exhibitors: 221, Visitors: 235_000, SalesCentimes: 329_796_000}
	if got.Totals != want {
		t.Fatalf("totals = %+v, want %+v", got.Totals, want)
	}
	if len(got.PerFair) != 8 || got.PerFair[0].Visitors != 50_000 || got.PerFair[0].SalesCentimes != 216_000_000 || got.PerFair[0].Artisans != 31 {
		t.Fatalf("first fair = %+v", got.PerFair[0])
	}
	if last := got.PerFair[7]; last.Evaluated || last.Visitors != 25_000 || last.SalesCentimes != 16_000_000 || last.Exhibitors != 32 {
		t.Fatalf("unevaluated fair = %+v", last)
	}
	if !reflect.DeepEqual(got.Chambers, []string{"fes-meknes"}) || got.PerChamber["fes-meknes"] != want {
		t.Fatalf("per chamber = %v %+v", got.Chambers, got.PerChamber)
	}
	wantKinds := []stats.KindCount{{Kind: "SEMINAR", Events: 1, Registered: 40, Attended: 35}, {Kind: "TRAINING", Events: 2}}
	if !reflect.DeepEqual(got.OtherEvents, wantKinds) {
		t.Fatalf("other events = %+v, want %+v", got.OtherEvents, wantKinds)
	}
	// National: Marrakech-Safi's fair joins; its artisans are not in the exhibitor projection.
	nat, err := st.FairStatistics(ctx, stats.Wildcard, stats.Period{Start: "2023-01-01", End: "2023-05-31"})
	if err != nil {
		t.Fatal(err)
	}
	if nat.Totals.Fairs != 9 || nat.Totals.Visitors != 242_000 || nat.Totals.SalesCentimes != 330_296_000 || len(nat.Chambers) != 2 {
		t.Fatalf("national = %+v %v", nat.Totals, nat.Chambers)
	}
	// A deleted event leaves the figures.
	f.tick()
	f.send(ef+"EventDeleted", event("fes-meknes", "t2", eventsfairsv1.Event_TRAINING, "2023-05-31", eventsfairsv1.Event_PLANNED, nil))
	got, err = st.FairStatistics(ctx, "fes-meknes", stats.Period{Start: "2023-01-01", End: "2023-05-31"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.OtherEvents) != 2 || got.OtherEvents[1].Events != 1 {
		t.Fatalf("after delete = %+v", got.OtherEvents)
	}
}

func testRegister(t *testing.T, db *store.DB) {
	f := newFeed(t, db)
	ctx := context.Background()
	st := sqlstore.NewStats(db)
	for _, a := range []struct{ code, fam, br string }{{"F1.B01.A001", "F1", "F1.B01"}, {"F1.B02.A001", "F1", "F1.B02"}, {"F2.B09.A001", "F2", "F2.B09"}} {
		f.send(reg+"ActivityCreated", &registryv1.Activity{Name: "activities/" + a.code, Code: a.code,
			DisplayName: &typev1.LocalizedText{Ar: "نشاط", Fr: "Activité " + a.code},
			Family:      &registryv1.ActivityGroup{Code: a.fam, DisplayName: &typev1.LocalizedText{Fr: "Famille " + a.fam}},
			Branch:      &registryv1.ActivityGroup{Code: a.br, DisplayName: &typev1.LocalizedText{Fr: "Filière " + a.br}},
			UpdateTime:  f.tick()})
	}
	artisan := func(chamber, id, province, activity string, g registryv1.Artisan_Gender, s registryv1.Artisan_State, registered string) *registryv1.Artisan {
		a := &registryv1.Artisan{Name: "chambers/" + chamber + "/artisans/" + id, Province: province, Activity: activity, Gender: g,
			Category: registryv1.Artisan_EXPERIENCED, State: s, UpdateTime: f.tick()}
		if registered != "" {
			d, _ := time.Parse(time.DateOnly, registered)
			a.RegisterTime = timestamppb.New(d.Add(10 * time.Hour))
		}
		return a
	}
	F, M := registryv1.Artisan_FEMALE, registryv1.Artisan_MALE
	R := registryv1.Artisan_REGISTERED
	f.send(reg+"ArtisanCreated", artisan("fes-meknes", "a1", "fes", "F1.B01.A001", F, registryv1.Artisan_APPLICANT, ""))
	f.send(reg+"ArtisanRegistered", artisan("fes-meknes", "a1", "fes", "F1.B01.A001", F, R, "2023-01-15"))
	f.send(reg+"ArtisanRegistered", artisan("fes-meknes", "a2", "fes", "F1.B02.A001", M, R, "2023-02-01"))
	f.send(reg+"ArtisanRegistered", artisan("fes-meknes", "a3", "taounate", "F2.B09.A001", F, R, "2023-02-28"))
	f.send(reg+"ArtisanRegistered", artisan("fes-meknes", "a4", "taounate", "F2.B09.A001", M, R, "2024-01-02"))
	f.send(reg+"ArtisanCreated", artisan("fes-meknes", "a5", "meknes", "F1.B01.A001", M, registryv1.Artisan_APPLICANT, ""))
	f.send(reg+"ArtisanRegistered", artisan("marrakech-safi", "m1", "marrakech", "F1.B01.A001", F, R, "2023-03-03"))
	// a2 moves to Meknès and is suspended; a stale copy of its first state comes late.
	staleA2 := artisan("fes-meknes", "a2", "fes", "F1.B02.A001", M, R, "2023-02-01")
	staleA2.UpdateTime = timestamppb.New(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	f.send(reg+"ArtisanUpdated", artisan("fes-meknes", "a2", "meknes", "F1.B02.A001", M, registryv1.Artisan_SUSPENDED, "2023-02-01"))
	f.send(reg+"ArtisanUpdated", staleA2)
	// a5 is deleted (an applicant); a delivery of its creation again changes nothing.
	a5 := artisan("fes-meknes", "a5", "meknes", "F1.B01.A001", M, registryv1.Artisan_APPLICANT, "")
	f.send(reg+"ArtisanDeleted", a5)
	a5.UpdateTime = timestamppb.New(f.at.Add(-time.Hour))
	f.send(reg+"ArtisanCreated", a5)

	type row = stats.Row
	check := func(name string, q stats.RegisterQuery, want []row) {
		t.Helper()
		got, err := st.RegisterStatistics(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s = %+v, want %+v", name, got, want)
		}
	}
	A := projection.Artisan
	check("by province", stats.RegisterQuery{Chamber: "fes-meknes", Type: A, GroupBy: []string{"province"}},
		[]row{{Values: []string{"fes"}, Count: 1}, {Values: []string{"meknes"}, Count: 1}, {Values: []string{"taounate"}, Count: 2}})
	check("national by region, gender", stats.RegisterQuery{Chamber: stats.Wildcard, Type: A, GroupBy: []string{"region", "gender"}},
		[]row{{Values: []string{"fes-meknes", "FEMALE"}, Count: 2}, {Values: []string{"fes-meknes", "MALE"}, Count: 2}, {Values: []string{"marrakech-safi", "FEMALE"}, Count: 1}})
	check("by branch (nomenclature)", stats.RegisterQuery{Chamber: stats.Wildcard, Type: A, GroupBy: []string{"activity_family", "activity_branch"}},
		[]row{{Values: []string{"F1", "F1.B01"}, Count: 2}, {Values: []string{"F1", "F1.B02"}, Count: 1}, {Values: []string{"F2", "F2.B09"}, Count: 2}})
	check("state filter", stats.RegisterQuery{Chamber: "fes-meknes", Type: A, GroupBy: []string{"state"}, Filter: `state = REGISTERED`},
		[]row{{Values: []string{"REGISTERED"}, Count: 3}})
	// The same period by month (a cube) and by exact day (the facts) agree.
	byMonth := stats.RegisterQuery{Chamber: "fes-meknes", Type: A, GroupBy: []string{"province"}, Filter: `register_month >= "2023-01" AND register_month <= "2023-12"`}
	byDay := stats.RegisterQuery{Chamber: "fes-meknes", Type: A, GroupBy: []string{"province"}, Filter: `register_date >= "2023-01-01" AND register_date <= "2023-12-31"`}
	want2023 := []row{{Values: []string{"fes"}, Count: 1}, {Values: []string{"meknes"}, Count: 1}, {Values: []string{"taounate"}, Count: 1}}
	check("2023 by month", byMonth, want2023)
	check("2023 by day", byDay, want2023)
	check("total", stats.RegisterQuery{Chamber: "fes-meknes", Type: A}, []row{{Values: []string{}, Count: 4}})

	// Cooperatives carry their members.
	coop := func(id, province string, w, m int32, s registryv1.Cooperative_State) *registryv1.Cooperative {
		return &registryv1.Cooperative{Name: "chambers/fes-meknes/cooperatives/" + id, Province: province, Activity: "F1.B01.A001",
			MembersWomen: w, MembersMen: m, State: s, CreateTime: timestamppb.New(time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC)), UpdateTime: f.tick()}
	}
	f.send(reg+"CooperativeCreated", coop("c1", "fes", 7, 0, registryv1.Cooperative_FORMING))
	f.send(reg+"CooperativeRegistered", coop("c1", "fes", 9, 2, registryv1.Cooperative_REGISTERED))
	f.send(reg+"CooperativeCreated", coop("c2", "taza", 3, 4, registryv1.Cooperative_FORMING))
	check("cooperatives", stats.RegisterQuery{Chamber: "fes-meknes", Type: projection.Cooperative, GroupBy: []string{"province", "state"}},
		[]row{{Values: []string{"fes", "REGISTERED"}, Count: 1, MembersWomen: 9, MembersMen: 2}, {Values: []string{"taza", "FORMING"}, Count: 1, MembersWomen: 3, MembersMen: 4}})

	// The ±1 deltas add up: rebuilding the cubes from the facts changes no figure.
	every := func() [][]row {
		var out [][]row
		for _, typ := range projection.RegistrantTypes {
			for _, g := range [][]string{{"region", "province", "state"}, {"activity", "category", "gender"}, {"activity", "state"}, {"province", "state"}} {
				if typ != A && (g[1] == "category" || g[0] == "activity") {
					continue
				}
				rows, err := st.RegisterStatistics(ctx, stats.RegisterQuery{Chamber: stats.Wildcard, Type: typ, GroupBy: g, Filter: `register_month >= "2000-01"`})
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, rows)
			}
		}
		return out
	}
	before := every()
	if err := f.p.RebuildCounts(ctx); err != nil {
		t.Fatal(err)
	}
	if after := every(); !reflect.DeepEqual(before, after) {
		t.Fatalf("incremental counts %+v differ from rebuilt %+v", before, after)
	}

	achieved, err := st.Achieved(ctx, "fes-meknes", 2023)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int64{"fes": 1, "meknes": 1, "taounate": 1}; !reflect.DeepEqual(achieved, want) {
		t.Fatalf("achieved = %v, want %v", achieved, want)
	}

	// Bad questions name their field.
	for _, c := range []struct {
		q     stats.RegisterQuery
		field string
	}{
		{stats.RegisterQuery{Chamber: "fes-meknes", Type: A, GroupBy: []string{"colour"}}, "group_by[0]"},
		{stats.RegisterQuery{Chamber: "fes-meknes", Type: A, GroupBy: []string{"region", "province", "state", "gender"}}, "group_by"},
		{stats.RegisterQuery{Chamber: "fes-meknes", Type: A, Filter: `colour = "red"`}, "filter"},
		{stats.RegisterQuery{Chamber: "fes-meknes", Type: A, Filter: `state = `}, "filter"},
		{stats.RegisterQuery{Chamber: "fes-meknes", Type: projection.Cooperative, GroupBy: []string{"gender"}}, "group_by[0]"},
	} {
		_, err := st.RegisterStatistics(ctx, c.q)
		var inv *fault.InvalidError
		if !errors.As(err, &inv) || inv.Violations[0].Field != c.field {
			t.Errorf("%+v: err = %v, want a violation of %s", c.q, err, c.field)
		}
	}
}

func testAgreements(t *testing.T, db *store.DB) {
	f := newFeed(t, db)
	ag := func(id string, s eventsfairsv1.Agreement_State) *eventsfairsv1.Agreement {
		return &eventsfairsv1.Agreement{Name: "chambers/fes-meknes/agreements/" + id, State: s,
			Title: &typev1.LocalizedText{Ar: "اتفاقية شراكة " + id, Fr: "Convention " + id}, UpdateTime: f.tick()}
	}
	f.send(ef+"AgreementCreated", ag("belgian", eventsfairsv1.Agreement_DRAFT))
	f.at = time.Date(2023, 6, 22, 10, 0, 0, 0, time.UTC)
	f.send(ef+"AgreementApproved", ag("belgian", eventsfairsv1.Agreement_APPROVED))
	f.send(ef+"AgreementCreated", ag("taza", eventsfairsv1.Agreement_DRAFT))
	f.at = time.Date(2023, 9, 1, 10, 0, 0, 0, time.UTC)
	f.send(ef+"AgreementSigned", ag("belgian", eventsfairsv1.Agreement_SIGNED))
	got, err := sqlstore.NewStats(db).AgreementsApproved(context.Background(), "fes-meknes", stats.Period{Start: "2023-06-01", End: "2023-06-30"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != "belgian" || got[0].ApproveDate != "2023-06-22" || got[0].State != "SIGNED" {
		t.Fatalf("approved = %+v", got)
	}
}

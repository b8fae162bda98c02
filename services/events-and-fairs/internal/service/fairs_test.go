package service

import (
	"context"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"

	"github.com/hirfa/hirfa/pkg/auth"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
)

// apply records an application and returns it.
func (e *env) apply(t *testing.T, ctx context.Context, fair, applicant string, rural bool) *eventsfairsv1.Exhibitor {
	t.Helper()
	return must(e.fairs().CreateExhibitor(ctx, &eventsfairsv1.CreateExhibitorRequest{Parent: fair,
		Exhibitor: &eventsfairsv1.Exhibitor{Applicant: applicant, Rural: rural}}))(t)
}

func (e *env) accept(ctx context.Context, x *eventsfairsv1.Exhibitor) (*eventsfairsv1.Exhibitor, error) {
	return e.fairs().AcceptExhibitor(ctx, &eventsfairsv1.AcceptExhibitorRequest{Name: x.GetName()})
}

// TestApplicationsCheckTheRegistry applies with every kind of registrant and
// every registry answer: the registry's own statuses never come back, each
// refusal has this service's reason, and a refusal writes nothing.
func TestApplicationsCheckTheRegistry(t *testing.T) {
	e := start(t, options{})
	ctx := e.clerk(t)
	reg := e.registry
	ev := newFair("du textile", "2023-03-10", "2023-03-19")
	ev.Fair.Crafts = []string{"F1.B02"}
	fair, _ := e.openFair(t, ctx, ev, 4)
	woman := reg.artisan("fes-meknes", "w1", registryv1.Artisan_FEMALE, "F1.B02.A01", registryv1.Artisan_REGISTERED)
	outside := reg.artisan("marrakech-safi", "o1", registryv1.Artisan_MALE, "F1.B02.A02", registryv1.Artisan_REGISTERED)
	potter := reg.artisan("fes-meknes", "p1", registryv1.Artisan_MALE, "F1.B04.A01", registryv1.Artisan_REGISTERED)
	applicant := reg.artisan("fes-meknes", "n1", registryv1.Artisan_MALE, "F1.B02.A01", registryv1.Artisan_APPLICANT)
	struck := reg.artisan("fes-meknes", "s1", registryv1.Artisan_FEMALE, "F1.B02.A01", registryv1.Artisan_STRUCK_OFF)
	suspended := reg.artisan("fes-meknes", "u1", registryv1.Artisan_FEMALE, "F1.B02.A01", registryv1.Artisan_SUSPENDED)
	coop := "chambers/fes-meknes/cooperatives/c1"
	reg.put(coop, &registryv1.RegistrantStanding{Name: coop, Chamber: "fes-meknes", Type: registryv1.RegistrantStanding_COOPERATIVE,
		DisplayName: &typev1.LocalizedText{Fr: "Coopérative Tissage"}, Activity: "F1.B02.A01", Province: "meknes", WomenQuota: true,
		State: "ACTIVE", Standing: registryv1.RegistrantStanding_LIVE})
	dormant := "chambers/fes-meknes/cooperatives/c2"
	reg.put(dormant, &registryv1.RegistrantStanding{Name: dormant, Chamber: "fes-meknes", Type: registryv1.RegistrantStanding_COOPERATIVE,
		Activity: "F1.B02.A01", State: "DORMANT", Standing: registryv1.RegistrantStanding_INACTIVE})
	assoc := "chambers/fes-meknes/associations/s1"
	reg.put(assoc, &registryv1.RegistrantStanding{Name: assoc, Chamber: "fes-meknes", Type: registryv1.RegistrantStanding_ASSOCIATION,
		DisplayName: &typev1.LocalizedText{Ar: "جمعية النساء الحرفيات"}, Province: "fes", WomenQuota: true,
		State: "ACTIVE", Standing: registryv1.RegistrantStanding_LIVE})
	firm := "chambers/fes-meknes/enterprises/e1"
	reg.put(firm, &registryv1.RegistrantStanding{Name: firm, Chamber: "fes-meknes", Type: registryv1.RegistrantStanding_ENTERPRISE,
		DisplayName: &typev1.LocalizedText{Fr: "Tapis SARL"}, Activity: "F1.B02.A01", State: "ACTIVE", Standing: registryv1.RegistrantStanding_LIVE})

	accepted := []struct {
		applicant string
		want      *eventsfairsv1.Exhibitor
	}{
		{woman, &eventsfairsv1.Exhibitor{ApplicantType: eventsfairsv1.Exhibitor_ARTISAN, Gender: eventsfairsv1.Exhibitor_FEMALE, Women: true, Province: "fes"}},
		{outside, &eventsfairsv1.Exhibitor{ApplicantType: eventsfairsv1.Exhibitor_ARTISAN, Gender: eventsfairsv1.Exhibitor_MALE, OutsideRegion: true, Province: "safi"}},
		{coop, &eventsfairsv1.Exhibitor{ApplicantType: eventsfairsv1.Exhibitor_COOPERATIVE, Women: true, Province: "meknes"}},
		{assoc, &eventsfairsv1.Exhibitor{ApplicantType: eventsfairsv1.Exhibitor_ASSOCIATION, Women: true, Province: "fes"}},
		{firm, &eventsfairsv1.Exhibitor{ApplicantType: eventsfairsv1.Exhibitor_ENTERPRISE}},
	}
	for _, tt := range accepted {
		x := e.apply(t, ctx, fair.GetName(), tt.applicant, false)
		if x.GetState() != eventsfairsv1.Exhibitor_APPLIED || x.GetApplicantType() != tt.want.GetApplicantType() || x.GetGender() != tt.want.GetGender() ||
			x.GetWomen() != tt.want.GetWomen() || x.GetOutsideRegion() != tt.want.GetOutsideRegion() || x.GetProvince() != tt.want.GetProvince() || x.GetDisplayName() == "" {
			t.Errorf("application of %s = %v", tt.applicant, x)
		}
	}
	refused := []struct {
		applicant string
		code      codes.Code
		reason    string
	}{
		{"chambers/fes-meknes/artisans/ghost", codes.FailedPrecondition, "APPLICANT_NOT_FOUND"},
		{applicant, codes.FailedPrecondition, "APPLICANT_NOT_REGISTERED"},
		{struck, codes.FailedPrecondition, "APPLICANT_STRUCK_OFF"},
		{suspended, codes.FailedPrecondition, "APPLICANT_NOT_ACTIVE"},
		{dormant, codes.FailedPrecondition, "APPLICANT_NOT_ACTIVE"},
		{potter, codes.FailedPrecondition, "CRAFT_NOT_ADMITTED"},
		{woman, codes.AlreadyExists, "APPLICATION_EXISTS"},
		{"chambers/fes-meknes/activities/x", codes.InvalidArgument, ""},
	}
	before := e.writes(t)
	for _, tt := range refused {
		_, err := e.fairs().CreateExhibitor(ctx, &eventsfairsv1.CreateExhibitorRequest{Parent: fair.GetName(),
			Exhibitor: &eventsfairsv1.Exhibitor{Applicant: tt.applicant}})
		wantErr(t, tt.applicant, err, tt.code, tt.reason)
	}
	if e.writes(t) != before {
		t.Fatal("a refused application wrote something")
	}
	// Applications to a training are refused: it takes registrations.
	tr := newFair("formation", "2023-03-10", "2023-03-10")
	tr.Kind, tr.Fair = eventsfairsv1.Event_TRAINING, nil
	training := must(e.events().CreateEvent(ctx, &eventsfairsv1.CreateEventRequest{Parent: "chambers/fes-meknes", Event: tr}))(t)
	_, err := e.fairs().CreateExhibitor(ctx, &eventsfairsv1.CreateExhibitorRequest{Parent: training.GetName(),
		Exhibitor: &eventsfairsv1.Exhibitor{Applicant: woman}})
	wantErr(t, "exhibitor at a training", err, codes.FailedPrecondition, "NOT_A_FAIR")
}

// TestRegistryDown: with the registry unreachable an application fails
// UNAVAILABLE, after the client's retries, with nothing written; the rest
// of the service keeps working.
func TestRegistryDown(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := lis.Addr().String()
	_ = lis.Close() // nothing listens there any more
	e := start(t, options{registryAddr: dead, registryTimeout: "2s"})
	ctx := e.clerk(t)
	fair, _ := e.openFair(t, ctx, newFair("x", "2023-03-10", "2023-03-19"), 2)
	before := e.writes(t)
	began := time.Now()
	_, err = e.fairs().CreateExhibitor(ctx, &eventsfairsv1.CreateExhibitorRequest{Parent: fair.GetName(),
		Exhibitor: &eventsfairsv1.Exhibitor{Applicant: "chambers/fes-meknes/artisans/a1"}})
	took := time.Since(began)
	wantErr(t, "registry down", err, codes.Unavailable, "UNAVAILABLE")
	if e.writes(t) != before || e.rows(t, "exhibitors") != 0 {
		t.Fatal("an application written while the registry was down")
	}
	if took > 3*time.Second {
		t.Fatalf("the refusal took %v: the look-up deadline (2s) was not applied", took)
	}
	t.Logf("registry down: UNAVAILABLE after %v", took.Round(time.Millisecond))
	must(e.events().GetEvent(ctx, &eventsfairsv1.GetEventRequest{Name: fair.GetName()}))(t)
}

// TestRegistryRetries: a registry that answers UNAVAILABLE twice is retried
// until it answers. The look-up deadline is the default (3s): the retries'
// backoff (up to 150 ms) and three calls on a loaded machine can outlast a
// short one, which is TestRegistryDeadline's subject, not this test's.
func TestRegistryRetries(t *testing.T) {
	e := start(t, options{})
	ctx := e.clerk(t)
	fair, _ := e.openFair(t, ctx, newFair("x", "2023-03-10", "2023-03-19"), 2)
	flaky := e.registry.artisan("fes-meknes", "f1", registryv1.Artisan_FEMALE, "F1.B02.A01", registryv1.Artisan_REGISTERED)
	e.registry.mu.Lock()
	e.registry.unavailable[flaky] = 2
	e.registry.mu.Unlock()
	x := e.apply(t, ctx, fair.GetName(), flaky, false)
	if got := e.registry.callsOf(flaky); got != 3 || x.GetState() != eventsfairsv1.Exhibitor_APPLIED {
		t.Fatalf("look-ups = %d, want 3 (two UNAVAILABLE, then the answer)", got)
	}
}

// TestRegistryDeadline: a registry too slow to answer (2s) is given up on at
// the configured deadline (300ms), and nothing is written.
func TestRegistryDeadline(t *testing.T) {
	e := start(t, options{registryTimeout: "300ms"})
	ctx := e.clerk(t)
	fair, _ := e.openFair(t, ctx, newFair("x", "2023-03-10", "2023-03-19"), 2)
	slow := e.registry.artisan("fes-meknes", "z1", registryv1.Artisan_MALE, "F1.B02.A01", registryv1.Artisan_REGISTERED)
	e.registry.mu.Lock()
	e.registry.slow[slow] = 2 * time.Second
	e.registry.mu.Unlock()
	before := e.writes(t)
	began := time.Now()
	_, err := e.fairs().CreateExhibitor(ctx, &eventsfairsv1.CreateExhibitorRequest{Parent: fair.GetName(), Exhibitor: &eventsfairsv1.Exhibitor{Applicant: slow}})
	wantErr(t, "slow registry", err, codes.Unavailable, "UNAVAILABLE")
	if took := time.Since(began); took >= 2*time.Second || e.writes(t) != before {
		t.Fatalf("slow registry: took %v (the registry answers at 2s: the 300ms deadline was not applied), writes %v → %v", took, before, e.writes(t))
	}
}

// TestSelectionQuotas accepts exhibitors against a fair of 5 booths with 2
// booths reserved for women and at most 1 exhibitor from outside the region.
func TestSelectionQuotas(t *testing.T) {
	e := start(t, options{})
	ctx := e.clerk(t)
	reg := e.registry
	fair, _ := e.openFair(t, ctx, newFair("quotas", "2023-03-10", "2023-03-19",
		&eventsfairsv1.QuotaRule{Criterion: eventsfairsv1.QuotaRule_WOMEN, Booths: 2, Limit: eventsfairsv1.QuotaRule_RESERVED},
		&eventsfairsv1.QuotaRule{Criterion: eventsfairsv1.QuotaRule_OUTSIDE_REGION, Booths: 1, Limit: eventsfairsv1.QuotaRule_MAXIMUM},
	), 5)
	x := map[string]*eventsfairsv1.Exhibitor{}
	for _, a := range []struct {
		id, chamber string
		g           registryv1.Artisan_Gender
	}{{"o1", "marrakech-safi", registryv1.Artisan_MALE}, {"o2", "marrakech-safi", registryv1.Artisan_MALE},
		{"m1", "fes-meknes", registryv1.Artisan_MALE}, {"m2", "fes-meknes", registryv1.Artisan_MALE}, {"m3", "fes-meknes", registryv1.Artisan_MALE},
		{"w1", "fes-meknes", registryv1.Artisan_FEMALE}, {"w2", "fes-meknes", registryv1.Artisan_FEMALE}} {
		x[a.id] = e.apply(t, ctx, fair.GetName(), reg.artisan(a.chamber, a.id, a.g, "F1.B02.A01", registryv1.Artisan_REGISTERED), false)
	}
	steps := []struct {
		who    string
		reason string // "" = accepted
	}{
		{"o1", ""},
		{"o2", "QUOTA_EXCEEDED"},  // the one place from outside is taken
		{"m1", ""},                // 2 accepted, 3 free, 2 reserved
		{"m2", ""},                // 3 accepted, 2 free, 2 reserved
		{"m3", "BOOTHS_RESERVED"}, // the last 2 booths are the women's
		{"w1", ""},
		{"w2", ""},
		{"m3", "BOOTHS_EXHAUSTED"}, // all 5 booths taken
	}
	for i, s := range steps {
		before := e.writes(t)
		got, err := e.accept(ctx, x[s.who])
		if s.reason == "" {
			if err != nil || got.GetState() != eventsfairsv1.Exhibitor_ACCEPTED {
				t.Fatalf("step %d: accept %s = %v, %v", i, s.who, got, err)
			}
			continue
		}
		wantErr(t, fmt.Sprintf("step %d: accept %s", i, s.who), err, codes.FailedPrecondition, s.reason)
		if e.writes(t) != before {
			t.Fatalf("step %d: a refused acceptance wrote something", i)
		}
	}
	// The refused ones can be wait-listed, then rejected.
	wl := must(e.fairs().WaitlistExhibitor(ctx, &eventsfairsv1.WaitlistExhibitorRequest{Name: x["m3"].GetName()}))(t)
	if wl.GetState() != eventsfairsv1.Exhibitor_WAITLISTED {
		t.Fatalf("waitlisted %v", wl)
	}
	must(e.fairs().RejectExhibitor(ctx, &eventsfairsv1.RejectExhibitorRequest{Name: x["o2"].GetName(), Reason: "quota hors région atteint"}))(t)
	// A withdrawal frees a booth: the wait-listed man still cannot take a
	// woman's reserved booth, a woman could.
	must(e.fairs().WithdrawExhibitor(ctx, &eventsfairsv1.WithdrawExhibitorRequest{Name: x["w2"].GetName(), Reason: "empêchée"}))(t)
	_, err := e.accept(ctx, x["m3"])
	wantErr(t, "accept into a reserved booth", err, codes.FailedPrecondition, "BOOTHS_RESERVED")
	// Closed applications: no new application, selection goes on.
	must(e.events().CloseApplications(ctx, &eventsfairsv1.CloseApplicationsRequest{Name: fair.GetName()}))(t)
	_, err = e.fairs().CreateExhibitor(ctx, &eventsfairsv1.CreateExhibitorRequest{Parent: fair.GetName(),
		Exhibitor: &eventsfairsv1.Exhibitor{Applicant: reg.artisan("fes-meknes", "late", registryv1.Artisan_FEMALE, "F1.B02.A01", registryv1.Artisan_REGISTERED)}})
	wantErr(t, "apply after applications close", err, codes.FailedPrecondition, "APPLICATIONS_CLOSED")
	page := must(e.fairs().ListExhibitors(ctx, &eventsfairsv1.ListExhibitorsRequest{Parent: fair.GetName(), Filter: "state = ACCEPTED AND women = true"}))(t)
	if len(page.GetExhibitors()) != 1 {
		t.Fatalf("accepted women = %d, want 1", len(page.GetExhibitors()))
	}
}

// TestConcurrentAcceptances: many clerks accept at once; the fair's lock
// makes them one after another, so no more are accepted than it has booths.
func TestConcurrentAcceptances(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			o := options{}
			if backend == "postgres" {
				o.dbURL = postgresURL(t)
			}
			e := start(t, o)
			ctx := e.clerk(t)
			const booths, applicants = 5, 20
			fair, _ := e.openFair(t, ctx, newFair("course", "2023-03-10", "2023-03-19"), booths)
			var xs []*eventsfairsv1.Exhibitor
			for i := range applicants {
				xs = append(xs, e.apply(t, ctx, fair.GetName(), e.registry.artisan("fes-meknes", fmt.Sprint("r", i), registryv1.Artisan_MALE, "F1.B02.A01", registryv1.Artisan_REGISTERED), false))
			}
			var wg sync.WaitGroup
			results := make(chan error, applicants)
			for _, x := range xs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := e.accept(ctx, x)
					results <- err
				}()
			}
			wg.Wait()
			close(results)
			ok, full := 0, 0
			for err := range results {
				switch {
				case err == nil:
					ok++
				case reason(err) == "BOOTHS_EXHAUSTED":
					full++
				default:
					t.Fatalf("accept: %v", err)
				}
			}
			if ok != booths || full != applicants-booths {
				t.Fatalf("%d accepted, %d refused; want %d and %d", ok, full, booths, applicants-booths)
			}
		})
	}
}

// TestRacingBoothAllocations races allocations over gRPC: every accepted
// exhibitor asks for the same few booths at once; no booth is given twice
// and every refusal is ALREADY_EXISTS BOOTH_ALREADY_ALLOCATED.
func TestRacingBoothAllocations(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			o := options{}
			if backend == "postgres" {
				o.dbURL = postgresURL(t)
			}
			e := start(t, o)
			ctx := e.clerk(t)
			const n = 16
			fair, booths := e.openFair(t, ctx, newFair("ruée", "2023-03-10", "2023-03-19"), n)
			var xs []*eventsfairsv1.Exhibitor
			for i := range n {
				x := e.apply(t, ctx, fair.GetName(), e.registry.artisan("fes-meknes", fmt.Sprint("b", i), registryv1.Artisan_MALE, "F1.B02.A01", registryv1.Artisan_REGISTERED), false)
				xs = append(xs, must(e.accept(ctx, x))(t))
			}
			hot := booths[:4] // everyone wants the booths at the entrance
			var wg sync.WaitGroup
			var mu sync.Mutex
			holder := map[string]string{}
			refused := 0
			for i, x := range xs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for k := range hot {
						b := hot[(i+k)%len(hot)]
						got, err := e.fairs().AllocateBooth(ctx, &eventsfairsv1.AllocateBoothRequest{Name: x.GetName(), Booth: b.GetName()})
						mu.Lock()
						if err == nil {
							if prev, taken := holder[b.GetName()]; taken {
								t.Errorf("%s given to %s and %s", b.GetName(), prev, got.GetName())
							}
							holder[b.GetName()] = got.GetName()
							mu.Unlock()
							return
						}
						if code(err) != codes.AlreadyExists || reason(err) != "BOOTH_ALREADY_ALLOCATED" {
							t.Errorf("allocate: %v", err)
						}
						refused++
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if len(holder) != len(hot) {
				t.Fatalf("%d hot booths allocated, want %d", len(holder), len(hot))
			}
			var twice int
			if err := e.svc.DB.SQL.QueryRow("SELECT COUNT(*) FROM (SELECT booth FROM exhibitors WHERE booth IS NOT NULL GROUP BY booth HAVING COUNT(*) > 1) d").Scan(&twice); err != nil || twice != 0 {
				t.Fatalf("booths given twice: %d (%v)", twice, err)
			}
			t.Logf("%d exhibitors raced for %d booths: %d allocations refused", n, len(hot), refused)
			// An exhibitor of another fair, a booth of another fair, a
			// booth that does not exist, and a mere applicant are refused.
			_, err := e.fairs().AllocateBooth(ctx, &eventsfairsv1.AllocateBoothRequest{Name: xs[5].GetName(), Booth: fair.GetName() + "/booths/nosuchbooth"})
			wantErr(t, "unknown booth", err, codes.NotFound, "")
			other, otherBooths := e.openFair(t, ctx, newFair("autre", "2023-04-10", "2023-04-19"), 1)
			_, err = e.fairs().AllocateBooth(ctx, &eventsfairsv1.AllocateBoothRequest{Name: xs[5].GetName(), Booth: otherBooths[0].GetName()})
			wantErr(t, "booth of another fair", err, codes.InvalidArgument, "")
			applied := e.apply(t, ctx, other.GetName(), e.registry.artisan("fes-meknes", "b0", registryv1.Artisan_MALE, "F1.B02.A01", registryv1.Artisan_REGISTERED), false)
			_, err = e.fairs().AllocateBooth(ctx, &eventsfairsv1.AllocateBoothRequest{Name: applied.GetName(), Booth: otherBooths[0].GetName()})
			wantErr(t, "booth for a mere applicant", err, codes.FailedPrecondition, "EXHIBITOR_NOT_ACCEPTED")
		})
	}
}

// TestFairFiguresAndEvaluation records visitors and sales, evaluates the
// fair and checks that nothing of it can change afterwards.
func TestFairFiguresAndEvaluation(t *testing.T) {
	e := start(t, options{})
	ctx := e.clerk(t)
	fair, booths := e.openFair(t, ctx, newFair("bilan", "2023-03-10", "2023-03-12"), 3)
	var xs []*eventsfairsv1.Exhibitor
	for i, g := range []registryv1.Artisan_Gender{registryv1.Artisan_FEMALE, registryv1.Artisan_MALE} {
		x := e.apply(t, ctx, fair.GetName(), e.registry.artisan("fes-meknes", fmt.Sprint("v", i), g, "F1.B02.A01", registryv1.Artisan_REGISTERED), i == 0)
		x = must(e.accept(ctx, x))(t)
		x = must(e.fairs().AllocateBooth(ctx, &eventsfairsv1.AllocateBoothRequest{Name: x.GetName(), Booth: booths[i].GetName()}))(t)
		xs = append(xs, x)
	}
	_, err := e.fairs().DeclareSales(ctx, &eventsfairsv1.DeclareSalesRequest{Name: xs[0].GetName(), SalesCentimes: 100})
	wantErr(t, "sales before the fair runs", err, codes.FailedPrecondition, "SALES_NOT_OPEN")
	must(e.events().CloseApplications(ctx, &eventsfairsv1.CloseApplicationsRequest{Name: fair.GetName()}))(t)
	must(e.events().StartEvent(ctx, &eventsfairsv1.StartEventRequest{Name: fair.GetName()}))(t)
	for day, n := range map[string]int64{"2023-03-10": 1200, "2023-03-11": 1800, "2023-03-12": 2500} {
		must(e.fairs().RecordVisitorCount(ctx, &eventsfairsv1.RecordVisitorCountRequest{Parent: fair.GetName(),
			VisitorCount: &eventsfairsv1.VisitorCount{Date: day, Visitors: n}}))(t)
	}
	// A correction replaces the day's count.
	must(e.fairs().RecordVisitorCount(ctx, &eventsfairsv1.RecordVisitorCountRequest{Parent: fair.GetName(),
		VisitorCount: &eventsfairsv1.VisitorCount{Date: "2023-03-12", Visitors: 2600}}))(t)
	_, err = e.fairs().RecordVisitorCount(ctx, &eventsfairsv1.RecordVisitorCountRequest{Parent: fair.GetName(),
		VisitorCount: &eventsfairsv1.VisitorCount{Date: "2023-03-20", Visitors: 10}})
	wantErr(t, "a day outside the fair", err, codes.InvalidArgument, "")
	must(e.fairs().DeclareSales(ctx, &eventsfairsv1.DeclareSalesRequest{Name: xs[0].GetName(), SalesCentimes: 1_234_567_89}))(t)
	must(e.fairs().DeclareSales(ctx, &eventsfairsv1.DeclareSalesRequest{Name: xs[1].GetName(), SalesCentimes: 50_000_00}))(t)
	must(e.events().EndEvent(ctx, &eventsfairsv1.EndEventRequest{Name: fair.GetName()}))(t)
	live := must(e.fairs().GetFairEvaluation(ctx, &eventsfairsv1.GetFairEvaluationRequest{Name: fair.GetName() + "/evaluation"}))(t)
	f := live.GetFigures()
	if live.GetFinal() || f.GetExhibitors() != 2 || f.GetWomenArtisans() != 1 || f.GetMenArtisans() != 1 || f.GetRuralExhibitors() != 1 ||
		f.GetBooths() != 3 || f.GetBoothsUsed() != 2 || f.GetVisitors() != 5600 || f.GetSalesCentimes() != 1_284_567_89 {
		t.Fatalf("live figures = %v", live)
	}
	ev := must(e.events().EvaluateEvent(ctx, &eventsfairsv1.EvaluateEventRequest{Name: fair.GetName()}))(t)
	if ev.GetEvaluation().GetSalesCentimes() != 1_284_567_89 || ev.GetEvaluation().GetVisitors() != 5600 {
		t.Fatalf("frozen figures = %v", ev.GetEvaluation())
	}
	final := must(e.fairs().GetFairEvaluation(ctx, &eventsfairsv1.GetFairEvaluationRequest{Name: fair.GetName() + "/evaluation"}))(t)
	if !final.GetFinal() || final.GetFigures().GetSalesCentimes() != 1_284_567_89 {
		t.Fatalf("final figures = %v", final)
	}
	types := e.eventTypes(t)
	for _, want := range []string{"ExhibitorApplied", "ExhibitorAccepted", "ExhibitorBoothAllocated", "VisitorCountRecorded", "ExhibitorSalesDeclared", "FairEvaluated"} {
		found := false
		for _, got := range types {
			found = found || got == want
		}
		if !found {
			t.Errorf("no %s event in the outbox %v", want, types)
		}
	}
	// Editing an evaluated fair: every path is refused and nothing is written.
	before := e.writes(t)
	edits := []struct {
		name string
		call func() error
	}{
		{"sales", func() error {
			_, err := e.fairs().DeclareSales(ctx, &eventsfairsv1.DeclareSalesRequest{Name: xs[0].GetName(), SalesCentimes: 1})
			return err
		}},
		{"visitors", func() error {
			_, err := e.fairs().RecordVisitorCount(ctx, &eventsfairsv1.RecordVisitorCountRequest{Parent: fair.GetName(), VisitorCount: &eventsfairsv1.VisitorCount{Date: "2023-03-10", Visitors: 1}})
			return err
		}},
		{"event", func() error {
			_, err := e.events().UpdateEvent(ctx, &eventsfairsv1.UpdateEventRequest{Event: &eventsfairsv1.Event{Name: fair.GetName(), Capacity: 5}})
			return err
		}},
		{"booth", func() error {
			_, err := e.fairs().UpdateBooth(ctx, &eventsfairsv1.UpdateBoothRequest{Booth: &eventsfairsv1.Booth{Name: booths[2].GetName(), Zone: "B"}})
			return err
		}},
		{"withdraw", func() error {
			_, err := e.fairs().WithdrawExhibitor(ctx, &eventsfairsv1.WithdrawExhibitorRequest{Name: xs[1].GetName(), Reason: "après coup"})
			return err
		}},
	}
	for _, ed := range edits {
		wantErr(t, "edit an evaluated fair: "+ed.name, ed.call(), codes.FailedPrecondition, "EVENT_EVALUATED")
	}
	if e.writes(t) != before {
		t.Fatal("an evaluated fair was changed")
	}
}

// TestRegistryTokenForwarded checks the look-up carried the caller's own
// bearer token.
func TestRegistryTokenForwarded(t *testing.T) {
	e := start(t, options{})
	tok := e.token(t, auth.RoleChamberAdmin, "fes-meknes")
	ctx := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+tok)
	fair, _ := e.openFair(t, ctx, newFair("jeton", "2023-03-10", "2023-03-19"), 1)
	e.apply(t, ctx, fair.GetName(), e.registry.artisan("fes-meknes", "t1", registryv1.Artisan_FEMALE, "F1.B02.A01", registryv1.Artisan_REGISTERED), false)
	if !e.registry.sawToken(tok) {
		t.Fatal("the registry did not receive the caller's token")
	}
}

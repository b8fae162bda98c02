package service

import (
	"context"
	"fmt"
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	"github.com/hirfa/hirfa/pkg/auth"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
)

// split divides total into n positive parts that vary (a fixed
// pseudo-random sequence, so runs are reproducible) and add up exactly.
func split(total int64, n int, seed uint64) []int64 {
	weights := make([]int64, n)
	var sum int64
	for i := range weights {
		seed = seed*6364136223846793005 + 1442695040888963407
		weights[i] = 50 + int64(seed>>33)%100 // 50..149
		sum += weights[i]
	}
	parts := make([]int64, n)
	var given int64
	for i := range parts {
		if i == n-1 {
			parts[i] = total - given
			break
		}
		parts[i] = total * weights[i] / sum
		given += parts[i]
	}
	return parts
}

// fairRun is one fair of a scenario: its exhibitors, visitors and sales.
type fairRun struct {
	title, start, end string
	artisans          []string // registry names
	visitors          int64
	sales             int64 // centimes
}

// runFair creates a fair through the API, fills it, runs it and evaluates it.
func (e *env) runFair(t *testing.T, ctx context.Context, f fairRun, seed uint64) *eventsfairsv1.Event {
	t.Helper()
	fair, booths := e.openFair(t, ctx, newFair(f.title, f.start, f.end), len(f.artisans))
	var xs []*eventsfairsv1.Exhibitor
	for i, a := range f.artisans {
		x := e.apply(t, ctx, fair.GetName(), a, i%4 == 0)
		x = must(e.accept(ctx, x))(t)
		x = must(e.fairs().AllocateBooth(ctx, &eventsfairsv1.AllocateBoothRequest{Name: x.GetName(), Booth: booths[i].GetName()}))(t)
		xs = append(xs, x)
	}
	must(e.events().CloseApplications(ctx, &eventsfairsv1.CloseApplicationsRequest{Name: fair.GetName()}))(t)
	must(e.events().StartEvent(ctx, &eventsfairsv1.StartEventRequest{Name: fair.GetName()}))(t)
	start, err := time.Parse(time.DateOnly, f.start)
	if err != nil {
		t.Fatal(err)
	}
	end, _ := time.Parse(time.DateOnly, f.end)
	days := int(end.Sub(start).Hours()/24) + 1
	for d, n := range split(f.visitors, days, seed) {
		must(e.fairs().RecordVisitorCount(ctx, &eventsfairsv1.RecordVisitorCountRequest{Parent: fair.GetName(),
			VisitorCount: &eventsfairsv1.VisitorCount{Date: start.AddDate(0, 0, d).Format(time.DateOnly), Visitors: n}}))(t)
	}
	for i, amount := range split(f.sales, len(xs), seed+1) {
		must(e.fairs().DeclareSales(ctx, &eventsfairsv1.DeclareSalesRequest{Name: xs[i].GetName(), SalesCentimes: amount}))(t)
	}
	must(e.events().EndEvent(ctx, &eventsfairsv1.EndEventRequest{Name: fair.GetName()}))(t)
	return must(e.events().EvaluateEvent(ctx, &eventsfairsv1.EvaluateEventRequest{Name: fair.GetName()}))(t)
}

// TestFesMeknesFairsJanuaryToMay2023 builds, through the API, the fairs the
// Fès-Meknès chamber ran from January to May 2023 — 8 fairs, 220 exhibiting
// artisans, 235,000 visitors, 3,297,960.00 MAD of sales — and gets exactly
// those totals back from the period evaluation. A fair of October 2023 with
// 50,000 visitors and 2,160,000.00 MAD of sales gets its own figures back
// and stays out of the January–May totals.
func TestFesMeknesFairsJanuaryToMay2023(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			o := options{}
			if backend == "postgres" {
				o.dbURL = postgresURL(t)
			}
			e := start(t, o)
			ctx := e.clerk(t)
			began := time.Now()
			next := 0
			artisans := func(n int) []string {
				var names []string
				for range n {
					next++
					g := registryv1.Artisan_MALE
					if next%2 == 0 {
						g = registryv1.Artisan_FEMALE
					}
					names = append(names, e.registry.artisan("fes-meknes", fmt.Sprintf("a%03d", next), g, "F1.B02.A01", registryv1.Artisan_REGISTERED))
				}
				return names
			}
			const (
				wantFairs     = 8
				wantArtisans  = 220
				wantVisitors  = 235_000
				wantSales     = 3_297_960_00 // 3,297,960.00 MAD in centimes
				octVisitors   = 50_000
				octSales      = 2_160_000_00 // 2,160,000.00 MAD
				octExhibitors = 60
			)
			exhibitors := []int{28, 28, 28, 28, 27, 27, 27, 27}
			visitors := []int64{40_000, 35_000, 30_000, 25_000, 30_000, 25_000, 25_000, 25_000}
			sales := split(wantSales, wantFairs, 7)
			dates := [][2]string{{"2023-01-12", "2023-01-18"}, {"2023-02-02", "2023-02-08"}, {"2023-02-23", "2023-03-01"}, {"2023-03-16", "2023-03-22"},
				{"2023-04-06", "2023-04-12"}, {"2023-04-20", "2023-04-26"}, {"2023-05-04", "2023-05-10"}, {"2023-05-25", "2023-05-31"}}
			for i := range wantFairs {
				ev := e.runFair(t, ctx, fairRun{title: fmt.Sprintf("n°%d 2023", i+1), start: dates[i][0], end: dates[i][1],
					artisans: artisans(exhibitors[i]), visitors: visitors[i], sales: sales[i]}, uint64(i))
				if got := ev.GetEvaluation(); got.GetExhibitors() != int32(exhibitors[i]) || got.GetVisitors() != visitors[i] || got.GetSalesCentimes() != sales[i] {
					t.Fatalf("fair %d evaluated %v", i+1, got)
				}
			}
			// Around the period: a cancelled fair in it, a training in it,
			// and the October fair after it.
			cancelled := must(e.events().CreateEvent(ctx, &eventsfairsv1.CreateEventRequest{Parent: "chambers/fes-meknes", Event: newFair("annulé", "2023-03-05", "2023-03-06")}))(t)
			must(e.events().CancelEvent(ctx, &eventsfairsv1.CancelEventRequest{Name: cancelled.GetName(), Reason: "intempéries"}))(t)
			tr := newFair("formation", "2023-03-05", "2023-03-05")
			tr.Kind, tr.Fair = eventsfairsv1.Event_TRAINING, nil
			must(e.events().CreateEvent(ctx, &eventsfairsv1.CreateEventRequest{Parent: "chambers/fes-meknes", Event: tr}))(t)
			oct := e.runFair(t, ctx, fairRun{title: "national d'automne", start: "2023-10-05", end: "2023-10-14",
				artisans: artisans(octExhibitors), visitors: octVisitors, sales: octSales}, 99)

			p := must(e.fairs().EvaluateFairs(ctx, &eventsfairsv1.EvaluateFairsRequest{Parent: "chambers/fes-meknes", StartDate: "2023-01-01", EndDate: "2023-05-31"}))(t)
			tot := p.GetTotals()
			if p.GetFairs() != wantFairs || p.GetEvaluatedFairs() != wantFairs || tot.GetExhibitors() != wantArtisans || tot.GetArtisans() != wantArtisans ||
				p.GetDistinctExhibitors() != wantArtisans || tot.GetVisitors() != wantVisitors || tot.GetSalesCentimes() != wantSales ||
				tot.GetBoothsUsed() != wantArtisans || tot.GetWomenArtisans()+tot.GetMenArtisans() != wantArtisans || len(p.GetPerFair()) != wantFairs {
				t.Fatalf("January–May 2023 = %v", p)
			}
			t.Logf("January–May 2023: %d fairs, %d artisans, %d visitors, %d.%02d MAD of sales",
				p.GetFairs(), tot.GetExhibitors(), tot.GetVisitors(), tot.GetSalesCentimes()/100, tot.GetSalesCentimes()%100)
			// The national read adds up the same (no other chamber had fairs).
			national := must(e.fairs().EvaluateFairs(e.as(t, auth.RoleMinistry, ""), &eventsfairsv1.EvaluateFairsRequest{Parent: "chambers/-", StartDate: "2023-01-01", EndDate: "2023-05-31"}))(t)
			if national.GetTotals().GetSalesCentimes() != wantSales || national.GetTotals().GetVisitors() != wantVisitors {
				t.Fatalf("national = %v", national.GetTotals())
			}

			one := must(e.fairs().GetFairEvaluation(ctx, &eventsfairsv1.GetFairEvaluationRequest{Name: oct.GetName() + "/evaluation"}))(t)
			if f := one.GetFigures(); !one.GetFinal() || f.GetVisitors() != octVisitors || f.GetSalesCentimes() != octSales || f.GetExhibitors() != octExhibitors {
				t.Fatalf("October fair = %v", one)
			}
			autumn := must(e.fairs().EvaluateFairs(ctx, &eventsfairsv1.EvaluateFairsRequest{Parent: "chambers/fes-meknes", StartDate: "2023-06-01", EndDate: "2023-12-31"}))(t)
			if autumn.GetFairs() != 1 || autumn.GetTotals().GetVisitors() != octVisitors || autumn.GetTotals().GetSalesCentimes() != octSales {
				t.Fatalf("June–December 2023 = %v", autumn)
			}
			_, err := e.fairs().EvaluateFairs(ctx, &eventsfairsv1.EvaluateFairsRequest{Parent: "chambers/fes-meknes", StartDate: "2023-06-01", EndDate: "2023-01-01"})
			wantErr(t, "a period ending before it starts", err, codes.InvalidArgument, "")
			t.Logf("%s: %d gRPC-built fairs evaluated in %v", backend, wantFairs+1, time.Since(began).Round(time.Millisecond))
		})
	}
}

// TestBadInputWritesNothing is the list of issue 5: each bad input answers
// with its code and reason, and writes nothing (no record, no outbox event,
// no audit record).
func TestBadInputWritesNothing(t *testing.T) {
	e := start(t, options{})
	ctx := e.clerk(t)
	reg := e.registry
	art := func(chamber, id string, st registryv1.Artisan_State) string {
		return reg.artisan(chamber, id, registryv1.Artisan_FEMALE, "F1.B02.A01", st)
	}
	// An open fair: at most one exhibitor from outside the region, who is
	// accepted and holds booth 1.
	open, booths := e.openFair(t, ctx, newFair("ouvert", "2023-03-10", "2023-03-19",
		&eventsfairsv1.QuotaRule{Criterion: eventsfairsv1.QuotaRule_OUTSIDE_REGION, Booths: 1, Limit: eventsfairsv1.QuotaRule_MAXIMUM}), 3)
	first := must(e.accept(ctx, e.apply(t, ctx, open.GetName(), art("marrakech-safi", "o1", registryv1.Artisan_REGISTERED), false)))(t)
	must(e.fairs().AllocateBooth(ctx, &eventsfairsv1.AllocateBoothRequest{Name: first.GetName(), Booth: booths[0].GetName()}))(t)
	local := must(e.accept(ctx, e.apply(t, ctx, open.GetName(), art("fes-meknes", "l1", registryv1.Artisan_REGISTERED), false)))(t)
	second := e.apply(t, ctx, open.GetName(), art("marrakech-safi", "o2", registryv1.Artisan_REGISTERED), false)
	// A fair whose applications are closed, and an evaluated one.
	closed, _ := e.openFair(t, ctx, newFair("fermé", "2023-04-10", "2023-04-19"), 1)
	must(e.events().CloseApplications(ctx, &eventsfairsv1.CloseApplicationsRequest{Name: closed.GetName()}))(t)
	done := e.runFair(t, ctx, fairRun{title: "évalué", start: "2023-02-01", end: "2023-02-02",
		artisans: []string{art("fes-meknes", "d1", registryv1.Artisan_REGISTERED)}, visitors: 900, sales: 1_000_00}, 3)
	doneX := must(e.fairs().ListExhibitors(ctx, &eventsfairsv1.ListExhibitorsRequest{Parent: done.GetName()}))(t).GetExhibitors()[0]
	// An assembly of 5 sitting with m01–m03 present and a vote open where
	// m02 has voted; another convened without its quorum.
	sitting := e.convene(t, ctx, 5, nil)
	must(e.assemblies().RecordAttendance(ctx, &eventsfairsv1.RecordAttendanceRequest{Name: sitting.GetName(), Present: members(3)}))(t)
	must(e.assemblies().OpenSession(ctx, &eventsfairsv1.OpenSessionRequest{Name: sitting.GetName()}))(t)
	item := e.item(t, ctx, sitting.GetName(), 1, eventsfairsv1.AgendaItem_ACTION_PROGRAMME, "", "Programme")
	must(e.assemblies().OpenVote(ctx, &eventsfairsv1.OpenVoteRequest{Name: item.GetName()}))(t)
	must(e.assemblies().CastVote(ctx, &eventsfairsv1.CastVoteRequest{Name: item.GetName(), Member: "m02", Choice: eventsfairsv1.Choice_FOR}))(t)
	noQuorum := e.convene(t, ctx, 5, nil)
	must(e.assemblies().RecordAttendance(ctx, &eventsfairsv1.RecordAttendanceRequest{Name: noQuorum.GetName(), Present: members(2)}))(t)
	pending := e.item(t, ctx, noQuorum.GetName(), 1, eventsfairsv1.AgendaItem_OTHER, "", "Divers")

	cast := func(item, member string) func() error {
		return func() error {
			_, err := e.assemblies().CastVote(ctx, &eventsfairsv1.CastVoteRequest{Name: item, Member: member, Choice: eventsfairsv1.Choice_AGAINST})
			return err
		}
	}
	applyTo := func(fair, applicant string) func() error {
		return func() error {
			_, err := e.fairs().CreateExhibitor(ctx, &eventsfairsv1.CreateExhibitorRequest{Parent: fair, Exhibitor: &eventsfairsv1.Exhibitor{Applicant: applicant}})
			return err
		}
	}
	tests := []struct {
		name   string
		call   func() error
		code   codes.Code
		reason string
	}{
		{"allocating a booth twice", func() error {
			_, err := e.fairs().AllocateBooth(ctx, &eventsfairsv1.AllocateBoothRequest{Name: local.GetName(), Booth: booths[0].GetName()})
			return err
		}, codes.AlreadyExists, "BOOTH_ALREADY_ALLOCATED"},
		{"exceeding a quota", func() error { _, err := e.accept(ctx, second); return err }, codes.FailedPrecondition, "QUOTA_EXCEEDED"},
		{"applying after applications close", applyTo(closed.GetName(), art("fes-meknes", "late", registryv1.Artisan_REGISTERED)), codes.FailedPrecondition, "APPLICATIONS_CLOSED"},
		{"an applicant unknown to the registry", applyTo(open.GetName(), "chambers/fes-meknes/artisans/nobody"), codes.FailedPrecondition, "APPLICANT_NOT_FOUND"},
		{"an unregistered applicant", applyTo(open.GetName(), art("fes-meknes", "u1", registryv1.Artisan_APPLICANT)), codes.FailedPrecondition, "APPLICANT_NOT_REGISTERED"},
		{"a struck-off applicant", applyTo(open.GetName(), art("fes-meknes", "s1", registryv1.Artisan_STRUCK_OFF)), codes.FailedPrecondition, "APPLICANT_STRUCK_OFF"},
		{"negative sales", func() error {
			_, err := e.fairs().DeclareSales(ctx, &eventsfairsv1.DeclareSalesRequest{Name: doneX.GetName(), SalesCentimes: -1})
			return err
		}, codes.InvalidArgument, "int64.gte_lte"},
		{"a vote by a non-member", cast(item.GetName(), "m99"), codes.FailedPrecondition, "NOT_A_MEMBER"},
		{"a vote by an absent member", cast(item.GetName(), "m05"), codes.FailedPrecondition, "MEMBER_ABSENT"},
		{"a second vote on one item", cast(item.GetName(), "m02"), codes.FailedPrecondition, "ALREADY_VOTED"},
		{"a vote before quorum", cast(pending.GetName(), "m01"), codes.FailedPrecondition, "VOTE_NOT_OPEN"},
		{"opening a vote before quorum", func() error {
			_, err := e.assemblies().OpenVote(ctx, &eventsfairsv1.OpenVoteRequest{Name: pending.GetName()})
			return err
		}, codes.FailedPrecondition, "SESSION_NOT_OPEN"},
		{"opening the sitting before quorum", func() error {
			_, err := e.assemblies().OpenSession(ctx, &eventsfairsv1.OpenSessionRequest{Name: noQuorum.GetName()})
			return err
		}, codes.FailedPrecondition, "QUORUM_NOT_MET"},
		{"editing an evaluated fair", func() error {
			_, err := e.fairs().DeclareSales(ctx, &eventsfairsv1.DeclareSalesRequest{Name: doneX.GetName(), SalesCentimes: 5})
			return err
		}, codes.FailedPrecondition, "EVENT_EVALUATED"},
	}
	tables := []string{"outbox", "audit_records", "events", "booths", "exhibitors", "visitor_counts", "assemblies", "agenda_items", "agreements", "registrations"}
	snapshot := func() string {
		s := ""
		for _, tb := range tables {
			s += fmt.Sprintf("%s=%d ", tb, e.rows(t, tb))
		}
		var revs int64
		for _, tb := range tables[2:] {
			var n int64
			if err := e.svc.DB.SQL.QueryRow("SELECT COALESCE(SUM(revision), 0) FROM " + tb).Scan(&n); err != nil {
				t.Fatal(err)
			}
			revs += n
		}
		return s + fmt.Sprintf("revisions=%d", revs)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot()
			wantErr(t, tt.name, tt.call(), tt.code, tt.reason)
			if after := snapshot(); after != before {
				t.Fatalf("%s wrote something:\n before %s\n after  %s", tt.name, before, after)
			}
		})
	}
}

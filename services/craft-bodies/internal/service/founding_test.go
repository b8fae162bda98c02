package service

import (
	"context"
	"slices"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/hirfa/hirfa/pkg/auth"
	cbv1 "github.com/hirfa/hirfa/proto/gen/hirfa/craftbodies/v1"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
)

func phase1() *cbv1.Programme {
	return &cbv1.Programme{Title: lt("برنامج التأسيس", "Programme de fondation"), LaunchDate: "2025-11-20",
		Phases: []*cbv1.Phase{{Number: 1, Title: lt("المرحلة 1", "Phase 1"), StartDate: "2025-11-24", EndDate: "2026-06-30",
			Crafts: []string{tannery, "F1.B02.A02"},
			Milestones: []*cbv1.Milestone{
				{Stage: cbv1.Stage_AWARENESS, DueDate: "2025-12-31"},
				{Stage: cbv1.Stage_COMMITTEE, DueDate: "2026-01-31"},
				{Stage: cbv1.Stage_CONSTITUTED, DueDate: "2026-06-30"},
			}}}}
}

func tanners(prog string) *cbv1.CraftBody {
	return &cbv1.CraftBody{DisplayName: lt("هيئة الدباغين بفاس", "Instance des tanneurs de Fès"), Level: cbv1.CraftBody_PROVINCIAL,
		Craft: tannery, Province: "fes", Programme: prog, Phase: 1}
}

// facts lists the registered artisans of a craft in a province, from the
// registry itself.
func (e *env) facts(t *testing.T, ctx context.Context, craft, province string) []*registryv1.RegistrantFact {
	t.Helper()
	conn, err := grpc.NewClient(e.peers.registryAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	r := must(registryv1.NewRegistrantServiceClient(conn).ListRegistrantFacts(ctx, &registryv1.ListRegistrantFactsRequest{
		Parent: "chambers/fes-meknes", Activity: craft, Province: province}))(t)
	return r.GetFacts()
}

// committee is the preparatory committee of the tanners, the first listed
// artisan chairing.
func committee(facts []*registryv1.RegistrantFact) *cbv1.Committee {
	c := &cbv1.Committee{Chair: facts[0].GetName(), FormedDate: "2026-01-20"}
	for _, f := range facts {
		c.Members = append(c.Members, &cbv1.CommitteeMember{Kind: cbv1.CommitteeMember_ARTISAN, Registrant: f.GetName(), DisplayName: f.GetDisplayName()})
	}
	return c
}

// TestFoundingAProvincialBody founds the Fès tanners' body over real gRPC,
// from awareness to its bureau, on both backends: the awareness meeting is
// an AWARENESS_SESSION event of events-and-fairs, the census the registry's
// registered tanners of Fès, the assembly checks its quorum and adopts the
// statutes by recorded vote, the bureau is elected office by office, and
// every change writes its outbox event.
func TestFoundingAProvincialBody(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			o := options{}
			if backend == "postgres" {
				o.dbURL = postgresURL(t)
			}
			e := start(t, o)
			ctx := e.clerk(t)
			p := must(e.programmes().CreateProgramme(ctx, &cbv1.CreateProgrammeRequest{Parent: "chambers/fes-meknes", Programme: phase1(), RequestId: "prog-1"}))(t)
			b := must(e.bodies().CreateCraftBody(ctx, &cbv1.CreateCraftBodyRequest{Parent: "chambers/fes-meknes", CraftBody: tanners(p.GetName()), RequestId: "body-1"}))(t)
			if b.GetState() != cbv1.Stage_PLANNED || b.GetRegion() != "fes-meknes" || !strings.HasPrefix(b.GetName(), "chambers/fes-meknes/craftBodies/") {
				t.Fatalf("created %v", b)
			}
			// A retry with the same request id writes nothing.
			again := must(e.bodies().CreateCraftBody(ctx, &cbv1.CreateCraftBodyRequest{Parent: "chambers/fes-meknes", CraftBody: tanners(p.GetName()), RequestId: "body-1"}))(t)
			if again.GetName() != b.GetName() {
				t.Fatalf("retry created %s", again.GetName())
			}
			b = must(e.bodies().StartAwareness(ctx, &cbv1.StartAwarenessRequest{Name: b.GetName(), Etag: b.GetEtag()}))(t)
			mt := must(e.bodies().CreateAwarenessMeeting(ctx, &cbv1.CreateAwarenessMeetingRequest{Parent: b.GetName(), RequestId: "meet-" + backend,
				AwarenessMeeting: &cbv1.AwarenessMeeting{Title: lt("لقاء تحسيسي", "Réunion de sensibilisation"), Date: "2025-12-10", City: "Fès", Capacity: 60}}))(t)
			if !strings.HasPrefix(mt.GetEvent(), "chambers/fes-meknes/events/") {
				t.Fatalf("meeting not linked to an event: %v", mt)
			}
			// The event exists in events-and-fairs as an awareness session.
			econn, err := grpc.NewClient(e.peers.eventsAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
			if err != nil {
				t.Fatal(err)
			}
			defer econn.Close()
			ev := must(eventsfairsv1.NewEventServiceClient(econn).GetEvent(ctx, &eventsfairsv1.GetEventRequest{Name: mt.GetEvent()}))(t)
			if ev.GetKind() != eventsfairsv1.Event_AWARENESS_SESSION || ev.GetVenue().GetProvince() != "fes" || ev.GetStartDate() != "2025-12-10" {
				t.Fatalf("event %v", ev)
			}
			got := must(e.bodies().GetAwarenessMeeting(ctx, &cbv1.GetAwarenessMeetingRequest{Name: mt.GetName()}))(t)
			if got.GetEvent() != mt.GetEvent() || got.GetAttended() != 0 {
				t.Fatalf("meeting %v", got)
			}
			facts := e.facts(t, ctx, tannery, "fes")
			if len(facts) < 5 {
				t.Fatalf("registry lists %d tanners in Fès", len(facts))
			}
			b = must(e.bodies().FormCommittee(ctx, &cbv1.FormCommitteeRequest{Name: b.GetName(), Committee: committee(facts[:3])}))(t)
			if b.GetState() != cbv1.Stage_COMMITTEE || b.GetCommittee().GetChair() != facts[0].GetName() {
				t.Fatalf("committee %v", b)
			}
			cs := must(e.bodies().TakeCensus(ctx, &cbv1.TakeCensusRequest{Name: b.GetName()}))(t)
			if int(cs.GetMemberCount()) != len(facts) || cs.GetName() != b.GetName()+"/census" {
				t.Fatalf("census %v, registry %d", cs, len(facts))
			}
			page := must(e.bodies().ListCensusMembers(ctx, &cbv1.ListCensusMembersRequest{Parent: cs.GetName(), PageSize: 2}))(t)
			if len(page.GetMembers()) != 2 || page.GetNextPageToken() == "" || page.GetMembers()[0].GetNia() == "" {
				t.Fatalf("census page %v", page)
			}
			ga := must(e.assembly().ConveneAssembly(ctx, &cbv1.ConveneAssemblyRequest{Name: b.GetName(), Date: "2026-03-14", Venue: "Siège de la Chambre"}))(t)
			if int(ga.GetRollSize()) != len(facts) || ga.GetChair() != facts[0].GetName() || ga.GetState() != cbv1.ConstitutiveAssembly_CONVENED {
				t.Fatalf("assembly %v", ga)
			}
			var roll []string
			for _, f := range facts {
				roll = append(roll, f.GetName())
			}
			ga = must(e.assembly().RecordAttendance(ctx, &cbv1.RecordAttendanceRequest{Name: ga.GetName(), Present: roll}))(t)
			ga = must(e.assembly().CheckQuorum(ctx, &cbv1.CheckQuorumRequest{Name: ga.GetName()}))(t)
			if !ga.GetConvocations()[0].GetQuorum().GetMet() || ga.GetState() != cbv1.ConstitutiveAssembly_IN_SESSION {
				t.Fatalf("quorum %v", ga)
			}
			for i, m := range roll {
				c := cbv1.Choice_FOR
				if i == len(roll)-1 {
					c = cbv1.Choice_AGAINST
				}
				must(e.assembly().CastStatutesVote(ctx, &cbv1.CastStatutesVoteRequest{Name: ga.GetName(), Member: m, Choice: c}))(t)
			}
			ga = must(e.assembly().CloseStatutesVote(ctx, &cbv1.CloseStatutesVoteRequest{Name: ga.GetName()}))(t)
			if st := ga.GetStatutes(); st.GetState() != cbv1.StatutesVote_ADOPTED || int(st.GetFor()) != len(roll)-1 || st.GetAgainst() != 1 || len(st.GetVotes()) != len(roll) {
				t.Fatalf("statutes %v", st)
			}
			// The presidency: two candidates, an absolute majority in round 1.
			pres := must(e.assembly().CreateOffice(ctx, &cbv1.CreateOfficeRequest{Parent: ga.GetName(), OfficeId: "president",
				Office: &cbv1.Office{Title: lt("الرئيس", "Président"), Position: 1, Presidency: true, Candidates: []string{roll[0], roll[1]}}}))(t)
			for i, m := range roll {
				cand := roll[0]
				if i >= len(roll)-2 {
					cand = roll[1]
				}
				must(e.assembly().CastBallot(ctx, &cbv1.CastBallotRequest{Name: pres.GetName(), Member: m, Candidate: cand}))(t)
			}
			pres = must(e.assembly().CloseRound(ctx, &cbv1.CloseRoundRequest{Name: pres.GetName()}))(t)
			if pres.GetElected() != roll[0] || len(pres.GetRounds()) != 1 || pres.GetRounds()[0].GetCounts()[roll[0]] != int32(len(roll)-2) {
				t.Fatalf("presidency %v", pres)
			}
			// The bureau is not complete until every office is filled.
			sec := must(e.assembly().CreateOffice(ctx, &cbv1.CreateOfficeRequest{Parent: ga.GetName(), OfficeId: "secretary",
				Office: &cbv1.Office{Title: lt("الكاتب العام", "Secrétaire général"), Position: 2, Candidates: []string{roll[2]}}}))(t)
			_, err = e.assembly().ConstituteCraftBody(ctx, &cbv1.ConstituteCraftBodyRequest{Name: b.GetName()})
			wantErr(t, "constitute before the secretary is elected", err, codes.FailedPrecondition, "BUREAU_INCOMPLETE")
			for _, m := range roll {
				must(e.assembly().CastBallot(ctx, &cbv1.CastBallotRequest{Name: sec.GetName(), Member: m, Candidate: roll[2]}))(t)
			}
			must(e.assembly().CloseRound(ctx, &cbv1.CloseRoundRequest{Name: sec.GetName()}))(t)
			offices := must(e.assembly().ListOffices(ctx, &cbv1.ListOfficesRequest{Parent: ga.GetName()}))(t)
			if len(offices.GetOffices()) != 2 || offices.GetOffices()[0].GetName() != pres.GetName() || offices.GetOffices()[1].GetElected() != roll[2] {
				t.Fatalf("offices %v", offices)
			}
			b = must(e.assembly().ConstituteCraftBody(ctx, &cbv1.ConstituteCraftBodyRequest{Name: b.GetName()}))(t)
			if b.GetState() != cbv1.Stage_CONSTITUTED || b.GetPresident() != roll[0] || b.GetConstituteTime() == nil {
				t.Fatalf("constituted %v", b)
			}
			min := must(e.assembly().ExportMinutes(ctx, &cbv1.ExportMinutesRequest{Name: ga.GetName()}))(t)
			if !strings.Contains(min.GetFr(), "Fès") && !strings.Contains(min.GetFr(), "Siège") || min.GetAr() == "" {
				t.Fatalf("minutes %v", min)
			}
			// National roles read it; the progress counts it.
			ministry := e.as(t, auth.RoleMinistry, "")
			pr := must(e.bodies().GetCraftBodyProgress(ministry, &cbv1.GetCraftBodyProgressRequest{Scope: "chambers/-", GroupBy: cbv1.GetCraftBodyProgressRequest_PROVINCE}))(t)
			if len(pr.GetGroups()) != 1 || pr.GetGroups()[0].GetKey() != "fes" || pr.GetGroups()[0].GetByStage()["CONSTITUTED"] != 1 {
				t.Fatalf("progress %v", pr)
			}
			// Every change wrote its outbox event, in order.
			want := []string{"ProgrammeCreated", "CraftBodyPlanned", "CraftBodyAwarenessStarted", "AwarenessMeetingPlanned", "CraftBodyCommitteeFormed",
				"CensusTaken", "CraftBodyCensusTaken", "ConstitutiveAssemblyConvened", "CraftBodyAssemblyConvened",
				"ConstitutiveAssemblyAttendanceRecorded", "ConstitutiveAssemblyQuorumChecked"}
			for range roll {
				want = append(want, "ConstitutiveAssemblyStatutesVoteCast")
			}
			want = append(want, "ConstitutiveAssemblyStatutesDecided")
			for range 2 {
				want = append(want, "OfficeOpened")
				for range roll {
					want = append(want, "OfficeBallotCast")
				}
				want = append(want, "OfficeRoundClosed")
			}
			want = append(want, "CraftBodyConstituted", "ConstitutiveAssemblyClosed")
			if got := e.eventTypes(t); !slices.Equal(got, want) {
				t.Fatalf("outbox events\n got %v\nwant %v", got, want)
			}
		})
	}
}

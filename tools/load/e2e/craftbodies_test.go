package e2e

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/hirfa/hirfa/pkg/auth"
	cbv1 "github.com/hirfa/hirfa/proto/gen/hirfa/craftbodies/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	reportingv1 "github.com/hirfa/hirfa/proto/gen/hirfa/reporting/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
	"github.com/hirfa/hirfa/tools/load"
)

// TestFoundingACraftBodyThroughTheEdge founds the Fès coppersmiths' body
// through the REST edge of a multi-process stack: the clerk registers the
// artisans in the registry, plans the body, holds an awareness meeting (an
// event of events-and-fairs), forms the committee, takes the census from the
// register, convenes the constitutive assembly, checks the quorum, adopts
// the statutes and elects the bureau; the ministry then reads the progress
// nationally, and reporting's projection of the roll-out.
func TestFoundingACraftBodyThroughTheEdge(t *testing.T) {
	s := newStack(t, "HIRFA_SEED_DEMO=false", "HIRFA_SHUTDOWN_TIMEOUT=10s")
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	edge := load.NewREST(s.HTTP, "", nil)
	fes := edge.WithToken(token(t, s, auth.RoleChamberClerk, "fes-meknes"))
	ministry := edge.WithToken(token(t, s, auth.RoleMinistry, ""))
	text := func(ar, fr string) *typev1.LocalizedText { return &typev1.LocalizedText{Ar: ar, Fr: fr} }
	const craft = "F1.B05.A01"

	// Three coppersmiths of Fès on the register.
	var roll []string
	for i, a := range []*registryv1.Artisan{
		{GivenNameAr: "عمر", FamilyNameAr: "الصفار", GivenNameLatin: "Omar", FamilyNameLatin: "Seffar", Cnie: "CC100001", Gender: registryv1.Artisan_MALE,
			BirthDate: "1970-03-01", Province: "fes", Activity: craft, Category: registryv1.Artisan_MASTER, AminCertificateReference: "AMIN-CC100001", YearsOfPractice: 30},
		{GivenNameAr: "ليلى", FamilyNameAr: "النحاس", GivenNameLatin: "Leila", FamilyNameLatin: "Nahhas", Cnie: "CC100002", Gender: registryv1.Artisan_FEMALE,
			BirthDate: "1985-06-12", Province: "fes", Activity: craft, Category: registryv1.Artisan_EXPERIENCED, YearsOfPractice: 11},
		{GivenNameAr: "كريم", FamilyNameAr: "الإدريسي", GivenNameLatin: "Karim", FamilyNameLatin: "Idrissi", Cnie: "CC100003", Gender: registryv1.Artisan_MALE,
			BirthDate: "1992-09-20", Province: "fes", Activity: craft, Category: registryv1.Artisan_EXPERIENCED, YearsOfPractice: 7},
	} {
		out := &registryv1.Artisan{}
		do(ctx, t, fes, http.MethodPost, "/v1/chambers/fes-meknes/artisans", url.Values{"request_id": {"cb-artisan-" + a.GetCnie()}}, a, out, codes.OK)
		do(ctx, t, fes, http.MethodPost, "/v1/"+out.GetName()+":register", nil, &emptypb.Empty{}, out, codes.OK)
		if out.GetState() != registryv1.Artisan_REGISTERED {
			t.Fatalf("artisan %d: %s", i, out.GetState())
		}
		roll = append(roll, out.GetName())
	}

	b := &cbv1.CraftBody{}
	do(ctx, t, fes, http.MethodPost, "/v1/chambers/fes-meknes/craftBodies", nil, &cbv1.CraftBody{
		DisplayName: text("الهيئة الحرفية الإقليمية للنحاسين بفاس", "Instance provinciale des dinandiers de Fès"),
		Level:       cbv1.CraftBody_PROVINCIAL, Craft: craft, Province: "fes"}, b, codes.OK)
	do(ctx, t, fes, http.MethodPost, "/v1/"+b.GetName()+":startAwareness", nil, &cbv1.StartAwarenessRequest{}, b, codes.OK)
	mt := &cbv1.AwarenessMeeting{}
	do(ctx, t, fes, http.MethodPost, "/v1/"+b.GetName()+"/awarenessMeetings", url.Values{"request_id": {"cb-meeting-1"}},
		&cbv1.AwarenessMeeting{Title: text("لقاء تحسيسي", "Réunion de sensibilisation"), Date: "2025-12-12", City: "Fès", Capacity: 40}, mt, codes.OK)
	if !strings.HasPrefix(mt.GetEvent(), "chambers/fes-meknes/events/") {
		t.Fatalf("meeting %v", mt)
	}
	do(ctx, t, fes, http.MethodGet, "/v1/"+mt.GetName(), nil, nil, mt, codes.OK)
	// Too early for the census: the committee comes first.
	do(ctx, t, fes, http.MethodPost, "/v1/"+b.GetName()+":takeCensus", nil, &cbv1.TakeCensusRequest{}, nil, codes.FailedPrecondition)
	committee := &cbv1.Committee{Chair: roll[0], FormedDate: "2026-01-10"}
	for _, r := range roll {
		committee.Members = append(committee.Members, &cbv1.CommitteeMember{Kind: cbv1.CommitteeMember_ARTISAN, Registrant: r, DisplayName: text("عضو", "Membre")})
	}
	do(ctx, t, fes, http.MethodPost, "/v1/"+b.GetName()+":formCommittee", nil, &cbv1.FormCommitteeRequest{Committee: committee}, b, codes.OK)
	cs := &cbv1.Census{}
	do(ctx, t, fes, http.MethodPost, "/v1/"+b.GetName()+":takeCensus", nil, &cbv1.TakeCensusRequest{}, cs, codes.OK)
	if cs.GetMemberCount() != 3 {
		t.Fatalf("census %v", cs)
	}
	ga := &cbv1.ConstitutiveAssembly{}
	do(ctx, t, fes, http.MethodPost, "/v1/"+b.GetName()+":conveneAssembly", nil, &cbv1.ConveneAssemblyRequest{Date: "2026-03-20", Venue: "Siège de la Chambre, Fès"}, ga, codes.OK)
	do(ctx, t, fes, http.MethodPost, "/v1/"+ga.GetName()+":recordAttendance", nil, &cbv1.RecordAttendanceRequest{Present: roll}, ga, codes.OK)
	do(ctx, t, fes, http.MethodPost, "/v1/"+ga.GetName()+":checkQuorum", nil, &cbv1.CheckQuorumRequest{}, ga, codes.OK)
	if ga.GetState() != cbv1.ConstitutiveAssembly_IN_SESSION {
		t.Fatalf("assembly %v", ga)
	}
	for _, r := range roll {
		do(ctx, t, fes, http.MethodPost, "/v1/"+ga.GetName()+":castStatutesVote", nil, &cbv1.CastStatutesVoteRequest{Member: r, Choice: cbv1.Choice_FOR}, ga, codes.OK)
	}
	do(ctx, t, fes, http.MethodPost, "/v1/"+ga.GetName()+":closeStatutesVote", nil, &cbv1.CloseStatutesVoteRequest{}, ga, codes.OK)
	if ga.GetStatutes().GetState() != cbv1.StatutesVote_ADOPTED {
		t.Fatalf("statutes %v", ga.GetStatutes())
	}
	for i, office := range []struct{ id, ar, fr, candidate string }{
		{"president", "الرئيس", "Président", roll[0]}, {"treasurer", "أمين المال", "Trésorier", roll[1]},
	} {
		o := &cbv1.Office{}
		do(ctx, t, fes, http.MethodPost, "/v1/"+ga.GetName()+"/offices", url.Values{"office_id": {office.id}},
			&cbv1.Office{Title: text(office.ar, office.fr), Position: int32(i + 1), Presidency: i == 0, Candidates: []string{office.candidate}}, o, codes.OK)
		for _, r := range roll {
			do(ctx, t, fes, http.MethodPost, "/v1/"+o.GetName()+":castBallot", nil, &cbv1.CastBallotRequest{Member: r, Candidate: office.candidate}, o, codes.OK)
		}
		do(ctx, t, fes, http.MethodPost, "/v1/"+o.GetName()+":closeRound", nil, &cbv1.CloseRoundRequest{}, o, codes.OK)
		if o.GetElected() != office.candidate {
			t.Fatalf("office %s: %v", office.id, o)
		}
	}
	do(ctx, t, fes, http.MethodPost, "/v1/"+b.GetName()+":constitute", nil, &cbv1.ConstituteCraftBodyRequest{}, b, codes.OK)
	if b.GetState() != cbv1.Stage_CONSTITUTED || b.GetPresident() != roll[0] {
		t.Fatalf("body %v", b)
	}
	minutes := &cbv1.Minutes{}
	do(ctx, t, fes, http.MethodGet, "/v1/"+ga.GetName()+":exportMinutes", nil, nil, minutes, codes.OK)
	if minutes.GetAr() == "" || minutes.GetFr() == "" {
		t.Fatalf("minutes %v", minutes)
	}
	pr := &cbv1.CraftBodyProgress{}
	do(ctx, t, ministry, http.MethodGet, "/v1/chambers/-/craftBodyProgress", url.Values{"group_by": {"PROVINCE"}}, nil, pr, codes.OK)
	if len(pr.GetGroups()) != 1 || pr.GetGroups()[0].GetKey() != "fes" || pr.GetGroups()[0].GetByStage()["CONSTITUTED"] != 1 {
		t.Fatalf("progress %v", pr)
	}
	list := &cbv1.ListCraftBodiesResponse{}
	do(ctx, t, ministry, http.MethodGet, "/v1/chambers/-/craftBodies", nil, nil, list, codes.OK)
	if len(list.GetCraftBodies()) != 1 {
		t.Fatalf("national list %v", list)
	}
	// Reporting projects the roll-out from craft-bodies' events.
	rollout := &reportingv1.CraftBodyStatistics{}
	eventually(t, "reporting projects the constituted body", func() bool {
		do(ctx, t, ministry, http.MethodGet, "/v1/chambers/-/craftBodyStatistics", nil, nil, rollout, codes.OK)
		rows := rollout.GetRows()
		return rollout.GetTotal() == 1 && len(rows) == 1 && rows[0].GetProvince() == "fes" && rows[0].GetCraft() == craft && rows[0].GetStage() == "CONSTITUTED"
	})
	do(ctx, t, fes, http.MethodGet, "/v1/chambers/oriental/craftBodyStatistics", nil, nil, nil, codes.NotFound)
}

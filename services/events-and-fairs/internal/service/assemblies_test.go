package service

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
)

// members returns the ids m01…mNN.
func members(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("m%02d", i+1)
	}
	return ids
}

// convene convenes an assembly of n members presided by m01.
func (e *env) convene(t *testing.T, ctx context.Context, n int, quorum *eventsfairsv1.QuorumSetting) *eventsfairsv1.Assembly {
	t.Helper()
	a := &eventsfairsv1.Assembly{Title: lt("الدورة العادية لشهر فبراير", "Session ordinaire de février"),
		SessionType: eventsfairsv1.Assembly_ORDINARY, OrdinarySession: eventsfairsv1.Assembly_FEBRUARY,
		Date: "2024-02-27", Venue: "Fès", President: "m01", Quorum: quorum}
	for _, id := range members(n) {
		a.Members = append(a.Members, &eventsfairsv1.Member{Id: id, DisplayName: lt("العضو "+id, "Membre "+id)})
	}
	return must(e.assemblies().CreateAssembly(ctx, &eventsfairsv1.CreateAssemblyRequest{Parent: "chambers/fes-meknes", Assembly: a}))(t)
}

func (e *env) agreement(t *testing.T, ctx context.Context, title string, kind eventsfairsv1.Party_Kind, amount int64) *eventsfairsv1.Agreement {
	t.Helper()
	return must(e.agreements().CreateAgreement(ctx, &eventsfairsv1.CreateAgreementRequest{Parent: "chambers/fes-meknes", Agreement: &eventsfairsv1.Agreement{
		Title: lt("اتفاقية شراكة مع "+title, "Convention de partenariat avec "+title), Subject: "Promotion de l'artisanat",
		Parties: []*eventsfairsv1.Party{
			{DisplayName: lt("غرفة الصناعة التقليدية لجهة فاس مكناس", "Chambre d'Artisanat de Fès-Meknès"), Kind: eventsfairsv1.Party_CHAMBER},
			{DisplayName: lt(title, title), Kind: kind},
		},
		Commitments: []*eventsfairsv1.Commitment{{Party: 0, Description: "Stands", AmountCentimes: amount / 2}, {Party: 1, Description: "Financement", AmountCentimes: amount - amount/2}},
		StartDate:   "2024-03-01", EndDate: "2026-12-31",
	}}))(t)
}

func (e *env) item(t *testing.T, ctx context.Context, assembly string, pos int32, kind eventsfairsv1.AgendaItem_Kind, agreement, title string) *eventsfairsv1.AgendaItem {
	t.Helper()
	return must(e.assemblies().CreateAgendaItem(ctx, &eventsfairsv1.CreateAgendaItemRequest{Parent: assembly,
		Item: &eventsfairsv1.AgendaItem{Position: pos, Kind: kind, Agreement: agreement, Title: lt(title, title)}}))(t)
}

// vote casts the choices: choices[i] for voters[i].
func (e *env) vote(t *testing.T, ctx context.Context, item string, voters []string, choices []eventsfairsv1.Choice) {
	t.Helper()
	for i, m := range voters {
		must(e.assemblies().CastVote(ctx, &eventsfairsv1.CastVoteRequest{Name: item, Member: m, Choice: choices[i]}))(t)
	}
}

func repeat(c eventsfairsv1.Choice, n int) []eventsfairsv1.Choice {
	out := make([]eventsfairsv1.Choice, n)
	for i := range out {
		out[i] = c
	}
	return out
}

// TestAssemblyOf82Members is the Fès-Meknès general assembly: 82 members,
// a quorum of one half (41). Without the quorum no vote opens; with 60
// present, three partnership agreements are approved unanimously, one item
// is rejected and one tie is decided by the side the president voted with.
func TestAssemblyOf82Members(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			o := options{}
			if backend == "postgres" {
				o.dbURL = postgresURL(t)
			}
			e := start(t, o)
			ctx := e.clerk(t)
			ga := e.convene(t, ctx, 82, nil) // the chamber's default quorum: 1/2
			if ga.GetQuorumRequired() != 41 || ga.GetConvocation() != eventsfairsv1.Assembly_FIRST || len(ga.GetMembers()) != 82 {
				t.Fatalf("convened %v", ga)
			}
			// The roll is frozen at convocation; the venue may still change.
			_, err := e.assemblies().UpdateAssembly(ctx, &eventsfairsv1.UpdateAssemblyRequest{Assembly: &eventsfairsv1.Assembly{Name: ga.GetName(), Members: ga.GetMembers()[:10]},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"members"}}})
			wantErr(t, "rewrite the roll", err, codes.InvalidArgument, "")
			ga = must(e.assemblies().UpdateAssembly(ctx, &eventsfairsv1.UpdateAssemblyRequest{Assembly: &eventsfairsv1.Assembly{Name: ga.GetName(), Venue: "Palais des Congrès, Fès"},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"venue"}}}))(t)
			if ga.GetVenue() != "Palais des Congrès, Fès" || len(ga.GetMembers()) != 82 {
				t.Fatalf("updated %v", ga)
			}
			ags := []*eventsfairsv1.Agreement{
				e.agreement(t, ctx, "la Chambre de Commerce de Grenade", eventsfairsv1.Party_FOREIGN_CHAMBER, 300_000_00),
				e.agreement(t, ctx, "l'Association des Artisanes de Sefrou", eventsfairsv1.Party_ASSOCIATION, 120_000_00),
				e.agreement(t, ctx, "Banque Populaire", eventsfairsv1.Party_BANK, 1_000_000_00),
			}
			var items []*eventsfairsv1.AgendaItem
			for i, ag := range ags {
				items = append(items, e.item(t, ctx, ga.GetName(), int32(i+1), eventsfairsv1.AgendaItem_PARTNERSHIP_AGREEMENT, ag.GetName(), ag.GetTitle().GetFr()))
			}
			rejectedAg := e.agreement(t, ctx, "Société Immobilière", eventsfairsv1.Party_ENTERPRISE, 50_000_00)
			rejected := e.item(t, ctx, ga.GetName(), 4, eventsfairsv1.AgendaItem_PARTNERSHIP_AGREEMENT, rejectedAg.GetName(), "Bail commercial")
			tie := e.item(t, ctx, ga.GetName(), 5, eventsfairsv1.AgendaItem_FAIRS_CALENDAR, "", "Calendrier des salons 2024")

			// Quorum missing: 40 of 82 present, one short of 41.
			all := members(82)
			must(e.assemblies().RecordAttendance(ctx, &eventsfairsv1.RecordAttendanceRequest{Name: ga.GetName(), Present: all[:40]}))(t)
			before := e.writes(t)
			_, err = e.assemblies().OpenSession(ctx, &eventsfairsv1.OpenSessionRequest{Name: ga.GetName()})
			wantErr(t, "open without quorum", err, codes.FailedPrecondition, "QUORUM_NOT_MET")
			if md := errorInfo(err).GetMetadata(); md["present"] != "40" || md["required"] != "41" {
				t.Fatalf("quorum error metadata = %v", md)
			}
			_, err = e.assemblies().OpenVote(ctx, &eventsfairsv1.OpenVoteRequest{Name: items[0].GetName()})
			wantErr(t, "open a vote before the quorum", err, codes.FailedPrecondition, "SESSION_NOT_OPEN")
			_, err = e.assemblies().CastVote(ctx, &eventsfairsv1.CastVoteRequest{Name: items[0].GetName(), Member: "m01", Choice: eventsfairsv1.Choice_FOR})
			wantErr(t, "vote before the quorum", err, codes.FailedPrecondition, "VOTE_NOT_OPEN")
			if e.writes(t) != before {
				t.Fatal("a sitting without quorum wrote something")
			}

			// Quorum reached: 60 present (m01 … m60).
			present := all[:60]
			ga = must(e.assemblies().RecordAttendance(ctx, &eventsfairsv1.RecordAttendanceRequest{Name: ga.GetName(), Present: present}))(t)
			ga = must(e.assemblies().OpenSession(ctx, &eventsfairsv1.OpenSessionRequest{Name: ga.GetName()}))(t)
			if ga.GetState() != eventsfairsv1.Assembly_IN_SESSION || len(ga.GetPresent()) != 60 {
				t.Fatalf("opened %v", ga)
			}
			for i, it := range items {
				must(e.assemblies().OpenVote(ctx, &eventsfairsv1.OpenVoteRequest{Name: it.GetName()}))(t)
				e.vote(t, ctx, it.GetName(), present, repeat(eventsfairsv1.Choice_FOR, 60))
				res := lt("صادق الجمع العام بالإجماع على الاتفاقية", "L'assemblée approuve la convention à l'unanimité")
				closed := must(e.assemblies().CloseVote(ctx, &eventsfairsv1.CloseVoteRequest{Name: it.GetName(), Resolution: res}))(t)
				r := closed.GetResult()
				if closed.GetState() != eventsfairsv1.AgendaItem_ADOPTED || r.GetFor() != 60 || r.GetAgainst() != 0 || r.GetVoting() != 60 || len(closed.GetVotes()) != 60 {
					t.Fatalf("item %d = %v", i+1, closed)
				}
				ag := must(e.agreements().ApproveAgreement(ctx, &eventsfairsv1.ApproveAgreementRequest{Name: ags[i].GetName(), Resolution: it.GetName()}))(t)
				if ag.GetState() != eventsfairsv1.Agreement_APPROVED || ag.GetApprovingResolution() != it.GetName() {
					t.Fatalf("agreement %d = %v", i+1, ag)
				}
			}

			// One item rejected: 20 for, 35 against, 5 abstain.
			must(e.assemblies().OpenVote(ctx, &eventsfairsv1.OpenVoteRequest{Name: rejected.GetName()}))(t)
			choices := append(append(repeat(eventsfairsv1.Choice_FOR, 20), repeat(eventsfairsv1.Choice_AGAINST, 35)...), repeat(eventsfairsv1.Choice_ABSTAIN, 5)...)
			e.vote(t, ctx, rejected.GetName(), present, choices)
			// The bad votes, each with its code, nothing written.
			before = e.writes(t)
			for _, bad := range []struct {
				member, reason string
			}{
				{"m99", "NOT_A_MEMBER"},  // not on the roll
				{"m70", "MEMBER_ABSENT"}, // on the roll, not present
				{"m02", "ALREADY_VOTED"}, // second vote on the item
			} {
				_, err := e.assemblies().CastVote(ctx, &eventsfairsv1.CastVoteRequest{Name: rejected.GetName(), Member: bad.member, Choice: eventsfairsv1.Choice_AGAINST})
				wantErr(t, "vote by "+bad.member, err, codes.FailedPrecondition, bad.reason)
			}
			if e.writes(t) != before {
				t.Fatal("a refused vote wrote something")
			}
			closed := must(e.assemblies().CloseVote(ctx, &eventsfairsv1.CloseVoteRequest{Name: rejected.GetName(), Resolution: lt("رفض", "Rejeté")}))(t)
			if r := closed.GetResult(); closed.GetState() != eventsfairsv1.AgendaItem_REJECTED || r.GetFor() != 20 || r.GetAgainst() != 35 || r.GetAbstain() != 5 || r.GetVoting() != 55 {
				t.Fatalf("rejected item = %v", closed)
			}
			_, err = e.agreements().ApproveAgreement(ctx, &eventsfairsv1.ApproveAgreementRequest{Name: rejectedAg.GetName(), Resolution: rejected.GetName()})
			wantErr(t, "approve by a rejected item", err, codes.FailedPrecondition, "RESOLUTION_NOT_ADOPTED")
			_, err = e.agreements().ApproveAgreement(ctx, &eventsfairsv1.ApproveAgreementRequest{Name: rejectedAg.GetName(), Resolution: items[0].GetName()})
			wantErr(t, "approve by another agreement's item", err, codes.FailedPrecondition, "RESOLUTION_OTHER_AGREEMENT")
			_, err = e.assemblies().CastVote(ctx, &eventsfairsv1.CastVoteRequest{Name: rejected.GetName(), Member: "m03", Choice: eventsfairsv1.Choice_FOR})
			wantErr(t, "vote on a closed item", err, codes.FailedPrecondition, "ITEM_CLOSED")

			// A tie: 25 for (the president among them), 25 against, 10 abstain.
			must(e.assemblies().OpenVote(ctx, &eventsfairsv1.OpenVoteRequest{Name: tie.GetName()}))(t)
			choices = append(append(repeat(eventsfairsv1.Choice_FOR, 25), repeat(eventsfairsv1.Choice_AGAINST, 25)...), repeat(eventsfairsv1.Choice_ABSTAIN, 10)...)
			e.vote(t, ctx, tie.GetName(), present, choices)
			_, err = e.assemblies().CloseAssembly(ctx, &eventsfairsv1.CloseAssemblyRequest{Name: ga.GetName()})
			wantErr(t, "close the sitting with a vote open", err, codes.FailedPrecondition, "VOTE_OPEN")
			closed = must(e.assemblies().CloseVote(ctx, &eventsfairsv1.CloseVoteRequest{Name: tie.GetName(), Resolution: lt("اعتماد برنامج المعارض", "Calendrier adopté")}))(t)
			if r := closed.GetResult(); closed.GetState() != eventsfairsv1.AgendaItem_ADOPTED || !r.GetTie() || !r.GetDecidedByPresident() || r.GetFor() != 25 || r.GetAgainst() != 25 {
				t.Fatalf("tie item = %v", closed)
			}

			_, err = e.assemblies().UpdateAssembly(ctx, &eventsfairsv1.UpdateAssemblyRequest{Assembly: &eventsfairsv1.Assembly{Name: ga.GetName(), Venue: "ailleurs"},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"venue"}}})
			wantErr(t, "edit a sitting assembly", err, codes.FailedPrecondition, "ASSEMBLY_NOT_EDITABLE")
			ga = must(e.assemblies().CloseAssembly(ctx, &eventsfairsv1.CloseAssemblyRequest{Name: ga.GetName()}))(t)
			if ga.GetState() != eventsfairsv1.Assembly_CLOSED {
				t.Fatalf("closed %v", ga)
			}
			min := must(e.assemblies().ExportMinutes(ctx, &eventsfairsv1.ExportMinutesRequest{Name: ga.GetName()}))(t)
			for _, want := range []string{"Procès-verbal", "Membres inscrits : 82", "présents : 60", "quorum requis : 41",
				"Adopté (pour 60, contre 0, abstentions 0", "Rejeté (pour 20, contre 35, abstentions 5", "égalité, départagée par la voix du président",
				"L'assemblée approuve la convention à l'unanimité"} {
				if !strings.Contains(min.GetFr(), want) {
					t.Errorf("French minutes lack %q:\n%s", want, min.GetFr())
				}
			}
			for _, want := range []string{"محضر الجمع العام", "تمت المصادقة", "تم الرفض", "رجح صوت الرئيس", "صادق الجمع العام بالإجماع على الاتفاقية"} {
				if !strings.Contains(min.GetAr(), want) {
					t.Errorf("Arabic minutes lack %q:\n%s", want, min.GetAr())
				}
			}
			types := e.eventTypes(t)
			for _, want := range []string{"AssemblyConvened", "AssemblySessionOpened", "AgendaItemVoteOpened", "AgendaItemVoteCast", "AgendaItemAdopted", "AgendaItemRejected", "AgreementApproved", "AssemblyClosed"} {
				if !contains(types, want) {
					t.Errorf("no %s in the outbox", want)
				}
			}
		})
	}
}

// TestSecondConvocation: a first sitting without its quorum is called again
// under the lower second-convocation rule.
func TestSecondConvocation(t *testing.T) {
	e := start(t, options{})
	ctx := e.clerk(t)
	ga := e.convene(t, ctx, 82, &eventsfairsv1.QuorumSetting{Numerator: 1, Denominator: 2, SecondNumerator: 1, SecondDenominator: 4, SecondMinimum: 10})
	must(e.assemblies().RecordAttendance(ctx, &eventsfairsv1.RecordAttendanceRequest{Name: ga.GetName(), Present: members(82)[:25]}))(t)
	_, err := e.assemblies().OpenSession(ctx, &eventsfairsv1.OpenSessionRequest{Name: ga.GetName()})
	wantErr(t, "first convocation", err, codes.FailedPrecondition, "QUORUM_NOT_MET")
	ga = must(e.assemblies().ReconveneAssembly(ctx, &eventsfairsv1.ReconveneAssemblyRequest{Name: ga.GetName(), Date: "2024-03-12"}))(t)
	if ga.GetConvocation() != eventsfairsv1.Assembly_SECOND || len(ga.GetPresent()) != 0 || ga.GetQuorumRequired() != 21 {
		t.Fatalf("reconvened %v", ga)
	}
	_, err = e.assemblies().ReconveneAssembly(ctx, &eventsfairsv1.ReconveneAssemblyRequest{Name: ga.GetName(), Date: "2024-03-19"})
	wantErr(t, "a third convocation", err, codes.FailedPrecondition, "NOT_RECONVENABLE")
	must(e.assemblies().RecordAttendance(ctx, &eventsfairsv1.RecordAttendanceRequest{Name: ga.GetName(), Present: members(82)[:25]}))(t)
	ga = must(e.assemblies().OpenSession(ctx, &eventsfairsv1.OpenSessionRequest{Name: ga.GetName()}))(t)
	if ga.GetState() != eventsfairsv1.Assembly_IN_SESSION {
		t.Fatalf("second sitting %v", ga)
	}
	// Members leaving below the quorum: no further vote opens.
	it := e.item(t, ctx, ga.GetName(), 1, eventsfairsv1.AgendaItem_ACTION_PROGRAMME, "", "Programme d'action")
	must(e.assemblies().RecordAttendance(ctx, &eventsfairsv1.RecordAttendanceRequest{Name: ga.GetName(), Absent: members(82)[:10]}))(t)
	_, err = e.assemblies().OpenVote(ctx, &eventsfairsv1.OpenVoteRequest{Name: it.GetName()})
	wantErr(t, "vote after members left", err, codes.FailedPrecondition, "QUORUM_NOT_MET")
	_, err = e.assemblies().RecordAttendance(ctx, &eventsfairsv1.RecordAttendanceRequest{Name: ga.GetName(), Present: []string{"m99"}})
	wantErr(t, "a stranger recorded present", err, codes.InvalidArgument, "")
}

// TestAgreementLifecycle walks an agreement from draft to expiry and lists
// those expiring soon.
func TestAgreementLifecycle(t *testing.T) {
	e := start(t, options{})
	ctx := e.clerk(t)
	c := e.agreements()
	_, err := c.CreateAgreement(ctx, &eventsfairsv1.CreateAgreementRequest{Parent: "chambers/fes-meknes", Agreement: &eventsfairsv1.Agreement{
		Title: lt("اتفاقية", "Convention"), Parties: []*eventsfairsv1.Party{{DisplayName: lt("غرفة", "Chambre"), Kind: eventsfairsv1.Party_CHAMBER}}}})
	wantErr(t, "one party", err, codes.InvalidArgument, "parties.minimum")
	ag := e.agreement(t, ctx, "Banque", eventsfairsv1.Party_BANK, 200_000_00)
	if ag.GetTotalCommitmentsCentimes() != 200_000_00 || ag.GetState() != eventsfairsv1.Agreement_DRAFT {
		t.Fatalf("drafted %v", ag)
	}
	ag = must(c.UpdateAgreement(ctx, &eventsfairsv1.UpdateAgreementRequest{Agreement: &eventsfairsv1.Agreement{Name: ag.GetName(), Etag: ag.GetEtag(), Subject: "Microcrédit"},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"subject"}}}))(t)
	_, err = c.SignAgreement(ctx, &eventsfairsv1.SignAgreementRequest{Name: ag.GetName()})
	wantErr(t, "sign a draft", err, codes.FailedPrecondition, "ILLEGAL_TRANSITION")
	// Approved through its own assembly's vote.
	ga := e.convene(t, ctx, 3, nil)
	it := e.item(t, ctx, ga.GetName(), 1, eventsfairsv1.AgendaItem_PARTNERSHIP_AGREEMENT, ag.GetName(), "Convention Banque")
	must(e.assemblies().RecordAttendance(ctx, &eventsfairsv1.RecordAttendanceRequest{Name: ga.GetName(), Present: members(3)}))(t)
	must(e.assemblies().OpenSession(ctx, &eventsfairsv1.OpenSessionRequest{Name: ga.GetName()}))(t)
	_, err = c.ApproveAgreement(ctx, &eventsfairsv1.ApproveAgreementRequest{Name: ag.GetName(), Resolution: it.GetName()})
	wantErr(t, "approve before the vote", err, codes.FailedPrecondition, "RESOLUTION_NOT_ADOPTED")
	must(e.assemblies().OpenVote(ctx, &eventsfairsv1.OpenVoteRequest{Name: it.GetName()}))(t)
	e.vote(t, ctx, it.GetName(), members(3), repeat(eventsfairsv1.Choice_FOR, 3))
	must(e.assemblies().CloseVote(ctx, &eventsfairsv1.CloseVoteRequest{Name: it.GetName()}))(t)
	ag = must(c.ApproveAgreement(ctx, &eventsfairsv1.ApproveAgreementRequest{Name: ag.GetName(), Resolution: it.GetName()}))(t)
	_, err = c.UpdateAgreement(ctx, &eventsfairsv1.UpdateAgreementRequest{Agreement: &eventsfairsv1.Agreement{Name: ag.GetName(), Subject: "Autre"},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"subject"}}})
	wantErr(t, "edit an approved agreement", err, codes.FailedPrecondition, "AGREEMENT_NOT_DRAFT")
	_, err = c.DeleteAgreement(ctx, &eventsfairsv1.DeleteAgreementRequest{Name: ag.GetName()})
	wantErr(t, "delete an approved agreement", err, codes.FailedPrecondition, "AGREEMENT_NOT_DRAFT")
	must(c.SignAgreement(ctx, &eventsfairsv1.SignAgreementRequest{Name: ag.GetName()}))(t)
	ag = must(c.ActivateAgreement(ctx, &eventsfairsv1.ActivateAgreementRequest{Name: ag.GetName()}))(t)
	_, err = c.ExpireAgreement(ctx, &eventsfairsv1.ExpireAgreementRequest{Name: ag.GetName()})
	wantErr(t, "expire before the end date", err, codes.FailedPrecondition, "NOT_YET_EXPIRED")

	// Expiring soon: an agreement in force ending in 10 days is listed
	// within 30 days, not within 5; a draft ending then is not.
	soon := time.Now().UTC().AddDate(0, 0, 10).Format(time.DateOnly)
	near := e.agreement(t, ctx, "Commune de Sefrou", eventsfairsv1.Party_PUBLIC_BODY, 0)
	near = must(c.UpdateAgreement(ctx, &eventsfairsv1.UpdateAgreementRequest{Agreement: &eventsfairsv1.Agreement{Name: near.GetName(), StartDate: "2024-01-01", EndDate: soon},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"start_date", "end_date"}}}))(t)
	it2 := e.item(t, ctx, ga.GetName(), 2, eventsfairsv1.AgendaItem_PARTNERSHIP_AGREEMENT, near.GetName(), "Convention Commune")
	must(e.assemblies().OpenVote(ctx, &eventsfairsv1.OpenVoteRequest{Name: it2.GetName()}))(t)
	e.vote(t, ctx, it2.GetName(), members(3), repeat(eventsfairsv1.Choice_FOR, 3))
	must(e.assemblies().CloseVote(ctx, &eventsfairsv1.CloseVoteRequest{Name: it2.GetName()}))(t)
	must(c.ApproveAgreement(ctx, &eventsfairsv1.ApproveAgreementRequest{Name: near.GetName(), Resolution: it2.GetName()}))(t)
	must(c.SignAgreement(ctx, &eventsfairsv1.SignAgreementRequest{Name: near.GetName()}))(t)
	must(c.ActivateAgreement(ctx, &eventsfairsv1.ActivateAgreementRequest{Name: near.GetName()}))(t)
	draft := e.agreement(t, ctx, "Brouillon", eventsfairsv1.Party_OTHER, 0)
	must(c.UpdateAgreement(ctx, &eventsfairsv1.UpdateAgreementRequest{Agreement: &eventsfairsv1.Agreement{Name: draft.GetName(), EndDate: soon},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"end_date"}}}))(t)
	for _, tt := range []struct {
		days int32
		want int
	}{{30, 1}, {5, 0}} {
		resp := must(c.ListExpiringAgreements(ctx, &eventsfairsv1.ListExpiringAgreementsRequest{Parent: "chambers/fes-meknes", WithinDays: tt.days}))(t)
		if len(resp.GetAgreements()) != tt.want || (tt.want == 1 && resp.GetAgreements()[0].GetName() != near.GetName()) {
			t.Errorf("expiring within %d days = %v, want %d", tt.days, resp.GetAgreements(), tt.want)
		}
	}
	_, err = c.ListExpiringAgreements(ctx, &eventsfairsv1.ListExpiringAgreementsRequest{Parent: "chambers/fes-meknes", WithinDays: 0})
	wantErr(t, "within 0 days", err, codes.InvalidArgument, "")
	ag = must(c.TerminateAgreement(ctx, &eventsfairsv1.TerminateAgreementRequest{Name: ag.GetName(), Reason: "résiliation amiable"}))(t)
	if ag.GetState() != eventsfairsv1.Agreement_TERMINATED || ag.GetStateReason() != "résiliation amiable" {
		t.Fatalf("terminated %v", ag)
	}
	// An agreement past its end date expires.
	old := e.agreement(t, ctx, "Ancien partenaire", eventsfairsv1.Party_OTHER, 0)
	must(c.UpdateAgreement(ctx, &eventsfairsv1.UpdateAgreementRequest{Agreement: &eventsfairsv1.Agreement{Name: old.GetName(), StartDate: "2019-01-01", EndDate: "2020-12-31"},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"start_date", "end_date"}}}))(t)
	it3 := e.item(t, ctx, ga.GetName(), 3, eventsfairsv1.AgendaItem_PARTNERSHIP_AGREEMENT, old.GetName(), "Convention ancienne")
	must(e.assemblies().OpenVote(ctx, &eventsfairsv1.OpenVoteRequest{Name: it3.GetName()}))(t)
	e.vote(t, ctx, it3.GetName(), members(3), repeat(eventsfairsv1.Choice_FOR, 3))
	must(e.assemblies().CloseVote(ctx, &eventsfairsv1.CloseVoteRequest{Name: it3.GetName()}))(t)
	must(c.ApproveAgreement(ctx, &eventsfairsv1.ApproveAgreementRequest{Name: old.GetName(), Resolution: it3.GetName()}))(t)
	must(c.SignAgreement(ctx, &eventsfairsv1.SignAgreementRequest{Name: old.GetName()}))(t)
	must(c.ActivateAgreement(ctx, &eventsfairsv1.ActivateAgreementRequest{Name: old.GetName()}))(t)
	old = must(c.ExpireAgreement(ctx, &eventsfairsv1.ExpireAgreementRequest{Name: old.GetName()}))(t)
	if old.GetState() != eventsfairsv1.Agreement_EXPIRED {
		t.Fatalf("expired %v", old)
	}
}

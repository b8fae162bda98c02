package service

import (
	"context"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/hirfa/hirfa/pkg/auth"
	cbv1 "github.com/hirfa/hirfa/proto/gen/hirfa/craftbodies/v1"
)

// TestBadRequests sends requests that must be refused, each with its exact
// code and the field (INVALID_ARGUMENT) or reason it names, and checks that
// nothing was written: no outbox row, no audit record. On both backends.
func TestBadRequests(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			o := options{}
			if backend == "postgres" {
				o.dbURL = postgresURL(t)
			}
			e := start(t, o)
			ctx := e.clerk(t)
			p := must(e.programmes().CreateProgramme(ctx, &cbv1.CreateProgrammeRequest{Parent: "chambers/fes-meknes", Programme: phase1()}))(t)
			planned := must(e.bodies().CreateCraftBody(ctx, &cbv1.CreateCraftBodyRequest{Parent: "chambers/fes-meknes", CraftBody: tanners(p.GetName())}))(t)
			aware := must(e.bodies().CreateCraftBody(ctx, &cbv1.CreateCraftBodyRequest{Parent: "chambers/fes-meknes", CraftBody: &cbv1.CraftBody{
				DisplayName: lt("هيئة", "Instance"), Level: cbv1.CraftBody_PROVINCIAL, Craft: "F1.B02.A02", Province: "fes", Programme: p.GetName(), Phase: 1}}))(t)
			aware = must(e.bodies().StartAwareness(ctx, &cbv1.StartAwarenessRequest{Name: aware.GetName()}))(t)
			facts := e.facts(t, ctx, tannery, "fes")
			marrakech := must(e.bodies().CreateCraftBody(e.as(t, auth.RoleChamberClerk, "marrakech-safi"), &cbv1.CreateCraftBodyRequest{Parent: "chambers/marrakech-safi",
				CraftBody: &cbv1.CraftBody{DisplayName: lt("هيئة", "Instance"), Level: cbv1.CraftBody_PROVINCIAL, Craft: "F1.B02.A01", Province: "marrakech"}}))(t)
			prog := func(edit func(*cbv1.Programme)) *cbv1.CreateProgrammeRequest {
				pr := phase1()
				edit(pr)
				return &cbv1.CreateProgrammeRequest{Parent: "chambers/fes-meknes", Programme: pr}
			}
			body := func(edit func(*cbv1.CraftBody)) *cbv1.CreateCraftBodyRequest {
				b := tanners(p.GetName())
				b.Craft = "F1.B02.A02"
				edit(b)
				return &cbv1.CreateCraftBodyRequest{Parent: "chambers/fes-meknes", CraftBody: b}
			}
			good := committee(facts[:2])
			comm := func(edit func(*cbv1.Committee)) *cbv1.FormCommitteeRequest {
				c := committee(facts[:2])
				edit(c)
				return &cbv1.FormCommitteeRequest{Name: aware.GetName(), Committee: c}
			}
			assemblyOf := planned.GetName() + "/assembly"
			cases := []struct {
				name   string
				call   func(context.Context) error
				code   codes.Code
				detail string // the field for INVALID_ARGUMENT, the reason otherwise
			}{
				{"programme parent", func(c context.Context) error {
					r := prog(func(*cbv1.Programme) {})
					r.Parent = "chambers/FES"
					_, err := e.programmes().CreateProgramme(c, r)
					return err
				}, codes.InvalidArgument, "parent"},
				{"programme missing", func(c context.Context) error {
					_, err := e.programmes().CreateProgramme(c, &cbv1.CreateProgrammeRequest{Parent: "chambers/fes-meknes"})
					return err
				}, codes.InvalidArgument, "programme"},
				{"programme without phases", func(c context.Context) error {
					_, err := e.programmes().CreateProgramme(c, prog(func(p *cbv1.Programme) { p.Phases = nil }))
					return err
				}, codes.InvalidArgument, "programme.phases"},
				{"launch date format", func(c context.Context) error {
					_, err := e.programmes().CreateProgramme(c, prog(func(p *cbv1.Programme) { p.LaunchDate = "20-11-2025" }))
					return err
				}, codes.InvalidArgument, "programme.launch_date"},
				{"phase without crafts", func(c context.Context) error {
					_, err := e.programmes().CreateProgramme(c, prog(func(p *cbv1.Programme) { p.Phases[0].Crafts = nil }))
					return err
				}, codes.InvalidArgument, "programme.phases[0].crafts"},
				{"phase ends before it starts", func(c context.Context) error {
					_, err := e.programmes().CreateProgramme(c, prog(func(p *cbv1.Programme) { p.Phases[0].EndDate = "2025-11-22"; p.Phases[0].Milestones = nil }))
					return err
				}, codes.InvalidArgument, "programme.phases[0].end_date"},
				{"phase before the launch", func(c context.Context) error {
					_, err := e.programmes().CreateProgramme(c, prog(func(p *cbv1.Programme) { p.Phases[0].StartDate = "2025-10-01" }))
					return err
				}, codes.InvalidArgument, "programme.phases[0].start_date"},
				{"milestones out of founding order", func(c context.Context) error {
					_, err := e.programmes().CreateProgramme(c, prog(func(p *cbv1.Programme) {
						m := p.Phases[0].Milestones
						m[0].Stage, m[1].Stage = m[1].Stage, m[0].Stage
					}))
					return err
				}, codes.InvalidArgument, "programme.phases[0].milestones[1].stage"},
				{"milestone stage unspecified", func(c context.Context) error {
					_, err := e.programmes().CreateProgramme(c, prog(func(p *cbv1.Programme) { p.Phases[0].Milestones[0].Stage = cbv1.Stage_STAGE_UNSPECIFIED }))
					return err
				}, codes.InvalidArgument, "programme.phases[0].milestones[0].stage"},
				{"phase number twice", func(c context.Context) error {
					_, err := e.programmes().CreateProgramme(c, prog(func(p *cbv1.Programme) {
						p.Phases = append(p.Phases, &cbv1.Phase{Number: 1, StartDate: "2026-07-01", EndDate: "2026-12-31", Crafts: []string{"F1.B04.A02"}})
					}))
					return err
				}, codes.InvalidArgument, "programme.phases[1].number"},
				{"body without craft", func(c context.Context) error {
					_, err := e.bodies().CreateCraftBody(c, body(func(b *cbv1.CraftBody) { b.Craft = "" }))
					return err
				}, codes.InvalidArgument, "craft_body.craft"},
				{"body craft format", func(c context.Context) error {
					_, err := e.bodies().CreateCraftBody(c, body(func(b *cbv1.CraftBody) { b.Craft = "tannerie" }))
					return err
				}, codes.InvalidArgument, "craft_body.craft"},
				{"unknown province", func(c context.Context) error {
					_, err := e.bodies().CreateCraftBody(c, body(func(b *cbv1.CraftBody) { b.Province = "atlantis" }))
					return err
				}, codes.InvalidArgument, "craft_body.province"},
				{"province of another region", func(c context.Context) error {
					_, err := e.bodies().CreateCraftBody(c, body(func(b *cbv1.CraftBody) { b.Province = "marrakech" }))
					return err
				}, codes.InvalidArgument, "craft_body.province"},
				{"national body by a chamber", func(c context.Context) error {
					_, err := e.bodies().CreateCraftBody(c, body(func(b *cbv1.CraftBody) {
						b.Level = cbv1.CraftBody_NATIONAL
						b.Province = ""
						b.Programme = ""
						b.Phase = 0
					}))
					return err
				}, codes.FailedPrecondition, "NATIONAL_BODY_OWNED_BY_FEDERATION"},
				{"programme of another chamber", func(c context.Context) error {
					_, err := e.bodies().CreateCraftBody(c, body(func(b *cbv1.CraftBody) { b.Programme = "chambers/marrakech-safi/programmes/abc" }))
					return err
				}, codes.InvalidArgument, "craft_body.programme"},
				{"unknown programme", func(c context.Context) error {
					_, err := e.bodies().CreateCraftBody(c, body(func(b *cbv1.CraftBody) { b.Programme = "chambers/fes-meknes/programmes/nosuch" }))
					return err
				}, codes.InvalidArgument, "craft_body.programme"},
				{"craft outside its phase", func(c context.Context) error {
					_, err := e.bodies().CreateCraftBody(c, body(func(b *cbv1.CraftBody) { b.Craft = "F1.B05.A01" }))
					return err
				}, codes.FailedPrecondition, "CRAFT_NOT_IN_PHASE"},
				{"second live body of the craft in the province", func(c context.Context) error {
					_, err := e.bodies().CreateCraftBody(c, &cbv1.CreateCraftBodyRequest{Parent: "chambers/fes-meknes", CraftBody: tanners(p.GetName())})
					return err
				}, codes.AlreadyExists, "CRAFT_BODY_EXISTS"},
				{"quorum above one", func(c context.Context) error {
					_, err := e.bodies().CreateCraftBody(c, body(func(b *cbv1.CraftBody) {
						b.Settings = &cbv1.BodySettings{Quorum: &cbv1.QuorumSetting{Numerator: 3, Denominator: 2}}
					}))
					return err
				}, codes.InvalidArgument, "craft_body.settings.quorum"},
				{"threshold above one", func(c context.Context) error {
					_, err := e.bodies().CreateCraftBody(c, body(func(b *cbv1.CraftBody) {
						b.Settings = &cbv1.BodySettings{ProvincialThreshold: &cbv1.Share{Numerator: 3, Denominator: 2}}
					}))
					return err
				}, codes.InvalidArgument, "craft_body.settings.provincial_threshold"},
				{"body name", func(c context.Context) error {
					_, err := e.bodies().GetCraftBody(c, &cbv1.GetCraftBodyRequest{Name: "chambers/fes-meknes/bodies/x"})
					return err
				}, codes.InvalidArgument, "name"},
				{"unknown body", func(c context.Context) error {
					_, err := e.bodies().StartAwareness(c, &cbv1.StartAwarenessRequest{Name: "chambers/fes-meknes/craftBodies/nosuch"})
					return err
				}, codes.NotFound, ""},
				{"another chamber's body", func(c context.Context) error {
					_, err := e.bodies().StartAwareness(c, &cbv1.StartAwarenessRequest{Name: marrakech.GetName()})
					return err
				}, codes.NotFound, ""},
				{"committee before awareness", func(c context.Context) error {
					_, err := e.bodies().FormCommittee(c, &cbv1.FormCommitteeRequest{Name: planned.GetName(), Committee: good})
					return err
				}, codes.FailedPrecondition, "ILLEGAL_TRANSITION"},
				{"committee chair outside it", func(c context.Context) error {
					_, err := e.bodies().FormCommittee(c, comm(func(c *cbv1.Committee) { c.Chair = facts[4].GetName() }))
					return err
				}, codes.InvalidArgument, "committee.chair"},
				{"committee without artisans", func(c context.Context) error {
					_, err := e.bodies().FormCommittee(c, comm(func(c *cbv1.Committee) {
						for _, m := range c.Members {
							m.Kind = cbv1.CommitteeMember_AMIN
						}
					}))
					return err
				}, codes.InvalidArgument, "committee.members"},
				{"committee member twice", func(c context.Context) error {
					_, err := e.bodies().FormCommittee(c, comm(func(c *cbv1.Committee) { c.Members = append(c.Members, c.Members[0]) }))
					return err
				}, codes.InvalidArgument, "committee.members[2].registrant"},
				{"committee formed date", func(c context.Context) error {
					_, err := e.bodies().FormCommittee(c, comm(func(c *cbv1.Committee) { c.FormedDate = "janvier" }))
					return err
				}, codes.InvalidArgument, "committee.formed_date"},
				{"census before the committee", func(c context.Context) error {
					_, err := e.bodies().TakeCensus(c, &cbv1.TakeCensusRequest{Name: aware.GetName()})
					return err
				}, codes.FailedPrecondition, "ILLEGAL_TRANSITION"},
				{"assembly before the census", func(c context.Context) error {
					_, err := e.assembly().ConveneAssembly(c, &cbv1.ConveneAssemblyRequest{Name: planned.GetName(), Date: "2026-03-14", Venue: "Fès"})
					return err
				}, codes.FailedPrecondition, "ILLEGAL_TRANSITION"},
				{"assembly without venue", func(c context.Context) error {
					_, err := e.assembly().ConveneAssembly(c, &cbv1.ConveneAssemblyRequest{Name: planned.GetName(), Date: "2026-03-14"})
					return err
				}, codes.InvalidArgument, "venue"},
				{"dissolution without a reason", func(c context.Context) error {
					_, err := e.bodies().DissolveCraftBody(c, &cbv1.DissolveCraftBodyRequest{Name: planned.GetName(), Reason: "x"})
					return err
				}, codes.InvalidArgument, "reason"},
				{"meeting before awareness", func(c context.Context) error {
					_, err := e.bodies().CreateAwarenessMeeting(c, &cbv1.CreateAwarenessMeetingRequest{Parent: planned.GetName(),
						AwarenessMeeting: &cbv1.AwarenessMeeting{Title: lt("لقاء", "Réunion"), Date: "2025-12-10"}})
					return err
				}, codes.FailedPrecondition, "BODY_NOT_IN_AWARENESS"},
				{"meeting without title", func(c context.Context) error {
					_, err := e.bodies().CreateAwarenessMeeting(c, &cbv1.CreateAwarenessMeetingRequest{Parent: aware.GetName(),
						AwarenessMeeting: &cbv1.AwarenessMeeting{Date: "2025-12-10"}})
					return err
				}, codes.InvalidArgument, "awareness_meeting.title"},
				{"meeting date", func(c context.Context) error {
					_, err := e.bodies().CreateAwarenessMeeting(c, &cbv1.CreateAwarenessMeetingRequest{Parent: aware.GetName(),
						AwarenessMeeting: &cbv1.AwarenessMeeting{Title: lt("لقاء", "Réunion"), Date: "demain"}})
					return err
				}, codes.InvalidArgument, "awareness_meeting.date"},
				{"statutes vote without choice", func(c context.Context) error {
					_, err := e.assembly().CastStatutesVote(c, &cbv1.CastStatutesVoteRequest{Name: assemblyOf, Member: facts[0].GetName()})
					return err
				}, codes.InvalidArgument, "choice"},
				{"vote on an assembly never convened", func(c context.Context) error {
					_, err := e.assembly().CastStatutesVote(c, &cbv1.CastStatutesVoteRequest{Name: assemblyOf, Member: facts[0].GetName(), Choice: cbv1.Choice_FOR})
					return err
				}, codes.NotFound, ""},
				{"ballot member name", func(c context.Context) error {
					_, err := e.assembly().CastBallot(c, &cbv1.CastBallotRequest{Name: assemblyOf + "/offices/president", Member: "someone", Candidate: facts[0].GetName()})
					return err
				}, codes.InvalidArgument, "member"},
				{"office id", func(c context.Context) error {
					_, err := e.assembly().CreateOffice(c, &cbv1.CreateOfficeRequest{Parent: assemblyOf, OfficeId: "Président",
						Office: &cbv1.Office{Title: lt("الرئيس", "Président"), Position: 1, Candidates: []string{facts[0].GetName()}}})
					return err
				}, codes.InvalidArgument, "office_id"},
				{"office without candidates", func(c context.Context) error {
					_, err := e.assembly().CreateOffice(c, &cbv1.CreateOfficeRequest{Parent: assemblyOf, OfficeId: "president",
						Office: &cbv1.Office{Title: lt("الرئيس", "Président"), Position: 1}})
					return err
				}, codes.InvalidArgument, "office.candidates"},
				{"activate a planned body", func(c context.Context) error {
					_, err := e.bodies().ActivateCraftBody(c, &cbv1.ActivateCraftBodyRequest{Name: planned.GetName()})
					return err
				}, codes.FailedPrecondition, "ILLEGAL_TRANSITION"},
				{"constitute a planned body", func(c context.Context) error {
					_, err := e.assembly().ConstituteCraftBody(c, &cbv1.ConstituteCraftBodyRequest{Name: planned.GetName()})
					return err
				}, codes.FailedPrecondition, "ILLEGAL_TRANSITION"},
				{"negative page size", func(c context.Context) error {
					_, err := e.bodies().ListCraftBodies(c, &cbv1.ListCraftBodiesRequest{Parent: "chambers/fes-meknes", PageSize: -1})
					return err
				}, codes.InvalidArgument, "page_size"},
				{"progress scope", func(c context.Context) error {
					_, err := e.bodies().GetCraftBodyProgress(c, &cbv1.GetCraftBodyProgressRequest{Scope: "chambers/"})
					return err
				}, codes.InvalidArgument, "scope"},
				{"census page token", func(c context.Context) error {
					_, err := e.bodies().ListCensusMembers(c, &cbv1.ListCensusMembersRequest{Parent: planned.GetName() + "/census", PageToken: "x"})
					return err
				}, codes.NotFound, ""},
				{"auditor writes", func(context.Context) error {
					_, err := e.bodies().StartAwareness(e.as(t, auth.RoleAuditor, "fes-meknes"), &cbv1.StartAwarenessRequest{Name: planned.GetName()})
					return err
				}, codes.PermissionDenied, ""},
			}
			if len(cases) < 30 {
				t.Fatalf("only %d bad requests", len(cases))
			}
			before := e.writes(t)
			for _, tc := range cases {
				err := tc.call(ctx)
				if status.Code(err) != tc.code {
					t.Errorf("%s: got %v, want %s", tc.name, err, tc.code)
					continue
				}
				switch {
				case tc.code == codes.InvalidArgument && fieldOf(err) != tc.detail:
					t.Errorf("%s: field %q, want %q (%v)", tc.name, fieldOf(err), tc.detail, err)
				case tc.code != codes.InvalidArgument && tc.detail != "" && reason(err) != tc.detail:
					t.Errorf("%s: reason %q, want %q (%v)", tc.name, reason(err), tc.detail, err)
				}
				if ei := errorInfo(err); ei != nil && ei.GetDomain() != "craftbodies.hirfa" && ei.GetDomain() != "auth.hirfa" {
					t.Errorf("%s: error domain %q", tc.name, ei.GetDomain())
				}
				if after := e.writes(t); after != before {
					t.Errorf("%s wrote %v → %v", tc.name, before, after)
					before = after
				}
			}
		})
	}
}

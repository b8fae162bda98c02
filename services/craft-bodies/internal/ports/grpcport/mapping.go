package grpcport

import (
	"slices"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/assembly"
	"github.com/hirfa/hirfa/pkg/protomap"
	"github.com/hirfa/hirfa/pkg/resource"
	cbv1 "github.com/hirfa/hirfa/proto/gen/hirfa/craftbodies/v1"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/awareness"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/census"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/constitutive"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/election"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/programme"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/progress"
)

func stagePB(s craftbody.Stage) cbv1.Stage { return cbv1.Stage(cbv1.Stage_value[string(s)]) }

func stageOf(s cbv1.Stage) craftbody.Stage { return craftbody.Stage(protomap.EnumName(s.String())) }

func programmePB(p *programme.Programme) *cbv1.Programme {
	out := &cbv1.Programme{Name: p.Name(), Title: protomap.Text(p.Title), LaunchDate: string(p.LaunchDate),
		CreateTime: protomap.Timestamp(p.CreateTime), UpdateTime: protomap.Timestamp(p.UpdateTime), Etag: p.Etag(), Demo: p.Demo}
	for _, ph := range p.Phases {
		pp := &cbv1.Phase{Number: int32(ph.Number), Title: protomap.Text(ph.Title), StartDate: string(ph.StartDate),
			EndDate: string(ph.EndDate), Crafts: slices.Clone(ph.Crafts)}
		for _, m := range ph.Milestones {
			pp.Milestones = append(pp.Milestones, &cbv1.Milestone{Stage: stagePB(m.Stage), DueDate: string(m.DueDate)})
		}
		out.Phases = append(out.Phases, pp)
	}
	return out
}

func programmeFields(p *programme.Programme, in *cbv1.Programme) {
	p.Title, p.LaunchDate, p.Phases = protomap.Localized(in.GetTitle()), resource.Date(in.GetLaunchDate()), nil
	for _, ph := range in.GetPhases() {
		d := programme.Phase{Number: int(ph.GetNumber()), Title: protomap.Localized(ph.GetTitle()),
			StartDate: resource.Date(ph.GetStartDate()), EndDate: resource.Date(ph.GetEndDate()), Crafts: slices.Clone(ph.GetCrafts())}
		for _, m := range ph.GetMilestones() {
			d.Milestones = append(d.Milestones, programme.Milestone{Stage: stageOf(m.GetStage()), DueDate: resource.Date(m.GetDueDate())})
		}
		p.Phases = append(p.Phases, d)
	}
}

var programmeUpdatable = []string{"title", "launch_date", "phases"}

func settingsPB(s craftbody.Settings) *cbv1.BodySettings {
	tie := cbv1.BodySettings_PRESIDENT_DECIDES
	if s.TieBreak == assembly.TieRejected {
		tie = cbv1.BodySettings_TIE_REJECTED
	}
	return &cbv1.BodySettings{
		Quorum: &cbv1.QuorumSetting{Numerator: int32(s.Quorum.Numerator), Denominator: int32(s.Quorum.Denominator),
			SecondNumerator: int32(s.Quorum.SecondNumerator), SecondDenominator: int32(s.Quorum.SecondDenominator),
			SecondMinimum: int32(s.Quorum.SecondMinimum)},
		TieRule:             tie,
		AbstentionsCount:    s.AbstentionsCount,
		RunOff:              cbv1.BodySettings_RunOff(cbv1.BodySettings_RunOff_value[string(s.RunOff)]),
		ElectionTieRule:     cbv1.BodySettings_ElectionTieRule(cbv1.BodySettings_ElectionTieRule_value[string(s.ElectionTie)]),
		ProvincialThreshold: &cbv1.Share{Numerator: int32(s.ProvincialThreshold.Numerator), Denominator: int32(s.ProvincialThreshold.Denominator)},
	}
}

// settingsOf starts from the defaults and takes what the request sets; no
// settings at all is the defaults.
func settingsOf(in *cbv1.BodySettings) craftbody.Settings {
	s := craftbody.DefaultSettings()
	if in == nil {
		return s
	}
	if q := in.GetQuorum(); q != nil {
		s.Quorum = craftbody.Quorum{Numerator: int(q.GetNumerator()), Denominator: int(q.GetDenominator()),
			SecondNumerator: int(q.GetSecondNumerator()), SecondDenominator: int(q.GetSecondDenominator()),
			SecondMinimum: int(q.GetSecondMinimum())}
	}
	switch in.GetTieRule() {
	case cbv1.BodySettings_PRESIDENT_DECIDES:
		s.TieBreak = assembly.PresidentDecides
	case cbv1.BodySettings_TIE_REJECTED:
		s.TieBreak = assembly.TieRejected
	}
	s.AbstentionsCount = in.GetAbstentionsCount()
	if r := protomap.EnumName(in.GetRunOff().String()); r != "" {
		s.RunOff = craftbody.RunOff(r)
	}
	if r := protomap.EnumName(in.GetElectionTieRule().String()); r != "" {
		s.ElectionTie = craftbody.ElectionTie(r)
	}
	if t := in.GetProvincialThreshold(); t != nil {
		s.ProvincialThreshold = craftbody.Share{Numerator: int(t.GetNumerator()), Denominator: int(t.GetDenominator())}
	}
	return s
}

func committeePB(c *craftbody.PreparatoryCommittee) *cbv1.Committee {
	if c == nil {
		return nil
	}
	out := &cbv1.Committee{Chair: c.Chair, FormedDate: string(c.FormedDate)}
	for _, m := range c.Members {
		out.Members = append(out.Members, &cbv1.CommitteeMember{
			Kind:       cbv1.CommitteeMember_Kind(cbv1.CommitteeMember_Kind_value[string(m.Kind)]),
			Registrant: m.Registrant, DisplayName: protomap.Text(m.DisplayName), Role: m.Role})
	}
	return out
}

func committeeOf(in *cbv1.Committee) craftbody.PreparatoryCommittee {
	c := craftbody.PreparatoryCommittee{Chair: in.GetChair(), FormedDate: resource.Date(in.GetFormedDate())}
	for _, m := range in.GetMembers() {
		c.Members = append(c.Members, craftbody.CommitteeMember{
			Kind:       craftbody.CommitteeKind(protomap.EnumName(m.GetKind().String())),
			Registrant: m.GetRegistrant(), DisplayName: protomap.Localized(m.GetDisplayName()), Role: m.GetRole()})
	}
	return c
}

func bodyPB(b *craftbody.Body) *cbv1.CraftBody {
	return &cbv1.CraftBody{
		Name: b.Name(), DisplayName: protomap.Text(b.DisplayName),
		Level: cbv1.CraftBody_Level(cbv1.CraftBody_Level_value[string(b.Level)]),
		Craft: b.Craft, Province: b.Province, Region: b.Region, Programme: b.Programme, Phase: int32(b.Phase),
		Settings: settingsPB(b.Settings), Committee: committeePB(b.Committee), State: stagePB(b.Stage),
		StateReason: b.StateReason, President: b.President, ConstituteTime: protomap.TimestampPtr(b.ConstituteTime),
		CreateTime: protomap.Timestamp(b.CreateTime), UpdateTime: protomap.Timestamp(b.UpdateTime), Etag: b.Etag(),
		Demo: b.Demo,
	}
}

func bodyOf(in *cbv1.CraftBody) *craftbody.Body {
	return &craftbody.Body{
		DisplayName: protomap.Localized(in.GetDisplayName()),
		Level:       craftbody.Level(protomap.EnumName(in.GetLevel().String())),
		Craft:       in.GetCraft(), Province: in.GetProvince(), Programme: in.GetProgramme(), Phase: int(in.GetPhase()),
		Settings: settingsOf(in.GetSettings()),
	}
}

func censusPB(s *census.Snapshot) *cbv1.Census {
	name := resource.Name{Chamber: s.Chamber, Collection: craftbody.Collection, ID: s.ID}.String() + "/census"
	out := &cbv1.Census{Name: name, TakeTime: protomap.Timestamp(s.TakeTime), MemberCount: int32(len(s.Members)),
		Excluded: map[string]int32{}}
	for k, v := range s.Excluded {
		out.Excluded[k] = int32(v)
	}
	return out
}

func censusMemberPB(r census.Registrant) *cbv1.CensusMember {
	return &cbv1.CensusMember{Registrant: r.Name, Nia: r.NIA, Category: r.Category, Activity: r.Activity,
		Province: r.Province, DisplayName: protomap.Text(r.DisplayName), RegisterDate: string(r.RegisterDate), DelegateOf: r.DelegateOf}
}

func meetingPB(m *awareness.Meeting, attended int) *cbv1.AwarenessMeeting {
	return &cbv1.AwarenessMeeting{Name: m.Name(), Title: protomap.Text(m.Title), Date: string(m.Date), City: m.City,
		Capacity: int32(m.Capacity), Event: m.Event, Attended: int32(attended), CreateTime: protomap.Timestamp(m.CreateTime)}
}

func meetingOf(in *cbv1.AwarenessMeeting) *awareness.Meeting {
	return &awareness.Meeting{Title: protomap.Localized(in.GetTitle()), Date: resource.Date(in.GetDate()), City: in.GetCity(),
		Capacity: int(in.GetCapacity())}
}

func choicePB(c assembly.Choice) cbv1.Choice {
	switch c {
	case assembly.For:
		return cbv1.Choice_FOR
	case assembly.Against:
		return cbv1.Choice_AGAINST
	case assembly.Abstain:
		return cbv1.Choice_ABSTAIN
	}
	return cbv1.Choice_CHOICE_UNSPECIFIED
}

func choiceOf(c cbv1.Choice) assembly.Choice {
	switch c {
	case cbv1.Choice_FOR:
		return assembly.For
	case cbv1.Choice_AGAINST:
		return assembly.Against
	case cbv1.Choice_ABSTAIN:
		return assembly.Abstain
	}
	return 0
}

func assemblyPB(a *constitutive.Assembly) *cbv1.ConstitutiveAssembly {
	out := &cbv1.ConstitutiveAssembly{Name: a.Name(), RollSize: int32(len(a.Roll)), Chair: a.Chair,
		State:      cbv1.ConstitutiveAssembly_State(cbv1.ConstitutiveAssembly_State_value[string(a.State)]),
		CreateTime: protomap.Timestamp(a.CreateTime), UpdateTime: protomap.Timestamp(a.UpdateTime), Etag: a.Etag()}
	for _, c := range a.Convocations {
		pc := &cbv1.Convocation{Number: int32(c.Number), Date: string(c.Date), Venue: c.Venue, Convened: int32(len(a.Roll)),
			Present: slices.Clone(c.Present), QuorumRequired: int32(a.Settings.Quorum.Rule().Required(len(a.Roll), c.Number))}
		if q := c.Quorum; q != nil {
			pc.Quorum = &cbv1.QuorumResult{Met: q.Met, Present: int32(q.Present), Required: int32(q.Required), CheckTime: protomap.Timestamp(q.CheckTime)}
		}
		out.Convocations = append(out.Convocations, pc)
	}
	st := &cbv1.StatutesVote{State: cbv1.StatutesVote_State(cbv1.StatutesVote_State_value[string(a.Statutes.State)])}
	members := make([]string, 0, len(a.Statutes.Votes))
	for m := range a.Statutes.Votes {
		members = append(members, m)
	}
	slices.Sort(members)
	for _, m := range members {
		st.Votes = append(st.Votes, &cbv1.Vote{Member: m, Choice: choicePB(a.Statutes.Votes[m])})
	}
	if r := a.Statutes.Result; r != nil {
		st.For, st.Against, st.Abstain, st.Voting = int32(r.For), int32(r.Against), int32(r.Abstain), int32(r.Voting)
		st.Tie, st.DecidedByPresident = r.Tie, r.DecidedByPresident
	}
	out.Statutes = st
	return out
}

// bodyOfNested names the body of a nested record whose id is
// "{body}.{child}" (offices, meetings).
func bodyOfNested(chamber, id string) string {
	b, _, _ := strings.Cut(id, ".")
	return resource.Name{Chamber: chamber, Collection: craftbody.Collection, ID: b}.String()
}

func officePB(o *election.Office) *cbv1.Office {
	out := &cbv1.Office{Name: bodyOfNested(o.Chamber, o.ID) + "/assembly/offices/" + o.OfficeID, Title: protomap.Text(o.Title), Position: int32(o.Position),
		Presidency: o.Presidency, Candidates: slices.Clone(o.Candidates), Elected: o.Elected,
		CreateTime: protomap.Timestamp(o.CreateTime), UpdateTime: protomap.Timestamp(o.UpdateTime), Etag: o.Etag()}
	for _, r := range o.Rounds {
		pr := &cbv1.Round{Number: int32(r.Number), Candidates: slices.Clone(r.Candidates), VotesCast: int32(r.VotesCast),
			Elected: r.Elected, DecidedByTieRule: r.ByTieRule, Closed: r.Closed, Counts: map[string]int32{}}
		for _, b := range r.Ballots {
			pr.Ballots = append(pr.Ballots, &cbv1.Ballot{Member: b.Member, Candidate: b.Candidate})
		}
		for k, v := range r.Counts {
			pr.Counts[k] = int32(v)
		}
		out.Rounds = append(out.Rounds, pr)
	}
	return out
}

func progressPB(scope string, r progress.Report) *cbv1.CraftBodyProgress {
	out := &cbv1.CraftBodyProgress{Scope: scope, AsOf: string(r.AsOf),
		GroupBy: cbv1.GetCraftBodyProgressRequest_GroupBy(cbv1.GetCraftBodyProgressRequest_GroupBy_value[string(r.GroupBy)])}
	for _, g := range r.Groups {
		pg := &cbv1.ProgressGroup{Key: g.Key, Total: int32(g.Total), ByStage: map[string]int32{}}
		for k, v := range g.ByStage {
			pg.ByStage[string(k)] = int32(v)
		}
		out.Groups = append(out.Groups, pg)
	}
	for _, l := range r.Lagging {
		out.LaggingProvinces = append(out.LaggingProvinces, &cbv1.LaggingProvince{Province: l.Province, Region: l.Region,
			Overdue: int32(l.Overdue), OldestDueDate: string(l.OldestDueDate)})
	}
	for _, n := range r.NextDue {
		out.NextDue = append(out.NextDue, &cbv1.NextDue{Programme: n.Programme, Phase: int32(n.Phase), Stage: stagePB(n.Stage),
			DueDate: string(n.DueDate), Pending: int32(n.Pending)})
	}
	return out
}

// The outbox events carry each record as its public protobuf message, so
// consumers (reporting) read the same contract as clients.

// ProgrammeEvent is a programme's outbox message.
func ProgrammeEvent(p *programme.Programme) proto.Message { return programmePB(p) }

// BodyEvent is a craft body's outbox message.
func BodyEvent(b *craftbody.Body) proto.Message { return bodyPB(b) }

// CensusEvent is a census snapshot's outbox message.
func CensusEvent(s *census.Snapshot) proto.Message { return censusPB(s) }

// AssemblyEvent is a constitutive assembly's outbox message.
func AssemblyEvent(a *constitutive.Assembly) proto.Message { return assemblyPB(a) }

// OfficeEvent is an office's outbox message.
func OfficeEvent(o *election.Office) proto.Message { return officePB(o) }

// MeetingEvent is an awareness meeting's outbox message.
func MeetingEvent(m *awareness.Meeting) proto.Message { return meetingPB(m, 0) }

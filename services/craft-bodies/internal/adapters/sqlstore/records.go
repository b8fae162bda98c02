package sqlstore

import (
	"time"

	"github.com/hirfa/hirfa/pkg/assembly"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/awareness"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/census"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/constitutive"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/election"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/programme"
)

// The records below are what each craft-bodies table's data column holds
// since version 1: the stored shape, written out field by field apart from
// the domain structs so that renaming or retyping a domain field is a
// compile error here, never a silent change of what is stored. Version 1
// keeps the keys version 0 (the domain struct's own JSON) had, so no row
// needs rewriting; a later change of shape is version 2 (see store.Record).

type milestoneRecordV1 struct {
	Stage   string `json:"stage"`
	DueDate string `json:"due_date"`
}

type phaseRecordV1 struct {
	Number     int                 `json:"number"`
	Title      store.TextV1        `json:"title"`
	StartDate  string              `json:"start_date"`
	EndDate    string              `json:"end_date"`
	Crafts     []string            `json:"crafts"`
	Milestones []milestoneRecordV1 `json:"milestones"`
}

type programmeRecordV1 struct {
	Title      store.TextV1    `json:"title"`
	LaunchDate string          `json:"launch_date"`
	Phases     []phaseRecordV1 `json:"phases"`
	Demo       bool            `json:"demo,omitempty"`
}

var programmeRecord = store.RecordV1("programme",
	func(p *programme.Programme) programmeRecordV1 {
		return programmeRecordV1{Title: store.TextV1(p.Title), LaunchDate: string(p.LaunchDate), Demo: p.Demo,
			Phases: store.MapSlice(p.Phases, func(ph programme.Phase) phaseRecordV1 {
				return phaseRecordV1{Number: ph.Number, Title: store.TextV1(ph.Title), StartDate: string(ph.StartDate), EndDate: string(ph.EndDate),
					Crafts: ph.Crafts, Milestones: store.MapSlice(ph.Milestones, func(m programme.Milestone) milestoneRecordV1 {
						return milestoneRecordV1{Stage: string(m.Stage), DueDate: string(m.DueDate)}
					})}
			})}
	},
	func(r programmeRecordV1, p *programme.Programme) {
		p.Title, p.LaunchDate, p.Demo = l10n.Text(r.Title), resource.Date(r.LaunchDate), r.Demo
		p.Phases = store.MapSlice(r.Phases, func(ph phaseRecordV1) programme.Phase {
			return programme.Phase{Number: ph.Number, Title: l10n.Text(ph.Title), StartDate: resource.Date(ph.StartDate), EndDate: resource.Date(ph.EndDate),
				Crafts: ph.Crafts, Milestones: store.MapSlice(ph.Milestones, func(m milestoneRecordV1) programme.Milestone {
					return programme.Milestone{Stage: craftbody.Stage(m.Stage), DueDate: resource.Date(m.DueDate)}
				})}
		})
	})

type quorumRecordV1 struct {
	Numerator         int `json:"numerator"`
	Denominator       int `json:"denominator"`
	SecondNumerator   int `json:"second_numerator,omitempty"`
	SecondDenominator int `json:"second_denominator,omitempty"`
	SecondMinimum     int `json:"second_minimum,omitempty"`
}

type shareRecordV1 struct {
	Numerator   int `json:"numerator"`
	Denominator int `json:"denominator"`
}

type settingsRecordV1 struct {
	Quorum              quorumRecordV1 `json:"quorum"`
	TieBreak            int            `json:"tie_break"`
	AbstentionsCount    bool           `json:"abstentions_count"`
	RunOff              string         `json:"run_off"`
	ElectionTie         string         `json:"election_tie"`
	ProvincialThreshold shareRecordV1  `json:"provincial_threshold"`
}

func settingsV1(s craftbody.Settings) settingsRecordV1 {
	return settingsRecordV1{Quorum: quorumRecordV1(s.Quorum), TieBreak: int(s.TieBreak), AbstentionsCount: s.AbstentionsCount,
		RunOff: string(s.RunOff), ElectionTie: string(s.ElectionTie), ProvincialThreshold: shareRecordV1(s.ProvincialThreshold)}
}

func (r settingsRecordV1) settings() craftbody.Settings {
	return craftbody.Settings{Quorum: craftbody.Quorum(r.Quorum), TieBreak: assembly.TieBreak(r.TieBreak), AbstentionsCount: r.AbstentionsCount,
		RunOff: craftbody.RunOff(r.RunOff), ElectionTie: craftbody.ElectionTie(r.ElectionTie), ProvincialThreshold: craftbody.Share(r.ProvincialThreshold)}
}

type committeeMemberRecordV1 struct {
	Kind        string       `json:"kind"`
	Registrant  string       `json:"registrant,omitempty"`
	DisplayName store.TextV1 `json:"display_name"`
	Role        string       `json:"role,omitempty"`
}

type committeeRecordV1 struct {
	Members    []committeeMemberRecordV1 `json:"members"`
	Chair      string                    `json:"chair"`
	FormedDate string                    `json:"formed_date"`
}

type bodyRecordV1 struct {
	DisplayName    store.TextV1       `json:"display_name"`
	Level          string             `json:"level"`
	Craft          string             `json:"craft"`
	Province       string             `json:"province,omitempty"`
	Region         string             `json:"region,omitempty"`
	Programme      string             `json:"programme,omitempty"`
	Phase          int                `json:"phase,omitempty"`
	Settings       settingsRecordV1   `json:"settings"`
	Committee      *committeeRecordV1 `json:"committee,omitempty"`
	Stage          string             `json:"stage"`
	StateReason    string             `json:"state_reason,omitempty"`
	President      string             `json:"president,omitempty"`
	ConstituteTime *time.Time         `json:"constitute_time,omitempty"`
	Demo           bool               `json:"demo,omitempty"`
}

var bodyRecord = store.RecordV1("craft body",
	func(b *craftbody.Body) bodyRecordV1 {
		r := bodyRecordV1{DisplayName: store.TextV1(b.DisplayName), Level: string(b.Level), Craft: b.Craft, Province: b.Province, Region: b.Region,
			Programme: b.Programme, Phase: b.Phase, Settings: settingsV1(b.Settings), Stage: string(b.Stage), StateReason: b.StateReason,
			President: b.President, ConstituteTime: b.ConstituteTime, Demo: b.Demo}
		if c := b.Committee; c != nil {
			r.Committee = &committeeRecordV1{Chair: c.Chair, FormedDate: string(c.FormedDate),
				Members: store.MapSlice(c.Members, func(m craftbody.CommitteeMember) committeeMemberRecordV1 {
					return committeeMemberRecordV1{Kind: string(m.Kind), Registrant: m.Registrant, DisplayName: store.TextV1(m.DisplayName), Role: m.Role}
				})}
		}
		return r
	},
	func(r bodyRecordV1, b *craftbody.Body) {
		b.DisplayName, b.Level, b.Craft, b.Province, b.Region = l10n.Text(r.DisplayName), craftbody.Level(r.Level), r.Craft, r.Province, r.Region
		b.Programme, b.Phase, b.Settings, b.Stage, b.StateReason = r.Programme, r.Phase, r.Settings.settings(), craftbody.Stage(r.Stage), r.StateReason
		b.President, b.ConstituteTime, b.Demo, b.Committee = r.President, r.ConstituteTime, r.Demo, nil
		if c := r.Committee; c != nil {
			b.Committee = &craftbody.PreparatoryCommittee{Chair: c.Chair, FormedDate: resource.Date(c.FormedDate),
				Members: store.MapSlice(c.Members, func(m committeeMemberRecordV1) craftbody.CommitteeMember {
					return craftbody.CommitteeMember{Kind: craftbody.CommitteeKind(m.Kind), Registrant: m.Registrant, DisplayName: l10n.Text(m.DisplayName), Role: m.Role}
				})}
		}
	})

type registrantRecordV1 struct {
	Name         string       `json:"registrant"`
	NIA          string       `json:"nia"`
	State        string       `json:"state,omitempty"`
	Category     string       `json:"category"`
	Activity     string       `json:"activity"`
	Province     string       `json:"province"`
	DisplayName  store.TextV1 `json:"display_name"`
	RegisterDate string       `json:"register_date,omitempty"`
	DelegateOf   string       `json:"delegate_of,omitempty"`
}

type censusRecordV1 struct {
	TakeTime time.Time            `json:"take_time"`
	Members  []registrantRecordV1 `json:"members"`
	Excluded map[string]int       `json:"excluded"`
}

var censusRecord = store.RecordV1("census",
	func(s *census.Snapshot) censusRecordV1 {
		return censusRecordV1{TakeTime: s.TakeTime, Excluded: s.Excluded,
			Members: store.MapSlice(s.Members, func(m census.Registrant) registrantRecordV1 {
				return registrantRecordV1{Name: m.Name, NIA: m.NIA, State: m.State, Category: m.Category, Activity: m.Activity, Province: m.Province,
					DisplayName: store.TextV1(m.DisplayName), RegisterDate: string(m.RegisterDate), DelegateOf: m.DelegateOf}
			})}
	},
	func(r censusRecordV1, s *census.Snapshot) {
		s.TakeTime, s.Excluded = r.TakeTime, r.Excluded
		s.Members = store.MapSlice(r.Members, func(m registrantRecordV1) census.Registrant {
			return census.Registrant{Name: m.Name, NIA: m.NIA, State: m.State, Category: m.Category, Activity: m.Activity, Province: m.Province,
				DisplayName: l10n.Text(m.DisplayName), RegisterDate: resource.Date(m.RegisterDate), DelegateOf: m.DelegateOf}
		})
	})

type quorumResultRecordV1 struct {
	Met       bool      `json:"met"`
	Present   int       `json:"present"`
	Required  int       `json:"required"`
	CheckTime time.Time `json:"check_time"`
}

type convocationRecordV1 struct {
	Number  int                   `json:"number"`
	Date    string                `json:"date"`
	Venue   string                `json:"venue"`
	Present []string              `json:"present"`
	Quorum  *quorumResultRecordV1 `json:"quorum,omitempty"`
}

type statutesRecordV1 struct {
	State  string          `json:"state"`
	Votes  map[string]int  `json:"votes"`
	Result *store.ResultV1 `json:"result,omitempty"`
}

type constitutiveRecordV1 struct {
	Body         string                `json:"body"`
	Roll         []string              `json:"roll"`
	Chair        string                `json:"chair"`
	Settings     settingsRecordV1      `json:"settings"`
	Convocations []convocationRecordV1 `json:"convocations"`
	Statutes     statutesRecordV1      `json:"statutes"`
	State        string                `json:"state"`
}

var constitutiveRecord = store.RecordV1("constitutive assembly",
	func(a *constitutive.Assembly) constitutiveRecordV1 {
		r := constitutiveRecordV1{Body: a.Body, Roll: a.Roll, Chair: a.Chair, Settings: settingsV1(a.Settings), State: string(a.State),
			Convocations: store.MapSlice(a.Convocations, func(c constitutive.Convocation) convocationRecordV1 {
				cr := convocationRecordV1{Number: int(c.Number), Date: string(c.Date), Venue: c.Venue, Present: c.Present}
				if q := c.Quorum; q != nil {
					cr.Quorum = &quorumResultRecordV1{Met: q.Met, Present: q.Present, Required: q.Required, CheckTime: q.CheckTime}
				}
				return cr
			}),
			Statutes: statutesRecordV1{State: string(a.Statutes.State), Votes: store.VotesRecord(a.Statutes.Votes), Result: store.ResultRecord(a.Statutes.Result)}}
		return r
	},
	func(r constitutiveRecordV1, a *constitutive.Assembly) {
		a.Body, a.Roll, a.Chair, a.Settings, a.State = r.Body, r.Roll, r.Chair, r.Settings.settings(), constitutive.State(r.State)
		a.Convocations = store.MapSlice(r.Convocations, func(c convocationRecordV1) constitutive.Convocation {
			out := constitutive.Convocation{Number: assembly.Convocation(c.Number), Date: resource.Date(c.Date), Venue: c.Venue, Present: c.Present}
			if q := c.Quorum; q != nil {
				out.Quorum = &constitutive.QuorumResult{Met: q.Met, Present: q.Present, Required: q.Required, CheckTime: q.CheckTime}
			}
			return out
		})
		a.Statutes = constitutive.Statutes{State: constitutive.VoteState(r.Statutes.State), Votes: store.Votes(r.Statutes.Votes), Result: r.Statutes.Result.Result()}
	})

type ballotRecordV1 struct {
	Member    string `json:"member"`
	Candidate string `json:"candidate,omitempty"`
}

type roundRecordV1 struct {
	Number     int              `json:"number"`
	Candidates []string         `json:"candidates"`
	Ballots    []ballotRecordV1 `json:"ballots"`
	Counts     map[string]int   `json:"counts,omitempty"`
	VotesCast  int              `json:"votes_cast"`
	Elected    string           `json:"elected,omitempty"`
	ByTieRule  bool             `json:"by_tie_rule,omitempty"`
	Closed     bool             `json:"closed"`
}

type officeRecordV1 struct {
	OfficeID   string          `json:"office_id"`
	Title      store.TextV1    `json:"title"`
	Position   int             `json:"position"`
	Presidency bool            `json:"presidency"`
	Candidates []string        `json:"candidates"`
	Rounds     []roundRecordV1 `json:"rounds"`
	Elected    string          `json:"elected,omitempty"`
}

var officeRecord = store.RecordV1("office",
	func(o *election.Office) officeRecordV1 {
		return officeRecordV1{OfficeID: o.OfficeID, Title: store.TextV1(o.Title), Position: o.Position, Presidency: o.Presidency,
			Candidates: o.Candidates, Elected: o.Elected,
			Rounds: store.MapSlice(o.Rounds, func(r election.Round) roundRecordV1 {
				return roundRecordV1{Number: r.Number, Candidates: r.Candidates, Counts: r.Counts, VotesCast: r.VotesCast, Elected: r.Elected,
					ByTieRule: r.ByTieRule, Closed: r.Closed,
					Ballots: store.MapSlice(r.Ballots, func(b election.Ballot) ballotRecordV1 { return ballotRecordV1(b) })}
			})}
	},
	func(r officeRecordV1, o *election.Office) {
		o.OfficeID, o.Title, o.Position, o.Presidency = r.OfficeID, l10n.Text(r.Title), r.Position, r.Presidency
		o.Candidates, o.Elected = r.Candidates, r.Elected
		o.Rounds = store.MapSlice(r.Rounds, func(r roundRecordV1) election.Round {
			return election.Round{Number: r.Number, Candidates: r.Candidates, Counts: r.Counts, VotesCast: r.VotesCast, Elected: r.Elected,
				ByTieRule: r.ByTieRule, Closed: r.Closed,
				Ballots: store.MapSlice(r.Ballots, func(b ballotRecordV1) election.Ballot { return election.Ballot(b) })}
		})
	})

type meetingRecordV1 struct {
	Body      string       `json:"body"`
	MeetingID string       `json:"meeting_id"`
	Title     store.TextV1 `json:"title"`
	Date      string       `json:"date"`
	City      string       `json:"city,omitempty"`
	Capacity  int          `json:"capacity,omitempty"`
	Event     string       `json:"event"`
}

var meetingRecord = store.RecordV1("awareness meeting",
	func(m *awareness.Meeting) meetingRecordV1 {
		return meetingRecordV1{Body: m.Body, MeetingID: m.MeetingID, Title: store.TextV1(m.Title), Date: string(m.Date), City: m.City,
			Capacity: m.Capacity, Event: m.Event}
	},
	func(r meetingRecordV1, m *awareness.Meeting) {
		m.Body, m.MeetingID, m.Title, m.Date, m.City, m.Capacity, m.Event = r.Body, r.MeetingID, l10n.Text(r.Title), resource.Date(r.Date), r.City, r.Capacity, r.Event
	})

// Package craftbody is a craft body of law 50.17 art. 11 (الهيئات الحرفية):
// founded per craft in a province, then in the region from the provincial
// bodies, then nationally from the regional ones. Its life is one transition
// table; the uniqueness of a body per (level, craft, territory) and the
// provincial threshold a regional body waits for are rules of this package.
//
// National bodies belong to the federation: their chamber is
// territory.FederationID ("federation"), so they are named
// chambers/federation/craftBodies/{id} and every route and tenancy check
// keeps one pattern.
package craftbody

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/assembly"
	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
)

// Collection is the collection segment of body names.
const Collection = "craftBodies"

// FederationChamber owns the national bodies.
const FederationChamber = "federation"

// Error reasons of craft bodies (ErrorInfo.reason).
const (
	ReasonIllegalTransition         = "ILLEGAL_TRANSITION"
	ReasonCraftBodyExists           = "CRAFT_BODY_EXISTS"
	ReasonProvincialThresholdNotMet = "PROVINCIAL_THRESHOLD_NOT_MET"
	ReasonNationalOwnedByFederation = "NATIONAL_BODY_OWNED_BY_FEDERATION"
	ReasonDissolved                 = "CRAFT_BODY_DISSOLVED"
)

// Level is the territorial level of a body.
type Level string

// Levels.
const (
	Provincial Level = "PROVINCIAL"
	Regional   Level = "REGIONAL"
	National   Level = "NATIONAL"
)

// Stage is where a body stands in its founding.
type Stage string

// Stages, in founding order; Dissolved is final and outside the order.
const (
	Planned          Stage = "PLANNED"
	Awareness        Stage = "AWARENESS"
	Committee        Stage = "COMMITTEE"
	CensusTaken      Stage = "CENSUS_TAKEN"
	AssemblyConvened Stage = "ASSEMBLY_CONVENED"
	Constituted      Stage = "CONSTITUTED"
	Active           Stage = "ACTIVE"
	Dissolved        Stage = "DISSOLVED"
)

// Stages lists the founding stages in order (Dissolved excluded).
var Stages = []Stage{Planned, Awareness, Committee, CensusTaken, AssemblyConvened, Constituted, Active}

// Rank is the position of s in the founding order, -1 for Dissolved or an
// unknown stage.
func (s Stage) Rank() int {
	for i, st := range Stages {
		if st == s {
			return i
		}
	}
	return -1
}

// Reached reports whether s is at or past target in the founding order.
func (s Stage) Reached(target Stage) bool {
	return s.Rank() >= 0 && s.Rank() >= target.Rank()
}

// Action is a typed move of the state machine.
type Action string

// Actions.
const (
	StartAwareness  Action = "StartAwareness"
	FormCommittee   Action = "FormCommittee"
	TakeCensus      Action = "TakeCensus"
	ConveneAssembly Action = "ConveneAssembly"
	Constitute      Action = "Constitute"
	Activate        Action = "Activate"
	Dissolve        Action = "Dissolve"
)

// Transition is one row of the table: action from a stage to a stage, and
// the outbox event it writes.
type Transition struct {
	Action Action
	From   Stage
	To     Stage
	Event  string
}

// Transitions is the whole state machine of a body. A move that is not a row
// here is refused with FAILED_PRECONDITION ILLEGAL_TRANSITION.
var Transitions = []Transition{
	{StartAwareness, Planned, Awareness, "CraftBodyAwarenessStarted"},
	{FormCommittee, Awareness, Committee, "CraftBodyCommitteeFormed"},
	{FormCommittee, Committee, Committee, "CraftBodyCommitteeChanged"},
	{TakeCensus, Committee, CensusTaken, "CraftBodyCensusTaken"},
	{TakeCensus, CensusTaken, CensusTaken, "CraftBodyCensusRetaken"},
	{ConveneAssembly, CensusTaken, AssemblyConvened, "CraftBodyAssemblyConvened"},
	{Constitute, AssemblyConvened, Constituted, "CraftBodyConstituted"},
	{Activate, Constituted, Active, "CraftBodyActivated"},
	{Dissolve, Planned, Dissolved, "CraftBodyDissolved"},
	{Dissolve, Awareness, Dissolved, "CraftBodyDissolved"},
	{Dissolve, Committee, Dissolved, "CraftBodyDissolved"},
	{Dissolve, CensusTaken, Dissolved, "CraftBodyDissolved"},
	{Dissolve, AssemblyConvened, Dissolved, "CraftBodyDissolved"},
	{Dissolve, Constituted, Dissolved, "CraftBodyDissolved"},
	{Dissolve, Active, Dissolved, "CraftBodyDissolved"},
}

// Next finds the row for action from stage, or the typed precondition error.
func Next(name string, from Stage, a Action) (Transition, error) {
	for _, t := range Transitions {
		if t.Action == a && t.From == from {
			return t, nil
		}
	}
	return Transition{}, &fault.PreconditionError{
		Reason: ReasonIllegalTransition,
		Msg:    fmt.Sprintf("%s is %s: cannot %s", name, from, a),
		Meta:   map[string]string{"resource": name, "state": string(from), "action": string(a)},
	}
}

// Share is an exact fraction.
type Share struct {
	Numerator   int `json:"numerator"`
	Denominator int `json:"denominator"`
}

// Quorum is the quorum setting as stored.
type Quorum struct {
	Numerator         int `json:"numerator"`
	Denominator       int `json:"denominator"`
	SecondNumerator   int `json:"second_numerator,omitempty"`
	SecondDenominator int `json:"second_denominator,omitempty"`
	SecondMinimum     int `json:"second_minimum,omitempty"`
}

// Rule is the setting as pkg/assembly's rule.
func (q Quorum) Rule() assembly.QuorumRule {
	r := assembly.QuorumRule{Numerator: q.Numerator, Denominator: q.Denominator, SecondConvocationMinimum: q.SecondMinimum}
	if q.SecondNumerator != 0 {
		r.SecondConvocationFraction = assembly.Fraction{Numerator: q.SecondNumerator, Denominator: q.SecondDenominator}
	}
	return r
}

// RunOff says who stands in later rounds of an office's election.
type RunOff string

// Run-off rules.
const (
	TwoLeaders    RunOff = "TWO_LEADERS"
	AllCandidates RunOff = "ALL_CANDIDATES"
)

// ElectionTie says how a tie between candidates is settled.
type ElectionTie string

// Election tie rules.
const (
	SeniorRegistration ElectionTie = "SENIOR_REGISTRATION"
	AnotherRound       ElectionTie = "ANOTHER_ROUND"
)

// Settings are the per-body rules of the assembly and the election.
type Settings struct {
	Quorum              Quorum            `json:"quorum"`
	TieBreak            assembly.TieBreak `json:"tie_break"`
	AbstentionsCount    bool              `json:"abstentions_count"`
	RunOff              RunOff            `json:"run_off"`
	ElectionTie         ElectionTie       `json:"election_tie"`
	ProvincialThreshold Share             `json:"provincial_threshold"`
}

// DefaultSettings: one half on first convocation and none on the second;
// the chair's side wins a tie on the statutes; a run-off between the two
// leaders; the senior registrant wins a tie; one half of the provinces
// before the regional body (one half of the regions before the national one).
func DefaultSettings() Settings {
	return Settings{
		Quorum:              Quorum{Numerator: 1, Denominator: 2},
		TieBreak:            assembly.PresidentDecides,
		RunOff:              TwoLeaders,
		ElectionTie:         SeniorRegistration,
		ProvincialThreshold: Share{Numerator: 1, Denominator: 2},
	}
}

// Majority is the statutes vote rule.
func (s Settings) Majority() assembly.MajorityRule {
	return assembly.MajorityRule{AbstentionsCount: s.AbstentionsCount, TieBreak: s.TieBreak}
}

// Validate reports every problem of the settings under field prefix p.
func (s Settings) Validate(vs *fault.Violations, p string) {
	if err := s.Quorum.Rule().Validate(); err != nil {
		vs.Add(p+"quorum", RuleQuorumValid, "%v", err)
	}
	if err := s.Majority().Validate(); err != nil {
		vs.Add(p+"tie_rule", RuleTieRuleKnown, "%v", err)
	}
	if s.RunOff != TwoLeaders && s.RunOff != AllCandidates {
		vs.Add(p+"run_off", RuleRunOffKnown, "unknown run-off rule %q", s.RunOff)
	}
	if s.ElectionTie != SeniorRegistration && s.ElectionTie != AnotherRound {
		vs.Add(p+"election_tie_rule", RuleElectionTieRuleKnown, "unknown election tie rule %q", s.ElectionTie)
	}
	t := s.ProvincialThreshold
	if t.Denominator < 1 || t.Numerator < 0 || t.Numerator > t.Denominator {
		vs.Add(p+"provincial_threshold", RuleProvincialThresholdShare, "must be a share between 0 and 1, got %d/%d", t.Numerator, t.Denominator)
	}
}

// CommitteeKind is what a committee member stands for.
type CommitteeKind string

// Committee member kinds.
const (
	MemberArtisan     CommitteeKind = "ARTISAN"
	MemberAssociation CommitteeKind = "ASSOCIATION"
	MemberAmin        CommitteeKind = "AMIN"
)

// CommitteeMember is one member of the preparatory committee.
type CommitteeMember struct {
	Kind        CommitteeKind `json:"kind"`
	Registrant  string        `json:"registrant,omitempty"`
	DisplayName l10n.Text     `json:"display_name"`
	Role        string        `json:"role,omitempty"`
}

// PreparatoryCommittee is the committee that prepares the assembly.
type PreparatoryCommittee struct {
	Members    []CommitteeMember `json:"members"`
	Chair      string            `json:"chair"`
	FormedDate resource.Date     `json:"formed_date"`
}

// Validate checks the committee: artisans and amins name artisans,
// associations name associations, no one sits twice, at least one artisan
// of the craft, and a chair who is an artisan or amin member.
func (c PreparatoryCommittee) Validate() error {
	var vs fault.Violations
	const p = "committee."
	seen := map[string]bool{}
	artisans := 0
	chairOK := false
	for i, m := range c.Members {
		f := fmt.Sprintf("%smembers[%d]", p, i)
		switch m.Kind {
		case MemberArtisan, MemberAmin:
			if m.Kind == MemberArtisan {
				artisans++
				if m.Registrant == "" {
					vs.Add(f+".registrant", RuleCommitteeArtisanRegistrant, "an artisan member is named by its registry record")
				}
			}
			if m.Registrant != "" && !strings.Contains(m.Registrant, "/artisans/") {
				vs.Add(f+".registrant", RuleCommitteeArtisanRegistrant, "must name an artisan, got %q", m.Registrant)
			}
			if m.Registrant != "" && m.Registrant == c.Chair {
				chairOK = true
			}
		case MemberAssociation:
			if !strings.Contains(m.Registrant, "/associations/") {
				vs.Add(f+".registrant", RuleCommitteeAssociationRegistrant, "must name an association, got %q", m.Registrant)
			}
		default:
			vs.Add(f+".kind", RuleCommitteeKind, "must be ARTISAN, ASSOCIATION or AMIN, got %q", m.Kind)
		}
		m.DisplayName.Require(&vs, f+".display_name")
		if m.Registrant != "" {
			if seen[m.Registrant] {
				vs.Add(f+".registrant", RuleCommitteeMemberUnique, "%s sits on the committee twice", m.Registrant)
			}
			seen[m.Registrant] = true
		}
	}
	if artisans == 0 {
		vs.Add(p+"members", RuleCommitteeArtisans, "the committee needs at least one artisan of the craft")
	}
	if !chairOK {
		vs.Add(p+"chair", RuleCommitteeChairMember, "the chair must be an artisan or amin member of the committee, got %q", c.Chair)
	}
	if _, err := resource.ParseDate(p+"formed_date", string(c.FormedDate)); err != nil || c.FormedDate == "" {
		vs.Add(p+"formed_date", fault.RuleDate, "must be a calendar date YYYY-MM-DD, got %q", c.FormedDate)
	}
	return vs.Err()
}

// Artisans lists the registrants of the artisan and amin members.
func (c PreparatoryCommittee) Artisans() []string {
	var out []string
	for _, m := range c.Members {
		if (m.Kind == MemberArtisan || m.Kind == MemberAmin) && m.Registrant != "" {
			out = append(out, m.Registrant)
		}
	}
	return out
}

// Places answers the territorial questions a body asks.
type Places interface {
	// RegionOf returns the region of a province.
	RegionOf(province string) (string, bool)
	// ProvincesOf lists the province ids of a region.
	ProvincesOf(region string) []string
	// Regions lists every region id.
	Regions() []string
}

// Body is a craft body.
type Body struct {
	resource.Meta
	DisplayName    l10n.Text             `json:"display_name"`
	Level          Level                 `json:"level"`
	Craft          string                `json:"craft"`
	Province       string                `json:"province,omitempty"`
	Region         string                `json:"region,omitempty"`
	Programme      string                `json:"programme,omitempty"`
	Phase          int                   `json:"phase,omitempty"`
	Settings       Settings              `json:"settings"`
	Committee      *PreparatoryCommittee `json:"committee,omitempty"`
	Stage          Stage                 `json:"stage"`
	StateReason    string                `json:"state_reason,omitempty"`
	President      string                `json:"president,omitempty"`
	ConstituteTime *time.Time            `json:"constitute_time,omitempty"`
	// Demo marks a record the demo profile seeded (invented data); only
	// the seed sets it, and the API shows it.
	Demo bool `json:"demo,omitempty"`
}

// Name is the resource name.
func (b *Body) Name() string {
	return resource.Name{Chamber: b.Chamber, Collection: Collection, ID: b.ID}.String()
}

// Key is what makes a body unique: one per level, craft and territory.
type Key struct {
	Level     Level
	Craft     string
	Territory string // province id, region id, or "MA" for the nation
}

// Key returns the body's uniqueness key.
func (b *Body) Key() Key {
	switch b.Level {
	case Provincial:
		return Key{b.Level, b.Craft, b.Province}
	case Regional:
		return Key{b.Level, b.Craft, b.Region}
	}
	return Key{b.Level, b.Craft, "MA"}
}

// String renders the key as stored in the unique index.
func (k Key) String() string { return string(k.Level) + "/" + k.Craft + "/" + k.Territory }

// Validate checks a body as planned: its level, craft and territory, its
// owner (national bodies belong to the federation, others to the chamber of
// their region) and its settings. It fills Region.
func (b *Body) Validate(places Places) error {
	var vs fault.Violations
	const p = "craft_body."
	b.DisplayName.Require(&vs, p+"display_name")
	if b.Craft == "" {
		vs.Add(p+"craft", RuleCraftRequired, "an activity or branch code is required")
	}
	switch b.Level {
	case Provincial:
		region, ok := places.RegionOf(b.Province)
		switch {
		case b.Province == "":
			vs.Add(p+"province", RuleProvinceRequired, "a provincial body needs its province")
		case !ok:
			vs.Add(p+"province", RuleProvinceKnown, "unknown province %q", b.Province)
		case region != b.Chamber:
			vs.Add(p+"province", RuleProvinceInChamber, "province %q is not in the territory of chamber %q", b.Province, b.Chamber)
		}
		b.Region = region
	case Regional:
		if b.Province != "" {
			vs.Add(p+"province", RuleProvinceLevel, "a regional body has no province")
		}
		b.Region = b.Chamber
		if len(places.ProvincesOf(b.Region)) == 0 {
			vs.Add(p+"level", RuleLevelOwner, "regional bodies belong to a regional chamber, not %q", b.Chamber)
		}
	case National:
		if b.Province != "" {
			vs.Add(p+"province", RuleProvinceLevel, "a national body has no province")
		}
		b.Region = ""
		if b.Chamber != FederationChamber {
			return &fault.PreconditionError{Reason: ReasonNationalOwnedByFederation,
				Msg:  "national bodies are founded by the federation under chambers/federation",
				Meta: map[string]string{"chamber": b.Chamber}}
		}
	default:
		vs.Add(p+"level", RuleLevelKnown, "must be PROVINCIAL, REGIONAL or NATIONAL, got %q", b.Level)
	}
	if b.Chamber == FederationChamber && b.Level != National {
		vs.Add(p+"level", RuleLevelOwner, "the federation founds national bodies only")
	}
	if b.Phase < 0 {
		vs.Add(p+"phase", RulePhasePositive, "must not be negative")
	}
	b.Settings.Validate(&vs, p+"settings.")
	return vs.Err()
}

// CheckUnique refuses a body whose key a live body already holds; a
// dissolved body frees its key so the craft can be founded again.
func CheckUnique(b *Body, existing []*Body) error {
	k := b.Key()
	for _, o := range existing {
		if o.Stage != Dissolved && o.Key() == k && !(o.Chamber == b.Chamber && o.ID == b.ID) {
			return &fault.AlreadyExistsError{Reason: ReasonCraftBodyExists, Field: "craft_body", Existing: o.Name(),
				Msg: fmt.Sprintf("a %s body of craft %s already exists in %s (%s)", strings.ToLower(string(k.Level)), k.Craft, k.Territory, o.Name())}
		}
	}
	return nil
}

// Apply performs action on the body after the table allows it and returns
// the row (its Event names the outbox event).
func (b *Body) Apply(a Action) (Transition, error) {
	t, err := Next(b.Name(), b.Stage, a)
	if err != nil {
		return t, err
	}
	b.Stage = t.To
	return t, nil
}

// ceilShare returns ceil(n * s) exactly.
func ceilShare(n int, s Share) int {
	if s.Denominator <= 0 {
		return n
	}
	return (n*s.Numerator + s.Denominator - 1) / s.Denominator
}

// CheckThreshold says whether a regional body may convene its assembly:
// enough provinces of its region must have a constituted (or active)
// provincial body of the same craft, the share being the body's setting. A
// national body waits the same way for the regions' bodies. lower are the
// bodies of the level below (any craft, any state: this function selects).
func CheckThreshold(b *Body, lower []*Body, places Places) error {
	var units []string
	var below Level
	switch b.Level {
	case Regional:
		units, below = places.ProvincesOf(b.Region), Provincial
	case National:
		units, below = places.Regions(), Regional
	default:
		return nil
	}
	within := map[string]bool{}
	for _, u := range units {
		within[u] = true
	}
	done := map[string]bool{}
	for _, o := range lower {
		if o.Level != below || o.Craft != b.Craft || !o.Stage.Reached(Constituted) {
			continue
		}
		unit := o.Province
		if below == Regional {
			unit = o.Region
		}
		if within[unit] {
			done[unit] = true
		}
	}
	required := ceilShare(len(units), b.Settings.ProvincialThreshold)
	if len(units) > 0 && len(done) >= required {
		return nil
	}
	return &fault.PreconditionError{
		Reason: ReasonProvincialThresholdNotMet,
		Msg: fmt.Sprintf("%s: %d of %d %s have a constituted %s body of craft %s, %d required",
			b.Name(), len(done), len(units), unitWord(below), strings.ToLower(string(below)), b.Craft, required),
		Meta: map[string]string{"resource": b.Name(), "constituted": fmt.Sprint(len(done)), "units": fmt.Sprint(len(units)), "required": fmt.Sprint(required)},
	}
}

func unitWord(below Level) string {
	if below == Regional {
		return "regions"
	}
	return "provinces"
}

// Repository stores bodies. The adapter enforces the (level, craft,
// territory) key of live bodies with a unique index, so two concurrent
// creations cannot both succeed; it answers ALREADY_EXISTS CRAFT_BODY_EXISTS.
type Repository interface {
	Create(ctx context.Context, b *Body, w change.Write) (*Body, error)
	Get(ctx context.Context, n resource.Name) (*Body, error)
	List(ctx context.Context, q paging.ListQuery) (paging.Page[*Body], error)
	Update(ctx context.Context, n resource.Name, w change.Write, fn func(*Body) error) (*Body, error)
	// ByCraft lists every body of a level and craft, in every chamber: the
	// lower bodies a regional or national threshold counts.
	ByCraft(ctx context.Context, level Level, craft string) ([]*Body, error)
}

package grpcport

import (
	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/assembly"
	"github.com/hirfa/hirfa/pkg/protomap"
	"github.com/hirfa/hirfa/pkg/resource"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/app"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/agreement"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/event"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/fair"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/generalassembly"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/registration"
)

// Events.

func eventPB(e *event.Event) *eventsfairsv1.Event {
	out := &eventsfairsv1.Event{
		Name:        e.Name(),
		Kind:        eventsfairsv1.Event_Kind(eventsfairsv1.Event_Kind_value[string(e.Kind)]),
		Scope:       eventsfairsv1.Event_Scope(eventsfairsv1.Event_Scope_value[string(e.Scope)]),
		Title:       protomap.Text(e.Title),
		StartDate:   string(e.StartDate),
		EndDate:     string(e.EndDate),
		Venue:       &eventsfairsv1.Venue{Province: e.Venue.Province, City: e.Venue.City, Address: e.Venue.Address},
		Organizer:   "chambers/" + e.Chamber,
		Capacity:    int32(e.Capacity),
		State:       eventsfairsv1.Event_State(eventsfairsv1.Event_State_value[string(e.State)]),
		StateReason: e.StateReason,
		CreateTime:  protomap.Timestamp(e.CreateTime),
		UpdateTime:  protomap.Timestamp(e.UpdateTime),
		Etag:        e.Etag(),
		Demo:        e.Demo,
	}
	for _, p := range e.Partners {
		out.Partners = append(out.Partners, &eventsfairsv1.Partner{DisplayName: protomap.Text(p.Name), Role: p.Role})
	}
	if e.IsFair() {
		out.Fair = &eventsfairsv1.FairSettings{Crafts: e.Fair.Crafts}
		for _, q := range e.Fair.Quotas {
			out.Fair.Quotas = append(out.Fair.Quotas, &eventsfairsv1.QuotaRule{
				Criterion: eventsfairsv1.QuotaRule_Criterion(eventsfairsv1.QuotaRule_Criterion_value[string(q.Criterion)]),
				Booths:    int32(q.Booths),
				Limit:     eventsfairsv1.QuotaRule_Limit(eventsfairsv1.QuotaRule_Limit_value[string(q.Limit)]),
			})
		}
	}
	if e.Evaluation != nil {
		out.Evaluation = evaluationPB(*e.Evaluation)
	}
	return out
}

// eventFields copies the client-writable fields of p onto e.
func eventFields(e *event.Event, p *eventsfairsv1.Event) {
	e.Kind = event.Kind(protomap.EnumName(p.GetKind().String()))
	e.Scope = event.Scope(protomap.EnumName(p.GetScope().String()))
	e.Title = protomap.Localized(p.GetTitle())
	e.StartDate, e.EndDate = resource.Date(p.GetStartDate()), resource.Date(p.GetEndDate())
	e.Venue = event.Venue{Province: p.GetVenue().GetProvince(), City: p.GetVenue().GetCity(), Address: p.GetVenue().GetAddress()}
	e.Partners = nil
	for _, pt := range p.GetPartners() {
		e.Partners = append(e.Partners, event.Partner{Name: protomap.Localized(pt.GetDisplayName()), Role: pt.GetRole()})
	}
	e.Capacity = int(p.GetCapacity())
	e.Fair = event.FairSettings{Crafts: p.GetFair().GetCrafts()}
	for _, q := range p.GetFair().GetQuotas() {
		e.Fair.Quotas = append(e.Fair.Quotas, event.QuotaRule{
			Criterion: event.Criterion(protomap.EnumName(q.GetCriterion().String())),
			Booths:    int(q.GetBooths()),
			Limit:     event.Limit(protomap.EnumName(q.GetLimit().String())),
		})
	}
}

var eventUpdatable = []string{"scope", "title", "start_date", "end_date", "venue", "partners", "capacity", "fair"}

func evaluationPB(e event.Evaluation) *eventsfairsv1.Evaluation {
	return &eventsfairsv1.Evaluation{
		Exhibitors:              int32(e.Exhibitors),
		Artisans:                int32(e.Artisans),
		Cooperatives:            int32(e.Cooperatives),
		Associations:            int32(e.Associations),
		Enterprises:             int32(e.Enterprises),
		WomenArtisans:           int32(e.WomenArtisans),
		MenArtisans:             int32(e.MenArtisans),
		WomenExhibitors:         int32(e.WomenExhibitors),
		RuralExhibitors:         int32(e.RuralExhibitors),
		OutsideRegionExhibitors: int32(e.OutsideRegionExhibitors),
		Booths:                  int32(e.Booths),
		BoothsUsed:              int32(e.BoothsUsed),
		Visitors:                e.Visitors,
		SalesCentimes:           e.SalesCentimes,
		Applications:            int32(e.Applications),
		Rejected:                int32(e.Rejected),
		Waitlisted:              int32(e.Waitlisted),
		Registered:              int32(e.Registered),
		Attended:                int32(e.Attended),
		ComputeTime:             protomap.Timestamp(e.ComputeTime),
	}
}

func fairEvaluationPB(f app.FairEvaluation) *eventsfairsv1.FairEvaluation {
	return &eventsfairsv1.FairEvaluation{
		Event:     f.Event.Name(),
		Title:     pick(f.Event.Title.FR, f.Event.Title.AR),
		StartDate: string(f.Event.StartDate),
		Figures:   evaluationPB(f.Figures),
		Final:     f.Final,
	}
}

func pick(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Fairs.

func boothPB(b *fair.Booth) *eventsfairsv1.Booth {
	return &eventsfairsv1.Booth{
		Name:        b.Name(),
		Number:      b.Number,
		AreaM2:      b.AreaM2,
		Zone:        b.Zone,
		FeeCentimes: b.FeeCentimes,
		CreateTime:  protomap.Timestamp(b.CreateTime),
		UpdateTime:  protomap.Timestamp(b.UpdateTime),
		Etag:        b.Etag(),
	}
}

func boothFields(b *fair.Booth, p *eventsfairsv1.Booth) {
	b.Number, b.AreaM2, b.Zone, b.FeeCentimes = p.GetNumber(), p.GetAreaM2(), p.GetZone(), p.GetFeeCentimes()
}

var boothUpdatable = []string{"number", "area_m2", "zone", "fee_centimes"}

func exhibitorPB(x *fair.Exhibitor) *eventsfairsv1.Exhibitor {
	return &eventsfairsv1.Exhibitor{
		Name:          x.Name(),
		Applicant:     x.Applicant,
		Rural:         x.Rural,
		Products:      x.Products,
		ApplicantType: eventsfairsv1.Exhibitor_ApplicantType(eventsfairsv1.Exhibitor_ApplicantType_value[string(x.ApplicantType)]),
		DisplayName:   x.DisplayName,
		Gender:        eventsfairsv1.Exhibitor_Gender(eventsfairsv1.Exhibitor_Gender_value[string(x.Gender)]),
		Women:         x.Women,
		OutsideRegion: x.OutsideRegion,
		Province:      x.Province,
		Activity:      x.Activity,
		State:         eventsfairsv1.Exhibitor_State(eventsfairsv1.Exhibitor_State_value[string(x.State)]),
		StateReason:   x.StateReason,
		Booth:         x.BoothName(),
		SalesCentimes: x.SalesCentimes,
		CreateTime:    protomap.Timestamp(x.CreateTime),
		UpdateTime:    protomap.Timestamp(x.UpdateTime),
		Etag:          x.Etag(),
	}
}

func visitorCountPB(v *fair.VisitorCount) *eventsfairsv1.VisitorCount {
	return &eventsfairsv1.VisitorCount{
		Name:       v.Name(),
		Date:       string(v.Date),
		Visitors:   v.Visitors,
		UpdateTime: protomap.Timestamp(v.UpdateTime),
		Etag:       v.Etag(),
	}
}

// Registrations.

func registrationPB(r *registration.Registration) *eventsfairsv1.Registration {
	return &eventsfairsv1.Registration{
		Name:        r.Name(),
		DisplayName: r.DisplayName,
		Participant: r.Participant,
		Contact:     protomap.Contact(r.Contact),
		State:       eventsfairsv1.Registration_State(eventsfairsv1.Registration_State_value[string(r.State)]),
		CheckInCode: r.CheckInCode,
		CheckInTime: protomap.TimestampPtr(r.CheckInTime),
		CreateTime:  protomap.Timestamp(r.CreateTime),
		UpdateTime:  protomap.Timestamp(r.UpdateTime),
		Etag:        r.Etag(),
	}
}

// Assemblies.

var convocations = map[assembly.Convocation]eventsfairsv1.Assembly_Convocation{
	assembly.FirstConvocation:  eventsfairsv1.Assembly_FIRST,
	assembly.SecondConvocation: eventsfairsv1.Assembly_SECOND,
}

func assemblyPB(a *generalassembly.Assembly) *eventsfairsv1.Assembly {
	out := &eventsfairsv1.Assembly{
		Name:            a.Name(),
		Title:           protomap.Text(a.Title),
		SessionType:     eventsfairsv1.Assembly_SessionType(eventsfairsv1.Assembly_SessionType_value[string(a.SessionType)]),
		OrdinarySession: eventsfairsv1.Assembly_OrdinarySession(eventsfairsv1.Assembly_OrdinarySession_value[string(a.OrdinarySession)]),
		Date:            string(a.Date),
		Venue:           a.Venue,
		President:       a.President,
		Quorum: &eventsfairsv1.QuorumSetting{
			Numerator: int32(a.Quorum.Numerator), Denominator: int32(a.Quorum.Denominator),
			SecondNumerator: int32(a.Quorum.SecondNumerator), SecondDenominator: int32(a.Quorum.SecondDenominator),
			SecondMinimum: int32(a.Quorum.SecondMinimum),
		},
		AbstentionsCount: a.AbstentionsCount,
		Convocation:      convocations[a.Convocation],
		Present:          a.Present,
		QuorumRequired:   int32(a.Required()),
		State:            eventsfairsv1.Assembly_State(eventsfairsv1.Assembly_State_value[string(a.State)]),
		StateReason:      a.StateReason,
		OpenTime:         protomap.TimestampPtr(a.OpenTime),
		CreateTime:       protomap.Timestamp(a.CreateTime),
		UpdateTime:       protomap.Timestamp(a.UpdateTime),
		Etag:             a.Etag(),
		Demo:             a.Demo,
	}
	for _, m := range a.Members {
		out.Members = append(out.Members, &eventsfairsv1.Member{Id: m.ID, DisplayName: protomap.Text(m.DisplayName), Registrant: m.Registrant, Office: m.Office})
	}
	return out
}

// assemblyFields copies the fields a client sets when convening.
func assemblyFields(a *generalassembly.Assembly, p *eventsfairsv1.Assembly) {
	a.Title = protomap.Localized(p.GetTitle())
	a.SessionType = generalassembly.SessionType(protomap.EnumName(p.GetSessionType().String()))
	a.OrdinarySession = generalassembly.OrdinarySession(protomap.EnumName(p.GetOrdinarySession().String()))
	a.Date, a.Venue = resource.Date(p.GetDate()), p.GetVenue()
	a.Members = nil
	for _, m := range p.GetMembers() {
		a.Members = append(a.Members, generalassembly.Member{ID: m.GetId(), DisplayName: protomap.Localized(m.GetDisplayName()), Registrant: m.GetRegistrant(), Office: m.GetOffice()})
	}
	a.President = p.GetPresident()
	if q := p.GetQuorum(); q != nil {
		a.Quorum = generalassembly.Quorum{Numerator: int(q.GetNumerator()), Denominator: int(q.GetDenominator()),
			SecondNumerator: int(q.GetSecondNumerator()), SecondDenominator: int(q.GetSecondDenominator()), SecondMinimum: int(q.GetSecondMinimum())}
	}
	a.AbstentionsCount = p.GetAbstentionsCount()
}

// assemblyUpdatable are the fields of a convened assembly that may change;
// the roll and the rules are frozen at convocation.
var assemblyUpdatable = []string{"title", "date", "venue"}

var choices = map[assembly.Choice]eventsfairsv1.Choice{
	assembly.For: eventsfairsv1.Choice_FOR, assembly.Against: eventsfairsv1.Choice_AGAINST, assembly.Abstain: eventsfairsv1.Choice_ABSTAIN,
}

func choiceOf(c eventsfairsv1.Choice) assembly.Choice {
	for d, p := range choices {
		if p == c {
			return d
		}
	}
	return 0
}

func itemPB(it *generalassembly.Item) *eventsfairsv1.AgendaItem {
	out := &eventsfairsv1.AgendaItem{
		Name:       it.Name(),
		Position:   int32(it.Position),
		Title:      protomap.Text(it.Title),
		Kind:       eventsfairsv1.AgendaItem_Kind(eventsfairsv1.AgendaItem_Kind_value[string(it.Kind)]),
		Agreement:  it.Agreement,
		State:      eventsfairsv1.AgendaItem_State(eventsfairsv1.AgendaItem_State_value[string(it.State)]),
		Voters:     it.Voters,
		Resolution: protomap.Text(it.Resolution),
		CreateTime: protomap.Timestamp(it.CreateTime),
		UpdateTime: protomap.Timestamp(it.UpdateTime),
		Etag:       it.Etag(),
	}
	// Votes in roll order, as the minutes list them.
	for _, m := range it.Roll {
		if c, ok := it.Votes[m]; ok {
			out.Votes = append(out.Votes, &eventsfairsv1.Vote{Member: m, Choice: choices[c]})
		}
	}
	if r := it.Result; r != nil {
		out.Result = &eventsfairsv1.VoteResult{For: int32(r.For), Against: int32(r.Against), Abstain: int32(r.Abstain),
			Voting: int32(r.Voting), Tie: r.Tie, DecidedByPresident: r.DecidedByPresident}
	}
	return out
}

func itemFields(it *generalassembly.Item, p *eventsfairsv1.AgendaItem) {
	it.Position, it.Title = int(p.GetPosition()), protomap.Localized(p.GetTitle())
	it.Kind = generalassembly.ItemKind(protomap.EnumName(p.GetKind().String()))
	it.Agreement = p.GetAgreement()
}

// Agreements.

func agreementPB(a *agreement.Agreement) *eventsfairsv1.Agreement {
	out := &eventsfairsv1.Agreement{
		Name:                     a.Name(),
		Title:                    protomap.Text(a.Title),
		Subject:                  a.Subject,
		StartDate:                string(a.StartDate),
		EndDate:                  string(a.EndDate),
		ApprovingResolution:      a.ApprovingResolution,
		TotalCommitmentsCentimes: a.Total(),
		State:                    eventsfairsv1.Agreement_State(eventsfairsv1.Agreement_State_value[string(a.State)]),
		StateReason:              a.StateReason,
		CreateTime:               protomap.Timestamp(a.CreateTime),
		UpdateTime:               protomap.Timestamp(a.UpdateTime),
		Etag:                     a.Etag(),
	}
	for _, p := range a.Parties {
		out.Parties = append(out.Parties, &eventsfairsv1.Party{DisplayName: protomap.Text(p.Name), Kind: eventsfairsv1.Party_Kind(eventsfairsv1.Party_Kind_value[string(p.Kind)]), Country: p.Country})
	}
	for _, c := range a.Commitments {
		out.Commitments = append(out.Commitments, &eventsfairsv1.Commitment{Party: int32(c.Party), Description: c.Description, AmountCentimes: c.AmountCentimes})
	}
	return out
}

func agreementFields(a *agreement.Agreement, p *eventsfairsv1.Agreement) {
	a.Title, a.Subject = protomap.Localized(p.GetTitle()), p.GetSubject()
	a.StartDate, a.EndDate = resource.Date(p.GetStartDate()), resource.Date(p.GetEndDate())
	a.Parties, a.Commitments = nil, nil
	for _, pt := range p.GetParties() {
		a.Parties = append(a.Parties, agreement.Party{Name: protomap.Localized(pt.GetDisplayName()), Kind: agreement.PartyKind(protomap.EnumName(pt.GetKind().String())), Country: pt.GetCountry()})
	}
	for _, c := range p.GetCommitments() {
		a.Commitments = append(a.Commitments, agreement.Commitment{Party: int(c.GetParty()), Description: c.GetDescription(), AmountCentimes: c.GetAmountCentimes()})
	}
}

var agreementUpdatable = []string{"title", "subject", "parties", "commitments", "start_date", "end_date"}

// The outbox events carry each record as its public protobuf message, so
// consumers (reporting) read the same contract as clients.

// EventEvent is an event's outbox message.
func EventEvent(e *event.Event) proto.Message { return eventPB(e) }

// BoothEvent is a fair booth's outbox message.
func BoothEvent(b *fair.Booth) proto.Message { return boothPB(b) }

// ExhibitorEvent is a fair exhibitor's outbox message.
func ExhibitorEvent(x *fair.Exhibitor) proto.Message { return exhibitorPB(x) }

// VisitorCountEvent is a fair day's visitor count outbox message.
func VisitorCountEvent(v *fair.VisitorCount) proto.Message { return visitorCountPB(v) }

// RegistrationEvent is a registration's outbox message.
func RegistrationEvent(r *registration.Registration) proto.Message { return registrationPB(r) }

// AssemblyEvent is a general assembly's outbox message.
func AssemblyEvent(a *generalassembly.Assembly) proto.Message { return assemblyPB(a) }

// ItemEvent is an agenda item's outbox message.
func ItemEvent(it *generalassembly.Item) proto.Message { return itemPB(it) }

// AgreementEvent is an agreement's outbox message.
func AgreementEvent(a *agreement.Agreement) proto.Message { return agreementPB(a) }

package sqlstore

import (
	"time"

	"github.com/hirfa/hirfa/pkg/assembly"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/fair"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/generalassembly"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/registration"
)

// The records below are what the data column of a booth, an exhibitor, a
// visitor count, a registration, a general assembly and an agenda item
// holds since version 1, written out field by field apart from the domain
// structs for the same reason as agreementRecordV1. Each keeps version 0's
// keys (the domain struct's own JSON), so no row needs rewriting.

type boothRecordV1 struct {
	Number      string  `json:"number"`
	AreaM2      float64 `json:"area_m2"`
	Zone        string  `json:"zone,omitempty"`
	FeeCentimes int64   `json:"fee_centimes"`
}

// boothRecord reads versions 0 and 1 and writes version 1.
var boothRecord = store.RecordV1("booth",
	func(b *fair.Booth) boothRecordV1 {
		return boothRecordV1{Number: b.Number, AreaM2: b.AreaM2, Zone: b.Zone, FeeCentimes: b.FeeCentimes}
	},
	func(r boothRecordV1, b *fair.Booth) {
		b.Number, b.AreaM2, b.Zone, b.FeeCentimes = r.Number, r.AreaM2, r.Zone, r.FeeCentimes
	})

type exhibitorRecordV1 struct {
	Applicant     string `json:"applicant"`
	ApplicantType string `json:"applicant_type"`
	DisplayName   string `json:"display_name,omitempty"`
	Gender        string `json:"gender,omitempty"`
	Women         bool   `json:"women"`
	Rural         bool   `json:"rural"`
	OutsideRegion bool   `json:"outside_region"`
	Province      string `json:"province,omitempty"`
	Activity      string `json:"activity,omitempty"`
	Products      string `json:"products,omitempty"`
	State         string `json:"state"`
	StateReason   string `json:"state_reason,omitempty"`
	Booth         string `json:"booth,omitempty"`
	SalesCentimes int64  `json:"sales_centimes"`
}

// exhibitorRecord reads versions 0 and 1 and writes version 1.
var exhibitorRecord = store.RecordV1("exhibitor",
	func(x *fair.Exhibitor) exhibitorRecordV1 {
		return exhibitorRecordV1{Applicant: x.Applicant, ApplicantType: string(x.ApplicantType), DisplayName: x.DisplayName,
			Gender: string(x.Gender), Women: x.Women, Rural: x.Rural, OutsideRegion: x.OutsideRegion, Province: x.Province,
			Activity: x.Activity, Products: x.Products, State: string(x.State), StateReason: x.StateReason, Booth: x.Booth,
			SalesCentimes: x.SalesCentimes}
	},
	func(r exhibitorRecordV1, x *fair.Exhibitor) {
		x.Applicant, x.ApplicantType, x.DisplayName, x.Gender = r.Applicant, fair.ApplicantType(r.ApplicantType), r.DisplayName, fair.Gender(r.Gender)
		x.Women, x.Rural, x.OutsideRegion, x.Province, x.Activity, x.Products = r.Women, r.Rural, r.OutsideRegion, r.Province, r.Activity, r.Products
		x.State, x.StateReason, x.Booth, x.SalesCentimes = fair.State(r.State), r.StateReason, r.Booth, r.SalesCentimes
	})

type visitorCountRecordV1 struct {
	Date     string `json:"date"`
	Visitors int64  `json:"visitors"`
}

// visitorCountRecord reads versions 0 and 1 and writes version 1.
var visitorCountRecord = store.RecordV1("visitor count",
	func(v *fair.VisitorCount) visitorCountRecordV1 {
		return visitorCountRecordV1{Date: string(v.Date), Visitors: v.Visitors}
	},
	func(r visitorCountRecordV1, v *fair.VisitorCount) {
		v.Date, v.Visitors = resource.Date(r.Date), r.Visitors
	})

type registrationRecordV1 struct {
	DisplayName string          `json:"display_name"`
	Participant string          `json:"participant,omitempty"`
	Contact     store.ContactV1 `json:"contact"`
	State       string          `json:"state"`
	CheckInCode string          `json:"check_in_code"`
	CheckInTime *time.Time      `json:"check_in_time,omitempty"`
}

// registrationRecord reads versions 0 and 1 and writes version 1.
var registrationRecord = store.RecordV1("registration",
	func(g *registration.Registration) registrationRecordV1 {
		return registrationRecordV1{DisplayName: g.DisplayName, Participant: g.Participant, Contact: store.ContactV1(g.Contact),
			State: string(g.State), CheckInCode: g.CheckInCode, CheckInTime: g.CheckInTime}
	},
	func(r registrationRecordV1, g *registration.Registration) {
		g.DisplayName, g.Participant, g.Contact = r.DisplayName, r.Participant, l10n.Contact(r.Contact)
		g.State, g.CheckInCode, g.CheckInTime = registration.State(r.State), r.CheckInCode, r.CheckInTime
	})

type memberRecordV1 struct {
	ID          string       `json:"id"`
	DisplayName store.TextV1 `json:"display_name"`
	Registrant  string       `json:"registrant,omitempty"`
	Office      string       `json:"office,omitempty"`
}

type quorumRecordV1 struct {
	Numerator         int `json:"numerator"`
	Denominator       int `json:"denominator"`
	SecondNumerator   int `json:"second_numerator,omitempty"`
	SecondDenominator int `json:"second_denominator,omitempty"`
	SecondMinimum     int `json:"second_minimum,omitempty"`
}

type assemblyRecordV1 struct {
	Title            store.TextV1     `json:"title"`
	SessionType      string           `json:"session_type"`
	OrdinarySession  string           `json:"ordinary_session,omitempty"`
	Date             string           `json:"date,omitempty"`
	Venue            string           `json:"venue,omitempty"`
	Members          []memberRecordV1 `json:"members"`
	President        string           `json:"president,omitempty"`
	Quorum           quorumRecordV1   `json:"quorum"`
	AbstentionsCount bool             `json:"abstentions_count"`
	Convocation      int              `json:"convocation"`
	Present          []string         `json:"present"`
	State            string           `json:"state"`
	StateReason      string           `json:"state_reason,omitempty"`
	OpenTime         *time.Time       `json:"open_time,omitempty"`
	Demo             bool             `json:"demo,omitempty"`
}

// assemblyRecord reads versions 0 and 1 and writes version 1.
var assemblyRecord = store.RecordV1("assembly",
	func(a *generalassembly.Assembly) assemblyRecordV1 {
		return assemblyRecordV1{Title: store.TextV1(a.Title), SessionType: string(a.SessionType), OrdinarySession: string(a.OrdinarySession),
			Date: string(a.Date), Venue: a.Venue, President: a.President, Quorum: quorumRecordV1(a.Quorum), AbstentionsCount: a.AbstentionsCount,
			Members: store.MapSlice(a.Members, func(m generalassembly.Member) memberRecordV1 {
				return memberRecordV1{ID: m.ID, DisplayName: store.TextV1(m.DisplayName), Registrant: m.Registrant, Office: m.Office}
			}),
			Convocation: int(a.Convocation), Present: a.Present, State: string(a.State), StateReason: a.StateReason, OpenTime: a.OpenTime, Demo: a.Demo}
	},
	func(r assemblyRecordV1, a *generalassembly.Assembly) {
		a.Title, a.SessionType, a.OrdinarySession = l10n.Text(r.Title), generalassembly.SessionType(r.SessionType), generalassembly.OrdinarySession(r.OrdinarySession)
		a.Date, a.Venue, a.President, a.Quorum, a.AbstentionsCount = resource.Date(r.Date), r.Venue, r.President, generalassembly.Quorum(r.Quorum), r.AbstentionsCount
		a.Members = store.MapSlice(r.Members, func(m memberRecordV1) generalassembly.Member {
			return generalassembly.Member{ID: m.ID, DisplayName: l10n.Text(m.DisplayName), Registrant: m.Registrant, Office: m.Office}
		})
		a.Convocation, a.Present, a.State, a.StateReason = assembly.Convocation(r.Convocation), r.Present, generalassembly.State(r.State), r.StateReason
		a.OpenTime, a.Demo = r.OpenTime, r.Demo
	})

type itemRecordV1 struct {
	Position         int             `json:"position"`
	Title            store.TextV1    `json:"title"`
	Kind             string          `json:"kind"`
	Agreement        string          `json:"agreement,omitempty"`
	State            string          `json:"state"`
	Roll             []string        `json:"roll,omitempty"`
	Voters           []string        `json:"voters,omitempty"`
	President        string          `json:"president,omitempty"`
	AbstentionsCount bool            `json:"abstentions_count"`
	Votes            map[string]int  `json:"votes,omitempty"`
	Result           *store.ResultV1 `json:"result,omitempty"`
	Resolution       store.TextV1    `json:"resolution"`
}

// itemRecord reads versions 0 and 1 and writes version 1.
var itemRecord = store.RecordV1("agenda item",
	func(it *generalassembly.Item) itemRecordV1 {
		return itemRecordV1{Position: it.Position, Title: store.TextV1(it.Title), Kind: string(it.Kind), Agreement: it.Agreement, State: string(it.State),
			Roll: it.Roll, Voters: it.Voters, President: it.President, AbstentionsCount: it.AbstentionsCount, Resolution: store.TextV1(it.Resolution),
			Votes: store.VotesRecord(it.Votes), Result: store.ResultRecord(it.Result)}
	},
	func(r itemRecordV1, it *generalassembly.Item) {
		it.Position, it.Title, it.Kind, it.Agreement, it.State = r.Position, l10n.Text(r.Title), generalassembly.ItemKind(r.Kind), r.Agreement, generalassembly.ItemState(r.State)
		it.Roll, it.Voters, it.President, it.AbstentionsCount, it.Resolution = r.Roll, r.Voters, r.President, r.AbstentionsCount, l10n.Text(r.Resolution)
		it.Votes, it.Result = store.Votes(r.Votes), r.Result.Result()
	})

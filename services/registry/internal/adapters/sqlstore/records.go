package sqlstore

import (
	"time"

	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/registry/internal/domain/activity"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/association"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
	"github.com/hirfa/hirfa/services/registry/internal/domain/enterprise"
	"github.com/hirfa/hirfa/services/registry/internal/domain/namerequest"
)

// The records below are what the data column of an artisan, an enterprise,
// an association, a cooperative, a name request and an activity holds since version 1: the stored shape, written out field by field
// apart from the domain structs so that renaming or retyping a domain field
// is a compile error here, never a silent change of what is stored. Version
// 1 keeps the keys version 0 (the domain struct's own JSON) had, so no row
// needs rewriting; a later change of shape is version 2 (see store.Record).

type enterpriseRecordV1 struct {
	DisplayName        store.TextV1    `json:"display_name"`
	ICE                string          `json:"ice,omitempty"`
	RC                 string          `json:"rc,omitempty"`
	Activity           string          `json:"activity,omitempty"`
	Province           string          `json:"province,omitempty"`
	SupervisingArtisan string          `json:"supervising_artisan,omitempty"`
	Contact            store.ContactV1 `json:"contact"`
	State              string          `json:"state"`
	StateReason        string          `json:"state_reason,omitempty"`
	Demo               bool            `json:"demo,omitempty"`
}

// enterpriseRecord reads versions 0 and 1 and writes version 1.
var enterpriseRecord = store.RecordV1("enterprise",
	func(e *enterprise.Enterprise) enterpriseRecordV1 {
		return enterpriseRecordV1{DisplayName: store.TextV1(e.DisplayName), ICE: e.ICE, RC: e.RC, Activity: e.Activity,
			Province: e.Province, SupervisingArtisan: e.SupervisingArtisan, Contact: store.ContactV1(e.Contact),
			State: string(e.State), StateReason: e.StateReason, Demo: e.Demo}
	},
	func(r enterpriseRecordV1, e *enterprise.Enterprise) {
		e.DisplayName, e.ICE, e.RC, e.Activity, e.Province = l10n.Text(r.DisplayName), r.ICE, r.RC, r.Activity, r.Province
		e.SupervisingArtisan, e.Contact, e.State, e.StateReason, e.Demo = r.SupervisingArtisan, l10n.Contact(r.Contact), enterprise.State(r.State), r.StateReason, r.Demo
	})

type receiptRecordV1 struct {
	Number          string `json:"number,omitempty"`
	ProvisionalDate string `json:"provisional_date,omitempty"`
	DefinitiveDate  string `json:"definitive_date,omitempty"`
}

type associationRecordV1 struct {
	DisplayName             store.TextV1    `json:"display_name"`
	Object                  string          `json:"object,omitempty"`
	Province                string          `json:"province,omitempty"`
	Receipt                 receiptRecordV1 `json:"receipt"`
	President               string          `json:"president,omitempty"`
	LastGeneralAssemblyDate string          `json:"last_general_assembly_date,omitempty"`
	Category                string          `json:"category,omitempty"`
	Contact                 store.ContactV1 `json:"contact"`
	State                   string          `json:"state"`
	StateReason             string          `json:"state_reason,omitempty"`
	BureauRenewalDate       string          `json:"bureau_renewal_date,omitempty"`
	StateActor              string          `json:"state_actor,omitempty"`
	Demo                    bool            `json:"demo,omitempty"`
}

// associationRecord reads versions 0 and 1 and writes version 1.
var associationRecord = store.RecordV1("association",
	func(a *association.Association) associationRecordV1 {
		return associationRecordV1{DisplayName: store.TextV1(a.DisplayName), Object: a.Object, Province: a.Province,
			Receipt:   receiptRecordV1{Number: a.Receipt.Number, ProvisionalDate: string(a.Receipt.ProvisionalDate), DefinitiveDate: string(a.Receipt.DefinitiveDate)},
			President: a.President, LastGeneralAssemblyDate: string(a.LastGeneralAssemblyDate), Category: string(a.Category),
			Contact: store.ContactV1(a.Contact), State: string(a.State), StateReason: a.StateReason,
			BureauRenewalDate: string(a.BureauRenewalDate), StateActor: a.StateActor, Demo: a.Demo}
	},
	func(r associationRecordV1, a *association.Association) {
		a.DisplayName, a.Object, a.Province, a.President = l10n.Text(r.DisplayName), r.Object, r.Province, r.President
		a.Receipt = association.Receipt{Number: r.Receipt.Number, ProvisionalDate: resource.Date(r.Receipt.ProvisionalDate), DefinitiveDate: resource.Date(r.Receipt.DefinitiveDate)}
		a.LastGeneralAssemblyDate, a.Category, a.Contact = resource.Date(r.LastGeneralAssemblyDate), association.Category(r.Category), l10n.Contact(r.Contact)
		a.State, a.StateReason, a.Demo = association.State(r.State), r.StateReason, r.Demo
		a.BureauRenewalDate, a.StateActor = resource.Date(r.BureauRenewalDate), r.StateActor
	})

type cooperativeRecordV1 struct {
	DisplayName              store.TextV1    `json:"display_name"`
	Activity                 string          `json:"activity,omitempty"`
	Province                 string          `json:"province,omitempty"`
	FoundingDate             string          `json:"founding_date,omitempty"`
	CapitalCentimes          int64           `json:"capital_centimes"`
	ShareValueCentimes       int64           `json:"share_value_centimes"`
	MembersWomen             int             `json:"members_women"`
	MembersMen               int             `json:"members_men"`
	ODCOCertificateReference string          `json:"odco_certificate_reference,omitempty"`
	NameCertificate          string          `json:"name_certificate,omitempty"`
	LocalRegisterNumber      string          `json:"local_register_number,omitempty"`
	UnionName                string          `json:"union_name,omitempty"`
	Contact                  store.ContactV1 `json:"contact"`
	State                    string          `json:"state"`
	StateReason              string          `json:"state_reason,omitempty"`
	Demo                     bool            `json:"demo,omitempty"`
}

// cooperativeRecord reads versions 0 and 1 and writes version 1.
var cooperativeRecord = store.RecordV1("cooperative",
	func(c *cooperative.Cooperative) cooperativeRecordV1 {
		return cooperativeRecordV1{DisplayName: store.TextV1(c.DisplayName), Activity: c.Activity, Province: c.Province,
			FoundingDate: string(c.FoundingDate), CapitalCentimes: c.CapitalCentimes, ShareValueCentimes: c.ShareValueCentimes,
			MembersWomen: c.MembersWomen, MembersMen: c.MembersMen, ODCOCertificateReference: c.ODCOCertificateReference,
			NameCertificate: c.NameCertificate, LocalRegisterNumber: c.LocalRegisterNumber, UnionName: c.UnionName,
			Contact: store.ContactV1(c.Contact), State: string(c.State), StateReason: c.StateReason, Demo: c.Demo}
	},
	func(r cooperativeRecordV1, c *cooperative.Cooperative) {
		c.DisplayName, c.Activity, c.Province, c.FoundingDate = l10n.Text(r.DisplayName), r.Activity, r.Province, resource.Date(r.FoundingDate)
		c.CapitalCentimes, c.ShareValueCentimes, c.MembersWomen, c.MembersMen = r.CapitalCentimes, r.ShareValueCentimes, r.MembersWomen, r.MembersMen
		c.ODCOCertificateReference, c.NameCertificate, c.LocalRegisterNumber, c.UnionName = r.ODCOCertificateReference, r.NameCertificate, r.LocalRegisterNumber, r.UnionName
		c.Contact, c.State, c.StateReason, c.Demo = l10n.Contact(r.Contact), cooperative.State(r.State), r.StateReason, r.Demo
	})

type proposalRecordV1 struct {
	AR string `json:"ar,omitempty"`
	FR string `json:"fr,omitempty"`
}

type nameRequestRecordV1 struct {
	Names        []proposalRecordV1 `json:"names"`
	Founder      string             `json:"founder"`
	State        string             `json:"state"`
	DueTime      time.Time          `json:"due_time"`
	ApprovedName int                `json:"approved_name,omitempty"`
	Certificate  string             `json:"certificate,omitempty"`
	ExpiryDate   string             `json:"expiry_date,omitempty"`
	DecideTime   time.Time          `json:"decide_time,omitzero"`
	Decider      string             `json:"decider,omitempty"`
	RejectReason string             `json:"reject_reason,omitempty"`
	Cooperative  string             `json:"cooperative,omitempty"`
	Demo         bool               `json:"demo,omitempty"`
}

// nameRequestRecord reads versions 0 and 1 and writes version 1.
var nameRequestRecord = store.RecordV1("name request",
	func(q *namerequest.Request) nameRequestRecordV1 {
		return nameRequestRecordV1{
			Names:   store.MapSlice(q.Names, func(p namerequest.Proposal) proposalRecordV1 { return proposalRecordV1(p) }),
			Founder: q.Founder, State: string(q.State), DueTime: q.DueTime, ApprovedName: q.ApprovedName, Certificate: q.Certificate,
			ExpiryDate: string(q.ExpiryDate), DecideTime: q.DecideTime, Decider: q.Decider, RejectReason: q.RejectReason,
			Cooperative: q.Cooperative, Demo: q.Demo}
	},
	func(r nameRequestRecordV1, q *namerequest.Request) {
		q.Names = store.MapSlice(r.Names, func(p proposalRecordV1) namerequest.Proposal { return namerequest.Proposal(p) })
		q.Founder, q.State, q.DueTime, q.ApprovedName, q.Certificate = r.Founder, namerequest.State(r.State), r.DueTime, r.ApprovedName, r.Certificate
		q.ExpiryDate, q.DecideTime, q.Decider, q.RejectReason = resource.Date(r.ExpiryDate), r.DecideTime, r.Decider, r.RejectReason
		q.Cooperative, q.Demo = r.Cooperative, r.Demo
	})

type groupRecordV1 struct {
	Code string       `json:"code"`
	Name store.TextV1 `json:"name"`
}

type activityRecordV1 struct {
	Name    store.TextV1  `json:"name"`
	Family  groupRecordV1 `json:"family"`
	Branch  groupRecordV1 `json:"branch"`
	Sample  bool          `json:"sample,omitempty"`
	Retired bool          `json:"retired,omitempty"`
}

// activityRecord reads versions 0 and 1 and writes version 1.
var activityRecord = store.RecordV1("activity",
	func(a *activity.Activity) activityRecordV1 {
		return activityRecordV1{Name: store.TextV1(a.Name), Family: groupRecordV1{Code: a.Family.Code, Name: store.TextV1(a.Family.Name)},
			Branch: groupRecordV1{Code: a.Branch.Code, Name: store.TextV1(a.Branch.Name)}, Sample: a.Sample, Retired: a.Retired}
	},
	func(r activityRecordV1, a *activity.Activity) {
		a.Name, a.Sample, a.Retired = l10n.Text(r.Name), r.Sample, r.Retired
		a.Family = activity.Group{Code: r.Family.Code, Name: l10n.Text(r.Family.Name)}
		a.Branch = activity.Group{Code: r.Branch.Code, Name: l10n.Text(r.Branch.Name)}
	})

type mergeNoteRecordV1 struct {
	Name   string    `json:"name"`
	Time   time.Time `json:"time"`
	Actor  string    `json:"actor"`
	Role   string    `json:"role,omitempty"`
	Reason string    `json:"reason"`
	Taken  []string  `json:"taken,omitempty"`
	NIA    string    `json:"nia,omitempty"`
}

type artisanRecordV1 struct {
	GivenNameAR              string              `json:"given_name_ar,omitempty"`
	FamilyNameAR             string              `json:"family_name_ar,omitempty"`
	GivenNameLatin           string              `json:"given_name_latin,omitempty"`
	FamilyNameLatin          string              `json:"family_name_latin,omitempty"`
	CNIE                     string              `json:"cnie,omitempty"`
	Gender                   string              `json:"gender,omitempty"`
	BirthDate                string              `json:"birth_date,omitempty"`
	Province                 string              `json:"province,omitempty"`
	Activity                 string              `json:"activity,omitempty"`
	Category                 string              `json:"category,omitempty"`
	DiplomaReference         string              `json:"diploma_reference,omitempty"`
	YearsOfPractice          int                 `json:"years_of_practice,omitempty"`
	AminCertificateReference string              `json:"amin_certificate_reference,omitempty"`
	Contact                  store.ContactV1     `json:"contact"`
	State                    string              `json:"state"`
	StateReason              string              `json:"state_reason,omitempty"`
	NIA                      string              `json:"nia,omitempty"`
	RegisterTime             *time.Time          `json:"register_time,omitempty"`
	Successor                string              `json:"successor,omitempty"`
	MergedFrom               []mergeNoteRecordV1 `json:"merged_from,omitempty"`
	Demo                     bool                `json:"demo,omitempty"`
}

// artisanRecord reads versions 0 and 1 and writes version 1. The bulk
// import writes its rows through the same Encode (store.Table.CopyMany), so
// an imported record is stored exactly as one created alone.
var artisanRecord = store.RecordV1("artisan",
	func(a *artisan.Artisan) artisanRecordV1 {
		r := artisanRecordV1{GivenNameAR: a.GivenNameAR, FamilyNameAR: a.FamilyNameAR, GivenNameLatin: a.GivenNameLatin,
			FamilyNameLatin: a.FamilyNameLatin, CNIE: a.CNIE, Gender: string(a.Gender), BirthDate: string(a.BirthDate),
			Province: a.Province, Activity: a.Activity, Category: string(a.Category), DiplomaReference: a.DiplomaReference,
			YearsOfPractice: a.YearsOfPractice, AminCertificateReference: a.AminCertificateReference, Contact: store.ContactV1(a.Contact),
			State: string(a.State), StateReason: a.StateReason, NIA: a.NIA, RegisterTime: a.RegisterTime,
			Successor: a.Successor, Demo: a.Demo}
		for _, n := range a.MergedFrom {
			r.MergedFrom = append(r.MergedFrom, mergeNoteRecordV1{Name: n.Name, Time: n.Time, Actor: n.Actor, Role: n.Role,
				Reason: n.Reason, Taken: n.Taken, NIA: n.NIA})
		}
		return r
	},
	func(r artisanRecordV1, a *artisan.Artisan) {
		a.GivenNameAR, a.FamilyNameAR, a.GivenNameLatin, a.FamilyNameLatin = r.GivenNameAR, r.FamilyNameAR, r.GivenNameLatin, r.FamilyNameLatin
		a.CNIE, a.Gender, a.BirthDate, a.Province = r.CNIE, artisan.Gender(r.Gender), resource.Date(r.BirthDate), r.Province
		a.Activity, a.Category, a.DiplomaReference = r.Activity, artisan.Category(r.Category), r.DiplomaReference
		a.YearsOfPractice, a.AminCertificateReference, a.Contact = r.YearsOfPractice, r.AminCertificateReference, l10n.Contact(r.Contact)
		a.State, a.StateReason, a.NIA, a.RegisterTime = artisan.State(r.State), r.StateReason, r.NIA, r.RegisterTime
		a.Successor, a.Demo, a.MergedFrom = r.Successor, r.Demo, nil
		for _, n := range r.MergedFrom {
			a.MergedFrom = append(a.MergedFrom, artisan.MergeNote{Name: n.Name, Time: n.Time, Actor: n.Actor, Role: n.Role,
				Reason: n.Reason, Taken: n.Taken, NIA: n.NIA})
		}
	})

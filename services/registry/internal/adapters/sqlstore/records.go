package sqlstore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/association"
	"github.com/hirfa/hirfa/services/registry/internal/domain/enterprise"
)

// The records below are what an artisan's, an enterprise's and an association's data
// column holds since version 1: the stored shape, written out field by field
// apart from the domain structs so that renaming or retyping a domain field
// is a compile error here, never a silent change of what is stored. Version
// 1 keeps the keys version 0 (the domain struct's own JSON) had, so no row
// needs rewriting; a later change of shape is version 2 (see store.Record).

type textRecordV1 struct {
	AR string `json:"ar,omitempty"`
	FR string `json:"fr,omitempty"`
	EN string `json:"en,omitempty"`
}

func textV1(t l10n.Text) textRecordV1  { return textRecordV1{AR: t.AR, FR: t.FR, EN: t.EN} }
func (r textRecordV1) text() l10n.Text { return l10n.Text{AR: r.AR, FR: r.FR, EN: r.EN} }

type contactRecordV1 struct {
	Phone   string `json:"phone,omitempty"`
	Email   string `json:"email,omitempty"`
	Address string `json:"address,omitempty"`
}

func contactV1(c l10n.Contact) contactRecordV1 {
	return contactRecordV1{Phone: c.Phone, Email: c.Email, Address: c.Address}
}
func (r contactRecordV1) contact() l10n.Contact {
	return l10n.Contact{Phone: r.Phone, Email: r.Email, Address: r.Address}
}

type enterpriseRecordV1 struct {
	DisplayName        textRecordV1    `json:"display_name"`
	ICE                string          `json:"ice,omitempty"`
	RC                 string          `json:"rc,omitempty"`
	Activity           string          `json:"activity,omitempty"`
	Province           string          `json:"province,omitempty"`
	SupervisingArtisan string          `json:"supervising_artisan,omitempty"`
	Contact            contactRecordV1 `json:"contact"`
	State              string          `json:"state"`
	StateReason        string          `json:"state_reason,omitempty"`
	Demo               bool            `json:"demo,omitempty"`
}

// enterpriseRecord reads versions 0 and 1 and writes version 1.
var enterpriseRecord = &store.Record[*enterprise.Enterprise]{
	Version: 1,
	Encode: func(e *enterprise.Enterprise) ([]byte, error) {
		return json.Marshal(enterpriseRecordV1{DisplayName: textV1(e.DisplayName), ICE: e.ICE, RC: e.RC, Activity: e.Activity,
			Province: e.Province, SupervisingArtisan: e.SupervisingArtisan, Contact: contactV1(e.Contact),
			State: string(e.State), StateReason: e.StateReason, Demo: e.Demo})
	},
	Decode: func(version int64, data []byte, e *enterprise.Enterprise) error {
		switch version {
		case 0:
			return json.Unmarshal(data, e)
		case 1:
			var r enterpriseRecordV1
			if err := json.Unmarshal(data, &r); err != nil {
				return err
			}
			e.DisplayName, e.ICE, e.RC, e.Activity, e.Province = r.DisplayName.text(), r.ICE, r.RC, r.Activity, r.Province
			e.SupervisingArtisan, e.Contact, e.State, e.StateReason, e.Demo = r.SupervisingArtisan, r.Contact.contact(), enterprise.State(r.State), r.StateReason, r.Demo
			return nil
		}
		return fmt.Errorf("unknown enterprise record version %d", version)
	},
}

type receiptRecordV1 struct {
	Number          string `json:"number,omitempty"`
	ProvisionalDate string `json:"provisional_date,omitempty"`
	DefinitiveDate  string `json:"definitive_date,omitempty"`
}

type associationRecordV1 struct {
	DisplayName             textRecordV1    `json:"display_name"`
	Object                  string          `json:"object,omitempty"`
	Province                string          `json:"province,omitempty"`
	Receipt                 receiptRecordV1 `json:"receipt"`
	President               string          `json:"president,omitempty"`
	LastGeneralAssemblyDate string          `json:"last_general_assembly_date,omitempty"`
	Category                string          `json:"category,omitempty"`
	Contact                 contactRecordV1 `json:"contact"`
	State                   string          `json:"state"`
	StateReason             string          `json:"state_reason,omitempty"`
	BureauRenewalDate       string          `json:"bureau_renewal_date,omitempty"`
	StateActor              string          `json:"state_actor,omitempty"`
	Demo                    bool            `json:"demo,omitempty"`
}

// associationRecord reads versions 0 and 1 and writes version 1.
var associationRecord = &store.Record[*association.Association]{
	Version: 1,
	Encode: func(a *association.Association) ([]byte, error) {
		return json.Marshal(associationRecordV1{DisplayName: textV1(a.DisplayName), Object: a.Object, Province: a.Province,
			Receipt:   receiptRecordV1{Number: a.Receipt.Number, ProvisionalDate: string(a.Receipt.ProvisionalDate), DefinitiveDate: string(a.Receipt.DefinitiveDate)},
			President: a.President, LastGeneralAssemblyDate: string(a.LastGeneralAssemblyDate), Category: string(a.Category),
			Contact: contactV1(a.Contact), State: string(a.State), StateReason: a.StateReason,
			BureauRenewalDate: string(a.BureauRenewalDate), StateActor: a.StateActor, Demo: a.Demo})
	},
	Decode: func(version int64, data []byte, a *association.Association) error {
		switch version {
		case 0:
			return json.Unmarshal(data, a)
		case 1:
			var r associationRecordV1
			if err := json.Unmarshal(data, &r); err != nil {
				return err
			}
			a.DisplayName, a.Object, a.Province, a.President = r.DisplayName.text(), r.Object, r.Province, r.President
			a.Receipt = association.Receipt{Number: r.Receipt.Number, ProvisionalDate: resource.Date(r.Receipt.ProvisionalDate), DefinitiveDate: resource.Date(r.Receipt.DefinitiveDate)}
			a.LastGeneralAssemblyDate, a.Category, a.Contact = resource.Date(r.LastGeneralAssemblyDate), association.Category(r.Category), r.Contact.contact()
			a.State, a.StateReason, a.Demo = association.State(r.State), r.StateReason, r.Demo
			a.BureauRenewalDate, a.StateActor = resource.Date(r.BureauRenewalDate), r.StateActor
			return nil
		}
		return fmt.Errorf("unknown association record version %d", version)
	},
}

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
	Contact                  contactRecordV1     `json:"contact"`
	State                    string              `json:"state"`
	StateReason              string              `json:"state_reason,omitempty"`
	NIA                      string              `json:"nia,omitempty"`
	RegisterTime             *time.Time          `json:"register_time,omitempty"`
	Successor                string              `json:"successor,omitempty"`
	MergedFrom               []mergeNoteRecordV1 `json:"merged_from,omitempty"`
	Demo                     bool                `json:"demo,omitempty"`
}

func artisanV1(a *artisan.Artisan) artisanRecordV1 {
	r := artisanRecordV1{GivenNameAR: a.GivenNameAR, FamilyNameAR: a.FamilyNameAR, GivenNameLatin: a.GivenNameLatin,
		FamilyNameLatin: a.FamilyNameLatin, CNIE: a.CNIE, Gender: string(a.Gender), BirthDate: string(a.BirthDate),
		Province: a.Province, Activity: a.Activity, Category: string(a.Category), DiplomaReference: a.DiplomaReference,
		YearsOfPractice: a.YearsOfPractice, AminCertificateReference: a.AminCertificateReference, Contact: contactV1(a.Contact),
		State: string(a.State), StateReason: a.StateReason, NIA: a.NIA, RegisterTime: a.RegisterTime,
		Successor: a.Successor, Demo: a.Demo}
	for _, n := range a.MergedFrom {
		r.MergedFrom = append(r.MergedFrom, mergeNoteRecordV1{Name: n.Name, Time: n.Time, Actor: n.Actor, Role: n.Role,
			Reason: n.Reason, Taken: n.Taken, NIA: n.NIA})
	}
	return r
}

func (r *artisanRecordV1) artisan(a *artisan.Artisan) {
	a.GivenNameAR, a.FamilyNameAR, a.GivenNameLatin, a.FamilyNameLatin = r.GivenNameAR, r.FamilyNameAR, r.GivenNameLatin, r.FamilyNameLatin
	a.CNIE, a.Gender, a.BirthDate, a.Province = r.CNIE, artisan.Gender(r.Gender), resource.Date(r.BirthDate), r.Province
	a.Activity, a.Category, a.DiplomaReference = r.Activity, artisan.Category(r.Category), r.DiplomaReference
	a.YearsOfPractice, a.AminCertificateReference, a.Contact = r.YearsOfPractice, r.AminCertificateReference, r.Contact.contact()
	a.State, a.StateReason, a.NIA, a.RegisterTime = artisan.State(r.State), r.StateReason, r.NIA, r.RegisterTime
	a.Successor, a.Demo, a.MergedFrom = r.Successor, r.Demo, nil
	for _, n := range r.MergedFrom {
		a.MergedFrom = append(a.MergedFrom, artisan.MergeNote{Name: n.Name, Time: n.Time, Actor: n.Actor, Role: n.Role,
			Reason: n.Reason, Taken: n.Taken, NIA: n.NIA})
	}
}

// artisanRecord reads versions 0 and 1 and writes version 1. The bulk
// import writes its rows through the same Encode (store.Table.CopyMany), so
// an imported record is stored exactly as one created alone.
var artisanRecord = &store.Record[*artisan.Artisan]{
	Version: 1,
	Encode:  func(a *artisan.Artisan) ([]byte, error) { return json.Marshal(artisanV1(a)) },
	Decode: func(version int64, data []byte, a *artisan.Artisan) error {
		switch version {
		case 0:
			return json.Unmarshal(data, a)
		case 1:
			var r artisanRecordV1
			if err := json.Unmarshal(data, &r); err != nil {
				return err
			}
			r.artisan(a)
			return nil
		}
		return fmt.Errorf("unknown artisan record version %d", version)
	},
}

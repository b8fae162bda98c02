package grpcport

import (
	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/protomap"
	"github.com/hirfa/hirfa/pkg/resource"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/registry/internal/domain/activity"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/association"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
	"github.com/hirfa/hirfa/services/registry/internal/domain/enterprise"
)

func artisanPB(a *artisan.Artisan, maskCNIE bool) *registryv1.Artisan {
	cnie := a.CNIE
	if maskCNIE {
		cnie = l10n.Mask(cnie)
	}
	out := &registryv1.Artisan{
		Name:                     a.Name(),
		GivenNameAr:              a.GivenNameAR,
		FamilyNameAr:             a.FamilyNameAR,
		GivenNameLatin:           a.GivenNameLatin,
		FamilyNameLatin:          a.FamilyNameLatin,
		Cnie:                     cnie,
		Gender:                   registryv1.Artisan_Gender(registryv1.Artisan_Gender_value[string(a.Gender)]),
		BirthDate:                string(a.BirthDate),
		Province:                 a.Province,
		Activity:                 a.Activity,
		Category:                 registryv1.Artisan_Category(registryv1.Artisan_Category_value[string(a.Category)]),
		DiplomaReference:         a.DiplomaReference,
		YearsOfPractice:          int32(a.YearsOfPractice),
		AminCertificateReference: a.AminCertificateReference,
		Contact:                  protomap.Contact(a.Contact),
		State:                    registryv1.Artisan_State(registryv1.Artisan_State_value[string(a.State)]),
		StateReason:              a.StateReason,
		Nia:                      a.NIA,
		CreateTime:               protomap.Timestamp(a.CreateTime),
		UpdateTime:               protomap.Timestamp(a.UpdateTime),
		Etag:                     a.Etag(),
		Demo:                     a.Demo,
	}
	if a.RegisterTime != nil {
		out.RegisterTime = protomap.Timestamp(*a.RegisterTime)
	}
	out.Successor = a.Successor
	for _, m := range a.MergedFrom {
		out.MergedFrom = append(out.MergedFrom, &registryv1.ArtisanMerge{Name: m.Name, MergeTime: protomap.Timestamp(m.Time),
			Actor: m.Actor, Role: m.Role, Reason: m.Reason, TakenFields: m.Taken, Nia: m.NIA})
	}
	return out
}

// artisanFields copies the client-writable fields of p onto a.
func artisanFields(a *artisan.Artisan, p *registryv1.Artisan) {
	a.GivenNameAR, a.FamilyNameAR = p.GetGivenNameAr(), p.GetFamilyNameAr()
	a.GivenNameLatin, a.FamilyNameLatin = p.GetGivenNameLatin(), p.GetFamilyNameLatin()
	a.CNIE = p.GetCnie()
	a.Gender = artisan.Gender(protomap.EnumName(p.GetGender().String()))
	a.BirthDate = resource.Date(p.GetBirthDate())
	a.Province, a.Activity = p.GetProvince(), p.GetActivity()
	a.Category = artisan.Category(protomap.EnumName(p.GetCategory().String()))
	a.DiplomaReference = p.GetDiplomaReference()
	a.YearsOfPractice = int(p.GetYearsOfPractice())
	a.AminCertificateReference = p.GetAminCertificateReference()
	a.Contact = protomap.ContactOf(p.GetContact())
}

var artisanUpdatable = []string{"given_name_ar", "family_name_ar", "given_name_latin", "family_name_latin", "cnie", "gender",
	"birth_date", "province", "activity", "category", "diploma_reference", "years_of_practice", "amin_certificate_reference", "contact"}

func cooperativePB(c *cooperative.Cooperative) *registryv1.Cooperative {
	return &registryv1.Cooperative{
		Name:                     c.Name(),
		DisplayName:              protomap.Text(c.DisplayName),
		Activity:                 c.Activity,
		Province:                 c.Province,
		FoundingDate:             string(c.FoundingDate),
		CapitalCentimes:          c.CapitalCentimes,
		ShareValueCentimes:       c.ShareValueCentimes,
		MembersWomen:             int32(c.MembersWomen),
		MembersMen:               int32(c.MembersMen),
		OdcoCertificateReference: c.ODCOCertificateReference,
		LocalRegisterNumber:      c.LocalRegisterNumber,
		UnionName:                c.UnionName,
		Contact:                  protomap.Contact(c.Contact),
		State:                    registryv1.Cooperative_State(registryv1.Cooperative_State_value[string(c.State)]),
		StateReason:              c.StateReason,
		CreateTime:               protomap.Timestamp(c.CreateTime),
		UpdateTime:               protomap.Timestamp(c.UpdateTime),
		Etag:                     c.Etag(),
		Demo:                     c.Demo,
		NameCertificate:          c.NameCertificate,
	}
}

func cooperativeFields(c *cooperative.Cooperative, p *registryv1.Cooperative) {
	c.DisplayName = protomap.Localized(p.GetDisplayName())
	c.Activity, c.Province = p.GetActivity(), p.GetProvince()
	c.FoundingDate = resource.Date(p.GetFoundingDate())
	c.CapitalCentimes, c.ShareValueCentimes = p.GetCapitalCentimes(), p.GetShareValueCentimes()
	c.MembersWomen, c.MembersMen = int(p.GetMembersWomen()), int(p.GetMembersMen())
	c.LocalRegisterNumber = p.GetLocalRegisterNumber()
	c.UnionName = p.GetUnionName()
	c.Contact = protomap.ContactOf(p.GetContact())
}

var cooperativeUpdatable = []string{"display_name", "activity", "province", "founding_date", "capital_centimes", "share_value_centimes",
	"members_women", "members_men", "local_register_number", "union_name", "contact"}

func associationPB(a *association.Association) *registryv1.Association {
	return &registryv1.Association{
		Name:        a.Name(),
		DisplayName: protomap.Text(a.DisplayName),
		Object:      a.Object,
		Province:    a.Province,
		Receipt: &registryv1.Association_Receipt{
			Number: a.Receipt.Number, ProvisionalDate: string(a.Receipt.ProvisionalDate), DefinitiveDate: string(a.Receipt.DefinitiveDate),
		},
		President:                a.President,
		LastGeneralAssemblyDate:  string(a.LastGeneralAssemblyDate),
		Category:                 registryv1.Association_Category(registryv1.Association_Category_value[string(a.Category)]),
		Contact:                  protomap.Contact(a.Contact),
		State:                    registryv1.Association_State(registryv1.Association_State_value[string(a.State)]),
		StateReason:              a.StateReason,
		CreateTime:               protomap.Timestamp(a.CreateTime),
		UpdateTime:               protomap.Timestamp(a.UpdateTime),
		Etag:                     a.Etag(),
		Demo:                     a.Demo,
		BureauRenewalDate:        string(a.BureauRenewalDate),
		StateActor:               a.StateActor,
		DefinitiveReceiptDueDate: string(a.DefinitiveReceiptDue()),
	}
}

func associationFields(a *association.Association, p *registryv1.Association) {
	a.DisplayName = protomap.Localized(p.GetDisplayName())
	a.Object, a.Province = p.GetObject(), p.GetProvince()
	a.Receipt = association.Receipt{
		Number:          p.GetReceipt().GetNumber(),
		ProvisionalDate: resource.Date(p.GetReceipt().GetProvisionalDate()),
		DefinitiveDate:  resource.Date(p.GetReceipt().GetDefinitiveDate()),
	}
	a.President = p.GetPresident()
	a.LastGeneralAssemblyDate = resource.Date(p.GetLastGeneralAssemblyDate())
	a.BureauRenewalDate = resource.Date(p.GetBureauRenewalDate())
	a.Category = association.Category(protomap.EnumName(p.GetCategory().String()))
	a.Contact = protomap.ContactOf(p.GetContact())
}

var associationUpdatable = []string{"display_name", "object", "province", "receipt", "president", "last_general_assembly_date", "bureau_renewal_date", "category", "contact"}

func enterprisePB(e *enterprise.Enterprise) *registryv1.Enterprise {
	return &registryv1.Enterprise{
		Name:               e.Name(),
		DisplayName:        protomap.Text(e.DisplayName),
		Ice:                e.ICE,
		Rc:                 e.RC,
		Activity:           e.Activity,
		Province:           e.Province,
		SupervisingArtisan: e.SupervisingArtisan,
		Contact:            protomap.Contact(e.Contact),
		State:              registryv1.Enterprise_State(registryv1.Enterprise_State_value[string(e.State)]),
		StateReason:        e.StateReason,
		CreateTime:         protomap.Timestamp(e.CreateTime),
		UpdateTime:         protomap.Timestamp(e.UpdateTime),
		Etag:               e.Etag(),
		Demo:               e.Demo,
	}
}

func enterpriseFields(e *enterprise.Enterprise, p *registryv1.Enterprise) {
	e.DisplayName = protomap.Localized(p.GetDisplayName())
	e.ICE, e.RC = p.GetIce(), p.GetRc()
	e.Activity, e.Province = p.GetActivity(), p.GetProvince()
	e.SupervisingArtisan = p.GetSupervisingArtisan()
	e.Contact = protomap.ContactOf(p.GetContact())
}

var enterpriseUpdatable = []string{"display_name", "ice", "rc", "activity", "province", "supervising_artisan", "contact"}

func activityPB(a *activity.Activity) *registryv1.Activity {
	return &registryv1.Activity{
		Name:        "activities/" + a.ID,
		Code:        a.ID,
		DisplayName: protomap.Text(a.Name),
		Family:      &registryv1.ActivityGroup{Code: a.Family.Code, DisplayName: protomap.Text(a.Family.Name)},
		Branch:      &registryv1.ActivityGroup{Code: a.Branch.Code, DisplayName: protomap.Text(a.Branch.Name)},
		Sample:      a.Sample,
		Retired:     a.Retired,
		UpdateTime:  protomap.Timestamp(a.UpdateTime),
		Etag:        a.Etag(),
	}
}

func activityFields(a *activity.Activity, p *registryv1.Activity) {
	a.Name = protomap.Localized(p.GetDisplayName())
	a.Family = activity.Group{Code: p.GetFamily().GetCode(), Name: protomap.Localized(p.GetFamily().GetDisplayName())}
	a.Branch = activity.Group{Code: p.GetBranch().GetCode(), Name: protomap.Localized(p.GetBranch().GetDisplayName())}
	a.Retired = p.GetRetired()
}

var activityUpdatable = []string{"display_name", "family", "branch", "retired"}

// The outbox events carry each record as its public protobuf message. National
// ID numbers are masked: events feed statistics, which never need them.

// ArtisanEvent is an artisan's outbox message, its CNIE masked.
func ArtisanEvent(a *artisan.Artisan) proto.Message { return artisanPB(a, true) }

// CooperativeEvent is a cooperative's outbox message.
func CooperativeEvent(c *cooperative.Cooperative) proto.Message { return cooperativePB(c) }

// AssociationEvent is an association's outbox message.
func AssociationEvent(a *association.Association) proto.Message { return associationPB(a) }

// EnterpriseEvent is an enterprise's outbox message.
func EnterpriseEvent(e *enterprise.Enterprise) proto.Message { return enterprisePB(e) }

// ActivityEvent is a nomenclature activity's outbox message.
func ActivityEvent(a *activity.Activity) proto.Message { return activityPB(a) }

package bulkimport

import (
	"strconv"
	"strings"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/textnorm"
	"github.com/hirfa/hirfa/services/registry/internal/domain/association"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
	"github.com/hirfa/hirfa/services/registry/internal/domain/enterprise"
)

// The registers of organisations a chamber keeps beside its artisans. Their
// files are small (hundreds of rows), so they take the row path.
const (
	Cooperatives = "cooperatives"
	Associations = "associations"
	Enterprises  = "enterprises"
)

// RuleAmount: a cell that is not a sum of MAD.
const RuleAmount = "amount"

// Kinds lists every kind an import takes, for messages.
const Kinds = Artisans + ", " + Cooperatives + ", " + Associations + " or " + Enterprises

// Headers shared by the three organisation registers.
var (
	nameARColumn   = Column{"display_name_ar", false, []string{"الاسم بالعربية", "التسمية", "التسمية بالعربية", "الاسم", "nom arabe", "dénomination (ar)", "display_name_ar"}}
	nameFRColumn   = Column{"display_name_fr", false, []string{"nom", "dénomination", "raison sociale", "الاسم بالفرنسية", "التسمية بالفرنسية", "display_name_fr"}}
	provinceColumn = Column{"province", true, []string{"province", "préfecture ou province", "الإقليم", "العمالة أو الإقليم", "province_code"}}
	activityColumn = Column{"activity", true, []string{"activité", "code activité", "النشاط", "رمز النشاط", "activity"}}
	phoneColumn    = Column{"phone", false, []string{"téléphone", "tél", "الهاتف", "phone"}}
	emailColumn    = Column{"email", false, []string{"e-mail", "courriel", "email", "البريد الإلكتروني"}}
	addressColumn  = Column{"address", false, []string{"adresse", "العنوان", "address"}}
)

// cooperativeColumns: an imported cooperative enters the register FORMING,
// as CreateCooperative records one; a cooperative registered before name
// requests existed carries its ODCO certificate reference as the free text
// it was issued as (odco_certificate_reference), and its court register
// number. Registration itself still consumes a digital name certificate.
var cooperativeColumns = []Column{
	nameARColumn, nameFRColumn, provinceColumn, activityColumn,
	{"founding_date", false, []string{"date de création", "date de constitution", "تاريخ التأسيس", "founding_date"}},
	{"capital", true, []string{"capital", "capital social", "capital (dh)", "رأس المال", "capital_mad"}},
	{"share_value", true, []string{"valeur de la part", "valeur nominale de la part", "قيمة الحصة", "share_value_mad"}},
	{"members_women", true, []string{"adhérentes", "nombre de femmes", "femmes", "عدد النساء", "المنخرطات", "members_women"}},
	{"members_men", true, []string{"adhérents", "nombre d'hommes", "hommes", "عدد الرجال", "المنخرطون", "members_men"}},
	{"odco_certificate_reference", false, []string{"certificat négatif", "attestation odco", "référence odco", "الشهادة السلبية", "شهادة مكتب تنمية التعاون", "odco_certificate_reference"}},
	{"local_register_number", false, []string{"n° registre local", "registre local", "رقم السجل المحلي", "local_register_number"}},
	{"union_name", false, []string{"union", "الاتحاد", "union_name"}},
	phoneColumn, emailColumn, addressColumn,
}

var associationColumns = []Column{
	nameARColumn, nameFRColumn, provinceColumn,
	{"object", true, []string{"objet", "objet social", "الهدف", "موضوع الجمعية", "object"}},
	{"category", true, []string{"catégorie", "type", "الفئة", "الصنف", "category"}},
	{"receipt_number", false, []string{"n° récépissé", "numéro du récépissé", "رقم الوصل", "receipt_number"}},
	{"receipt_provisional_date", true, []string{"date du récépissé provisoire", "récépissé provisoire", "تاريخ الوصل المؤقت", "receipt_provisional_date"}},
	{"receipt_definitive_date", false, []string{"date du récépissé définitif", "récépissé définitif", "تاريخ الوصل النهائي", "receipt_definitive_date"}},
	{"president", false, []string{"président", "الرئيس", "president"}},
	{"last_general_assembly_date", false, []string{"dernière assemblée générale", "date de la dernière ag", "تاريخ آخر جمع عام", "last_general_assembly_date"}},
	{"bureau_renewal_date", false, []string{"renouvellement du bureau", "تاريخ تجديد المكتب", "bureau_renewal_date"}},
	phoneColumn, emailColumn, addressColumn,
}

// enterpriseColumns: the supervising artisan is named as a spreadsheet
// knows them, by CNIE (or by resource name); the application finds the
// record.
var enterpriseColumns = []Column{
	nameARColumn, nameFRColumn, provinceColumn, activityColumn,
	{"ice", true, []string{"ice", "identifiant commun de l'entreprise", "المعرف الموحد للمقاولة", "ice"}},
	{"rc", false, []string{"rc", "registre de commerce", "n° rc", "السجل التجاري", "rc"}},
	{"supervising_artisan", true, []string{"cnie de l'artisan", "artisan encadrant", "cnie de l'encadrant", "بطاقة الصانع المؤطر", "الصانع المؤطر", "supervising_artisan"}},
	phoneColumn, emailColumn, addressColumn,
}

// prefixes are the field paths' first segment of each kind's violations.
var prefixes = map[string]string{Artisans: "artisan.", Cooperatives: "cooperative.", Associations: "association.", Enterprises: "enterprise."}

func (l *Layout) text(row []string) l10n.Text {
	return l10n.Text{AR: l.cell(row, "display_name_ar"), FR: l.cell(row, "display_name_fr")}
}

func (l *Layout) contact(row []string) l10n.Contact {
	return l10n.Contact{Phone: l.cell(row, "phone"), Email: l.cell(row, "email"), Address: l.cell(row, "address")}
}

// Cooperative builds the cooperative a row describes; amounts are read in
// MAD (as a spreadsheet writes them) and stored in centimes.
func (l *Layout) Cooperative(row []string) (*cooperative.Cooperative, error) {
	var vs fault.Violations
	if empty(row) {
		vs.Add("row", RuleRowEmpty, "the row is empty")
		return nil, vs.Err()
	}
	const p = "cooperative."
	c := &cooperative.Cooperative{DisplayName: l.text(row), Province: l.cell(row, "province"), Activity: l.cell(row, "activity"),
		ODCOCertificateReference: l.cell(row, "odco_certificate_reference"), LocalRegisterNumber: l.cell(row, "local_register_number"),
		UnionName: l.cell(row, "union_name"), Contact: l.contact(row)}
	c.FoundingDate = l.date(&vs, row, "founding_date", p)
	c.CapitalCentimes = l.amount(&vs, row, "capital", p+"capital_centimes")
	c.ShareValueCentimes = l.amount(&vs, row, "share_value", p+"share_value_centimes")
	c.MembersWomen = l.count(&vs, row, "members_women", p+"members_women")
	c.MembersMen = l.count(&vs, row, "members_men", p+"members_men")
	return c, vs.Err()
}

var associationCategories = map[string]association.Category{
	"professional": "PROFESSIONAL", "professionnelle": "PROFESSIONAL", textnorm.Fold("مهنية"): "PROFESSIONAL",
	"development": "DEVELOPMENT", "developpement": "DEVELOPMENT", textnorm.Fold("تنموية"): "DEVELOPMENT",
	"women": "WOMEN", "feminine": "WOMEN", "femmes": "WOMEN", textnorm.Fold("نسائية"): "WOMEN",
	"youth": "YOUTH", "jeunes": "YOUTH", "jeunesse": "YOUTH", textnorm.Fold("شبابية"): "YOUTH",
	"other": "OTHER", "autre": "OTHER", textnorm.Fold("أخرى"): "OTHER",
}

// Association builds the association a row describes.
func (l *Layout) Association(row []string) (*association.Association, error) {
	var vs fault.Violations
	if empty(row) {
		vs.Add("row", RuleRowEmpty, "the row is empty")
		return nil, vs.Err()
	}
	const p = "association."
	a := &association.Association{DisplayName: l.text(row), Object: l.cell(row, "object"), Province: l.cell(row, "province"),
		President: l.cell(row, "president"), Contact: l.contact(row)}
	a.Receipt.Number = l.cell(row, "receipt_number")
	a.Receipt.ProvisionalDate = l.date(&vs, row, "receipt_provisional_date", p+"receipt.")
	a.Receipt.DefinitiveDate = l.date(&vs, row, "receipt_definitive_date", p+"receipt.")
	a.LastGeneralAssemblyDate = l.date(&vs, row, "last_general_assembly_date", p)
	a.BureauRenewalDate = l.date(&vs, row, "bureau_renewal_date", p)
	if s := l.cell(row, "category"); s != "" {
		if c, ok := associationCategories[l.fold(s)]; ok {
			a.Category = c
		} else {
			vs.Add(p+"category", RuleEnum, "%q is not a category (PROFESSIONAL, DEVELOPMENT, WOMEN, YOUTH, OTHER or their French or Arabic names)", s)
		}
	}
	return a, vs.Err()
}

// Enterprise builds the enterprise a row describes; SupervisingArtisan
// holds the cell as written (a CNIE or a resource name) for the
// application to resolve.
func (l *Layout) Enterprise(row []string) (*enterprise.Enterprise, error) {
	if empty(row) {
		return nil, fault.Invalid("row", RuleRowEmpty, "the row is empty")
	}
	return &enterprise.Enterprise{DisplayName: l.text(row), Province: l.cell(row, "province"), Activity: l.cell(row, "activity"),
		ICE: strings.ReplaceAll(l.cell(row, "ice"), " ", ""), RC: l.cell(row, "rc"),
		SupervisingArtisan: strings.TrimSpace(l.cell(row, "supervising_artisan")), Contact: l.contact(row)}, nil
}

// date reads an optional date cell; the violation's field is prefix+field
// without its "receipt_" part (receipt.provisional_date).
func (l *Layout) date(vs *fault.Violations, row []string, field, prefix string) resource.Date {
	s := l.cell(row, field)
	if s == "" {
		return ""
	}
	d, ok := date(s)
	if !ok {
		vs.Add(prefix+strings.TrimPrefix(field, "receipt_"), fault.RuleDate, "must be a calendar date YYYY-MM-DD or DD/MM/YYYY, got %q", s)
	}
	return d
}

// amount reads a sum of MAD ("5000", "5 000,00", "5000.5") as centimes.
func (l *Layout) amount(vs *fault.Violations, row []string, field, path string) int64 {
	s := l.cell(row, field)
	if s == "" {
		return 0
	}
	c, ok := centimes(s)
	if !ok {
		vs.Add(path, RuleAmount, "must be an amount in MAD (e.g. 5000 or 5 000,00), got %q", s)
	}
	return c
}

func centimes(s string) (int64, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", ",", ".").Replace(strings.TrimSuffix(strings.TrimSpace(strings.ToUpper(s)), "DH"))
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 || whole == "" {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > 1e12 {
		return 0, false
	}
	f := int64(0)
	if frac != "" {
		if f, err = strconv.ParseInt(frac+strings.Repeat("0", 2-len(frac)), 10, 64); err != nil || f < 0 {
			return 0, false
		}
	}
	return w*100 + f, true
}

func (l *Layout) count(vs *fault.Violations, row []string, field, path string) int {
	s := l.cell(row, field)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		vs.Add(path, RuleNumber, "must be a whole number, got %q", s)
		return 0
	}
	return n
}

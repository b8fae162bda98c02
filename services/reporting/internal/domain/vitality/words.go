package vitality

import "github.com/hirfa/hirfa/pkg/l10n"

// words name the standings and the reason codes in Arabic and French, for
// the API's descriptions and the inventory's downloads.
var words = map[string]l10n.Text{
	string(Active):           {AR: "نشيطة", FR: "Active"},
	string(Stagnant):         {AR: "راكدة", FR: "Inactive"},
	string(Unknown):          {AR: "غير محددة", FR: "Indéterminée"},
	Association:              {AR: "جمعية", FR: "Association"},
	Cooperative:              {AR: "تعاونية", FR: "Coopérative"},
	MarkedStagnant:           {AR: "صنفت راكدة من طرف الغرفة", FR: "Classée inactive par la chambre"},
	RecentAssembly:           {AR: "جمع عام حديث", FR: "Assemblée générale récente"},
	AssemblyOutdated:         {AR: "آخر جمع عام قديم", FR: "Dernière assemblée générale ancienne"},
	RecentBureauRenewal:      {AR: "تجديد حديث للمكتب", FR: "Bureau renouvelé récemment"},
	BureauOutdated:           {AR: "آخر تجديد للمكتب قديم", FR: "Dernier renouvellement du bureau ancien"},
	RecentParticipation:      {AR: "مشاركة حديثة في تظاهرات الغرفة", FR: "Participation récente aux manifestations de la chambre"},
	ParticipationOutdated:    {AR: "آخر مشاركة في تظاهرات الغرفة قديمة", FR: "Dernière participation aux manifestations ancienne"},
	RecentDocument:           {AR: "وثيقة مودعة حديثا", FR: "Document déposé récemment"},
	DocumentOutdated:         {AR: "آخر وثيقة مودعة قديمة", FR: "Dernier document déposé ancien"},
	RecentlyFounded:          {AR: "تأسست حديثا", FR: "Constituée récemment"},
	NoEvidence:               {AR: "لا توجد أي قرينة على النشاط", FR: "Aucun élément sur l'activité"},
	DefinitiveReceiptOverdue: {AR: "الوصل النهائي لم يسلم بعد أجل 60 يوما", FR: "Récépissé définitif manquant après 60 jours"},
}

// Words names a standing, an organisation type or a reason code in Arabic
// and French; the code itself when unknown.
func Words(code string) l10n.Text {
	if w, ok := words[code]; ok {
		return w
	}
	return l10n.Text{AR: code, FR: code}
}

package grpcport

import (
	"google.golang.org/grpc/codes"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/fault/catalog"
	"github.com/hirfa/hirfa/services/reporting/internal/app"
)

// Catalog is the reporting error catalogue: the shared entries and this
// service's reasons, each with its gRPC code and its Arabic and French
// message ({1}, {2}: the English message's figures in order; {field}: the
// field's label). TestCatalog fails on a reason the code gives that is
// missing here.
var Catalog = catalog.New([][]catalog.Entry{catalog.Common, auth.Messages, messages}, catalog.CommonLabels, labels)

const (
	iv = codes.InvalidArgument
	fp = codes.FailedPrecondition
	ae = codes.AlreadyExists
	un = codes.Unavailable
)

var messages = []catalog.Entry{
	// Downloads.
	catalog.Reason(app.ReasonRendererUnavailable, fp, "يتطلب إنتاج {1} متصفح Chromium غير المثبت على هذا الخادم؛ صيغ HTML وCSV وXLSX وSVG متاحة بدونه", "Le rendu {1} nécessite Chromium, absent de ce serveur ; HTML, CSV, XLSX et SVG fonctionnent sans lui"),
	catalog.Reason(app.ReasonRendererFailed, un, "تعذر إنتاج الوثيقة مؤقتا؛ أعد المحاولة", "Le document n'a pas pu être produit pour l'instant ; réessayez"),
	catalog.Reason("table.required", iv, "{field}: ملف CSV جدول واحد من التقرير: حدد اسمه", "{field} : un CSV est un seul tableau du rapport : indiquez lequel"),
	catalog.Reason("table.known", iv, "{field}: جدول غير معروف {1}", "{field} : tableau inconnu {1}"),
	catalog.Reason("format.report", iv, "{field}: يقدم تقرير النشاط بصيغة HTML أو PDF أو CSV أو XLSX، والمقدم {1}", "{field} : le rapport d'activité est fourni en HTML, PDF, CSV ou XLSX, reçu {1}"),
	catalog.Reason("format.chart", iv, "{field}: يقدم الرسم البياني بصيغة SVG أو PNG، والمقدم {1}", "{field} : un graphique est fourni en SVG ou PNG, reçu {1}"),
	catalog.Reason("chart.known", iv, "{field}: رسم بياني غير معروف {1}", "{field} : graphique inconnu {1}"),
	catalog.Reason("language.known", iv, "{field}: يجب أن تكون ar أو fr، والمقدم {1}", "{field} : doit être ar ou fr, reçu {1}"),
	catalog.Reason("scope.format", iv, "{field}: يجب أن يكون chambers/‹الغرفة› أو chambers/- (وطني)، والمقدم {1}", "{field} : doit être chambers/‹chambre› ou chambers/- (national), reçu {1}"),

	// Statistics.
	catalog.Reason("registrant_type.known", iv, "{field}: يجب أن يكون من بين {1}، والمقدم {2}", "{field} : doit être parmi {1}, reçu {2}"),
	catalog.Reason("group_by.max", iv, "{field}: {1} أبعاد على الأكثر، والمقدم {2}", "{field} : au plus {1} dimensions, reçu {2}"),
	catalog.Reason("group_by.dimension", iv, "{field}: بعد غير معروف {1} (المعروفة: {2})", "{field} : dimension inconnue {1} (connues : {2})"),
	catalog.Reason("group_by.unique", iv, "{field}: البعد {1} مكرر", "{field} : la dimension {1} est répétée"),
	catalog.Reason("group_by.gender", iv, "{field}: الجنس خاص بالصناع", "{field} : le sexe ne concerne que les artisans"),
	catalog.Reason("group_by.category", iv, "{field}: الفئة خاصة بالصناع والجمعيات", "{field} : la catégorie ne concerne que les artisans et les associations"),
	catalog.Reason("group_by.activity", iv, "{field}: لا نشاط للجمعيات", "{field} : les associations n'ont pas d'activité"),
	catalog.Reason("date.format", iv, "{field}: يجب أن يكون تاريخا YYYY-MM-DD، والمقدم {1}", "{field} : doit être une date AAAA-MM-JJ, reçu {1}"),
	catalog.Reason("period.order", iv, "{field}: يجب ألا يسبق تاريخ البداية ({1})، والمقدم {2}", "{field} : doit être au plus tôt la date de début ({1}), reçu {2}"),
	catalog.Reason("period.max", iv, "{field}: لا تتجاوز المدة {1} يوما، والمقدم {2}", "{field} : la période couvre au plus {1} jours, reçu {2}"),

	// Inventory.
	catalog.Reason("standing.known", iv, "{field}: يجب أن يكون ACTIVE أو STAGNANT أو UNKNOWN، والمقدم {1}", "{field} : doit être ACTIVE, STAGNANT ou UNKNOWN, reçu {1}"),
	catalog.Reason("format.inventory", iv, "{field}: يقدم الجرد بصيغة CSV أو XLSX، والمقدم {1}", "{field} : l'inventaire est fourni en CSV ou XLSX, reçu {1}"),

	// Targets.
	catalog.Reason("target_name.format", iv, "{field}: يجب أن يكون chambers/‹الغرفة›/registrationTargets/‹الإقليم›-‹السنة›، والمقدم {1}", "{field} : doit être chambers/‹chambre›/registrationTargets/‹province›-‹année›, reçu {1}"),
	catalog.Reason("TARGET_ALREADY_SET", ae, "للإقليم هدف لهذه السنة من قبل: {existing}", "La province a déjà un objectif pour cette année : {existing}"),
	catalog.Reason("province.in_chamber", iv, "{field}: الإقليم {1} خارج تراب chambers/{2}", "{field} : la province {1} est hors du territoire de chambers/{2}"),
	catalog.Reason("year.range", iv, "{field}: يجب أن تكون بين 2000 و2100، والمقدم {1}", "{field} : doit être entre 2000 et 2100, reçu {1}"),
	catalog.Reason("artisans.range", iv, "{field}: يجب أن يكون بين 0 و10000000، والمقدم {1}", "{field} : doit être entre 0 et 10000000, reçu {1}"),
}

var labels = []catalog.Label{
	catalog.Field("scope", "النطاق", "portée"),
	catalog.Field("standing", "التصنيف", "classement"),
	catalog.Field("registrant_type", "نوع المسجل", "type d'inscrit"),
	catalog.Field("group_by", "التجميع حسب", "regroupement"),
	catalog.Field("table", "الجدول", "tableau"),
	catalog.Field("format", "الصيغة", "format"),
	catalog.Field("chart", "الرسم البياني", "graphique"),
	catalog.Field("language", "اللغة", "langue"),
	catalog.Field("year", "السنة", "année"),
	catalog.Field("artisans", "الصناع", "artisans"),
	catalog.Field("registration_target", "هدف التسجيل", "objectif d'inscription"),
}

package catalog

import (
	"google.golang.org/grpc/codes"

	"github.com/hirfa/hirfa/pkg/fault"
)

// Common lists the reasons every service shares: the fault kinds, the field
// rules of pkg (names, dates, paging, filters) and the protovalidate rules
// the protos use. Protovalidate's parameters are the figures of its English
// message, in order ({1}, {2}).
var Common = []Entry{
	{fault.ReasonInvalidArgument, codes.InvalidArgument, "الطلب غير صالح: {violations}", "Requête invalide : {violations}"},
	{fault.ReasonNotFound, codes.NotFound, "{resource} غير موجود", "{resource} est introuvable"},
	{fault.ReasonEtagMismatch, codes.Aborted, "عدّل شخص آخر {resource} بعد قراءتك له: أعد قراءته", "{resource} a été modifié par quelqu'un d'autre depuis votre lecture : relisez-le"},
	{fault.ReasonPermissionDenied, codes.PermissionDenied, "ليست لديك صلاحية لهذه العملية", "Vous n'avez pas le droit d'effectuer cette opération"},
	{fault.ReasonUnavailable, codes.Unavailable, "{what} غير متوفر مؤقتا، أعد المحاولة لاحقا", "{what} momentanément indisponible, réessayez plus tard"},
	{fault.ReasonInternal, codes.Internal, "خطأ داخلي", "Erreur interne"},
	{fault.ReasonIllegalTransition, codes.FailedPrecondition, "{resource} في الحالة {state}: لا يمكن تنفيذ «{action}»", "{resource} est à l'état {state} : impossible de « {action} »"},
	{fault.ReasonUnknownAction, codes.FailedPrecondition, "إجراء غير معروف {1}", "Action inconnue {1}"},
	{fault.ReasonNotDeletable, codes.FailedPrecondition, "لا يمكن حذف {1} وهو في الحالة {2}", "{1} ne peut pas être supprimé à l'état {2}"},
	{fault.ReasonAuthenticationRequired, codes.PermissionDenied, "هذه العملية تتطلب مستخدما مصادقا عليه", "Cette opération exige un appelant authentifié"},
	{fault.ReasonReadOnlyRole, codes.PermissionDenied, "الدور {1} لا يسمح بتعديل سجلات الغرفة", "Le rôle {1} ne permet pas de modifier les registres de la chambre"},
	{fault.ReasonNationalReadsOnly, codes.PermissionDenied, "القراءة على المستوى الوطني (chambers/-) مخصصة للأدوار الوطنية؛ استعمل chambers/{1}", "Les lectures nationales (chambers/-) sont réservées aux rôles nationaux ; utilisez chambers/{1}"},
	{fault.ReasonReferenceDataMinistry, codes.PermissionDenied, "الوزارة وحدها تدبر المعطيات المرجعية", "Seul le ministère gère les données de référence"},

	{fault.RuleRequired, codes.InvalidArgument, "{field}: حقل إلزامي", "{field} : champ obligatoire"},
	{fault.RuleDate, codes.InvalidArgument, "{field}: يجب أن يكون تاريخا بصيغة YYYY-MM-DD، القيمة المقدمة {1}", "{field} : doit être une date AAAA-MM-JJ, reçu {1}"},
	{fault.RuleDatesOrder, codes.InvalidArgument, "{field}: تاريخ النهاية {1} يسبق تاريخ البداية {2}", "{field} : la date de fin {1} précède la date de début {2}"},
	{fault.RuleDateFuture, codes.InvalidArgument, "{field}: لا يجوز أن يكون التاريخ في المستقبل", "{field} : la date ne peut pas être dans le futur"},
	{fault.RuleResourceName, codes.InvalidArgument, "{field}: اسم مورد غير صالح", "{field} : nom de ressource invalide"},
	{fault.RuleMoneyNonNegative, codes.InvalidArgument, "{field}: لا يجوز أن يكون المبلغ سالبا", "{field} : le montant ne doit pas être négatif"},
	{fault.RuleProvinceUnknown, codes.InvalidArgument, "{field}: إقليم غير معروف {1}", "{field} : province inconnue {1}"},
	{fault.RulePageSize, codes.InvalidArgument, "{field}: لا يجوز أن يكون سالبا، القيمة المقدمة {1}", "{field} : ne doit pas être négatif, reçu {1}"},
	{fault.RuleFilterInvalid, codes.InvalidArgument, "{field}: عامل تصفية غير صالح ({1})", "{field} : filtre invalide ({1})"},
	{fault.RuleFilterUnsupported, codes.InvalidArgument, "{field}: التصفية غير متاحة هنا", "{field} : le filtrage n'est pas disponible ici"},
	{fault.RulePageToken, codes.InvalidArgument, "{field}: رمز الصفحة غير صالح لهذا الاستعلام", "{field} : le jeton de page n'est pas valable pour cette requête"},
	{fault.RuleOrderBySyntax, codes.InvalidArgument, "{field}: يجب أن يكون اسم حقل متبوعا اختياريا بـ desc، القيمة المقدمة {1}", "{field} : doit être un champ suivi éventuellement de « desc », reçu {1}"},
	{fault.RuleOrderByField, codes.InvalidArgument, "{field}: لا يمكن الترتيب حسب {1} (المتاح: {2})", "{field} : tri impossible sur {1} (possibles : {2})"},
	{fault.RuleUpdateMaskPath, codes.InvalidArgument, "{field}: لا يمكن تحديث الحقل {1}", "{field} : le champ {1} ne peut pas être mis à jour"},

	// protovalidate rule ids.
	{"string.min_len", codes.InvalidArgument, "{field}: يجب ألا يقل الطول عن {1} حرفا", "{field} : doit contenir au moins {1} caractères"},
	{"string.max_len", codes.InvalidArgument, "{field}: يجب ألا يزيد الطول عن {1} حرفا", "{field} : doit contenir au plus {1} caractères"},
	{"string.len", codes.InvalidArgument, "{field}: يجب أن يكون الطول {1} حرفا بالضبط", "{field} : doit contenir exactement {1} caractères"},
	{"string.pattern", codes.InvalidArgument, "{field}: الصيغة غير مطابقة للنمط {1}", "{field} : ne respecte pas le format {1}"},
	{"string.email", codes.InvalidArgument, "{field}: عنوان بريد إلكتروني غير صالح", "{field} : adresse électronique invalide"},
	{"string.email_empty", codes.InvalidArgument, "{field}: عنوان البريد الإلكتروني فارغ", "{field} : adresse électronique vide"},
	{"string.uuid", codes.InvalidArgument, "{field}: يجب أن يكون معرفا UUID", "{field} : doit être un UUID"},
	{"string.in", codes.InvalidArgument, "{field}: يجب أن تكون القيمة من بين {1}", "{field} : doit être l'une des valeurs {1}"},
	{"string.not_in", codes.InvalidArgument, "{field}: القيمة غير مقبولة {1}", "{field} : ne doit pas être l'une des valeurs {1}"},
	{"enum.defined_only", codes.InvalidArgument, "{field}: قيمة غير معروفة", "{field} : valeur inconnue"},
	{"enum.in", codes.InvalidArgument, "{field}: يجب أن تكون القيمة من بين {1}", "{field} : doit être l'une des valeurs {1}"},
	{"enum.not_in", codes.InvalidArgument, "{field}: القيمة غير مقبولة {1}", "{field} : ne doit pas être l'une des valeurs {1}"},
	{"repeated.min_items", codes.InvalidArgument, "{field}: يجب ألا يقل عدد العناصر عن {1}", "{field} : doit contenir au moins {1} éléments"},
	{"repeated.max_items", codes.InvalidArgument, "{field}: يجب ألا يزيد عدد العناصر عن {1}", "{field} : doit contenir au plus {1} éléments"},
	{"repeated.unique", codes.InvalidArgument, "{field}: يجب ألا تتكرر العناصر", "{field} : les éléments doivent être uniques"},
	{"int32.gte", codes.InvalidArgument, "{field}: يجب أن تكون القيمة {1} أو أكثر", "{field} : doit être supérieur ou égal à {1}"},
	{"int32.lte", codes.InvalidArgument, "{field}: يجب أن تكون القيمة {1} أو أقل", "{field} : doit être inférieur ou égal à {1}"},
	{"int32.gt", codes.InvalidArgument, "{field}: يجب أن تكون القيمة أكبر من {1}", "{field} : doit être supérieur à {1}"},
	{"int32.gte_lte", codes.InvalidArgument, "{field}: يجب أن تكون القيمة بين {1} و{2}", "{field} : doit être compris entre {1} et {2}"},
	{"int64.gte", codes.InvalidArgument, "{field}: يجب أن تكون القيمة {1} أو أكثر", "{field} : doit être supérieur ou égal à {1}"},
	{"int64.lte", codes.InvalidArgument, "{field}: يجب أن تكون القيمة {1} أو أقل", "{field} : doit être inférieur ou égal à {1}"},
	{"int64.gt", codes.InvalidArgument, "{field}: يجب أن تكون القيمة أكبر من {1}", "{field} : doit être supérieur à {1}"},
	{"int64.gte_lte", codes.InvalidArgument, "{field}: يجب أن تكون القيمة بين {1} و{2}", "{field} : doit être compris entre {1} et {2}"},
	{"double.gte", codes.InvalidArgument, "{field}: يجب أن تكون القيمة {1} أو أكثر", "{field} : doit être supérieur ou égal à {1}"},
	{"double.lte", codes.InvalidArgument, "{field}: يجب أن تكون القيمة {1} أو أقل", "{field} : doit être inférieur ou égal à {1}"},
	{"double.gte_lte", codes.InvalidArgument, "{field}: يجب أن تكون القيمة بين {1} و{2}", "{field} : doit être compris entre {1} et {2}"},
}

// CommonLabels names the fields every API shares.
var CommonLabels = []Label{
	{"name", "الاسم المرجعي", "nom de ressource"},
	{"parent", "المورد الأصل", "ressource parente"},
	{"page_size", "حجم الصفحة", "taille de page"},
	{"page_token", "رمز الصفحة", "jeton de page"},
	{"filter", "عامل التصفية", "filtre"},
	{"order_by", "الترتيب", "tri"},
	{"etag", "وسم النسخة", "etag"},
	{"request_id", "معرف الطلب", "identifiant de requête"},
	{"update_mask", "قناع التحديث", "masque de mise à jour"},
	{"reason", "السبب", "motif"},
	{"start_date", "تاريخ البداية", "date de début"},
	{"end_date", "تاريخ النهاية", "date de fin"},
	{"date", "التاريخ", "date"},
	{"province", "الإقليم", "province"},
	{"activity", "النشاط", "activité"},
	{"phone", "الهاتف", "téléphone"},
	{"email", "البريد الإلكتروني", "courriel"},
	{"address", "العنوان", "adresse"},
	{"ar", "النص العربي", "texte arabe"},
	{"fr", "النص الفرنسي", "texte français"},
	{"display_name", "الاسم", "nom"},
}

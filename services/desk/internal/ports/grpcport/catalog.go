package grpcport

import (
	"google.golang.org/grpc/codes"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/fault/catalog"
	"github.com/hirfa/hirfa/services/desk/internal/adapters/cardprint"
	"github.com/hirfa/hirfa/services/desk/internal/app"
	"github.com/hirfa/hirfa/services/desk/internal/domain/card"
	"github.com/hirfa/hirfa/services/desk/internal/domain/document"
	"github.com/hirfa/hirfa/services/desk/internal/domain/mediation"
	"github.com/hirfa/hirfa/services/desk/internal/domain/request"
	"github.com/hirfa/hirfa/services/desk/internal/domain/requesttype"
)

// Catalog is the desk error catalogue: the shared entries and this
// service's reasons, each with its gRPC code and its Arabic and French
// message ({1}, {2}: the English message's figures in order; {name}: the
// ErrorInfo metadata; {field}: the field's label). The gRPC server localises
// every error with it; TestCatalog fails on a reason the code gives that is
// missing here.
var Catalog = catalog.New([][]catalog.Entry{catalog.Common, auth.Messages, messages}, catalog.CommonLabels, labels)

var messages = []catalog.Entry{
	catalog.Reason(app.ReasonRegistrantNotFound, codes.FailedPrecondition, "{request_field}: {resource} غير موجود في السجل", "{request_field} : {resource} n'est pas dans le registre"),
	catalog.Reason(app.ReasonRegistrantNotVisible, codes.FailedPrecondition, "{request_field}: السجل لا يعرض {resource} لهذا المستخدم", "{request_field} : le registre ne montre pas {resource} à cet appelant"),
	catalog.Reason(request.RuleRequesterRequired, codes.InvalidArgument, "{field}: يلزم منتسب أو اسم الشخص الحاضر", "{field} : un inscrit ou le nom de la personne reçue est requis"),
	catalog.Reason(request.RuleRequesterOne, codes.InvalidArgument, "{field}: منتسب أو اسم شخص، لا الاثنان معا", "{field} : un inscrit ou un nom, pas les deux"),
	catalog.Reason(request.RuleRequesterRegistrant, codes.InvalidArgument, "{field}: يجب أن يكون صانعا أو تعاونية أو جمعية أو مقاولة من chambers/{1}", "{field} : doit être un artisan, une coopérative, une association ou une entreprise de chambers/{1}"),
	catalog.Reason(request.RuleTextLength, codes.InvalidArgument, "{field}: لا يتجاوز {1} حرفا، والمقدم {2}", "{field} : au plus {1} caractères, reçu {2}"),
	catalog.Reason(request.RuleAnswerLanguage, codes.InvalidArgument, "{field}: يلزم جواب بالعربية أو بالفرنسية", "{field} : une réponse en arabe ou en français est requise"),
	catalog.Reason(mediation.RulePartiesTwo, codes.InvalidArgument, "{field}: يلزم طرفان على الأقل، والمقدم {1}", "{field} : au moins deux parties, reçu {1}"),
	catalog.Reason(mediation.RulePartiesDistinct, codes.InvalidArgument, "{field}: هو نفس الطرف parties[{1}]", "{field} : même partie que parties[{1}]"),
	catalog.Reason(mediation.RulePartyOne, codes.InvalidArgument, "{field}: صانع أو اسم، لا الاثنان معا", "{field} : un artisan ou un nom, pas les deux"),
	catalog.Reason(mediation.RulePartyArtisan, codes.InvalidArgument, "{field}: يجب أن يكون صانعا من chambers/{1}", "{field} : doit être un artisan de chambers/{1}"),
	catalog.Reason(mediation.RuleOutcomeRequired, codes.InvalidArgument, "{field}: لا يغلق الملف إلا بنتيجة", "{field} : un dossier ne se clôt qu'avec une issue"),
	catalog.Reason(document.ReasonRetentionActive, codes.FailedPrecondition, "{resource} محفوظ إلى غاية {until}: لا يحذف قبل انقضاء مدة الحفظ", "{resource} est conservé jusqu'au {until} : il ne peut être supprimé avant la fin de sa conservation"),
	catalog.Reason(document.RuleOwnerChamber, codes.InvalidArgument, "{field}: يجب أن يكون منتسبا أو طلبا أو ملف وساطة من chambers/{1}", "{field} : doit être un inscrit, une demande ou un dossier de médiation de chambers/{1}"),
	catalog.Reason(document.RuleFileNameLength, codes.InvalidArgument, "{field}: لا يتجاوز {1} حرفا، والمقدم {2}", "{field} : au plus {1} caractères, reçu {2}"),
	catalog.Reason(document.RuleContentEmpty, codes.InvalidArgument, "{field}: الملف فارغ", "{field} : le fichier est vide"),
	catalog.Reason(document.RuleContentTooLarge, codes.InvalidArgument, "{field}: الملف يتجاوز {1} بايت", "{field} : le fichier dépasse {1} octets"),
	catalog.Reason(card.RuleArtisanChamber, codes.InvalidArgument, "{field}: يجب أن يكون صانعا من chambers/{1}", "{field} : doit être un artisan de chambers/{1}"),
	catalog.Reason(card.RulePhotoChamber, codes.InvalidArgument, "{field}: يجب أن تكون وثيقة من أرشيف chambers/{1}", "{field} : doit être un document archivé de chambers/{1}"),
	catalog.Reason(card.RulePhotoRequired, codes.InvalidArgument, "{field}: البطاقة المهنية تتطلب صورة", "{field} : une carte professionnelle exige une photographie"),
	catalog.Reason(card.ReasonArtisanNotRegistered, codes.FailedPrecondition, "{resource} في حالة {state} في السجل: لا تسلم البطاقة أو الشهادة إلا لصانع مسجل", "{resource} est {state} au registre : seul un artisan immatriculé reçoit une carte ou une attestation"),
	catalog.Reason(card.ReasonPhotoUnusable, codes.FailedPrecondition, "{request_field}: {resource} ليست صورة JPEG أو PNG مصنفة PHOTO ومرتبطة بالصانع", "{request_field} : {resource} n'est pas une photographie JPEG ou PNG classée PHOTO et rattachée à l'artisan"),
	catalog.Reason(cardprint.ReasonRendererUnavailable, codes.FailedPrecondition, "طباعة البطاقة تتطلب متصفح Chromium على خادم المكتب", "l'impression de la carte exige Chromium sur l'hôte du bureau"),
	catalog.Reason(card.RuleReasonLength, codes.InvalidArgument, "{field}: من {1} إلى {2} حرفا، والمقدم {3}", "{field} : de {1} à {2} caractères, reçu {3}"),
	catalog.Reason(card.ReasonAlreadyRevoked, codes.FailedPrecondition, "{resource} سحبت بتاريخ {revoke_time}: السحب نهائي", "{resource} a été retirée le {revoke_time} : le retrait est définitif"),
	catalog.Reason(requesttype.RuleCode, codes.InvalidArgument, "{field}: من 2 إلى 32 حرفا لاتينيا كبيرا أو رقما أو خطا سفليا، يبدأ بحرف؛ والمقدم {1}", "{field} : 2 à 32 majuscules, chiffres ou soulignés commençant par une lettre, reçu {1}"),
	catalog.Reason(requesttype.RuleDeadlineDays, codes.InvalidArgument, "{field}: من {1} إلى {2} يوما، والمقدم {3}", "{field} : de {1} à {2} jours, reçu {3}"),
	catalog.Reason(requesttype.RuleLabelLength, codes.InvalidArgument, "{field}: لا يتجاوز {1} حرفا، والمقدم {2}", "{field} : au plus {1} caractères, reçu {2}"),
	catalog.Reason(requesttype.RuleTypeUnknown, codes.InvalidArgument, "{field}: {1} ليس نوع طلب في القائمة", "{field} : {1} n'est pas un type de demande de la liste"),
	catalog.Reason(requesttype.RuleTypeInactive, codes.InvalidArgument, "{field}: النوع {1} أوقف: لا تقبله الطلبات الجديدة", "{field} : le type {1} est désactivé : aucune nouvelle demande ne peut le prendre"),
	catalog.Reason(requesttype.ReasonTypeExists, codes.AlreadyExists, "{field}: نوع الطلب موجود", "{field} : ce type de demande existe déjà"),
	catalog.Reason(document.RuleContentType, codes.InvalidArgument, "{field}: المحتوى ليس ملف PDF أو JPEG أو PNG", "{field} : le contenu n'est pas un fichier PDF, JPEG ou PNG"),
}

var labels = []catalog.Label{
	catalog.Field("requester", "صاحب الطلب", "demandeur"),
	catalog.Field("walk_in_name", "اسم الشخص الحاضر", "nom de la personne reçue"),
	catalog.Field("type", "النوع", "type"),
	catalog.Field("channel", "قناة الورود", "canal"),
	catalog.Field("subject", "الموضوع", "objet"),
	catalog.Field("receive_time", "وقت الورود", "heure de réception"),
	catalog.Field("assignee", "المكلف", "agent chargé"),
	catalog.Field("answer", "الجواب", "réponse"),
	catalog.Field("authority", "الجهة", "autorité"),
	catalog.Field("mediator", "الوسيط", "médiateur"),
	catalog.Field("parties", "الأطراف", "parties"),
	catalog.Field("artisan", "الصانع", "artisan"),
	catalog.Field("notes", "المحضر", "notes"),
	catalog.Field("session_time", "تاريخ الجلسة", "date de la séance"),
	catalog.Field("outcome", "النتيجة", "issue"),
	catalog.Field("outcome_text", "نص النتيجة", "texte de l'issue"),
	catalog.Field("classification", "التصنيف", "classement"),
	catalog.Field("owner", "الجهة المرتبط بها", "rattachement"),
	catalog.Field("retention", "مدة الحفظ", "conservation"),
	catalog.Field("file_name", "اسم الملف", "nom du fichier"),
	catalog.Field("chunk", "محتوى الملف", "contenu du fichier"),
	catalog.Field("metadata", "بيانات الوثيقة", "métadonnées"),
	catalog.Field("kind", "نوع الوثيقة المسلمة", "nature du document délivré"),
	catalog.Field("photo", "الصورة", "photographie"),
	catalog.Field("deadline_days", "أجل الجواب بالأيام", "délai de réponse en jours"),
	catalog.Field("code", "الرمز", "code"),
	catalog.Field("label", "التسمية", "libellé"),
	catalog.Field("request_type_id", "رمز نوع الطلب", "code du type de demande"),
	catalog.Field("request_type", "نوع الطلب", "type de demande"),
}

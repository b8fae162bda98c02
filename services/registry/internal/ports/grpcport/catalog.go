package grpcport

import (
	"google.golang.org/grpc/codes"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/fault/catalog"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/activity"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/association"
	"github.com/hirfa/hirfa/services/registry/internal/domain/bulkimport"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
	"github.com/hirfa/hirfa/services/registry/internal/domain/docref"
	"github.com/hirfa/hirfa/services/registry/internal/domain/enterprise"
	"github.com/hirfa/hirfa/services/registry/internal/domain/namerequest"
	"github.com/hirfa/hirfa/services/registry/internal/domain/place"
	"github.com/hirfa/hirfa/services/registry/internal/domain/sheet"
)

// Catalog is the registry's error catalogue: the shared entries and the
// registry's own reasons, each with its gRPC code and its Arabic and French
// message ({1}, {2}: the English message's figures in order; {field}: the
// field's label). The gRPC server localises every error with it
// (grpcserver.Options.Catalog); TestCatalog fails on a reason the code gives
// that is missing here.
var Catalog = catalog.New([][]catalog.Entry{catalog.Common, auth.Messages, messages}, catalog.CommonLabels, labels)

var messages = []catalog.Entry{
	catalog.Reason(artisan.RuleCNIEFormat, codes.InvalidArgument, "{field}: يجب أن يكون رقم بطاقة تعريف وطنية مثل AB123456", "{field} : doit être un numéro de CNIE comme AB123456"),
	catalog.Reason(artisan.RuleBirthDateAge, codes.InvalidArgument, "{field}: يعطي سنا قدره {1}؛ يجب أن يكون سن الصانع بين 15 و110 سنة", "{field} : donne un âge de {1} ans ; un artisan doit avoir entre 15 et 110 ans"),
	catalog.Reason(artisan.RuleGraduateDiploma, codes.InvalidArgument, "{field}: الصانع الحاصل على دبلوم يحتاج مرجع دبلوم في الصناعة التقليدية", "{field} : un artisan DIPLÔMÉ doit indiquer la référence d'un diplôme d'artisanat"),
	catalog.Reason(artisan.RuleExperiencedMinYears, codes.InvalidArgument, "{field}: الصانع ذو الخبرة يحتاج {1} سنوات على الأقل من الممارسة المثبتة، والمقدم {2}", "{field} : un artisan EXPÉRIMENTÉ doit justifier d'au moins {1} ans de pratique, reçu {2}"),
	catalog.Reason(artisan.RuleMasterMinYears, codes.InvalidArgument, "{field}: المعلم الحرفي يحتاج {1} سنة على الأقل من الممارسة، والمقدم {2}", "{field} : un MAÎTRE artisan doit justifier d'au moins {1} ans de pratique, reçu {2}"),
	catalog.Reason(docref.RuleDocumentName, codes.InvalidArgument, "{field}: نص حر أو اسم وثيقة مؤرشفة من الشكل chambers/…/documents/…، والمقدم {1}", "{field} : texte libre ou nom de document archivé de la forme chambers/…/documents/…, reçu {1}"),
	catalog.Reason(docref.RuleDocumentChamber, codes.InvalidArgument, "{field}: يجب أن تكون وثيقة مؤرشفة لدى chambers/{1}، والمقدمة من chambers/{2}", "{field} : doit être un document archivé par chambers/{1}, reçu un de chambers/{2}"),
	catalog.Reason(artisan.RuleMasterAminCertificate, codes.InvalidArgument, "{field}: المعلم الحرفي يحتاج شهادة من أمين الحرفة", "{field} : un MAÎTRE artisan doit présenter un certificat de l'amine du métier"),
	catalog.Reason(artisan.RuleMergeSelf, codes.InvalidArgument, "{field}: لا يمكن دمج سجل في نفسه", "{field} : un dossier ne peut pas être fusionné avec lui-même"),
	catalog.Reason(artisan.RuleMergeField, codes.InvalidArgument, "{field}: لا يمكن أخذ الحقل {1} من السجل المدمج", "{field} : le champ {1} ne peut pas être repris du dossier fusionné"),
	catalog.Reason(artisan.ReasonMerged, codes.FailedPrecondition, "{resource} دمج في سجل آخر ({1}): عدل ذلك السجل", "{resource} a été fusionné dans un autre dossier ({1}) : modifiez ce dossier-là"),
	catalog.Reason(artisan.ReasonCNIEAlreadyRegistered, codes.AlreadyExists, "صانع يحمل رقم البطاقة الوطنية هذا مسجل من قبل", "Un artisan portant ce numéro de CNIE est déjà inscrit"),
	catalog.Reason(association.RuleReceiptOrder, codes.InvalidArgument, "{field}: لا يجوز أن يسبق تاريخ الوصل المؤقت", "{field} : ne peut pas précéder le récépissé provisoire"),
	catalog.Reason(association.ReasonDefinitiveReceiptMissing, codes.FailedPrecondition, "{resource} بدون تاريخ الوصل النهائي: سجله قبل التفعيل", "{resource} n'a pas de date de récépissé définitif : saisissez-la avant l'activation"),
	catalog.Reason(cooperative.RuleCapitalMinimum, codes.InvalidArgument, "{field}: يجب ألا يقل رأس المال عن 1000.00 درهم ({1} سنتيم)، والمقدم {2}", "{field} : le capital social doit être d'au moins 1 000,00 MAD ({1} centimes), reçu {2}"),
	catalog.Reason(cooperative.RuleShareValueMinimum, codes.InvalidArgument, "{field}: يجب ألا تقل قيمة الحصة عن 100.00 درهم ({1} سنتيم)، والمقدم {2}", "{field} : une part doit valoir au moins 100,00 MAD ({1} centimes), reçu {2}"),
	catalog.Reason(cooperative.RuleCapitalWholeShares, codes.InvalidArgument, "{field}: رأس المال {1} ليس عددا صحيحا من الحصص ذات القيمة {2}", "{field} : le capital {1} n'est pas un nombre entier de parts de {2}"),
	catalog.Reason(cooperative.RuleMembersMinimum, codes.InvalidArgument, "{field}: تحتاج التعاونية {1} أعضاء على الأقل، والمقدم {2}", "{field} : une coopérative compte au moins {1} membres, reçu {2}"),
	catalog.Reason(cooperative.ReasonRegistrationIncomplete, codes.FailedPrecondition, "لا يمكن تسجيل {resource} دون: {missing}", "{resource} ne peut pas être immatriculée sans : {missing}"),
	catalog.Reason(enterprise.RuleICEFormat, codes.InvalidArgument, "{field}: يجب أن يتكون المعرف الموحد للمقاولة من 15 رقما", "{field} : l'ICE doit comporter 15 chiffres"),
	catalog.Reason(enterprise.RuleSupervisingArtisanUnknown, codes.InvalidArgument, "{field}: {1} ليس صانعا مسجلا", "{field} : {1} n'est pas un artisan inscrit"),
	catalog.Reason(enterprise.ReasonSupervisorNotRegistered, codes.FailedPrecondition, "{resource} في الحالة {state}: يجب أن يكون الصانع المشرف مسجلا", "{resource} est à l'état {state} : l'artisan encadrant doit être INSCRIT"),
	catalog.Reason(enterprise.ReasonICEAlreadyRegistered, codes.AlreadyExists, "مقاولة نشطة تحمل هذا المعرف الموحد مسجلة من قبل", "Une entreprise active portant cet ICE est déjà inscrite"),
	catalog.Reason(activity.RuleCodeFormat, codes.InvalidArgument, "{field}: من 1 إلى 24 حرفا كبيرا أو رقما أو نقطة", "{field} : de 1 à 24 majuscules, chiffres ou points"),
	catalog.Reason(activity.ReasonActivityExists, codes.AlreadyExists, "النشاط موجود من قبل: {existing}", "L'activité existe déjà : {existing}"),
	catalog.Reason(place.RuleActivityUnknown, codes.InvalidArgument, "{field}: النشاط {1} غير موجود في المدونة (أو متوقف)", "{field} : l'activité {1} n'est pas dans la nomenclature (ou est retirée)"),
	catalog.Reason(place.RuleActivitySample, codes.InvalidArgument, "{field}: النشاط {1} رمز مختلق من العينة التجريبية للمدونة، لا يستعمل إلا في وضع العرض التجريبي", "{field} : l'activité {1} est un code inventé de l'échantillon de nomenclature, utilisable seulement en profil de démonstration"),
	catalog.Reason(place.RuleProvinceOutsideRegion, codes.InvalidArgument, "{field}: الإقليم {1} يقع في الجهة {2} لا في جهة الغرفة {3}", "{field} : la province {1} est dans la région {2}, pas dans celle de la chambre {3}"),
	catalog.Reason(place.ReasonNotARegionalChamber, codes.FailedPrecondition, "الغرفة chambers/{1} لا تمسك سجلا: السجلات تابعة لغرفة جهوية", "chambers/{1} ne tient pas de registre : les dossiers relèvent d'une chambre régionale"),
	catalog.Reason(app.RuleFactsState, codes.InvalidArgument, "{field}: حالة غير معروفة {1}", "{field} : état inconnu {1}"),
	catalog.Reason(app.RuleRegistrantCollection, codes.InvalidArgument, "{field}: المسجلون هم الصناع والتعاونيات والجمعيات والمقاولات، والمقدم {1}", "{field} : les inscrits sont des artisans, coopératives, associations ou entreprises, reçu {1}"),
	catalog.Reason(sheet.RuleTooLarge, codes.InvalidArgument, "{field}: حجم الملف {1} بايت يتجاوز الحد الأقصى {2}", "{field} : le fichier fait {1} octets, au-delà de la limite de {2}"),
	catalog.Reason(sheet.RuleEmpty, codes.InvalidArgument, "{field}: الملف فارغ", "{field} : le fichier est vide"),
	catalog.Reason(sheet.RuleNotSpreadsheet, codes.InvalidArgument, "{field}: الملف ليس جدولا بصيغة CSV أو XLSX", "{field} : le fichier n'est ni un CSV ni un classeur XLSX"),
	catalog.Reason(sheet.RuleCSVSyntax, codes.InvalidArgument, "{field}: خطأ في صيغة CSV في السطر {1}: {2}", "{field} : erreur de syntaxe CSV à la ligne {1} : {2}"),
	catalog.Reason(sheet.RuleEncoding, codes.InvalidArgument, "{field}: السطر {1} غير صالح في ترميز الملف (UTF-8 أو windows-1256)", "{field} : la ligne {1} n'est pas valide dans l'encodage du fichier (UTF-8 ou windows-1256)"),
	catalog.Reason(sheet.RuleEncodingUnknown, codes.InvalidArgument, "{field}: ترميز غير معروف {1} (المعروف: utf-8 وwindows-1256)", "{field} : encodage inconnu {1} (connus : utf-8, windows-1256)"),
	catalog.Reason(bulkimport.RuleHeaderMissing, codes.InvalidArgument, "{field}: لا يوجد عمود يعطي {1} (مثلا عنوان {2})", "{field} : aucune colonne ne donne {1} (par exemple un en-tête {2})"),
	catalog.Reason(bulkimport.RuleHeaderDuplicate, codes.InvalidArgument, "{field}: العمودان {1} و{2} يعطيان كلاهما {3}", "{field} : les colonnes {1} et {2} donnent toutes deux {3}"),
	catalog.Reason(bulkimport.RuleMappingField, codes.InvalidArgument, "{field}: العنوان {1} مربوط بـ {2} وهو ليس حقلا من {3}", "{field} : l'en-tête {1} correspond à {2}, qui n'est pas un champ de {3}"),
	catalog.Reason(bulkimport.RuleKind, codes.InvalidArgument, "{field}: الاستيراد يقبل {1}، والمقدم {2}", "{field} : l'import accepte {1}, reçu {2}"),
	catalog.Reason(bulkimport.RuleRowEmpty, codes.InvalidArgument, "السطر فارغ", "La ligne est vide"),
	catalog.Reason(bulkimport.RuleRowDuplicate, codes.InvalidArgument, "{field}: نفس {1} الوارد في السطر {2} من هذا الملف", "{field} : même {1} qu'à la ligne {2} de ce fichier"),
	catalog.Reason(bulkimport.RuleNumber, codes.InvalidArgument, "{field}: يجب أن يكون عددا صحيحا، والمقدم {1}", "{field} : doit être un nombre entier, reçu {1}"),
	catalog.Reason(bulkimport.RuleAmount, codes.InvalidArgument, "{field}: يجب أن يكون مبلغا بالدرهم (مثلا 5000 أو 5 000,00)، والمقدم {1}", "{field} : doit être un montant en dirhams (par exemple 5000 ou 5 000,00), reçu {1}"),
	catalog.Reason(bulkimport.RuleEnum, codes.InvalidArgument, "{field}: القيمة {1} غير مقبولة", "{field} : la valeur {1} n'est pas admise"),
	catalog.Reason("bytes.max_len", codes.InvalidArgument, "{field}: يجب ألا يزيد الحجم عن {1} بايت", "{field} : doit faire au plus {1} octets"),
	catalog.Reason(bulkimport.ReasonRunning, codes.FailedPrecondition, "{resource} ما زال قيد التنفيذ: يصبح التقرير جاهزا عند انتهائه", "{resource} est encore en cours : le rapport sera prêt à la fin"),
	catalog.Reason(namerequest.RuleNamesCount, codes.InvalidArgument, "{field}: يقترح الطلب من اسم واحد إلى {1} أسماء، والمقدم {2}", "{field} : une demande propose de 1 à {1} noms, reçu {2}"),
	catalog.Reason(namerequest.RuleNamesRepeat, codes.InvalidArgument, "{field}: هو نفس الاسم المقترح في الرتبة {1}", "{field} : est le même nom que le nom proposé n° {1}"),
	catalog.Reason(namerequest.RuleNameTooLong, codes.InvalidArgument, "{field}: لا يتجاوز الاسم {1} حرفا، والمقدم {2}", "{field} : un nom compte au plus {1} caractères, reçu {2}"),
	catalog.Reason(namerequest.RuleApprovedNameRange, codes.InvalidArgument, "{field}: رتبة الاسم المقبول من 1 إلى {1}، والمقدم {2}", "{field} : le rang du nom approuvé va de 1 à {1}, reçu {2}"),
	catalog.Reason(namerequest.ReasonCertificateUnknown, codes.FailedPrecondition, "لا توجد شهادة تسمية مقبولة تحمل الرقم {certificate} في هذه الغرفة", "Aucun certificat de dénomination approuvé ne porte le numéro {certificate} dans cette chambre"),
	catalog.Reason(namerequest.ReasonCertificateUsed, codes.FailedPrecondition, "شهادة التسمية {certificate} استعملت من قبل لتسجيل تعاونية", "Le certificat de dénomination {certificate} a déjà servi à immatriculer une coopérative"),
	catalog.Reason(namerequest.ReasonCertificateExpired, codes.FailedPrecondition, "انتهت صلاحية شهادة التسمية {certificate} في {expiry}", "Le certificat de dénomination {certificate} a expiré le {expiry}"),
	catalog.Reason(namerequest.ReasonCertificateOtherName, codes.FailedPrecondition, "شهادة التسمية {certificate} تخص الاسم «{approved}» لا اسم التعاونية", "Le certificat de dénomination {certificate} porte sur le nom « {approved} », pas sur celui de la coopérative"),
	catalog.Reason(app.ReasonNotApproved, codes.FailedPrecondition, "{resource} في الحالة {state}: الشهادة تخص الطلبات المقبولة فقط", "{resource} est à l'état {state} : seule une demande approuvée a un certificat"),
	catalog.Reason(app.ReasonRendererUnavailable, codes.FailedPrecondition, "يتطلب إنتاج الشهادة بصيغة PDF متصفح Chromium غير المثبت على هذا الخادم", "Le certificat PDF nécessite Chromium, absent de ce serveur"),
	catalog.Reason(app.ReasonSeed, codes.FailedPrecondition, "لا يوجد صانع مسجل للإشراف على المقاولة التجريبية", "Aucun artisan inscrit pour encadrer l'entreprise de démonstration"),
}

var labels = []catalog.Label{
	catalog.Field("other", "السجل المكرر", "dossier en double"),
	catalog.Field("take_fields", "الحقول المأخوذة", "champs repris"),
	catalog.Field("file", "الملف", "fichier"),
	catalog.Field("row", "السطر", "ligne"),
	catalog.Field("kind", "نوع السجل", "type de registre"),
	catalog.Field("encoding", "الترميز", "encodage"),
	catalog.Field("headers", "عناوين الأعمدة", "en-têtes de colonnes"),
	catalog.Field("mapping.kind", "نوع السجل", "type de registre"),
	catalog.Field("name_ar", "الاسم المقترح بالعربية", "nom proposé en arabe"),
	catalog.Field("name_fr", "الاسم المقترح بالفرنسية", "nom proposé en français"),
	catalog.Field("given_name_ar", "الاسم الشخصي بالعربية", "prénom en arabe"),
	catalog.Field("given_name_latin", "الاسم الشخصي بالحروف اللاتينية", "prénom en caractères latins"),
	catalog.Field("states", "الحالات", "états"),
	catalog.Field("activity", "النشاط", "activité"),
	catalog.Field("cnie", "رقم البطاقة الوطنية", "numéro de CNIE"),
	catalog.Field("gender", "الجنس", "sexe"),
	catalog.Field("birth_date", "تاريخ الازدياد", "date de naissance"),
	catalog.Field("category", "الفئة", "catégorie"),
	catalog.Field("diploma_reference", "مرجع الدبلوم", "référence du diplôme"),
	catalog.Field("years_of_practice", "سنوات الممارسة", "années de pratique"),
	catalog.Field("amin_certificate_reference", "مرجع شهادة الأمين", "référence du certificat de l'amine"),
	catalog.Field("object", "الهدف", "objet"),
	catalog.Field("provisional_date", "تاريخ الوصل المؤقت", "date du récépissé provisoire"),
	catalog.Field("definitive_date", "تاريخ الوصل النهائي", "date du récépissé définitif"),
	catalog.Field("last_general_assembly_date", "تاريخ آخر جمع عام", "date de la dernière assemblée générale"),
	catalog.Field("bureau_renewal_date", "تاريخ تجديد المكتب", "date du renouvellement du bureau"),
	catalog.Field("capital_centimes", "رأس المال", "capital social"),
	catalog.Field("share_value_centimes", "قيمة الحصة", "valeur de la part"),
	catalog.Field("members_women", "عدد العضوات", "nombre de membres femmes"),
	catalog.Field("members_men", "عدد الأعضاء الذكور", "nombre de membres hommes"),
	catalog.Field("founding_date", "تاريخ التأسيس", "date de constitution"),
	catalog.Field("ice", "المعرف الموحد للمقاولة", "ICE"),
	catalog.Field("supervising_artisan", "الصانع المشرف", "artisan encadrant"),
	catalog.Field("code", "الرمز", "code"),
	catalog.Field("activity.code", "رمز النشاط", "code d'activité"),
	catalog.Field("activity.family.code", "رمز الفصيلة", "code de la famille"),
	catalog.Field("activity.branch.code", "رمز الفرع", "code de la branche"),
	catalog.Field("cooperative.members_women", "عدد الأعضاء", "nombre de membres"),
	catalog.Field("founder", "المؤسس", "fondateur"),
	catalog.Field("names", "الأسماء المقترحة", "noms proposés"),
	catalog.Field("name_request.names", "الاسم المقترح", "nom proposé"),
	catalog.Field("approved_name", "رتبة الاسم المقبول", "rang du nom approuvé"),
	catalog.Field("reason", "السبب", "motif"),
}

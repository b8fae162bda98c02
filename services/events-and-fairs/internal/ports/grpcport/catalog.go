package grpcport

import (
	"google.golang.org/grpc/codes"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/fault/catalog"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/agreement"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/event"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/fair"
	ga "github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/generalassembly"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/registration"
)

// Catalog is the events-and-fairs error catalogue: the shared entries and
// this service's reasons, each with its gRPC code and its Arabic and French
// message ({1}, {2}: the English message's figures in order; {name}: the
// ErrorInfo metadata; {field}: the field's label). The gRPC server localises
// every error with it (grpcserver.Options.Catalog); TestCatalog fails on a
// reason the code gives that is missing here.
var Catalog = catalog.New([][]catalog.Entry{catalog.Common, auth.Messages, messages}, catalog.CommonLabels, labels)

const (
	iv = codes.InvalidArgument
	fp = codes.FailedPrecondition
	ae = codes.AlreadyExists
)

var messages = []catalog.Entry{
	// Agreements.
	catalog.Reason(agreement.ReasonAgreementNotDraft, fp, "{resource} في الحالة {state}: لا تعدل أو تحذف إلا الاتفاقية في طور المسودة", "{resource} est à l'état {state} : seule une convention en BROUILLON peut être modifiée ou supprimée"),
	catalog.Reason(agreement.ReasonDatesRequired, fp, "{resource} تحتاج تاريخي البداية والنهاية لتدخل حيز التنفيذ", "{resource} a besoin de ses dates de début et de fin pour entrer en vigueur"),
	catalog.Reason(agreement.ReasonNotYetExpired, fp, "{resource} سارية إلى غاية {end_date}", "{resource} court jusqu'au {end_date}"),
	catalog.Reason(agreement.ReasonResolutionNotAdopted, fp, "{resource} في الحالة {state}، وليست مصادقا عليها", "{resource} est à l'état {state}, non ADOPTÉE"),
	catalog.Reason(agreement.ReasonResolutionNotFound, fp, "{resource} غير موجود", "{resource} n'existe pas"),
	catalog.Reason(agreement.ReasonResolutionOtherAgreement, fp, "{resource} ليس التصويت على هذه الاتفاقية", "{resource} n'est pas le vote sur cette convention"),
	catalog.Reason(agreement.RuleCommitmentParty, iv, "{field}: الطرف {1} ليس من بين الأطراف الـ{2}", "{field} : la partie {1} n'est pas l'une des {2} parties"),
	catalog.Reason(agreement.RulePartiesMinimum, iv, "{field}: للاتفاقية طرفان على الأقل، والمقدم {1}", "{field} : une convention a au moins deux parties, reçu {1}"),
	catalog.Reason(agreement.RulePartyKind, iv, "{field}: نوع طرف غير معروف {1}", "{field} : type de partie inconnu {1}"),
	catalog.Reason(agreement.RuleResolutionOtherChamber, iv, "{field}: اتفاقية {1} يصادق عليها جمعها العام لا {2}", "{field} : une convention de {1} est approuvée par sa propre assemblée, pas par {2}"),
	catalog.Reason(agreement.RuleWithinDaysPositive, iv, "{field}: يجب أن يكون 1 على الأقل، والمقدم {1}", "{field} : doit valoir au moins 1, reçu {1}"),

	// Events.
	catalog.Reason(event.ReasonEventCancelled, fp, "{resource} ملغى", "{resource} est annulé"),
	catalog.Reason(event.ReasonEventEvaluated, fp, "{resource} مقيم: لم يعد بالإمكان تغيير سجلاته", "{resource} est évalué : ses données ne peuvent plus changer"),
	catalog.Reason(event.ReasonNotAFair, fp, "{resource} من نوع {kind}: الأروقة والعارضون خاصة بالمعارض", "{resource} est de type {kind} : stands et exposants relèvent des foires et expositions"),
	catalog.Reason(event.RuleCapacityNonNegative, iv, "{field}: لا يجوز أن تكون سالبة", "{field} : ne doit pas être négative"),
	catalog.Reason(event.RuleDatesRequired, iv, "{field}: يحتاج الحدث يومه الأول والأخير", "{field} : un événement a besoin de son premier et de son dernier jour"),
	catalog.Reason(event.RuleFairKind, iv, "{field}: حصص الأروقة والحرف خاصة بالمعارض", "{field} : quotas de stands et métiers ne s'appliquent qu'aux foires et expositions"),
	catalog.Reason(event.RuleKindRequired, iv, "{field}: نوع الحدث إلزامي", "{field} : le type d'événement est obligatoire"),
	catalog.Reason(event.RuleProvinceOutsideChamber, iv, "{field}: الإقليم {1} خارج تراب الغرفة {2}؛ وحدها الأحداث الوطنية والدولية تقام خارجه", "{field} : la province {1} est hors du territoire de la chambre {2} ; seuls les événements nationaux et internationaux s'y tiennent"),
	catalog.Reason(event.RuleQuotaBooths, iv, "{field}: لا يجوز أن يكون سالبا", "{field} : ne doit pas être négatif"),
	catalog.Reason(event.RuleQuotaCriterion, iv, "{field}: معيار غير معروف {1}", "{field} : critère inconnu {1}"),
	catalog.Reason(event.RuleQuotaDuplicate, iv, "{field}: للمعيار {1} قاعدتان", "{field} : le critère {1} a deux règles"),
	catalog.Reason(event.RuleQuotaLimit, iv, "{field}: يجب أن يكون الحد RESERVED أو MAXIMUM", "{field} : la limite doit être RESERVED ou MAXIMUM"),
	catalog.Reason(event.RuleScopeUnknown, iv, "{field}: نطاق غير معروف {1}", "{field} : portée inconnue {1}"),

	// Fairs.
	catalog.Reason(fair.ReasonAllocationClosed, fp, "{resource} في الحالة {state}: لا توزع الأروقة في هذه الحالة", "{resource} est à l'état {state} : les stands ne sont pas attribués à ce stade"),
	catalog.Reason(fair.ReasonApplicantNotActive, fp, "{resource} في الحالة {state} في السجل", "{resource} est à l'état {state} dans le registre"),
	catalog.Reason(fair.ReasonApplicantNotFound, fp, "{resource} غير موجود في السجل", "{resource} n'est pas dans le registre"),
	catalog.Reason(fair.ReasonApplicantNotRegistered, fp, "{resource} غير مسجل بعد ({state})", "{resource} n'est pas encore inscrit ({state})"),
	catalog.Reason(fair.ReasonApplicantNotVisible, fp, "السجل لا يعرض {resource} لهذا المستخدم", "Le registre ne montre pas {resource} à cet appelant"),
	catalog.Reason(fair.ReasonApplicantStruckOff, fp, "{resource} مشطب عليه من السجل", "{resource} a été radié du registre"),
	catalog.Reason(fair.ReasonApplicationsClosed, fp, "{resource} في الحالة {state}: لا تقبل الطلبات", "{resource} est à l'état {state} : les candidatures ne sont pas reçues"),
	catalog.Reason(fair.ReasonApplicationExists, ae, "سبق تقديم هذا الطلب لهذا المعرض: {existing}", "Cette candidature a déjà été déposée pour cette foire : {existing}"),
	catalog.Reason(fair.ReasonBoothsExhausted, fp, "كل الأروقة الـ{booths} للمعرض مشغولة بعارضين مقبولين؛ ضع الطلب في لائحة الانتظار", "Les {booths} stands de la foire sont pris par des exposants acceptés ; mettez la candidature en liste d'attente"),
	catalog.Reason(fair.ReasonBoothsFrozen, fp, "{resource} في الحالة {state}: لم يعد بالإمكان تغيير الأروقة", "{resource} est à l'état {state} : les stands ne peuvent plus changer"),
	catalog.Reason(fair.ReasonBoothsReserved, fp, "الأروقة المتبقية محجوزة لحصص المعرض ({reserved_unfilled} مقاعد محجوزة لم تملأ من أصل {booths} رواقا)", "Les stands restants sont réservés par les quotas de la foire ({reserved_unfilled} places réservées à pourvoir sur {booths} stands)"),
	catalog.Reason(fair.ReasonBoothAllocated, fp, "{resource} مخصص لعارض؛ انقل العارض أولا", "{resource} est attribué à un exposant ; déplacez d'abord l'exposant"),
	catalog.Reason(fair.ReasonBoothAlreadyAllocated, ae, "الرواق مخصص من قبل لـ {existing}", "Le stand est déjà attribué à {existing}"),
	catalog.Reason(fair.ReasonBoothNumberTaken, ae, "{field}: للمعرض رواق بهذا الرقم من قبل", "{field} : la foire a déjà un stand portant ce numéro"),
	catalog.Reason(fair.ReasonCountsNotOpen, fp, "{resource} في الحالة {state}: لا يعد الزوار في هذه الحالة", "{resource} est à l'état {state} : les visiteurs ne sont pas comptés à ce stade"),
	catalog.Reason(fair.ReasonCraftNotAdmitted, fp, "{resource} يزاول {activity}، وهي ليست من حرف هذا المعرض", "{resource} exerce {activity}, qui n'est pas parmi les métiers de cette foire"),
	catalog.Reason(fair.ReasonExhibitorNotAccepted, fp, "{resource} في الحالة {state}: هذا خاص بالعارضين المقبولين", "{resource} est à l'état {state} : réservé aux exposants acceptés"),
	catalog.Reason(fair.ReasonQuotaExceeded, fp, "حصة {booths} أروقة للمعيار {criterion} ممتلئة", "Le quota de {booths} stands pour {criterion} est atteint"),
	catalog.Reason(fair.ReasonSalesNotOpen, fp, "{resource} في الحالة {state}: لا يصرح بالمبيعات في هذه الحالة", "{resource} est à l'état {state} : les ventes ne sont pas déclarées à ce stade"),
	catalog.Reason(fair.ReasonSelectionClosed, fp, "{resource} في الحالة {state}: لا يبت في الطلبات في هذه الحالة", "{resource} est à l'état {state} : les candidatures ne sont pas tranchées à ce stade"),
	catalog.Reason(fair.RuleApplicantCollection, iv, "{field}: المترشحون صناع أو تعاونيات أو جمعيات أو مقاولات، والمقدم {1}", "{field} : les candidats sont des artisans, coopératives, associations ou entreprises, reçu {1}"),
	catalog.Reason(fair.RuleApplicantName, iv, "{field}: يجب أن يكون اسم مورد في السجل، والمقدم {1}", "{field} : doit être un nom de ressource du registre, reçu {1}"),
	catalog.Reason(fair.RuleBoothArea, iv, "{field}: يجب أن تكون مساحة موجبة بالمتر المربع", "{field} : doit être une surface positive en mètres carrés"),
	catalog.Reason(fair.RuleBoothNumberRequired, iv, "{field}: يحتاج الرواق رقمه في تصميم الموقع", "{field} : un stand a besoin de son numéro sur le plan"),
	catalog.Reason(fair.RuleBoothOtherFair, iv, "{field}: {1} ليس رواقا في {2}", "{field} : {1} n'est pas un stand de {2}"),
	catalog.Reason(fair.RuleDateOutsideEvent, iv, "{field}: {1} خارج أيام المعرض (من {2} إلى {3})", "{field} : {1} est hors des jours de la foire ({2} au {3})"),
	catalog.Reason(fair.RuleDateRequired, iv, "{field}: اليوم إلزامي", "{field} : le jour est obligatoire"),
	catalog.Reason(fair.RuleVisitorsNonNegative, iv, "{field}: لا يجوز أن يكون سالبا", "{field} : ne doit pas être négatif"),

	// General assemblies.
	catalog.Reason(ga.ReasonAgreementNotFound, fp, "{resource} غير موجودة", "{resource} n'existe pas"),
	catalog.Reason(ga.ReasonAlreadyVoted, fp, "صوت {member} على هذه النقطة من قبل؛ لا يمكن تغيير الأصوات", "{member} a déjà voté sur ce point ; un vote ne change pas"),
	catalog.Reason(ga.ReasonAssemblyOver, fp, "{resource} في الحالة {state}: جدول أعماله نهائي", "{resource} est à l'état {state} : son ordre du jour est définitif"),
	catalog.Reason(ga.ReasonMemberAbsent, fp, "{member} لم يكن حاضرا عند فتح التصويت", "{member} n'était pas présent à l'ouverture du vote"),
	catalog.Reason(ga.ReasonNotAMember, fp, "{member} ليس في لائحة أعضاء الجمع العام", "{member} ne figure pas sur la liste des membres de l'assemblée"),
	catalog.Reason(ga.ReasonQuorumNotMet, fp, "{resource}: النصاب غير مكتمل: حضر {present} من أصل {members} عضوا، والمطلوب {required}", "{resource} : quorum non atteint : {present} présents sur {members} membres, {required} requis"),
	catalog.Reason(ga.ReasonSessionNotOpen, fp, "{resource} في الحالة {state}: لا يصوت إلا بعد افتتاح الجلسة بنصابها", "{resource} est à l'état {state} : on ne vote qu'une fois la séance ouverte avec son quorum"),
	catalog.Reason(ga.ReasonAssemblyNotEditable, fp, "{resource} في الحالة {state}: لا يعدل إلا جمع عام في حالة الدعوة", "{resource} est à l'état {state} : seule une assemblée CONVOQUÉE peut être modifiée"),
	catalog.Reason(ga.ReasonAssemblyNotSitting, fp, "{resource} في الحالة {state}: لا يسجل الحضور إلا والجمع العام مدعو أو منعقد", "{resource} est à l'état {state} : la présence ne s'enregistre qu'en assemblée convoquée ou en séance"),
	catalog.Reason(ga.ReasonItemClosed, fp, "{resource}: التصويت على هذه النقطة مغلق", "{resource} : le vote sur ce point est clos"),
	catalog.Reason(ga.ReasonNotReconvenable, fp, "{resource} في الحالة {state}: لا يعاد استدعاء إلا جمع عام مدعو في الدعوة الأولى", "{resource} est à l'état {state} : seule une assemblée convoquée en première convocation peut être reconvoquée"),
	catalog.Reason(ga.ReasonQuorumRuleInvalid, fp, "{resource}: قاعدة النصاب غير صالحة", "{resource} : règle de quorum invalide"),
	catalog.Reason(ga.ReasonVoteNotOpen, fp, "{resource}: التصويت على هذه النقطة غير مفتوح", "{resource} : le vote sur ce point n'est pas ouvert"),
	catalog.Reason(ga.ReasonVoteNotPending, fp, "{resource} في الحالة {state}: تعرض النقطة على التصويت مرة واحدة", "{resource} est à l'état {state} : un point n'est mis au vote qu'une fois"),
	catalog.Reason(ga.ReasonVoteOpen, fp, "{resource} ما زال فيه تصويت مفتوح؛ أغلقه أولا", "{resource} a encore un vote ouvert ; clôturez-le d'abord"),
	catalog.Reason(ga.RuleAgreementOtherChamber, iv, "{field}: الجمع العام لـ {1} يصوت على اتفاقياته لا على {2}", "{field} : l'assemblée de {1} vote sur ses propres conventions, pas sur {2}"),
	catalog.Reason(ga.RuleChoiceInvalid, iv, "{field}: اختر FOR أو AGAINST أو ABSTAIN", "{field} : choisissez FOR, AGAINST ou ABSTAIN"),
	catalog.Reason(ga.RuleItemAgreementKind, iv, "{field}: وحدها نقط PARTNERSHIP_AGREEMENT تذكر اتفاقية", "{field} : seuls les points PARTNERSHIP_AGREEMENT désignent une convention"),
	catalog.Reason(ga.RuleItemAgreementRequired, iv, "{field}: نقطة اتفاقية الشراكة تذكر الاتفاقية موضوع التصويت", "{field} : un point de convention de partenariat désigne la convention votée"),
	catalog.Reason(ga.RuleItemKindRequired, iv, "{field}: نوع النقطة إلزامي", "{field} : le type de point est obligatoire"),
	catalog.Reason(ga.RuleItemPosition, iv, "{field}: لا يجوز أن يكون سالبا", "{field} : ne doit pas être négatif"),
	catalog.Reason(ga.RuleMemberDuplicate, iv, "{field}: العضو {1} مذكور مرتين في اللائحة", "{field} : le membre {1} figure deux fois sur la liste"),
	catalog.Reason(ga.RuleMemberID, iv, "{field}: يحتاج العضو معرفا", "{field} : un membre a besoin d'un identifiant"),
	catalog.Reason(ga.RuleMemberUnknown, iv, "{field}: {1} ليس في اللائحة", "{field} : {1} ne figure pas sur la liste"),
	catalog.Reason(ga.RuleMembersRequired, iv, "{field}: لائحة الأعضاء إلزامية", "{field} : la liste des membres est obligatoire"),
	catalog.Reason(ga.RulePresidentMember, iv, "{field}: الرئيس {1} ليس في اللائحة", "{field} : le président {1} ne figure pas sur la liste"),
	catalog.Reason(ga.RuleQuorumInvalid, iv, "{field}: قاعدة نصاب غير صالحة ({1})", "{field} : règle de quorum invalide ({1})"),
	catalog.Reason(ga.RuleSessionExtraordinary, iv, "{field}: الدورة الاستثنائية ليس لها شهر دورة عادية", "{field} : une session extraordinaire n'a pas de mois de session ordinaire"),
	catalog.Reason(ga.RuleSessionOrdinary, iv, "{field}: الدورة العادية هي دورة فبراير أو يونيو أو أكتوبر", "{field} : une session ordinaire est celle de février, juin ou octobre"),
	catalog.Reason(ga.RuleSessionRequired, iv, "{field}: يلزم ORDINARY أو EXTRAORDINARY", "{field} : ORDINARY ou EXTRAORDINARY est obligatoire"),

	// Registrations.
	catalog.Reason(registration.ReasonAlreadyCheckedIn, fp, "{resource} سجل حضوره من قبل", "{resource} a déjà été pointé"),
	catalog.Reason(registration.ReasonEventNotRunning, fp, "{resource} في الحالة {state}: لا يسجل حضور المشاركين إلا أثناء الحدث", "{resource} est à l'état {state} : les participants ne sont pointés que pendant l'événement"),
	catalog.Reason(registration.ReasonNotASession, fp, "{resource} من نوع {kind}: يستقبل عارضين لا تسجيلات", "{resource} est de type {kind} : il reçoit des exposants, pas des inscriptions"),
	catalog.Reason(registration.ReasonRegistrationCancelled, fp, "{resource} ملغى", "{resource} a été annulée"),
	catalog.Reason(registration.ReasonRegistrationClosed, fp, "{resource} في الحالة {state}: التسجيلات مغلقة", "{resource} est à l'état {state} : les inscriptions sont closes"),
	catalog.Reason(registration.ReasonRegistrationWaitlisted, fp, "{resource} في لائحة الانتظار ولا يملك مقعدا", "{resource} est en liste d'attente et n'a pas de place"),
	catalog.Reason(registration.ReasonUnknownCheckInCode, fp, "لا يوجد تسجيل في {resource} يحمل هذا الرمز", "Aucune inscription de {resource} ne porte ce code"),
}

var labels = []catalog.Label{
	catalog.Field("sales_centimes", "المبيعات", "ventes"),
	catalog.Field("amount_centimes", "المبلغ", "montant"),
	catalog.Field("fee_centimes", "الرسوم", "redevance"),
	catalog.Field("area_m2", "المساحة", "surface"),
	catalog.Field("number", "الرقم", "numéro"),
	catalog.Field("booth", "الرواق", "stand"),
	catalog.Field("within_days", "خلال أيام", "dans les jours"),
	catalog.Field("resolution", "المقرر", "résolution"),
	catalog.Field("parties", "الأطراف", "parties"),
	catalog.Field("party", "الطرف", "partie"),
	catalog.Field("kind", "النوع", "type"),
	catalog.Field("scope", "النطاق", "portée"),
	catalog.Field("capacity", "الطاقة الاستيعابية", "capacité"),
	catalog.Field("fair", "المعرض", "foire"),
	catalog.Field("criterion", "المعيار", "critère"),
	catalog.Field("limit", "الحد", "limite"),
	catalog.Field("booths", "الأروقة", "stands"),
	catalog.Field("title", "العنوان", "titre"),
	catalog.Field("applicant", "المترشح", "candidat"),
	catalog.Field("visitors", "الزوار", "visiteurs"),
	catalog.Field("ordinary_session", "الدورة العادية", "session ordinaire"),
	catalog.Field("session_type", "نوع الدورة", "type de session"),
	catalog.Field("members", "الأعضاء", "membres"),
	catalog.Field("id", "المعرف", "identifiant"),
	catalog.Field("president", "الرئيس", "président"),
	catalog.Field("quorum", "النصاب", "quorum"),
	catalog.Field("present", "الحاضرون", "présents"),
	catalog.Field("absent", "الغائبون", "absents"),
	catalog.Field("agreement", "الاتفاقية", "convention"),
	catalog.Field("position", "الترتيب", "position"),
	catalog.Field("choice", "الاختيار", "choix"),
}

package grpcport

import (
	"google.golang.org/grpc/codes"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/fault/catalog"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/app"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/awareness"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/census"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/constitutive"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/election"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/programme"
)

// Catalog is the craft-bodies error catalogue: the shared entries and this
// service's reasons and field rules, each with its gRPC code and its Arabic
// and French message ({field}: the field's label). The gRPC server localises
// every error with it; TestCatalog fails on a reason the code gives that is
// missing here.
var Catalog = catalog.New([][]catalog.Entry{catalog.Common, auth.Messages, messages}, catalog.CommonLabels, labels)

const (
	iv = codes.InvalidArgument
	fp = codes.FailedPrecondition
	ae = codes.AlreadyExists
	un = codes.Unavailable
)

var messages = []catalog.Entry{
	// Reasons.
	catalog.Reason(craftbody.ReasonCraftBodyExists, ae, "توجد هيئة حرفية حية لهذه الحرفة في هذا التراب", "une instance professionnelle vivante existe déjà pour ce métier sur ce territoire"),
	catalog.Reason(craftbody.ReasonProvincialThresholdNotMet, fp, "لم تؤسس بعد الحصة المطلوبة من الهيئات الإقليمية أو الجهوية لهذه الحرفة", "la part requise d'instances provinciales ou régionales de ce métier n'est pas encore constituée"),
	catalog.Reason(craftbody.ReasonNationalOwnedByFederation, fp, "الهيئات الوطنية تؤسسها الجامعة وحدها، وهي لا تؤسس غيرها", "seule la fédération fonde les instances nationales, et elle ne fonde rien d'autre"),
	catalog.Reason(craftbody.ReasonDissolved, fp, "الهيئة الحرفية منحلة", "l'instance professionnelle est dissoute"),
	catalog.Reason(programme.ReasonCraftNotInPhase, fp, "الحرفة ليست من حرف المرحلة", "le métier n'est pas couvert par la phase"),
	catalog.Reason(census.ReasonCensusEmpty, fp, "لا يوجد في الإحصاء أي عضو مؤهل", "le recensement ne compte aucun membre éligible"),
	catalog.Reason(census.ReasonNotADelegate, fp, "ليس مندوبا لهيئة مؤسسة", "n'est le délégué d'aucune instance constituée"),
	catalog.Reason(census.ReasonRegistryUnavailable, un, "تعذر الوصول إلى السجل؛ لم يسجل أي إحصاء، أعد المحاولة", "le registre est injoignable ; aucun recensement n'a été enregistré, réessayez"),
	catalog.Reason(census.ReasonRegistryRefused, fp, "رفض السجل طلب الإحصاء؛ لم يسجل أي إحصاء", "le registre a refusé la demande de recensement ; rien n'a été enregistré"),
	catalog.Reason(awareness.ReasonNotInAwareness, fp, "لا تعقد لقاءات التحسيس إلا والهيئة في مرحلة التحسيس أو تشكيل اللجنة", "les réunions de sensibilisation se tiennent pendant la sensibilisation ou la formation du comité"),
	catalog.Reason(awareness.ReasonEventsUnavailable, un, "تعذر الوصول إلى خدمة التظاهرات؛ لم يسجل شيء، أعد المحاولة", "le service des événements est injoignable ; rien n'a été enregistré, réessayez"),
	catalog.Reason(awareness.ReasonEventRefused, fp, "رفضت خدمة التظاهرات الحدث؛ لم يسجل شيء", "le service des événements a refusé l'événement ; rien n'a été enregistré"),
	catalog.Reason(awareness.ReasonEventAlreadyLinked, ae, "هذا الحدث مرتبط بلقاء آخر", "cet événement est déjà lié à une autre réunion"),
	catalog.Reason(constitutive.ReasonAssemblyState, fp, "لا يسمح وضع الجمع التأسيسي بهذه الخطوة", "l'état de l'assemblée constitutive ne permet pas cette étape"),
	catalog.Reason(constitutive.ReasonNotOnRoll, fp, "العضو ليس في لائحة الجمع", "le membre n'est pas sur la liste de l'assemblée"),
	catalog.Reason(constitutive.ReasonNotPresent, fp, "العضو غير حاضر", "le membre n'est pas présent"),
	catalog.Reason(constitutive.ReasonAlreadyVoted, fp, "صوت العضو من قبل", "le membre a déjà voté"),
	catalog.Reason(constitutive.ReasonVoteClosed, fp, "التصويت مغلق", "le vote est clos"),
	catalog.Reason(constitutive.ReasonStatutesNotAdopted, fp, "لم يصادق على النظام الأساسي", "les statuts ne sont pas adoptés"),
	catalog.Reason(constitutive.ReasonEmptyRoll, fp, "الإحصاء فارغ، لا يمكن دعوة الجمع", "le recensement est vide, l'assemblée ne peut être convoquée"),
	catalog.Reason(election.ReasonCandidateNotOnRoll, fp, "المترشح ليس في لائحة الجمع", "le candidat n'est pas sur la liste de l'assemblée"),
	catalog.Reason(election.ReasonCandidateNotPresent, fp, "المترشح غير حاضر", "le candidat n'est pas présent"),
	catalog.Reason(election.ReasonNotACandidate, fp, "ليس مترشحا في هذه الجولة", "n'est pas candidat à ce tour"),
	catalog.Reason(election.ReasonOfficeFilled, fp, "المنصب مشغول", "le poste est pourvu"),
	catalog.Reason(election.ReasonNoVotesCast, fp, "لم يدل بأي صوت في هذه الجولة", "aucune voix n'a été exprimée à ce tour"),
	catalog.Reason(election.ReasonMemberHoldsOffice, fp, "يشغل المترشح منصبا آخر في المكتب", "le candidat occupe déjà un autre poste du bureau"),
	catalog.Reason(election.ReasonOfficeExists, ae, "للمكتب هذا المنصب من قبل", "le bureau a déjà ce poste"),
	catalog.Reason(app.ReasonBureauIncomplete, fp, "يجب شغل كل مناصب المكتب، ومنها الرئاسة", "chaque poste du bureau, présidence comprise, doit être pourvu"),

	// Field rules.
	catalog.Reason(election.RuleCandidatesRequired, iv, "{field}: مترشح واحد على الأقل", "{field} : au moins un candidat"),
	catalog.Reason(election.RuleCandidatesUnique, iv, "{field}: مترشح مكرر", "{field} : candidat en double"),
	catalog.Reason(election.RulePositionPositive, iv, "{field}: يجب أن يكون 1 على الأقل", "{field} : doit valoir au moins 1"),
	catalog.Reason(awareness.RuleCapacityNonNegative, iv, "{field}: لا يجوز أن تكون سالبة", "{field} : ne doit pas être négative"),
	catalog.Reason(constitutive.RuleChoiceKnown, iv, "{field}: يجب أن يكون FOR أو AGAINST أو ABSTAIN", "{field} : doit être FOR, AGAINST ou ABSTAIN"),
	catalog.Reason(constitutive.RuleDateAfterPrevious, iv, "{field}: لا يجوز أن يسبق الاستدعاء الثاني الأول", "{field} : la seconde convocation ne peut précéder la première"),
	catalog.Reason(constitutive.RuleRollMember, iv, "{field}: العضو ليس في لائحة الإحصاء", "{field} : le membre n'est pas sur la liste du recensement"),
	catalog.Reason(constitutive.RuleVenueRequired, iv, "{field}: مكان الانعقاد إلزامي", "{field} : le lieu de la séance est obligatoire"),
	catalog.Reason(craftbody.RuleCommitteeArtisanRegistrant, iv, "{field}: يجب أن يحيل على حرفي في السجل", "{field} : doit désigner un artisan du registre"),
	catalog.Reason(craftbody.RuleCommitteeArtisans, iv, "{field}: تحتاج اللجنة حرفيا واحدا على الأقل من الحرفة", "{field} : le comité a besoin d'au moins un artisan du métier"),
	catalog.Reason(craftbody.RuleCommitteeAssociationRegistrant, iv, "{field}: يجب أن يحيل على جمعية في السجل", "{field} : doit désigner une association du registre"),
	catalog.Reason(craftbody.RuleCommitteeChairMember, iv, "{field}: يجب أن يكون الرئيس حرفيا أو أمينا عضوا في اللجنة", "{field} : le président doit être un artisan ou amin membre du comité"),
	catalog.Reason(craftbody.RuleCommitteeKind, iv, "{field}: يجب أن يكون ARTISAN أو ASSOCIATION أو AMIN", "{field} : doit être ARTISAN, ASSOCIATION ou AMIN"),
	catalog.Reason(craftbody.RuleCommitteeMemberUnique, iv, "{field}: العضو مذكور مرتين في اللجنة", "{field} : le membre figure deux fois au comité"),
	catalog.Reason(craftbody.RuleCraftRequired, iv, "{field}: الحرفة إلزامية", "{field} : le métier est obligatoire"),
	catalog.Reason(craftbody.RuleElectionTieRuleKnown, iv, "{field}: قاعدة تعادل انتخابي غير معروفة", "{field} : règle d'égalité électorale inconnue"),
	catalog.Reason(craftbody.RuleLevelKnown, iv, "{field}: يجب أن يكون PROVINCIAL أو REGIONAL أو NATIONAL", "{field} : doit être PROVINCIAL, REGIONAL ou NATIONAL"),
	catalog.Reason(craftbody.RuleLevelOwner, iv, "{field}: هذا المستوى ليس لهذه الغرفة", "{field} : ce niveau ne relève pas de cette chambre"),
	catalog.Reason(craftbody.RulePhasePositive, iv, "{field}: يجب أن تكون المرحلة 1 على الأقل مع برنامج", "{field} : la phase doit valoir au moins 1 avec un programme"),
	catalog.Reason(craftbody.RuleProvinceInChamber, iv, "{field}: الإقليم خارج تراب الغرفة", "{field} : la province est hors du territoire de la chambre"),
	catalog.Reason(craftbody.RuleProvinceKnown, iv, "{field}: إقليم غير معروف", "{field} : province inconnue"),
	catalog.Reason(craftbody.RuleProvinceLevel, iv, "{field}: الإقليم يخص الهيئات الإقليمية وحدها", "{field} : la province ne concerne que les instances provinciales"),
	catalog.Reason(craftbody.RuleProvinceRequired, iv, "{field}: الإقليم إلزامي لهيئة إقليمية", "{field} : la province est obligatoire pour une instance provinciale"),
	catalog.Reason(craftbody.RuleProvincialThresholdShare, iv, "{field}: يجب أن تكون حصة بين 0 و1", "{field} : doit être une part entre 0 et 1"),
	catalog.Reason(craftbody.RuleQuorumValid, iv, "{field}: قاعدة نصاب غير صالحة", "{field} : règle de quorum invalide"),
	catalog.Reason(craftbody.RuleRunOffKnown, iv, "{field}: قاعدة دور ثان غير معروفة", "{field} : règle de second tour inconnue"),
	catalog.Reason(craftbody.RuleTieRuleKnown, iv, "{field}: قاعدة تعادل غير معروفة", "{field} : règle d'égalité inconnue"),
	catalog.Reason(programme.RuleMilestoneDueOrder, iv, "{field}: يجب أن تتوالى آجال المراحل حسب ترتيب التأسيس", "{field} : les échéances doivent suivre l'ordre de fondation"),
	catalog.Reason(programme.RuleMilestoneInPhase, iv, "{field}: يجب أن يقع الأجل داخل المرحلة", "{field} : l'échéance doit tomber dans la phase"),
	catalog.Reason(programme.RuleMilestoneOrder, iv, "{field}: يجب أن تتبع المحطات ترتيب التأسيس", "{field} : les jalons doivent suivre l'ordre de fondation"),
	catalog.Reason(programme.RuleMilestoneStage, iv, "{field}: مرحلة تأسيس غير صالحة لمحطة", "{field} : étape de fondation invalide pour un jalon"),
	catalog.Reason(programme.RulePhaseAfterLaunch, iv, "{field}: يجب أن تبدأ المرحلة بعد الانطلاق", "{field} : la phase doit commencer après le lancement"),
	catalog.Reason(programme.RulePhaseCrafts, iv, "{field}: تحتاج المرحلة حرفة واحدة على الأقل", "{field} : la phase a besoin d'au moins un métier"),
	catalog.Reason(programme.RulePhaseEndAfterStart, iv, "{field}: يجب أن تنتهي المرحلة بعد بدايتها", "{field} : la phase doit finir après son début"),
	catalog.Reason(programme.RulePhaseKnown, iv, "{field}: مرحلة غير موجودة في البرنامج", "{field} : phase absente du programme"),
	catalog.Reason(programme.RulePhaseNumber, iv, "{field}: يجب أن يكون رقم المرحلة 1 على الأقل", "{field} : le numéro de phase doit valoir au moins 1"),
	catalog.Reason(programme.RulePhaseNumberUnique, iv, "{field}: رقم مرحلة مكرر", "{field} : numéro de phase en double"),
	catalog.Reason(programme.RulePhasesRequired, iv, "{field}: يحتاج البرنامج مرحلة واحدة على الأقل", "{field} : le programme a besoin d'au moins une phase"),
	catalog.Reason(app.RuleProgrammeExists, iv, "{field}: البرنامج غير موجود", "{field} : le programme n'existe pas"),
	catalog.Reason(app.RuleProgrammeSameChamber, iv, "{field}: يجب أن يكون البرنامج برنامج الغرفة نفسها", "{field} : le programme doit être celui de la chambre"),
	catalog.Reason(app.RuleReasonRequired, iv, "{field}: يحتاج الحل إلى سببه", "{field} : une dissolution a besoin de son motif"),
}

var labels = []catalog.Label{
	catalog.Field("formed_date", "تاريخ التشكيل", "date de formation"),
	catalog.Field("committee", "اللجنة", "comité"),
	catalog.Field("members", "الأعضاء", "membres"),
	catalog.Field("chair", "الرئيس", "président"),
	catalog.Field("registrant", "المسجل", "inscrit"),
	catalog.Field("craft", "الحرفة", "métier"),
	catalog.Field("province", "الإقليم", "province"),
	catalog.Field("level", "المستوى", "niveau"),
	catalog.Field("phase", "المرحلة", "phase"),
	catalog.Field("programme", "البرنامج", "programme"),
	catalog.Field("quorum", "النصاب", "quorum"),
	catalog.Field("tie_rule", "قاعدة التعادل", "règle d'égalité"),
	catalog.Field("run_off", "الدور الثاني", "second tour"),
	catalog.Field("election_tie_rule", "قاعدة التعادل الانتخابي", "règle d'égalité électorale"),
	catalog.Field("provincial_threshold", "العتبة الإقليمية", "seuil provincial"),
	catalog.Field("kind", "النوع", "type"),
	catalog.Field("phases", "المراحل", "phases"),
	catalog.Field("number", "الرقم", "numéro"),
	catalog.Field("crafts", "الحرف", "métiers"),
	catalog.Field("milestones", "المحطات", "jalons"),
	catalog.Field("stage", "المرحلة", "étape"),
	catalog.Field("due_date", "الأجل", "échéance"),
	catalog.Field("end_date", "تاريخ النهاية", "date de fin"),
	catalog.Field("start_date", "تاريخ البداية", "date de début"),
	catalog.Field("launch_date", "تاريخ الانطلاق", "date de lancement"),
	catalog.Field("capacity", "الطاقة الاستيعابية", "capacité"),
	catalog.Field("date", "التاريخ", "date"),
	catalog.Field("venue", "المكان", "lieu"),
	catalog.Field("present", "الحاضرون", "présents"),
	catalog.Field("absent", "الغائبون", "absents"),
	catalog.Field("choice", "الاختيار", "choix"),
	catalog.Field("candidates", "المترشحون", "candidats"),
	catalog.Field("position", "الترتيب", "position"),
	catalog.Field("reason", "السبب", "motif"),
	catalog.Field("office_id", "معرف المنصب", "identifiant du poste"),
	catalog.Field("event", "الحدث", "événement"),
	catalog.Field("craft_body", "الهيئة الحرفية", "instance professionnelle"),
	catalog.Field("member", "العضو", "membre"),
	catalog.Field("candidate", "المترشح", "candidat"),
	catalog.Field("title", "العنوان", "titre"),
	catalog.Field("settings", "الإعدادات", "paramètres"),
}

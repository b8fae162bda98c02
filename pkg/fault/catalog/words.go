package catalog

// Word is an enum value as messages show it ({state}, {action}, {kind} and
// the positional arguments that carry one): the states, actions and kinds
// of the domain packages. Render swaps a parameter that is exactly a Word's
// Value for its text in the caller's language, so "est à l'état
// SUSPENDED" reads "est à l'état SUSPENDU".
type Word struct {
	Value  string
	Ar, Fr string
}

// Term is a Word: an enum value and its Arabic and French texts.
func Term(value, ar, fr string) Word { return Word{Value: value, Ar: ar, Fr: fr} }

func (w Word) text(lang string) string {
	switch lang {
	case Arabic:
		return w.Ar
	case French:
		return w.Fr
	}
	return ""
}

// Words is the vocabulary every catalogue speaks: one list for every
// service, because the same states (ACTIVE, SUSPENDED…) recur across them.
// catalogtest.Used fails when a State, Action or Kind constant of a
// service is missing here.
var Words = []Word{
	// States.
	Term("ACCEPTED", "مقبول", "ACCEPTÉ"),
	Term("ACTIVE", "نشيط", "ACTIF"),
	Term("ANSWERED", "تمت الإجابة عنه", "RÉPONDU"),
	Term("APPLICANT", "مترشح", "CANDIDAT"),
	Term("APPLICATIONS_CLOSED", "الترشيحات مغلقة", "CANDIDATURES CLOSES"),
	Term("APPLIED", "تم الترشح", "CANDIDATURE DÉPOSÉE"),
	Term("APPROVED", "مصادق عليه", "APPROUVÉ"),
	Term("ARCHIVED", "مؤرشف", "ARCHIVÉ"),
	Term("ATTENDED", "حاضر", "PRÉSENT"),
	Term("CANCELLED", "ملغى", "ANNULÉ"),
	Term("CLOSED", "مغلق", "CLOS"),
	Term("CONSUMED", "مستعمل", "UTILISÉ"),
	Term("CONVENED", "تمت الدعوة إليه", "CONVOQUÉ"),
	Term("DECLARED", "مصرح به", "DÉCLARÉ"),
	Term("DISMISSED", "مستبعد", "ÉCARTÉ"),
	Term("DISSOLVED", "منحل", "DISSOUS"),
	Term("DORMANT", "خامل", "EN SOMMEIL"),
	Term("DRAFT", "مسودة", "BROUILLON"),
	Term("ENDED", "منته", "ACHEVÉ"),
	Term("EVALUATED", "تم تقييمه", "ÉVALUÉ"),
	Term("EXPIRED", "منتهي الصلاحية", "EXPIRÉ"),
	Term("FORMING", "في طور التأسيس", "EN FORMATION"),
	Term("FORWARDED", "محال", "TRANSMIS"),
	Term("IN_LIQUIDATION", "في طور التصفية", "EN LIQUIDATION"),
	Term("IN_SESSION", "منعقد", "EN SÉANCE"),
	Term("IN_STUDY", "قيد الدراسة", "À L'ÉTUDE"),
	Term("MERGED", "مدمج", "FUSIONNÉ"),
	Term("OPEN", "مفتوح", "OUVERT"),
	Term("OPEN_FOR_APPLICATIONS", "مفتوح للترشيحات", "OUVERT AUX CANDIDATURES"),
	Term("PENDING", "في الانتظار", "EN ATTENTE"),
	Term("PLANNED", "مبرمج", "PLANIFIÉ"),
	Term("QUORUM_FAILED", "النصاب غير مكتمل", "QUORUM NON ATTEINT"),
	Term("RECEIVED", "متوصل به", "REÇU"),
	Term("REGISTERED", "مسجل", "INSCRIT"),
	Term("REJECTED", "مرفوض", "REJETÉ"),
	Term("RUNNING", "جار", "EN COURS"),
	Term("SIGNED", "موقع", "SIGNÉ"),
	Term("STAGNANT", "راكد", "EN STAGNATION"),
	Term("STRUCK_OFF", "مشطب عليه", "RADIÉ"),
	Term("SUSPENDED", "موقوف", "SUSPENDU"),
	Term("TERMINATED", "مفسوخ", "RÉSILIÉ"),
	Term("WAITLISTED", "في لائحة الانتظار", "SUR LISTE D'ATTENTE"),
	Term("WITHDRAWN", "مسحوب", "RETIRÉ"),

	// Kinds of events and of the desk's documents.
	Term("AWARENESS_SESSION", "حملة تحسيسية", "SÉANCE DE SENSIBILISATION"),
	Term("CELEBRATION", "احتفال", "CÉLÉBRATION"),
	Term("EXHIBITION", "معرض", "EXPOSITION"),
	Term("FAIR", "معرض تجاري", "FOIRE"),
	Term("MEETING", "اجتماع", "RÉUNION"),
	Term("PROFESSIONAL_CARD", "بطاقة مهنية", "CARTE PROFESSIONNELLE"),
	Term("REGISTRATION_ATTESTATION", "شهادة التسجيل", "ATTESTATION D'INSCRIPTION"),
	Term("SEMINAR", "ندوة", "SÉMINAIRE"),
	Term("TRAINING", "تكوين", "FORMATION"),

	// Actions, as «{action}» names them.
	Term("Activate", "التفعيل", "activer"),
	Term("Constitute", "التأسيس", "constituer"),
	Term("ConveneAssembly", "الدعوة إلى الجمع العام", "convoquer l'assemblée"),
	Term("Dissolve", "الحل", "dissoudre"),
	Term("FormCommittee", "تشكيل اللجنة", "former le comité"),
	Term("StartAwareness", "بدء التحسيس", "commencer la sensibilisation"),
	Term("TakeCensus", "إجراء الإحصاء", "recenser"),
	Term("accept", "القبول", "accepter"),
	Term("activate", "التفعيل", "activer"),
	Term("approve", "المصادقة", "approuver"),
	Term("cancel", "الإلغاء", "annuler"),
	Term("check in", "تسجيل الحضور", "enregistrer la présence"),
	Term("close", "الإغلاق", "clore"),
	Term("close applications", "إغلاق الترشيحات", "clore les candidatures"),
	Term("consume", "الاستعمال", "utiliser"),
	Term("dissolve", "الحل", "dissoudre"),
	Term("end", "الإنهاء", "terminer"),
	Term("evaluate", "التقييم", "évaluer"),
	Term("expire", "انتهاء الصلاحية", "expirer"),
	Term("liquidate", "التصفية", "liquider"),
	Term("mark dormant", "التصنيف خاملا", "marquer en sommeil"),
	Term("mark stagnant", "التصنيف راكدا", "marquer en stagnation"),
	Term("open applications", "فتح الترشيحات", "ouvrir les candidatures"),
	Term("open the session", "افتتاح الجلسة", "ouvrir la séance"),
	Term("promote", "الترقية من لائحة الانتظار", "promouvoir de la liste d'attente"),
	Term("reactivate", "إعادة التفعيل", "réactiver"),
	Term("register", "التسجيل", "inscrire"),
	Term("reinstate", "الإرجاع", "réintégrer"),
	Term("reject", "الرفض", "rejeter"),
	Term("sign", "التوقيع", "signer"),
	Term("start", "البدء", "commencer"),
	Term("strike off", "التشطيب", "radier"),
	Term("suspend", "التوقيف", "suspendre"),
	Term("terminate", "الفسخ", "résilier"),
	Term("waitlist", "الوضع في لائحة الانتظار", "mettre sur liste d'attente"),
	Term("withdraw", "السحب", "retirer"),
}

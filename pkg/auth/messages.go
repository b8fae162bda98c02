package auth

import (
	"google.golang.org/grpc/codes"

	"github.com/hirfa/hirfa/pkg/fault/catalog"
)

// Messages are the Arabic and French messages of the authentication reasons,
// for every service's catalogue and the gateway's.
var Messages = []catalog.Entry{
	catalog.Reason(ReasonMissing, codes.Unauthenticated, "يجب تسجيل الدخول", "Authentification requise"),
	catalog.Reason(ReasonMalformed, codes.Unauthenticated, "رمز الدخول غير سليم الصيغة", "Jeton d'accès mal formé"),
	catalog.Reason(ReasonAlgorithm, codes.Unauthenticated, "خوارزمية توقيع الرمز غير مقبولة", "Algorithme du jeton non accepté"),
	catalog.Reason(ReasonKeyIDMissing, codes.Unauthenticated, "الرمز لا يحمل معرف المفتاح", "Le jeton ne porte pas d'identifiant de clé"),
	catalog.Reason(ReasonKeyIDUnknown, codes.Unauthenticated, "الرمز موقع بمفتاح غير معروف", "Jeton signé par une clé inconnue"),
	catalog.Reason(ReasonSignature, codes.Unauthenticated, "توقيع الرمز غير صحيح", "Signature du jeton invalide"),
	catalog.Reason(ReasonExpired, codes.Unauthenticated, "انتهت صلاحية الرمز", "Jeton expiré"),
	catalog.Reason(ReasonNotYetValid, codes.Unauthenticated, "الرمز غير صالح بعد", "Jeton pas encore valide"),
	catalog.Reason(ReasonIssuer, codes.Unauthenticated, "جهة إصدار الرمز غير مقبولة", "Émetteur du jeton non accepté"),
	catalog.Reason(ReasonAudience, codes.Unauthenticated, "الجهة المستهدفة بالرمز غير مقبولة", "Audience du jeton non acceptée"),
	catalog.Reason(ReasonSubject, codes.Unauthenticated, "صاحب الرمز غير محدد أو غير صالح", "Sujet du jeton absent ou invalide"),
	catalog.Reason(ReasonRole, codes.Unauthenticated, "دور الرمز غير محدد أو غير معروف", "Rôle du jeton absent ou inconnu"),
	catalog.Reason(ReasonChamber, codes.Unauthenticated, "غرفة الرمز لا تناسب دوره", "La chambre du jeton ne correspond pas à son rôle"),
	catalog.Reason(ReasonClaims, codes.Unauthenticated, "بيانات الرمز غير صالحة", "Revendications du jeton invalides"),
	catalog.Reason(ReasonUnverifiedPrincipal, codes.Unauthenticated, "ترويسات الهوية تتطلب رمزا موثقا", "Les en-têtes d'identité exigent un jeton vérifié"),
	catalog.Reason(ReasonKeysUnavailable, codes.Unavailable, "مفاتيح التحقق غير متوفرة مؤقتا", "Clés de vérification momentanément indisponibles"),
}

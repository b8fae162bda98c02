package edge

import (
	"net/http"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/fault/catalog"
	"github.com/hirfa/hirfa/pkg/fault/faultgrpc"
)

// Reasons of the errors the edge answers itself.
const (
	ReasonRouteNotFound         = "ROUTE_NOT_FOUND"
	ReasonMethodNotAllowed      = "METHOD_NOT_ALLOWED"
	ReasonBadRequest            = "BAD_REQUEST"
	ReasonBodyTooLarge          = "BODY_TOO_LARGE"
	ReasonBodyUnreadable        = "BODY_UNREADABLE"
	ReasonCORSOrigin            = "CORS_ORIGIN"
	ReasonIdempotencyInProgress = "IDEMPOTENCY_IN_PROGRESS"
	ReasonIdempotencyKeyReused  = "IDEMPOTENCY_KEY_REUSED"
	ReasonIdempotencyKeyInvalid = "IDEMPOTENCY_KEY_INVALID"
	ReasonIdempotencyKeysSpent  = "IDEMPOTENCY_KEYS_EXHAUSTED"
	ReasonAuthFailuresExceeded  = "AUTH_FAILURES_EXCEEDED"
	ReasonRateLimited           = "RATE_LIMITED"
	ReasonRateLimiterDown       = "RATE_LIMITER_UNAVAILABLE"
	ReasonBackendUnavailable    = "BACKEND_UNAVAILABLE"
	// ReasonInvalidQueryParameter: a query parameter of an upload names no
	// value of its enum (detail: the parameter).
	ReasonInvalidQueryParameter = "INVALID_QUERY_PARAMETER"
)

// Catalog translates the edge's own errors and the authentication errors
// its guard answers. The services' errors arrive translated already: each
// service renders its reasons in the language the edge forwards as
// grpc-accept-language, with a LocalizedMessage detail.
var Catalog = catalog.New([][]catalog.Entry{catalog.Common, auth.Messages, {
	catalog.Reason(ReasonRouteNotFound, codes.NotFound, "لا يوجد مسار بهذا العنوان: {detail}", "Aucune route à cette adresse : {detail}"),
	catalog.Reason(ReasonMethodNotAllowed, codes.Unimplemented, "الطريقة غير مسموح بها على هذا المسار: {detail}", "Méthode non autorisée sur ce chemin : {detail}"),
	catalog.Reason(ReasonBadRequest, codes.InvalidArgument, "طلب غير صالح", "Requête invalide"),
	catalog.Reason(ReasonBodyTooLarge, codes.ResourceExhausted, "متن الطلب كبير جدا ({detail})", "Corps de requête trop volumineux ({detail})"),
	catalog.Reason(ReasonBodyUnreadable, codes.InvalidArgument, "تعذرت قراءة متن الطلب", "Impossible de lire le corps de la requête"),
	catalog.Reason(ReasonCORSOrigin, codes.PermissionDenied, "المصدر غير مسموح به: {detail}", "Origine non autorisée : {detail}"),
	catalog.Reason(ReasonIdempotencyInProgress, codes.Aborted, "طلب يحمل مفتاح Idempotency-Key هذا قيد التنفيذ", "Une requête portant cette Idempotency-Key est en cours"),
	catalog.Reason(ReasonIdempotencyKeyInvalid, codes.InvalidArgument, "ترويسة Idempotency-Key غير صالحة: يجب أن تتكون من 1 إلى 255 حرفا مرئيا من ASCII (بدون فراغات أو حروف تحكم)", "En-tête Idempotency-Key invalide : de 1 à 255 caractères ASCII visibles (sans espaces ni caractères de contrôle)"),
	catalog.Reason(ReasonIdempotencyKeysSpent, codes.ResourceExhausted, "مفاتيح Idempotency-Key المحفوظة لهذا المستعمل كثيرة جدا خلال 24 ساعة؛ أرسل الطلب بدونها أو لاحقا", "Trop de clés Idempotency-Key conservées pour cet appelant en 24 heures ; envoyez la requête sans clé ou plus tard"),
	catalog.Reason(ReasonAuthFailuresExceeded, codes.ResourceExhausted, "محاولات مصادقة فاشلة كثيرة من هذا العنوان؛ أعد المحاولة لاحقا", "Trop d'échecs d'authentification depuis cette adresse ; réessayez plus tard"),
	catalog.Reason(ReasonRateLimited, codes.ResourceExhausted, "تجاوزت عدد الطلبات المسموح به؛ أعد المحاولة بعد {detail} ثانية", "Limite de requêtes dépassée ; réessayez dans {detail} seconde(s)"),
	catalog.Reason(ReasonRateLimiterDown, codes.Unavailable, "مراقب عدد الطلبات غير متوفر مؤقتا؛ أعد المحاولة بعد لحظة", "Le limiteur de requêtes est momentanément indisponible ; réessayez dans un instant"),
	catalog.Reason(ReasonBackendUnavailable, codes.Unavailable, "الخدمة غير متوفرة مؤقتا؛ أعد المحاولة بعد لحظة", "Service momentanément indisponible ; réessayez dans un instant"),
	catalog.Reason(ReasonInvalidQueryParameter, codes.InvalidArgument, "قيمة غير معروفة لمعامل الاستعلام {detail}", "Valeur inconnue du paramètre de requête {detail}"),
	catalog.Reason(ReasonIdempotencyKeyReused, codes.InvalidArgument, "استعمل مفتاح Idempotency-Key هذا لطلب مختلف", "Cette Idempotency-Key a servi à une autre requête"),
}}, catalog.CommonLabels)

// fallback are one-line summaries per code, only for errors that carry no
// catalogued reason (a transport failure, a status without ErrorInfo).
var fallback = map[string]map[codes.Code]string{
	catalog.Arabic: {
		codes.InvalidArgument:    "الطلب غير صالح: راجع الحقول المذكورة",
		codes.NotFound:           "السجل المطلوب غير موجود",
		codes.AlreadyExists:      "السجل موجود من قبل",
		codes.FailedPrecondition: "لا يمكن تنفيذ العملية في حالة السجل الحالية",
		codes.Aborted:            "تم تعديل السجل من طرف شخص آخر، أعد قراءته",
		codes.PermissionDenied:   "ليست لديك صلاحية لهذه العملية",
		codes.Unauthenticated:    "يجب تسجيل الدخول",
		codes.ResourceExhausted:  "عدد كبير من الطلبات، أعد المحاولة لاحقا",
		codes.Unavailable:        "الخدمة غير متوفرة مؤقتا، أعد المحاولة",
		codes.DeadlineExceeded:   "انتهت مهلة الطلب، أعد المحاولة",
		codes.Internal:           "خطأ داخلي",
	},
	catalog.French: {
		codes.InvalidArgument:    "Requête invalide : vérifiez les champs indiqués",
		codes.NotFound:           "L'enregistrement demandé est introuvable",
		codes.AlreadyExists:      "L'enregistrement existe déjà",
		codes.FailedPrecondition: "Opération impossible dans l'état actuel de l'enregistrement",
		codes.Aborted:            "L'enregistrement a été modifié par quelqu'un d'autre : relisez-le",
		codes.PermissionDenied:   "Vous n'avez pas le droit d'effectuer cette opération",
		codes.Unauthenticated:    "Authentification requise",
		codes.ResourceExhausted:  "Trop de requêtes, réessayez plus tard",
		codes.Unavailable:        "Service momentanément indisponible, réessayez",
		codes.DeadlineExceeded:   "Délai de la requête dépassé, réessayez",
		codes.Internal:           "Erreur interne",
	},
}

// language picks en, ar or fr from Accept-Language by q-value; English
// when nothing matches.
func language(r *http.Request) string { return catalog.Match(r.Header.Get("Accept-Language")) }

// localize returns st in the caller's language. A service's status already
// carries its LocalizedMessage and passes unchanged; the edge's own errors
// (and authentication errors) are rendered from the catalogue; anything else
// gets the per-code summary, with the original English kept as an "en"
// LocalizedMessage detail.
func localize(r *http.Request, st *status.Status) *status.Status {
	lang := language(r)
	if lang == catalog.English {
		return st
	}
	out := faultgrpc.Localize(catalog.Localizer{Lang: lang, Catalog: Catalog}, st)
	if out != st {
		return out
	}
	for _, d := range st.Details() {
		if _, ok := d.(*errdetails.LocalizedMessage); ok {
			return st
		}
	}
	msg, ok := fallback[lang][st.Code()]
	if !ok {
		return st
	}
	p := st.Proto()
	loc := status.New(st.Code(), msg)
	if d, err := loc.WithDetails(&errdetails.LocalizedMessage{Locale: lang, Message: msg},
		&errdetails.LocalizedMessage{Locale: catalog.English, Message: p.GetMessage()}); err == nil {
		loc = d
	}
	pp := loc.Proto()
	pp.Details = append(p.GetDetails(), pp.GetDetails()...)
	return status.FromProto(pp)
}

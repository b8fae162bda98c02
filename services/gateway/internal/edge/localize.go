package edge

import (
	"net/http"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// messages are the localised summaries of error codes. The service's precise
// English message is kept as an "en" LocalizedMessage detail, and field
// violations keep naming the fields, so nothing is lost in translation.
var messages = map[string]map[codes.Code]string{
	"ar": {
		codes.InvalidArgument:    "الطلب غير صالح: راجع الحقول المذكورة",
		codes.NotFound:           "السجل المطلوب غير موجود",
		codes.AlreadyExists:      "السجل موجود من قبل",
		codes.FailedPrecondition: "لا يمكن تنفيذ العملية في حالة السجل الحالية",
		codes.Aborted:            "تم تعديل السجل من طرف شخص آخر، أعد قراءته",
		codes.PermissionDenied:   "ليست لديك صلاحية لهذه العملية",
		codes.Unauthenticated:    "يجب تسجيل الدخول",
		codes.ResourceExhausted:  "عدد كبير من الطلبات، أعد المحاولة لاحقا",
		codes.Unavailable:        "الخدمة غير متوفرة مؤقتا، أعد المحاولة",
		codes.Internal:           "خطأ داخلي",
	},
	"fr": {
		codes.InvalidArgument:    "Requête invalide : vérifiez les champs indiqués",
		codes.NotFound:           "L'enregistrement demandé est introuvable",
		codes.AlreadyExists:      "L'enregistrement existe déjà",
		codes.FailedPrecondition: "Opération impossible dans l'état actuel de l'enregistrement",
		codes.Aborted:            "L'enregistrement a été modifié par quelqu'un d'autre : relisez-le",
		codes.PermissionDenied:   "Vous n'avez pas le droit d'effectuer cette opération",
		codes.Unauthenticated:    "Authentification requise",
		codes.ResourceExhausted:  "Trop de requêtes, réessayez plus tard",
		codes.Unavailable:        "Service momentanément indisponible, réessayez",
		codes.Internal:           "Erreur interne",
	},
}

// language picks ar or fr from Accept-Language (first supported wins);
// "" keeps the service's English message.
func language(r *http.Request) string {
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		base, _, _ := strings.Cut(tag, "-")
		if _, ok := messages[base]; ok {
			return base
		}
	}
	return ""
}

// localize makes the message the one of the caller's language and adds
// google.rpc.LocalizedMessage details for it and for the original.
func localize(r *http.Request, st *status.Status) *status.Status {
	lang := language(r)
	msg, ok := messages[lang][st.Code()]
	if !ok {
		return st
	}
	p := st.Proto()
	out := status.New(st.Code(), msg)
	if d, err := out.WithDetails(&errdetails.LocalizedMessage{Locale: lang, Message: msg},
		&errdetails.LocalizedMessage{Locale: "en", Message: p.GetMessage()}); err == nil {
		out = d
	}
	pp := out.Proto()
	pp.Details = append(p.GetDetails(), pp.GetDetails()...)
	return status.FromProto(pp)
}

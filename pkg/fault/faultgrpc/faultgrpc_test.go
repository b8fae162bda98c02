package faultgrpc

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/fault/catalog"
)

var cat = catalog.New([][]catalog.Entry{catalog.Common, {
	catalog.Reason("QUOTA_EXCEEDED", codes.FailedPrecondition, "حصة {booths} أروقة للمعيار {criterion} ممتلئة", "Le quota de {booths} stands pour {criterion} est atteint"),
}}, catalog.CommonLabels, []catalog.Label{catalog.Field("capital_centimes", "رأس المال", "capital social")})

func localized(st *status.Status) *errdetails.LocalizedMessage {
	for _, d := range st.Details() {
		if lm, ok := d.(*errdetails.LocalizedMessage); ok {
			return lm
		}
	}
	return nil
}

func TestStatusLocalizes(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	quota := &fault.PreconditionError{Reason: "QUOTA_EXCEEDED", Msg: "the quota of 3 booths for WOMEN is full",
		Meta: map[string]string{"criterion": "WOMEN", "booths": "3"}}
	for lang, want := range map[string]string{
		catalog.Arabic:  "حصة 3 أروقة للمعيار WOMEN ممتلئة",
		catalog.French:  "Le quota de 3 stands pour WOMEN est atteint",
		catalog.English: "the quota of 3 booths for WOMEN is full",
	} {
		ctx := catalog.NewContext(context.Background(), catalog.Localizer{Lang: lang, Catalog: cat})
		st := Status(ctx, log, "x.hirfa", quota)
		if st.Message() != want || localized(st).GetLocale() != lang || localized(st).GetMessage() != want {
			t.Errorf("%s: %q (%v), want %q", lang, st.Message(), localized(st), want)
		}
	}
	// Without a localizer (no gRPC server around): English, as before.
	if st := Status(context.Background(), log, "x.hirfa", quota); st.Message() != quota.Msg || localized(st).GetLocale() != "en" {
		t.Errorf("no localizer: %q", st.Message())
	}
	// A violation: the description names the field in the language.
	ctx := catalog.NewContext(context.Background(), catalog.Localizer{Lang: catalog.French, Catalog: cat})
	st := Status(ctx, log, "x.hirfa", fault.Invalid("cooperative.capital_centimes", fault.RuleRequired, "is required"))
	var fv *errdetails.BadRequest_FieldViolation
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			fv = br.GetFieldViolations()[0]
		}
	}
	if fv.GetDescription() != "capital social : champ obligatoire" || fv.GetField() != "cooperative.capital_centimes" || st.Message() != "Requête invalide : capital social : champ obligatoire" {
		t.Errorf("violation: %q / %v", st.Message(), fv)
	}
	// A status built elsewhere gets its reason's message on the way out.
	auth := status.New(codes.PermissionDenied, "denied")
	auth, _ = auth.WithDetails(&errdetails.ErrorInfo{Reason: fault.ReasonPermissionDenied})
	if got := Localize(catalog.Localizer{Lang: catalog.Arabic, Catalog: cat}, auth); got.Message() != "ليست لديك صلاحية لهذه العملية" || localized(got) == nil {
		t.Errorf("Localize: %q", got.Message())
	}
}

package service

import (
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/hirfa/hirfa/pkg/auth"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
)

// TestLocalizedViolations: with grpc-accept-language the registry answers a
// capital below the legal minimum in the caller's language, naming the field
// in that language with the figures, in the status message, the field
// violation's description and LocalizedMessage details; rule ids, fields and
// the ErrorInfo reason stay as they are.
func TestLocalizedViolations(t *testing.T) {
	e := start(t, "")
	create := func(lang string) *status.Status {
		ctx := e.as(t, auth.RoleChamberClerk, "fes-meknes")
		if lang != "" {
			ctx = metadata.AppendToOutgoingContext(ctx, "grpc-accept-language", lang)
		}
		c := newCoop()
		c.CapitalCentimes = 50_000
		_, err := e.coops().CreateCooperative(ctx, &registryv1.CreateCooperativeRequest{Parent: "chambers/fes-meknes", Cooperative: c})
		if code(err) != codes.InvalidArgument {
			t.Fatalf("capital below minimum (%s) = %v", lang, err)
		}
		return status.Convert(err)
	}
	violation := func(st *status.Status) (*errdetails.BadRequest_FieldViolation, *errdetails.LocalizedMessage, string) {
		var fv *errdetails.BadRequest_FieldViolation
		var lm *errdetails.LocalizedMessage
		var reason string
		for _, d := range st.Details() {
			switch d := d.(type) {
			case *errdetails.BadRequest:
				fv = d.GetFieldViolations()[0]
			case *errdetails.LocalizedMessage:
				lm = d
			case *errdetails.ErrorInfo:
				reason = d.GetReason()
			}
		}
		if fv == nil || lm == nil {
			t.Fatalf("details missing: %v", st.Details())
		}
		return fv, lm, reason
	}

	st := create("ar")
	fv, lm, reason := violation(st)
	if reason != "capital.minimum" || fv.GetField() != "cooperative.capital_centimes" || fv.GetReason() != "capital.minimum" {
		t.Fatalf("machine-readable parts changed: reason %q, violation %v", reason, fv)
	}
	wantAr := "رأس المال: يجب ألا يقل رأس المال عن 1000.00 درهم (100000 سنتيم)، والمقدم 50000"
	if fv.GetDescription() != wantAr || fv.GetLocalizedMessage().GetLocale() != "ar" {
		t.Errorf("Arabic description = %q (%v), want %q", fv.GetDescription(), fv.GetLocalizedMessage(), wantAr)
	}
	if lm.GetLocale() != "ar" || st.Message() != lm.GetMessage() || !strings.HasPrefix(st.Message(), "الطلب غير صالح: ") || !strings.Contains(st.Message(), wantAr) {
		t.Errorf("Arabic message = %q (%v)", st.Message(), lm)
	}

	st = create("fr-CA;q=0.9, ar;q=0.8")
	fv, lm, _ = violation(st)
	if lm.GetLocale() != "fr" || !strings.HasPrefix(fv.GetDescription(), "capital social : le capital social doit être d'au moins") {
		t.Errorf("French = %q / %q (%v)", st.Message(), fv.GetDescription(), lm)
	}

	for _, lang := range []string{"", "de-DE", "fr;q=0"} {
		st = create(lang)
		fv, lm, _ = violation(st)
		if lm.GetLocale() != "en" || fv.GetLocalizedMessage() != nil || !strings.Contains(fv.GetDescription(), "share capital must be at least 1,000.00 MAD") {
			t.Errorf("%q must stay English: %q / %q (%v)", lang, st.Message(), fv.GetDescription(), lm)
		}
	}
}

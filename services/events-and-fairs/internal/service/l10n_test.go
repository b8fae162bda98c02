package service

import (
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
)

// localized returns the status message and its LocalizedMessage detail.
func localized(t *testing.T, err error) (string, *errdetails.LocalizedMessage) {
	t.Helper()
	st, _ := status.FromError(err)
	for _, d := range st.Details() {
		if lm, ok := d.(*errdetails.LocalizedMessage); ok {
			return st.Message(), lm
		}
	}
	t.Fatalf("no LocalizedMessage in %v", err)
	return "", nil
}

// TestLocalizedErrors: a gRPC caller asking for Arabic (grpc-accept-language)
// gets the reason's own Arabic message with its figures, the ErrorInfo reason
// unchanged; French callers get French, and English stays the default.
func TestLocalizedErrors(t *testing.T) {
	e := start(t, options{})
	ctx := e.clerk(t)
	ga := e.convene(t, ctx, 82, &eventsfairsv1.QuorumSetting{Numerator: 1, Denominator: 2, SecondNumerator: 1, SecondDenominator: 4, SecondMinimum: 10})
	must(e.assemblies().RecordAttendance(ctx, &eventsfairsv1.RecordAttendanceRequest{Name: ga.GetName(), Present: members(82)[:25]}))(t)
	open := func(lang string) error {
		c := ctx
		if lang != "" {
			c = metadata.AppendToOutgoingContext(ctx, "grpc-accept-language", lang)
		}
		_, err := e.assemblies().OpenSession(c, &eventsfairsv1.OpenSessionRequest{Name: ga.GetName()})
		wantErr(t, "open without quorum ("+lang+")", err, codes.FailedPrecondition, "QUORUM_NOT_MET")
		return err
	}
	msg, lm := localized(t, open("ar"))
	if lm.GetLocale() != "ar" || lm.GetMessage() != msg {
		t.Fatalf("Arabic: message %q, detail %v", msg, lm)
	}
	for _, want := range []string{"النصاب غير مكتمل", "حضر 25 من أصل 82", "والمطلوب 41", ga.GetName()} {
		if !strings.Contains(msg, want) {
			t.Errorf("Arabic quorum message %q lacks %q", msg, want)
		}
	}
	msg, lm = localized(t, open("fr-CA;q=0.9, ar;q=0.8"))
	if lm.GetLocale() != "fr" || !strings.Contains(msg, "quorum non atteint") || !strings.Contains(msg, "25 présents sur 82 membres, 41 requis") {
		t.Errorf("French: %q (%v)", msg, lm)
	}
	for _, lang := range []string{"", "de", "ar;q=0"} {
		msg, lm = localized(t, open(lang))
		if lm.GetLocale() != "en" || !strings.Contains(msg, "quorum") || strings.ContainsAny(msg, "النصاب") {
			t.Errorf("%q must stay English: %q (%v)", lang, msg, lm)
		}
	}

	// A protovalidate violation: its description localised, its field
	// and rule kept.
	arCtx := metadata.AppendToOutgoingContext(ctx, "grpc-accept-language", "ar")
	_, err := e.assemblies().ListAssemblies(arCtx, &eventsfairsv1.ListAssembliesRequest{Parent: "chambers/fes-meknes", PageSize: -1})
	wantErr(t, "negative page size", err, codes.InvalidArgument, "")
	st, _ := status.FromError(err)
	var fv *errdetails.BadRequest_FieldViolation
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok && len(br.GetFieldViolations()) > 0 {
			fv = br.GetFieldViolations()[0]
		}
	}
	if fv == nil || fv.GetField() != "page_size" || fv.GetLocalizedMessage().GetLocale() != "ar" || !strings.Contains(fv.GetDescription(), "حجم الصفحة") {
		t.Fatalf("field violation %v in %v", fv, err)
	}
}

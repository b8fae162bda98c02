package protomap

import (
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/l10n"
)

func TestRoundTrips(t *testing.T) {
	l := l10n.Text{AR: "فاس", FR: "Fès", EN: "Fez"}
	if got := Localized(Text(l)); got != l {
		t.Fatalf("Localized(Text(%v)) = %v", l, got)
	}
	c := l10n.Contact{Phone: "+212 5 35 00 00 00", Email: "a@b.ma", Address: "Fès"}
	if got := ContactOf(Contact(c)); got != c {
		t.Fatalf("ContactOf(Contact(%v)) = %v", c, got)
	}
	if Timestamp(time.Time{}) != nil || TimestampPtr(nil) != nil {
		t.Fatal("absent times must stay absent")
	}
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	if !Timestamp(now).AsTime().Equal(now) || !TimestampPtr(&now).AsTime().Equal(now) {
		t.Fatal("time changed in rendering")
	}
	if EnumName("STATE_UNSPECIFIED") != "" || EnumName("REGISTERED") != "REGISTERED" {
		t.Fatal("EnumName")
	}
	if Localized(nil) != (l10n.Text{}) || ContactOf(nil) != (l10n.Contact{}) {
		t.Fatal("nil messages must read as empty")
	}
}

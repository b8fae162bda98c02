package console

import "testing"

func TestToHijri(t *testing.T) {
	for _, c := range []struct {
		y, m, d int
		want    HijriDate
	}{
		{622, 7, 19, HijriDate{1, 1, 1}}, // proleptic Gregorian day of the civil epoch (16 July Julian)
		{2000, 1, 1, HijriDate{1420, 9, 24}},
		{2023, 7, 19, HijriDate{1445, 1, 1}},
		{2024, 3, 11, HijriDate{1445, 9, 1}},
		{2026, 11, 27, HijriDate{1448, 6, 16}},
	} {
		if got := ToHijri(c.y, c.m, c.d); got != c.want {
			t.Errorf("ToHijri(%d-%02d-%02d) = %+v, want %+v", c.y, c.m, c.d, got, c.want)
		}
	}
}

func TestLocaleFormats(t *testing.T) {
	ar, fr := locale{Lang: langAR, Eastern: true}, locale{Lang: langFR}
	if got := fr.MAD("123456"); got != "1\u202f234,56\u00a0MAD" {
		t.Errorf("fr MAD = %q", got)
	}
	if got := ar.MAD(float64(100000)); got != "١.٠٠٠,٠٠\u00a0د.م." {
		t.Errorf("ar MAD = %q", got)
	}
	if got := fr.Date("2026-04-10"); got != "10 avril 2026" {
		t.Errorf("fr Date = %q", got)
	}
	if got := ar.Hijri("2026-11-27"); got != "١٦ جمادى الآخرة ١٤٤٨ هـ" {
		t.Errorf("ar Hijri = %q", got)
	}
	if ar.Dir() != "rtl" || fr.Dir() != "ltr" {
		t.Error("direction")
	}
}

func TestMessagesTranslated(t *testing.T) {
	for k, m := range messages {
		if m[0] == "" || m[1] == "" {
			t.Errorf("message %q lacks a translation: %q", k, m)
		}
	}
}

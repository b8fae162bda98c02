package textnorm

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", ""},
		{"only separators", " -'’. ", ""},
		{"plain arabic", "فاس", "فاس"},
		{"fatha on fa", "فَاس", "فاس"},
		{"full harakat", "مُحَمَّد", "محمد"},
		{"tanwin", "كِتَابٌ", "كتاب"},
		{"sukun and shadda", "مَدْرَسَّة", "مدرسه"},
		{"superscript alif", "هٰذا", "هذا"},
		{"tatweel", "فـــاس", "فاس"},
		{"ta marbuta", "مدرسة", "مدرسه"},
		{"ha unchanged", "مدرسه", "مدرسه"},
		{"hamza below alif", "إبراهيم", "ابراهيم"},
		{"hamza above alif", "أحمد", "احمد"},
		{"madda", "آمنة", "امنه"},
		{"alif wasla", "ٱلله", "الله"},
		{"hamza on waw", "مؤسسة", "موسسه"},
		{"hamza on ya", "رئيس", "رييس"},
		{"alif maqsura", "مصطفى", "مصطفي"},
		{"ya unchanged", "مصطفي", "مصطفي"},
		{"persian kaf", "کتاب", "كتاب"},
		{"persian ya", "علی", "علي"},
		{"maghrebi gaf", "ڭلميم", "كلميم"},
		{"maghrebi veh", "ڤاس", "فاس"},
		{"arabic-indic digits", "الحي ١٢٣", "الحي 123"},
		{"persian digits", "۴۵", "45"},
		{"presentation forms", "\uFEB3\uFEE0\uFE8E\uFEE1", "سلام"},
		{"lam-alif ligature", "\uFEFB", "لا"},
		{"zero-width non-joiner inside word", "می\u200Cخواهم", "ميخواهم"},
		{"direction marks", "\u200Fفاس\u200E", "فاس"},
		{"arabic comma separates", "فاس،مكناس", "فاس مكناس"},
		{"arabic question mark", "فاس؟", "فاس"},
		{"uppercase ascii", "FES", "fes"},
		{"grave e", "Fès", "fes"},
		{"acute e", "Été", "ete"},
		{"circumflex e", "Fête", "fete"},
		{"diaeresis", "Noël Aïn", "noel ain"},
		{"cedilla", "Façade", "facade"},
		{"circumflex o", "Côte", "cote"},
		{"u grave", "Où", "ou"},
		{"ligature oe", "Œuvre", "oeuvre"},
		{"ligature ae", "Lætitia", "laetitia"},
		{"sharp s", "Straße", "strasse"},
		{"capital sharp s", "STRAẞE", "strasse"},
		{"dotted capital i", "İzmir", "izmir"},
		{"fi ligature", "ﬁlage", "filage"},
		{"full-width letters", "ＦＥＳ", "fes"},
		{"apostrophe and hyphen", "M'diq-Fnideq", "m diq fnideq"},
		{"typographic apostrophe", "M’diq", "m diq"},
		{"underscore", "dar_el_beida", "dar el beida"},
		{"whitespace runs", "  Dar \t\n  Bouazza  ", "dar bouazza"},
		{"no-break space", "Sidi\u00A0Kacem", "sidi kacem"},
		{"digits kept", "Lot 12B", "lot 12b"},
		{"symbols separate", "A&B+C", "a b c"},
		{"mixed scripts", "Coopérative تعاونية", "cooperative تعاونيه"},
		{"control characters", "a\x00b\x7fc", "a b c"},
		{"invalid utf-8", "a\xffb", "a b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Fold(tc.in); got != tc.want {
				t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestFoldEquivalence checks the promise the search relies on: every
// spelling in a group gets one key, and different names keep different keys.
func TestFoldEquivalence(t *testing.T) {
	groups := [][]string{
		{"فاس", "فَاس", "فـــاس", "فَـاسْ", " فاس "},
		{"مدرسة", "مدرسه", "مَدْرَسَة"},
		{"إبراهيم", "ابراهيم", "أبراهيم", "إِبْرَاهِيم"},
		{"مصطفى", "مصطفي", "مُصْطَفَى"},
		{"آمنة", "امنة", "أمنه", "امنه"},
		{"Fès", "FES", "fes", "Fes", "FÈS", "fès"},
		{"M'diq-Fnideq", "M’diq Fnideq", "m diq  fnideq", "M-DIQ-FNIDEQ"},
		{"Meknès", "MEKNES", "meknés"},
		{"Béni Mellal-Khénifra", "beni mellal khenifra", "BENI-MELLAL KHENIFRA"},
	}
	for _, g := range groups {
		want := Fold(g[0])
		for _, s := range g[1:] {
			if got := Fold(s); got != want {
				t.Errorf("Fold(%q) = %q, want %q (same as Fold(%q))", s, got, want, g[0])
			}
		}
	}

	distinct := [][2]string{
		{"فاس", "قاس"},
		{"محمد", "احمد"},
		{"Fès", "Fas"},
		{"Rabat", "Rabah"},
		{"سلا", "سلي"},
	}
	for _, d := range distinct {
		if Fold(d[0]) == Fold(d[1]) {
			t.Errorf("Fold(%q) == Fold(%q) == %q, want different keys", d[0], d[1], Fold(d[0]))
		}
	}
}

func TestKey(t *testing.T) {
	tests := []struct {
		name  string
		parts []string
		want  string
	}{
		{"none", nil, ""},
		{"arabic and french", []string{"تعاونية فاس", "Coopérative de Fès"}, "تعاونيه فاس cooperative de fes"},
		{"empty parts skipped", []string{"", "  ", "Fès", "-"}, "fes"},
		{"single", []string{"مصطفى"}, "مصطفي"},
		{"separators inside parts", []string{"M'diq-Fnideq", " Tétouan "}, "m diq fnideq tetouan"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Key(tc.parts...); got != tc.want {
				t.Errorf("Key(%q) = %q, want %q", tc.parts, got, tc.want)
			}
		})
	}
}

// checkKey asserts the shape every key has: valid UTF-8, single inner
// spaces, no leading or trailing space, no upper-case letters or marks.
func checkKey(t *testing.T, in, key string) {
	t.Helper()
	if !utf8.ValidString(key) {
		t.Fatalf("Fold(%q) = %q: invalid UTF-8", in, key)
	}
	if strings.HasPrefix(key, " ") || strings.HasSuffix(key, " ") || strings.Contains(key, "  ") {
		t.Fatalf("Fold(%q) = %q: badly placed spaces", in, key)
	}
	for _, r := range key {
		if r != ' ' && !unicode.In(r, unicode.L, unicode.N, unicode.Mc) {
			t.Fatalf("Fold(%q) = %q: contains %U", in, key, r)
		}
		if unicode.IsUpper(r) || unicode.Is(unicode.Mn, r) || r == tatweel {
			t.Fatalf("Fold(%q) = %q: contains %U", in, key, r)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{
		"", "فَاس", "M'diq-Fnideq", "Fès", "STRAẞE", "İzmir", "\uFEFB", "a\xffb",
		"مُؤَسَّسَة", "ﬁ", "Ǆ", "ᾈ", "\u0345", "ΐ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		key := Fold(s)
		checkKey(t, s, key)
		if again := Fold(key); again != key {
			t.Fatalf("Fold not idempotent: Fold(%q) = %q, Fold(%q) = %q", s, key, key, again)
		}
		if k := Key(s, s); key != "" && k != key+" "+key {
			t.Fatalf("Key(%q, %q) = %q, want %q", s, s, k, key+" "+key)
		}
	})
}

var sink string

func BenchmarkFold(b *testing.B) {
	inputs := []struct {
		name string
		in   string
	}{
		{"ascii", "Cooperative Al Amal pour le tissage - Fes"},
		{"latin", "Coopérative Al Amal pour le tissage – Fès-Meknès"},
		{"arabic", "تَعَاوُنِيَّةُ الأَمَلِ لِلنَّسِيجِ بِفَـــاس"},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.in)))
			b.ReportAllocs()
			for b.Loop() {
				sink = Fold(in.in)
			}
		})
	}
}

func BenchmarkKey(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = Key("تعاونية الأمل للنسيج بفاس", "Coopérative Al Amal pour le tissage, Fès")
	}
}

package coopname

import "testing"

func TestSkeletonMeetsAcrossScripts(t *testing.T) {
	groups := [][]string{
		{"محمد", "mohamed", "mohammed", "mouhamad", "muhammad"},
		{"الفاسي", "fassi", "elfassi", "fasi"},
		{"أطلس", "atlas"},
		{"تيفاوت", "tifaout", "tifawt"},
		{"الشروق", "chourouk", "echourouk", "shourouq"},
		{"خديجة", "khadija", "khadidja"},
		{"يوسف", "youssef", "yousef", "youcef"},
		{"الغزالي", "ghazali", "elghazali"},
		{"فاطمة", "fatima", "fatma"},
	}
	for _, g := range groups {
		want := Skeleton(foldWord(g[0]))
		for _, w := range g[1:] {
			if got := Skeleton(foldWord(w)); got != want {
				t.Errorf("Skeleton(%q) = %q, want %q (as %q)", w, got, want, g[0])
			}
		}
	}
}

func foldWord(w string) string { return Analyze(w).Folded }

func TestConflicts(t *testing.T) {
	cases := []struct {
		a, b   string
		reason Reason // "" when the names must not conflict
	}{
		// Case, accents and harakat do not make names distinct.
		{"Coopérative Atlas", "COOPERATIVE ATLAS", Identical},
		{"تعاونية النُّور", "تعاونية النور", Identical},
		// Generic words do not make names distinct, in either script.
		{"جمعية النور", "تعاونية النور", Identical},
		{"اتحاد النور", "النور", Identical},
		{"تعاونية النسيج التقليدي", "جمعية النسيج التقليدي", Identical},
		{"Union Tifaout", "Coopérative Tifaout", Identical},
		{"Association Al Amal", "Coopérative Amal", Identical},
		{"Coopérative des femmes d'Atlas", "Coopérative Atlas", SameWords},
		// Word order and trade words do not make names distinct.
		{"تعاونية النسيج الأطلس", "تعاونية الأطلس للنسيج", SameWords},
		{"Coopérative Tissage Atlas", "Coopérative Atlas", SameWords},
		{"Coopérative Atlas Zellige", "Coopérative Atlas", SameWords},
		// Spelling variants sound alike.
		{"Union Tifaout", "Coopérative Tifawt", SoundsAlike},
		{"Coopérative Chourouk", "Coopérative Echourouk", SoundsAlike},
		{"Mohamed El Fassi", "Mohammed Elfassi", SoundsAlike},
		{"Coopérative Tamaynout", "Coopérative Tamaynoute", SoundsAlike},
		// The other script's transliteration.
		{"Mohamed El Fassi", "محمد الفاسي", Transliteration},
		{"محمد الفاسي", "Mohammed Elfassi", Transliteration},
		{"تعاونية أطلس", "Coopérative Atlas", Transliteration},
		{"تعاونية تيفاوت للنسيج", "Coopérative Tifaout", Transliteration},
		{"تعاونية الشروق", "Coopérative Chourouk", Transliteration},

		// Distinct names.
		{"Coopérative Atlas", "Coopérative Sahara", ""},
		{"تعاونية الأطلس", "تعاونية الصحراء", ""},
		// Sharing only the trade word is not a conflict.
		{"تعاونية النسيج الأطلس", "تعاونية النسيج الريف", ""},
		{"Coopérative Tissage Atlas", "Coopérative Tissage Argan Rif", ""},
		{"Coopérative Zellige Fès", "تعاونية الزليج مكناس", ""},
		// Short words differing in one sound are different words.
		{"تعاونية الأمل", "تعاونية الأمان", ""},
		{"Coopérative Nour", "Coopérative Nasr", ""},
		// One distinctive word shared out of several is not enough.
		{"Coopérative Atlas Ouarzazate", "Coopérative Atlas Tinghir Dades", ""},
		{"محمد الفاسي", "محمد العلمي", ""},
		{"Mohamed El Fassi", "Ahmed Benani", ""},
	}
	for _, c := range cases {
		m := Compare(Analyze(c.a), Analyze(c.b))
		if c.reason == "" {
			if m.Conflicts() {
				t.Errorf("%q vs %q: conflict %v (score %.2f), want none", c.a, c.b, m.Reason, m.Score)
			}
			continue
		}
		if !m.Conflicts() || m.Reason != c.reason {
			t.Errorf("%q vs %q: score %.2f reason %v, want a conflict for %v", c.a, c.b, m.Score, m.Reason, c.reason)
		}
		// The relation is symmetric in outcome.
		if r := Compare(Analyze(c.b), Analyze(c.a)); !r.Conflicts() {
			t.Errorf("%q vs %q: conflicts one way only (%.2f back)", c.a, c.b, r.Score)
		}
	}
}

func TestGenericOnlyName(t *testing.T) {
	n := Analyze("Coopérative")
	if n.Empty() {
		t.Fatal("a name made of generic words must still be compared on them")
	}
	if Compare(n, Analyze("Coopérative Atlas")).Conflicts() {
		t.Error(`"Coopérative" must not conflict with every cooperative`)
	}
	if !Analyze("  ").Empty() || Compare(Analyze(""), n).Score != 0 {
		t.Error("an empty name has no words and conflicts with nothing")
	}
}

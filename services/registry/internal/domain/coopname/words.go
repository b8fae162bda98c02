package coopname

import "github.com/hirfa/hirfa/pkg/textnorm"

// Word lists are written as people type them and folded once at start-up,
// so an entry here matches every spelling textnorm.Fold unifies (ة/ه,
// hamza forms, accents).

// genericWords name the legal form, or are articles, prepositions and
// conjunctions: law 112.12 does not let them make two names distinct, so
// "تعاونية النور" and "جمعية النور" are the same name.
var genericWords = foldSet(
	// Arabic legal forms and grammar words.
	"تعاونية", "تعاونيات", "التعاونية", "اتحاد", "الاتحاد", "جمعية", "الجمعية",
	"مجموعة", "شركة", "في", "من", "على", "الى", "إلى", "عن", "مع", "و", "ل", "ب",
	// French and Latin-script legal forms and grammar words.
	"cooperative", "cooperatives", "coop", "cooperatif", "union", "association",
	"groupement", "federation", "societe", "le", "la", "les", "l", "de", "du",
	"des", "d", "et", "pour", "au", "aux", "en", "a", "un", "une", "sur",
	"al", "el", "ait", "ou", "bni", "beni", "ben", "bin", "ibn",
	"آيت", "ايت", "بني", "بن", "ابن",
)

// tradeWords name a craft or its product. Many cooperatives share them, so
// a shared trade word is weak evidence that two names are the same:
// "تعاونية النسيج الأطلس" and "تعاونية النسيج الريف" are distinct names.
var tradeWords = foldSet(
	"نسيج", "النسيج", "للنسيج", "tissage", "textile", "زرابي", "الزرابي", "زربية",
	"tapis", "زليج", "الزليج", "zellige", "فخار", "الفخار", "poterie", "خزف",
	"الخزف", "ceramique", "نجارة", "النجارة", "menuiserie", "حدادة", "ferronnerie",
	"جلد", "الجلد", "الجلود", "cuir", "maroquinerie", "خياطة", "الخياطة", "couture",
	"تطريز", "التطريز", "broderie", "حلي", "الحلي", "bijoux", "bijouterie",
	"نحاس", "النحاس", "dinanderie", "cuivre", "خشب", "الخشب", "bois", "اركان",
	"الاركان", "argan", "حلفاء", "الحلفاء", "alfa", "نقش", "sculpture", "صناعة",
	"الصناعة", "تقليدية", "التقليدية", "تقليدي", "التقليدي", "traditionnel", "traditionnelle", "artisanat", "artisanale", "artisanal",
	"حرفيين", "الحرفيين", "حرفيات", "artisans", "artisanes", "نساء", "femmes",
)

func foldSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[textnorm.Fold(w)] = true
	}
	return m
}

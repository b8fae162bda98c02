// Package coopnametest draws synthetic cooperative names shaped like the
// register's, for the name check's tests and benchmarks: the index's own
// (coopname) and the registry's served over gRPC measure the same names.
package coopnametest

import (
	"fmt"
	"math/rand/v2"
)

var (
	distinctiveAr = []string{"الأطلس", "النور", "الأمل", "الصحراء", "الريف", "تيفاوت", "الشروق", "الفتح", "الوحدة", "الخير", "البركة", "تافيلالت", "درعة", "سوس", "الواحة", "الزيتون", "الياسمين", "الفاسي", "المنصور", "الرشيد", "أمازيغ", "تودغى", "إيموزار", "أكادير", "زاكورة", "ورزازات", "تنغير", "محمد", "فاطمة", "خديجة", "يوسف", "حسن"}
	distinctiveLa = []string{"Atlas", "Nour", "Amal", "Sahara", "Rif", "Tifaout", "Chourouk", "Fath", "Wahda", "Khair", "Baraka", "Tafilalet", "Draa", "Souss", "Oasis", "Zitoun", "Yasmine", "Fassi", "Mansour", "Rachid", "Amazigh", "Todgha", "Imouzzer", "Agadir", "Zagora", "Ouarzazate", "Tinghir", "Mohamed", "Fatima", "Khadija", "Youssef", "Hassan", "Tamaynout", "Tiwizi", "Ighrem", "Tazarine"}
	tradeAr       = []string{"للنسيج", "للزرابي", "للفخار", "للخزف", "للنجارة", "للجلد", "للتطريز", "للحلي", "للأركان"}
	tradeLa       = []string{"Tissage", "Tapis", "Poterie", "Céramique", "Menuiserie", "Cuir", "Broderie", "Bijoux", "Argan"}
	syllablesAr   = []string{"تا", "ما", "يو", "غر", "ري", "زا", "نو", "كا", "دو", "فيل", "سا", "لا", "مي", "بو", "حو", "تي", "وا", "رو", "نا", "شي"}
	syllablesLa   = []string{"ta", "ma", "you", "ghr", "ri", "za", "nou", "ka", "dou", "fil", "sa", "la", "mi", "bou", "hou", "ti", "wa", "rou", "na", "chi"}
)

// Coined draws a place or family name of two to four syllables, so the
// register holds many distinct words besides the common ones.
func Coined(r *rand.Rand, ar bool) string {
	syl := syllablesLa
	if ar {
		syl = syllablesAr
	}
	w := ""
	for range 2 + r.IntN(3) {
		w += syl[r.IntN(len(syl))]
	}
	return w
}

// Name draws a cooperative name in Arabic (ar) or French like the
// register's: a legal form, one to three distinctive words (with a number
// to tell apart the many names sharing common words, as real registers do
// with place names), and sometimes a trade word.
func Name(r *rand.Rand, ar bool) string {
	pick := func(l []string) string { return l[r.IntN(len(l))] }
	dist, trade, name := distinctiveLa, tradeLa, "Coopérative"
	if ar {
		dist, trade, name = distinctiveAr, tradeAr, "تعاونية"
	}
	for range 1 + r.IntN(3) {
		if r.IntN(2) == 0 {
			name += " " + pick(dist)
		} else {
			name += " " + Coined(r, ar)
		}
	}
	if r.IntN(2) == 0 {
		name += " " + pick(trade)
	}
	if r.IntN(4) != 0 {
		name += fmt.Sprintf(" %d", r.IntN(100000))
	}
	return name
}

package coopname

import "strings"

// Sound skeletons. Arabic does not write short vowels and Latin spellings
// of Arabic and Amazigh names disagree mostly on vowels and doubled letters
// ("Mohamed", "Mohammed", "Mouhammad"), so both scripts are reduced to the
// same consonant skeleton: one Latin letter per class of sounds, vowels and
// the letters that usually carry them (ا و ي, a e i o u w y) dropped, runs
// of one class written once. The classes follow how Moroccan civil-status
// and ODCO records transliterate names, which in turn follow French
// spelling: ش is "ch", خ is "kh", غ is "gh", ج is "j" or "dj", ع is not
// written.
//
// Skeleton letters: b t d j h x(خ) r z s c(ش) g(غ) f k l m n.

// arabicClass maps a folded Arabic letter to its skeleton letter; letters
// absent from the map (alif, waw, ya, ain, hamza) are not written.
var arabicClass = map[rune]byte{
	'ب': 'b', 'ت': 't', 'ث': 't', 'ط': 't', 'ج': 'j', 'ح': 'h', 'ه': 'h',
	'خ': 'x', 'د': 'd', 'ذ': 'd', 'ض': 'd', 'ظ': 'd', 'ر': 'r', 'ز': 'z',
	'س': 's', 'ص': 's', 'ش': 'c', 'غ': 'g', 'ف': 'f', 'ق': 'k', 'ك': 'k',
	'ل': 'l', 'م': 'm', 'ن': 'n',
}

// latinDigraphs are read before single letters, longest first.
var latinDigraphs = []struct {
	from string
	to   byte // 0: not written
}{
	{"tch", 'c'}, {"sch", 'c'},
	{"kh", 'x'}, {"gh", 'g'}, {"ch", 'c'}, {"sh", 'c'}, {"dj", 'j'},
	{"th", 't'}, {"dh", 'd'}, {"ph", 'f'}, {"qu", 'k'}, {"ck", 'k'},
}

var latinClass = [26]byte{
	0 /* a */ : 0, 'b' - 'a': 'b', 'c' - 'a': 'k', 'd' - 'a': 'd', 'e' - 'a': 0,
	'f' - 'a': 'f', 'g' - 'a': 'g', 'h' - 'a': 'h', 'i' - 'a': 0, 'j' - 'a': 'j',
	'k' - 'a': 'k', 'l' - 'a': 'l', 'm' - 'a': 'm', 'n' - 'a': 'n', 'o' - 'a': 0,
	'p' - 'a': 'b', 'q' - 'a': 'k', 'r' - 'a': 'r', 's' - 'a': 's', 't' - 'a': 't',
	'u' - 'a': 0, 'v' - 'a': 'f', 'w' - 'a': 0, 'x' - 'a': 'x', 'y' - 'a': 0,
	'z' - 'a': 'z',
}

// Skeleton returns the sound skeleton of one folded word (textnorm.Fold
// output without spaces). Digits are kept as they are.
func Skeleton(word string) string {
	var b strings.Builder
	var last byte
	put := func(c byte) {
		if c != 0 && c != last {
			b.WriteByte(c)
		}
		last = c
	}
	rs := []rune(stripArticle(word))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r >= 'a' && r <= 'z':
			if d, n := latinDigraph(rs[i:]); n > 0 {
				put(d)
				i += n - 1
				continue
			}
			c := latinClass[r-'a']
			// French soft c before e, i, y.
			if r == 'c' && i+1 < len(rs) && strings.ContainsRune("eiy", rs[i+1]) {
				c = 's'
			}
			// A silent h after a vowel-less position is still an h sound in
			// Moroccan transliteration ("Hassan", "Ahmed"); keep it.
			put(c)
		case r >= '0' && r <= '9':
			put(byte(r))
		default:
			c, ok := arabicClass[r]
			// A final ه is almost always a folded ta marbuta ("فاطمة" →
			// "فاطمه"), which Latin spellings do not write ("Fatima").
			if r == 'ه' && i == len(rs)-1 && i > 1 {
				ok = false
			}
			if !ok {
				c = 0
			}
			put(c)
		}
	}
	return b.String()
}

func latinDigraph(rs []rune) (byte, int) {
	for _, d := range latinDigraphs {
		if len(rs) < len(d.from) {
			continue
		}
		if string(rs[:len(d.from)]) == d.from {
			return d.to, len(d.from)
		}
	}
	return 0, 0
}

// stripArticle removes the definite article written attached to a word:
// Arabic "ال" (and "وال", "بال", "لل" with a proclitic), Latin "el"/"al"
// as in "Elfassi". It is kept when too little would remain, so that short
// words such as "الف" or "Alia" are not emptied.
func stripArticle(w string) string {
	rs := []rune(w)
	for _, p := range []string{"وال", "بال", "فال", "كال", "لل", "ال"} {
		pr := []rune(p)
		if len(rs) >= len(pr)+3 && string(rs[:len(pr)]) == p {
			return string(rs[len(pr):])
		}
	}
	if len(rs) >= 6 && (strings.HasPrefix(w, "el") || strings.HasPrefix(w, "al")) {
		return w[2:]
	}
	return w
}

// Package textnorm builds tolerant search keys for names written in Arabic
// and Latin script.
//
// Staff and the public type the same cooperative, artisan or city name in
// many spellings: with or without harakat, with any of the hamza forms of
// alif, with ta marbuta or ha, with alif maqsura or ya, with or without
// accents ("Fès", "FES", "fes"), with apostrophes and hyphens
// ("M'diq-Fnideq"). Fold maps all of those spellings to one key, so a
// service stores Fold(name) in a search column and compares it with
// Fold(query).
//
// Fold is a pure function of its input and is idempotent:
// Fold(Fold(s)) == Fold(s). Changing what it folds changes every stored
// key, so a change here must come with a migration that recomputes them.
package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Arabic code points that Fold handles explicitly. The hamza forms of alif
// (أ إ آ), ؤ and ئ need no entry: NFKD splits them into a base letter and a
// combining hamza or madda, and the combining mark is dropped.
const (
	tatweel     = '\u0640' // ـ kashida, stretches a word visually
	alif        = '\u0627' // ا
	alifWasla   = '\u0671' // ٱ
	taMarbuta   = '\u0629' // ة
	ha          = '\u0647' // ه
	alifMaqsura = '\u0649' // ى
	ya          = '\u064A' // ي
	farsiYa     = '\u06CC' // ی
	kaf         = '\u0643' // ك
	keheh       = '\u06A9' // ک Persian kaf
	ng          = '\u06AD' // ڭ Maghrebi "g" (ڭلميم for Guelmim), usually typed ك
	fa          = '\u0641' // ف
	veh         = '\u06A4' // ڤ Maghrebi "v", usually typed ف
)

// foldArabic maps Arabic-script letters to the letter most people type on
// a standard keyboard; ok is false for every other rune.
func foldArabic(r rune) (m rune, ok bool) {
	switch r {
	case alifWasla:
		return alif, true
	case taMarbuta:
		return ha, true
	case alifMaqsura, farsiYa:
		return ya, true
	case keheh, ng:
		return kaf, true
	case veh:
		return fa, true
	}
	if r >= '\u0660' && r <= '\u0669' { // Arabic-Indic digits
		return '0' + r - '\u0660', true
	}
	if r >= '\u06F0' && r <= '\u06F9' { // Extended (Persian) digits
		return '0' + r - '\u06F0', true
	}
	return 0, false
}

// foldLatin spells out lower-case Latin letters that have no canonical
// decomposition, so NFKD leaves them whole: "Œuvre" and "oeuvre" must meet.
func foldLatin(r rune) string {
	switch r {
	case 'ß':
		return "ss"
	case 'œ':
		return "oe"
	case 'æ':
		return "ae"
	case 'ø':
		return "o"
	case 'ł':
		return "l"
	case 'đ':
		return "d"
	case 'ı':
		return "i"
	}
	return ""
}

// Fold returns the canonical search key of s.
//
// Arabic script: harakat (U+064B..U+065F), the superscript alif (U+0670),
// tatweel (U+0640) and all other combining marks are removed; أ إ آ ٱ become
// ا, ؤ becomes و, ئ becomes ي, ة becomes ه, ى becomes ي, Persian ک and ی
// become ك and ي, Maghrebi ڭ and ڤ become ك and ف, and Arabic-Indic digits
// become ASCII digits. Presentation forms (text copied from PDFs) are
// unified with the letters they draw, through NFKD.
//
// Latin script: letters are lower-cased and stripped of accents (é è ê ë →
// e, ç → c, ï → i, ô → o), ß œ æ ø ł đ are spelled out.
//
// Everything that is neither a letter nor a digit (spaces, apostrophes,
// hyphens, punctuation, symbols, control characters) separates words:
// runs of them become one space, and the result is trimmed. Invisible
// format characters (zero-width joiners, direction marks) are removed
// without separating words.
func Fold(s string) string {
	if isASCII(s) {
		return foldASCII(s)
	}
	var (
		b   strings.Builder
		it  norm.Iter
		sep bool // a separator is pending: written only before the next kept rune
	)
	b.Grow(len(s))
	emit := func(r rune) {
		if sep && b.Len() > 0 {
			b.WriteByte(' ')
		}
		sep = false
		b.WriteRune(r)
	}
	// NFKD rather than NFD: it also maps compatibility characters (Arabic
	// presentation forms, ligatures such as "ﬁ", full-width letters) to the
	// letters a user would type.
	it.InitString(norm.NFKD, s)
	for !it.Done() {
		seg := it.Next()
		for len(seg) > 0 {
			r, size := utf8.DecodeRune(seg)
			seg = seg[size:]
			if r < utf8.RuneSelf {
				switch {
				case 'A' <= r && r <= 'Z':
					emit(r + 'a' - 'A')
				case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
					emit(r)
				default:
					sep = true
				}
				continue
			}
			if m, ok := foldArabic(r); ok {
				emit(m)
				continue
			}
			// Fast path for the plain Arabic letters, which make up most of
			// an Arabic name; the table look-ups below would keep them too.
			if r >= '\u0621' && r <= '\u064A' && r != tatweel {
				emit(r)
				continue
			}
			if r == tatweel || unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) {
				// Dropped without separating words: diacritics, tatweel,
				// zero-width joiners and direction marks sit inside words.
				continue
			}
			r = unicode.ToLower(r)
			if m := foldLatin(r); m != "" {
				for _, c := range m {
					emit(c)
				}
				continue
			}
			if unicode.In(r, unicode.L, unicode.N, unicode.Mc) {
				emit(r)
				continue
			}
			sep = true
		}
	}
	return b.String()
}

// Key folds each part and joins the non-empty results with one space. It
// builds a single stored search column from the names of one thing in
// several languages, e.g. Key(nameAr, nameFr).
func Key(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		f := Fold(p)
		if f == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f)
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldASCII is Fold for pure ASCII input, the common case for French and
// transliterated names; it skips normalisation entirely.
func foldASCII(s string) string {
	b := make([]byte, 0, len(s))
	sep := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		default:
			sep = true
			continue
		}
		if sep && len(b) > 0 {
			b = append(b, ' ')
		}
		sep = false
		b = append(b, c)
	}
	return string(b)
}

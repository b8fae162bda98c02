package console

import (
	"strconv"
	"strings"
	"time"
)

// Languages the console speaks; Arabic is the default (the chambers' first
// language) and is written right to left.
const (
	langAR = "ar"
	langFR = "fr"
)

// locale is one request's language and number settings, read from the
// console's cookies so the choice is remembered across pages and sign-ins.
type locale struct {
	Lang string // ar or fr
	// Eastern: Arabic-Indic digits (٠١٢…) instead of Western ones.
	Eastern bool
}

// Dir is the page direction for the language.
func (l locale) Dir() string {
	if l.Lang == langAR {
		return "rtl"
	}
	return "ltr"
}

// T returns the label key in the locale's language; a missing key shows
// itself, and a test fails on any key lacking a translation.
func (l locale) T(key string) string {
	if m, ok := messages[key]; ok {
		if l.Lang == langFR {
			return m[1]
		}
		return m[0]
	}
	return key
}

// L picks the locale's text of a LocalizedText JSON object ({"ar":…,"fr":…}),
// falling back to the other language when one is missing.
func (l locale) L(v any) string {
	m, _ := v.(map[string]any)
	ar, _ := m["ar"].(string)
	fr, _ := m["fr"].(string)
	if l.Lang == langFR && fr != "" || ar == "" {
		return fr
	}
	return ar
}

var easternDigits = [10]rune{'٠', '١', '٢', '٣', '٤', '٥', '٦', '٧', '٨', '٩'}

// Digits writes every ASCII digit of s in the locale's digit set.
func (l locale) Digits(s string) string {
	if !l.Eastern {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			r = easternDigits[r-'0']
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Num formats an integer (JSON number or int64 string) with grouped
// thousands: a narrow no-break space in French, a dot in Arabic as
// Moroccan documents write it.
func (l locale) Num(v any) string {
	n, ok := toInt(v)
	if !ok {
		return ""
	}
	return l.Digits(group(n, l.thousands()))
}

func (l locale) thousands() string {
	if l.Lang == langFR {
		return "\u202f"
	}
	return "."
}

// MAD formats an amount in centimes as dirhams with two decimals: French
// "1 234,50 MAD", Arabic "1.234,50 د.م.".
func (l locale) MAD(v any) string {
	c, ok := toInt(v)
	if !ok {
		return ""
	}
	neg := c < 0
	if neg {
		c = -c
	}
	s := group(c/100, l.thousands()) + "," + pad2(c%100)
	if neg {
		s = "-" + s
	}
	if l.Lang == langFR {
		return l.Digits(s) + "\u00a0MAD"
	}
	return l.Digits(s) + "\u00a0د.م."
}

// Date formats an ISO date (or RFC 3339 time) as day month year in the
// locale's language; Hijri adds the tabular Hijri date after it, as
// official documents of the chambers show both.
func (l locale) Date(v any) string {
	t, ok := parseDate(v)
	if !ok {
		s, _ := v.(string)
		return s
	}
	names := monthsFR
	if l.Lang == langAR {
		names = monthsAR
	}
	return l.Digits(strconv.Itoa(t.Day()) + " " + names[t.Month()-1] + " " + strconv.Itoa(t.Year()))
}

// Hijri is the tabular Hijri date of an ISO date, in the locale's language.
func (l locale) Hijri(v any) string {
	t, ok := parseDate(v)
	if !ok {
		return ""
	}
	h := ToHijri(t.Year(), int(t.Month()), t.Day())
	names := hijriMonthsFR
	suffix := " H"
	if l.Lang == langAR {
		names, suffix = hijriMonthsAR, " هـ"
	}
	return l.Digits(strconv.Itoa(h.Day) + " " + names[h.Month-1] + " " + strconv.Itoa(h.Year) + suffix)
}

func parseDate(v any) (time.Time, bool) {
	s, _ := v.(string)
	if len(s) < 10 {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02", s[:10])
	return t, err == nil
}

func toInt(v any) (int64, bool) {
	switch x := v.(type) {
	case float64:
		return int64(x), true
	case int:
		return int64(x), true
	case int64:
		return x, true
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		return n, err == nil
	case nil:
		return 0, true
	}
	return 0, false
}

func group(n int64, sep string) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func pad2(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

var (
	monthsFR      = [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	monthsAR      = [12]string{"يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر"}
	hijriMonthsFR = [12]string{"mouharram", "safar", "rabia I", "rabia II", "joumada I", "joumada II", "rajab", "chaabane", "ramadan", "chaoual", "dou al qiida", "dou al hijja"}
	hijriMonthsAR = [12]string{"محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة"}
)

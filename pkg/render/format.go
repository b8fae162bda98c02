package render

import (
	"strconv"
	"strings"
)

// formatNumber groups thousands with a no-break space, as both French and
// Moroccan Arabic administrative texts write figures in Western digits
// (235 000).
func formatNumber(n int64, _ Language) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// FormatNumber is formatNumber for callers building documents.
func FormatNumber(n int64, l Language) string { return formatNumber(n, l) }

// FormatCentimes writes an amount of centimes as MAD with two decimals and
// a decimal comma: 329796000 → "3 297 960,00".
func FormatCentimes(c int64, l Language) string {
	neg := c < 0
	if neg {
		c = -c
	}
	s := formatNumber(c/100, l) + "," + strconv.FormatInt(100+c%100, 10)[1:]
	if neg {
		return "-" + s
	}
	return s
}

package console

// HijriDate is a date of the tabular (arithmetical) Islamic calendar.
type HijriDate struct{ Year, Month, Day int }

// ToHijri converts a Gregorian date to the tabular Islamic calendar (the
// civil epoch of 16 July 622, 11 leap years in 30). Morocco's official
// calendar follows the sighting of the moon, so the tabular date can differ
// from it by a day; the console labels it as the computed date.
func ToHijri(year, month, day int) HijriDate {
	// Julian day number of the Gregorian date.
	a := (14 - month) / 12
	y := year + 4800 - a
	m := month + 12*a - 3
	jdn := day + (153*m+2)/5 + 365*y + y/4 - y/100 + y/400 - 32045
	// The integer form of the tabular calendar (Fliegel–Van Flandern style).
	l := jdn - 1948440 + 10632
	n := (l - 1) / 10631
	l = l - 10631*n + 354
	j := ((10985-l)/5316)*((50*l)/17719) + (l/5670)*((43*l)/15238)
	l = l - ((30-j)/15)*((17719*j)/50) - (j/16)*((15238*j)/43) + 29
	hm := (24 * l) / 709
	hd := l - (709*hm)/24
	hy := 30*n + j - 30
	return HijriDate{Year: hy, Month: hm, Day: hd}
}

package duplicate

import (
	"fmt"
	"testing"
)

func TestFind(t *testing.T) {
	f := NewFinder()
	held := []Person{
		{Ref: "a/1", CNIE: "AB123456", GivenAR: "محمد", FamilyAR: "الفاسي", BirthDate: "1980-03-14"},
		{Ref: "a/2", CNIE: "CD555", GivenLatin: "Mohammed", FamilyLatin: "Elfassi", BirthDate: "1980-03-14"},
		{Ref: "a/3", CNIE: "EE777", GivenLatin: "Mohamed", FamilyLatin: "El Fassi", BirthDate: "1991-07-02"},
		{Ref: "a/4", CNIE: "FF888", GivenAR: "خديجة", FamilyAR: "التازي", GivenLatin: "Khadija", FamilyLatin: "Tazi", BirthDate: "1985-05-05"},
		{Ref: "a/5", CNIE: "GG999", GivenAR: "فاطمة", FamilyAR: "العلمي", BirthDate: "1980-03-14"},
	}
	for _, p := range held {
		f.Add(p)
	}
	describe := func(cs []Candidate) string {
		s := ""
		for _, c := range cs {
			s += fmt.Sprintf("%s %.2f %v; ", c.Ref, c.Score, c.Reasons)
		}
		return s
	}
	cases := []struct {
		name string
		p    Person
		want string
	}{
		{"same CNIE, other spelling and date", Person{Ref: "new", CNIE: " ab123456", GivenLatin: "X", FamilyLatin: "Y", BirthDate: "2000-01-01"},
			"a/1 1.00 [SAME_CNIE]; "},
		{"Latin spelling of an Arabic name, same date", Person{Ref: "new", GivenLatin: "Mohamed", FamilyLatin: "El Fassi", BirthDate: "1980-03-14"},
			"a/1 0.90 [CLOSE_NAME_AND_BIRTH_DATE TRANSLITERATION]; a/2 0.90 [CLOSE_NAME_AND_BIRTH_DATE]; "},
		{"same folded name and date (accents, hamza, ta marbuta)", Person{Ref: "new", GivenAR: "خديجه", FamilyAR: "التازي", BirthDate: "1985-05-05"},
			"a/4 0.95 [SAME_NAME_AND_BIRTH_DATE]; "},
		{"same name, other birth date: not a candidate", Person{Ref: "new", GivenLatin: "Khadija", FamilyLatin: "Tazi", BirthDate: "1986-05-05"}, ""},
		{"same date, different name", Person{Ref: "new", GivenLatin: "Youssef", FamilyLatin: "Berrada", BirthDate: "1980-03-14"}, ""},
		{"itself excluded", held[3], ""},
	}
	for _, c := range cases {
		if got := describe(f.Find(c.p)); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
	pairs := f.Pairs()
	if len(pairs) != 1 || pairs[0].A != "a/1" || pairs[0].B != "a/2" {
		t.Errorf("pairs = %+v, want a/1–a/2 only", pairs)
	}
}

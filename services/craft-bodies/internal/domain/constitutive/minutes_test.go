package constitutive

import (
	"strings"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/assembly"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/election"
)

// TestMinutesInArabicAndFrench: both texts carry the failed first
// convocation, the quorum of the second, every statutes vote by member and
// the bureau's rounds.
func TestMinutesInArabicAndFrench(t *testing.T) {
	r := roll(4)
	a := convene(t, 4, craftbody.DefaultSettings())
	if err := a.RecordAttendance(r[:1], nil); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CheckQuorum(time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := a.Reconvene("2026-01-29", ""); err != nil {
		t.Fatal(err)
	}
	_ = a.RecordAttendance(r[:3], nil)
	if res, err := a.CheckQuorum(time.Now()); err != nil || !res.Met {
		t.Fatalf("second convocation: %v %v", res, err)
	}
	for i, c := range []assembly.Choice{assembly.For, assembly.For, assembly.Against} {
		if err := a.CastStatutesVote(r[i], c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.CloseStatutesVote(); err != nil {
		t.Fatal(err)
	}
	e := election.Electorate{Roll: a.Roll, Present: a.Present()}
	o, err := election.Open("president", l10n.Text{AR: "الرئيس", FR: "Président"}, 1, true, r[:2], e, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range []string{r[0], r[0], r[1]} {
		if err := o.Cast(r[i], c, e); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := o.CloseRound(a.Settings, e); err != nil {
		t.Fatal(err)
	}
	names := map[string]l10n.Text{r[0]: {AR: "خديجة التازي", FR: "Khadija Tazi"}}
	h := Heading{Body: l10n.Text{AR: "الهيئة الإقليمية لنسج الزرابي بفاس", FR: "Corps provincial du tissage de tapis de Fès"},
		Chamber: "fes-meknes", Craft: "F1.B02.A01", Province: "fes"}
	ar, fr := Minutes(h, a, []*election.Office{o}, names)
	cases := []struct {
		lang, text string
		want       []string
	}{
		{"fr", fr, []string{"Procès-verbal de l'assemblée générale constitutive — Corps provincial", "Convocation première", "(non atteint)",
			"Convocation seconde", "quorum requis : 0 (atteint)", "Statuts : Adoptés", "pour 2, contre 1, abstentions 0 ; suffrages exprimés 3",
			"Contre : " + r[2], "Tour 1 : " + r[0] + " Khadija Tazi 2", "Élu : " + r[0] + " Khadija Tazi"}},
		{"ar", ar, []string{"محضر الجمع العام التأسيسي — الهيئة الإقليمية", "الدعوة الأولى", "(غير متوفر)", "الدعوة الثانية",
			"القانون الأساسي: تمت المصادقة", "موافق 2، معارض 1، ممتنع 0؛ الأصوات المعبر عنها 3", "انتخب: " + r[0] + " خديجة التازي"}},
	}
	for _, c := range cases {
		for _, w := range c.want {
			if !strings.Contains(c.text, w) {
				t.Errorf("%s minutes lack %q:\n%s", c.lang, w, c.text)
			}
		}
	}
}

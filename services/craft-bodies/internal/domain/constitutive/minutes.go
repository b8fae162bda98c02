package constitutive

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hirfa/hirfa/pkg/assembly"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/election"
)

// Heading is what the minutes say of the body.
type Heading struct {
	Body     l10n.Text // the body's name
	Chamber  string
	Craft    string
	Province string // empty above the provincial level
}

// lang holds the fixed wording of the minutes in one language.
type lang struct {
	minutes, chamber, craft, province, convocation, first, second, date, venue, chair  string
	roll, present, required, met, notMet, notChecked, presentList, statutes, adopted   string
	rejected, pending, voting, counts, tie, byChair, voteFor, against, abstain, bureau string
	round, elected, byTieRule, noOne, blank, votesCast, sep, comma, none               string
}

var french = lang{
	minutes: "Procès-verbal de l'assemblée générale constitutive", chamber: "Chambre", craft: "Métier",
	province: "Province", convocation: "Convocation", first: "première", second: "seconde", date: "Date", venue: "Lieu",
	chair: "Présidence de séance (président du comité préparatoire)", roll: "Membres recensés", present: "présents",
	required: "quorum requis", met: "atteint", notMet: "non atteint", notChecked: "non vérifié", presentList: "Membres présents",
	statutes: "Statuts", adopted: "Adoptés", rejected: "Rejetés", pending: "Non mis aux voix", voting: "Vote en cours",
	counts: "pour %d, contre %d, abstentions %d ; suffrages exprimés %d", tie: "égalité", byChair: "départagée par la voix du président de séance",
	voteFor: "Pour", against: "Contre", abstain: "Abstention", bureau: "Élection du bureau", round: "Tour",
	elected: "Élu", byTieRule: "départagé selon la règle d'égalité", noOne: "aucun élu", blank: "bulletins blancs",
	votesCast: "suffrages exprimés", sep: " : ", comma: ", ", none: "aucun",
}

var arabic = lang{
	minutes: "محضر الجمع العام التأسيسي", chamber: "الغرفة", craft: "الحرفة", province: "الإقليم",
	convocation: "الدعوة", first: "الأولى", second: "الثانية", date: "التاريخ", venue: "المكان",
	chair: "رئاسة الجلسة (رئيس اللجنة التحضيرية)", roll: "الأعضاء المحصون", present: "الحاضرون",
	required: "النصاب المطلوب", met: "متوفر", notMet: "غير متوفر", notChecked: "لم يتم التحقق", presentList: "الأعضاء الحاضرون",
	statutes: "القانون الأساسي", adopted: "تمت المصادقة", rejected: "تم الرفض", pending: "لم يعرض على التصويت", voting: "التصويت جار",
	counts: "موافق %d، معارض %d، ممتنع %d؛ الأصوات المعبر عنها %d", tie: "تعادل", byChair: "رجح صوت رئيس الجلسة",
	voteFor: "موافق", against: "معارض", abstain: "ممتنع", bureau: "انتخاب المكتب", round: "الدور",
	elected: "انتخب", byTieRule: "حسم وفق قاعدة التعادل", noOne: "لم ينتخب أحد", blank: "أوراق بيضاء",
	votesCast: "الأصوات المعبر عنها", sep: ": ", comma: "، ", none: "لا أحد",
}

// Minutes renders the minutes of a constitutive assembly in Arabic and in
// French: each convocation with its attendance against the quorum, the
// statutes vote with every public vote by member, and the bureau election
// office by office, round by round. names gives members' display names.
func Minutes(h Heading, a *Assembly, offices []*election.Office, names map[string]l10n.Text) (ar, fr string) {
	return render(h, a, offices, names, arabic, true), render(h, a, offices, names, french, false)
}

func pick(want, other string) string {
	if strings.TrimSpace(want) != "" {
		return want
	}
	return other
}

func render(h Heading, a *Assembly, offices []*election.Office, names map[string]l10n.Text, l lang, inArabic bool) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	loc := func(t l10n.Text) string {
		if inArabic {
			return pick(t.AR, t.FR)
		}
		return pick(t.FR, t.AR)
	}
	member := func(id string) string {
		if n := loc(names[id]); n != "" {
			return id + " " + n
		}
		return id
	}
	list := func(ids []string) string {
		if len(ids) == 0 {
			return l.none
		}
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = member(id)
		}
		return strings.Join(out, l.comma)
	}
	line("%s — %s", l.minutes, loc(h.Body))
	line("%s%s%s", l.chamber, l.sep, h.Chamber)
	line("%s%s%s", l.craft, l.sep, h.Craft)
	if h.Province != "" {
		line("%s%s%s", l.province, l.sep, h.Province)
	}
	line("%s%s%s", l.chair, l.sep, member(a.Chair))
	rule := a.Settings.Quorum.Rule()
	for _, c := range a.Convocations {
		conv := l.first
		if c.Number == assembly.SecondConvocation {
			conv = l.second
		}
		line("")
		line("%s %s — %s%s%s — %s%s%s", l.convocation, conv, l.date, l.sep, c.Date, l.venue, l.sep, c.Venue)
		status := l.notChecked
		if c.Quorum != nil {
			status = l.notMet
			if c.Quorum.Met {
				status = l.met
			}
		}
		line("%s%s%d — %s%s%d — %s%s%d (%s)", l.roll, l.sep, len(a.Roll), l.present, l.sep, len(c.Present),
			l.required, l.sep, rule.Required(len(a.Roll), c.Number), status)
		line("%s%s%s", l.presentList, l.sep, list(c.Present))
	}
	line("")
	st := a.Statutes
	decision := map[VoteState]string{Pending: l.pending, Voting: l.voting, Adopted: l.adopted, Rejected: l.rejected}[st.State]
	line("%s%s%s", l.statutes, l.sep, decision)
	if r := st.Result; r != nil {
		d := "   " + fmt.Sprintf(l.counts, r.For, r.Against, r.Abstain, r.Voting)
		if r.Tie {
			d += " — " + l.tie
			if r.DecidedByPresident {
				d += l.comma + l.byChair
			}
		}
		line("%s", d)
	}
	if len(st.Votes) > 0 {
		tally := assembly.Tally(st.Votes)
		for _, c := range []struct {
			label  string
			choice assembly.Choice
		}{{l.voteFor, assembly.For}, {l.against, assembly.Against}, {l.abstain, assembly.Abstain}} {
			line("   %s%s%s", c.label, l.sep, list(tally.Members(c.choice)))
		}
	}
	if len(offices) == 0 {
		return b.String()
	}
	line("")
	line("%s", l.bureau)
	sorted := slices.Clone(offices)
	slices.SortFunc(sorted, func(x, y *election.Office) int { return x.Position - y.Position })
	for _, o := range sorted {
		line("%d. %s", o.Position, loc(o.Title))
		for _, r := range o.Rounds {
			if !r.Closed {
				continue
			}
			var parts []string
			for _, c := range r.Candidates {
				parts = append(parts, fmt.Sprintf("%s %d", member(c), r.Counts[c]))
			}
			blank := len(r.Ballots) - r.VotesCast
			line("   %s %d%s%s — %s %d — %s %d", l.round, r.Number, l.sep, strings.Join(parts, l.comma), l.votesCast, r.VotesCast, l.blank, blank)
			if r.Elected != "" {
				e := fmt.Sprintf("   %s%s%s", l.elected, l.sep, member(r.Elected))
				if r.ByTieRule {
					e += " (" + l.byTieRule + ")"
				}
				line("%s", e)
			}
		}
		if o.Elected == "" {
			line("   %s", l.noOne)
		}
	}
	return b.String()
}

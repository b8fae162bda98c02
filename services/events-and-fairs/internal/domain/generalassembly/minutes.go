package generalassembly

import (
	"fmt"
	"strings"

	"github.com/hirfa/hirfa/pkg/assembly"
)

// lang holds the fixed wording of the minutes in one language.
type lang struct {
	minutes, chamber, session, ordinary, extraordinary, date, venue, convocation, first, second string
	roll, present, required, met, notMet, president, presentList, agenda                        string
	adopted, rejected, pending, voting, counts, tie, byPresident, voteFor, against, abstain     string
	resolution, noVote, sep, comma                                                              string
	months                                                                                      map[OrdinarySession]string
}

var french = lang{
	minutes: "Procès-verbal de l'assemblée générale", chamber: "Chambre", session: "Session",
	ordinary: "ordinaire", extraordinary: "extraordinaire", date: "Date", venue: "Lieu",
	convocation: "Convocation", first: "première", second: "seconde",
	roll: "Membres inscrits", present: "présents", required: "quorum requis", met: "atteint", notMet: "non atteint",
	president: "Présidence", presentList: "Membres présents", agenda: "Ordre du jour",
	adopted: "Adopté", rejected: "Rejeté", pending: "Non mis aux voix", voting: "Vote en cours",
	counts: "pour %d, contre %d, abstentions %d ; suffrages exprimés %d",
	tie:    "égalité", byPresident: "départagée par la voix du président",
	voteFor: "Pour", against: "Contre", abstain: "Abstention",
	resolution: "Résolution", noVote: "aucun", sep: " : ", comma: ", ",
	months: map[OrdinarySession]string{February: "de février", June: "de juin", October: "d'octobre"},
}

var arabic = lang{
	minutes: "محضر الجمع العام", chamber: "الغرفة", session: "الدورة",
	ordinary: "العادية", extraordinary: "الاستثنائية", date: "التاريخ", venue: "المكان",
	convocation: "الدعوة", first: "الأولى", second: "الثانية",
	roll: "الأعضاء المسجلون", present: "الحاضرون", required: "النصاب المطلوب", met: "متوفر", notMet: "غير متوفر",
	president: "الرئاسة", presentList: "الأعضاء الحاضرون", agenda: "جدول الأعمال",
	adopted: "تمت المصادقة", rejected: "تم الرفض", pending: "لم يعرض على التصويت", voting: "التصويت جار",
	counts: "موافق %d، معارض %d، ممتنع %d؛ الأصوات المعبر عنها %d",
	tie:    "تعادل", byPresident: "رجح صوت الرئيس",
	voteFor: "موافق", against: "معارض", abstain: "ممتنع",
	resolution: "المقرر", noVote: "لا أحد", sep: ": ", comma: "، ",
	months: map[OrdinarySession]string{February: "لشهر فبراير", June: "لشهر يونيو", October: "لشهر أكتوبر"},
}

// Minutes renders the minutes of a sitting in Arabic and in French: the
// session, the attendance against the quorum, and each agenda item with its
// decision, the public votes by member and the resolution.
func Minutes(a *Assembly, items []*Item) (ar, fr string) {
	return render(a, items, arabic, true), render(a, items, french, false)
}

// pick prefers the text in the minutes' language and falls back on the other.
func pick(want, other string) string {
	if strings.TrimSpace(want) != "" {
		return want
	}
	return other
}

func render(a *Assembly, items []*Item, l lang, inArabic bool) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	loc := func(ar, fr string) string {
		if inArabic {
			return pick(ar, fr)
		}
		return pick(fr, ar)
	}
	member := func(id string) string {
		if m, ok := a.Member(id); ok {
			return id + " " + loc(m.DisplayName.AR, m.DisplayName.FR)
		}
		return id
	}
	line("%s — %s", l.minutes, loc(a.Title.AR, a.Title.FR))
	line("%s%s%s", l.chamber, l.sep, a.Chamber)
	session := l.extraordinary
	if a.SessionType == Ordinary {
		session = l.ordinary + " " + l.months[a.OrdinarySession]
	}
	line("%s%s%s", l.session, l.sep, session)
	if a.Date != "" {
		line("%s%s%s", l.date, l.sep, a.Date)
	}
	if a.Venue != "" {
		line("%s%s%s", l.venue, l.sep, a.Venue)
	}
	conv := l.first
	if a.Convocation == assembly.SecondConvocation {
		conv = l.second
	}
	line("%s%s%s", l.convocation, l.sep, conv)
	quorum := l.met
	if a.CheckQuorum() != nil {
		quorum = l.notMet
	}
	line("%s%s%d — %s%s%d — %s%s%d (%s)", l.roll, l.sep, len(a.Members), l.present, l.sep, len(a.Present), l.required, l.sep, a.Required(), quorum)
	if a.President != "" {
		line("%s%s%s", l.president, l.sep, member(a.President))
	}
	names := make([]string, len(a.Present))
	for i, id := range a.Present {
		names[i] = member(id)
	}
	line("%s%s%s", l.presentList, l.sep, strings.Join(names, l.comma))
	line("")
	line("%s", l.agenda)
	for i, it := range items {
		line("%d. %s", i+1, loc(it.Title.AR, it.Title.FR))
		switch it.State {
		case Pending:
			line("   %s", l.pending)
			continue
		case Voting:
			line("   %s", l.voting)
			continue
		}
		decision := l.rejected
		if it.State == Adopted {
			decision = l.adopted
		}
		r := it.Result
		if r == nil {
			r = &assembly.Result{}
		}
		d := fmt.Sprintf("   %s (%s)", decision, fmt.Sprintf(l.counts, r.For, r.Against, r.Abstain, r.Voting))
		if r.Tie {
			d += " — " + l.tie
			if r.DecidedByPresident {
				d += ", " + l.byPresident
			}
		}
		line("%s", d)
		tally := assembly.Tally(it.Votes)
		for _, c := range []struct {
			label  string
			choice assembly.Choice
		}{{l.voteFor, assembly.For}, {l.against, assembly.Against}, {l.abstain, assembly.Abstain}} {
			who := tally.Members(c.choice)
			list := l.noVote
			if len(who) > 0 {
				list = strings.Join(who, l.comma)
			}
			line("   %s%s%s", c.label, l.sep, list)
		}
		if res := loc(it.Resolution.AR, it.Resolution.FR); res != "" {
			line("   %s%s%s", l.resolution, l.sep, res)
		}
	}
	return b.String()
}

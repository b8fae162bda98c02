// Package coopname decides whether two cooperative names are the same name
// in the sense of law 112.12 and ODCO's name certificate, and finds, among
// many registered or reserved names, those that conflict with a proposed
// one.
//
// A name is folded with textnorm.Fold, cut into words, and each word is
// classed as generic (legal form, article, preposition: ignored), trade
// (the craft the cooperative works in: weighs TradeWeight) or distinctive
// (weighs 1). Words are compared on their folded form and on their sound
// skeleton (see Skeleton), which is shared by both scripts, so "Tifaout"
// meets "Tifawt" and "أطلس" meets "Atlas". The similarity of two skeletons
// is go-edlib's Jaro-Winkler similarity.
package coopname

import (
	"slices"
	"strings"

	"github.com/hbollon/go-edlib"

	"github.com/hirfa/hirfa/pkg/textnorm"
)

// TradeWeight is the weight of a word naming the trade, against 1 for a
// distinctive word.
const TradeWeight = 0.3

// Threshold is the score from which two names conflict.
const Threshold = 0.8

// wordMatch is the skeleton similarity from which two words are taken as
// the same word spelled differently.
const wordMatch = 0.88

// Reason says why two names conflict, strongest first.
type Reason string

// Reasons.
const (
	// Identical: the same words after folding, once generic words are set
	// aside.
	Identical Reason = "IDENTICAL"
	// SameWords: the same distinctive words, in any order, whatever the
	// trade words.
	SameWords Reason = "SAME_DISTINCTIVE_WORDS"
	// SoundsAlike: words of the same script that sound alike.
	SoundsAlike Reason = "SOUNDS_ALIKE"
	// Transliteration: the name written in the other script.
	Transliteration Reason = "TRANSLITERATION"
)

// Kind classes a word.
type Kind uint8

// Word kinds.
const (
	Distinctive Kind = iota
	Trade
	Generic
)

// Word is one word of an analysed name.
type Word struct {
	Folded   string
	Skeleton string
	Kind     Kind
	Arabic   bool
}

func (w Word) weight() float64 {
	if w.Kind == Trade {
		return TradeWeight
	}
	return 1
}

// Name is an analysed name. Words holds the distinctive and trade words in
// the order written; generic words are dropped.
type Name struct {
	Raw    string
	Folded string
	Words  []Word
	// Key is the folded non-generic words joined by spaces: two names with
	// the same Key are Identical.
	Key string
	// SortedDistinct is the sorted, space-joined distinctive words.
	SortedDistinct string
	// Sound is the concatenated skeleton of the non-generic words, which
	// catches words written together or apart ("El Fassi", "Elfassi").
	Sound  string
	weight float64
}

// Analyze folds and classes the words of name.
func Analyze(name string) Name {
	n := Name{Raw: name, Folded: textnorm.Fold(name)}
	var keep, distinct []string
	var sound strings.Builder
	all := strings.Fields(n.Folded)
	for _, f := range all {
		w := Word{Folded: f, Arabic: isArabic(f)}
		switch {
		case genericWords[f]:
			continue
		case tradeWords[f] || tradeWords[stripArticle(f)]:
			w.Kind = Trade
		default:
			distinct = append(distinct, stripArticle(f))
		}
		w.Skeleton = Skeleton(f)
		n.Words = append(n.Words, w)
		n.weight += w.weight()
		keep = append(keep, stripArticle(f))
		sound.WriteString(w.Skeleton)
	}
	// A name made only of generic words ("Coopérative") is compared on all
	// its words rather than on none.
	if len(n.Words) == 0 {
		for _, f := range all {
			w := Word{Folded: f, Arabic: isArabic(f), Skeleton: Skeleton(f)}
			n.Words = append(n.Words, w)
			n.weight++
			keep = append(keep, f)
			distinct = append(distinct, f)
			sound.WriteString(w.Skeleton)
		}
	}
	n.Key = strings.Join(keep, " ")
	slices.Sort(distinct)
	n.SortedDistinct = strings.Join(slices.Compact(distinct), " ")
	n.Sound = sound.String()
	return n
}

// Empty reports whether the name has no word at all.
func (n Name) Empty() bool { return len(n.Words) == 0 }

// Arabic reports whether most of the name's words are in Arabic script.
func (n Name) Arabic() bool {
	a := 0
	for _, w := range n.Words {
		if w.Arabic {
			a++
		}
	}
	return 2*a > len(n.Words)
}

func isArabic(word string) bool {
	for _, r := range word {
		if r >= 0x0600 && r <= 0x06FF {
			return true
		}
	}
	return false
}

// Match is the outcome of comparing two names.
type Match struct {
	Score  float64
	Reason Reason
}

// Conflicts reports whether the match reaches Threshold.
func (m Match) Conflicts() bool { return m.Score >= Threshold }

// Compare scores how close b is to a, between 0 and 1, with the strongest
// reason that applies.
func Compare(a, b Name) Match {
	if a.Empty() || b.Empty() {
		return Match{}
	}
	if a.Key == b.Key {
		return Match{Score: 1, Reason: Identical}
	}
	if a.SortedDistinct != "" && a.SortedDistinct == b.SortedDistinct {
		return Match{Score: 0.95, Reason: SameWords}
	}
	score := wordScore(a, b)
	if s := soundScore(a, b); s > score {
		score = s
	}
	reason := SoundsAlike
	if a.Arabic() != b.Arabic() {
		reason = Transliteration
	}
	return Match{Score: score, Reason: reason}
}

// wordScore pairs each word with its most similar word in the other name
// and returns the weighted Dice coefficient of the pairs: shared
// distinctive words count fully, shared trade words little, and a word
// without a partner lowers the score by its weight.
func wordScore(a, b Name) float64 {
	matched := half(a, b) + half(b, a)
	return matched / (a.weight + b.weight)
}

func half(a, b Name) float64 {
	var sum float64
	for _, wa := range a.Words {
		best := 0.0
		for _, wb := range b.Words {
			if s := wordSimilarity(wa, wb); s > best {
				best = s
			}
		}
		if best >= wordMatch {
			sum += wa.weight() * best
		}
	}
	return sum
}

func wordSimilarity(a, b Word) float64 {
	if a.Folded == b.Folded {
		return 1
	}
	if a.Skeleton == "" || b.Skeleton == "" {
		return 0
	}
	if a.Skeleton == b.Skeleton {
		return 0.97
	}
	// Short skeletons differ in one letter between unrelated words ("ml"
	// for الأمل, "mn" for الأمان): only an exact skeleton counts.
	if len(a.Skeleton) < 4 || len(b.Skeleton) < 4 {
		return 0
	}
	return float64(edlib.JaroWinklerSimilarity(a.Skeleton, b.Skeleton))
}

// soundScore compares the joined skeletons, when both names carry no trade
// word (a trade word in the joined form would hide that only the trade is
// shared).
func soundScore(a, b Name) float64 {
	if hasTrade(a) || hasTrade(b) || len(a.Sound) < 5 || len(b.Sound) < 5 {
		return 0
	}
	if a.Sound == b.Sound {
		return 0.95
	}
	d := edlib.OSADamerauLevenshteinDistance(a.Sound, b.Sound)
	longest := max(len(a.Sound), len(b.Sound))
	return 1 - float64(d)/float64(longest)
}

func hasTrade(n Name) bool {
	for _, w := range n.Words {
		if w.Kind == Trade {
			return true
		}
	}
	return false
}

package coopname

import (
	"cmp"
	"hash/maphash"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"
)

// Entry is one name held by an Index: a registered cooperative or union,
// or a reserved or pending name.
type Entry struct {
	// Ref names what holds the name (a resource name such as
	// "chambers/fes-meknes/cooperatives/42" or a name request).
	Ref string
	// Kind says what holds it, e.g. "COOPERATIVE" or "RESERVED".
	Kind string
	Name Name
}

// Hit is one conflicting entry.
type Hit struct {
	Entry
	Match
}

// Index finds the names that conflict with a proposed one without
// comparing it with every name held. Each word of a name is posted under
// its skeleton and every form of it with one letter deleted (a deletion
// neighbourhood), and the name under its joined skeleton likewise, so a
// lookup reaches every held name with a word, or a joined form, within one
// edit of the query's. Skeleton pairs two or more edits apart score under
// wordMatch in practice (TestIndexAgreesWithFullScan checks the index
// against a full scan).
//
// Postings name the word they come from, so a lookup knows which words of
// the query and of each candidate can match at all, and skips, without
// scoring, the candidates whose best possible score is under Threshold:
// a name sharing only "النور" with a query of one word but carrying two
// more distinctive words of its own cannot conflict. Common words thus cost
// a map update per posting, not a comparison.
//
// Postings hold no pointer, so the garbage collector does not walk them:
// keys are 64-bit hashes of the posting strings (a collision only makes a
// lookup score a name that Compare then turns down), and each key's
// postings are one run of a shared slice (a run that fills up moves to the
// end with twice the room, so a lookup reads each key's postings in
// sequence rather than chasing them through memory). Held as a map of string
// keys to slices, the 100,000-name index was millions of small objects,
// and every collection cycle spent seconds marking them while checks
// assisted it: that was the check's latency tail.
//
// An Index is safe for concurrent use. A frozen one (Freeze) is read
// without a lock: a lookup never waits, nor makes a writer wait.
type Index struct {
	mu      sync.RWMutex
	frozen  atomic.Bool
	entries []Entry
	shapes  []shape // per entry, beside entries so the bound reads no pointer
	byRef   map[string]int
	runs    map[uint64]run // key hash → its postings in post
	post    []posting
	seed    maphash.Seed
	pool    sync.Pool // of *scratch
}

// posting is an entry and the word of it the key came from (joined for the
// joined skeleton).
type posting struct {
	entry int32
	word  uint8
}

// run is where a key's postings are: post[off:off+n], with room for cap.
type run struct{ off, n, cap int32 }

const (
	joined   = 255 // posting of the joined skeleton
	maxWords = 32  // words tracked per name in the bound; longer names are always scored
)

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{byRef: map[string]int{}, runs: map[uint64]run{}, seed: maphash.MakeSeed()}
}

// Freeze makes the index read-only: its lookups take no lock from then
// on, and a later Put or Remove panics. A name check publishes frozen
// indexes and replaces them rather than changing them.
func (x *Index) Freeze() {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.frozen.Store(true)
}

// rlock takes the read lock unless the index is frozen; the returned
// function releases what was taken.
func (x *Index) rlock() func() {
	if x.frozen.Load() {
		return func() {}
	}
	x.mu.RLock()
	return x.mu.RUnlock
}

// lock takes the write lock of an index that is not frozen.
func (x *Index) lock() {
	x.mu.Lock()
	if x.frozen.Load() {
		x.mu.Unlock()
		panic("coopname: change to a frozen index")
	}
}

// Len is the number of names held.
func (x *Index) Len() int {
	defer x.rlock()()
	return len(x.byRef)
}

// Put adds or replaces the name held by ref.
func (x *Index) Put(ref, kind, name string) { x.PutName(ref, kind, Analyze(name)) }

// Named is the analysis of the name ref holds, if any: an index built from
// others (a name check's layers merging) puts it again with PutName rather
// than analysing the name again, which is most of Put's cost.
func (x *Index) Named(ref string) (Name, bool) {
	defer x.rlock()()
	i, ok := x.byRef[ref]
	if !ok {
		return Name{}, false
	}
	return x.entries[i].Name, true
}

// PutName adds or replaces the name held by ref, given as Analyze made it.
func (x *Index) PutName(ref, kind string, n Name) {
	keys := postingKeys(x.seed, n, nil)
	x.lock()
	defer x.mu.Unlock()
	if i, ok := x.byRef[ref]; ok {
		x.entries[i].Ref = "" // tombstone: postings to it are skipped
		delete(x.byRef, ref)
	}
	if n.Empty() {
		return
	}
	i := int32(len(x.entries))
	x.entries = append(x.entries, Entry{Ref: ref, Kind: kind, Name: n})
	x.shapes = append(x.shapes, shapeOf(n))
	x.byRef[ref] = int(i)
	for _, k := range keys {
		r := x.runs[k.key]
		if r.n == r.cap {
			moved := run{off: int32(len(x.post)), n: r.n, cap: max(2, 2*r.cap)}
			x.post = append(x.post, x.post[r.off:r.off+r.n]...)
			x.post = append(x.post, make([]posting, moved.cap-moved.n)...)
			r = moved
		}
		x.post[r.off+r.n] = posting{entry: i, word: k.word}
		r.n++
		x.runs[k.key] = r
	}
}

// Remove drops the name held by ref (a released reservation, a dissolved
// cooperative).
func (x *Index) Remove(ref string) {
	x.lock()
	defer x.mu.Unlock()
	if i, ok := x.byRef[ref]; ok {
		x.entries[i].Ref = ""
		delete(x.byRef, ref)
	}
}

// candidate accumulates which words of the query (low 32 bits) and of the
// candidate (high 32 bits) share a key; every posting sets a bit, so zero
// is a slot no posting reached. A joined-skeleton key or a long name sets
// every bit (full): such candidates are always scored. Eight bytes a slot
// keep the table of 100,000 entries within a core's cache, where a
// posting's update is a hit: that update is most of a lookup's work (about
// 5,000 of them per check, against some ten names scored).
type candidate uint64

const full = ^candidate(0)

// scratch is one lookup's candidate table; every slot is zero between uses.
type scratch struct {
	cands   []candidate
	touched []int32
	keys    []postingKey
}

// scratch returns a zeroed table covering every entry (called under the
// read lock, or frozen, so the entry count is stable).
func (x *Index) scratch() *scratch {
	sc, _ := x.pool.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	if len(sc.cands) < len(x.entries) {
		sc.cands = make([]candidate, len(x.entries)+len(x.entries)/4)
	}
	return sc
}

// Check returns the held names that conflict with name, highest score
// first, at most limit of them (all of them when limit is 0).
func (x *Index) Check(name string, limit int) []Hit {
	return x.Lookup(Analyze(name), limit)
}

// Lookup is Check of a name already analysed (one analysis serves the
// lookups of several indexes).
func (x *Index) Lookup(q Name, limit int) []Hit {
	if q.Empty() {
		return nil
	}
	qs := shapeOf(q)
	defer x.rlock()()
	// Candidates accumulate in a dense scratch slice indexed by entry
	// (taken from a pool), not a map: a query with common words touches
	// thousands of postings, and a map update per posting dominated.
	sc := x.scratch()
	defer x.pool.Put(sc)
	sc.keys = postingKeys(x.seed, q, sc.keys[:0])
	for _, k := range sc.keys {
		r := x.runs[k.key]
		for _, p := range x.post[r.off : r.off+r.n] {
			c := &sc.cands[p.entry]
			if *c == 0 {
				sc.touched = append(sc.touched, p.entry)
			}
			switch {
			case k.word == joined || p.word == joined, k.word >= maxWords, p.word >= maxWords:
				*c = full
			default:
				*c |= 1<<k.word | 1<<(32+candidate(p.word))
			}
		}
	}
	var hits []Hit
	for _, i := range sc.touched {
		c := sc.cands[i]
		sc.cands[i] = 0
		if c != full && bound(qs, x.shapes[i], uint64(c)) < Threshold {
			continue
		}
		e := &x.entries[i]
		if e.Ref == "" {
			continue
		}
		if m := Compare(q, e.Name); m.Conflicts() {
			hits = append(hits, Hit{Entry: *e, Match: m})
		}
	}
	sc.touched = sc.touched[:0]
	slices.SortFunc(hits, func(a, b Hit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Ref, b.Ref)
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	return hits
}

// shape is what bound needs of a name, in eight bytes (the bound reads one
// per candidate, in no order): which of its first maxWords words are trade
// words, and how many distinctive and trade words it has (its weight).
type shape struct {
	trade       uint32
	distinctive uint16
	trades      uint8
	long        bool // more than maxWords words: always scored
}

func shapeOf(n Name) shape {
	sh := shape{long: len(n.Words) > maxWords}
	for i, w := range n.Words {
		if w.Kind == Trade {
			sh.trades = uint8(min(int(sh.trades)+1, 255))
			if i < maxWords {
				sh.trade |= 1 << i
			}
		} else {
			sh.distinctive = uint16(min(int(sh.distinctive)+1, 65535))
		}
	}
	if len(n.Words) > 255 {
		sh.long = true // counts clipped: always scored
	}
	return sh
}

func (s shape) weight() float64 {
	return float64(s.distinctive) + TradeWeight*float64(s.trades)
}

// boundSlack absorbs the rounding by which the weight summed word by word
// (Compare) and the weight computed from counts (bound) can differ.
const boundSlack = 1e-9

// bound is the highest score Compare can give a and b when only the words
// in mask, and the trade words (not posted), can match: every such word
// matching fully. Identical names and same distinctive words have all
// their words there, so their bound is 1. It reads only the names'
// shapes: it runs for every candidate a posting reaches, most of which
// it turns away.
func bound(a, b shape, mask uint64) float64 {
	if a.long || b.long {
		return 1
	}
	side := func(s shape, m uint32) float64 {
		return float64(bits.OnesCount32(m&^s.trade)) + TradeWeight*float64(bits.OnesCount32(s.trade))
	}
	return (side(a, uint32(mask))+side(b, uint32(mask>>32)))/(a.weight()+b.weight()) + boundSlack
}

type postingKey struct {
	key  uint64
	word uint8
}

// postingKeys appends to keys the keys a name is posted under, each once.
// Trade words are posted only for names without a distinctive word:
// sharing a trade word alone never makes a conflict, and the trade words
// are the most common ones.
func postingKeys(seed maphash.Seed, n Name, keys []postingKey) []postingKey {
	distinctive := false
	for _, w := range n.Words {
		if w.Kind == Distinctive {
			distinctive = true
		}
	}
	var h maphash.Hash
	h.SetSeed(seed)
	sum := func(prefix byte, a, b string) uint64 {
		h.Reset()
		_ = h.WriteByte(prefix)
		_, _ = h.WriteString(a)
		_, _ = h.WriteString(b)
		return h.Sum64()
	}
	add := func(prefix byte, s string, word uint8) {
		if s == "" {
			return
		}
		keys = append(keys, postingKey{sum(prefix, s, ""), word})
		if len(s) < 4 { // short skeletons match only exactly
			return
		}
		for i := range len(s) {
			keys = append(keys, postingKey{sum(prefix, s[:i], s[i+1:]), word})
		}
	}
	for i, w := range n.Words {
		if distinctive && w.Kind != Distinctive {
			continue
		}
		word := uint8(min(i, maxWords))
		add('w', w.Skeleton, word)
		if w.Skeleton == "" { // a word of vowels only
			keys = append(keys, postingKey{sum('f', w.Folded, ""), word})
		}
	}
	add('j', n.Sound, joined)
	// A key posted twice for the same word ("mm" minus either m) would
	// list the entry twice under it.
	slices.SortFunc(keys, func(a, b postingKey) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.word, b.word)
	})
	return slices.Compact(keys)
}

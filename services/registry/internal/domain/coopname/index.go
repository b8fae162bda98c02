package coopname

import (
	"cmp"
	"slices"
	"sync"
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
// comparing it with every name held. Each name is posted under its word
// skeletons, its joined skeleton, and every form of those with one letter
// deleted (a deletion neighbourhood), so a lookup reaches every held name
// with a word, or a joined form, within one edit of the query's; only
// those candidates are scored with Compare. Skeleton pairs two or more
// edits apart score under wordMatch in practice, so they are not missed
// conflicts but non-candidates.
//
// An Index is safe for concurrent use.
type Index struct {
	mu      sync.RWMutex
	entries []Entry
	byRef   map[string]int
	post    map[string][]int32
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{byRef: map[string]int{}, post: map[string][]int32{}}
}

// Len is the number of names held.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.byRef)
}

// Put adds or replaces the name held by ref.
func (x *Index) Put(ref, kind, name string) {
	n := Analyze(name)
	x.mu.Lock()
	defer x.mu.Unlock()
	if i, ok := x.byRef[ref]; ok {
		x.entries[i].Ref = "" // tombstone: postings to it are skipped
	}
	if n.Empty() {
		delete(x.byRef, ref)
		return
	}
	i := int32(len(x.entries))
	x.entries = append(x.entries, Entry{Ref: ref, Kind: kind, Name: n})
	x.byRef[ref] = int(i)
	for _, k := range postingKeys(n) {
		x.post[k] = append(x.post[k], i)
	}
}

// Remove drops the name held by ref (a released reservation, a dissolved
// cooperative).
func (x *Index) Remove(ref string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if i, ok := x.byRef[ref]; ok {
		x.entries[i].Ref = ""
		delete(x.byRef, ref)
	}
}

// Check returns the held names that conflict with name, highest score
// first, at most limit of them.
func (x *Index) Check(name string, limit int) []Hit {
	q := Analyze(name)
	if q.Empty() {
		return nil
	}
	keys := postingKeys(q)
	x.mu.RLock()
	defer x.mu.RUnlock()
	seen := make(map[int32]struct{})
	var hits []Hit
	for _, k := range keys {
		for _, i := range x.post[k] {
			if _, dup := seen[i]; dup {
				continue
			}
			seen[i] = struct{}{}
			e := x.entries[i]
			if e.Ref == "" {
				continue
			}
			if m := Compare(q, e.Name); m.Conflicts() {
				hits = append(hits, Hit{Entry: e, Match: m})
			}
		}
	}
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

// postingKeys are the keys a name is posted under. Trade words are posted
// only for names without a distinctive word: sharing a trade word alone
// never makes a conflict, and the trade words are the most common ones.
func postingKeys(n Name) []string {
	distinctive := false
	for _, w := range n.Words {
		if w.Kind == Distinctive {
			distinctive = true
		}
	}
	set := map[string]struct{}{}
	add := func(prefix byte, s string) {
		if s == "" {
			return
		}
		set[string(prefix)+s] = struct{}{}
		if len(s) < 4 { // short skeletons match only exactly
			return
		}
		for i := range len(s) {
			set[string(prefix)+s[:i]+s[i+1:]] = struct{}{}
		}
	}
	for _, w := range n.Words {
		if distinctive && w.Kind != Distinctive {
			continue
		}
		add('w', w.Skeleton)
		if w.Skeleton == "" { // a word of digits or vowels only
			set["f"+w.Folded] = struct{}{}
		}
	}
	add('j', n.Sound)
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	return keys
}

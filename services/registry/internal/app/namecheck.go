package app

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/services/registry/internal/domain/coopname"
)

// HeldName is a name that a proposed cooperative name must not repeat.
type HeldName struct {
	// Key tells apart the names one holder has (a request's proposals);
	// empty means Holder. A later HeldName with the same key replaces it,
	// and one with neither AR nor FR releases it.
	Key        string
	Holder     string // resource name of what holds it
	Kind       string // HeldCooperative, HeldReserved or HeldPending
	AR, FR     string
	UpdateTime int64 // UNIX microseconds of the holder's last change
	// Expires is when a reservation lapses (zero: never).
	Expires time.Time
}

// Kinds of held names.
const (
	HeldCooperative = "COOPERATIVE"
	HeldReserved    = "RESERVED"
	HeldPending     = "PENDING"
)

func (h HeldName) key() string {
	if h.Key != "" {
		return h.Key
	}
	return h.Holder
}

// NameSource reads the held names changed at or after a time (0: all).
type NameSource interface {
	ChangedSince(ctx context.Context, since int64) ([]HeldName, error)
}

// NameSources reads several sources as one (the cooperatives, the name
// requests).
type NameSources []NameSource

// ChangedSince implements NameSource.
func (ss NameSources) ChangedSince(ctx context.Context, since int64) ([]HeldName, error) {
	var out []HeldName
	for _, s := range ss {
		hs, err := s.ChangedSince(ctx, since)
		if err != nil {
			return nil, err
		}
		out = append(out, hs...)
	}
	return out, nil
}

// NameConflict is one held name a proposed one conflicts with.
type NameConflict struct {
	Holder   string
	AR, FR   string
	Kind     string // HeldCooperative, HeldReserved or HeldPending
	Score    float64
	Reason   coopname.Reason
	Proposed string // "ar" or "fr": which proposed name conflicts
}

// MaxNameConflicts bounds the answer of a name check.
const MaxNameConflicts = 20

// Staleness bounds.
const (
	// nameRefresh: a check reads the names changed since the last look
	// when the last look is older than this.
	nameRefresh = time.Second
	// nameOverlap: each incremental read goes back this far before the
	// newest change seen, so a transaction that committed late with an
	// earlier update_time is still read (re-reading a name is harmless).
	nameOverlap = 10 * time.Second
	// nameRebuild: the whole index is rebuilt this often, which drops the
	// names of deleted cooperatives.
	nameRebuild = 5 * time.Minute
)

// NameCheck answers the public cooperative name check from an in-memory
// coopname.Index of every cooperative's Arabic and French names, and of the
// names ODCO reserved (approved, certificate unused and unexpired) or has
// yet to decide on.
//
// Each replica keeps its own index. Before answering, a check reads the
// names changed since the last look when that look is over a second old,
// or when this replica wrote a cooperative or a name request since
// (Changed): a name registered or approved through this replica conflicts
// from its next check, one through another replica from the first check
// over a second later. A deleted cooperative's name stops conflicting at
// the next full rebuild (every 5 minutes), which reads and indexes every
// name in the background: checks meanwhile answer from the current index,
// so a rebuild of 100,000 cooperatives never holds them up.
type NameCheck struct {
	src NameSource
	// Now is the clock deciding staleness (time.Now; tests step it).
	Now func() time.Time

	mu         sync.Mutex // serialises reads of the source into the index
	cur        *heldIndex
	mark       int64     // newest update_time seen
	looked     time.Time // last incremental read
	rebuilt    time.Time // start of the last full read
	rebuilding bool
	stale      atomic.Bool    // this replica wrote held names since the last look
	background sync.WaitGroup // the rebuild under way (tests wait on it)
}

// heldIndex is an index and the held names its entries stand for, swapped
// together by a rebuild.
type heldIndex struct {
	idx   *coopname.Index
	mu    sync.RWMutex // guards names
	names map[string]HeldName
}

// NewNameCheck returns a name check reading from src.
func NewNameCheck(src NameSource) *NameCheck {
	return &NameCheck{src: src, Now: time.Now}
}

// Changed tells the check that this replica committed a change to a
// cooperative or a name request, so the next check reads the changes
// before answering rather than up to a second later.
func (n *NameCheck) Changed() { n.stale.Store(true) }

// Check returns the held names conflicting with the proposed Arabic and/or
// French name, highest score first.
func (n *NameCheck) Check(ctx context.Context, ar, fr string) ([]NameConflict, error) {
	var vs fault.Violations
	ar, fr = strings.TrimSpace(ar), strings.TrimSpace(fr)
	if ar == "" && fr == "" {
		vs.Add("name_ar", fault.RuleRequired, "give the proposed name in Arabic, in French, or both")
		vs.Add("name_fr", fault.RuleRequired, "give the proposed name in Arabic, in French, or both")
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	h, err := n.fresh(ctx)
	if err != nil {
		return nil, err
	}
	now := n.Now()
	best := map[string]NameConflict{} // by holder
	h.mu.RLock()
	for _, p := range []struct{ lang, name string }{{"ar", ar}, {"fr", fr}} {
		if p.name == "" {
			continue
		}
		for _, hit := range h.idx.Check(p.name, 0) {
			key := hit.Ref[:strings.LastIndexByte(hit.Ref, '#')]
			held, ok := h.names[key]
			if !ok || (!held.Expires.IsZero() && now.After(held.Expires)) {
				continue // a lapsed reservation no longer holds its name
			}
			if c, ok := best[held.Holder]; ok && c.Score >= hit.Score {
				continue
			}
			best[held.Holder] = NameConflict{Holder: held.Holder, AR: held.AR, FR: held.FR, Kind: held.Kind, Score: hit.Score, Reason: hit.Reason, Proposed: p.lang}
		}
	}
	h.mu.RUnlock()
	out := make([]NameConflict, 0, len(best))
	for _, c := range best {
		out = append(out, c)
	}
	sortConflicts(out)
	if len(out) > MaxNameConflicts {
		out = out[:MaxNameConflicts]
	}
	return out, nil
}

// fresh returns the index, first reading the changes when it is stale. The
// first call builds it; later full rebuilds run in the background.
func (n *NameCheck) fresh(ctx context.Context) (*heldIndex, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	now := n.Now()
	if n.cur == nil {
		n.stale.Store(false)
		h, mark, err := n.build(ctx)
		if err != nil {
			return nil, err
		}
		n.cur, n.mark, n.looked, n.rebuilt = h, mark, now, now
		return h, nil
	}
	if now.Sub(n.rebuilt) >= nameRebuild && !n.rebuilding {
		n.rebuilding = true
		n.background.Add(1)
		// The rebuild outlives the check that started it.
		go n.rebuild(context.WithoutCancel(ctx), now)
	}
	if now.Sub(n.looked) < nameRefresh && !n.stale.Load() {
		return n.cur, nil
	}
	// Cleared before the read: a write committed during it marks the
	// index stale again, for the next check.
	n.stale.Store(false)
	if err := n.catchUp(ctx, n.cur); err != nil {
		n.stale.Store(true)
		return nil, err
	}
	n.looked = now
	return n.cur, nil
}

// build reads every held name into a new index.
func (n *NameCheck) build(ctx context.Context) (*heldIndex, int64, error) {
	rows, err := n.src.ChangedSince(ctx, 0)
	if err != nil {
		return nil, 0, &fault.UnavailableError{What: "cooperative names", Err: err}
	}
	h := &heldIndex{idx: coopname.NewIndex(), names: make(map[string]HeldName, len(rows))}
	h.put(rows)
	var mark int64
	for _, r := range rows {
		mark = max(mark, r.UpdateTime)
	}
	return h, mark, nil
}

// catchUp reads into h the names changed since the newest change seen
// (less the overlap); called under n.mu.
func (n *NameCheck) catchUp(ctx context.Context, h *heldIndex) error {
	rows, err := n.src.ChangedSince(ctx, n.mark-nameOverlap.Microseconds())
	if err != nil {
		return &fault.UnavailableError{What: "cooperative names", Err: err}
	}
	h.put(rows)
	for _, r := range rows {
		n.mark = max(n.mark, r.UpdateTime)
	}
	return nil
}

// rebuild builds a new index off the check path, brings it up to the
// current one's newest change and swaps it in. A failed read keeps the
// current index; the next check past the rebuild interval tries again.
func (n *NameCheck) rebuild(ctx context.Context, started time.Time) {
	defer n.background.Done()
	h, mark, err := n.build(ctx)
	n.mu.Lock()
	defer n.mu.Unlock()
	n.rebuilding = false
	if err != nil {
		return
	}
	// The current index may have read changes newer than the full read:
	// the swapped-in one must not lose them, so it reads from the older
	// of the two marks.
	n.mark = min(n.mark, mark)
	if err := n.catchUp(ctx, h); err != nil {
		return
	}
	n.cur, n.rebuilt = h, started
}

// put indexes both scripts of each held name, each under its own
// reference (key#ar, key#fr), so a renamed script replaces only itself; a
// name with neither script is released. The index takes its lock name by
// name, after analysing the name outside it, and h.mu is held only for the
// map updates: a large batch of changes (an import's thousands of
// cooperatives) holds no check up for longer than one name's postings.
// Meanwhile a check may find a name indexed but not yet in names (it skips
// it) or the holder's previous names shown beside a hit on its new one.
func (h *heldIndex) put(rows []HeldName) {
	for _, r := range rows {
		k := r.key()
		h.idx.Put(k+"#ar", r.Kind, r.AR)
		h.idx.Put(k+"#fr", r.Kind, r.FR)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range rows {
		if k := r.key(); r.AR == "" && r.FR == "" {
			delete(h.names, k)
		} else {
			h.names[k] = r
		}
	}
}

func sortConflicts(cs []NameConflict) {
	slices.SortFunc(cs, func(a, b NameConflict) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Holder, b.Holder)
	})
}

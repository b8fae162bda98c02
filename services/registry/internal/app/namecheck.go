package app

import (
	"cmp"
	"context"
	"maps"
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

// nameDelta bounds the names changed since the last full build: past it
// a rebuild starts early, since each change rebuilds the change layer.
const nameDelta = 2000

// NameCheck answers the public cooperative name check from an in-memory
// coopname.Index of every cooperative's Arabic and French names, and of the
// names ODCO reserved (approved, certificate unused and unexpired) or has
// yet to decide on.
//
// Each replica keeps its own index. Before answering, a check reads the
// names changed since the last look when this replica wrote a cooperative
// or a name request since (Changed): a name registered or approved through
// this replica conflicts from its next check. A check over a second after
// the last look starts that read in the background and answers from the
// current index: a name through another replica conflicts once the read
// that the first check over a second later started has ended. A deleted cooperative's name stops conflicting at
// the next full rebuild (every 5 minutes), which reads and indexes every
// name in the background: checks meanwhile answer from the current index,
// so a rebuild of 100,000 cooperatives never holds them up.
//
// Checks read an immutable snapshot through an atomic pointer and take no
// lock: the full index as last built, and a small layer of the names
// changed since, which the one refresher (n.mu) rebuilds and publishes
// with each read of changes. A check therefore never waits for a change
// being indexed; one waits only for the read of changes its freshness
// needs, and checks arriving meanwhile are answered by that same read.
type NameCheck struct {
	src NameSource
	// Now is the clock deciding staleness (time.Now; tests step it).
	Now func() time.Time

	cur     atomic.Pointer[heldIndex]
	looked  atomic.Int64  // n.Now() of the last read of changes, UNIX ns
	rebuilt atomic.Int64  // n.Now() at the start of the last full read, UNIX ns
	changes atomic.Uint64 // Changed calls so far
	seen    atomic.Uint64 // changes when the last read of them began

	mu         sync.Mutex // the refresher: reads of the source into the index
	mark       int64      // newest update_time seen
	readAt     int64      // n.Now() when the last read that succeeded began, UNIX µs
	rebuilding atomic.Bool
	catching   atomic.Bool    // a background read of changes is under way
	background sync.WaitGroup // the rebuild or read under way (tests wait on it)
}

// heldIndex is one published state of the held names, never changed: the
// full index and its names as of a full read, and the names changed since
// (a released name is there with neither script) in their own index.
type heldIndex struct {
	base    *coopname.Index
	names   map[string]HeldName
	delta   *coopname.Index
	changed map[string]HeldName
}

// NewNameCheck returns a name check reading from src.
func NewNameCheck(src NameSource) *NameCheck {
	return &NameCheck{src: src, Now: time.Now}
}

// Changed tells the check that this replica committed a change to a
// cooperative or a name request, so the next check reads the changes
// before answering rather than up to a second later.
func (n *NameCheck) Changed() { n.changes.Add(1) }

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
	add := func(lang string, hit coopname.Hit, held HeldName) {
		if !held.Expires.IsZero() && now.After(held.Expires) {
			return // a lapsed reservation no longer holds its name
		}
		if c, ok := best[held.Holder]; ok && c.Score >= hit.Score {
			return
		}
		best[held.Holder] = NameConflict{Holder: held.Holder, AR: held.AR, FR: held.FR, Kind: held.Kind, Score: hit.Score, Reason: hit.Reason, Proposed: lang}
	}
	for _, p := range []struct{ lang, name string }{{"ar", ar}, {"fr", fr}} {
		if p.name == "" {
			continue
		}
		q := coopname.Analyze(p.name)
		for _, hit := range h.base.Lookup(q, 0) {
			key := hit.Ref[:strings.LastIndexByte(hit.Ref, '#')]
			if _, ok := h.changed[key]; ok {
				continue // changed since the full read: the change layer answers
			}
			add(p.lang, hit, h.names[key])
		}
		for _, hit := range h.delta.Lookup(q, 0) {
			add(p.lang, hit, h.changed[hit.Ref[:strings.LastIndexByte(hit.Ref, '#')]])
		}
	}
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

// fresh returns the current snapshot, first reading the changes when it
// is stale. The first call builds it; later full rebuilds run in the
// background.
func (n *NameCheck) fresh(ctx context.Context) (*heldIndex, error) {
	now := n.Now()
	wanted := n.changes.Load() // the writes this check must see
	if n.cur.Load() != nil && now.UnixNano()-n.rebuilt.Load() >= int64(nameRebuild) {
		n.startRebuild(ctx, now)
	}
	// current before the load: a read publishes its snapshot before it
	// marks the writes it saw, so the snapshot loaded after has them.
	if n.current(now, wanted) {
		if h := n.cur.Load(); h != nil {
			return h, nil
		}
	}
	// Stale by age only (no write of this replica unseen): other replicas'
	// changes are read in the background and this check answers from the
	// current snapshot. Waiting here made the check that found the index a
	// second old pay for the read (after an import, of every imported row
	// the overlap reaches): one call a second at 200 ms.
	if h := n.cur.Load(); h != nil && n.seen.Load() >= wanted {
		n.startCatchUp(ctx, now)
		return h, nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	// A read that began while this check waited may have served it.
	if n.current(now, wanted) {
		if h := n.cur.Load(); h != nil {
			return h, nil
		}
	}
	return n.read(ctx, now)
}

// read brings the snapshot up to the source's changes (building it on the
// first call) and returns it; called under n.mu.
func (n *NameCheck) read(ctx context.Context, now time.Time) (*heldIndex, error) {
	began := n.changes.Load()
	if n.cur.Load() == nil {
		base, names, mark, err := n.build(ctx)
		if err != nil {
			return nil, err
		}
		n.mark, n.readAt = mark, now.UnixMicro()
		n.cur.Store(layered(base, names, nil))
		n.rebuilt.Store(now.UnixNano())
	} else if err := n.catchUp(ctx, n.cur.Load()); err != nil {
		return nil, err
	}
	n.seen.Store(began)
	n.looked.Store(now.UnixNano())
	h := n.cur.Load()
	if len(h.changed) > nameDelta {
		n.startRebuild(ctx, now)
	}
	return h, nil
}

// startCatchUp reads the changes in the background unless a read is under
// way or waited for (n.mu held). A failed read leaves the last look's time,
// so the next check tries again.
func (n *NameCheck) startCatchUp(ctx context.Context, now time.Time) {
	if !n.catching.CompareAndSwap(false, true) {
		return
	}
	n.background.Add(1)
	go func() {
		defer n.background.Done()
		defer n.catching.Store(false)
		if !n.mu.TryLock() {
			return // a check is reading the changes now
		}
		defer n.mu.Unlock()
		_, _ = n.read(context.WithoutCancel(ctx), now)
	}()
}

// current: the last read of changes is recent enough and began after the
// writes a check wants.
func (n *NameCheck) current(now time.Time, wanted uint64) bool {
	return n.seen.Load() >= wanted && now.UnixNano()-n.looked.Load() < int64(nameRefresh)
}

// startRebuild starts a full rebuild unless one is under way.
func (n *NameCheck) startRebuild(ctx context.Context, now time.Time) {
	if !n.rebuilding.CompareAndSwap(false, true) {
		return
	}
	n.background.Add(1)
	// The rebuild outlives the check that started it.
	go n.rebuild(context.WithoutCancel(ctx), now)
}

// build reads every held name into a new frozen index.
func (n *NameCheck) build(ctx context.Context) (*coopname.Index, map[string]HeldName, int64, error) {
	rows, err := n.src.ChangedSince(ctx, 0)
	if err != nil {
		return nil, nil, 0, &fault.UnavailableError{What: "cooperative names", Err: err}
	}
	latest := make(map[string]HeldName, len(rows))
	var mark int64
	for _, r := range rows {
		latest[r.key()] = r
		mark = max(mark, r.UpdateTime)
	}
	names := make(map[string]HeldName, len(latest))
	for k, r := range latest {
		if r.AR != "" || r.FR != "" {
			names[k] = r
		}
	}
	return indexOf(names), names, mark, nil
}

// catchUp reads the names changed since the newest change seen (less the
// overlap) and publishes h with them added to its change layer; called
// under n.mu.
func (n *NameCheck) catchUp(ctx context.Context, h *heldIndex) error {
	// From the overlap before the newest change seen, or before the last
	// read began if that is later: a row committed since that read began
	// has an update_time after it, less the overlap. Without the second
	// bound, a mark left by an import kept every read re-reading the
	// import's last ten seconds of rows. (Writers' clocks are assumed
	// within the overlap of each other; the full rebuild repairs a miss.)
	began := n.Now().UnixMicro()
	rows, err := n.src.ChangedSince(ctx, max(n.mark, n.readAt)-nameOverlap.Microseconds())
	if err != nil {
		return &fault.UnavailableError{What: "cooperative names", Err: err}
	}
	n.readAt = began
	var changed map[string]HeldName
	for _, r := range rows {
		n.mark = max(n.mark, r.UpdateTime)
		// The overlap re-reads rows already held (after an import, every
		// row of it, until a newer change moves the mark): only a row that
		// differs from the one held changes the layer.
		if held, ok := h.held(r.key()); ok == (r.AR != "" || r.FR != "") && same(held, r) {
			continue
		}
		if changed == nil {
			changed = maps.Clone(h.changed)
			if changed == nil {
				changed = map[string]HeldName{}
			}
		}
		changed[r.key()] = r
	}
	if changed != nil {
		n.cur.Store(layered(h.base, h.names, changed))
	}
	return nil
}

// rebuild builds a new index off the check path, brings it up to the
// current one's newest change and swaps it in. A failed read keeps the
// current index; the next check past the rebuild interval tries again.
func (n *NameCheck) rebuild(ctx context.Context, started time.Time) {
	defer n.background.Done()
	defer n.rebuilding.Store(false)
	base, names, mark, err := n.build(ctx)
	n.mu.Lock()
	defer n.mu.Unlock()
	if err != nil {
		return
	}
	// The current index may have read changes newer than the full read:
	// the swapped-in one must not lose them, so it reads from the older
	// of the two marks.
	n.mark, n.readAt = min(n.mark, mark), min(n.readAt, started.UnixMicro())
	if err := n.catchUp(ctx, layered(base, names, nil)); err != nil {
		return
	}
	if h := n.cur.Load(); h.base != base { // catchUp read nothing new
		n.cur.Store(layered(base, names, nil))
	}
	n.rebuilt.Store(started.UnixNano())
}

// held is the row h holds for key, if any (a released name is held as
// its release in the change layer).
func (h *heldIndex) held(key string) (HeldName, bool) {
	if r, ok := h.changed[key]; ok {
		return r, r.AR != "" || r.FR != ""
	}
	r, ok := h.names[key]
	return r, ok
}

// same: a and b are the same row (Expires compared as instants, as a
// row read again may carry another location).
func same(a, b HeldName) bool {
	ea, eb := a.Expires, b.Expires
	a.Expires, b.Expires = time.Time{}, time.Time{}
	return a == b && ea.Equal(eb)
}

// layered is a snapshot of base and its names with the changed names in
// their own index.
func layered(base *coopname.Index, names, changed map[string]HeldName) *heldIndex {
	return &heldIndex{base: base, names: names, delta: indexOf(changed), changed: changed}
}

// indexOf indexes both scripts of each held name, each under its own
// reference (key#ar, key#fr), and freezes the index; a name with neither
// script holds nothing.
func indexOf(names map[string]HeldName) *coopname.Index {
	x := coopname.NewIndex()
	for k, r := range names {
		x.Put(k+"#ar", r.Kind, r.AR)
		x.Put(k+"#fr", r.Kind, r.FR)
	}
	x.Freeze()
	return x
}

func sortConflicts(cs []NameConflict) {
	slices.SortFunc(cs, func(a, b NameConflict) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Holder, b.Holder)
	})
}

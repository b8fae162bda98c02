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
	// nameRefresh: a check starts a read of the names changed since the
	// last one, in the background, when the last began longer ago than
	// this: other replicas' writes are seen about this much later.
	nameRefresh = time.Second
	// nameOverlap: each incremental read goes back this far before the
	// newest change seen, so a transaction that committed late with an
	// earlier update_time is still read (a row read again is skipped).
	nameOverlap = 10 * time.Second
	// nameRebuild: the whole index is rebuilt this often, which repairs
	// what a read of changes missed (a writer's clock off by more than
	// the overlap).
	nameRebuild = 5 * time.Minute
)

// nameDelta is the fewest changed rows that start a full rebuild early;
// past a quarter of the full read's rows it takes more (each rebuild
// indexes every name again).
const nameDelta = 2000

// NameCheck answers the public cooperative name check from an in-memory
// coopname.Index of every cooperative's Arabic and French names, and of the
// names ODCO reserved (approved, certificate unused and unexpired) or has
// yet to decide on.
//
// Each replica keeps its own index. A write through this replica hands
// the names it changed to the check once it has committed (Written), which
// applies them before the write returns: the next check sees them, and
// never waits for a read of the database to do so. Other replicas' writes
// are read in the background: a check over a second after the last read
// started starts the next one and answers from the current index. Such a
// read returns the rows changed and the releases deleted cooperatives left
// (their rows are gone), so a delete through another replica stops
// conflicting then too. A full rebuild (every 5 minutes, or earlier once
// many names changed) reads and indexes every name in the background.
//
// Checks read an immutable snapshot through an atomic pointer and take no
// lock. Every new snapshot is made under n.pub from the current one, which
// is short work in memory: the names handed over, or the rows a read
// returned, applied by revision (heldIndex.with), so a row read again, or
// read before a write handed over a newer revision of it, changes nothing,
// and a deleted holder's release outranks any row of it. Reads of the
// database hold n.mu instead, one at a time, never n.pub, so a writer
// handing names over waits for no read.
type NameCheck struct {
	src NameSource
	// Now is the clock deciding staleness (time.Now; tests step it).
	Now func() time.Time

	cur     atomic.Pointer[heldIndex]
	looked  atomic.Int64 // n.Now() when the last read of changes that succeeded began, UNIX ns
	rebuilt atomic.Int64 // n.Now() at the start of the last full read, UNIX ns

	mu     sync.Mutex // the reader: reads of the source, one at a time
	mark   int64      // newest update_time read
	readAt int64      // n.Now() when the last read that succeeded began, UNIX µs

	pub sync.Mutex // the publisher: every change of cur
	// recording: a full read is under way, and replay keeps the names
	// handed over meanwhile, which the read may have missed, to apply
	// them again to the index it builds.
	recording bool
	replay    []HeldName

	rebuilding atomic.Bool
	catching   atomic.Bool    // a background read of changes is under way
	background sync.WaitGroup // the rebuild or read under way (tests wait on it)
}

// NewNameCheck returns a name check reading from src.
func NewNameCheck(src NameSource) *NameCheck {
	return &NameCheck{src: src, Now: time.Now}
}

// Written applies the names a committed write of this replica changed
// (CooperativeHeld, RequestHeld, or a deleted holder's release), so they
// answer from the next check on.
func (n *NameCheck) Written(hs []HeldName) {
	n.pub.Lock()
	defer n.pub.Unlock()
	if n.recording {
		n.replay = append(n.replay, hs...)
	}
	n.advance(hs)
}

// advance publishes the current snapshot with rows applied, when any is
// newer than what it holds; nothing before the first full read (which
// replays what was handed over meanwhile). Called under n.pub.
func (n *NameCheck) advance(rows []HeldName) {
	h := n.cur.Load()
	if h == nil {
		return
	}
	if next := h.with(rows); next != h {
		n.cur.Store(next)
		n.rebuildIfLarge(next)
	}
}

// WaitReads waits for the background reads under way, a rebuild or a
// read of changes, to end (tests: a check after it answers from what they
// read).
func (n *NameCheck) WaitReads() { n.background.Wait() }

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
	for _, p := range []struct{ lang, name string }{{"ar", ar}, {"fr", fr}} {
		if p.name == "" {
			continue
		}
		h.lookup(coopname.Analyze(p.name), func(hit coopname.Hit, held HeldName) {
			if !held.Expires.IsZero() && now.After(held.Expires) {
				return // a lapsed reservation no longer holds its name
			}
			if c, ok := best[held.Holder]; ok && c.Score >= hit.Score {
				return
			}
			best[held.Holder] = NameConflict{Holder: held.Holder, AR: held.AR, FR: held.FR, Kind: held.Kind, Score: hit.Score, Reason: hit.Reason, Proposed: p.lang}
		})
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

// fresh returns the current snapshot, starting the reads it is due for in
// the background. Only the first call, which builds it, waits.
func (n *NameCheck) fresh(ctx context.Context) (*heldIndex, error) {
	h := n.cur.Load()
	if h == nil {
		return n.first(ctx)
	}
	now := n.Now()
	if now.UnixNano()-n.rebuilt.Load() >= int64(nameRebuild) {
		n.startRebuild(ctx, now)
	}
	if now.UnixNano()-n.looked.Load() >= int64(nameRefresh) {
		n.startCatchUp(ctx, now)
	}
	return h, nil
}

// first builds the first snapshot; checks arriving meanwhile wait for it.
func (n *NameCheck) first(ctx context.Context) (*heldIndex, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if h := n.cur.Load(); h != nil {
		return h, nil // built while this check waited
	}
	now := n.Now()
	n.record()
	rows, mark, err := n.build(ctx)
	if err != nil {
		n.publish(nil)
		return nil, err
	}
	n.mark, n.readAt = mark, now.UnixMicro()
	h := n.publish(built(rows))
	n.rebuilt.Store(now.UnixNano())
	n.looked.Store(now.UnixNano())
	return h, nil
}

// record starts keeping the names handed over, before a full read begins.
func (n *NameCheck) record() {
	n.pub.Lock()
	defer n.pub.Unlock()
	n.recording, n.replay = true, nil
}

// publish stops recording and publishes h (nil: the full read failed and
// nothing is published) with the names handed over since record applied.
func (n *NameCheck) publish(h *heldIndex) *heldIndex {
	n.pub.Lock()
	defer n.pub.Unlock()
	if h != nil {
		h = h.with(n.replay)
		n.cur.Store(h)
		n.rebuildIfLarge(h)
	}
	n.recording, n.replay = false, nil
	return h
}

// startCatchUp reads the changes in the background unless a read is under
// way. A failed read leaves the last read's time, so the next check tries
// again.
func (n *NameCheck) startCatchUp(ctx context.Context, now time.Time) {
	if !n.catching.CompareAndSwap(false, true) {
		return
	}
	n.background.Add(1)
	go func() {
		defer n.background.Done()
		defer n.catching.Store(false)
		if !n.mu.TryLock() {
			return // a rebuild is reading the changes now
		}
		defer n.mu.Unlock()
		rows, err := n.readChanges(context.WithoutCancel(ctx))
		if err != nil {
			return
		}
		n.pub.Lock()
		n.advance(rows)
		n.pub.Unlock()
		n.looked.Store(now.UnixNano())
	}()
}

// readChanges reads the rows changed since the newest change seen (less
// the overlap), or since the last read began if that is later; called
// under n.mu. A row committed since that read began has an update_time
// after it, less the overlap; without the second bound, a mark left by an
// import kept every read re-reading the import's last ten seconds of rows.
// (Writers' clocks are assumed within the overlap of each other; the full
// rebuild repairs a miss.) Each read so covers at most the overlap and the
// time since the last, however many writes there were.
func (n *NameCheck) readChanges(ctx context.Context) ([]HeldName, error) {
	began := n.Now().UnixMicro()
	rows, err := n.src.ChangedSince(ctx, max(n.mark, n.readAt)-nameOverlap.Microseconds())
	if err != nil {
		return nil, &fault.UnavailableError{What: "cooperative names", Err: err}
	}
	n.readAt = began
	for _, r := range rows {
		n.mark = max(n.mark, r.UpdateTime)
	}
	return rows, nil
}

// rebuildIfLarge starts a full rebuild when h's layers hold more changed
// rows than nameDelta and a quarter of its full read's; called under n.pub.
func (n *NameCheck) rebuildIfLarge(h *heldIndex) {
	if h.changed() > max(nameDelta, len(h.rows)/4) {
		n.startRebuild(context.Background(), n.Now())
	}
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

// build reads every held name, released ones too (their revisions tell a
// row read again from a newer one).
func (n *NameCheck) build(ctx context.Context) (map[string]HeldName, int64, error) {
	rows, err := n.src.ChangedSince(ctx, 0)
	if err != nil {
		return nil, 0, &fault.UnavailableError{What: "cooperative names", Err: err}
	}
	latest := make(map[string]HeldName, len(rows))
	var mark int64
	for _, r := range rows {
		if cur, ok := latest[r.key()]; !ok || cur.Revision < r.Revision {
			latest[r.key()] = r
		}
		mark = max(mark, r.UpdateTime)
	}
	return latest, mark, nil
}

// rebuild builds a new snapshot off the check path, brings it up to the
// changes since the full read began and swaps it in. The names handed over
// since the full read began are applied to it again: a delete committed
// after it, whose row it read, is kept, as no later read returns the row.
// A failed read keeps the current snapshot; the next check past the
// rebuild interval tries again.
func (n *NameCheck) rebuild(ctx context.Context, started time.Time) {
	defer n.background.Done()
	defer n.rebuilding.Store(false)
	n.record()
	rows, mark, err := n.build(ctx)
	if err != nil {
		n.publish(nil)
		return
	}
	h := built(rows)
	// Under n.mu from here to the swap: a read of changes under way, which
	// may have returned a row before its delete was handed over, is applied
	// to the current snapshot before the swap, not to the rebuilt one.
	n.mu.Lock()
	defer n.mu.Unlock()
	// The current index may have read changes newer than the full read:
	// the swapped-in one must not lose them, so it reads from the older
	// of the two marks.
	n.mark, n.readAt = min(n.mark, mark), min(n.readAt, started.UnixMicro())
	changes, err := n.readChanges(ctx)
	if err != nil {
		n.publish(nil)
		return
	}
	n.publish(h.with(changes))
	n.rebuilt.Store(started.UnixNano())
}

func sortConflicts(cs []NameConflict) {
	slices.SortFunc(cs, func(a, b NameConflict) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Holder, b.Holder)
	})
}

package app

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
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
// yet to decide on. Each
// replica keeps its own index and brings it up to date from the database
// before answering when its last look is over a second old, so a name
// registered through any replica is seen by every replica's next check
// after that second; a deleted cooperative's name stops conflicting at the
// next full rebuild (every 5 minutes).
type NameCheck struct {
	src NameSource
	// Now is the clock deciding staleness (time.Now; tests step it).
	Now func() time.Time

	mu      sync.Mutex // serialises refreshes
	idx     *coopname.Index
	names   map[string]HeldName // by holder
	mark    int64               // newest update_time seen
	looked  time.Time           // last incremental read
	rebuilt time.Time           // last full build
	nameMu  sync.RWMutex        // guards names for readers
}

// NewNameCheck returns a name check reading from src.
func NewNameCheck(src NameSource) *NameCheck {
	return &NameCheck{src: src, Now: time.Now}
}

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
	idx, err := n.fresh(ctx)
	if err != nil {
		return nil, err
	}
	now := n.Now()
	best := map[string]NameConflict{} // by holder
	n.nameMu.RLock()
	for _, p := range []struct{ lang, name string }{{"ar", ar}, {"fr", fr}} {
		if p.name == "" {
			continue
		}
		for _, h := range idx.Check(p.name, 0) {
			key := h.Ref[:strings.LastIndexByte(h.Ref, '#')]
			held, ok := n.names[key]
			if !ok || (!held.Expires.IsZero() && now.After(held.Expires)) {
				continue // a lapsed reservation no longer holds its name
			}
			if c, ok := best[held.Holder]; ok && c.Score >= h.Score {
				continue
			}
			best[held.Holder] = NameConflict{Holder: held.Holder, AR: held.AR, FR: held.FR, Kind: held.Kind, Score: h.Score, Reason: h.Reason, Proposed: p.lang}
		}
	}
	n.nameMu.RUnlock()
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

// fresh returns the index, first bringing it up to date when it is stale.
func (n *NameCheck) fresh(ctx context.Context) (*coopname.Index, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	now := n.Now()
	if n.idx == nil || now.Sub(n.rebuilt) >= nameRebuild {
		rows, err := n.src.ChangedSince(ctx, 0)
		if err != nil {
			return nil, &fault.UnavailableError{What: "cooperative names", Err: err}
		}
		idx, names := coopname.NewIndex(), make(map[string]HeldName, len(rows))
		var mark int64
		for _, r := range rows {
			put(idx, names, r)
			mark = max(mark, r.UpdateTime)
		}
		n.nameMu.Lock()
		n.idx, n.names, n.mark = idx, names, mark
		n.nameMu.Unlock()
		n.looked, n.rebuilt = now, now
		return idx, nil
	}
	if now.Sub(n.looked) < nameRefresh {
		return n.idx, nil
	}
	rows, err := n.src.ChangedSince(ctx, n.mark-nameOverlap.Microseconds())
	if err != nil {
		return nil, &fault.UnavailableError{What: "cooperative names", Err: err}
	}
	n.nameMu.Lock()
	for _, r := range rows {
		put(n.idx, n.names, r)
		n.mark = max(n.mark, r.UpdateTime)
	}
	n.nameMu.Unlock()
	n.looked = now
	return n.idx, nil
}

// put indexes both scripts of a held name, each under its own reference
// (key#ar, key#fr), so a renamed script replaces only itself; a name with
// neither script is released.
func put(idx *coopname.Index, names map[string]HeldName, h HeldName) {
	k := h.key()
	if h.AR == "" && h.FR == "" {
		delete(names, k)
	} else {
		names[k] = h
	}
	idx.Put(k+"#ar", h.Kind, h.AR)
	idx.Put(k+"#fr", h.Kind, h.FR)
}

func sortConflicts(cs []NameConflict) {
	slices.SortFunc(cs, func(a, b NameConflict) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Holder, b.Holder)
	})
}

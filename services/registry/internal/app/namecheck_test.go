package app

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hirfa/hirfa/services/registry/internal/domain/coopname"
	"github.com/hirfa/hirfa/services/registry/internal/domain/coopname/coopnametest"
)

// heldRows is a NameSource over rows kept in memory, as a database table
// of held names would answer; a full read, or the incremental ones, can be
// held up on a channel.
type heldRows struct {
	mu    sync.Mutex
	rows  []HeldName
	full  int           // full reads so far
	block chan struct{} // when set, full reads after the first wait on it
	begun chan struct{} // a blocked full read has started
	since int64         // the bound of the last incremental read
	reads int           // incremental reads so far
	// hold, when set, holds incremental reads until closed, each telling
	// reading it began.
	hold, reading chan struct{}
}

func (s *heldRows) ChangedSince(ctx context.Context, since int64) ([]HeldName, error) {
	s.mu.Lock()
	var out []HeldName
	for _, r := range s.rows {
		if r.UpdateTime >= since {
			out = append(out, r)
		}
	}
	block, hold := s.block, s.hold
	if since == 0 {
		s.full++
	} else {
		s.since = since
		s.reads++
	}
	full := s.full
	s.mu.Unlock()
	// A held read answers the rows as they stood when it began, as a
	// transaction's snapshot would.
	if since == 0 && full > 1 && block != nil {
		s.begun <- struct{}{}
		<-block
	}
	if since != 0 && hold != nil {
		select {
		case s.reading <- struct{}{}:
		default:
		}
		<-hold
	}
	return out, nil
}

func (s *heldRows) add(rows ...HeldName) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rows = append(s.rows, rows...)
}

// remove drops the rows of holder (a deleted cooperative's).
func (s *heldRows) remove(holder string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rows = slices.DeleteFunc(s.rows, func(r HeldName) bool { return r.Holder == holder })
}

// replace puts row in place of the rows of its key.
func (s *heldRows) replace(row HeldName) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rows = append(slices.DeleteFunc(s.rows, func(r HeldName) bool { return r.key() == row.key() }), row)
}

func (s *heldRows) set(rows ...HeldName) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rows = rows
}

func holders(t *testing.T, n *NameCheck, fr string) []string {
	t.Helper()
	cs, err := n.Check(context.Background(), "", fr)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		out = append(out, c.Holder)
	}
	slices.Sort(out)
	return out
}

// A name written through another replica (no Changed) is read in the
// background by the first check over the refresh interval after the last
// look, which answers from the index it found: not before, and from the
// checks after that read; one written through this replica from the next
// check.
func TestNameCheckFreshness(t *testing.T) {
	clock := time.Unix(1_000_000, 0) // update times are UNIX microseconds of the same clock
	atlas := HeldName{Holder: "c/1", Kind: HeldCooperative, FR: "Coopérative Atlas", UpdateTime: clock.UnixMicro() - 100}
	src := &heldRows{rows: []HeldName{atlas}}
	n := NewNameCheck(src)
	n.Now = func() time.Time { return clock }
	if got := holders(t, n, "Union Atlas"); !slices.Equal(got, []string{"c/1"}) {
		t.Fatalf("first check = %v", got)
	}

	tifawt := HeldName{Holder: "c/2", Kind: HeldCooperative, FR: "Coopérative Tifawt", UpdateTime: clock.UnixMicro() + 200}
	src.set(atlas, tifawt)
	clock = clock.Add(nameRefresh - time.Millisecond)
	if got := holders(t, n, "Union Tifaout"); got != nil {
		t.Errorf("within the refresh interval, another replica's name = %v, want none yet", got)
	}
	clock = clock.Add(time.Millisecond)
	if got := holders(t, n, "Union Tifaout"); got != nil {
		t.Errorf("the check starting the background read = %v, want the index it found", got)
	}
	n.background.Wait()
	if got := holders(t, n, "Union Tifaout"); !slices.Equal(got, []string{"c/2"}) {
		t.Errorf("after the background read = %v, want c/2", got)
	}

	sahara := HeldName{Holder: "c/3", Kind: HeldCooperative, FR: "Union Sahara", UpdateTime: clock.UnixMicro() + 300, Revision: 1}
	src.set(atlas, tifawt, sahara)
	n.Written([]HeldName{sahara})
	if got := holders(t, n, "Coopérative Sahara"); !slices.Equal(got, []string{"c/3"}) {
		t.Errorf("next check after this replica's write = %v, want c/3", got)
	}
}

// A full rebuild runs off the check path: checks answer from the current
// index (and take in new changes) while it reads, and the rebuilt index,
// swapped in, drops deleted names but keeps every change either saw.
func TestNameCheckRebuildsInBackground(t *testing.T) {
	const second = int64(time.Second / time.Microsecond)
	base := int64(1_700_000_000) * second // update times are UNIX microseconds
	atlas := HeldName{Holder: "c/1", Kind: HeldCooperative, FR: "Coopérative Atlas", UpdateTime: base}
	rif := HeldName{Holder: "c/2", Kind: HeldCooperative, FR: "Coopérative Rif", UpdateTime: base}
	src := &heldRows{rows: []HeldName{atlas, rif}, block: make(chan struct{}), begun: make(chan struct{})}
	n := NewNameCheck(src)
	clock := time.Unix(1_000_000, 0)
	n.Now = func() time.Time { return clock }
	if got := holders(t, n, "Union Rif"); !slices.Equal(got, []string{"c/2"}) {
		t.Fatalf("first check = %v", got)
	}

	// c/2 is deleted (its row gone); the rebuild is due.
	src.set(atlas)
	clock = clock.Add(nameRebuild)
	if got := holders(t, n, "Union Atlas"); !slices.Equal(got, []string{"c/1"}) {
		t.Fatalf("check starting the rebuild = %v", got)
	}
	<-src.begun // the full read has its rows and is held

	// Checks go on meanwhile, and read the changes since the last look:
	// two of them, further apart than the incremental reads' overlap, so
	// the rebuilt index must read back to its own full read to keep both.
	tifawt := HeldName{Holder: "c/3", Kind: HeldCooperative, FR: "Coopérative Tifawt", UpdateTime: base + 30*second}
	src.set(atlas, tifawt)
	n.Written([]HeldName{tifawt})
	if got := holders(t, n, "Union Tifaout"); !slices.Equal(got, []string{"c/3"}) {
		t.Errorf("check during the rebuild = %v, want c/3", got)
	}
	sahara := HeldName{Holder: "c/4", Kind: HeldCooperative, FR: "Union Sahara", UpdateTime: base + 60*second}
	src.set(atlas, tifawt, sahara)
	n.Written([]HeldName{sahara})
	if got := holders(t, n, "Coopérative Sahara"); !slices.Equal(got, []string{"c/4"}) {
		t.Errorf("check during the rebuild = %v, want c/4", got)
	}
	if got := holders(t, n, "Union Rif"); !slices.Equal(got, []string{"c/2"}) {
		t.Errorf("before the swap, the deleted name still held = %v", got)
	}

	close(src.block)
	n.background.Wait()
	if got := holders(t, n, "Union Rif"); got != nil {
		t.Errorf("after the rebuild, deleted name = %v, want none", got)
	}
	for q, want := range map[string]string{"Union Atlas": "c/1", "Union Tifaout": "c/3", "Coopérative Sahara": "c/4"} {
		if got := holders(t, n, q); !slices.Equal(got, []string{want}) {
			t.Errorf("after the rebuild, %q = %v, want %s", q, got, want)
		}
	}
}

// Rows the overlap reads again unchanged (after an import, all of it,
// every second until a newer change) are not indexed again: the snapshot
// stays the one published, and a changed row still replaces its name.
func TestNameCheckSkipsRowsReadAgain(t *testing.T) {
	clock := time.Unix(1_000_000, 0) // update times are UNIX microseconds of the same clock
	atlas := HeldName{Holder: "c/1", Kind: HeldCooperative, FR: "Coopérative Atlas", UpdateTime: clock.UnixMicro() - 100}
	rif := HeldName{Holder: "c/2", Kind: HeldCooperative, FR: "Coopérative Rif", UpdateTime: clock.UnixMicro() - 100}
	src := &heldRows{rows: []HeldName{atlas, rif}}
	n := NewNameCheck(src)
	n.Now = func() time.Time { return clock }
	if got := holders(t, n, "Union Rif"); !slices.Equal(got, []string{"c/2"}) {
		t.Fatalf("first check = %v", got)
	}
	built := n.cur.Load()
	for range 3 {
		clock = clock.Add(nameRefresh)
		if got := holders(t, n, "Union Rif"); !slices.Equal(got, []string{"c/2"}) {
			t.Fatalf("check after a refresh = %v", got)
		}
		n.background.Wait()
	}
	if n.cur.Load() != built {
		t.Errorf("refreshes reading the same rows again published a new snapshot (%d names changed)", n.cur.Load().changed())
	}
	rif.FR, rif.UpdateTime, rif.Revision = "Coopérative Tifawt", clock.UnixMicro(), rif.Revision+1
	src.set(atlas, rif)
	n.Written([]HeldName{rif})
	if got := holders(t, n, "Union Rif"); got != nil {
		t.Errorf("renamed holder still holds its old name: %v", got)
	}
	if got := holders(t, n, "Union Tifaout"); !slices.Equal(got, []string{"c/2"}) {
		t.Errorf("renamed holder's new name = %v, want c/2", got)
	}
}

// An incremental read goes back the overlap before the last read began
// when that is later than the newest change seen: rows older than that
// (an import's, whose last row stays the newest change) are not read again
// every second.
func TestNameCheckReadsFromTheLastRead(t *testing.T) {
	clock := time.Unix(1_000_000, 0) // update times are UNIX microseconds of the same clock
	src := &heldRows{rows: []HeldName{{Holder: "c/1", Kind: HeldCooperative, FR: "Coopérative Atlas", UpdateTime: clock.UnixMicro()}}}
	n := NewNameCheck(src)
	n.Now = func() time.Time { return clock }
	holders(t, n, "Union Atlas")
	for range 3 {
		clock = clock.Add(time.Minute)
		holders(t, n, "Union Atlas")
		n.background.Wait()
	}
	if want := clock.Add(-time.Minute - nameOverlap).UnixMicro(); src.since != want {
		t.Errorf("last read from %d, want %d (the overlap before the read before it began)", src.since, want)
	}
}

// A write of this replica answers from the next check without the check
// reading the database: the names the write changed were handed over. A
// check that waited for a read of changes after each write made every
// check behind a writer as slow as that read.
func TestNameCheckSeesOwnWriteWithoutReading(t *testing.T) {
	clock := time.Unix(1_000_000, 0)
	atlas := HeldName{Holder: "c/1", Kind: HeldCooperative, FR: "Coopérative Atlas", UpdateTime: clock.UnixMicro() - 100, Revision: 1}
	src := &heldRows{rows: []HeldName{atlas}}
	n := NewNameCheck(src)
	n.Now = func() time.Time { return clock }
	holders(t, n, "Union Atlas")

	// From here on a read of changes is held until the test ends.
	src.hold, src.reading = make(chan struct{}), make(chan struct{}, 1)
	defer close(src.hold)
	sahara := HeldName{Holder: "c/2", Kind: HeldCooperative, FR: "Union Sahara", UpdateTime: clock.UnixMicro(), Revision: 1}
	src.add(sahara)
	n.Written([]HeldName{sahara})
	type answer struct {
		cs  []NameConflict
		err error
	}
	done := make(chan answer, 1)
	go func() {
		cs, err := n.Check(context.Background(), "", "Coopérative Sahara")
		done <- answer{cs, err}
	}()
	select {
	case <-src.reading:
		t.Fatal("the check after this replica's write waited for a read of the database")
	case a := <-done:
		if a.err != nil || len(a.cs) != 1 || a.cs[0].Holder != "c/2" {
			t.Fatalf("check after this replica's write = %v, %v; want c/2", a.cs, a.err)
		}
	}
	if src.reads != 0 {
		t.Errorf("%d reads of changes within the refresh interval, want none", src.reads)
	}
}

// A cooperative deleted and a name request withdrawn through this replica
// stop conflicting from the next check, and a read of the database that
// still returns their rows (it began before the writes committed) does
// not bring them back.
func TestNameCheckDeleteAndWithdraw(t *testing.T) {
	clock := time.Unix(1_000_000, 0)
	atlas := HeldName{Holder: "c/1", Kind: HeldCooperative, FR: "Coopérative Atlas", UpdateTime: clock.UnixMicro(), Revision: 3}
	pending := func(i int, fr string) HeldName {
		return HeldName{Key: fmt.Sprintf("q/1#%d", i), Holder: "q/1", Kind: HeldPending, FR: fr, UpdateTime: clock.UnixMicro(), Revision: 1}
	}
	request := []HeldName{pending(1, "Coopérative Tamaynout"), pending(2, "Coopérative Ighrem"), pending(3, "")}
	src := &heldRows{rows: append([]HeldName{atlas}, request...)}
	n := NewNameCheck(src)
	n.Now = func() time.Time { return clock }
	for q, want := range map[string]string{"Union Atlas": "c/1", "Union Tamaynoute": "q/1", "Union Ighrem": "q/1"} {
		if got := holders(t, n, q); !slices.Equal(got, []string{want}) {
			t.Fatalf("first check %q = %v, want %s", q, got, want)
		}
	}

	n.Written(deletedHeld("c/1"))
	var withdrawn []HeldName
	for _, r := range request {
		r.Kind, r.AR, r.FR, r.Revision = "", "", "", 2
		withdrawn = append(withdrawn, r)
	}
	n.Written(withdrawn)
	gone := func(when string) {
		t.Helper()
		for _, q := range []string{"Union Atlas", "Union Tamaynoute", "Union Ighrem"} {
			if got := holders(t, n, q); got != nil {
				t.Errorf("%s, %q = %v, want none", when, q, got)
			}
		}
	}
	gone("next check after the delete and the withdrawal")

	// The source still answers the rows as they were (a read that began
	// before the writes committed): reading them again changes nothing.
	clock = clock.Add(nameRefresh)
	holders(t, n, "Union Atlas") // starts the read
	n.background.Wait()
	if src.reads == 0 {
		t.Fatal("no read of changes")
	}
	gone("after a read returning the rows as they were before")
}

// A full rebuild whose read began before a delete and a rename through this
// replica committed returns the rows as they were: the names handed over
// meanwhile are applied to the rebuilt index again, so it swaps in neither
// the deleted name nor the old one.
func TestNameCheckRebuildKeepsWritesDuringItsRead(t *testing.T) {
	clock := time.Unix(1_000_000, 0)
	atlas := HeldName{Holder: "c/1", Kind: HeldCooperative, FR: "Coopérative Atlas", UpdateTime: clock.UnixMicro(), Revision: 1}
	rif := HeldName{Holder: "c/2", Kind: HeldCooperative, FR: "Coopérative Rif", UpdateTime: clock.UnixMicro(), Revision: 1}
	src := &heldRows{rows: []HeldName{atlas, rif}, block: make(chan struct{}), begun: make(chan struct{})}
	n := NewNameCheck(src)
	n.Now = func() time.Time { return clock }
	holders(t, n, "Union Atlas")

	clock = clock.Add(nameRebuild)
	holders(t, n, "Union Atlas") // starts the rebuild
	<-src.begun                  // its full read has the rows as they are now, and is held

	src.remove("c/2")
	n.Written(deletedHeld("c/2"))
	toubkal := atlas
	toubkal.FR, toubkal.UpdateTime, toubkal.Revision = "Coopérative Toubkal", clock.UnixMicro(), 2
	src.replace(toubkal)
	n.Written([]HeldName{toubkal})
	close(src.block)
	n.background.Wait()

	for q, want := range map[string][]string{"Union Rif": nil, "Union Atlas": nil, "Union Toubkal": {"c/1"}} {
		if got := holders(t, n, q); !slices.Equal(got, want) {
			t.Errorf("after the rebuild, %q = %v, want %v", q, got, want)
		}
	}
	if n.cur.Load().base.Len() != 2 {
		t.Errorf("rebuilt from %d names, want the 2 the held read returned", n.cur.Load().base.Len())
	}
}

// One writer creates, renames and deletes cooperatives, handing each write
// over after it commits, while checkers check and the clock steps past the
// refresh and rebuild intervals, so background reads of changes and full
// rebuilds race the writes (run with -race). After each write, the
// writer's own next check sees it; at the end, every name is as written.
func TestNameCheckConcurrentWritesAndChecks(t *testing.T) {
	var clock atomic.Int64
	clock.Store(time.Unix(1_000_000, 0).UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()) }
	r := rand.New(rand.NewPCG(1, 2))
	type coop struct {
		row     HeldName
		deleted bool
	}
	coops := make([]*coop, 0, 400)
	src := &heldRows{}
	for i := range 50 {
		c := &coop{row: HeldName{Holder: fmt.Sprintf("c/%d", i), Kind: HeldCooperative, FR: coopnametest.Name(r, false), UpdateTime: now().UnixMicro(), Revision: 1}}
		coops = append(coops, c)
		src.add(c.row)
	}
	n := NewNameCheck(src)
	n.Now = now
	if _, err := n.Check(context.Background(), "", "Coopérative Atlas"); err != nil {
		t.Fatal(err)
	}
	has := func(name, holder string) (bool, error) {
		cs, err := n.Check(context.Background(), "", name)
		for _, c := range cs {
			if c.Holder == holder {
				return true, err
			}
		}
		return false, err
	}

	stop := make(chan struct{})
	var checkers sync.WaitGroup
	for g := range 3 {
		checkers.Add(1)
		go func() {
			defer checkers.Done()
			cr := rand.New(rand.NewPCG(3, uint64(g)))
			for {
				select {
				case <-stop:
					return
				default:
				}
				if g == 0 { // one checker moves the clock: reads and rebuilds come due
					clock.Add(int64(nameRefresh) + int64(cr.IntN(int(time.Second))))
				}
				if _, err := n.Check(context.Background(), "", coopnametest.Name(cr, false)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}

	const writes = 300
	for i := range writes {
		var c *coop
		switch {
		case i%5 == 4: // delete one still there
			c = coops[r.IntN(len(coops))]
			if c.deleted {
				continue
			}
			c.deleted = true
			src.remove(c.row.Holder)
			n.Written(deletedHeld(c.row.Holder))
		case i%3 == 2: // rename one still there
			c = coops[r.IntN(len(coops))]
			if c.deleted {
				continue
			}
			c.row.FR, c.row.UpdateTime, c.row.Revision = coopnametest.Name(r, false), now().UnixMicro(), c.row.Revision+1
			src.replace(c.row)
			n.Written([]HeldName{c.row})
		default: // create
			c = &coop{row: HeldName{Holder: fmt.Sprintf("c/%d", len(coops)), Kind: HeldCooperative, FR: coopnametest.Name(r, false), UpdateTime: now().UnixMicro(), Revision: 1}}
			coops = append(coops, c)
			src.add(c.row)
			n.Written([]HeldName{c.row})
		}
		found, err := has(c.row.FR, c.row.Holder)
		if err != nil {
			t.Fatal(err)
		}
		if found == c.deleted {
			t.Fatalf("write %d: the writer's next check for %s %q found it: %v, want %v", i, c.row.Holder, c.row.FR, found, !c.deleted)
		}
	}
	close(stop)
	checkers.Wait()
	n.background.Wait()
	rebuilds := src.full - 1
	if rebuilds == 0 || src.reads == 0 {
		t.Errorf("%d rebuilds and %d reads of changes raced the writes, want some of each", rebuilds, src.reads)
	}
	for _, c := range coops {
		found, err := has(c.row.FR, c.row.Holder)
		if err != nil {
			t.Fatal(err)
		}
		if found == c.deleted {
			t.Errorf("at the end, %s %q (deleted %v) found: %v", c.row.Holder, c.row.FR, c.deleted, found)
		}
	}
}

// Changed rows go into layers that merge as a binary counter: a thousand
// single-row changes leave about log₂(1000) layers, each row answers with
// its newest revision, and a row read again (same revision) or an older
// one changes nothing.
func TestHeldIndexLayers(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	row := func(i int, rev int64) HeldName {
		return HeldName{Holder: fmt.Sprintf("c/%d", i), Kind: HeldCooperative, FR: coopnametest.Name(r, false), Revision: rev}
	}
	base := map[string]HeldName{}
	for i := range 100 {
		base[fmt.Sprintf("c/%d", i)] = row(i, 1)
	}
	h := built(base)
	latest := maps.Clone(base)
	for i := range 1000 {
		c := row(50+i, 2) // the first 50 rename held names, the rest are new
		if i%7 == 0 {
			c = HeldName{Holder: c.Holder, Revision: revisionDeleted}
		}
		h = h.with([]HeldName{c})
		latest[c.Holder] = c
	}
	if len(h.layers) > 11 {
		t.Errorf("%d layers after 1000 changes, want at most 11", len(h.layers))
	}
	// Merges stop at maxLayerRows, so no write merges more on its path.
	big := built(nil)
	for i := range 3*maxLayerRows + 100 {
		big = big.with([]HeldName{{Holder: fmt.Sprintf("c/%d", i), Kind: HeldCooperative, FR: "Coopérative Tissage " + strconv.Itoa(i), Revision: 1}})
	}
	for i, l := range big.layers {
		if len(l.rows) > maxLayerRows {
			t.Errorf("layer %d holds %d rows, want at most %d", i, len(l.rows), maxLayerRows)
		}
	}
	if n := len(big.layers); n > 3+12 {
		t.Errorf("%d layers after %d changes, want at most 15", n, 3*maxLayerRows+100)
	}
	for k, want := range latest {
		got, _ := h.held(k)
		if got != want {
			t.Fatalf("held(%s) = %v, want %v", k, got, want)
		}
		if h.with([]HeldName{want}) != h {
			t.Fatalf("%s read again changed the snapshot", k)
		}
		if old, ok := base[k]; ok && want.Revision > 1 && h.with([]HeldName{old}) != h {
			t.Fatalf("%s's older revision changed the snapshot", k)
		}
		if !want.holds() {
			continue
		}
		var holders []string
		h.lookup(coopname.Analyze(want.FR), func(_ coopname.Hit, held HeldName) {
			if held.FR != latest[held.Holder].FR {
				t.Errorf("%s answers with %q, replaced by %q", held.Holder, held.FR, latest[held.Holder].FR)
			}
			holders = append(holders, held.Holder)
		})
		if !slices.Contains(holders, k) {
			t.Errorf("%s's name %q finds %v", k, want.FR, holders)
		}
	}
}

// A merge of two layers puts each name with the analysis its layer holds:
// the merged index's entry shares the layer's words rather than a second
// analysis of the same text (an import handing its names over every few
// dozen rows analysed each name again at every merge). A renamed holder
// is analysed afresh.
func TestHeldIndexMergeReusesAnalyses(t *testing.T) {
	h := built(nil)
	h = h.with([]HeldName{{Holder: "c/1", Kind: HeldCooperative, FR: "Coopérative Atlas Tapis", Revision: 1}})
	first, ok := h.layers[0].x.Named("c/1#fr")
	if !ok {
		t.Fatal("c/1 not held after its change")
	}
	h = h.with([]HeldName{{Holder: "c/2", Kind: HeldCooperative, FR: "Coopérative Nour Argan", Revision: 1}})
	if len(h.layers) != 1 {
		t.Fatalf("%d layers after two single changes, want them merged into 1", len(h.layers))
	}
	merged, ok := h.layers[0].x.Named("c/1#fr")
	if !ok {
		t.Fatal("c/1 not held after the merge")
	}
	if &merged.Words[0] != &first.Words[0] {
		t.Error("the merge analysed c/1's name again, want the layer's analysis reused")
	}
	h = h.with([]HeldName{{Holder: "c/1", Kind: HeldCooperative, FR: "Coopérative Zitoun", Revision: 2}})
	h = h.with([]HeldName{{Holder: "c/3", Kind: HeldCooperative, FR: "Coopérative Sahara", Revision: 1}})
	var names []string
	h.lookup(coopname.Analyze("Coopérative Zitoun"), func(_ coopname.Hit, held HeldName) { names = append(names, held.Holder) })
	if !slices.Equal(names, []string{"c/1"}) {
		t.Errorf("the renamed holder's new name finds %v, want [c/1]", names)
	}
	h.lookup(coopname.Analyze("Coopérative Atlas Tapis"), func(_ coopname.Hit, held HeldName) {
		t.Errorf("the renamed holder's old name still finds %s", held.Holder)
	})
}

// A cooperative deleted through another replica: the read of changes
// returns the release its delete recorded (the row itself is gone), and
// the next check no longer finds it. A row of it that a read returns with
// the release, or after it (a read's overlap, a transaction that began
// before the delete), does not bring it back.
func TestNameCheckReadsReleases(t *testing.T) {
	clock := time.Unix(1_000_000, 0)
	atlas := HeldName{Holder: "c/1", Kind: HeldCooperative, FR: "Coopérative Atlas", UpdateTime: clock.UnixMicro() - 100, Revision: 2}
	src := &heldRows{rows: []HeldName{atlas}}
	n := NewNameCheck(src)
	n.Now = func() time.Time { return clock }
	if got := holders(t, n, "Union Atlas"); !slices.Equal(got, []string{"c/1"}) {
		t.Fatalf("first check = %v", got)
	}
	read := func() {
		t.Helper()
		clock = clock.Add(nameRefresh)
		holders(t, n, "Union Lecture") // starts the read
		n.WaitReads()
	}
	stale := atlas // an update committed before the delete
	stale.UpdateTime, stale.Revision = clock.UnixMicro()+50, 3
	src.set(stale, DeletedHeld("c/1", clock.UnixMicro()+100))
	read()
	if got := holders(t, n, "Union Atlas"); got != nil {
		t.Errorf("after a read returning a row and the release = %v, want none", got)
	}
	src.set(stale)
	read()
	if got := holders(t, n, "Union Atlas"); got != nil {
		t.Errorf("after a read returning the row again = %v, want none", got)
	}
}

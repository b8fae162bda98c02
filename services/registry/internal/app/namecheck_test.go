package app

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// heldRows is a NameSource over rows kept in memory, as a database table
// of held names would answer; a full read can be held up on a channel.
type heldRows struct {
	mu    sync.Mutex
	rows  []HeldName
	full  int           // full reads so far
	block chan struct{} // when set, full reads after the first wait on it
	begun chan struct{} // a blocked full read has started
	since int64         // the bound of the last incremental read
}

func (s *heldRows) ChangedSince(ctx context.Context, since int64) ([]HeldName, error) {
	s.mu.Lock()
	var out []HeldName
	for _, r := range s.rows {
		if r.UpdateTime >= since {
			out = append(out, r)
		}
	}
	block := s.block
	if since == 0 {
		s.full++
	} else {
		s.since = since
	}
	full := s.full
	s.mu.Unlock()
	// A held full read answers the rows as they stood when it began, as
	// a transaction's snapshot would.
	if since == 0 && full > 1 && block != nil {
		s.begun <- struct{}{}
		<-block
	}
	return out, nil
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

	sahara := HeldName{Holder: "c/3", Kind: HeldCooperative, FR: "Union Sahara", UpdateTime: clock.UnixMicro() + 300}
	src.set(atlas, tifawt, sahara)
	n.Changed()
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
	n.Changed()
	if got := holders(t, n, "Union Tifaout"); !slices.Equal(got, []string{"c/3"}) {
		t.Errorf("check during the rebuild = %v, want c/3", got)
	}
	sahara := HeldName{Holder: "c/4", Kind: HeldCooperative, FR: "Union Sahara", UpdateTime: base + 60*second}
	src.set(atlas, tifawt, sahara)
	n.Changed()
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
		t.Errorf("refreshes reading the same rows again published a new snapshot (%d names changed)", len(n.cur.Load().changed))
	}
	rif.FR, rif.UpdateTime = "Coopérative Tifawt", clock.UnixMicro()
	src.set(atlas, rif)
	n.Changed()
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

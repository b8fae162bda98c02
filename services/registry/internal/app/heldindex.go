package app

import (
	"strings"

	"github.com/hirfa/hirfa/services/registry/internal/domain/coopname"
)

// heldIndex is one published state of the held names, never changed: the
// full index and its rows as of a full read, and the rows changed since in
// layers, each with its own frozen index, oldest first. A key's row in a
// layer replaces its row in the full read and in every earlier layer.
//
// A change adds a layer of its rows alone, then merges the last two layers
// while the earlier is not over twice the later's size (a binary counter):
// each changed row is indexed again about log₂(rows changed) times, and a
// check looks through as many layers. Rebuilding one change layer with
// every change indexed each row again at each change: with a clerk
// creating cooperatives back to back, a change cost as many index insertions
// as there were changes since the last full build.
type heldIndex struct {
	base   *coopname.Index
	rows   map[string]HeldName // the full read's rows, released ones too (not indexed)
	layers []heldLayer
}

// maxLayerRows bounds the layers merging makes. A merge runs on the path of
// the write that handed its names over, under the publish lock; unbounded,
// merges grew with the changes since the last full build (a quarter of the
// names: 25,000 at 100,000 cooperatives), and one merge of 16,000 rows held
// a write for about a second on a loaded machine. Past the bound, layers of
// about this size pile up (a check looks through each) until the next full
// build, which the refresher starts in the background.
const maxLayerRows = 4096

type heldLayer struct {
	x    *coopname.Index
	rows map[string]HeldName
}

// built is the snapshot of a full read's rows, with no layer.
func built(rows map[string]HeldName) *heldIndex {
	return &heldIndex{base: indexOf(rows), rows: rows}
}

// changed is how many rows the layers hold (a key in two layers counted
// twice until they merge).
func (h *heldIndex) changed() int {
	n := 0
	for _, l := range h.layers {
		n += len(l.rows)
	}
	return n
}

// held is the row h holds for key, if any, released or not.
func (h *heldIndex) held(key string) (HeldName, bool) {
	for i := len(h.layers) - 1; i >= 0; i-- {
		if r, ok := h.layers[i].rows[key]; ok {
			return r, true
		}
	}
	r, ok := h.rows[key]
	return r, ok
}

// replaced: a layer from the from-th on holds key (so what the full read,
// or an earlier layer, holds for it no longer counts).
func (h *heldIndex) replaced(key string, from int) bool {
	for _, l := range h.layers[from:] {
		if _, ok := l.rows[key]; ok {
			return true
		}
	}
	return false
}

// with is h with the rows newer than the ones it holds of their keys (a
// higher revision) applied; h itself when none is. Rows of one key in rs
// count from the highest revision.
func (h *heldIndex) with(rs []HeldName) *heldIndex {
	var fresh map[string]HeldName
	for _, r := range rs {
		k := r.key()
		if cur, ok := fresh[k]; ok && cur.Revision >= r.Revision {
			continue
		}
		if cur, ok := h.held(k); ok && cur.Revision >= r.Revision {
			continue // read again, or older than a write already applied
		}
		if fresh == nil {
			fresh = map[string]HeldName{}
		}
		fresh[k] = r
	}
	if fresh == nil {
		return h
	}
	layers := append(make([]heldLayer, 0, len(h.layers)+1), h.layers...)
	layers = append(layers, heldLayer{x: indexOf(fresh), rows: fresh})
	for len(layers) >= 2 {
		older, newer := layers[len(layers)-2], layers[len(layers)-1]
		if len(older.rows) > 2*len(newer.rows) || len(older.rows)+len(newer.rows) > maxLayerRows {
			break
		}
		merged := make(map[string]HeldName, len(older.rows)+len(newer.rows))
		for k, r := range older.rows {
			merged[k] = r
		}
		for k, r := range newer.rows {
			merged[k] = r
		}
		layers = append(layers[:len(layers)-2], heldLayer{x: indexOf(merged, newer.x, older.x), rows: merged})
	}
	return &heldIndex{base: h.base, rows: h.rows, layers: layers}
}

// lookup calls add with each held name's hit for q, the full read's and
// each layer's, skipping hits of rows a later layer replaced.
func (h *heldIndex) lookup(q coopname.Name, add func(coopname.Hit, HeldName)) {
	for _, hit := range h.base.Lookup(q, 0) {
		if key := refKey(hit.Ref); !h.replaced(key, 0) {
			add(hit, h.rows[key])
		}
	}
	for i, l := range h.layers {
		for _, hit := range l.x.Lookup(q, 0) {
			if key := refKey(hit.Ref); !h.replaced(key, i+1) {
				add(hit, l.rows[key])
			}
		}
	}
}

// refKey is the key of an index reference (key#ar, key#fr).
func refKey(ref string) string { return ref[:strings.LastIndexByte(ref, '#')] }

// indexOf indexes both scripts of each held name, each under its own
// reference (key#ar, key#fr), and freezes the index; a name with neither
// script holds nothing. A name one of the indexes from holds under the
// same reference and text is put with the analysis it has (a merge of two
// layers analyses none of their names again: with an import handing its
// names over every few dozen rows, analysing each name again at each merge
// was most of the merges' cost).
func indexOf(names map[string]HeldName, from ...*coopname.Index) *coopname.Index {
	x := coopname.NewIndex()
	put := func(ref, kind, text string) {
		for _, f := range from {
			if n, ok := f.Named(ref); ok && n.Raw == text {
				x.PutName(ref, kind, n)
				return
			}
		}
		x.Put(ref, kind, text)
	}
	for k, r := range names {
		if r.holds() {
			put(k+"#ar", r.Kind, r.AR)
			put(k+"#fr", r.Kind, r.FR)
		}
	}
	x.Freeze()
	return x
}

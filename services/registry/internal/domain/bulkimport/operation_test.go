package bulkimport

import (
	"sort"
	"testing"
)

// TestRowIDsSortInRowOrder: a new operation's row ids sort as its rows do,
// so a register's primary key takes each batch after the previous one; an
// operation created before padding keeps the ids its first run gave.
func TestRowIDsSortInRowOrder(t *testing.T) {
	op := &Operation{RowIDWidth: RowIDWidth}
	op.ID = "op1"
	rows := []int{2, 3, 9, 35, 36, 37, 1295, 1296, 46655, 46656, 1_000_000, 3_000_001}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = op.RowID(r)
	}
	if !sort.StringsAreSorted(ids) {
		t.Errorf("padded ids out of row order: %q", ids)
	}
	if got := op.RowID(36); got != "op1r00010" {
		t.Errorf("RowID(36) = %q, want op1r00010", got)
	}
	legacy := &Operation{}
	legacy.ID = "op1"
	for row, want := range map[int]string{0: "op1r0", 2: "op1r2", 36: "op1r10", 1296: "op1r100"} {
		if got := legacy.RowID(row); got != want {
			t.Errorf("unpadded RowID(%d) = %q, want %q", row, got, want)
		}
	}
}

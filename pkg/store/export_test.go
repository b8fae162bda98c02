package store

// UngroupedWrites makes db commit every write transaction on its own, as
// the single writer did before group commit: the same-run baseline of
// BenchmarkSQLiteCreate.
func UngroupedWrites(db *DB) {
	if db.group != nil {
		db.group.close()
		db.group = nil
	}
}

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

// ListSQL is the SQL List runs for q and its arguments (a plan test
// explains it).
func (t *Table[T]) ListSQL(q ListQuery) (string, []any, error) {
	query, args, _, _, err := t.listQuery(q)
	return query, args, err
}

package store

import (
	"encoding/json"
	"fmt"
)

// Record is the versioned stored shape of an entity T. The data column holds
// Encode's output (JSON: the column is JSONB on PostgreSQL) and the
// data_version column the Version it was written as; Decode reads every
// version the code still knows.
//
// Evolving a stored record, in three steps that each deploy on their own:
//
//  1. Read old and new: add version N+1 to Decode (a record type of its
//     own, distinct from the domain struct, so renaming a Go field changes
//     nothing stored) while Encode still writes N. Every replica must run
//     this before any writes N+1, since a replica refuses a version it does
//     not know rather than guess.
//  2. Write new: Encode writes N+1. Rows of version N are rewritten as N+1
//     whenever they change; untouched rows stay N and are still read.
//  3. When version N must be dropped from Decode (or a new column is
//     derived from the record), a data migration — a new numbered
//     migration file, never an edit of an applied one — rewrites the
//     remaining N rows; only then is N removed from Decode.
//
// A new table with a Record has a data_version column:
// "data_version INTEGER NOT NULL" (BIGINT on PostgreSQL).
type Record[T any] struct {
	// Version is what Encode writes.
	Version int64
	// Encode renders v as a record of Version.
	Encode func(v T) ([]byte, error)
	// Decode reads a record written as version into v (a fresh entity from
	// Spec.New); it returns an error for a version it does not know.
	Decode func(version int64, data []byte, v T) error
}

// RecordV1 returns the Record of a table whose first versioned shape is the
// record type R: it writes version 1 (encode's R as JSON) and reads version
// 1 and version 0 (the entity's own JSON, from before the table had a
// record). kind names the entity in errors.
func RecordV1[T, R any](kind string, encode func(T) R, decode func(R, T)) *Record[T] {
	return &Record[T]{
		Version: 1,
		Encode:  func(v T) ([]byte, error) { return json.Marshal(encode(v)) },
		Decode: func(version int64, data []byte, v T) error {
			switch version {
			case 0:
				return json.Unmarshal(data, v)
			case 1:
				var r R
				if err := json.Unmarshal(data, &r); err != nil {
					return err
				}
				decode(r, v)
				return nil
			}
			return fmt.Errorf("unknown %s record version %d", kind, version)
		},
	}
}

// encode renders v as stored: its Record, or its JSON when the table has
// none (version 0).
func (t *Table[T]) encode(v T) ([]byte, int64, error) {
	if r := t.spec.Record; r != nil {
		data, err := r.Encode(v)
		if err != nil {
			return nil, 0, fmt.Errorf("encode %s record v%d: %w", t.spec.Kind, r.Version, err)
		}
		return data, r.Version, nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, 0, fmt.Errorf("encode %s: %w", t.spec.Kind, err)
	}
	return data, 0, nil
}

// decode reads a stored row's data of version into v.
func (t *Table[T]) decode(data []byte, version int64, v T) error {
	if r := t.spec.Record; r != nil {
		if err := r.Decode(version, data, v); err != nil {
			return fmt.Errorf("decode %s record v%d: %w", t.spec.Kind, version, err)
		}
		return nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode %s: %w", t.spec.Kind, err)
	}
	return nil
}

// MapSlice converts each element of in with f, for records that hold a list
// of a domain type as a list of their own. A nil slice stays nil and an
// empty one empty, so an entity reads back as the JSON it was written from.
func MapSlice[A, B any](in []A, f func(A) B) []B {
	if in == nil {
		return nil
	}
	out := make([]B, len(in))
	for i, a := range in {
		out[i] = f(a)
	}
	return out
}

// MapValues converts each value of m with f, keeping nil apart from empty
// as MapSlice does.
func MapValues[K comparable, A, B any](m map[K]A, f func(A) B) map[K]B {
	if m == nil {
		return nil
	}
	out := make(map[K]B, len(m))
	for k, a := range m {
		out[k] = f(a)
	}
	return out
}

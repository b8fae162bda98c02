package storetest

import (
	"context"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
)

// RecordChamber is the chamber of the rows RecordVersions writes.
const RecordChamber = "fes-meknes"

// KeyRepo reaches a table's rows in RecordChamber by store id through the
// service's own repository (see ByName).
type KeyRepo[P any] struct {
	Get    func(ctx context.Context, key string) (P, error)
	Update func(ctx context.Context, key string, w change.Write, fn func(P) error) (P, error)
}

// ByName adapts a repository whose Get and Update take a name N to store
// ids; name renders the name of the row stored under a key.
func ByName[N, P any](name func(key string) N,
	get func(context.Context, N) (P, error),
	update func(context.Context, N, change.Write, func(P) error) (P, error)) KeyRepo[P] {
	return KeyRepo[P]{
		Get: func(ctx context.Context, key string) (P, error) { return get(ctx, name(key)) },
		Update: func(ctx context.Context, key string, w change.Write, fn func(P) error) (P, error) {
			return update(ctx, name(key), w, fn)
		},
	}
}

// OnTable reaches rows through the table itself, for a repository whose
// methods take more than a name (a parent, a payload) or that has no Update.
func OnTable[P store.Entity](t *store.Table[P]) KeyRepo[P] {
	return KeyRepo[P]{
		Get: func(ctx context.Context, key string) (P, error) { return t.Get(ctx, RecordChamber, key) },
		Update: func(ctx context.Context, key string, w change.Write, fn func(P) error) (P, error) {
			return t.Update(ctx, RecordChamber, key, w, fn)
		},
	}
}

// Named renders a chamber-owned resource name of collection in
// RecordChamber, for ByName.
func Named(collection string) func(key string) resource.Name {
	return func(key string) resource.Name {
		return resource.Name{Chamber: RecordChamber, Collection: collection, ID: key}
	}
}

// RecordVersion is one table's entry in RecordVersions: its persistence
// record and a row in the shape stored before that record existed.
type RecordVersion[P store.Entity] struct {
	// Record is the table's versioned record (the one its Spec uses).
	Record *store.Record[P]
	// Table is the SQL table.
	Table string
	// Chamber is the chamber column of the rows the test writes;
	// RecordChamber when empty (reference data has a scope of its own).
	Chamber string
	// Prefix starts the store id of both rows the test writes ("old" and
	// "future"); a nested record's is its parent's id and a dot.
	Prefix string
	// Columns are the table's other NOT NULL columns of the raw rows; a
	// value that must differ between the two rows (a unique column) is a
	// func(key string) any, called with each row's store id.
	Columns map[string]any
	// Old is a row's data as it was stored before the record: the domain
	// struct's own JSON (version 0), written literally so that a later
	// rename of a Go field cannot change it.
	Old string
	// Want is what Old reads as, Meta aside.
	Want P
	// Repo opens the service's repository of the table on db.
	Repo func(db *store.DB) KeyRepo[P]
	// Change is applied through the repository's Update, which rewrites the
	// old row as Record.Version; Changed applies the same change to Want.
	Change  func(P) error
	Changed func(P)
	// Keys are keys (dotted paths into nested objects) that the rewritten
	// row's data must hold, with their JSON values: the record's keys are
	// version 0's, so old and new rows read alike in SQL and in the dumps.
	Keys map[string]any
}

// RecordCase is a RecordVersion of any entity.
type RecordCase interface {
	table() string
	keepsEveryField(t *testing.T)
	readsOldRows(t *testing.T, db *store.DB)
}

// RecordVersions checks each table's persistence record, as a subtest per
// table: the record keeps every field of the entity (RecordKeepsEveryField),
// and on SQLite and PostgreSQL (migrated by migrate) a row written by raw
// SQL in the shape stored before the record (data_version 0) is read
// through the current code, a change rewrites it as the record's version
// with the same content and keys, and a version the code does not know is
// an error. Adding a record's test is one RecordVersion.
func RecordVersions(t *testing.T, migrate func(context.Context, *store.DB) error, cases ...RecordCase) {
	t.Run("every field", func(t *testing.T) {
		for _, c := range cases {
			t.Run(c.table(), c.keepsEveryField)
		}
	})
	EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		db := open(t)
		if err := migrate(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			t.Run(c.table(), func(t *testing.T) { c.readsOldRows(t, db) })
		}
	})
}

func (v RecordVersion[P]) table() string { return v.Table }

func (v RecordVersion[P]) keepsEveryField(t *testing.T) { RecordKeepsEveryField(t, v.Record) }

// readsOldRows writes the old-shape row and one of an unknown version by raw
// SQL on db, reads them and rewrites the old one through the repository.
func (v RecordVersion[P]) readsOldRows(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	if v.Chamber == "" {
		v.Chamber = RecordChamber
	}
	old, future := v.Prefix+"old", v.Prefix+"future"
	v.insert(ctx, t, db, old, 0, v.Old)
	v.insert(ctx, t, db, future, v.Record.Version+100, `{"anything":true}`)
	repo := v.Repo(db)
	want := clone(t, v.Want)
	content := func(p P) P {
		*p.ResourceMeta() = resource.Meta{}
		return p
	}
	got, err := repo.Get(ctx, old)
	if err != nil || !reflect.DeepEqual(content(got), want) {
		t.Fatalf("a version 0 %s row read through the current code = %+v, %v\nwant %+v", v.Table, got, err, want)
	}
	if _, err := repo.Get(ctx, future); err == nil {
		t.Fatalf("a %s record of an unknown version was read", v.Table)
	}
	w := change.Write{Action: "Changed", Method: "/test/Change", Actor: change.Actor{Subject: "clerk", Role: "chamber-clerk", Chamber: RecordChamber}}
	if _, err := repo.Update(ctx, old, w, v.Change); err != nil {
		t.Fatalf("change the version 0 %s row: %v", v.Table, err)
	}
	var version int64
	var data string
	if err := db.SQL.QueryRowContext(ctx, db.Rebind("SELECT data_version, data FROM "+v.Table+" WHERE chamber = ? AND id = ?"), v.Chamber, old).Scan(&version, &data); err != nil {
		t.Fatal(err)
	}
	var stored map[string]any
	if err := json.Unmarshal([]byte(data), &stored); err != nil {
		t.Fatal(err)
	}
	if version != v.Record.Version {
		t.Fatalf("the changed %s row is version %d, want %d", v.Table, version, v.Record.Version)
	}
	for path, want := range v.Keys {
		if got := lookup(stored, path); !reflect.DeepEqual(got, want) {
			t.Errorf("the rewritten %s row's %s = %#v, want %#v (data %s)", v.Table, path, got, want, data)
		}
	}
	v.Changed(want)
	if got, err = repo.Get(ctx, old); err != nil || !reflect.DeepEqual(content(got), want) {
		t.Fatalf("the version %d %s row = %+v, %v\nwant %+v", v.Record.Version, v.Table, got, err, want)
	}
}

// clone copies p deeply (through its JSON, which holds every stored field),
// so that Changed never alters the entry another backend's run reads.
func clone[P any](t *testing.T, p P) P {
	t.Helper()
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	out := reflect.New(reflect.TypeOf(p).Elem()).Interface().(P)
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatal(err)
	}
	return out
}

// insert writes a row of v's table by raw SQL.
func (v RecordVersion[P]) insert(ctx context.Context, t *testing.T, db *store.DB, key string, version int64, data string) {
	t.Helper()
	cols := []string{"chamber", "id", "revision", "create_time", "update_time", "data", "data_version"}
	args := []any{v.Chamber, key, 1, 1, 1, data, version}
	extra := make([]string, 0, len(v.Columns))
	for c := range v.Columns {
		extra = append(extra, c)
	}
	sort.Strings(extra)
	for _, c := range extra {
		val := v.Columns[c]
		if f, ok := val.(func(string) any); ok {
			val = f(key)
		}
		cols, args = append(cols, c), append(args, val)
	}
	q := "INSERT INTO " + v.Table + " (" + strings.Join(cols, ", ") + ") VALUES (?" + strings.Repeat(", ?", len(cols)-1) + ")"
	if _, err := db.Exec(ctx, db.Rebind(q), args...); err != nil {
		t.Fatalf("insert a raw %s row: %v", v.Table, err)
	}
}

// lookup follows a dotted path through decoded JSON objects.
func lookup(m map[string]any, path string) any {
	var cur any = m
	for _, k := range strings.Split(path, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = obj[k]
	}
	return cur
}

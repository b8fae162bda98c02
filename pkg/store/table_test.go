package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/fstest"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/pkg/textnorm"
)

// widget is the test entity of the conformance suite: a chamber-owned
// resource with a string, an integer and an enum column, and a unique code.
type widget struct {
	resource.Meta
	Name  string `json:"name"`
	Count int64  `json:"count"`
	State string `json:"state"`
	Code  string `json:"code,omitempty"`
}

// The widget table in each dialect, applied through store.Migrate as a
// service's migrations are.
var widgetMigrations = fstest.MapFS{
	"postgres/0001_widgets.sql": {Data: []byte(`CREATE TABLE widgets (
    chamber TEXT NOT NULL, id TEXT NOT NULL, revision BIGINT NOT NULL,
    create_time BIGINT NOT NULL, update_time BIGINT NOT NULL, data JSONB NOT NULL,
    state TEXT NOT NULL, count BIGINT NOT NULL, name_key TEXT NOT NULL, code TEXT,
    PRIMARY KEY (chamber, id));
CREATE UNIQUE INDEX widgets_code ON widgets (chamber, code);`)},
	"sqlite/0001_widgets.sql": {Data: []byte(`CREATE TABLE widgets (
    chamber TEXT NOT NULL, id TEXT NOT NULL, revision INTEGER NOT NULL,
    create_time INTEGER NOT NULL, update_time INTEGER NOT NULL, data TEXT NOT NULL,
    state TEXT NOT NULL, count INTEGER NOT NULL, name_key TEXT NOT NULL, code TEXT,
    PRIMARY KEY (chamber, id));
CREATE UNIQUE INDEX widgets_code ON widgets (chamber, code);`)},
	// The roll-out of a versioned record on a table that had none: rows
	// written before it are version 0, the entity's own JSON.
	"postgres/0002_widget_records.sql": {Data: []byte(`ALTER TABLE widgets ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;`)},
	"sqlite/0002_widget_records.sql":   {Data: []byte(`ALTER TABLE widgets ADD COLUMN data_version INTEGER NOT NULL DEFAULT 0;`)},
}

func widgetSpec() store.Spec[*widget] {
	return store.Spec[*widget]{
		Table: "widgets", Collection: "widgets", Kind: "Widget", Source: "storetest", EventType: "hirfa.storetest.v1.",
		New:      func() *widget { return &widget{} },
		Payload:  func(w *widget) proto.Message { return wrapperspb.String(w.Name) },
		DataType: "google.protobuf.StringValue",
		Columns: []store.Column[*widget]{
			{Name: "state", Value: func(w *widget) any { return w.State }},
			{Name: "count", Value: func(w *widget) any { return w.Count }},
			{Name: "name_key", Value: func(w *widget) any { return textnorm.Key(w.Name) }},
			{Name: "code", Value: func(w *widget) any {
				if w.Code == "" {
					return nil
				}
				return w.Code
			}},
		},
		Filter: filter.NewSchema(
			filter.Field{Name: "state", Column: "state", Type: filter.Enum, Values: []string{"ON", "OFF"}},
			filter.Field{Name: "count", Column: "count", Type: filter.Int},
			filter.Field{Name: "name", Column: "name_key", Type: filter.String, Contains: true, Fold: textnorm.Fold},
		),
		Order: map[string]string{"name": "name_key", "count": "count"},
	}
}

// TestConformance holds the resource table to one behaviour on SQLite and
// PostgreSQL: CRUD, keyset paging order, filters, etag conflicts, no lost
// update under concurrency, rollback of a failed change, request-id replay,
// and the outbox event and audit record written with each change.
func TestConformance(t *testing.T) { storetest.EachBackend(t, conformance) }

func conformance(t *testing.T, open func(t *testing.T) *store.DB) {
	ctx := context.Background()
	repo := func(t *testing.T) (store.Repo[*widget], *store.DB) {
		db := open(t)
		for range 2 { // migrating twice is a no-op
			if err := store.Migrate(ctx, db, "storetest", widgetMigrations); err != nil {
				t.Fatal(err)
			}
		}
		return store.NewRepo(store.NewTable(db, widgetSpec())), db
	}
	write := func(action, requestID string) change.Write {
		return change.Write{Action: action, RequestID: requestID, Method: "/test/Write",
			Actor: change.Actor{Subject: "clerk", Role: "chamber-clerk", Chamber: "fes-meknes"}}
	}
	newWidget := func(chamber, name string, n int64) *widget {
		w := &widget{Name: name, Count: n, State: "ON"}
		w.Chamber, w.ID = chamber, resource.NewID()
		return w
	}
	nameOf := func(w *widget) resource.Name {
		return resource.Name{Chamber: w.Chamber, Collection: "widgets", ID: w.ID}
	}
	count := func(t *testing.T, db *store.DB, table string) int {
		t.Helper()
		var n int
		if err := db.SQL.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	t.Run("crud with one event and one audit record per change", func(t *testing.T) {
		r, db := repo(t)
		w, err := r.Create(ctx, newWidget("fes-meknes", "Zellige", 4), write("Created", ""))
		if err != nil {
			t.Fatal(err)
		}
		n := nameOf(w)
		got, err := r.Get(ctx, n)
		if err != nil || got.Name != "Zellige" || got.Count != 4 || got.Revision != 1 || got.Etag() != w.Etag() || got.CreateTime.IsZero() {
			t.Fatalf("get = %+v, %v", got, err)
		}
		up, err := r.Update(ctx, n, write("Renamed", ""), resource.WithEtag(n.String(), w.Etag(), func(v *widget) error { v.Name = "Zellij"; return nil }))
		if err != nil || up.Name != "Zellij" || up.Revision != 2 || up.Etag() == w.Etag() {
			t.Fatalf("update = %+v, %v", up, err)
		}
		if err := r.Delete(ctx, n, write("Deleted", ""), func(*widget) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Get(ctx, n); !fault.Is[*fault.NotFoundError](err) {
			t.Fatalf("get after delete: %v", err)
		}
		rows, err := db.SQL.Query("SELECT type, subject, chamber, data, data_type FROM outbox ORDER BY seq")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var types []string
		for rows.Next() {
			var typ, subject, chamber, dataType string
			var data []byte
			if err := rows.Scan(&typ, &subject, &chamber, &data, &dataType); err != nil {
				t.Fatal(err)
			}
			var msg wrapperspb.StringValue
			if err := proto.Unmarshal(data, &msg); err != nil || subject != n.String() || chamber != "fes-meknes" || dataType != "google.protobuf.StringValue" {
				t.Fatalf("outbox row %s %s %s %q: %v", typ, subject, chamber, dataType, err)
			}
			types = append(types, typ+"("+msg.GetValue()+")")
		}
		if fmt.Sprint(types) != "[hirfa.storetest.v1.WidgetCreated(Zellige) hirfa.storetest.v1.WidgetRenamed(Zellij) hirfa.storetest.v1.WidgetDeleted(Zellij)]" {
			t.Fatalf("outbox = %v", types)
		}
		if a := count(t, db, "audit_records"); a != 3 {
			t.Fatalf("audit records = %d, want 3", a)
		}
	})

	t.Run("another chamber's widget is not found", func(t *testing.T) {
		r, _ := repo(t)
		w, err := r.Create(ctx, newWidget("fes-meknes", "Cuivre", 1), write("Created", ""))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Get(ctx, resource.Name{Chamber: "marrakech-safi", Collection: "widgets", ID: w.ID}); !fault.Is[*fault.NotFoundError](err) {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("stale etag conflicts and writes nothing", func(t *testing.T) {
		r, db := repo(t)
		w, err := r.Create(ctx, newWidget("fes-meknes", "Poterie", 1), write("Created", ""))
		if err != nil {
			t.Fatal(err)
		}
		n := nameOf(w)
		if _, err := r.Update(ctx, n, write("Updated", ""), func(v *widget) error { v.Count++; return nil }); err != nil {
			t.Fatal(err)
		}
		before := count(t, db, "outbox")
		_, err = r.Update(ctx, n, write("Updated", ""), resource.WithEtag(n.String(), w.Etag(), func(v *widget) error { v.Count = 100; return nil }))
		if !fault.Is[*fault.ConflictError](err) {
			t.Fatalf("stale etag: %v, want a conflict", err)
		}
		got, _ := r.Get(ctx, n)
		if got.Count != 2 || count(t, db, "outbox") != before {
			t.Fatalf("a refused write changed the widget (count %d) or wrote an event", got.Count)
		}
	})

	t.Run("a failed change rolls back the resource, the event and the audit record", func(t *testing.T) {
		r, db := repo(t)
		first := newWidget("fes-meknes", "Tapis", 1)
		first.Code = "T-1"
		if _, err := r.Create(ctx, first, write("Created", "")); err != nil {
			t.Fatal(err)
		}
		o, a, k := count(t, db, "outbox"), count(t, db, "audit_records"), count(t, db, "request_keys")
		dup := newWidget("fes-meknes", "Tapis bis", 2)
		dup.Code = "T-1"
		_, err := r.Create(ctx, dup, write("Created", "req-dup"))
		if _, ok := store.UniqueViolation(err); !ok {
			t.Fatalf("duplicate code: %v, want a unique violation", err)
		}
		// A domain refusal inside an update aborts it the same way.
		refused := errors.New("refused")
		if _, err := r.Update(ctx, nameOf(first), write("Updated", "req-refused"), func(v *widget) error { v.Count = 9; return refused }); !errors.Is(err, refused) {
			t.Fatalf("refused update: %v", err)
		}
		if count(t, db, "widgets") != 1 || count(t, db, "outbox") != o || count(t, db, "audit_records") != a || count(t, db, "request_keys") != k {
			t.Fatal("a failed change left a row behind")
		}
		if got, _ := r.Get(ctx, nameOf(first)); got.Count != 1 || got.Revision != 1 {
			t.Fatalf("after a refused update: %+v", got)
		}
	})

	t.Run("request id replay returns the first result and writes nothing", func(t *testing.T) {
		r, db := repo(t)
		first, err := r.Create(ctx, newWidget("fes-meknes", "Babouche", 2), write("Created", "req-1"))
		if err != nil {
			t.Fatal(err)
		}
		again, err := r.Create(ctx, newWidget("fes-meknes", "Babouche", 2), write("Created", "req-1"))
		if err != nil || again.ID != first.ID {
			t.Fatalf("replayed create = %+v, %v; want %s", again, err, first.ID)
		}
		n := nameOf(first)
		calls := 0
		bump := func(v *widget) error { calls++; v.Count++; return nil }
		if _, err := r.Update(ctx, n, write("Updated", "req-2"), bump); err != nil {
			t.Fatal(err)
		}
		got, err := r.Update(ctx, n, write("Updated", "req-2"), bump)
		if err != nil || got.Count != 3 || calls != 1 {
			t.Fatalf("replayed update = %+v, %v after %d calls; want count 3 after 1 call", got, err, calls)
		}
		if c, o := count(t, db, "widgets"), count(t, db, "outbox"); c != 1 || o != 2 {
			t.Fatalf("%d widgets and %d events after replays, want 1 and 2", c, o)
		}
		// The same key from another chamber is another request.
		other, err := r.Create(ctx, newWidget("marrakech-safi", "Babouche", 2), write("Created", "req-1"))
		if err != nil || other.ID == first.ID || count(t, db, "widgets") != 2 {
			t.Fatalf("same key, other chamber = %+v, %v; want a second widget", other, err)
		}
	})

	t.Run("list orders, filters and pages by keyset", func(t *testing.T) {
		r, _ := repo(t)
		for i, name := range []string{"Éventail", "Babouche", "Caftan", "Dinanderie", "Argan"} {
			if _, err := r.Create(ctx, newWidget("fes-meknes", name, int64(i)), write("Created", "")); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := r.Create(ctx, newWidget("marrakech-safi", "Tadelakt", 9), write("Created", "")); err != nil {
			t.Fatal(err)
		}
		pages := func(q paging.ListQuery) []string {
			t.Helper()
			var names []string
			for i := 0; ; i++ {
				if i > 6 {
					t.Fatal("paging does not end")
				}
				page, err := r.List(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				for _, w := range page.Items {
					names = append(names, w.Name)
				}
				if page.NextPageToken == "" {
					return names
				}
				q.PageToken = page.NextPageToken
			}
		}
		if got := fmt.Sprint(pages(paging.ListQuery{Chamber: "fes-meknes", PageSize: 2, OrderBy: "name"})); got != "[Argan Babouche Caftan Dinanderie Éventail]" {
			t.Fatalf("by name = %v", got)
		}
		if got := fmt.Sprint(pages(paging.ListQuery{Chamber: "fes-meknes", PageSize: 2, OrderBy: "count desc"})); got != "[Argan Dinanderie Caftan Babouche Éventail]" {
			t.Fatalf("by count descending = %v", got)
		}
		if got := len(pages(paging.ListQuery{Chamber: resource.Wildcard, PageSize: 4})); got != 6 {
			t.Fatalf("national list = %d widgets, want 6", got)
		}
		page, err := r.List(ctx, paging.ListQuery{Chamber: "fes-meknes", Filter: `count <= 1 AND name:"EVENTAIL"`})
		if err != nil || len(page.Items) != 1 || page.Items[0].Name != "Éventail" {
			t.Fatalf("filtered = %+v, %v", page.Items, err)
		}
		if _, err := r.List(ctx, paging.ListQuery{Chamber: "fes-meknes", Filter: `colour = "red"`}); !fault.Is[*fault.InvalidError](err) {
			t.Fatalf("unknown filter field: %v", err)
		}
		first, err := r.List(ctx, paging.ListQuery{Chamber: "fes-meknes", PageSize: 2, OrderBy: "name"})
		if err != nil {
			t.Fatal(err)
		}
		// A token is bound to its query.
		if _, err := r.List(ctx, paging.ListQuery{Chamber: "fes-meknes", PageSize: 2, OrderBy: "count", PageToken: first.NextPageToken}); !fault.Is[*fault.InvalidError](err) {
			t.Fatalf("token of another query: %v", err)
		}
	})

	t.Run("concurrent updates lose nothing", func(t *testing.T) {
		r, _ := repo(t)
		w, err := r.Create(ctx, newWidget("fes-meknes", "Thuya", 0), write("Created", ""))
		if err != nil {
			t.Fatal(err)
		}
		n := nameOf(w)
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Go(func() {
				_, err := r.Update(ctx, n, write("Updated", ""), func(v *widget) error { v.Count++; return nil })
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		got, err := r.Get(ctx, n)
		if err != nil || got.Count != 8 || got.Revision != 9 {
			t.Fatalf("count = %d revision %d, %v; want 8 and 9", got.Count, got.Revision, err)
		}
	})
}

// The stored shapes of a widget: version 1 named the fields title and n;
// version 2 is the current one. Version 0 is the entity's JSON, written
// before the table had a record.
type (
	widgetRecordV1 struct {
		Title string `json:"title"`
		N     int64  `json:"n"`
		State string `json:"state"`
	}
	widgetRecordV2 struct {
		DisplayName string `json:"display_name"`
		Count       int64  `json:"count"`
		State       string `json:"state"`
		Code        string `json:"code,omitempty"`
	}
)

var widgetRecord = &store.Record[*widget]{
	Version: 2,
	Encode: func(w *widget) ([]byte, error) {
		return json.Marshal(widgetRecordV2{DisplayName: w.Name, Count: w.Count, State: w.State, Code: w.Code})
	},
	Decode: func(version int64, data []byte, w *widget) error {
		switch version {
		case 0:
			return json.Unmarshal(data, w)
		case 1:
			var r widgetRecordV1
			err := json.Unmarshal(data, &r)
			w.Name, w.Count, w.State = r.Title, r.N, r.State
			return err
		case 2:
			var r widgetRecordV2
			err := json.Unmarshal(data, &r)
			w.Name, w.Count, w.State, w.Code = r.DisplayName, r.Count, r.State, r.Code
			return err
		}
		return fmt.Errorf("unknown version %d", version)
	},
}

// TestRecordVersions writes rows in the previous shapes (the entity's JSON
// from before the record existed, and record version 1) and reads them
// through the current code on SQLite and PostgreSQL; a change rewrites a
// row in the current version, and a version the code does not know is an
// error, not a guess.
func TestRecordVersions(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		ctx := context.Background()
		db := open(t)
		if err := store.Migrate(ctx, db, "storetest", widgetMigrations); err != nil {
			t.Fatal(err)
		}
		w := change.Write{Action: "Created", Method: "/test/Write", Actor: change.Actor{Subject: "clerk", Role: "chamber-clerk", Chamber: "fes-meknes"}}
		// The code before the record: the entity's own JSON.
		old := store.NewRepo(store.NewTable(db, widgetSpec()))
		legacy := &widget{Name: "Zellige", Count: 4, State: "ON"}
		legacy.Chamber, legacy.ID = "fes-meknes", "legacy"
		if _, err := old.Create(ctx, legacy, w); err != nil {
			t.Fatal(err)
		}
		insert := func(id string, version int64, data string) {
			t.Helper()
			_, err := db.Exec(ctx, db.Rebind(`INSERT INTO widgets (chamber, id, revision, create_time, update_time, data, state, count, name_key, data_version)
				VALUES ('fes-meknes', ?, 1, 1, 1, ?, 'ON', 0, '', ?)`), id, data, version)
			if err != nil {
				t.Fatal(err)
			}
		}
		insert("v1", 1, `{"title": "Cuivre", "n": 2, "state": "ON"}`)
		insert("v9", 9, `{"anything": true}`)

		spec := widgetSpec()
		spec.Record = widgetRecord
		tbl := store.NewTable(db, spec)
		cur := store.NewRepo(tbl)
		name := func(id string) resource.Name {
			return resource.Name{Chamber: "fes-meknes", Collection: "widgets", ID: id}
		}
		for id, want := range map[string]widget{"legacy": {Name: "Zellige", Count: 4, State: "ON"}, "v1": {Name: "Cuivre", Count: 2, State: "ON"}} {
			got, err := cur.Get(ctx, name(id))
			if err != nil || got.Name != want.Name || got.Count != want.Count || got.State != want.State {
				t.Fatalf("%s read through the current code = %+v, %v; want %+v", id, got, err, want)
			}
		}
		if _, err := cur.Get(ctx, name("v9")); err == nil {
			t.Fatal("a record of an unknown version was read")
		}
		w.Action = "Updated"
		if _, err := cur.Update(ctx, name("legacy"), w, func(v *widget) error { v.Count++; return nil }); err != nil {
			t.Fatal(err)
		}
		var version int64
		var data string
		if err := db.SQL.QueryRowContext(ctx, "SELECT data_version, data FROM widgets WHERE id = 'legacy'").Scan(&version, &data); err != nil {
			t.Fatal(err)
		}
		var stored widgetRecordV2
		if err := json.Unmarshal([]byte(data), &stored); err != nil || version != 2 || stored.DisplayName != "Zellige" || stored.Count != 5 {
			t.Fatalf("rewritten row = v%d %s (%v); want version 2 with display_name and count 5", version, data, err)
		}
		page, err := cur.List(ctx, paging.ListQuery{Chamber: "fes-meknes", Filter: `state = "ON"`, OrderBy: "count"})
		if err == nil {
			t.Fatalf("a list over a row of an unknown version succeeded: %d items", len(page.Items))
		}
		// A snapshot reads every version through the record too.
		if _, err := db.Exec(ctx, "DELETE FROM widgets WHERE id = 'v9'"); err != nil {
			t.Fatal(err)
		}
		tx, err := db.SQL.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = tx.Rollback() }()
		snap, _, err := tbl.SnapshotPage(ctx, tx, "", 10)
		if err != nil || len(snap) != 2 {
			t.Fatalf("snapshot of a table with a record = %d records, %v; want 2", len(snap), err)
		}
	})
}

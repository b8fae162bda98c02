package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
)

// Entity is what a Table stores: a domain struct embedding resource.Meta.
type Entity interface {
	ResourceMeta() *resource.Meta
}

// Column is an indexed column of a resource table, derived from the entity.
// The full entity is stored as JSON in the data column; columns exist only
// for filtering, ordering and uniqueness.
type Column[T Entity] struct {
	Name  string
	Value func(T) any
}

// Spec describes one resource table.
type Spec[T Entity] struct {
	Table      string // SQL table, e.g. "artisans"
	Collection string // resource collection in names, e.g. "artisans"
	Kind       string // event kind, e.g. "Artisan"
	Source     string // producing service, e.g. "registry"
	EventType  string // event type prefix, e.g. "hirfa.registry.v1."
	Columns    []Column[T]
	Filter     *filter.Schema
	// Order maps order_by fields to columns; "create_time" is the default.
	Order map[string]string
	New   func() T
	// NameOf renders resource names when they are not chamber-owned
	// (reference data); nil means chambers/{chamber}/{collection}/{id}.
	NameOf func(chamber, id string) string
	// Payload renders the entity as the outbox event's message (the public
	// resource); set by the composition root. Typed by T, so a repository
	// cannot be given the mapping of another kind. nil stores the JSON.
	Payload func(T) proto.Message
	// Record, when set, is the versioned stored shape of T: the data column
	// holds its encoding and the data_version column its version, so a
	// renamed Go field cannot silently change what is stored (see
	// record.go). nil stores T's own JSON, with no version column.
	Record *Record[T]
	// DataType is the full protobuf message name of what Payload encodes,
	// written to the outbox so the relay can wrap it in an Any. Empty means
	// EventType's package followed by Kind (hirfa.registry.v1. + Artisan),
	// which is the public resource message by this project's naming.
	DataType string
}

// Table is a generic store for one resource kind on either dialect.
type Table[T Entity] struct {
	db   *DB
	spec Spec[T]
	now  func() time.Time
	cols string // "chamber, id, revision, create_time, update_time, data[, data_version], <extra>"
	sel  string // the columns a read scans: "chamber, id, revision, create_time, update_time, data[, data_version]"
	// aliased is sel with each column of the table aliased r (List's
	// deferred join).
	aliased string
}

// NewTable validates spec and returns its Table.
func NewTable[T Entity](db *DB, spec Spec[T]) *Table[T] {
	names := []string{"chamber", "id", "revision", "create_time", "update_time", "data"}
	if spec.Record != nil {
		names = append(names, "data_version")
	}
	sel := strings.Join(names, ", ")
	for _, c := range spec.Columns {
		names = append(names, c.Name)
	}
	if spec.Order == nil {
		spec.Order = map[string]string{}
	}
	if spec.DataType == "" && spec.Payload != nil {
		spec.DataType = spec.EventType + spec.Kind
	}
	spec.Order["create_time"] = "create_time"
	spec.Order["update_time"] = "update_time"
	return &Table[T]{db: db, spec: spec, now: func() time.Time { return time.Now().UTC() }, cols: strings.Join(names, ", "), sel: sel,
		aliased: "r." + strings.ReplaceAll(sel, ", ", ", r.")}
}

// SetClock replaces the clock (tests).
func (t *Table[T]) SetClock(now func() time.Time) { t.now = now }

// DB returns the database.
func (t *Table[T]) DB() *DB { return t.db }

// Filter returns the filter schema List compiles filters with (nil when the
// table has none): a repository's tests read what a filter becomes.
func (t *Table[T]) Filter() *filter.Schema { return t.spec.Filter }

func (t *Table[T]) name(chamber, id string) string {
	if t.spec.NameOf != nil {
		return t.spec.NameOf(chamber, id)
	}
	return resource.Name{Chamber: chamber, Collection: t.spec.Collection, ID: id}.String()
}

// Create inserts v (its Meta.Chamber and Meta.ID must be set) with its outbox
// event, audit record and request key. When w.RequestID was already used for
// this chamber, actor and method, it returns the resource recorded then and
// replayed=true, writing nothing. Uniqueness violations are returned as is
// (see UniqueViolation) for the caller to map.
func (t *Table[T]) Create(ctx context.Context, v T, w change.Write) (out T, replayed bool, err error) {
	m := v.ResourceMeta()
	now := t.now().Truncate(time.Microsecond)
	m.Revision, m.CreateTime, m.UpdateTime = 1, now, now
	args, data, err := t.row(v)
	if err != nil {
		return out, false, err
	}
	stmts, err := t.changeStatements(ctx, v, w, nil, data)
	if err != nil {
		return out, false, err
	}
	insert := stmt{"INSERT INTO " + t.spec.Table + " (" + t.cols + ") VALUES (" + placeholders(len(args)) + ")", args}
	stmts = append([]stmt{insert}, stmts...)
	if t.db.Dialect == Postgres {
		// One statement, one round trip, atomic by itself. A used request
		// id shows up as a conflict on request_keys: then the first
		// result is returned.
		_, err = t.exec(ctx, t.db.SQL, stmts)
		if w.RequestID != "" && IsUnique(err, "request_keys_pkey", "request_keys.key") {
			var prev T
			var ok bool
			err = t.db.Tx(ctx, func(tx *sql.Tx) (err error) {
				prev, ok, err = t.replay(ctx, tx, m.Chamber, w)
				return err
			})
			if err == nil && ok {
				return prev, true, nil
			}
		}
		if err != nil {
			return out, false, t.wrap("create", err)
		}
		return v, false, nil
	}
	err = t.db.Tx(ctx, func(tx *sql.Tx) error {
		rest := stmts
		if w.RequestID != "" {
			// The request key goes first, instead of a look-up before the
			// writes: a used id fails this one statement (SQLite undoes
			// the statement, not the transaction) and the first result is
			// read back; a fresh id costs no extra statement.
			key := stmts[len(stmts)-1]
			rest = stmts[:len(stmts)-1]
			if _, err := tx.ExecContext(ctx, key.q, key.args...); err != nil {
				if !IsUnique(err, "request_keys_pkey", "request_keys.key") {
					return err
				}
				prev, ok, rerr := t.replay(ctx, tx, m.Chamber, w)
				if rerr != nil || !ok {
					return errors.Join(err, rerr)
				}
				out, replayed = prev, true
				return nil
			}
		}
		if _, err := t.exec(ctx, tx, rest); err != nil {
			return err
		}
		out = v
		return nil
	})
	if err != nil {
		return out, false, t.wrap("create", err)
	}
	return out, replayed, nil
}

// Get reads one resource.
func (t *Table[T]) Get(ctx context.Context, chamber, id string) (T, error) {
	v, err := t.get(ctx, t.db.SQL, chamber, id, false)
	if err != nil {
		return v, t.wrap("get", err)
	}
	return v, nil
}

// Reader is what a read runs on: a *sql.DB pool or a *sql.Tx, so one
// query serves a read on its own and one inside a write transaction.
type Reader interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (t *Table[T]) get(ctx context.Context, q Reader, chamber, id string, forUpdate bool) (T, error) {
	query := "SELECT " + t.sel + " FROM " + t.spec.Table + " WHERE chamber = ? AND id = ?"
	if forUpdate && t.db.Dialect == Postgres {
		query += " FOR UPDATE"
	}
	v, err := t.scan(q.QueryRowContext(ctx, t.db.Rebind(query), chamber, id))
	if errors.Is(err, sql.ErrNoRows) {
		return v, fault.NotFound(t.name(chamber, id))
	}
	return v, err
}

type scanner interface{ Scan(dest ...any) error }

func (t *Table[T]) scan(s scanner) (T, error) {
	v := t.spec.New()
	m := v.ResourceMeta()
	var data []byte
	var ct, ut, version int64
	dest := []any{&m.Chamber, &m.ID, &m.Revision, &ct, &ut, &data}
	if t.spec.Record != nil {
		dest = append(dest, &version)
	}
	if err := s.Scan(dest...); err != nil {
		return v, err
	}
	if err := t.decode(data, version, v); err != nil {
		return v, err
	}
	m = v.ResourceMeta() // Unmarshal may not touch Meta (json:"-"), but be explicit
	m.CreateTime, m.UpdateTime = FromMicros(ct), FromMicros(ut)
	return v, nil
}

// Update loads the resource under a write lock, lets fn change it (fn checks
// the etag and the domain rules; an error aborts and writes nothing), then
// writes it back with its outbox event, audit record and request key. A
// replayed request id returns the current resource without calling fn.
func (t *Table[T]) Update(ctx context.Context, chamber, id string, w change.Write, fn func(T) error) (out T, err error) {
	err = t.db.Tx(ctx, func(tx *sql.Tx) error {
		var e error
		out, e = t.UpdateIn(ctx, tx, chamber, id, w, fn)
		return e
	})
	if err != nil {
		return out, t.wrap("update", err)
	}
	return out, nil
}

// UpdateIn is Update inside the caller's transaction: a use case that
// changes several resources at once (a merge) runs one UpdateIn per
// resource in one db.Tx, so all of them, with their outbox events and audit
// records, commit or none does. Locks are taken in call order; callers lock
// in a fixed order so two such transactions cannot deadlock.
func (t *Table[T]) UpdateIn(ctx context.Context, tx *sql.Tx, chamber, id string, w change.Write, fn func(T) error) (out T, err error) {
	if _, ok, err := t.replay(ctx, tx, chamber, w); err != nil || ok {
		if ok {
			out, err = t.get(ctx, tx, chamber, id, false)
		}
		return out, err
	}
	v, err := t.get(ctx, tx, chamber, id, true)
	if err != nil {
		return out, err
	}
	before, _, err := t.encode(v)
	if err != nil {
		return out, err
	}
	m := v.ResourceMeta()
	oldRev := m.Revision
	if err := fn(v); err != nil {
		return out, err
	}
	m = v.ResourceMeta()
	m.Chamber, m.ID = chamber, id // fn must not move the resource
	m.Revision = oldRev + 1
	m.UpdateTime = t.now().Truncate(time.Microsecond)
	args, data, err := t.row(v)
	if err != nil {
		return out, err
	}
	sets := strings.Split(t.cols, ", ")
	var b strings.Builder
	for i, c := range sets[2:] { // never rewrite chamber and id
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c + " = ?")
	}
	stmts, err := t.changeStatements(ctx, v, w, before, data)
	if err != nil {
		return out, err
	}
	update := stmt{"UPDATE " + t.spec.Table + " SET " + b.String() + " WHERE chamber = ? AND id = ? AND revision = ?",
		append(args[2:], chamber, id, oldRev)}
	n, err := t.exec(ctx, tx, append(stmts, update)) // the UPDATE last: its row count is returned
	if err != nil {
		return out, err
	}
	if n != 1 {
		return out, &fault.ConflictError{Resource: t.name(chamber, id)}
	}
	return v, nil
}

// GetIn reads a resource inside tx; forUpdate locks its row on PostgreSQL
// (SQLite's single writer serialises the transaction anyway).
func (t *Table[T]) GetIn(ctx context.Context, tx *sql.Tx, chamber, id string, forUpdate bool) (T, error) {
	return t.get(ctx, tx, chamber, id, forUpdate)
}

// Replayed reports whether w's request id was used before in chamber (see
// Update), returning the resource recorded then, inside tx.
func (t *Table[T]) Replayed(ctx context.Context, tx *sql.Tx, chamber string, w change.Write) (T, bool, error) {
	return t.replay(ctx, tx, chamber, w)
}

// Wrap maps err of an operation on this table the way its own methods do
// (unavailable database, not found kept as is).
func (t *Table[T]) Wrap(op string, err error) error { return t.wrap(op, err) }

// Delete removes the resource if fn (the domain's permission to delete)
// returns nil, writing a "Deleted" event and an audit record.
func (t *Table[T]) Delete(ctx context.Context, chamber, id string, w change.Write, fn func(T) error) error {
	err := t.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := t.DeleteIn(ctx, tx, chamber, id, w, fn)
		return err
	})
	return t.wrap("delete", err)
}

// DeleteIn is Delete inside the caller's transaction, for a repository
// that records more in the delete's transaction (what the deleted row
// held). It returns the resource as it was deleted, its UpdateTime the
// delete's time (the outbox event's and the audit record's).
func (t *Table[T]) DeleteIn(ctx context.Context, tx *sql.Tx, chamber, id string, w change.Write, fn func(T) error) (T, error) {
	var zero T
	v, err := t.get(ctx, tx, chamber, id, true)
	if err != nil {
		return zero, err
	}
	before, _, err := t.encode(v)
	if err != nil {
		return zero, err
	}
	if err := fn(v); err != nil {
		return zero, err
	}
	v.ResourceMeta().UpdateTime = t.now().Truncate(time.Microsecond)
	stmts, err := t.changeStatements(ctx, v, w, before, nil)
	if err != nil {
		return zero, err
	}
	if _, err := t.exec(ctx, tx, append(stmts, stmt{"DELETE FROM " + t.spec.Table + " WHERE chamber = ? AND id = ?", []any{chamber, id}})); err != nil {
		return zero, err
	}
	return v, nil
}

// replay checks the idempotency key of w. It returns the resource recorded
// under it when the key was used before.
func (t *Table[T]) replay(ctx context.Context, tx *sql.Tx, chamber string, w change.Write) (T, bool, error) {
	var zero T
	if w.RequestID == "" {
		return zero, false, nil
	}
	var name string
	err := tx.QueryRowContext(ctx, t.db.Rebind("SELECT resource FROM request_keys WHERE key = ?"), requestKey(chamber, w)).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return zero, false, nil
	}
	if err != nil {
		return zero, false, err
	}
	chamberOf, id, _ := strings.Cut(name, "|")
	v, err := t.get(ctx, tx, chamberOf, id, false)
	if err != nil {
		return zero, false, err
	}
	return v, true, nil
}

// requestKey scopes a request id to the chamber, the acting principal and
// the method: one actor's id can never replay (swallow) another actor's
// write. The subject is quoted because it may contain the separator.
func requestKey(chamber string, w change.Write) string {
	return chamber + "|" + strconv.Quote(w.Actor.Subject) + "|" + w.Method + "|" + w.RequestID
}

// stmt is one SQL statement with its arguments, written with ? placeholders.
type stmt struct {
	q    string
	args []any
}

// changeStatements are the rows that record a change besides the resource
// itself: its outbox event, its audit record and its request key. after is
// the resource's stored JSON (nil for a deletion).
func (t *Table[T]) changeStatements(ctx context.Context, v T, w change.Write, before, after []byte) ([]stmt, error) {
	m := v.ResourceMeta()
	payload, dataType := after, ""
	if t.spec.Payload != nil {
		dataType = t.spec.DataType
		p, err := proto.Marshal(t.spec.Payload(v))
		if err != nil {
			return nil, fmt.Errorf("encode event: %w", err)
		}
		payload = p
	}
	action := w.Action
	if action == "" {
		action = "Changed"
	}
	out := Change{Name: t.name(m.Chamber, m.ID), Chamber: m.Chamber, Time: m.UpdateTime,
		Type: t.spec.EventType + eventName(t.spec.Kind, action, w), Source: t.spec.Source,
		Data: payload, DataType: dataType, Write: w, Before: before, After: after}.rows(ctx)
	now := Micros(m.UpdateTime)
	if w.RequestID != "" {
		out = append(out, stmt{"INSERT INTO request_keys (key, resource, time) VALUES (?, ?, ?)",
			[]any{requestKey(m.Chamber, w), m.Chamber + "|" + m.ID, now}})
	}
	return out, nil
}

// exec runs statements in one round trip on PostgreSQL — as one statement
// whose data-modifying CTEs all commit or fail together, the last one the
// main statement (its RowsAffected is returned) — and one by one on SQLite.
func (t *Table[T]) exec(ctx context.Context, x execer, stmts []stmt) (int64, error) {
	if t.db.Dialect == Postgres && len(stmts) > 1 {
		var b strings.Builder
		var args []any
		b.WriteString("WITH ")
		for i, st := range stmts[:len(stmts)-1] {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "w%d AS (%s)", i, st.q)
			args = append(args, st.args...)
		}
		last := stmts[len(stmts)-1]
		b.WriteString(" " + last.q)
		args = append(args, last.args...)
		stmts = []stmt{{b.String(), args}}
	}
	var n int64
	for _, st := range stmts {
		res, err := x.ExecContext(ctx, t.db.Rebind(st.q), st.args...)
		if err != nil {
			return 0, err
		}
		n, _ = res.RowsAffected()
	}
	return n, nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// eventName is the outbox event of a change: w.Event, or Kind+Action.
func eventName(kind, action string, w change.Write) string {
	if w.Event != "" {
		return w.Event
	}
	return kind + action
}

func digest(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func (t *Table[T]) row(v T) ([]any, []byte, error) {
	m := v.ResourceMeta()
	data, version, err := t.encode(v)
	if err != nil {
		return nil, nil, err
	}
	args := []any{m.Chamber, m.ID, m.Revision, Micros(m.CreateTime), Micros(m.UpdateTime), string(data)}
	if t.db.Dialect == Postgres {
		args[5] = data // JSONB accepts bytes
	}
	if t.spec.Record != nil {
		args = append(args, version)
	}
	for _, c := range t.spec.Columns {
		args = append(args, c.Value(v))
	}
	return args, data, nil
}

func (t *Table[T]) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if Unavailable(err) {
		return &fault.UnavailableError{What: "database", Err: err}
	}
	var nf *fault.NotFoundError
	if errors.As(err, &nf) {
		return err
	}
	return fmt.Errorf("%s %s: %w", op, t.spec.Kind, err)
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// ListQuery and Page are the paging types of package resource.
type (
	ListQuery   = paging.ListQuery
	Page[T any] = paging.Page[T]
)

// Paging limits (AIP-158).
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
)

type pageToken struct {
	Query string `json:"q"` // digest of what the token is bound to
	After any    `json:"a"` // sort value of the last item
	ID    string `json:"i"` // id of the last item (tie breaker)
	Cham  string `json:"c"` // chamber of the last item (national reads)
}

// listQuery is the SQL of List's page for q and its arguments, the page
// size asked and the token binding of q.
func (t *Table[T]) listQuery(q ListQuery) (query string, args []any, size int, bound string, err error) {
	size = q.PageSize
	switch {
	case size < 0:
		return "", nil, 0, "", fault.Invalid("page_size", "page_size.non_negative", "must not be negative, got %d", size)
	case size == 0:
		size = DefaultPageSize
	case size > MaxPageSize:
		size = MaxPageSize // AIP-158: coerce, do not refuse
	}
	col, desc, err := t.orderBy(q.OrderBy)
	if err != nil {
		return "", nil, 0, "", err
	}
	var where []string
	filtered := false
	if q.Chamber != resource.Wildcard {
		where = append(where, "chamber = ?")
		args = append(args, q.Chamber)
	}
	if q.Where != "" {
		where = append(where, "("+q.Where+")")
		args = append(args, q.WhereArgs...)
	}
	// parts are the filter's WHERE fragments: one, or on PostgreSQL the
	// disjoint parts of a split name match (filter.CompileSplit), each
	// paged on its own and merged below.
	var parts []string
	var partArgs [][]any
	if q.Filter != "" {
		if t.spec.Filter == nil {
			return "", nil, 0, "", fault.Invalid("filter", "filter.unsupported", "filtering is not supported here")
		}
		if t.db.Dialect == Postgres {
			parts, partArgs, err = t.spec.Filter.CompileSplit(q.Filter, q.Chamber, col)
		} else {
			var fw string
			var fargs []any
			fw, fargs, err = t.spec.Filter.CompileIn(q.Filter, q.Chamber)
			if fw != "" {
				parts, partArgs = []string{fw}, [][]any{fargs}
			}
		}
		if err != nil {
			var fe *filter.Error
			if errors.As(err, &fe) {
				return "", nil, 0, "", fault.Invalid("filter", "filter.invalid", "%s", fe.Error())
			}
			return "", nil, 0, "", fault.Invalid("filter", "filter.invalid", "%s", err.Error())
		}
		filtered = len(parts) > 0
	}
	bound = boundTo(q)
	var keyset string
	var keysetArgs []any
	if q.PageToken != "" {
		tok, err := decodeToken(q.PageToken)
		if err != nil || tok.Query != bound {
			return "", nil, 0, "", fault.Invalid("page_token", "page_token.invalid", "page token is not valid for this query")
		}
		op := ">"
		if desc {
			op = "<"
		}
		after := tok.After
		if f, ok := after.(float64); ok { // JSON numbers
			after = int64(f)
		}
		keyset = fmt.Sprintf("(%[1]s %[2]s ? OR (%[1]s = ? AND (chamber %[2]s ? OR (chamber = ? AND id %[2]s ?))))", col, op)
		keysetArgs = []any{after, after, tok.Cham, tok.Cham, tok.ID}
	}
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	order := fmt.Sprintf(" ORDER BY %[1]s %[2]s, chamber %[2]s, id %[2]s LIMIT %[3]d", col, dir, size+1)
	// from is FROM … WHERE … for the filter's part i (-1: no filter), and
	// its arguments.
	from := func(i int) (string, []any) {
		w, a := slices.Clone(where), slices.Clone(args)
		if i >= 0 {
			w, a = append(w, "("+parts[i]+")"), append(a, partArgs[i]...)
		}
		if keyset != "" {
			w, a = append(w, keyset), append(a, keysetArgs...)
		}
		f := " FROM " + t.spec.Table
		if len(w) > 0 {
			f += " WHERE " + strings.Join(w, " AND ")
		}
		return f, a
	}
	// The page's rows in keyset order: FROM … ORDER BY … LIMIT.
	var page string
	switch len(parts) {
	case 0:
		page, args = from(-1)
		page += order
	case 1:
		page, args = from(0)
		page += order
	default:
		// Each part's first page in keyset order, merged (a Merge Append
		// of the parts' ordered walks): the page's rows are among them,
		// the parts being disjoint.
		var union []string
		var all []any
		for i := range parts {
			f, a := from(i)
			union, all = append(union, "(SELECT chamber, id, "+col+f+order+")"), append(all, a...)
		}
		page, args = " FROM ("+strings.Join(union, " UNION ALL ")+") u"+order, all
	}
	if t.db.Dialect == Postgres && (q.Where != "" || filtered) {
		// A filtered page finds its keys first and reads its rows after
		// (a deferred join). A filter the page's index cannot seek is
		// tested on each entry the walk of the order index passes; with
		// only the keys asked, PostgreSQL tests it on the index entry
		// when the index holds the filter's columns (an index-only scan)
		// instead of reading every passed row from the table: a family
		// name in display_name order passes tens of thousands of names
		// sorting before its first holder (at 3 million artisans, 0.36 s
		// reading each from the table, 24 ms reading the index alone).
		// Only the page's rows are then read, by primary key.
		return "SELECT " + t.aliased + ", r." + col + " FROM " + t.spec.Table + " r JOIN (SELECT chamber, id" + page +
			") k ON r.chamber = k.chamber AND r.id = k.id" +
			fmt.Sprintf(" ORDER BY r.%[1]s %[2]s, r.chamber %[2]s, r.id %[2]s", col, dir), args, size, bound, nil
	}
	query = "SELECT " + t.sel + ", " + col + page
	return query, args, size, bound, nil
}

// List returns one page, ordered deterministically by the order_by column,
// then chamber and id, with an opaque keyset token bound to the query.
func (t *Table[T]) List(ctx context.Context, q ListQuery) (Page[T], error) {
	var page Page[T]
	query, args, size, bound, err := t.listQuery(q)
	if err != nil {
		return page, err
	}
	if t.db.Dialect == Postgres {
		// Planned for its values, every time. A statement the driver keeps
		// prepared gets, from its sixth run, PostgreSQL's generic plan,
		// which prices state = $1 at the column's average frequency: for
		// a rare or absent value it then walks the ordering index with a
		// filter (the whole register) instead of seeking the filter's own
		// index. The unnamed statement of this mode is planned at each
		// bind with the page's values.
		args = append([]any{pgx.QueryExecModeDescribeExec}, args...)
	}
	rows, err := t.db.SQL.QueryContext(ctx, t.db.Rebind(query), args...)
	if err != nil {
		return page, t.wrap("list", err)
	}
	defer rows.Close()
	var lastSort any
	for rows.Next() {
		v := t.spec.New()
		m := v.ResourceMeta()
		var data []byte
		var ct, ut, version int64
		var sortVal any
		dest := []any{&m.Chamber, &m.ID, &m.Revision, &ct, &ut, &data}
		if t.spec.Record != nil {
			dest = append(dest, &version)
		}
		if err := rows.Scan(append(dest, &sortVal)...); err != nil {
			return page, t.wrap("list", err)
		}
		if len(page.Items) == size {
			last := page.Items[size-1].ResourceMeta()
			page.NextPageToken = encodeToken(pageToken{Query: bound, After: lastSort, ID: last.ID, Cham: last.Chamber})
			break
		}
		if err := t.decode(data, version, v); err != nil {
			return page, err
		}
		m = v.ResourceMeta()
		m.CreateTime, m.UpdateTime = FromMicros(ct), FromMicros(ut)
		if b, ok := sortVal.([]byte); ok {
			sortVal = string(b)
		}
		lastSort = sortVal
		page.Items = append(page.Items, v)
	}
	if err := rows.Err(); err != nil {
		return page, t.wrap("list", err)
	}
	return page, nil
}

func (t *Table[T]) orderBy(s string) (col string, desc bool, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "create_time", false, nil
	}
	f := strings.Fields(s)
	if len(f) > 2 || (len(f) == 2 && f[1] != "desc" && f[1] != "asc") {
		return "", false, fault.Invalid("order_by", "order_by.syntax", "must be a field optionally followed by \"desc\", got %q", s)
	}
	c, ok := t.spec.Order[f[0]]
	if !ok {
		known := make([]string, 0, len(t.spec.Order))
		for k := range t.spec.Order {
			known = append(known, k)
		}
		return "", false, fault.Invalid("order_by", "order_by.field", "cannot order by %q (known: %s)", f[0], strings.Join(sorted(known), ", "))
	}
	return c, len(f) == 2 && f[1] == "desc", nil
}

func boundTo(q ListQuery) string {
	// The Where arguments are part of the query: a token of one province's
	// page must not page through another's.
	h := sha256.Sum256([]byte(q.Chamber + "\x00" + q.Filter + "\x00" + strings.TrimSpace(q.OrderBy) + "\x00" + q.Where + "\x00" + fmt.Sprint(q.WhereArgs...)))
	return hex.EncodeToString(h[:8])
}

func encodeToken(p pageToken) string {
	b, _ := json.Marshal(p) // plain struct of strings and numbers: cannot fail
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeToken(s string) (pageToken, error) {
	var p pageToken
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return p, err
	}
	err = json.Unmarshal(b, &p)
	return p, err
}

func sorted(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

// Package sqlstore implements the events-and-fairs repositories on
// PostgreSQL and SQLite through pkg/store: one code path, the dialect chosen
// by the database URL, with the service's migrations embedded per dialect.
// Beyond the generic tables it holds the figures queries (aggregates over
// exhibitors, booths and visitor counts) and the per-event lock that
// serialises selection decisions.
package sqlstore

import (
	"context"
	"database/sql/driver"
	"embed"
	"fmt"
	"hash/fnv"
	"sync"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/nested"
)

//go:embed migrations
var migrations embed.FS

// Source is the service name written in outbox events.
const Source = "events-and-fairs"

// EventType prefixes outbox event types.
const EventType = "hirfa.eventsfairs.v1."

// Migrate applies the platform and events-and-fairs migrations.
var Migrate = store.Embedded("eventsfairs", migrations)

// child adapts a generic table of nested resources (id "{parent}.{child}",
// with a parent column) to nested names.
type child[T store.Entity] struct {
	t         *store.Table[T]
	parentCol string
}

func (r child[T]) create(ctx context.Context, v T, w change.Write) (T, error) {
	out, _, err := r.t.Create(ctx, v, w)
	return out, err
}

func (r child[T]) get(ctx context.Context, n nested.Name) (T, error) {
	return r.t.Get(ctx, n.Chamber, n.Key())
}

func (r child[T]) list(ctx context.Context, parent resource.Name, q paging.ListQuery) (paging.Page[T], error) {
	q.Chamber = parent.Chamber
	q.Where, q.WhereArgs = r.parentCol+" = ?", []any{parent.ID}
	return r.t.List(ctx, q)
}

func (r child[T]) update(ctx context.Context, n nested.Name, w change.Write, fn func(T) error) (T, error) {
	return r.t.Update(ctx, n.Chamber, n.Key(), w, fn)
}

func (r child[T]) delete(ctx context.Context, n nested.Name, w change.Write, fn func(T) error) error {
	return r.t.Delete(ctx, n.Chamber, n.Key(), w, fn)
}

// parentOf is the column value of a nested record's parent.
func parentOf[T store.Entity](v T) any {
	p, _ := nested.Split(v.ResourceMeta().ID)
	return p
}

// count runs a COUNT query.
func count(ctx context.Context, db *store.DB, q string, args ...any) (int, error) {
	var n int
	if err := db.SQL.QueryRowContext(ctx, db.Rebind(q), args...).Scan(&n); err != nil {
		return 0, wrap(db, "count", err)
	}
	return n, nil
}

func wrap(db *store.DB, op string, err error) error {
	if err == nil {
		return nil
	}
	if store.Unavailable(err) {
		return &fault.UnavailableError{What: "database", Err: fmt.Errorf("%s: %w", op, err)}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// Locks serialises the decisions that read several records of one event
// before writing one (accepting an exhibitor against the booth count and
// quotas, placing a registration against the capacity, evaluating a fair
// against late declarations). Within a process a mutex per key queues the
// callers, so at most one connection per process waits on the database; on
// PostgreSQL a session advisory lock then extends the lock to every
// replica. SQLite is one process's file, so the mutex is the whole lock.
type Locks struct {
	db *store.DB
	mu sync.Mutex
	m  map[string]*keyLock
	// sessions bounds the pooled connections holding advisory locks, so
	// lock holders always find a connection left for their own queries.
	sessions chan struct{}
}

// maxLockSessions is at most a quarter of the PostgreSQL pool (32).
const maxLockSessions = 8

type keyLock struct {
	ch   chan struct{} // a one-slot semaphore, so waiting honours ctx
	refs int
}

// NewLocks returns the lock table of db.
func NewLocks(db *store.DB) *Locks {
	return &Locks{db: db, m: map[string]*keyLock{}, sessions: make(chan struct{}, maxLockSessions)}
}

// Lock takes the lock of key, waiting while ctx allows; the returned
// function releases it.
func (l *Locks) Lock(ctx context.Context, key string) (func(), error) {
	l.mu.Lock()
	k := l.m[key]
	if k == nil {
		k = &keyLock{ch: make(chan struct{}, 1)}
		l.m[key] = k
	}
	k.refs++
	l.mu.Unlock()
	release := func() {
		l.mu.Lock()
		k.refs--
		if k.refs == 0 {
			delete(l.m, key)
		}
		l.mu.Unlock()
	}
	select {
	case k.ch <- struct{}{}:
	case <-ctx.Done():
		release()
		return nil, ctx.Err()
	}
	local := func() { <-k.ch; release() }
	if l.db.Dialect != store.Postgres {
		return local, nil
	}
	select {
	case l.sessions <- struct{}{}:
	case <-ctx.Done():
		local()
		return nil, ctx.Err()
	}
	held := func() { <-l.sessions; local() }
	conn, err := l.db.SQL.Conn(ctx)
	if err != nil {
		held()
		return nil, wrap(l.db, "lock", err)
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte("eventsfairs:" + key))
	id := int64(h.Sum64())
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", id); err != nil {
		_ = conn.Close()
		held()
		return nil, wrap(l.db, "lock", err)
	}
	return func() {
		// Unlock even when the request's context has ended; closing the
		// connection would release the lock too, but returns it to the pool
		// still held.
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", id); err != nil {
			// A bad connection is discarded, ending the session and its lock.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		_ = conn.Close()
		held()
	}, nil
}

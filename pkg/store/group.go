package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
)

// Group commit on SQLite's single writer.
//
// Write transactions queue for SQLite's one writer connection anyway; the
// group writer takes every transaction waiting when the connection comes
// free and runs them back to back inside one SQLite transaction, each in its
// own SAVEPOINT, then commits once. A commit appends every page the
// transaction dirtied to the WAL, and the creates of a burst dirty the same
// table and index pages, so a group writes those pages once instead of once
// per caller, and pays BEGIN and COMMIT once.
//
// The rules that keep it as safe as one transaction per caller:
//   - a caller whose function fails is rolled back to its savepoint: only
//     its own writes disappear, and it gets its own error;
//   - nobody is answered before the commit: every caller of the group gets
//     nil only after COMMIT returned, so a crash or a Close before then
//     loses only writes nobody was told about;
//   - when the transaction itself is lost (a failed COMMIT, or an error
//     SQLite answers by rolling the whole transaction back, such as an
//     interrupt from a cancelled context), every caller not yet answered
//     gets a retryable error and DB.Tx runs its function again, which is
//     why Tx's functions must be safe to re-run.

// maxGroup bounds one group, so a burst cannot keep the write lock (and the
// WAL's growth before a checkpoint) unbounded.
const maxGroup = 64

// errGroupLost is the answer of callers whose group transaction was lost
// through no fault of theirs: retryable, see retryable.
var errGroupLost = errors.New("sqlite: the group transaction was lost; run again")

// errClosed answers writes submitted after Close.
var errClosed = errors.New("sqlite: database closed")

// ErrNestedTx refuses a write transaction started from inside a write
// function (db.Tx or db.Exec called by a Tx function): on SQLite the outer
// function runs on the one writer, which the inner call would wait for
// forever. The inner writes belong on the outer function's *sql.Tx (the
// tables' …In methods take it).
var ErrNestedTx = errors.New("sqlite: a write transaction was started inside a write function, " +
	"which runs on the one writer the new transaction would wait for: write on the function's *sql.Tx instead")

type writeReq struct {
	ctx  context.Context
	fn   func(*sql.Tx) error
	done chan error
	// panicked carries a panic of fn back to the caller's goroutine, where
	// it would have happened without the group writer.
	panicked any
}

// call runs the caller's function, turning a panic into an error for the
// group and keeping the value for the caller.
func (r *writeReq) call(tx *sql.Tx) (err error) {
	inWriteFn.Add(1)
	defer func() {
		inWriteFn.Add(-1)
		if p := recover(); p != nil {
			r.panicked = p
			err = fmt.Errorf("panic in write transaction: %v", p)
		}
	}()
	return r.fn(tx)
}

// Telling a nested write transaction (ErrNestedTx) from a concurrent one.
//
// Write functions run on the writer's goroutine, called by writeReq.call,
// so a Tx started by one of them finds call's frame on its own stack: the
// one call site of r.fn in call leaves the same return address there every
// time, learnt once by callReturnPC. Any other goroutine's stack lacks it.
// A Tx of another SQLite database started there is refused too: its
// commit would not be atomic with the function's, and two databases whose
// functions each wrote to the other could each wait for the other's writer.
// Go exposes no goroutine identity, and a context cannot serve: the
// function's context is its caller's, which other goroutines may share.

// inWriteFn counts the write functions running now on every SQLite
// writer: while it is 0 no caller can be inside one, and do skips the look
// at its stack, which costs about a microsecond.
var inWriteFn atomic.Int32

// callReturnPC is the return address a write function leaves in
// writeReq.call's frame.
var callReturnPC = func() uintptr {
	var pc [1]uintptr
	r := &writeReq{fn: func(*sql.Tx) error {
		runtime.Callers(2, pc[:]) // skips runtime.Callers and this function: call's frame
		return nil
	}}
	_ = r.call(nil)
	return pc[0]
}()

// maxNestedDepth is how many frames above call's a nested Tx is looked
// for: the frames of the write function and of what it calls down to Tx.
const maxNestedDepth = 64

// insideWriteFn reports whether the calling goroutine is running a write
// function of an SQLite writer.
func insideWriteFn() bool {
	if inWriteFn.Load() == 0 {
		return false
	}
	var pcs [maxNestedDepth]uintptr
	n := runtime.Callers(2, pcs[:])
	return slices.Contains(pcs[:n], callReturnPC)
}

type groupWriter struct {
	conn *sql.DB // one connection
	// writes and commits count the functions committed and the commits
	// that carried them (GroupStats).
	writes, commits atomic.Int64
	reqs            chan *writeReq
	quit            chan struct{}
	stopped         chan struct{}
}

func newGroupWriter(conn *sql.DB) *groupWriter {
	g := &groupWriter{conn: conn, reqs: make(chan *writeReq), quit: make(chan struct{}), stopped: make(chan struct{})}
	go g.run()
	return g
}

// do runs fn in the next group and returns once its group committed (nil)
// or fn's own error, or the group's.
func (g *groupWriter) do(ctx context.Context, fn func(*sql.Tx) error) error {
	if insideWriteFn() {
		return ErrNestedTx
	}
	r := &writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case g.reqs <- r:
	case <-g.quit:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once taken, wait for the group's outcome even if ctx ends: answering
	// early could report a failure for a write that then commits.
	err := <-r.done
	if r.panicked != nil {
		panic(r.panicked)
	}
	return err
}

// close stops taking writes, lets the group in progress finish and answers
// the waiting ones with errClosed.
func (g *groupWriter) close() {
	select {
	case <-g.quit:
	default:
		close(g.quit)
	}
	<-g.stopped
}

func (g *groupWriter) run() {
	defer close(g.stopped)
	group := make([]*writeReq, 0, maxGroup)
	for {
		select {
		case r := <-g.reqs:
			group = append(group[:0], r)
		case <-g.quit:
			return
		}
		// Everyone already waiting joins; nobody is waited for.
	gather:
		for len(group) < maxGroup {
			select {
			case r := <-g.reqs:
				group = append(group, r)
			default:
				break gather
			}
		}
		g.commit(group)
		clear(group)
	}
}

// commit runs one group in one transaction and answers every member.
func (g *groupWriter) commit(group []*writeReq) {
	// The transaction belongs to the group, not to any one caller: one
	// caller's cancellation must not roll back the others.
	ctx := context.Background()
	live := group[:0:0]
	for _, r := range group {
		if err := r.ctx.Err(); err != nil {
			r.done <- err
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	answer := func(rs []*writeReq, err error) {
		for _, r := range rs {
			r.done <- err
		}
	}
	tx, err := g.conn.BeginTx(ctx, nil)
	if err != nil {
		answer(live, fmt.Errorf("begin: %w", err))
		return
	}
	if len(live) == 1 {
		// Alone: the transaction is the caller's, no savepoint needed.
		r := live[0]
		if err := r.call(tx); err != nil {
			_ = tx.Rollback()
			r.done <- err
			return
		}
		if err := tx.Commit(); err != nil {
			r.done <- fmt.Errorf("commit: %w", err)
			return
		}
		g.writes.Add(1)
		g.commits.Add(1)
		r.done <- nil
		return
	}
	// Members whose function failed are answered after the commit too:
	// their failure may rest on a write of an earlier member (a unique
	// key), which is real only once committed.
	type failure struct {
		r   *writeReq
		err error
	}
	ok := make([]*writeReq, 0, len(live))
	var failed []failure
	lost := func(r *writeReq, rerr error, rest []*writeReq) {
		_ = tx.Rollback()
		if r != nil {
			r.done <- rerr
		}
		answer(ok, errGroupLost)
		answer(rest, errGroupLost)
		for _, f := range failed {
			f.r.done <- errGroupLost
		}
	}
	for i, r := range live {
		// One savepoint at a time, released before the next: they can
		// share a name, and so the writer's three prepared statements.
		const sp = "member"
		if _, err := tx.ExecContext(ctx, "SAVEPOINT "+sp); err != nil {
			lost(nil, nil, live[i:])
			return
		}
		ferr := r.call(tx)
		if ferr != nil {
			// Undo its writes; the savepoint stays open after ROLLBACK
			// TO until released.
			if _, err := tx.ExecContext(ctx, "ROLLBACK TO "+sp); err != nil {
				// The savepoint is gone: SQLite rolled the whole
				// transaction back (an interrupt, an I/O error).
				lost(r, ferr, live[i+1:])
				return
			}
		}
		if _, err := tx.ExecContext(ctx, "RELEASE "+sp); err != nil {
			if ferr == nil {
				ferr = errGroupLost
			}
			lost(r, ferr, live[i+1:])
			return
		}
		if ferr != nil {
			failed = append(failed, failure{r, ferr})
			continue
		}
		ok = append(ok, r)
	}
	if len(ok) == 0 {
		_ = tx.Rollback()
	} else if err := tx.Commit(); err != nil {
		answer(ok, fmt.Errorf("commit: %w", err))
		for _, f := range failed {
			f.r.done <- errGroupLost
		}
		return
	} else {
		g.writes.Add(int64(len(ok)))
		g.commits.Add(1)
		answer(ok, nil)
	}
	for _, f := range failed {
		f.r.done <- f.err
	}
}

// GroupStats reports, on SQLite, how many write transactions (Tx functions)
// were committed and in how many commits; both are 0 on PostgreSQL.
func (db *DB) GroupStats() (writes, commits int64) {
	if db.group == nil {
		return 0, 0
	}
	return db.group.writes.Load(), db.group.commits.Load()
}

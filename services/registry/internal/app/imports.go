package app

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/bulkimport"
	"github.com/hirfa/hirfa/services/registry/internal/domain/place"
	"github.com/hirfa/hirfa/services/registry/internal/domain/sheet"
)

// MaxImportBytes is the largest file an import takes (about 150,000 artisan
// rows of CSV): the file is kept with the operation until it is done.
const MaxImportBytes = 32 << 20

// Importer runs imports in the background and resumes those a restart
// interrupted. Its zero value is not usable: Registry.Imports gives it.
type Importer struct {
	r     *Registry
	store bulkimport.Store
	bg    context.Context
	wg    sync.WaitGroup
	limit int // largest file taken, MaxImportBytes unless SetImportLimit
}

// EnableImports gives the registry its import store; runs started later
// live as long as bg.
func (r *Registry) EnableImports(bg context.Context, s bulkimport.Store) {
	r.imports = &Importer{r: r, store: s, bg: bg, limit: MaxImportBytes}
}

// SetImportLimit changes the largest file an import takes (the benchmark's
// multi-million-row files); the gRPC transport still caps an upload at
// MaxImportBytes.
func (r *Registry) SetImportLimit(n int) {
	r.imports.limit = n
}

// ImportRequest is what a caller uploads.
type ImportRequest struct {
	Chamber, Kind, Encoding, FileName string
	File                              []byte
	DryRun                            bool
}

// StartImport checks the file as a whole (size, format, encoding, headers)
// and answers at once with every problem of the file, writing nothing; a
// readable file becomes a RUNNING operation whose rows are taken in the
// background.
func (r *Registry) StartImport(ctx context.Context, req ImportRequest, m Mutation) (*bulkimport.Operation, error) {
	if err := r.access.Write(ctx, req.Chamber, "chambers/"+req.Chamber); err != nil {
		return nil, err
	}
	if r.imports == nil {
		return nil, errors.New("imports are not enabled")
	}
	if err := place.CheckProvince(r.terr, req.Chamber, "", ""); err != nil && !fault.Is[*fault.InvalidError](err) {
		return nil, err // not a regional chamber
	}
	file, err := r.imports.open(ctx, req.Chamber, req.Kind, req.Encoding, req.File)
	if err != nil {
		return nil, err
	}
	tbl := file.tbl
	op := &bulkimport.Operation{Kind: req.Kind, FileName: req.FileName, DryRun: req.DryRun, Encoding: tbl.Encoding, File: req.File, State: bulkimport.Running,
		Summary: bulkimport.Summary{Total: len(tbl.Rows)}, Actor: r.access.Actor(ctx), Method: m.Method, Attempts: 1, RowIDWidth: bulkimport.RowIDWidth}
	op.Chamber, op.ID = req.Chamber, resource.NewID()
	if err := r.imports.store.CreateOperation(ctx, op); err != nil {
		return nil, err
	}
	r.imports.start(op, file)
	return op, nil
}

// GetImportOperation reads an operation with its progress.
func (r *Registry) GetImportOperation(ctx context.Context, n resource.Name) (*bulkimport.Operation, error) {
	if err := r.access.Read(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	if r.imports == nil {
		return nil, fault.NotFound(n.String())
	}
	return r.imports.store.GetOperation(ctx, n)
}

// ListImportOperations lists a chamber's imports, running and past, newest
// first; national roles list every chamber's with resource.Wildcard.
func (r *Registry) ListImportOperations(ctx context.Context, q paging.ListQuery) (paging.Page[*bulkimport.Operation], error) {
	q, err := r.listScope(ctx, q)
	if err != nil || r.imports == nil {
		return paging.Page[*bulkimport.Operation]{}, err
	}
	ops, next, err := r.imports.store.ListOperations(ctx, q.Chamber, q.PageSize, q.PageToken)
	return paging.Page[*bulkimport.Operation]{Items: ops, NextPageToken: next}, err
}

// GetImportMapping returns the chamber's saved mapping of kind (an empty
// one, meaning the default headers, when none was saved).
func (r *Registry) GetImportMapping(ctx context.Context, chamber, kind string) (*bulkimport.Mapping, error) {
	if err := r.access.Read(ctx, chamber, "chambers/"+chamber); err != nil {
		return nil, err
	}
	if _, ok := bulkimport.Columns(kind); !ok {
		return nil, fault.Invalid("kind", bulkimport.RuleKind, "imports take %s, got %q", bulkimport.Kinds, kind)
	}
	m, err := r.imports.store.GetMapping(ctx, chamber, kind)
	if err != nil || m != nil {
		return m, err
	}
	out := &bulkimport.Mapping{Kind: kind, Headers: map[string]string{}}
	out.Chamber = chamber
	return out, nil
}

// UpdateImportMapping saves the chamber's mapping after checking it.
func (r *Registry) UpdateImportMapping(ctx context.Context, m *bulkimport.Mapping) (*bulkimport.Mapping, error) {
	if err := r.access.Write(ctx, m.Chamber, "chambers/"+m.Chamber); err != nil {
		return nil, err
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	m.UpdateTime = r.now()
	if err := r.imports.store.PutMapping(ctx, m); err != nil {
		return nil, err
	}
	return m, nil
}

// ResumeImports runs again, from their files, the imports a restart
// interrupted. Rows they had already applied are recognised by their ids
// and counted as accepted, not written twice.
func (r *Registry) ResumeImports(ctx context.Context) error {
	if r.imports == nil {
		return nil
	}
	ops, err := r.imports.store.Unfinished(ctx)
	if err != nil {
		return err
	}
	for _, op := range ops {
		r.imports.start(op, nil)
	}
	return nil
}

// WaitImports blocks until the imports running now have finished (tests
// and shutdown).
func (r *Registry) WaitImports() {
	if r.imports != nil {
		r.imports.wg.Wait()
	}
}

// openFile is an import's file read as a table, with the layout its
// header resolves to under the chamber's saved mapping.
type openFile struct {
	tbl    *sheet.Table
	layout *bulkimport.Layout
}

func (im *Importer) open(ctx context.Context, chamber, kind, encoding string, file []byte) (*openFile, error) {
	if _, ok := bulkimport.Columns(kind); !ok {
		return nil, fault.Invalid("kind", bulkimport.RuleKind, "imports take %s, got %q", bulkimport.Kinds, kind)
	}
	tbl, err := sheet.Read(file, encoding, im.limit)
	if err != nil {
		return nil, err
	}
	saved, err := im.store.GetMapping(ctx, chamber, kind)
	if err != nil {
		return nil, err
	}
	layout, err := bulkimport.Resolve(kind, tbl.Header, saved)
	if err != nil {
		return nil, err
	}
	return &openFile{tbl: tbl, layout: layout}, nil
}

// start runs op in the background. file is the upload's already-read file;
// nil (a resumed operation) reads it again from the operation's kept copy.
func (im *Importer) start(op *bulkimport.Operation, file *openFile) {
	im.wg.Add(1)
	go func() {
		defer im.wg.Done()
		if err := im.run(im.bg, op, file); err != nil {
			if im.bg.Err() != nil {
				// Shutting down: the operation stays RUNNING and the next
				// start resumes it.
				return
			}
			// The operation is FAILED with the reason; its rows written so far
			// each have their outbox event and audit record.
			op.State, op.Error = bulkimport.Failed, err.Error()
			_ = im.store.SaveProgress(context.WithoutCancel(im.bg), op)
		}
	}()
}

// run takes every row: builds the record, applies the single-record rules
// and the file's own duplicate check, and (unless a dry run) creates the
// record through the repository, which writes it with its outbox event and
// audit record in one transaction.
func (im *Importer) run(ctx context.Context, op *bulkimport.Operation, file *openFile) error {
	r := im.r
	if file == nil {
		var err error
		if file, err = im.open(ctx, op.Chamber, op.Kind, op.Encoding, op.File); err != nil {
			return err
		}
	}
	if op.Kind != bulkimport.Artisans {
		op.Summary, op.Problems = bulkimport.Summary{Total: len(file.tbl.Rows)}, nil
		if err := im.runRecords(ctx, op, file); err != nil {
			return err
		}
		return im.finish(ctx, op)
	}
	tbl, layout := file.tbl, file.layout
	b := &batch{im: im, op: op, layout: layout, resumed: op.Attempts > 1, size: batchSize,
		w: Mutation{Method: op.Method}.Write(op.Actor, "Created")}
	op.Summary, op.Problems = bulkimport.Summary{Total: len(tbl.Rows)}, nil
	if im.store.Copies() {
		b.size = copyBatchSize
	}
	// The rows are read and checked here while the previous batch is
	// written by b.write: on two cores the checks and the database overlap.
	// Only the writer touches op from here on.
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work, werr := make(chan *pending, 1), make(chan error, 1)
	go func() {
		err := b.write(wctx, work)
		if err != nil {
			cancel()
		}
		werr <- err
	}()
	send := func(p *pending) error {
		select {
		case work <- p:
			return nil
		case <-wctx.Done():
			close(work)
			if err := <-werr; err != nil {
				return err
			}
			return ctx.Err()
		}
	}
	acts := &activityCache{acts: r.repos.Activities, seen: map[string]bool{}}
	cnies := bulkimport.Duplicates{}
	p := &pending{}
	for i, row := range tbl.Rows {
		line := tbl.Line(i)
		p.read++
		a, err := im.artisanRow(ctx, op, layout, row, line, acts, cnies)
		if err != nil {
			probs, ok := layout.Problems(line, err)
			if !ok {
				// An infrastructure failure (e.g. the activity look-up): it
				// stops the import, after the batches handed over so far.
				close(work)
				return errors.Join(fmt.Errorf("row %d: %w", line, err), <-werr)
			}
			p.problems, p.rejected = append(p.problems, probs...), p.rejected+1
		} else {
			p.rows, p.lines = append(p.rows, a), append(p.lines, line)
		}
		if len(p.rows) == b.size || p.read == 4*b.size {
			if err := send(p); err != nil {
				return err
			}
			p = &pending{}
		}
	}
	if err := send(p); err != nil {
		return err
	}
	close(work)
	if err := <-werr; err != nil {
		return err
	}
	if !op.DryRun {
		if err := im.store.SettleArtisans(ctx); err != nil {
			return err
		}
	}
	return im.finish(ctx, op)
}

// finish marks op SUCCEEDED with its report in row order.
func (im *Importer) finish(ctx context.Context, op *bulkimport.Operation) error {
	sort.SliceStable(op.Problems, func(i, j int) bool { return op.Problems[i].Row < op.Problems[j].Row })
	op.State = bulkimport.Succeeded
	now := im.r.now()
	op.DoneTime = &now
	return im.store.SaveProgress(ctx, op)
}

// batchSize is how many accepted rows are written per transaction; with
// the set-based path (COPY) copyBatchSize, since each batch pays two look-up
// statements, three COPY round trips, a commit and a progress save.
const (
	batchSize     = 1000
	copyBatchSize = 10000
)

// artisanRow builds the row's artisan and applies every rule of a new
// record (those of CreateArtisan) and the file's duplicate check. A cell
// that could not be read is reported once: the record's rule about the
// same field (e.g. "gender is required" after "X is not a gender") is not
// repeated.
func (im *Importer) artisanRow(ctx context.Context, op *bulkimport.Operation, layout *bulkimport.Layout, row []string, line int,
	acts *activityCache, cnies bulkimport.Duplicates) (*artisan.Artisan, error) {
	a, cellErr := layout.Artisan(row)
	if a == nil {
		return nil, cellErr
	}
	rules := im.r.newArtisan(ctx, op.Chamber, op.RowID(line), a, acts)
	if err := fault.Join(cellErr, withoutFieldsOf(rules, cellErr), cnies.Check(line, "artisan.cnie", a.CNIE)); err != nil {
		return nil, err
	}
	return a, nil
}

// withoutFieldsOf drops from err the violations of fields that other
// already reports; other errors pass unchanged.
func withoutFieldsOf(err, other error) error {
	inv, ok := err.(*fault.InvalidError)
	prev, ok2 := other.(*fault.InvalidError)
	if !ok || !ok2 {
		return err
	}
	seen := map[string]bool{}
	for _, v := range prev.Violations {
		seen[v.Field] = true
	}
	var keep fault.Violations
	for _, v := range inv.Violations {
		if !seen[v.Field] {
			keep = append(keep, v)
		}
	}
	return keep.Err()
}

// batch collects accepted rows and writes them together: a CNIE held in
// the register is found for the whole batch in one query and reported as
// the single-record path would; the rest are created in one transaction
// with their events and audit records.
type batch struct {
	im      *Importer
	op      *bulkimport.Operation
	layout  *bulkimport.Layout
	resumed bool
	size    int
	w       change.Write
	rows    []*artisan.Artisan
	lines   []int
}

// pending is what the reader hands the writer: the accepted rows of a
// batch and the counts and report lines of the rows it refused since the
// previous one.
type pending struct {
	rows           []*artisan.Artisan
	lines          []int
	read, rejected int
	problems       []bulkimport.Problem
}

// write takes the reader's batches in order: it counts them into the
// operation, writes their rows (flush) and saves the progress after each.
// On the set-based path two batches are copied at once, each on its own
// connection and in its own transaction: a batch's copy is one PostgreSQL
// backend at work, so a second one puts another core to work. Their
// results are applied in file order, so the counts, the report and the
// saved progress are those of a single writer. A batch committed beside one
// that fails is counted into the failed operation (its rows are stored,
// each with its event and audit record); one committed before a restart is
// found again by its row ids when the operation resumes, like any other.
func (b *batch) write(ctx context.Context, work <-chan *pending) error {
	st, op := b.im.store, b.op
	if !st.Copies() {
		for p := range work {
			if err := b.apply(ctx, p, nil); err != nil {
				return err
			}
		}
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	// Unbuffered: while the loop below waits for one copy, the dispatcher
	// holds the next one, already started.
	queue := make(chan *copying)
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(queue)
		for {
			var p *pending
			select {
			case next, ok := <-work:
				if !ok {
					return
				}
				p = next
			case <-ctx.Done():
				return
			}
			c := &copying{p: p, done: make(chan struct{})}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer close(c.done)
				c.res, c.err = st.CopyArtisans(ctx, op.Chamber, p.rows, b.w, b.resumed, op.DryRun)
			}()
			// Every copy started is queued, even after a failure: the
			// loop below sees each one end.
			queue <- c
		}
	}()
	var failed error
	for c := range queue {
		<-c.done
		if failed != nil {
			// A batch copied beside the one that failed: if it committed,
			// its rows are stored (each with its event and audit record),
			// so the failed operation counts them too.
			if c.err == nil {
				b.count(c.p)
				_ = b.flush(ctx, c) // without an error, flush only counts
			}
			continue
		}
		if err := b.apply(ctx, c.p, c); err != nil {
			failed = err
			cancel()
		}
	}
	if failed != nil {
		return failed
	}
	// The dispatcher stops taking batches when ctx ends (a shutdown).
	return ctx.Err()
}

// copying is a batch whose set-based copy runs: done is closed when res
// and err are set.
type copying struct {
	p    *pending
	done chan struct{}
	res  *bulkimport.Copied
	err  error
}

// apply counts p into the operation, writes its rows (flush; c is their
// copy, already made, on the set-based path) and saves the progress.
func (b *batch) apply(ctx context.Context, p *pending, c *copying) error {
	b.count(p)
	if err := b.flush(ctx, c); err != nil {
		return err
	}
	return b.im.store.SaveProgress(ctx, b.op)
}

// count adds p's read and refused rows to the operation and makes its
// accepted rows the batch's.
func (b *batch) count(p *pending) {
	op := b.op
	op.Summary.Read += p.read
	op.Summary.Rejected += p.rejected
	op.Problems = append(op.Problems, p.problems...)
	b.rows, b.lines = p.rows, p.lines
}

func (b *batch) reject(line int, err error) error {
	probs, ok := b.layout.Problems(line, err)
	if !ok {
		return fmt.Errorf("row %d: %w", line, err)
	}
	b.op.Problems = append(b.op.Problems, probs...)
	b.op.Summary.Rejected++
	return nil
}

func (b *batch) flush(ctx context.Context, c *copying) error {
	defer func() { b.rows, b.lines = b.rows[:0], b.lines[:0] }()
	if len(b.rows) == 0 {
		return nil
	}
	st, op := b.im.store, b.op
	res, err := (*bulkimport.Copied)(nil), bulkimport.ErrNoCopy
	if c != nil {
		res, err = c.res, c.err
	}
	switch {
	case err == nil:
		for i, a := range b.rows {
			if refused := res.Refused[a.ID]; refused != nil {
				if err := b.reject(b.lines[i], refused); err != nil {
					return err
				}
				continue
			}
			op.Summary.Accepted++
		}
		return nil
	case errors.Is(err, bulkimport.ErrNoCopy), fault.Is[*fault.AlreadyExistsError](err):
		// No set-based path (SQLite), or a CNIE taken since the check:
		// the row path below refuses only that row.
	default:
		return err
	}
	if b.resumed && !op.DryRun {
		// A batch committed before the restart is found by its row ids.
		ids := make([]string, len(b.rows))
		for i, a := range b.rows {
			ids[i] = a.ID
		}
		done, err := st.ExistingRecords(ctx, bulkimport.Artisans, op.Chamber, ids)
		if err != nil {
			return err
		}
		if len(done) > 0 {
			b.keep(func(a *artisan.Artisan) bool {
				if done[a.ID] {
					op.Summary.Accepted++
				}
				return !done[a.ID]
			})
		}
	}
	cnies := make([]string, len(b.rows))
	for i, a := range b.rows {
		cnies[i] = a.CNIE
	}
	held, err := st.HeldCNIEs(ctx, cnies)
	if err != nil {
		return err
	}
	var rejectErr error
	if len(held) > 0 {
		lines := map[string]int{}
		for i, a := range b.rows {
			lines[a.ID] = b.lines[i]
		}
		b.keep(func(a *artisan.Artisan) bool {
			if !held[a.CNIE] {
				return true
			}
			if err := b.reject(lines[a.ID], st.CheckCNIE(ctx, op.Chamber, a.CNIE)); err != nil && rejectErr == nil {
				rejectErr = err
			}
			return false
		})
	}
	if rejectErr != nil || op.DryRun {
		op.Summary.Accepted += len(b.rows)
		return rejectErr
	}
	err = st.CreateArtisans(ctx, b.rows, b.w)
	if err == nil {
		op.Summary.Accepted += len(b.rows)
		return nil
	}
	if !fault.Is[*fault.AlreadyExistsError](err) {
		return err
	}
	// A CNIE taken between the check and the insert: row by row, so only
	// that row is refused.
	for i, a := range b.rows {
		if _, err := b.im.r.repos.Artisans.Create(ctx, a, b.w); err != nil {
			if err := b.reject(b.lines[i], err); err != nil {
				return err
			}
			continue
		}
		op.Summary.Accepted++
	}
	return nil
}

// keep retains the rows (and their lines) for which fn is true.
func (b *batch) keep(fn func(*artisan.Artisan) bool) {
	rows, lines := b.rows[:0], b.lines[:0]
	for i, a := range b.rows {
		if fn(a) {
			rows, lines = append(rows, a), append(lines, b.lines[i])
		}
	}
	b.rows, b.lines = rows, lines
}

// activityCache answers place.Check's activity question once per code per
// import instead of once per row.
type activityCache struct {
	acts place.Activities
	seen map[string]bool
}

func (c *activityCache) Usable(ctx context.Context, code string) (bool, error) {
	if ok, hit := c.seen[code]; hit {
		return ok, nil
	}
	ok, err := c.acts.Usable(ctx, code)
	if err != nil {
		return false, err
	}
	c.seen[code] = ok
	return ok, nil
}

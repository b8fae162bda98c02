package app

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/bulkimport"
	"github.com/hirfa/hirfa/services/registry/internal/domain/place"
	"github.com/hirfa/hirfa/services/registry/internal/domain/sheet"
)

// MaxImportBytes is the largest file an import takes (about 150,000 artisan
// rows of CSV): the file is kept with the operation until it is done.
const MaxImportBytes = 32 << 20

// progressEvery is how many rows pass between two progress writes.
const progressEvery = 500

// Importer runs imports in the background and resumes those a restart
// interrupted. Its zero value is not usable: Registry.Imports gives it.
type Importer struct {
	r     *Registry
	store bulkimport.Store
	bg    context.Context
	wg    sync.WaitGroup
}

// EnableImports gives the registry its import store; runs started later
// live as long as bg.
func (r *Registry) EnableImports(bg context.Context, s bulkimport.Store) {
	r.imports = &Importer{r: r, store: s, bg: bg}
}

// ImportRequest is what a caller uploads.
type ImportRequest struct {
	Chamber, Kind, Encoding string
	File                    []byte
	DryRun                  bool
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
	tbl, _, err := r.imports.open(ctx, req.Chamber, req.Kind, req.Encoding, req.File)
	if err != nil {
		return nil, err
	}
	op := &bulkimport.Operation{Kind: req.Kind, DryRun: req.DryRun, Encoding: tbl.Encoding, File: req.File, State: bulkimport.Running,
		Summary: bulkimport.Summary{Total: len(tbl.Rows)}, Actor: r.access.Actor(ctx), Method: m.Method, Attempts: 1}
	op.Chamber, op.ID = req.Chamber, resource.NewID()
	if err := r.imports.store.CreateOperation(ctx, op); err != nil {
		return nil, err
	}
	r.imports.start(op)
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

// GetImportMapping returns the chamber's saved mapping of kind (an empty
// one, meaning the default headers, when none was saved).
func (r *Registry) GetImportMapping(ctx context.Context, chamber, kind string) (*bulkimport.Mapping, error) {
	if err := r.access.Read(ctx, chamber, "chambers/"+chamber); err != nil {
		return nil, err
	}
	if _, ok := bulkimport.Columns(kind); !ok {
		return nil, fault.Invalid("kind", bulkimport.RuleKind, "imports take %s, got %q", bulkimport.Artisans, kind)
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
		r.imports.start(op)
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

func (im *Importer) open(ctx context.Context, chamber, kind, encoding string, file []byte) (*sheet.Table, *bulkimport.Mapping, error) {
	if _, ok := bulkimport.Columns(kind); !ok {
		return nil, nil, fault.Invalid("kind", bulkimport.RuleKind, "imports take %s, got %q", bulkimport.Artisans, kind)
	}
	tbl, err := sheet.Read(file, encoding, MaxImportBytes)
	if err != nil {
		return nil, nil, err
	}
	saved, err := im.store.GetMapping(ctx, chamber, kind)
	if err != nil {
		return nil, nil, err
	}
	if _, err := bulkimport.Resolve(kind, tbl.Header, saved); err != nil {
		return nil, nil, err
	}
	return tbl, saved, nil
}

func (im *Importer) start(op *bulkimport.Operation) {
	im.wg.Add(1)
	go func() {
		defer im.wg.Done()
		if err := im.run(im.bg, op); err != nil {
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
func (im *Importer) run(ctx context.Context, op *bulkimport.Operation) error {
	r := im.r
	tbl, saved, err := im.open(ctx, op.Chamber, op.Kind, op.Encoding, op.File)
	if err != nil {
		return err
	}
	layout, err := bulkimport.Resolve(op.Kind, tbl.Header, saved)
	if err != nil {
		return err
	}
	resumed := op.Attempts > 1
	op.Summary, op.Problems = bulkimport.Summary{Total: len(tbl.Rows)}, nil
	acts := &activityCache{acts: r.repos.Activities, seen: map[string]bool{}}
	cnies := bulkimport.Duplicates{}
	write := Mutation{Method: op.Method}.Write(op.Actor, "Created")
	for i, row := range tbl.Rows {
		if err := ctx.Err(); err != nil {
			return err
		}
		line := tbl.Line(i)
		err := im.artisanRow(ctx, op, layout, row, line, acts, cnies, resumed, write)
		op.Summary.Read++
		if err != nil {
			probs, ok := layout.Problems(line, err)
			if !ok {
				return fmt.Errorf("row %d: %w", line, err)
			}
			op.Problems = append(op.Problems, probs...)
			op.Summary.Rejected++
		} else {
			op.Summary.Accepted++
		}
		if op.Summary.Read%progressEvery == 0 {
			if err := im.store.SaveProgress(ctx, op); err != nil {
				return err
			}
		}
	}
	op.State = bulkimport.Succeeded
	now := r.now()
	op.DoneTime = &now
	return im.store.SaveProgress(ctx, op)
}

func (im *Importer) artisanRow(ctx context.Context, op *bulkimport.Operation, layout *bulkimport.Layout, row []string, line int,
	acts *activityCache, cnies bulkimport.Duplicates, resumed bool, w change.Write) error {
	r := im.r
	a, err := layout.Artisan(row)
	if a == nil {
		return err
	}
	id := op.RowID(line)
	checks := fault.Join(err, r.newArtisan(ctx, op.Chamber, id, a, acts), cnies.Check(line, "artisan.cnie", a.CNIE))
	if checks != nil {
		return checks
	}
	if op.DryRun {
		// The fault a create would give for a CNIE already held.
		return im.store.CheckCNIE(ctx, op.Chamber, a.CNIE)
	}
	if resumed {
		if _, err := r.repos.Artisans.Get(ctx, resource.Name{Chamber: op.Chamber, Collection: artisan.Collection, ID: id}); err == nil {
			return nil // applied before the restart
		} else if !fault.Is[*fault.NotFoundError](err) {
			return err
		}
	}
	_, err = r.repos.Artisans.Create(ctx, a, w)
	return err
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

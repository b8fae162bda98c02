package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/textnorm"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/bulkimport"
	"github.com/hirfa/hirfa/services/registry/internal/domain/enterprise"
)

// recordsPerSave is how often the row path of the organisation registers
// saves its progress: their files are hundreds of rows, each row its own
// transaction.
const recordsPerSave = 50

// record is one accepted row of an organisation register: the key a second
// row of the file must not repeat, and how to store it (create returns the
// names the stored record holds for the name check, if any). held, when
// set, answers on a dry run what the create's unique index would (an ICE a
// live enterprise holds).
type record struct {
	field, key string
	create     func(ctx context.Context, w change.Write) ([]HeldName, error)
	held       func(ctx context.Context) error
}

// runRecords takes the rows of a cooperatives, associations or enterprises
// file one by one. Each row is checked by the same function as the
// register's single-record create, and (unless a dry run) stored through
// its repository, which writes the record with its outbox event and audit
// record in one transaction. A resumed run counts the rows the earlier run
// stored (found by their row ids) as accepted without writing them again.
//
// The names the stored cooperatives hold are handed to this replica's name
// check (as a single create hands its own) with each progress save and
// when the run ends, however it ends: the replica's next check conflicts
// with them without waiting for its background read of the database.
func (im *Importer) runRecords(ctx context.Context, op *bulkimport.Operation, file *openFile) error {
	tbl, layout := file.tbl, file.layout
	var stored []HeldName // committed since the last hand-over
	handOver := func() {
		im.r.heldNamesWritten(stored)
		stored = nil
	}
	defer handOver()
	w := Mutation{Method: op.Method}.Write(op.Actor, "Created")
	acts := &activityCache{acts: im.r.repos.Activities, seen: map[string]bool{}}
	seen := bulkimport.Duplicates{}
	done := map[string]bool{}
	if op.Attempts > 1 && !op.DryRun {
		ids := make([]string, len(tbl.Rows))
		for i := range tbl.Rows {
			ids[i] = op.RowID(tbl.Line(i))
		}
		var err error
		if done, err = im.store.ExistingRecords(ctx, op.Kind, op.Chamber, ids); err != nil {
			return err
		}
	}
	for i, row := range tbl.Rows {
		line := tbl.Line(i)
		op.Summary.Read++
		rec, err := im.recordRow(ctx, op, layout, row, line, acts)
		if rec != nil {
			err = fault.Join(err, seen.Check(line, rec.field, rec.key))
		}
		switch {
		case err != nil, done[op.RowID(line)]:
		case !op.DryRun:
			var held []HeldName
			held, err = rec.create(ctx, w)
			stored = append(stored, held...)
		case rec.held != nil:
			err = rec.held(ctx)
		}
		if err != nil {
			probs, ok := layout.Problems(line, err)
			if !ok {
				return fmt.Errorf("row %d: %w", line, err)
			}
			op.Problems, op.Summary.Rejected = append(op.Problems, probs...), op.Summary.Rejected+1
		} else {
			op.Summary.Accepted++
		}
		if op.Summary.Read%recordsPerSave == 0 {
			handOver()
			if err := im.store.SaveProgress(ctx, op); err != nil {
				return err
			}
		}
	}
	return nil
}

// recordRow builds the row's record and applies every rule of a new record
// of its register. A cell that could not be read is reported once (see
// withoutFieldsOf).
func (im *Importer) recordRow(ctx context.Context, op *bulkimport.Operation, layout *bulkimport.Layout, row []string, line int, acts *activityCache) (*record, error) {
	r, id := im.r, op.RowID(line)
	switch op.Kind {
	case bulkimport.Cooperatives:
		c, cellErr := layout.Cooperative(row)
		if c == nil {
			return nil, cellErr
		}
		rules := r.newCooperative(ctx, op.Chamber, id, c, acts)
		return &record{field: "cooperative.display_name", key: nameKey(c.DisplayName.AR, c.DisplayName.FR), create: func(ctx context.Context, w change.Write) ([]HeldName, error) {
			out, err := r.repos.Cooperatives.Create(ctx, c, w)
			if err != nil {
				return nil, err
			}
			return CooperativeHeld(out), nil
		}}, fault.Join(cellErr, withoutFieldsOf(rules, cellErr))
	case bulkimport.Associations:
		a, cellErr := layout.Association(row)
		if a == nil {
			return nil, cellErr
		}
		rules := r.newAssociation(op.Chamber, id, a)
		return &record{field: "association.display_name", key: nameKey(a.DisplayName.AR, a.DisplayName.FR), create: func(ctx context.Context, w change.Write) ([]HeldName, error) {
			_, err := r.repos.Associations.Create(ctx, a, w)
			return nil, err
		}}, fault.Join(cellErr, withoutFieldsOf(rules, cellErr))
	case bulkimport.Enterprises:
		e, cellErr := layout.Enterprise(row)
		if e == nil {
			return nil, cellErr
		}
		if err := im.supervisor(ctx, e); err != nil {
			return nil, err
		}
		// An import is written by the chamber's own staff: the supervisor
		// must be one of its artisans.
		sameChamber := func(n resource.Name) error {
			if n.Chamber != op.Chamber {
				return fault.NotFound(n.String())
			}
			return nil
		}
		rules := r.newEnterprise(ctx, op.Chamber, id, e, acts, sameChamber)
		return &record{field: "enterprise.ice", key: e.ICE, create: func(ctx context.Context, w change.Write) ([]HeldName, error) {
			_, err := r.repos.Enterprises.Create(ctx, e, w)
			return nil, err
		}, held: func(ctx context.Context) error { return im.store.CheckICE(ctx, e.ICE) }}, fault.Join(cellErr, withoutFieldsOf(rules, cellErr))
	}
	return nil, fault.Invalid("kind", bulkimport.RuleKind, "imports take %s, got %q", bulkimport.Kinds, op.Kind)
}

// supervisor resolves the supervising artisan cell: a spreadsheet names
// the artisan by CNIE, which becomes the resource name of the live artisan
// holding it; a resource name is kept as written.
func (im *Importer) supervisor(ctx context.Context, e *enterprise.Enterprise) error {
	cell := e.SupervisingArtisan
	if cell == "" || strings.HasPrefix(cell, "chambers/") {
		return nil
	}
	cnie := strings.ToUpper(strings.ReplaceAll(cell, " ", ""))
	n, err := im.store.ArtisanByCNIE(ctx, cnie)
	var nf *fault.NotFoundError
	if errors.As(err, &nf) {
		return fault.Invalid("enterprise.supervising_artisan", enterprise.RuleSupervisingArtisanUnknown, "%s is not a registered artisan", cell)
	}
	if err != nil {
		return err
	}
	e.SupervisingArtisan = resource.Name{Chamber: n.Chamber, Collection: artisan.Collection, ID: n.ID}.String()
	return nil
}

// nameKey is the duplicate key of an organisation: its folded names, so
// one written twice in a file is found whatever its spelling of case,
// accents or hamza.
func nameKey(ar, fr string) string {
	ar, fr = textnorm.Fold(ar), textnorm.Fold(fr)
	if ar == "" && fr == "" {
		return ""
	}
	return ar + "|" + fr
}

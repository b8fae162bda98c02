package bulkimport

import (
	"context"
	"errors"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
)

// Collection is the collection segment of operation names
// (chambers/{chamber}/importOperations/{id}).
const Collection = "importOperations"

// MappingCollection is the collection segment of mapping names
// (chambers/{chamber}/importMappings/{kind}).
const MappingCollection = "importMappings"

// ReasonRunning: the operation has not finished (its report is not ready).
const ReasonRunning = "IMPORT_RUNNING"

// States of an import operation.
const (
	Running   = "RUNNING"
	Succeeded = "SUCCEEDED"
	Failed    = "FAILED"
)

// Operation is one import: the file it was given (kept until it is done, so
// an import interrupted by a restart is run again from its file), its
// progress and its per-row report.
type Operation struct {
	resource.Meta
	Kind     string
	FileName string // as uploaded, for the history
	DryRun   bool
	Encoding string
	File     []byte // given to CreateOperation, read back by Unfinished only
	State    string
	Summary  Summary
	Problems []Problem
	Error    string // why a FAILED operation stopped
	Actor    change.Actor
	Method   string
	// Attempts counts the runs: more than one means the import was resumed
	// after a restart.
	Attempts int
	// RowIDWidth is the width RowID pads a row number to (RowIDWidth for an
	// operation created now; 0 for one created before row ids were padded,
	// whose resumed run must find the rows its first run stored).
	RowIDWidth int
	DoneTime   *time.Time
}

// RowIDWidth is the width new operations pad row numbers to: five base-36
// digits count 60 million rows, far beyond the largest file taken, so the
// ids of one import sort in row order. Unpadded, row 36 ("r10") sorted
// between rows 1 and 2: each batch's ids landed among the earlier ones in
// the register's primary key instead of after them, which on PostgreSQL
// grew that index by three quarters and tripled its cost at 3 million rows.
const RowIDWidth = 5

// Name is the operation's resource name.
func (o *Operation) Name() string {
	return resource.Name{Chamber: o.Chamber, Collection: Collection, ID: o.ID}.String()
}

// Done reports whether the operation has finished.
func (o *Operation) Done() bool { return o.State != Running }

// RowID is the id the record of row gets: derived from the operation, so a
// run resumed after a restart recognises the rows it already applied.
func (o *Operation) RowID(row int) string {
	return o.ID + "r" + itoa36(row, o.RowIDWidth)
}

// itoa36 writes n in base 36, padded with zeros to width digits.
func itoa36(n, width int) string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	var b [16]byte
	i := len(b)
	for n > 0 || i == len(b) || len(b)-i < width {
		i--
		b[i] = digits[n%36]
		n /= 36
	}
	return string(b[i:])
}

// Store keeps operations and mappings.
type Store interface {
	CreateOperation(ctx context.Context, o *Operation) error
	// SaveProgress writes the summary, problems, state and error of o.
	SaveProgress(ctx context.Context, o *Operation) error
	GetOperation(ctx context.Context, n resource.Name) (*Operation, error)
	// Unfinished returns the operations still RUNNING (interrupted by a
	// restart when called at start), counting one more attempt on each.
	Unfinished(ctx context.Context) ([]*Operation, error)
	GetMapping(ctx context.Context, chamber, kind string) (*Mapping, error)
	PutMapping(ctx context.Context, m *Mapping) error
	// CheckCNIE returns the fault creating an artisan of chamber writer
	// with cnie would give (AlreadyExists when a live record holds it).
	CheckCNIE(ctx context.Context, writer, cnie string) error
	// HeldCNIEs returns those of cnies a live artisan holds.
	HeldCNIEs(ctx context.Context, cnies []string) (map[string]bool, error)
	// ListOperations returns a page of chamber's operations (every
	// chamber's for resource.Wildcard), newest first, without their files
	// and reports, and the token of the next page ("" on the last).
	ListOperations(ctx context.Context, chamber string, pageSize int, pageToken string) ([]*Operation, string, error)
	// ExistingRecords returns those of ids stored in chamber's register of
	// kind (a resumed import's rows stored by the earlier run).
	ExistingRecords(ctx context.Context, kind, chamber string, ids []string) (map[string]bool, error)
	// CheckICE returns the fault creating an enterprise with ice would give
	// (AlreadyExists when a live enterprise holds it).
	CheckICE(ctx context.Context, ice string) error
	// ArtisanByCNIE returns the name of the live artisan holding cnie, or
	// *fault.NotFoundError.
	ArtisanByCNIE(ctx context.Context, cnie string) (resource.Name, error)
	// CreateArtisans stores new artisans, each with its outbox event and
	// audit record, in one transaction; a held CNIE fails them all with
	// *fault.AlreadyExistsError.
	CreateArtisans(ctx context.Context, as []*artisan.Artisan, w change.Write) error
	// CopyArtisans is the set-based path of a batch of accepted rows (ids
	// set, every rule that needs no database already checked): in one
	// transaction it finds the rows an earlier run stored (when resumed),
	// refuses those whose CNIE a live record holds (the fault Create would
	// give) and, unless dryRun, stores the rest each with its outbox event
	// and audit record. ErrNoCopy: the store has no such path (the caller
	// takes the row path); *fault.AlreadyExistsError: a CNIE was taken
	// concurrently and nothing was written.
	CopyArtisans(ctx context.Context, chamber string, as []*artisan.Artisan, w change.Write, resumed, dryRun bool) (*Copied, error)
	// Copies reports whether CopyArtisans is available (batches are then
	// made larger).
	Copies() bool
	// SettleArtisans is called once an import's artisans are all written:
	// it finishes what the batches deferred for speed (on PostgreSQL, the
	// name trigrams they left pending in the index, which every search
	// would otherwise read).
	SettleArtisans(ctx context.Context) error
}

// ErrNoCopy: the store takes batches row by row only (SQLite).
var ErrNoCopy = errors.New("bulk import: no set-based path on this store")

// Copied is what CopyArtisans did with a batch, by record id: the rows an
// earlier run had stored, and the rows refused; every other row was stored
// (or, in a dry run, would be).
type Copied struct {
	Done    map[string]bool
	Refused map[string]error
}

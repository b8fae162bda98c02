package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/textnorm"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
)

// Artisans is the artisan repository.
type Artisans struct {
	store.Repo[*artisan.Artisan]
	db *store.DB
}

var _ artisan.Repository = (*Artisans)(nil)

// NewArtisans returns the artisan repository on db.
func NewArtisans(db *store.DB, p func(*artisan.Artisan) proto.Message) *Artisans {
	str := func(f func(a *artisan.Artisan) string) func(*artisan.Artisan) any {
		return func(a *artisan.Artisan) any { return f(a) }
	}
	t := store.NewTable(db, store.Spec[*artisan.Artisan]{
		Table: "artisans", Collection: artisan.Collection, Kind: "Artisan", Source: Source, EventType: EventType,
		New:     func() *artisan.Artisan { return &artisan.Artisan{} },
		Payload: p,
		Record:  artisanRecord,
		Columns: append([]store.Column[*artisan.Artisan]{
			{Name: "state", Value: str(func(a *artisan.Artisan) string { return string(a.State) })},
			{Name: "province", Value: str(func(a *artisan.Artisan) string { return a.Province })},
			{Name: "activity", Value: str(func(a *artisan.Artisan) string { return a.Activity })},
			{Name: "category", Value: str(func(a *artisan.Artisan) string { return string(a.Category) })},
			{Name: "gender", Value: str(func(a *artisan.Artisan) string { return string(a.Gender) })},
			{Name: "cnie", Value: str(func(a *artisan.Artisan) string { return a.CNIE })},
			{Name: "nia", Value: func(a *artisan.Artisan) any {
				if a.NIA == "" {
					return nil // NULLs do not collide in the unique index
				}
				return a.NIA
			}},
		}, nameColumns(db, displayKey)...),
		Filter: filter.NewSchema(append(searchFields(db, "artisans"),
			filter.Field{Name: "state", Column: "state", Type: filter.Enum, Values: []string{"APPLICANT", "REGISTERED", "SUSPENDED", "STRUCK_OFF", "MERGED"}},
			filter.Field{Name: "activity", Column: "activity", Type: filter.String},
			filter.Field{Name: "category", Column: "category", Type: filter.Enum, Values: []string{"GRADUATE", "EXPERIENCED", "MASTER"}},
			filter.Field{Name: "gender", Column: "gender", Type: filter.Enum, Values: []string{"FEMALE", "MALE"}},
			filter.Field{Name: "nia", Column: "nia", Type: filter.String},
		)...),
		Order: order(),
	})
	return &Artisans{Repo: store.NewRepo(t), db: db}
}

// displayKey is the folded key of the artisan's names that lists order by
// and the tolerant search matches.
func displayKey(a *artisan.Artisan) string {
	return textnorm.Key(a.GivenNameLatin, a.FamilyNameLatin, a.GivenNameAR, a.FamilyNameAR)
}

// Create stores a new artisan; a live CNIE held by another record becomes an
// AlreadyExists fault naming it.
func (r *Artisans) Create(ctx context.Context, a *artisan.Artisan, w change.Write) (*artisan.Artisan, error) {
	out, err := r.Repo.Create(ctx, a, w)
	if store.IsUnique(err, "artisans_live_cnie", "artisans.cnie") {
		return nil, r.duplicateCNIE(ctx, a.Chamber, a.CNIE, err)
	}
	return out, err
}

// Update maps a CNIE collision (a changed CNIE) the same way as Create.
func (r *Artisans) Update(ctx context.Context, n resource.Name, w change.Write, fn func(*artisan.Artisan) error) (*artisan.Artisan, error) {
	var cnie string
	out, err := r.Repo.Update(ctx, n, w, func(a *artisan.Artisan) error {
		if err := fn(a); err != nil {
			return err
		}
		cnie = a.CNIE
		return nil
	})
	if store.IsUnique(err, "artisans_live_cnie", "artisans.cnie") {
		return nil, r.duplicateCNIE(ctx, n.Chamber, cnie, err)
	}
	return out, err
}

// liveCNIE is the predicate of the unique index artisans_live_cnie
// (migration 0008): the records whose CNIE blocks another's. A query for a
// CNIE's live holder repeats it word for word, so it reads that index; a
// weaker predicate (state <> 'STRUCK_OFF') cannot use the partial index and
// scans the register, and counts a MERGED record, which Create does not.
var liveCNIE = "state NOT IN (" + store.Lit(artisan.StruckOff) + ", " + store.Lit(artisan.Merged) + ")"

// duplicateCNIE names the record holding cnie only when it is in the
// writer's own chamber: naming another chamber's record would let any clerk
// find out who a guessed CNIE belongs to (and then look the record up). For
// another chamber it says which chamber, so the clerk knows whom to call.
func (r *Artisans) duplicateCNIE(ctx context.Context, writer, cnie string, cause error) error {
	var chamber, id string
	err := r.db.SQL.QueryRowContext(ctx, r.db.Rebind("SELECT chamber, id FROM artisans WHERE cnie = ? AND "+liveCNIE), cnie).Scan(&chamber, &id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("find duplicate CNIE: %w (after %v)", err, cause)
	}
	return cnieHeld(writer, chamber, id)
}

// cnieHeld is the fault of a CNIE held by the live record chamber/id ("" when
// it is gone), as seen by a writer of chamber writer.
func cnieHeld(writer, chamber, id string) error {
	dup := &fault.AlreadyExistsError{Reason: artisan.ReasonCNIEAlreadyRegistered, Field: "artisan.cnie",
		Msg: "an artisan with this CNIE is already in a register"}
	switch {
	case id == "":
		// Struck off or deleted between the insert and this read.
	case chamber == writer:
		dup.Existing = resource.Name{Chamber: chamber, Collection: artisan.Collection, ID: id}.String()
		dup.Msg = "an artisan with this CNIE is already in this chamber's register (" + dup.Existing + ")"
	default:
		dup.Msg = "an artisan with this CNIE is registered in another chamber (" + chamber + ")"
	}
	return dup
}

// NextNIASequence increments the chamber's sequence for the year in its own
// transaction, so a number is never handed out twice.
func (r *Artisans) NextNIASequence(ctx context.Context, chamber string, year int) (int64, error) {
	var last int64
	err := r.db.Tx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, r.db.Rebind(`INSERT INTO nia_sequences (chamber, year, last) VALUES (?, ?, 1)
			ON CONFLICT (chamber, year) DO UPDATE SET last = nia_sequences.last + 1 RETURNING last`), chamber, year).Scan(&last)
	})
	return last, wrapf("next NIA", err)
}

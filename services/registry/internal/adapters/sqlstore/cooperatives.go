package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
	"github.com/hirfa/hirfa/services/registry/internal/domain/namerequest"
)

// Cooperatives is the cooperative repository.
type Cooperatives struct {
	store.Repo[*cooperative.Cooperative]
}

var _ cooperative.Repository = (*Cooperatives)(nil)

// NewCooperatives returns the cooperative repository on db.
func NewCooperatives(db *store.DB, p func(*cooperative.Cooperative) proto.Message) *Cooperatives {
	type C = *cooperative.Cooperative
	t := store.NewTable(db, store.Spec[C]{
		Table: "cooperatives", Collection: cooperative.Collection, Kind: "Cooperative", Source: Source, EventType: EventType,
		New:     func() C { return &cooperative.Cooperative{} },
		Payload: p,
		Record:  cooperativeRecord,
		Columns: append([]store.Column[C]{
			{Name: "state", Value: func(c C) any { return string(c.State) }},
			{Name: "province", Value: func(c C) any { return c.Province }},
			{Name: "activity", Value: func(c C) any { return c.Activity }},
			{Name: "members", Value: func(c C) any { return int64(c.Members()) }},
			{Name: "capital", Value: func(c C) any { return c.CapitalCentimes }},
			{Name: "name_certificate", Value: func(c C) any {
				if c.NameCertificate == "" {
					return nil // not registered yet, or registered before certificates
				}
				return c.NameCertificate
			}},
		}, nameColumns(db, func(c C) string { return bodyKey(c.DisplayName) })...),
		Filter: filter.NewSchema(append(searchFields(db, "cooperatives"),
			filter.Field{Name: "state", Column: "state", Type: filter.Enum, Values: []string{"FORMING", "REGISTERED", "ACTIVE", "DORMANT", "DISSOLVED", "IN_LIQUIDATION"}},
			filter.Field{Name: "activity", Column: "activity", Type: filter.String},
			filter.Field{Name: "members", Column: "members", Type: filter.Int},
			filter.Field{Name: "capital_centimes", Column: "capital", Type: filter.Int},
		)...),
		Order: order(),
	})
	return &Cooperatives{store.NewRepo(t)}
}

// Create stores a new cooperative.
func (r *Cooperatives) Create(ctx context.Context, c *cooperative.Cooperative, w change.Write) (*cooperative.Cooperative, error) {
	return r.Repo.Create(ctx, c, w)
}

// Update maps a name certificate another cooperative already holds (two
// registrations racing for one certificate) to NAME_CERTIFICATE_USED.
func (r *Cooperatives) Update(ctx context.Context, n resource.Name, w change.Write, fn func(*cooperative.Cooperative) error) (*cooperative.Cooperative, error) {
	var last *cooperative.Cooperative
	out, err := r.Repo.Update(ctx, n, w, func(c *cooperative.Cooperative) error {
		last = c
		return fn(c)
	})
	if err != nil {
		number := ""
		if last != nil {
			number = last.NameCertificate
		}
		return nil, certificateUsed(err, number)
	}
	return out, nil
}

// releaseKeep is how long a deleted cooperative's release stays in
// cooperative_name_releases: far longer than a name check's read of changes
// looks back (app's overlap, 10 s, and the second or so since its last
// read) and than its full rebuild's period (5 minutes), after which a
// replica that read nothing for so long reads every name anew anyway.
const releaseKeep = time.Hour

// Delete removes the cooperative and, in the same transaction, records the
// release of its name (cooperative_name_releases, at the delete's time and
// revision) for the name check's reads of changes on every replica
// (CooperativeNames), pruning the releases older than releaseKeep.
func (r *Cooperatives) Delete(ctx context.Context, n resource.Name, w change.Write, fn func(*cooperative.Cooperative) error) error {
	db := r.T.DB()
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		c, err := r.T.DeleteIn(ctx, tx, n.Chamber, n.ID, w, fn)
		if err != nil {
			return err
		}
		at := store.Micros(c.UpdateTime)
		if _, err := tx.ExecContext(ctx, db.Rebind(`INSERT INTO cooperative_name_releases (chamber, id, revision, update_time) VALUES (?, ?, ?, ?)
			ON CONFLICT (chamber, id) DO UPDATE SET revision = excluded.revision, update_time = excluded.update_time`),
			n.Chamber, n.ID, c.Revision+1, at); err != nil {
			return fmt.Errorf("release the name of %s: %w", n, err)
		}
		if _, err := tx.ExecContext(ctx, db.Rebind("DELETE FROM cooperative_name_releases WHERE update_time < ?"), at-releaseKeep.Microseconds()); err != nil {
			return fmt.Errorf("prune name releases: %w", err)
		}
		return nil
	})
	return r.T.Wrap("delete", err)
}

// certificateUsed maps a name certificate another cooperative already holds
// (the unique index) to NAME_CERTIFICATE_USED; other errors stay as they are.
func certificateUsed(err error, number string) error {
	if store.IsUnique(err, "cooperatives_name_certificate", "cooperatives.name_certificate") {
		return &fault.PreconditionError{Reason: namerequest.ReasonCertificateUsed, Msg: "certificate " + number + " was already used",
			Meta: map[string]string{"certificate": number}}
	}
	return err
}

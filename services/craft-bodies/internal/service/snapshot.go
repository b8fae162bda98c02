package service

import (
	"context"
	"errors"
	"log/slog"

	"github.com/hirfa/hirfa/pkg/eventbus"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/ports/grpcport"
)

// Snapshot writes every current record to the outbox as a <Kind>Snapshot
// event carrying the public resource, as a change would (the `craft-bodies
// snapshot` command). The relays of the serving replicas publish them;
// consumers apply them as upserts, ignoring a state they already hold, so a
// Redis that lost its data or a projection added later is rebuilt from this
// service's own tables.
func Snapshot(ctx context.Context, cfg Config, log *slog.Logger) error {
	db, err := store.Open(ctx, cfg.Common.DatabaseURL)
	if err != nil {
		return err
	}
	n, err := eventbus.SnapshotAll(ctx, db, sqlstore.Source, sqlstore.SnapshotPages(
		sqlstore.NewProgrammes(db, grpcport.ProgrammeEvent),
		sqlstore.NewBodies(db, grpcport.BodyEvent),
		sqlstore.NewCensuses(db, grpcport.CensusEvent),
		sqlstore.NewAssemblies(db, grpcport.AssemblyEvent),
		sqlstore.NewOffices(db, grpcport.OfficeEvent),
		sqlstore.NewMeetings(db, grpcport.MeetingEvent),
	)...)
	log.InfoContext(ctx, "snapshot written to the outbox", slog.Int("events", n))
	return errors.Join(err, db.Close())
}

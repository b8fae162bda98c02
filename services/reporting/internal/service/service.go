// Package service is the reporting composition root: it reads the
// configuration, opens storage, applies migrations, hosts or joins the event
// bus, runs the consumer that applies the producers' events to the
// projections, wires the application to its adapters and serves gRPC until
// the context ends.
package service

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/hirfa/hirfa/pkg/eventbus"
	"github.com/hirfa/hirfa/pkg/render"
	"github.com/hirfa/hirfa/pkg/svckit"
	"github.com/hirfa/hirfa/pkg/tenancy"
	eventv1 "github.com/hirfa/hirfa/proto/gen/hirfa/event/v1"
	"github.com/hirfa/hirfa/services/reporting/internal/adapters/eventdecode"
	"github.com/hirfa/hirfa/services/reporting/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/reporting/internal/app"
	"github.com/hirfa/hirfa/services/reporting/internal/app/report"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/projection"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/stats"
	"github.com/hirfa/hirfa/services/reporting/internal/ports/grpcport"
)

// Service is a wired reporting service.
type Service struct {
	App      *app.Reporting
	Bus      *eventbus.Bus
	Consumer *eventbus.Consumer
	*svckit.Kit
}

// New opens storage and the bus, starts the event consumer and wires the
// service. Migrations run here when cfg.Migrate is "auto".
func New(ctx context.Context, cfg Config, log *slog.Logger) (*Service, error) {
	kit, err := svckit.Open(ctx, cfg.Common, log, sqlstore.Migrate)
	if err != nil {
		return nil, err
	}
	db, terr := kit.DB, kit.Territory
	// Reporting hosts the embedded default's bus (HIRFA_BUS_ADDR) when no
	// Redis is configured: it is the consumer, and the producers' relays
	// retry until it is up.
	bus, err := kit.OpenBus(true)
	if err != nil {
		return nil, kit.Fail(err)
	}
	dec := eventdecode.Decoder{RegionOf: func(p string) string { pr, _ := terr.Province(p); return pr.RegionID }}
	proj := sqlstore.NewProjector(db)
	consumer := &eventbus.Consumer{DB: db, Bus: bus, Group: Name, BatchHandler: ApplyBatch(dec, proj), Batch: ConsumerBatch, Log: log}
	for _, src := range cfg.Sources {
		consumer.Streams = append(consumer.Streams, bus.Stream(src))
	}
	kit.Go("event consumer", consumer.Run)

	st := sqlstore.NewStats(db)
	a := &app.Reporting{
		Stats: st, Targets: sqlstore.NewTargets(db), Territory: terr, Limits: stats.DefaultLimits,
		Reports: &report.Builder{Stats: st, Territory: terr, Limits: stats.DefaultLimits},
		Dead:    consumer, Access: tenancy.Guard{},
		Inventory: sqlstore.NewInventory(db), Vitality: cfg.Vitality, Counts: st,
	}
	browser, err := render.OptionalBrowser(cfg.Chromium, cfg.RenderTimeout, log, kit.OnClose, "PDF and PNG downloads")
	if err != nil {
		return nil, kit.Fail(err)
	}
	if browser != nil {
		a.Renderer = browser
	}

	srv, err := kit.NewServer(ctx, svckit.ServerOptions{ErrorDomain: grpcport.ErrorDomain, Policy: Policy, Catalog: grpcport.Catalog})
	if err != nil {
		return nil, kit.Fail(err)
	}
	grpcport.New(a, log).Register(srv.GRPC)
	return &Service{App: a, Bus: bus, Consumer: consumer, Kit: kit}, nil
}

// Apply is the one-event-at-a-time form of ApplyBatch (each event's
// statements of its own): the baseline BenchmarkProjectionLag prints
// beside the set-based handler the consumer runs.
func Apply(dec eventdecode.Decoder, proj *sqlstore.Projector) eventbus.Handler {
	return func(ctx context.Context, tx *sql.Tx, env *eventv1.Envelope) error {
		c, ok, err := decode(dec, env)
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		return proj.Apply(ctx, tx, c)
	}
}

// ConsumerBatch is the most events the consumer reads per stream and
// applies in one transaction. ApplyBatch's cost per batch is nearly fixed
// for registrants, so batches larger than the bus's default (256) let the
// consumer catch up after a stall instead of falling behind a steady
// 1,000 events/s (BenchmarkProjectionLag).
const ConsumerBatch = 1000

// ApplyBatch is the consumer's handler: the batch's payloads decoded into
// changes and written set-based into the projections in the consumer's
// transaction (the one that records every event of the batch as
// processed). One undecodable payload fails the batch as permanent: the
// consumer then applies the batch's events one by one (a slice of one),
// which applies the others and sends the poison event to the dead letters.
// Event types reporting does not read are skipped.
func ApplyBatch(dec eventdecode.Decoder, proj *sqlstore.Projector) eventbus.BatchHandler {
	return func(ctx context.Context, tx *sql.Tx, envs []*eventv1.Envelope) error {
		changes := make([]projection.Change, 0, len(envs))
		for _, env := range envs {
			c, ok, err := decode(dec, env)
			if err != nil {
				return err
			}
			if ok {
				changes = append(changes, c)
			}
		}
		return proj.ApplyBatch(ctx, tx, changes)
	}
}

// decode reads an envelope's payload into a projection change; ok is false
// for event types reporting does not read. An undecodable payload is a
// permanent error: retrying cannot help, it belongs in the dead letters.
func decode(dec eventdecode.Decoder, env *eventv1.Envelope) (projection.Change, bool, error) {
	c, ok, err := dec.Decode(env.GetType(), env.GetTime().AsTime(), env.GetData().GetValue())
	if err != nil {
		return c, false, eventbus.Permanent(fmt.Errorf("decode %s %s: %w", env.GetType(), env.GetId(), err))
	}
	if eventbus.IsSnapshot(env.GetType()) {
		c.Snapshot = env.GetSnapshotId()
	}
	return c, ok, nil
}

// Serve and Migrate are the service's serve and migrate commands (svcmain):
// Serve wires it with New and serves until ctx ends; Migrate applies the
// migrations and returns (for a Kubernetes hook Job).
var (
	Serve   = svckit.Serving(New)
	Migrate = svckit.Migrating[Config](sqlstore.Migrate)
)

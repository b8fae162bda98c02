// Package service is the events-and-fairs composition root: it reads the
// configuration, opens storage, applies migrations, connects to the
// registry, wires the application to its adapters and serves gRPC until
// the context ends.
package service

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/hirfa/hirfa/pkg/svckit"
	"github.com/hirfa/hirfa/pkg/tenancy"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/adapters/registryclient"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/app"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/ports/grpcport"
)

// Service is a wired events-and-fairs service.
type Service struct {
	App *app.EventsFairs
	*svckit.Kit
}

// New opens storage, connects to the registry and wires the service.
// Migrations run here when cfg.Migrate is "auto" (under PostgreSQL's
// advisory lock).
func New(ctx context.Context, cfg Config, log *slog.Logger) (*Service, error) {
	kit, err := svckit.Open(ctx, cfg.Common, log, sqlstore.Migrate)
	if err != nil {
		return nil, err
	}
	db, terr := kit.DB, kit.Territory
	reg, err := svckit.Dial(kit, "registry", registryclient.New, cfg.RegistryAddr, cfg.RegistryServerName, cfg.RegistryTimeout)
	if err != nil {
		return nil, kit.Fail(err)
	}
	repos := app.Repositories{
		Events: sqlstore.NewEvents(db, grpcport.EventEvent),
		Fairs: sqlstore.NewFairs(db, sqlstore.FairEvents{
			Booth: grpcport.BoothEvent, Exhibitor: grpcport.ExhibitorEvent, VisitorCount: grpcport.VisitorCountEvent,
		}),
		Registrations: sqlstore.NewRegistrations(db, grpcport.RegistrationEvent),
		Assemblies:    sqlstore.NewAssemblies(db, grpcport.AssemblyEvent),
		Items:         sqlstore.NewItems(db, grpcport.ItemEvent),
		Agreements:    sqlstore.NewAgreements(db, grpcport.AgreementEvent),
		Audit:         sqlstore.AuditLog{DB: db},
	}
	ef := app.New(repos, terr, reg, tenancy.Guard{}, sqlstore.NewLocks(db), app.Settings{Quorum: cfg.Quorum})
	if cfg.SeedDemo {
		if err := SeedDemo(ctx, ef, log); err != nil {
			return nil, kit.Fail(fmt.Errorf("seed demo data: %w", err))
		}
	}
	// The outbox relay (pkg/eventbus) publishes this service's events.
	if err := kit.StartRelay(Name); err != nil {
		return nil, kit.Fail(err)
	}
	srv, err := kit.NewServer(ctx, svckit.ServerOptions{ErrorDomain: grpcport.ErrorDomain, Policy: Policy, Catalog: grpcport.Catalog})
	if err != nil {
		return nil, kit.Fail(err)
	}
	grpcport.New(ef, log).Register(srv.GRPC)
	return &Service{App: ef, Kit: kit}, nil
}

// Serve and Migrate are the service's serve and migrate commands (svcmain):
// Serve wires it with New and serves until ctx ends; Migrate applies the
// migrations and returns (for a Kubernetes hook Job).
var (
	Serve   = svckit.Serving(New)
	Migrate = svckit.Migrating[Config](sqlstore.Migrate)
)

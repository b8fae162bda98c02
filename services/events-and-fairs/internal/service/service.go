// Package service is the events-and-fairs composition root: it reads the
// configuration, opens storage, applies migrations, connects to the
// registry, wires the application to its adapters and serves gRPC until
// the context ends.
package service

import (
	"context"
	"fmt"
	"log/slog"
	"net"

	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/svckit"
	"github.com/hirfa/hirfa/pkg/tenancy"
	"github.com/hirfa/hirfa/pkg/territory"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/adapters/registryclient"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/app"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/ports/grpcport"
)

// Service is a wired events-and-fairs service.
type Service struct {
	App    *app.EventsFairs
	DB     *store.DB
	Server *grpcserver.Server
	kit    *svckit.Kit
}

// New opens storage, connects to the registry and wires the service.
// Migrations run here when cfg.Migrate is "auto" (under PostgreSQL's
// advisory lock).
func New(ctx context.Context, cfg Config, log *slog.Logger) (*Service, error) {
	kit, err := svckit.Open(ctx, cfg.Common, log, sqlstore.Migrate)
	if err != nil {
		return nil, err
	}
	db := kit.DB
	terr, err := territory.Load()
	if err != nil {
		return nil, kit.Fail(err)
	}
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
	return &Service{App: ef, DB: db, Server: srv, kit: kit}, nil
}

// Serve serves on lis (or on the configured address when lis is nil) until
// ctx ends, then drains and closes the registry connection and storage.
func (s *Service) Serve(ctx context.Context, lis net.Listener) error { return s.kit.Serve(ctx, lis) }

// Close releases what New opened (for a service that is not served).
func (s *Service) Close() error { return s.kit.Close() }

// Serve wires the service and serves until ctx ends.
func Serve(ctx context.Context, cfg Config, log *slog.Logger) error {
	return svckit.ServeNew(ctx, New, cfg, log)
}

// Migrate applies the migrations and returns (the `events-and-fairs
// migrate` command, for a Kubernetes hook Job).
func Migrate(ctx context.Context, cfg Config) error {
	return svckit.Migrate(ctx, cfg.Common, sqlstore.Migrate)
}

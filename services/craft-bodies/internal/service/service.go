// Package service is the craft-bodies composition root: it reads the
// configuration, opens storage, applies migrations, connects to the
// registry and to events-and-fairs, wires the application to its adapters
// and serves gRPC until the context ends.
package service

import (
	"context"
	"log/slog"
	"net"
	"time"

	"github.com/hirfa/hirfa/pkg/svckit"
	"github.com/hirfa/hirfa/pkg/tenancy"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/adapters/eventsclient"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/adapters/registryclient"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/app"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/ports/grpcport"
)

// Service is a wired craft-bodies service.
type Service struct {
	App *app.CraftBodies
	*svckit.Kit
	log    *slog.Logger
	seeder *Seeder
	reg    app.Registry
}

// seederRegistry is the registry client the seed reads the register with.
func (s *Service) seederRegistry() app.Registry { return s.reg }

// New opens storage, connects to the registry and events-and-fairs and
// wires the service. Migrations run here when cfg.Migrate is "auto" (under
// PostgreSQL's advisory lock).
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
	ev, err := svckit.Dial(kit, "events-and-fairs", eventsclient.New, cfg.EventsAddr, cfg.EventsServerName, cfg.EventsTimeout)
	if err != nil {
		return nil, kit.Fail(err)
	}
	repos := app.Repositories{
		Programmes: sqlstore.NewProgrammes(db, grpcport.ProgrammeEvent),
		Bodies:     sqlstore.NewBodies(db, grpcport.BodyEvent),
		Censuses:   sqlstore.NewCensuses(db, grpcport.CensusEvent),
		Assemblies: sqlstore.NewAssemblies(db, grpcport.AssemblyEvent),
		Offices:    sqlstore.NewOffices(db, grpcport.OfficeEvent),
		Meetings:   sqlstore.NewMeetings(db, grpcport.MeetingEvent),
	}
	cb := app.New(repos, app.TerritoryPlaces{T: terr}, tenancy.Guard{}, reg, ev)
	// The outbox relay (pkg/eventbus) publishes this service's events on the
	// bus (stream hirfa:events:craft-bodies) when one is configured.
	if err := kit.StartRelay(Name); err != nil {
		return nil, kit.Fail(err)
	}
	srv, err := kit.NewServer(ctx, svckit.ServerOptions{ErrorDomain: grpcport.ErrorDomain, Policy: Policy, Catalog: grpcport.Catalog})
	if err != nil {
		return nil, kit.Fail(err)
	}
	grpcport.New(cb, log).Register(srv.GRPC)
	svc := &Service{App: cb, Kit: kit, log: log, reg: reg}
	switch {
	case cfg.SeedDemo && cfg.AuthJWKSURL != "":
		// The seed acts as the chambers' clerks with tokens of the local dev
		// issuer, which a real identity provider's peers refuse.
		log.WarnContext(ctx, "demo data not seeded: it needs the local dev issuer (HIRFA_AUTH_JWKS_URL is set)")
	case cfg.SeedDemo:
		svc.seeder = &Seeder{App: cb, Registry: reg, Token: DevTokens(cfg.DevKeyFile)}
	}
	return svc, nil
}

// Serve serves on lis (or on the configured address when lis is nil) until
// ctx ends, then drains and closes the clients and storage.
// With demo data configured, the seed runs alongside: it needs the registry
// and events-and-fairs, which start at the same time, so it retries until
// they answer (or the service stops).
func (s *Service) Serve(ctx context.Context, lis net.Listener) error {
	if s.seeder != nil {
		go s.seed(ctx)
	}
	return s.Kit.Serve(ctx, lis)
}

// seed runs the demo seed until it succeeds, retrying every second for at
// most two minutes.
func (s *Service) seed(ctx context.Context) {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		err := s.seeder.SeedDemo(ctx, s.log)
		if err == nil {
			return
		}
		if ctx.Err() != nil || time.Now().After(deadline) {
			s.log.ErrorContext(ctx, "demo data not seeded", slog.Any("error", err))
			return
		}
		s.log.InfoContext(ctx, "demo seed waits for the registry and events-and-fairs", slog.Any("error", err))
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

// Serve and Migrate are the service's serve and migrate commands (svcmain):
// Serve wires it with New and serves until ctx ends; Migrate applies the
// migrations and returns (for a Kubernetes hook Job).
var (
	Serve   = svckit.Serving(New)
	Migrate = svckit.Migrating[Config](sqlstore.Migrate)
)

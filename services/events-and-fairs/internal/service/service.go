// Package service is the events-and-fairs composition root: it reads the
// configuration, opens storage, applies migrations, connects to the
// registry, wires the application to its adapters and serves gRPC until
// the context ends.
package service

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/mtls"
	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/tenancy"
	"github.com/hirfa/hirfa/pkg/territory"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/adapters/registryclient"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/app"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/ports/grpcport"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
)

// Service is a wired events-and-fairs service.
type Service struct {
	App      *app.EventsFairs
	DB       *store.DB
	Server   *grpcserver.Server
	registry *registryclient.Client
	cfg      Config
	log      *slog.Logger
}

// New opens storage, connects to the registry and wires the service.
// Migrations run here when cfg.Migrate is "auto" (under PostgreSQL's
// advisory lock).
func New(ctx context.Context, cfg Config, log *slog.Logger) (_ *Service, err error) {
	var closers []func() error
	defer func() {
		if err != nil {
			for i := len(closers) - 1; i >= 0; i-- {
				_ = closers[i]()
			}
		}
	}()
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	closers = append(closers, db.Close)
	if cfg.Migrate == "auto" {
		if err := store.MigrateWith(ctx, db, cfg.DatabaseURL, cfg.MigrateDatabaseURL, sqlstore.Migrate); err != nil {
			return nil, err
		}
	}
	terr, err := territory.Load()
	if err != nil {
		return nil, err
	}
	var serverTLS, registryTLS *tls.Config
	if serverTLS, err = cfg.ServerTLS(); err != nil {
		return nil, err
	}
	if cfg.TLSCertFile != "" {
		if registryTLS, err = mtls.ClientConfig(cfg.TLSCertFile, cfg.TLSKeyFile, cfg.TLSCAFile, cfg.RegistryServerName); err != nil {
			return nil, fmt.Errorf("registry client tls: %w", err)
		}
	}
	reg, err := registryclient.New(cfg.RegistryAddr, registryTLS, cfg.RegistryTimeout)
	if err != nil {
		return nil, err
	}
	closers = append(closers, reg.Close)
	pay := sqlstore.Payload(grpcport.EventPayload)
	repos := app.Repositories{
		Events:        sqlstore.NewEvents(db, pay),
		Fairs:         sqlstore.NewFairs(db, pay),
		Registrations: sqlstore.NewRegistrations(db, pay),
		Assemblies:    sqlstore.NewAssemblies(db, pay),
		Items:         sqlstore.NewItems(db, pay),
		Agreements:    sqlstore.NewAgreements(db, pay),
	}
	ef := app.New(repos, terr, reg, tenancy.Guard{}, sqlstore.NewLocks(db), app.Settings{Quorum: cfg.Quorum})
	if cfg.SeedDemo {
		if err := SeedDemo(ctx, ef, log); err != nil {
			return nil, fmt.Errorf("seed demo data: %w", err)
		}
	}
	verifier, err := cfg.Verifier(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	var extra []grpc.ServerOption
	if serverTLS != nil {
		extra = append(extra, grpc.Creds(credentials.NewTLS(serverTLS)))
	}
	srv, err := grpcserver.New(grpcserver.Options{
		Logger: log, ErrorDomain: grpcport.ErrorDomain,
		Unary: []grpc.UnaryServerInterceptor{
			auth.UnaryServerInterceptor(verifier, Policy.Public), Policy.UnaryServerInterceptor(),
		},
		Stream: []grpc.StreamServerInterceptor{
			auth.StreamServerInterceptor(verifier, Policy.Public), Policy.StreamServerInterceptor(),
		},
		ServerOptions: extra,
		DrainDelay:    cfg.DrainDelay,
		// HIRFA_GRPC_REFLECTION (off in the prod values).
		DisableReflection: !cfg.Reflection,
	})
	if err != nil {
		return nil, err
	}
	grpcport.New(ef, log).Register(srv.GRPC)
	return &Service{App: ef, DB: db, Server: srv, registry: reg, cfg: cfg, log: log}, nil
}

// Serve serves on lis (or on the configured address when lis is nil) until
// ctx ends, then drains and closes storage and the registry connection.
func (s *Service) Serve(ctx context.Context, lis net.Listener) error {
	var err error
	if lis == nil {
		err = s.Server.Serve(ctx, s.cfg.GRPCAddr, s.cfg.ShutdownTimeout)
	} else {
		err = s.Server.ServeListener(ctx, lis, s.cfg.ShutdownTimeout)
	}
	return errors.Join(err, s.registry.Close(), s.DB.Close())
}

// Serve wires the service and serves until ctx ends.
func Serve(ctx context.Context, cfg Config, log *slog.Logger) error {
	svc, err := New(ctx, cfg, log)
	if err != nil {
		return err
	}
	return svc.Serve(ctx, nil)
}

// Migrate applies the migrations and returns (the `events-and-fairs
// migrate` command, for a Kubernetes hook Job).
func Migrate(ctx context.Context, cfg Config) error {
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	return store.MigrateWith(ctx, db, cfg.DatabaseURL, cfg.MigrateDatabaseURL, sqlstore.Migrate)
}

// Package service is the registry's composition root: it reads the
// configuration, opens storage, applies migrations, wires the application
// to its adapters and serves gRPC until the context ends.
package service

import (
	"context"
	"fmt"
	"log/slog"
	"net"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/tenancy"
	"github.com/hirfa/hirfa/pkg/territory"
	"github.com/hirfa/hirfa/services/registry/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
	"github.com/hirfa/hirfa/services/registry/internal/ports/grpcport"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
)

// Service is a wired registry.
type Service struct {
	App    *app.Registry
	Port   *grpcport.Server
	DB     *store.DB
	Server *grpcserver.Server
	cfg    Config
	log    *slog.Logger
}

// New opens storage and wires the service. Migrations run here when
// cfg.Migrate is "auto" (under PostgreSQL's advisory lock).
func New(ctx context.Context, cfg Config, log *slog.Logger) (*Service, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if cfg.Migrate == "auto" {
		if err := store.MigrateWith(ctx, db, cfg.DatabaseURL, cfg.MigrateDatabaseURL, sqlstore.Migrate); err != nil {
			_ = db.Close()
			return nil, err
		}
	}
	terr, err := territory.Load()
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	pay := sqlstore.Payload(grpcport.EventPayload)
	repos := app.Repositories{
		Artisans:     sqlstore.NewArtisans(db, pay),
		Cooperatives: sqlstore.NewCooperatives(db, pay),
		Associations: sqlstore.NewAssociations(db, pay),
		Enterprises:  sqlstore.NewEnterprises(db, pay),
		Activities:   sqlstore.NewActivities(db, pay),
		Audit:        sqlstore.AuditLog{DB: db},
	}
	registry := app.New(repos, terr, tenancy.Guard{}, cooperative.Rules{MinMembers: cfg.CoopMinMembers})
	if err := SeedReference(ctx, registry); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("seed reference data: %w", err)
	}
	if cfg.SeedDemo {
		if err := SeedDemo(ctx, registry, log); err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("seed demo data: %w", err)
		}
	}
	verifier, err := cfg.Verifier(ctx)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("auth: %w", err)
	}
	var extra []grpc.ServerOption
	tlsCfg, err := cfg.ServerTLS()
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	if tlsCfg != nil {
		extra = append(extra, grpc.Creds(credentials.NewTLS(tlsCfg)))
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
		_ = db.Close()
		return nil, err
	}
	port := grpcport.New(registry, log)
	port.MaskCNIE = func(ctx context.Context) bool { return !tenancy.SeesPersonalData(ctx) }
	port.Register(srv.GRPC)
	return &Service{App: registry, Port: port, DB: db, Server: srv, cfg: cfg, log: log}, nil
}

// Serve serves on lis (or on the configured address when lis is nil) until
// ctx ends, then drains and closes storage.
func (s *Service) Serve(ctx context.Context, lis net.Listener) error {
	defer s.DB.Close()
	if lis == nil {
		return s.Server.Serve(ctx, s.cfg.GRPCAddr, s.cfg.ShutdownTimeout)
	}
	return s.Server.ServeListener(ctx, lis, s.cfg.ShutdownTimeout)
}

// Serve wires the service and serves until ctx ends.
func Serve(ctx context.Context, cfg Config, log *slog.Logger) error {
	svc, err := New(ctx, cfg, log)
	if err != nil {
		return err
	}
	return svc.Serve(ctx, nil)
}

// Migrate applies the migrations and returns (the `registry migrate`
// command, for a Kubernetes hook Job).
func Migrate(ctx context.Context, cfg Config) error {
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	return store.MigrateWith(ctx, db, cfg.DatabaseURL, cfg.MigrateDatabaseURL, sqlstore.Migrate)
}

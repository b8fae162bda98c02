// Package svckit is the skeleton every gRPC service's composition root is
// built on: storage opened and migrated, the resources to close kept in one
// list (closed in reverse order on a failed start and after serving), and
// the gRPC server with the standard interceptors (telemetry, recovery,
// authentication, the role × method policy, validation), health, reflection
// and drain, and the readiness the metrics port's /readyz reports.
package svckit

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/fault/catalog"
	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/svcconfig"
	"github.com/hirfa/hirfa/pkg/telemetry"
	"github.com/hirfa/hirfa/pkg/tenancy"
	"github.com/hirfa/hirfa/pkg/territory"
)

// Migrator applies a service's migrations to its database.
type Migrator func(context.Context, *store.DB) error

// Kit is a service being assembled: its database, the territory every
// service checks chambers and places against, the gRPC server once built,
// and what to close when it stops. A composition root's Service embeds it,
// so the service is served and closed through the kit.
type Kit struct {
	DB        *store.DB
	Territory *territory.Territory
	Server    *grpcserver.Server
	cfg       svcconfig.Common
	log       *slog.Logger
	closers   []func() error
}

// Open loads the territory, opens the database of cfg and, when
// cfg.Migrate is "auto", applies migrate (under PostgreSQL's advisory
// lock). The database is the first resource the kit closes last.
func Open(ctx context.Context, cfg svcconfig.Common, log *slog.Logger, migrate Migrator) (*Kit, error) {
	terr, err := territory.Load()
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	k := &Kit{DB: db, Territory: terr, cfg: cfg, log: log, closers: []func() error{db.Close}}
	if cfg.Migrate == "auto" {
		// As the owner role when HIRFA_MIGRATE_DATABASE_URL is set, then
		// grant the runtime role only what it needs (audit: INSERT, SELECT).
		if err := store.MigrateWith(ctx, db, cfg.DatabaseURL, cfg.MigrateDatabaseURL, migrate); err != nil {
			return nil, errors.Join(err, k.Close())
		}
	}
	return k, nil
}

// OnClose adds a resource to close when the service stops (or fails to
// start), before the ones added earlier.
func (k *Kit) OnClose(close func() error) { k.closers = append(k.closers, close) }

// Close closes every resource in reverse order of addition and returns
// their errors joined. Safe to call more than once.
func (k *Kit) Close() error {
	var errs []error
	for i := len(k.closers) - 1; i >= 0; i-- {
		errs = append(errs, k.closers[i]())
	}
	k.closers = nil
	return errors.Join(errs...)
}

// Fail closes everything and returns err: a composition root's
// `return nil, kit.Fail(err)` on a failed start.
func (k *Kit) Fail(err error) error { return errors.Join(err, k.Close()) }

// Peer is the client of another service of the suite, as its adapter's
// New builds it: the peer's address, the client TLS (nil for plaintext)
// and the deadline of each call.
type Peer[T interface{ Close() error }] func(addr string, tlsCfg *tls.Config, timeout time.Duration) (T, error)

// Dial builds a client of the peer what at addr with newClient, over mTLS
// when the service has a certificate (checking the peer presents
// serverName), and closes it with the kit.
func Dial[T interface{ Close() error }](k *Kit, what string, newClient Peer[T], addr, serverName string, timeout time.Duration) (T, error) {
	var zero T
	tlsCfg, err := k.cfg.ClientTLS(what, serverName)
	if err != nil {
		return zero, err
	}
	c, err := newClient(addr, tlsCfg, timeout)
	if err != nil {
		return zero, err
	}
	k.OnClose(c.Close)
	return c, nil
}

// ServerOptions are what differs between services' gRPC servers.
type ServerOptions struct {
	// ErrorDomain is the ErrorInfo domain, e.g. "registry.hirfa".
	ErrorDomain string
	// Policy is the role × method table; methods it does not name are
	// refused, its Public methods need no token.
	Policy tenancy.Policy
	// Catalog renders the service's error reasons in the caller's language
	// (grpc-accept-language); nil keeps the English messages.
	Catalog *catalog.Catalog
	// MaxRecvMsgSize raises the request size limit above
	// grpcserver.MaxRecvMsgSize for a service that takes files (the
	// registry's imports); 0 keeps the default.
	MaxRecvMsgSize int
}

// NewServer builds the gRPC server from the common configuration: token
// verification, the policy, server TLS when configured, the drain delay.
func (k *Kit) NewServer(ctx context.Context, o ServerOptions) (*grpcserver.Server, error) {
	verifier, err := k.cfg.Verifier(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	var extra []grpc.ServerOption
	tlsCfg, err := k.cfg.ServerTLS()
	if err != nil {
		return nil, err
	}
	if tlsCfg != nil {
		extra = append(extra, grpc.Creds(credentials.NewTLS(tlsCfg)))
	}
	if o.MaxRecvMsgSize > 0 {
		extra = append(extra, grpc.MaxRecvMsgSize(o.MaxRecvMsgSize)) // after grpcserver.Limits: wins
	}
	srv, err := grpcserver.New(grpcserver.Options{
		Logger: k.log, ErrorDomain: o.ErrorDomain, Catalog: o.Catalog,
		Unary: []grpc.UnaryServerInterceptor{
			auth.UnaryServerInterceptor(verifier, o.Policy.Public), o.Policy.UnaryServerInterceptor(),
		},
		Stream: []grpc.StreamServerInterceptor{
			auth.StreamServerInterceptor(verifier, o.Policy.Public), o.Policy.StreamServerInterceptor(),
		},
		ServerOptions: extra,
		DrainDelay:    k.cfg.DrainDelay,
		// HIRFA_GRPC_REFLECTION (off in the prod values).
		DisableReflection: !k.cfg.Reflection,
	})
	if err != nil {
		return nil, err
	}
	k.Server = srv
	// /readyz on the metrics port (plaintext, so probes work under mTLS)
	// answers for this server from now until the kit closes.
	remove := telemetry.AddReadyCheck(o.ErrorDomain, k.Ready)
	k.OnClose(func() error { remove(); return nil })
	return srv, nil
}

// PingTimeout bounds the database round trip of one readiness check.
const PingTimeout = 500 * time.Millisecond

// Ready is the service's readiness: its gRPC server listens and reports
// SERVING (NOT_SERVING from the start of the drain), and its database
// answers a ping within PingTimeout. A pod whose database is unreachable is
// taken out of the Service endpoints rather than restarted (liveness does
// not check the database).
func (k *Kit) Ready(ctx context.Context) error {
	if k.Server == nil {
		return grpcserver.ErrNotServing
	}
	if err := k.Server.Ready(ctx); err != nil {
		return err
	}
	pctx, cancel := context.WithTimeout(ctx, PingTimeout)
	defer cancel()
	if err := k.DB.SQL.PingContext(pctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	return nil
}

// Serve serves on lis (or on the configured address when lis is nil) until
// ctx ends, drains, then closes every resource.
func (k *Kit) Serve(ctx context.Context, lis net.Listener) error {
	var err error
	if lis == nil {
		err = k.Server.Serve(ctx, k.cfg.GRPCAddr, k.cfg.ShutdownTimeout)
	} else {
		err = k.Server.ServeListener(ctx, lis, k.cfg.ShutdownTimeout)
	}
	return errors.Join(err, k.Close())
}

// Serving is a service's serve command (svcmain.Spec.Serve): it wires the
// service with newService and serves it on the configured address until
// ctx ends.
func Serving[C any, S interface {
	Serve(context.Context, net.Listener) error
}](newService func(context.Context, C, *slog.Logger) (S, error)) func(context.Context, C, *slog.Logger) error {
	return func(ctx context.Context, cfg C, log *slog.Logger) error {
		svc, err := newService(ctx, cfg, log)
		if err != nil {
			return err
		}
		return svc.Serve(ctx, nil)
	}
}

// Migrate opens the database, applies migrate and closes it (the
// `<service> migrate` command, for a Kubernetes hook Job).
func Migrate(ctx context.Context, cfg svcconfig.Common, migrate Migrator) error {
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	return errors.Join(store.MigrateWith(ctx, db, cfg.DatabaseURL, cfg.MigrateDatabaseURL, migrate), db.Close())
}

// Migrating is a service's migrate command (svcmain.Spec.Migrate): Migrate
// on the shared settings of the service's configuration.
func Migrating[C interface{ Shared() svcconfig.Common }](migrate Migrator) func(context.Context, C) error {
	return func(ctx context.Context, cfg C) error { return Migrate(ctx, cfg.Shared(), migrate) }
}

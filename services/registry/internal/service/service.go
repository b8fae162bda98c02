// Package service is the registry's composition root: it reads the
// configuration, opens storage, applies migrations, wires the application
// to its adapters and serves gRPC until the context ends.
package service

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/hirfa/hirfa/pkg/render"
	"github.com/hirfa/hirfa/pkg/svckit"
	"github.com/hirfa/hirfa/pkg/tenancy"
	"github.com/hirfa/hirfa/services/registry/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
	"github.com/hirfa/hirfa/services/registry/internal/ports/grpcport"
)

// Service is a wired registry.
type Service struct {
	App  *app.Registry
	Port *grpcport.Server
	// Imports stores import operations and mappings.
	Imports *sqlstore.Imports
	*svckit.Kit
}

// New opens storage and wires the service. Migrations run here when
// cfg.Migrate is "auto" (under PostgreSQL's advisory lock).
func New(ctx context.Context, cfg Config, log *slog.Logger) (*Service, error) {
	kit, err := svckit.Open(ctx, cfg.Common, log, sqlstore.Migrate)
	if err != nil {
		return nil, err
	}
	db, terr := kit.DB, kit.Territory
	artisans := sqlstore.NewArtisans(db, grpcport.ArtisanEvent)
	activities := sqlstore.NewActivities(db, grpcport.ActivityEvent)
	activities.SampleUsable = cfg.SampleNomenclature
	enterprises := sqlstore.NewEnterprises(db, grpcport.EnterpriseEvent)
	cooperatives := sqlstore.NewCooperatives(db, grpcport.CooperativeEvent)
	nameRequests := sqlstore.NewNameRequests(db, grpcport.NameRequestEvent)
	repos := app.Repositories{
		Artisans:      artisans,
		Merges:        sqlstore.NewMerges(artisans, enterprises),
		Cooperatives:  cooperatives,
		Registrations: sqlstore.NewRegistrations(cooperatives, nameRequests),
		Associations:  sqlstore.NewAssociations(db, grpcport.AssociationEvent),
		Enterprises:   enterprises,
		Activities:    activities,
		Audit:         sqlstore.AuditLog{DB: db},
	}
	registry := app.New(repos, terr, tenancy.Guard{}, cooperative.Rules{MinMembers: cfg.CoopMinMembers})
	var renderer app.Renderer
	browser, err := render.OptionalBrowser(cfg.Chromium, cfg.RenderTimeout, log, kit.OnClose, "name certificate PDFs")
	if err != nil {
		return nil, kit.Fail(err)
	}
	if browser != nil {
		renderer = browser
	}
	registry.EnableNameRequests(nameRequests, tenancy.Guard{},
		app.NameSettings{Deadline: cfg.NameRequestDeadline, Validity: cfg.NameCertificateValidity}, renderer)
	imports := sqlstore.NewImports(db, artisans)
	registry.EnableImports(ctx, imports)
	if cfg.SampleNomenclature {
		if err := SeedReference(ctx, registry); err != nil {
			return nil, kit.Fail(fmt.Errorf("seed reference data: %w", err))
		}
	}
	if cfg.SeedDemo {
		if err := SeedDemo(ctx, registry, log); err != nil {
			return nil, kit.Fail(fmt.Errorf("seed demo data: %w", err))
		}
	}
	// The outbox relay (pkg/eventbus) publishes this service's events.
	if err := kit.StartRelay(Name); err != nil {
		return nil, kit.Fail(err)
	}
	// Imports a restart interrupted run again from their files.
	if err := registry.ResumeImports(ctx); err != nil {
		return nil, kit.Fail(fmt.Errorf("resume imports: %w", err))
	}
	srv, err := kit.NewServer(ctx, svckit.ServerOptions{ErrorDomain: grpcport.ErrorDomain, Policy: Policy, Catalog: grpcport.Catalog,
		// An import's file travels in the request as bytes.
		MaxRecvMsgSize: app.MaxImportBytes + 1<<20})
	if err != nil {
		return nil, kit.Fail(err)
	}
	port := grpcport.New(registry, log)
	port.Names = app.NewNameCheck(app.NameSources{sqlstore.CooperativeNames{DB: db}, sqlstore.RequestedNames{DB: db}})
	registry.OnHeldNamesChanged(port.Names.Written)
	port.Duplicates = &app.DuplicateReview{Access: tenancy.Guard{}, Queue: sqlstore.DuplicateQueue{DB: db, Now: time.Now, Event: grpcport.DuplicateCandidateEvent}, Now: time.Now}
	// The queue follows the register in the background, so a list rarely
	// has changes to take in first (after a large import, the migration's
	// first scan of an existing register).
	kit.Go("duplicate scan", func(ctx context.Context) error {
		port.Duplicates.Scanner(ctx, cfg.DuplicateScanInterval, func(err error) {
			log.Error("duplicate scan", slog.String("error", err.Error()))
		})
		return nil
	})
	port.MaskCNIE = func(ctx context.Context) bool { return !tenancy.SeesPersonalData(ctx) }
	port.Register(srv.GRPC)
	return &Service{App: registry, Port: port, Imports: imports, Kit: kit}, nil
}

// Serve and Migrate are the service's serve and migrate commands (svcmain):
// Serve wires it with New and serves until ctx ends; Migrate applies the
// migrations and returns (for a Kubernetes hook Job).
var (
	Serve   = svckit.Serving(New)
	Migrate = svckit.Migrating[Config](sqlstore.Migrate)
)

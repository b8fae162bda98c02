// Package service is the desk composition root: it reads the
// configuration, opens storage and applies migrations (pkg/svckit), wires
// the application to its adapters and serves gRPC until the context ends.
package service

import (
	"context"
	"log/slog"

	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/eventbus"
	"github.com/hirfa/hirfa/pkg/render"
	"github.com/hirfa/hirfa/pkg/svckit"
	"github.com/hirfa/hirfa/pkg/tenancy"
	"github.com/hirfa/hirfa/services/desk/internal/adapters/cardprint"
	"github.com/hirfa/hirfa/services/desk/internal/adapters/objectstore"
	"github.com/hirfa/hirfa/services/desk/internal/adapters/registrants"
	"github.com/hirfa/hirfa/services/desk/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/desk/internal/adapters/standing"
	"github.com/hirfa/hirfa/services/desk/internal/app"
	"github.com/hirfa/hirfa/services/desk/internal/domain/card"
	"github.com/hirfa/hirfa/services/desk/internal/domain/document"
	"github.com/hirfa/hirfa/services/desk/internal/domain/mediation"
	"github.com/hirfa/hirfa/services/desk/internal/domain/request"
	"github.com/hirfa/hirfa/services/desk/internal/domain/requesttype"
	"github.com/hirfa/hirfa/services/desk/internal/ports/grpcport"
)

// Service is a wired desk service.
type Service struct {
	App *app.App
	*svckit.Kit
}

// New opens storage, connects (lazily) to the registry and wires the service. Migrations run here when
// cfg.Migrate is "auto" (under PostgreSQL's advisory lock).
func New(ctx context.Context, cfg Config, log *slog.Logger) (*Service, error) {
	kit, err := svckit.Open(ctx, cfg.Common, log, sqlstore.Migrate)
	if err != nil {
		return nil, err
	}
	// Outbox events carry the public message, as clients read it.
	repos := app.Repositories{
		Requests:  sqlstore.NewRequests(kit.DB, func(r *request.Request) proto.Message { return grpcport.ServiceRequestPB(r) }),
		Cases:     sqlstore.NewCases(kit.DB, func(c *mediation.Case) proto.Message { return grpcport.MediationCasePB(c) }),
		Documents: sqlstore.NewDocuments(kit.DB, func(d *document.Document) proto.Message { return grpcport.DocumentPB(d) }),
		Cards:     sqlstore.NewCards(kit.DB, func(c *card.Card) proto.Message { return grpcport.ProfessionalCardPB(c) }),
		Types:     sqlstore.NewRequestTypes(kit.DB, func(t *requesttype.Type) proto.Message { return grpcport.RequestTypePB(t) }),
	}
	var objects app.Objects = objectstore.Local{Root: cfg.ArchiveDir}
	if cfg.S3.Endpoint != "" {
		if objects, err = objectstore.NewS3(ctx, cfg.S3); err != nil {
			return nil, kit.Fail(err)
		}
	}
	reg, err := svckit.Dial(kit, "registry", registrants.New, cfg.RegistryAddr, cfg.RegistryServerName, cfg.RegistryTimeout)
	if err != nil {
		return nil, kit.Fail(err)
	}
	printer := cardprint.Printer{VerifyBase: cfg.VerifyBaseURL, Territory: kit.Territory}
	browser, err := render.OptionalBrowser(cfg.Chromium, cfg.RenderTimeout, log, kit.OnClose, "professional card downloads")
	if err != nil {
		return nil, kit.Fail(err)
	}
	if browser != nil { // a nil *Browser in the interface would not read as absent
		printer.Browser = browser
	}
	if err := startStanding(kit, cfg, log); err != nil {
		return nil, kit.Fail(err)
	}
	a := app.New(repos, tenancy.Guard{}, objects, reg, nil).WithCards(reg, printer)
	// The outbox relay (pkg/eventbus) publishes the desk's events on the bus
	// (stream hirfa:events:desk) when one is configured: reporting counts
	// requests from them and reads documents filed for associations and
	// cooperatives as evidence of their life.
	if err := kit.StartRelay(Name); err != nil {
		return nil, kit.Fail(err)
	}
	srv, err := kit.NewServer(ctx, svckit.ServerOptions{ErrorDomain: grpcport.ErrorDomain, Policy: Policy, Catalog: grpcport.Catalog})
	if err != nil {
		return nil, kit.Fail(err)
	}
	grpcport.New(a, log).Register(srv.GRPC)
	return &Service{App: a, Kit: kit}, nil
}

// startStanding consumes the registry's events into the artisans' states
// the card verification reads (adapters/standing says why events), when a
// bus is configured; without one the states recorded at issue stand, and
// the desk says so.
func startStanding(kit *svckit.Kit, cfg Config, log *slog.Logger) error {
	if !cfg.Bus.Configured() {
		log.Warn("no event bus (HIRFA_REDIS_URL or HIRFA_BUS_ADDR): card verification does not learn of suspensions and strike-offs")
		return nil
	}
	bus, err := kit.OpenBus(false)
	if err != nil {
		return err
	}
	c := &eventbus.Consumer{DB: kit.DB, Bus: bus, Group: standing.Group, Streams: []string{bus.Stream("registry")},
		Handler: standing.Handler(kit.DB), Log: log}
	kit.Go("registry event consumer", c.Run)
	return nil
}

// Serve and Migrate are the service's serve and migrate commands (svcmain):
// Serve wires it with New and serves until ctx ends; Migrate applies the
// migrations and returns (for a Kubernetes hook Job).
var (
	Serve   = svckit.Serving(New)
	Migrate = svckit.Migrating[Config](sqlstore.Migrate)
)

// Package svcmain is the life of a Hirfa gRPC service process, the same for
// every service: read the configuration, then either apply the migrations
// (`<service> migrate`, for an operator or a Kubernetes Job) or set up
// telemetry and the metrics endpoint and serve until the context ends.
package svcmain

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/hirfa/hirfa/pkg/svcconfig"
	"github.com/hirfa/hirfa/pkg/telemetry"
)

// Spec describes one service to Run.
type Spec[C any] struct {
	Name    string
	Version string
	Load    func(svcconfig.Getenv) (C, error)
	Common  func(C) svcconfig.Common
	Migrate func(context.Context, C) error
	// Serve wires the service and serves until ctx ends.
	Serve func(context.Context, C, *slog.Logger) error
}

// Run runs the command in args ("" to serve, or "migrate").
func Run[C any](ctx context.Context, args []string, s Spec[C]) error {
	cfg, err := s.Load(os.Getenv)
	if err != nil {
		return err
	}
	common := s.Common(cfg)
	log := telemetry.NewLogger(os.Stderr, common.LogLevel, s.Name)
	switch {
	case len(args) > 0 && args[0] == "migrate":
		return s.Migrate(ctx, cfg)
	case len(args) > 0:
		return fmt.Errorf("unknown command %q (commands: migrate)", args[0])
	}
	shutdown, err := telemetry.Setup(ctx, s.Name, s.Version, common.OTLPEndpoint)
	if err != nil {
		return err
	}
	defer func() { _ = shutdown(context.WithoutCancel(ctx)) }()
	if err := telemetry.ServeMetrics(ctx, common.MetricsAddr, log); err != nil {
		return err
	}
	return s.Serve(ctx, cfg, log)
}

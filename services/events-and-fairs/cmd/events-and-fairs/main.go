// Command events-and-fairs serves the chambers' fairs, events, general
// assemblies and partnership agreements over gRPC.
//
//	events-and-fairs           serve (configuration from HIRFA_* variables)
//	events-and-fairs migrate   apply the database migrations and exit
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/hirfa/hirfa/pkg/telemetry"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/service"
)

var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "events-and-fairs:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	cfg, err := service.Load(os.Getenv)
	if err != nil {
		return err
	}
	log := telemetry.NewLogger(os.Stderr, cfg.LogLevel, service.Name)
	if len(args) > 0 && args[0] == "migrate" {
		return service.Migrate(ctx, cfg)
	}
	if len(args) > 0 {
		return fmt.Errorf("unknown command %q (commands: migrate)", args[0])
	}
	return service.Run(ctx, cfg, version, log)
}

// Package svcmain is the life of a Hirfa gRPC service process, the same for
// every service: read the configuration, then either apply the migrations
// (`<service> migrate`, for an operator or a Kubernetes Job), replay the
// service's current state as events (`<service> snapshot`, producers of the
// event bus only), or set up telemetry and the metrics endpoint and serve
// until the context ends.
// `<service> -h|--help` lists the commands and every HIRFA_* variable the
// service's loader reads (recorded from the loader itself), `<service>
// version` prints the build's version; neither reads the configuration.
package svcmain

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/hirfa/hirfa/pkg/svcconfig"
	"github.com/hirfa/hirfa/pkg/telemetry"
)

// Spec describes one service to Run.
type Spec[C any] struct {
	Name    string
	Version string
	// About is the one line --help opens with (default: "Hirfa <Name> service").
	About string
	// Meanings describes service-specific variables svcconfig does not
	// know; shared ones come from svcconfig.Meaning.
	Meanings map[string]string
	Load     func(svcconfig.Getenv) (C, error)
	Common   func(C) svcconfig.Common
	Migrate  func(context.Context, C) error
	// Serve wires the service and serves until ctx ends.
	Serve func(context.Context, C, *slog.Logger) error
	// Snapshot, set by the event bus's producers, writes one snapshot event
	// per current record to the outbox (eventbus.WriteSnapshot) and
	// returns; the serving replicas' relays publish them. It is a command
	// rather than an RPC: an operator's rebuild (a Redis that lost its
	// data, a projection added later) runs it once, like migrate, as a Job
	// with the service's database credentials, with no API surface or
	// policy to guard and whether or not the service is serving.
	Snapshot func(context.Context, C, *slog.Logger) error
}

// Commands are the commands of every service binary.
var Commands = []Command{
	{"serve", "serve gRPC until SIGTERM (the default)"},
	{"migrate", "apply the database migrations and exit"},
	{"version", "print the version and exit"},
	{"help", "print this help (also -h, --help)"},
}

// SnapshotCommand is listed when the service sets Spec.Snapshot.
var SnapshotCommand = Command{"snapshot", "write every current record to the outbox as a snapshot event (the relay publishes them) and exit"}

// commands are the commands of s's binary.
func commands[C any](s Spec[C]) []Command {
	if s.Snapshot == nil {
		return Commands
	}
	out := append([]Command{}, Commands[:2]...)
	return append(append(out, SnapshotCommand), Commands[2:]...)
}

// Run runs the command in args: "" or "serve" to serve, "migrate",
// "snapshot" (when set), "version", or "-h"/"--help"/"help".
func Run[C any](ctx context.Context, args []string, s Spec[C]) error {
	return run(ctx, args, s, os.Stdout)
}

// Main is a service binary's whole main: it runs os.Args' command until
// SIGINT or SIGTERM ends the context, and exits with status 1 and the error
// on stderr when the command fails.
func Main[C any](s Spec[C]) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := Run(ctx, os.Args[1:], s)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, s.Name+":", err)
		os.Exit(1)
	}
}

// Vars are the HIRFA_* variables s.Load reads, recorded from it.
func Vars[C any](s Spec[C]) []svcconfig.Var {
	return svcconfig.Describe(func(get svcconfig.Getenv) { _, _ = s.Load(get) }, s.Meanings)
}

func run[C any](ctx context.Context, args []string, s Spec[C], stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd = args[0]
	}
	switch {
	case IsHelp(cmd):
		about := s.About
		if about == "" {
			about = "Hirfa " + s.Name + " service"
		}
		return WriteHelp(stdout, s.Name, about, commands(s), Vars(s))
	case IsVersion(cmd):
		_, err := fmt.Fprintln(stdout, s.Name, s.Version)
		return err
	case cmd != "serve" && cmd != "migrate" && (cmd != "snapshot" || s.Snapshot == nil):
		names := make([]string, 0, 5)
		for _, c := range commands(s) {
			names = append(names, c.Name)
		}
		return fmt.Errorf("unknown command %q (commands: %s; see %s --help)", cmd, strings.Join(names, ", "), s.Name)
	case len(args) > 1:
		return fmt.Errorf("%s takes no arguments, got %q (configuration is read from HIRFA_* variables; see %s --help)", cmd, args[1:], s.Name)
	}
	cfg, err := s.Load(os.Getenv)
	if err != nil {
		return err
	}
	common := s.Common(cfg)
	log := telemetry.NewLogger(os.Stderr, common.LogLevel, s.Name)
	switch cmd {
	case "migrate":
		return s.Migrate(ctx, cfg)
	case "snapshot":
		return s.Snapshot(ctx, cfg, log)
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

// Command gateway serves Hirfa's REST edge in front of the gRPC services.
//
//	gateway            serve (configuration from HIRFA_* variables)
//	gateway version    print the version
//	gateway --help     the commands and every HIRFA_* variable it reads
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/hirfa/hirfa/pkg/auth/mtls"
	"github.com/hirfa/hirfa/pkg/svcconfig"
	"github.com/hirfa/hirfa/pkg/svcmain"
	"github.com/hirfa/hirfa/pkg/telemetry"
	"github.com/hirfa/hirfa/services/gateway/internal/config"
	"github.com/hirfa/hirfa/services/gateway/internal/edge"
	"github.com/hirfa/hirfa/services/gateway/internal/instrument"
)

var version = "dev"

func main() {
	if serve, err := command(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
		os.Exit(2)
	} else if !serve {
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
		os.Exit(1)
	}
}

// command answers help and version; serve reports that args ask to serve
// (no command, or "serve").
func command(w io.Writer, args []string) (serve bool, err error) {
	switch {
	case len(args) == 0 || (args[0] == "serve" && len(args) == 1):
		return true, nil
	case svcmain.IsHelp(args[0]):
		vars := svcconfig.Describe(func(get svcconfig.Getenv) { _, _ = config.Load(get) }, config.Meanings)
		return false, svcmain.WriteHelp(w, "gateway", "Hirfa's REST edge in front of the gRPC services", []svcmain.Command{
			{Name: "serve", Summary: "serve HTTP until SIGTERM (the default; no command)"},
			{Name: "version", Summary: "print the version and exit"},
			{Name: "help", Summary: "print this help (also -h, --help)"},
		}, vars)
	case svcmain.IsVersion(args[0]):
		_, err := fmt.Fprintln(w, "gateway", version)
		return false, err
	}
	return false, fmt.Errorf("unknown command %q (commands: serve, version, help; see gateway --help)", strings.Join(args, " "))
}

func run(ctx context.Context) error {
	tuneGC(os.Getenv, cgroupMemoryLimit).apply()
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	log := telemetry.NewLogger(os.Stderr, cfg.LogLevel, "gateway")
	shutdown, err := telemetry.Setup(ctx, "gateway", version, cfg.OTLPEndpoint)
	if err != nil {
		return err
	}
	defer func() { _ = shutdown(context.WithoutCancel(ctx)) }()
	if err := telemetry.ServeMetrics(ctx, cfg.MetricsAddr, log); err != nil {
		return err
	}
	h, closeHandler, err := handler(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeHandler()
	lis, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return err
	}
	return serve(ctx, lis, h, cfg.ShutdownTimeout, log)
}

// handler assembles everything the gateway serves over HTTP — the guard, the
// edge, the console and the HTTP instrumentation — as run serves it (the
// benchmark measures this same handler); closeFn releases its connections.
func handler(ctx context.Context, cfg config.Config, log *slog.Logger) (_ http.Handler, closeFn func(), err error) {
	guard, closeGuard, err := newGuard(ctx, cfg, log)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if err != nil {
			closeGuard()
		}
	}()
	opts := edge.Options{
		Wrap:            guard.Wrap,
		MaxBodyBytes:    cfg.MaxBodyBytes,
		RequestTimeout:  cfg.RequestTimeout,
		DownloadTimeout: cfg.DownloadTimeout,
		Logger:          log,
		ClientSpans:     cfg.OTLPEndpoint != "", // spans are recorded only when exported (telemetry.Setup)
	}
	opts.NoOpenAPI = !cfg.OpenAPI // HIRFA_OPENAPI (off in the prod values)
	for _, b := range cfg.Backends {
		backend, err := edge.BackendFor(b.Name, b.API, b.Addr)
		if err != nil {
			return nil, nil, err
		}
		if b.Addr == "" {
			log.Warn("backend not configured: its routes answer 503", slog.String("backend", b.Name), slog.String("variable", b.AddrVar()))
		}
		opts.Backends = append(opts.Backends, backend)
	}
	if cfg.TLSCertFile != "" {
		if opts.TLS, err = mtls.ClientConfig(cfg.TLSCertFile, cfg.TLSKeyFile, cfg.TLSCAFile, cfg.TLSServerName); err != nil {
			return nil, nil, err
		}
	}
	e, err := edge.New(ctx, opts)
	if err != nil {
		return nil, nil, err
	}
	h := e.Handler
	if cfg.Console.Enabled {
		if h, err = withConsole(ctx, cfg, e.Handler, guard.Verifier, log); err != nil {
			e.Close()
			return nil, nil, err
		}
	}
	// A span and the HTTP server metrics per request, the ones otelhttp
	// gave, with less work per request (internal/instrument). Setup has
	// installed the providers by now.
	h = instrument.Handler(h)
	return h, func() { e.Close(); closeGuard() }, nil
}

// serve runs the HTTP server with timeouts until ctx ends, then drains.
func serve(ctx context.Context, lis net.Listener, h http.Handler, drain time.Duration, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(lis) }()
	// The metrics port's /readyz answers for the edge while it serves (its
	// probes use /readyz on the HTTP port, which also checks the backends).
	removeReady := telemetry.AddReadyCheck("gateway", func(context.Context) error { return nil })
	defer removeReady()
	log.Info("http serving", slog.String("addr", lis.Addr().String()))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	removeReady()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), drain)
	defer cancel()
	err := srv.Shutdown(sctx)
	if e := <-errc; e != nil && !errors.Is(e, http.ErrServerClosed) {
		return e
	}
	log.Info("http stopped")
	return err
}

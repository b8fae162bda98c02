package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/hirfa/hirfa/pkg/idempotency"
	"github.com/hirfa/hirfa/pkg/ratelimit"
	"github.com/hirfa/hirfa/services/gateway/internal/config"
	"github.com/hirfa/hirfa/services/gateway/internal/edge"
)

// newGuard wires the edge's abuse defences. Rate limits and idempotency keys
// live in Redis (HIRFA_REDIS_URL); in the embedded default, with no URL, an
// in-process Redis-protocol server stands in, so the same code runs.
func newGuard(ctx context.Context, cfg config.Config, log *slog.Logger) (*edge.Guard, func(), error) {
	verifier, err := cfg.Verifier(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("auth: %w", err)
	}
	limits, limited, err := edge.ParseLimits(cfg.RateLimits)
	if err != nil {
		return nil, nil, err
	}
	closeFn := func() {}
	var opts *redis.Options
	if cfg.RedisURL == "" {
		mr, err := miniredis.Run()
		if err != nil {
			return nil, nil, fmt.Errorf("in-process redis: %w", err)
		}
		log.Info("rate limits and idempotency keys kept in process (no HIRFA_REDIS_URL)")
		opts = &redis.Options{Addr: mr.Addr()}
		closeFn = mr.Close
	} else if opts, err = redis.ParseURL(cfg.RedisURL); err != nil {
		return nil, nil, fmt.Errorf("HIRFA_REDIS_URL: %w", err)
	}
	opts.ContextTimeoutEnabled = true // so the limiter's per-decision timeout holds
	rdb := redis.NewClient(opts)
	g := &edge.Guard{
		Verifier:    verifier,
		Limits:      limits,
		Idempotency: idempotency.New(rdb, idempotency.Options{}),
		CORSOrigins: cfg.CORSOrigins,
		Logger:      log,
		// Per-address limits key on the client behind these proxies.
		TrustedProxies: cfg.TrustedProxies,
	}
	if limited {
		g.Limiter = ratelimit.New(rdb, ratelimit.Options{Prefix: "hirfa:ratelimit:", FailClosed: !cfg.RateLimitFailOpen, Logger: log})
	}
	return g, func() { _ = rdb.Close(); closeFn() }, nil
}

package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/redis/go-redis/v9"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
	"github.com/hirfa/hirfa/pkg/svcconfig"
	"github.com/hirfa/hirfa/services/gateway/internal/config"
	"github.com/hirfa/hirfa/services/gateway/internal/console"
	"github.com/hirfa/hirfa/services/gateway/internal/edge"
)

// withConsole mounts the staff console at /console in front of the edge.
// The console calls the edge in process (HandlerTransport), through the
// same guard, limits and services as any REST client. verifier is the
// guard's, so OIDC sign-ins share its JWKS and token cache.
func withConsole(ctx context.Context, cfg config.Config, api http.Handler, verifier *auth.Verifier, log *slog.Logger) (http.Handler, error) {
	o := console.Options{API: console.HandlerTransport{Handler: api}, APIBase: "http://edge.internal", Logger: log}
	if cfg.Auth.DevMode != svcconfig.DevOff {
		// The embedded default: offer the dev issuer's users, marked demo.
		iss, err := devissuer.Load(cfg.Auth.DevKeyFile)
		if err != nil {
			return nil, err
		}
		o.DemoIssuer = iss
	}
	if cc := cfg.Console; cc.OIDCIssuer != "" {
		var err error
		if o.OIDC, err = console.NewOIDC(ctx, console.OIDCConfig{Issuer: cc.OIDCIssuer, ClientID: cc.OIDCClientID,
			ClientSecret: cc.OIDCClientSecret, RedirectURL: cc.OIDCRedirectURL, Scopes: cc.OIDCScopes}, verifier); err != nil {
			return nil, err
		}
	}
	if cfg.RedisURL != "" {
		// Replicas share sign-ins: the console's sessions live in the same
		// Redis as the edge's rate limits.
		opts, err := redis.ParseURL(cfg.RedisURL)
		if err != nil {
			return nil, fmt.Errorf("HIRFA_REDIS_URL: %w", err)
		}
		o.SessionRedis = redis.NewClient(opts)
	}
	c, err := console.New(o)
	if err != nil {
		return nil, err
	}
	root := http.NewServeMux()
	root.Handle("/console", c)
	root.Handle("/console/", c)
	root.Handle("/", api)
	return edge.Ahead(root, api, nil), nil
}

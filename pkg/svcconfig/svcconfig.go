// Package svcconfig loads the settings every Hirfa gRPC service shares from
// HIRFA_* environment variables (the same names the Helm chart sets), with
// defaults that make the embedded default (`make run`) work with nothing
// installed. All problems are reported at once.
package svcconfig

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
	"github.com/hirfa/hirfa/pkg/auth/mtls"
)

// Common are the settings of every gRPC service.
type Common struct {
	GRPCAddr        string        // HIRFA_GRPC_ADDR
	DatabaseURL     string        // HIRFA_DATABASE_URL
	Migrate         string        // HIRFA_MIGRATE: auto | off
	LogLevel        string        // HIRFA_LOG_LEVEL
	OTLPEndpoint    string        // HIRFA_OTLP_ENDPOINT (empty: no export)
	MetricsAddr     string        // HIRFA_METRICS_ADDR: Prometheus /metrics (empty: off)
	ShutdownTimeout time.Duration // HIRFA_SHUTDOWN_TIMEOUT: drain deadline
	DrainDelay      time.Duration // HIRFA_DRAIN_DELAY: NOT_SERVING before draining starts
	Auth
	TLSCertFile string // HIRFA_TLS_CERT_FILE
	TLSKeyFile  string // HIRFA_TLS_KEY_FILE
	TLSCAFile   string // HIRFA_TLS_CA_FILE
	SeedDemo    bool   // HIRFA_SEED_DEMO
	// Reflection serves gRPC server reflection (HIRFA_GRPC_REFLECTION,
	// default true; the prod values turn it off).
	Reflection bool
	// MigrateDatabaseURL is the owner role's DSN the migrations run as
	// (HIRFA_MIGRATE_DATABASE_URL); the service itself then runs as
	// HIRFA_DATABASE_URL's role, which may only append to the audit trail.
	MigrateDatabaseURL string
	Bus
}

// Shared returns the settings every service shares; a service's Config
// embeds Common, so code generic over the Config (svckit.Migrating) reads
// them through it.
func (c Common) Shared() Common { return c }

// Bus locates the event bus (pkg/eventbus).
type Bus struct {
	// RedisURL is the Redis of the event bus (HIRFA_REDIS_URL, redis:// or
	// rediss://); production sets it on producers and consumers alike.
	RedisURL string
	// BusAddr is the embedded default's bus (HIRFA_BUS_ADDR, a loopback
	// host:port) when RedisURL is empty: the consumer (reporting) hosts an
	// in-process Redis-protocol server there and producers connect to it.
	// With neither set a producer relays nothing (its outbox keeps the
	// rows until a bus is configured) and a consumer hosts the server on a
	// free port.
	BusAddr string
	// BusPrefix prefixes every key the bus uses (HIRFA_BUS_PREFIX, default
	// "hirfa:"), so several suites can share one Redis.
	BusPrefix string
}

// Configured reports whether a bus is configured for a producer.
func (b Bus) Configured() bool { return b.RedisURL != "" || b.BusAddr != "" }

// Getenv is os.Getenv or a test double.
type Getenv func(string) string

// Problems accumulates configuration errors.
type Problems []error

// Add records a problem.
func (p *Problems) Add(format string, args ...any) { *p = append(*p, fmt.Errorf(format, args...)) }

// Err joins the problems.
func (p Problems) Err() error { return errors.Join(p...) }

// Str reads a string with a default.
func Str(get Getenv, key, def string) string {
	noteDefault(key, def)
	if v := strings.TrimSpace(get(key)); v != "" {
		return v
	}
	return def
}

// Int reads an integer with a default.
func Int(get Getenv, p *Problems, key string, def int) int {
	noteDefault(key, strconv.Itoa(def))
	v := strings.TrimSpace(get(key))
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		p.Add("%s: %q is not an integer", key, v)
	}
	return n
}

// Bool reads a boolean with a default.
func Bool(get Getenv, p *Problems, key string, def bool) bool {
	noteDefault(key, strconv.FormatBool(def))
	v := strings.TrimSpace(get(key))
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.Add("%s: %q is not a boolean", key, v)
	}
	return b
}

// Duration reads a duration with a default.
func Duration(get Getenv, p *Problems, key string, def time.Duration) time.Duration {
	noteDefault(key, def.String())
	v := strings.TrimSpace(get(key))
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		p.Add("%s: %q is not a positive duration (e.g. 20s)", key, v)
	}
	return d
}

// LoadCommon reads the shared settings; service is used for defaults such as
// the SQLite file name, addr is the service's default gRPC address.
func LoadCommon(get Getenv, p *Problems, service, addr string) Common {
	c := Common{
		GRPCAddr:        Str(get, "HIRFA_GRPC_ADDR", addr),
		DatabaseURL:     Str(get, "HIRFA_DATABASE_URL", "sqlite://var/"+service+".db"),
		Migrate:         Str(get, "HIRFA_MIGRATE", "auto"),
		LogLevel:        Str(get, "HIRFA_LOG_LEVEL", "info"),
		OTLPEndpoint:    Str(get, "HIRFA_OTLP_ENDPOINT", ""),
		MetricsAddr:     Str(get, "HIRFA_METRICS_ADDR", ""),
		ShutdownTimeout: Duration(get, p, "HIRFA_SHUTDOWN_TIMEOUT", 20*time.Second),
		DrainDelay:      Duration(get, p, "HIRFA_DRAIN_DELAY", 300*time.Millisecond),
		Auth:            LoadAuth(get, p),
		TLSCertFile:     Str(get, "HIRFA_TLS_CERT_FILE", ""),
		TLSKeyFile:      Str(get, "HIRFA_TLS_KEY_FILE", ""),
		TLSCAFile:       Str(get, "HIRFA_TLS_CA_FILE", ""),
		SeedDemo:        Bool(get, p, "HIRFA_SEED_DEMO", false),
		Reflection:      Bool(get, p, "HIRFA_GRPC_REFLECTION", true),
		Bus:             Bus{RedisURL: Str(get, "HIRFA_REDIS_URL", ""), BusAddr: Str(get, "HIRFA_BUS_ADDR", ""), BusPrefix: Str(get, "HIRFA_BUS_PREFIX", "")},
	}
	c.MigrateDatabaseURL = loadMigrateURL(get, p, c.DatabaseURL)
	if c.Migrate != "auto" && c.Migrate != "off" {
		p.Add("HIRFA_MIGRATE: must be auto or off, got %q", c.Migrate)
	}
	if !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") && !strings.HasPrefix(c.DatabaseURL, "sqlite://") {
		p.Add("HIRFA_DATABASE_URL: must start with postgres:// or sqlite://")
	}
	tlsSet := 0
	for _, f := range []string{c.TLSCertFile, c.TLSKeyFile, c.TLSCAFile} {
		if f != "" {
			tlsSet++
		}
	}
	if tlsSet != 0 && tlsSet != 3 {
		p.Add("HIRFA_TLS_CERT_FILE, HIRFA_TLS_KEY_FILE and HIRFA_TLS_CA_FILE must be set together")
	}
	c.CheckDevScope(p, c.DatabaseURL, map[string]string{"HIRFA_GRPC_ADDR": c.GRPCAddr})
	return c
}

// Auth are the token verification settings of every process.
type Auth struct {
	AuthIssuer   string        // HIRFA_AUTH_ISSUER
	AuthAudience string        // HIRFA_AUTH_AUDIENCE
	AuthJWKSURL  string        // HIRFA_AUTH_JWKS_URL (required unless DevMode)
	DevMode      string        // HIRFA_AUTH_DEV: DevOff, DevLocal or DevDemo
	DevKeyFile   string        // HIRFA_AUTH_DEV_KEY_FILE
	AuthCacheTTL time.Duration // HIRFA_AUTH_CACHE_TTL: how long a verified token is remembered
}

// LoadAuth reads the token verification settings.
func LoadAuth(get Getenv, p *Problems) Auth {
	a := Auth{
		AuthIssuer:   Str(get, "HIRFA_AUTH_ISSUER", devissuer.IssuerURL),
		AuthAudience: Str(get, "HIRFA_AUTH_AUDIENCE", devissuer.Audience),
		AuthJWKSURL:  Str(get, "HIRFA_AUTH_JWKS_URL", ""),
		DevKeyFile:   Str(get, "HIRFA_AUTH_DEV_KEY_FILE", "var/dev-issuer.pem"),
		AuthCacheTTL: cacheTTL(get, p),
	}
	a.DevMode = loadDevMode(get, p, a.AuthJWKSURL)
	return a
}

// cacheTTL reads HIRFA_AUTH_CACHE_TTL, where 0 turns the cache off.
func cacheTTL(get Getenv, p *Problems) time.Duration {
	if v := strings.TrimSpace(get("HIRFA_AUTH_CACHE_TTL")); v == "0" || v == "0s" {
		return 0
	}
	return Duration(get, p, "HIRFA_AUTH_CACHE_TTL", time.Minute)
}

// Verifier builds the token verifier: from the OIDC issuer's JWKS in
// production, or from the local dev issuer's key file when HIRFA_AUTH_DEV
// asks for it (the file is created on first use, so tokens printed by
// `make run` keep working across restarts).
func (c Auth) Verifier(_ context.Context) (*auth.Verifier, error) {
	if c.DevMode == DevOff {
		keys, err := auth.NewJWKS(c.AuthJWKSURL, &http.Client{Timeout: 10 * time.Second}, auth.JWKSOptions{})
		if err != nil {
			return nil, err
		}
		return auth.NewVerifier(auth.VerifierConfig{Issuer: c.AuthIssuer, Audience: c.AuthAudience, Keys: keys, CacheTTL: c.AuthCacheTTL})
	}
	return DevVerifier(c.DevKeyFile, c.AuthCacheTTL)
}

// DevVerifier verifies tokens of the local dev issuer whose key is in path.
func DevVerifier(path string, cacheTTL time.Duration) (*auth.Verifier, error) {
	iss, err := devissuer.Load(path)
	if err != nil {
		return nil, err
	}
	cfg := iss.VerifierConfig()
	cfg.CacheTTL = cacheTTL
	return auth.NewVerifier(cfg)
}

// ServerTLS returns the mTLS server configuration, or nil when TLS is off.
func (c Common) ServerTLS() (*tls.Config, error) {
	if c.TLSCertFile == "" {
		return nil, nil
	}
	return mtls.ServerConfig(c.TLSCertFile, c.TLSKeyFile, c.TLSCAFile)
}

// ClientTLS is the mTLS client configuration of a call to a peer service
// that presents serverName (e.g. HIRFA_REGISTRY_SERVER_NAME), with this
// service's own certificate; nil when TLS is not configured (plaintext).
// what names the peer in the error ("registry client tls: …").
func (c Common) ClientTLS(what, serverName string) (*tls.Config, error) {
	if c.TLSCertFile == "" {
		return nil, nil
	}
	cfg, err := mtls.ClientConfig(c.TLSCertFile, c.TLSKeyFile, c.TLSCAFile, serverName)
	if err != nil {
		return nil, fmt.Errorf("%s client tls: %w", what, err)
	}
	return cfg, nil
}

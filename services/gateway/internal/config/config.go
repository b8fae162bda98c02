// Package config loads the gateway's settings from HIRFA_* variables (the
// names the Helm chart sets), defaulting to the embedded default's
// loopback addresses.
package config

import (
	"net/netip"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/ratelimit"
	"github.com/hirfa/hirfa/pkg/suite"
	"github.com/hirfa/hirfa/pkg/svcconfig"
)

// Config is the gateway's configuration.
type Config struct {
	svcconfig.Auth
	HTTPAddr string // HIRFA_HTTP_ADDR
	// Backends are the APIs the edge routes (routed in pkg/suite's
	// manifest), each at HIRFA_<API>_ADDR; an empty address leaves the
	// API's routes answering 503.
	Backends          []Backend
	MaxBodyBytes      int64          // HIRFA_MAX_BODY_BYTES
	CORSOrigins       []string       // HIRFA_CORS_ORIGINS, comma separated
	RedisURL          string         // HIRFA_REDIS_URL (empty: in-process limits)
	RateLimits        string         // HIRFA_RATE_LIMITS, e.g. "anonymous=20/s:40,chamber-clerk=50/s:100"
	RateLimitFailOpen bool           // HIRFA_RATE_LIMIT_FAIL_OPEN
	RateLimitSync     time.Duration  // HIRFA_RATE_LIMIT_SYNC (0: a Redis decision per request)
	LogLevel          string         // HIRFA_LOG_LEVEL
	OTLPEndpoint      string         // HIRFA_OTLP_ENDPOINT
	MetricsAddr       string         // HIRFA_METRICS_ADDR: Prometheus /metrics (empty: off)
	ShutdownTimeout   time.Duration  // HIRFA_SHUTDOWN_TIMEOUT
	RequestTimeout    time.Duration  // HIRFA_REQUEST_TIMEOUT: per-call deadline to services
	DownloadTimeout   time.Duration  // HIRFA_DOWNLOAD_TIMEOUT: deadline of Download* calls (PDFs, exports)
	TLSCertFile       string         // HIRFA_TLS_CERT_FILE (client cert for mTLS to services)
	TLSKeyFile        string         // HIRFA_TLS_KEY_FILE
	TLSCAFile         string         // HIRFA_TLS_CA_FILE
	TLSServerName     string         // HIRFA_TLS_SERVER_NAME
	TrustedProxies    []netip.Prefix // HIRFA_TRUSTED_PROXIES (proxies.go)
	OpenAPI           bool           // HIRFA_OPENAPI: serve GET /openapi.json (default true)
	Console           Console
}

// Meanings documents the gateway's own variables for `gateway --help`
// (the shared ones are documented in pkg/svcconfig).
var Meanings = map[string]string{
	"HIRFA_CONSOLE":                    "serve the staff console at /console (true/false)",
	"HIRFA_CONSOLE_OIDC_ISSUER":        "OIDC issuer URL for the console's sign-in (empty: no OIDC sign-in)",
	"HIRFA_CONSOLE_OIDC_CLIENT_ID":     "the console's OIDC client id",
	"HIRFA_CONSOLE_OIDC_CLIENT_SECRET": "the console's OIDC client secret (empty: a public client, PKCE alone)",
	"HIRFA_CONSOLE_OIDC_REDIRECT_URL":  "the console's OIDC redirect URL, https://…/console/oidc/callback",
	"HIRFA_CONSOLE_OIDC_SCOPES":        "comma-separated OIDC scopes asked besides openid",
}

// Console configures the staff console at /console.
type Console struct {
	Enabled bool // HIRFA_CONSOLE (default true)
	// The OIDC sign-in (authorization code with PKCE); empty Issuer: none.
	OIDCIssuer       string   // HIRFA_CONSOLE_OIDC_ISSUER
	OIDCClientID     string   // HIRFA_CONSOLE_OIDC_CLIENT_ID
	OIDCClientSecret string   // HIRFA_CONSOLE_OIDC_CLIENT_SECRET (empty: public client)
	OIDCRedirectURL  string   // HIRFA_CONSOLE_OIDC_REDIRECT_URL (https://…/console/oidc/callback)
	OIDCScopes       []string // HIRFA_CONSOLE_OIDC_SCOPES, comma separated, besides openid
}

// Backend is one routed service and its configured address.
type Backend struct {
	suite.Service
	Addr string // empty: not configured here
}

// defaultAddr keeps the registry at its loopback address when
// HIRFA_REGISTRY_ADDR is unset, as before the manifest; every other API is
// routed only when its variable is set.
var defaultAddr = map[string]string{"registry": "127.0.0.1:9101"}

// Load reads the configuration.
func Load(get svcconfig.Getenv) (Config, error) {
	var p svcconfig.Problems
	c := Config{
		Auth:              svcconfig.LoadAuth(get, &p),
		HTTPAddr:          svcconfig.Str(get, "HIRFA_HTTP_ADDR", "127.0.0.1:8080"),
		MaxBodyBytes:      int64(svcconfig.Int(get, &p, "HIRFA_MAX_BODY_BYTES", 1<<20)),
		RedisURL:          svcconfig.Str(get, "HIRFA_REDIS_URL", ""),
		RateLimits:        svcconfig.Str(get, "HIRFA_RATE_LIMITS", ""),
		RateLimitFailOpen: svcconfig.Bool(get, &p, "HIRFA_RATE_LIMIT_FAIL_OPEN", true),
		LogLevel:          svcconfig.Str(get, "HIRFA_LOG_LEVEL", "info"),
		OTLPEndpoint:      svcconfig.Str(get, "HIRFA_OTLP_ENDPOINT", ""),
		MetricsAddr:       svcconfig.Str(get, "HIRFA_METRICS_ADDR", ""),
		ShutdownTimeout:   svcconfig.Duration(get, &p, "HIRFA_SHUTDOWN_TIMEOUT", 20*time.Second),
		RequestTimeout:    svcconfig.Duration(get, &p, "HIRFA_REQUEST_TIMEOUT", 15*time.Second),
		DownloadTimeout:   svcconfig.Duration(get, &p, "HIRFA_DOWNLOAD_TIMEOUT", 90*time.Second),
		TLSCertFile:       svcconfig.Str(get, "HIRFA_TLS_CERT_FILE", ""),
		TLSKeyFile:        svcconfig.Str(get, "HIRFA_TLS_KEY_FILE", ""),
		TLSCAFile:         svcconfig.Str(get, "HIRFA_TLS_CA_FILE", ""),
		TLSServerName:     svcconfig.Str(get, "HIRFA_TLS_SERVER_NAME", ""),
	}
	for _, svc := range suite.Services() {
		if svc.Routed {
			c.Backends = append(c.Backends, Backend{Service: svc, Addr: svcconfig.Str(get, svc.AddrVar(), defaultAddr[svc.Name])})
		}
	}
	for _, o := range strings.Split(svcconfig.Str(get, "HIRFA_CORS_ORIGINS", ""), ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.CORSOrigins = append(c.CORSOrigins, o)
		}
	}
	c.Auth.CheckDevScope(&p, "", map[string]string{"HIRFA_HTTP_ADDR": c.HTTPAddr})
	c.TrustedProxies = loadTrustedProxies(get, &p)
	// "0" turns the in-memory limiter off (a Redis decision per request),
	// which Duration refuses as not positive.
	if strings.TrimSpace(get("HIRFA_RATE_LIMIT_SYNC")) == "0" {
		c.RateLimitSync = 0
	} else {
		c.RateLimitSync = svcconfig.Duration(get, &p, "HIRFA_RATE_LIMIT_SYNC", ratelimit.DefaultSyncInterval)
	}
	c.OpenAPI = svcconfig.Bool(get, &p, "HIRFA_OPENAPI", true)
	c.Console = Console{
		Enabled:          svcconfig.Bool(get, &p, "HIRFA_CONSOLE", true),
		OIDCIssuer:       svcconfig.Str(get, "HIRFA_CONSOLE_OIDC_ISSUER", ""),
		OIDCClientID:     svcconfig.Str(get, "HIRFA_CONSOLE_OIDC_CLIENT_ID", ""),
		OIDCClientSecret: svcconfig.Str(get, "HIRFA_CONSOLE_OIDC_CLIENT_SECRET", ""),
		OIDCRedirectURL:  svcconfig.Str(get, "HIRFA_CONSOLE_OIDC_REDIRECT_URL", ""),
	}
	for _, sc := range strings.Split(svcconfig.Str(get, "HIRFA_CONSOLE_OIDC_SCOPES", ""), ",") {
		if sc = strings.TrimSpace(sc); sc != "" {
			c.Console.OIDCScopes = append(c.Console.OIDCScopes, sc)
		}
	}
	if c.Console.OIDCIssuer != "" && (c.Console.OIDCClientID == "" || c.Console.OIDCRedirectURL == "") {
		p.Add("HIRFA_CONSOLE_OIDC_ISSUER: needs HIRFA_CONSOLE_OIDC_CLIENT_ID and HIRFA_CONSOLE_OIDC_REDIRECT_URL")
	}
	if c.MaxBodyBytes < 1024 {
		p.Add("HIRFA_MAX_BODY_BYTES: must be at least 1024")
	}
	return c, p.Err()
}

package svcconfig

import (
	"slices"
	"strings"
	"sync"
)

// Var is one HIRFA_* variable a loader reads, as `--help` shows it.
type Var struct {
	Name    string
	Default string // as the loader's getter spells it; "" for none
	Meaning string // from Meanings; "" when undocumented
}

// describing is the recorder a Describe call has installed: the getters
// (Str, Int, Bool, Duration) tell it their defaults, which a plain Getenv
// cannot see. Describe runs one at a time (describeMu), only for --help and
// tests, so ordinary loads never pay for it.
var (
	describeMu sync.Mutex
	recMu      sync.Mutex
	describing *recorder
)

type recorder struct {
	order    []string
	asked    map[string]bool
	defaults map[string]string // noted by the getters
}

// get is the Getenv Describe hands the loader: it notes the name and
// answers "" so every default is taken.
func (r *recorder) get(key string) string {
	recMu.Lock()
	defer recMu.Unlock()
	if !r.asked[key] {
		r.order = append(r.order, key)
		r.asked[key] = true
	}
	return ""
}

// noteDefault is called by every getter with its default. Only names the
// recorder itself was asked for are listed, so a load running concurrently
// in another goroutine cannot add variables.
func noteDefault(key, def string) {
	recMu.Lock()
	defer recMu.Unlock()
	if describing != nil && def != "" {
		describing.defaults[key] = def
	}
}

// Describe runs load with a recording Getenv that answers "" for every
// variable, and returns each variable load read, in order, with the default
// its getter took and its meaning. load's own result (which may well be
// configuration problems, since nothing is set) is ignored: this lists what
// the loader reads, so the list cannot drift from it.
func Describe(load func(Getenv), extra map[string]string) []Var {
	describeMu.Lock()
	defer describeMu.Unlock()
	r := &recorder{asked: map[string]bool{}, defaults: map[string]string{}}
	recMu.Lock()
	describing = r
	recMu.Unlock()
	defer func() {
		recMu.Lock()
		describing = nil
		recMu.Unlock()
	}()
	load(r.get)
	recMu.Lock()
	defer recMu.Unlock()
	vars := make([]Var, 0, len(r.order))
	for _, k := range r.order {
		m := extra[k]
		if m == "" {
			m = Meaning(k)
		}
		vars = append(vars, Var{Name: k, Default: r.defaults[k], Meaning: m})
	}
	slices.SortStableFunc(vars, func(a, b Var) int { return strings.Compare(a.Name, b.Name) })
	return vars
}

// Meaning is the one-line description of a HIRFA_* variable, "" if none.
// HIRFA_<API>_ADDR variables are described by their pattern.
func Meaning(key string) string {
	if m, ok := meanings[key]; ok {
		return m
	}
	if api, ok := strings.CutSuffix(strings.TrimPrefix(key, "HIRFA_"), "_ADDR"); ok && api != key {
		return "gRPC address of the " + strings.ToLower(api) + " API"
	}
	return ""
}

// meanings describes every variable the shared loaders (and the services'
// and the edge's) read. A test fails when a loader reads a variable that has
// no entry here.
var meanings = map[string]string{
	// Every gRPC service (LoadCommon).
	"HIRFA_GRPC_ADDR":            "gRPC listen address",
	"HIRFA_DATABASE_URL":         "database: sqlite://FILE or postgres://… (the runtime role)",
	"HIRFA_MIGRATE":              "auto: apply migrations at start; off: only `migrate` does",
	"HIRFA_MIGRATE_DATABASE_URL": "PostgreSQL owner role's DSN the migrations run as (empty: HIRFA_DATABASE_URL)",
	"HIRFA_LOG_LEVEL":            "debug | info | warn | error",
	"HIRFA_OTLP_ENDPOINT":        "OTLP/gRPC collector for traces and metrics (empty: no export)",
	"HIRFA_METRICS_ADDR":         "Prometheus /metrics listen address (empty: off)",
	"HIRFA_SHUTDOWN_TIMEOUT":     "drain deadline on SIGTERM",
	"HIRFA_DRAIN_DELAY":          "time reported NOT_SERVING before draining starts",
	"HIRFA_TLS_CERT_FILE":        "mTLS certificate (set with the key and CA files, or none)",
	"HIRFA_TLS_KEY_FILE":         "mTLS private key",
	"HIRFA_TLS_CA_FILE":          "mTLS CA bundle peers are verified against",
	"HIRFA_SEED_DEMO":            "load the demo records at start (embedded default only)",
	"HIRFA_GRPC_REFLECTION":      "serve gRPC server reflection",
	// Token verification (LoadAuth), every process.
	"HIRFA_AUTH_ISSUER":       "expected JWT iss",
	"HIRFA_AUTH_AUDIENCE":     "expected JWT aud",
	"HIRFA_AUTH_JWKS_URL":     "OIDC issuer's JWKS URL (required unless HIRFA_AUTH_DEV is set)",
	"HIRFA_AUTH_DEV":          "true: local dev issuer (loopback only); demo: try-out cluster (SQLite only); false",
	"HIRFA_AUTH_DEV_KEY_FILE": "dev issuer's signing key file",
	"HIRFA_AUTH_CACHE_TTL":    "how long a verified token is remembered (0: no cache)",
	// registry.
	"HIRFA_COOP_MIN_MEMBERS":          "minimum founding members of a cooperative",
	"HIRFA_SAMPLE_NOMENCLATURE":       "load the sample activity nomenclature (invented codes) and accept its codes (default: HIRFA_SEED_DEMO)",
	"HIRFA_NAME_REQUEST_DEADLINE":     "time ODCO has to decide a cooperative name request (overdue after it)",
	"HIRFA_NAME_CERTIFICATE_VALIDITY": "how long an approved cooperative name certificate can be used",
	"HIRFA_DUPLICATE_SCAN_INTERVAL":   "how often the duplicate review queue scans the artisans changed since the last scan",
	// events-and-fairs.
	"HIRFA_REGISTRY_TIMEOUT":            "deadline of each call to the registry",
	"HIRFA_DESK_ARCHIVE_DIR":            "folder of the desk archive's documents (the local object store)",
	"HIRFA_DESK_S3_ENDPOINT":            "URL of the S3-compatible store of the desk archive (replaces the folder when set)",
	"HIRFA_DESK_S3_BUCKET":              "bucket of the desk archive in the S3-compatible store",
	"HIRFA_DESK_S3_ACCESS_KEY":          "access key of the desk archive's S3-compatible store",
	"HIRFA_DESK_S3_SECRET_KEY":          "secret key of the desk archive's S3-compatible store",
	"HIRFA_DESK_S3_REGION":              "region of the desk archive's S3-compatible store",
	"HIRFA_DESK_VERIFY_BASE_URL":        "public address of the REST edge that professional cards' QR codes point at",
	"HIRFA_REGISTRY_TLS_SERVER_NAME":    "TLS server name of the registry (empty: the address's host)",
	"HIRFA_EVENTSFAIRS_TIMEOUT":         "deadline of each call to events-and-fairs",
	"HIRFA_EVENTSFAIRS_TLS_SERVER_NAME": "TLS server name of events-and-fairs (empty: the address's host)",
	"HIRFA_ASSEMBLY_QUORUM":             "first convocation quorum of a general assembly, a fraction (e.g. 1/2)",
	"HIRFA_ASSEMBLY_SECOND_QUORUM":      "second convocation quorum, a fraction (empty: none)",
	"HIRFA_ASSEMBLY_SECOND_MINIMUM":     "second convocation minimum of members present",
	// gateway.
	"HIRFA_HTTP_ADDR":                  "HTTP listen address of the REST edge",
	"HIRFA_MAX_BODY_BYTES":             "largest request body accepted",
	"HIRFA_CORS_ORIGINS":               "comma-separated origins allowed by CORS (empty: none)",
	"HIRFA_REDIS_URL":                  "Redis: the event bus's streams (services) or rate limits and idempotency keys (gateway), shared across replicas (empty: in-process)",
	"HIRFA_BUS_ADDR":                   "the embedded default's event bus (loopback host:port) when HIRFA_REDIS_URL is empty: reporting hosts an in-process Redis-protocol server there, producers relay to it",
	"HIRFA_BUS_PREFIX":                 "prefix of every key the event bus uses (several suites on one Redis)",
	"HIRFA_CHROMIUM":                   "headless Chromium for PDF and PNG renders (empty: found on PATH; none: PDF/PNG answer RENDERER_UNAVAILABLE)",
	"HIRFA_RENDER_TIMEOUT":             "deadline of one PDF or PNG render",
	"HIRFA_EVENT_SOURCES":              "comma-separated producing services whose event streams reporting consumes",
	"HIRFA_VITALITY_ASSEMBLY_MONTHS":   "inventory: a general assembly older than this many months is outdated",
	"HIRFA_VITALITY_BUREAU_MONTHS":     "inventory: a bureau renewal older than this many months is outdated",
	"HIRFA_VITALITY_ACTIVITY_MONTHS":   "inventory: participation and documents older than this many months are outdated",
	"HIRFA_VITALITY_ASSEMBLY_REQUIRED": "inventory: an association with an outdated general assembly is stagnant whatever else it did",
	"HIRFA_RATE_LIMITS":                "per-role limits, e.g. anonymous=20/s:40,chamber-clerk=50/s:100, or off",
	"HIRFA_RATE_LIMIT_FAIL_OPEN":       "admit calls when Redis is unreachable (only with HIRFA_RATE_LIMIT_SYNC=0: the local limiter keeps deciding)",
	"HIRFA_RATE_LIMIT_SYNC":            "rate limits decided in memory, shared with the other replicas through Redis at this interval (0: one Redis decision per request)",
	"HIRFA_REQUEST_TIMEOUT":            "deadline of each call to a service",
	"HIRFA_DOWNLOAD_TIMEOUT":           "deadline of a Download* call to a service (rendered PDFs and exports; the first PDF after a restart starts Chromium)",
	"HIRFA_TLS_SERVER_NAME":            "TLS server name expected of the services (empty: the address's host)",
	"HIRFA_TRUSTED_PROXIES":            "comma-separated CIDRs whose X-Forwarded-For is believed",
	"HIRFA_OPENAPI":                    "serve GET /openapi.json",
}

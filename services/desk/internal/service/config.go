package service

import (
	"net/url"
	"time"

	"github.com/hirfa/hirfa/pkg/svcconfig"
	"github.com/hirfa/hirfa/services/desk/internal/adapters/objectstore"
)

// Name is the service name in logs, traces and events.
const Name = "desk"

// DefaultAddr is the service's gRPC address in the embedded default.
const DefaultAddr = "127.0.0.1:9105"

// Config is the service's configuration: the settings every service reads
// (HIRFA_GRPC_ADDR, HIRFA_DATABASE_URL, HIRFA_MIGRATE, TLS, auth …). Add the
// service's own settings here, read in Load.
type Config struct {
	svcconfig.Common
	// RegistryAddr is the registry's gRPC address (HIRFA_REGISTRY_ADDR,
	// default 127.0.0.1:9101): requesters, parties and owners are looked up there.
	RegistryAddr string
	// RegistryTimeout bounds one registry look-up, retries included
	// (HIRFA_REGISTRY_TIMEOUT, default 3s).
	RegistryTimeout time.Duration
	// RegistryServerName is the registry's name in its TLS certificate
	// (HIRFA_REGISTRY_TLS_SERVER_NAME; default: the host of the address).
	RegistryServerName string
	// ArchiveDir is the folder of the archive's documents, the embedded
	// default's object store (HIRFA_DESK_ARCHIVE_DIR, default var/desk-archive).
	ArchiveDir string
	// S3 is the S3-compatible object store of the archive, used instead of
	// ArchiveDir when its endpoint is set (HIRFA_DESK_S3_ENDPOINT, _BUCKET,
	// _ACCESS_KEY, _SECRET_KEY, _REGION).
	S3 objectstore.S3Options
	// Chromium prints professional cards (HIRFA_CHROMIUM; empty: found on
	// PATH; without one, card downloads answer RENDERER_UNAVAILABLE).
	Chromium string
	// RenderTimeout bounds one card's print (HIRFA_RENDER_TIMEOUT, default 30s).
	RenderTimeout time.Duration
	// VerifyBaseURL is the public address of the REST edge that cards' QR
	// codes point at (HIRFA_DESK_VERIFY_BASE_URL, default
	// http://localhost:8080): {base}/v1/verifications/{code}.
	VerifyBaseURL string
}

// Load reads the configuration from the environment, reporting every
// problem at once.
func Load(get svcconfig.Getenv) (Config, error) {
	var p svcconfig.Problems
	c := Config{Common: svcconfig.LoadCommon(get, &p, Name, DefaultAddr),
		RegistryAddr:       svcconfig.Str(get, "HIRFA_REGISTRY_ADDR", "127.0.0.1:9101"),
		RegistryTimeout:    svcconfig.Duration(get, &p, "HIRFA_REGISTRY_TIMEOUT", 3*time.Second),
		RegistryServerName: svcconfig.Str(get, "HIRFA_REGISTRY_TLS_SERVER_NAME", ""),
		ArchiveDir:         svcconfig.Str(get, "HIRFA_DESK_ARCHIVE_DIR", "var/desk-archive"),
		S3: objectstore.S3Options{
			Endpoint: svcconfig.Str(get, "HIRFA_DESK_S3_ENDPOINT", ""), Bucket: svcconfig.Str(get, "HIRFA_DESK_S3_BUCKET", "hirfa-desk"),
			AccessKey: svcconfig.Str(get, "HIRFA_DESK_S3_ACCESS_KEY", ""), SecretKey: svcconfig.Str(get, "HIRFA_DESK_S3_SECRET_KEY", ""),
			Region: svcconfig.Str(get, "HIRFA_DESK_S3_REGION", "us-east-1"),
		},
		Chromium:      svcconfig.Str(get, "HIRFA_CHROMIUM", ""),
		RenderTimeout: svcconfig.Duration(get, &p, "HIRFA_RENDER_TIMEOUT", 30*time.Second),
		VerifyBaseURL: svcconfig.Str(get, "HIRFA_DESK_VERIFY_BASE_URL", "http://localhost:8080"),
	}
	if u, err := url.Parse(c.VerifyBaseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		p.Add("HIRFA_DESK_VERIFY_BASE_URL must be an http(s) URL, got %q", c.VerifyBaseURL)
	}
	if c.S3.Endpoint != "" && (c.S3.AccessKey == "" || c.S3.SecretKey == "") {
		p.Add("HIRFA_DESK_S3_ACCESS_KEY and HIRFA_DESK_S3_SECRET_KEY are required with HIRFA_DESK_S3_ENDPOINT")
	}
	return c, p.Err()
}

package service

import "github.com/hirfa/hirfa/pkg/svcconfig"

// Name is the service name in logs, traces and events.
const Name = "desk"

// DefaultAddr is the service's gRPC address in the embedded default.
const DefaultAddr = "127.0.0.1:9105"

// Config is the service's configuration: the settings every service reads
// (HIRFA_GRPC_ADDR, HIRFA_DATABASE_URL, HIRFA_MIGRATE, TLS, auth …). Add the
// service's own settings here, read in Load.
type Config struct {
	svcconfig.Common
	// ArchiveDir is the folder of the archive's documents, the embedded
	// default's object store (HIRFA_DESK_ARCHIVE_DIR, default var/desk-archive).
	ArchiveDir string
}

// Load reads the configuration from the environment, reporting every
// problem at once.
func Load(get svcconfig.Getenv) (Config, error) {
	var p svcconfig.Problems
	c := Config{Common: svcconfig.LoadCommon(get, &p, Name, DefaultAddr),
		ArchiveDir: svcconfig.Str(get, "HIRFA_DESK_ARCHIVE_DIR", "var/desk-archive")}
	return c, p.Err()
}

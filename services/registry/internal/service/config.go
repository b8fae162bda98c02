package service

import (
	"time"

	"github.com/hirfa/hirfa/pkg/svcconfig"
	"github.com/hirfa/hirfa/services/registry/internal/app"
)

// Name is the service name in logs, traces and events.
const Name = "registry"

// DefaultAddr is the registry's gRPC address in the embedded default.
const DefaultAddr = "127.0.0.1:9101"

// Config is the registry's configuration.
type Config struct {
	svcconfig.Common
	// CoopMinMembers is the minimum number of members of a cooperative
	// (HIRFA_COOP_MIN_MEMBERS, default 5).
	CoopMinMembers int
	// SampleNomenclature loads the sample of the activity nomenclature
	// (invented codes such as F1.B02.A01) and lets records use its codes
	// (HIRFA_SAMPLE_NOMENCLATURE, default: on with the demo profile, off
	// otherwise). Off, a sample code is refused as not usable, so a real
	// record never carries a code that is not in decree 2.21.991.
	SampleNomenclature bool
	// NameRequestDeadline is the time ODCO has to decide a cooperative
	// name request (HIRFA_NAME_REQUEST_DEADLINE, default 72h).
	NameRequestDeadline time.Duration
	// NameCertificateValidity is how long an approved name certificate can
	// be used (HIRFA_NAME_CERTIFICATE_VALIDITY, default 2160h: 90 days).
	NameCertificateValidity time.Duration
	// Chromium prints the name certificate PDF (HIRFA_CHROMIUM; default:
	// chromium, chromium-browser or google-chrome on PATH). Without one the
	// PDF answers FAILED_PRECONDITION RENDERER_UNAVAILABLE.
	Chromium string
	// RenderTimeout bounds one PDF (HIRFA_RENDER_TIMEOUT, default 30s).
	RenderTimeout time.Duration
	// DuplicateScanInterval is how often the duplicate review queue takes
	// in the artisans changed since its last scan
	// (HIRFA_DUPLICATE_SCAN_INTERVAL, default 10s).
	DuplicateScanInterval time.Duration
}

// Load reads the configuration from the environment.
func Load(get svcconfig.Getenv) (Config, error) {
	var p svcconfig.Problems
	c := Config{
		Common:                  svcconfig.LoadCommon(get, &p, Name, DefaultAddr),
		CoopMinMembers:          svcconfig.Int(get, &p, "HIRFA_COOP_MIN_MEMBERS", 5),
		NameRequestDeadline:     svcconfig.Duration(get, &p, "HIRFA_NAME_REQUEST_DEADLINE", app.DefaultNameSettings().Deadline),
		NameCertificateValidity: svcconfig.Duration(get, &p, "HIRFA_NAME_CERTIFICATE_VALIDITY", app.DefaultNameSettings().Validity),
		Chromium:                svcconfig.Str(get, "HIRFA_CHROMIUM", ""),
		RenderTimeout:           svcconfig.Duration(get, &p, "HIRFA_RENDER_TIMEOUT", 30*time.Second),
		DuplicateScanInterval:   svcconfig.Duration(get, &p, "HIRFA_DUPLICATE_SCAN_INTERVAL", 10*time.Second),
	}
	c.SampleNomenclature = svcconfig.Bool(get, &p, "HIRFA_SAMPLE_NOMENCLATURE", c.SeedDemo)
	if c.SeedDemo && !c.SampleNomenclature {
		// The demo records are recorded in the sample's activities.
		p.Add("HIRFA_SAMPLE_NOMENCLATURE: the demo profile (HIRFA_SEED_DEMO=true) needs the sample nomenclature")
	}
	if c.CoopMinMembers < 1 {
		p.Add("HIRFA_COOP_MIN_MEMBERS: must be at least 1")
	}
	if c.NameRequestDeadline <= 0 {
		p.Add("HIRFA_NAME_REQUEST_DEADLINE: must be positive")
	}
	if c.NameCertificateValidity <= 0 {
		p.Add("HIRFA_NAME_CERTIFICATE_VALIDITY: must be positive")
	}
	if c.DuplicateScanInterval <= 0 {
		p.Add("HIRFA_DUPLICATE_SCAN_INTERVAL: must be positive")
	}
	return c, p.Err()
}

package service

import (
	"github.com/hirfa/hirfa/pkg/svcconfig"
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
}

// Load reads the configuration from the environment.
func Load(get svcconfig.Getenv) (Config, error) {
	var p svcconfig.Problems
	c := Config{
		Common:         svcconfig.LoadCommon(get, &p, Name, DefaultAddr),
		CoopMinMembers: svcconfig.Int(get, &p, "HIRFA_COOP_MIN_MEMBERS", 5),
	}
	c.SampleNomenclature = svcconfig.Bool(get, &p, "HIRFA_SAMPLE_NOMENCLATURE", c.SeedDemo)
	if c.SeedDemo && !c.SampleNomenclature {
		// The demo records are recorded in the sample's activities.
		p.Add("HIRFA_SAMPLE_NOMENCLATURE: the demo profile (HIRFA_SEED_DEMO=true) needs the sample nomenclature")
	}
	if c.CoopMinMembers < 1 {
		p.Add("HIRFA_COOP_MIN_MEMBERS: must be at least 1")
	}
	return c, p.Err()
}

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
}

// Load reads the configuration from the environment.
func Load(get svcconfig.Getenv) (Config, error) {
	var p svcconfig.Problems
	c := Config{
		Common:         svcconfig.LoadCommon(get, &p, Name, DefaultAddr),
		CoopMinMembers: svcconfig.Int(get, &p, "HIRFA_COOP_MIN_MEMBERS", 5),
	}
	if c.CoopMinMembers < 1 {
		p.Add("HIRFA_COOP_MIN_MEMBERS: must be at least 1")
	}
	return c, p.Err()
}

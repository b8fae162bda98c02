package service

import (
	"time"

	"github.com/hirfa/hirfa/pkg/svcconfig"
)

// Name is the service name in logs, traces and events.
const Name = "craft-bodies"

// DefaultAddr is the service's gRPC address in the embedded default.
const DefaultAddr = "127.0.0.1:9103"

// Config is the service's configuration.
type Config struct {
	svcconfig.Common
	// RegistryAddr is the registry's gRPC address (HIRFA_REGISTRY_ADDR,
	// default 127.0.0.1:9101): the census reads it.
	RegistryAddr string
	// RegistryTimeout bounds one page of the census, retries included
	// (HIRFA_REGISTRY_TIMEOUT, default 5s).
	RegistryTimeout time.Duration
	// RegistryServerName is the registry's name in its TLS certificate
	// (HIRFA_REGISTRY_TLS_SERVER_NAME; default: the host of the address).
	RegistryServerName string
	// EventsAddr is events-and-fairs' gRPC address (HIRFA_EVENTSFAIRS_ADDR,
	// default 127.0.0.1:9102): awareness meetings are its events.
	EventsAddr string
	// EventsTimeout bounds one call to events-and-fairs, retries included
	// (HIRFA_EVENTSFAIRS_TIMEOUT, default 3s).
	EventsTimeout time.Duration
	// EventsServerName is events-and-fairs' name in its TLS certificate
	// (HIRFA_EVENTSFAIRS_TLS_SERVER_NAME; default: the host of the address).
	EventsServerName string
}

// Load reads the configuration from the environment, reporting every
// problem at once.
func Load(get svcconfig.Getenv) (Config, error) {
	var p svcconfig.Problems
	c := Config{
		Common:             svcconfig.LoadCommon(get, &p, Name, DefaultAddr),
		RegistryAddr:       svcconfig.Str(get, "HIRFA_REGISTRY_ADDR", "127.0.0.1:9101"),
		RegistryTimeout:    svcconfig.Duration(get, &p, "HIRFA_REGISTRY_TIMEOUT", 5*time.Second),
		RegistryServerName: svcconfig.Str(get, "HIRFA_REGISTRY_TLS_SERVER_NAME", ""),
		EventsAddr:         svcconfig.Str(get, "HIRFA_EVENTSFAIRS_ADDR", "127.0.0.1:9102"),
		EventsTimeout:      svcconfig.Duration(get, &p, "HIRFA_EVENTSFAIRS_TIMEOUT", 3*time.Second),
		EventsServerName:   svcconfig.Str(get, "HIRFA_EVENTSFAIRS_TLS_SERVER_NAME", ""),
	}
	return c, p.Err()
}

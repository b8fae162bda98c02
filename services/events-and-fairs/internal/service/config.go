package service

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/svcconfig"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/generalassembly"
)

// Name is the service name in logs, traces and events.
const Name = "events-and-fairs"

// DefaultAddr is the service's gRPC address in the embedded default.
const DefaultAddr = "127.0.0.1:9102"

// Config is the service's configuration.
type Config struct {
	svcconfig.Common
	// RegistryAddr is the registry's gRPC address (HIRFA_REGISTRY_ADDR,
	// default 127.0.0.1:9101).
	RegistryAddr string
	// RegistryTimeout bounds one registry look-up, retries included
	// (HIRFA_REGISTRY_TIMEOUT, default 3s).
	RegistryTimeout time.Duration
	// RegistryServerName is the registry's name in its TLS certificate
	// (HIRFA_REGISTRY_TLS_SERVER_NAME; default: the host of the address).
	RegistryServerName string
	// Quorum is the default quorum of a general assembly: the first
	// convocation fraction (HIRFA_ASSEMBLY_QUORUM, default "1/2"), the
	// second convocation fraction (HIRFA_ASSEMBLY_SECOND_QUORUM, default
	// none) and minimum (HIRFA_ASSEMBLY_SECOND_MINIMUM, default 0). Law
	// 18.09 leaves the threshold to each body, so it is configuration.
	Quorum generalassembly.Quorum
}

// Load reads the configuration from the environment, reporting every
// problem at once.
func Load(get svcconfig.Getenv) (Config, error) {
	var p svcconfig.Problems
	c := Config{
		Common:             svcconfig.LoadCommon(get, &p, Name, DefaultAddr),
		RegistryAddr:       svcconfig.Str(get, "HIRFA_REGISTRY_ADDR", "127.0.0.1:9101"),
		RegistryTimeout:    svcconfig.Duration(get, &p, "HIRFA_REGISTRY_TIMEOUT", 3*time.Second),
		RegistryServerName: svcconfig.Str(get, "HIRFA_REGISTRY_TLS_SERVER_NAME", ""),
	}
	before := len(p)
	num, den, err := fraction(svcconfig.Str(get, "HIRFA_ASSEMBLY_QUORUM", "1/2"))
	if err != nil {
		p.Add("HIRFA_ASSEMBLY_QUORUM: %v", err)
	}
	c.Quorum = generalassembly.Quorum{Numerator: num, Denominator: den,
		SecondMinimum: svcconfig.Int(get, &p, "HIRFA_ASSEMBLY_SECOND_MINIMUM", 0)}
	if s := svcconfig.Str(get, "HIRFA_ASSEMBLY_SECOND_QUORUM", ""); s != "" {
		if c.Quorum.SecondNumerator, c.Quorum.SecondDenominator, err = fraction(s); err != nil {
			p.Add("HIRFA_ASSEMBLY_SECOND_QUORUM: %v", err)
		}
	}
	if len(p) == before {
		if err := c.Quorum.Rule().Validate(); err != nil {
			p.Add("HIRFA_ASSEMBLY_QUORUM: %v", err)
		}
	}
	return c, p.Err()
}

// fraction parses "n/d".
func fraction(s string) (int, int, error) {
	n, d, ok := strings.Cut(s, "/")
	num, err1 := strconv.Atoi(strings.TrimSpace(n))
	den, err2 := strconv.Atoi(strings.TrimSpace(d))
	if !ok || err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("%q is not a fraction such as 1/2", s)
	}
	return num, den, nil
}

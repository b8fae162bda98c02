// Command registry serves the chambers' registers over gRPC.
//
//	registry           serve (configuration from HIRFA_* variables)
//	registry migrate   apply the database migrations and exit
//	registry snapshot  write every current record to the outbox as a snapshot event and exit
package main

import (
	"github.com/hirfa/hirfa/pkg/svcconfig"
	"github.com/hirfa/hirfa/pkg/svcmain"
	"github.com/hirfa/hirfa/services/registry/internal/service"
)

var version = "dev"

func main() {
	svcmain.Main(svcmain.Spec[service.Config]{
		Name: service.Name, Version: version, Load: service.Load, Migrate: service.Migrate, Serve: service.Serve, Snapshot: service.Snapshot,
		Common: func(c service.Config) svcconfig.Common { return c.Common },
	})
}

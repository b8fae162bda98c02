// Command events-and-fairs serves the chambers' fairs, events, general
// assemblies and partnership agreements over gRPC.
//
//	events-and-fairs           serve (configuration from HIRFA_* variables)
//	events-and-fairs migrate   apply the database migrations and exit
//	events-and-fairs snapshot  write every current record to the outbox as a snapshot event and exit
package main

import (
	"github.com/hirfa/hirfa/pkg/svcconfig"
	"github.com/hirfa/hirfa/pkg/svcmain"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/service"
)

var version = "dev"

func main() {
	svcmain.Main(svcmain.Spec[service.Config]{
		Name: service.Name, Version: version, Load: service.Load, Migrate: service.Migrate, Serve: service.Serve, Snapshot: service.Snapshot,
		Common: func(c service.Config) svcconfig.Common { return c.Common },
	})
}

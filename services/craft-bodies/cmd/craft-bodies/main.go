// Command craft-bodies serves the founding of the craft bodies of law 50.17
// (programmes, provincial, regional and national bodies, their census,
// constitutive assembly and bureau election, progress) over gRPC.
//
//	craft-bodies           serve (configuration from HIRFA_* variables)
//	craft-bodies migrate   apply the database migrations and exit
//	craft-bodies snapshot  write every current record to the outbox as a snapshot event and exit
package main

import (
	"github.com/hirfa/hirfa/pkg/svcconfig"
	"github.com/hirfa/hirfa/pkg/svcmain"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/service"
)

var version = "dev"

func main() {
	svcmain.Main(svcmain.Spec[service.Config]{
		Name: service.Name, Version: version, Load: service.Load, Migrate: service.Migrate, Serve: service.Serve, Snapshot: service.Snapshot,
		Common: func(c service.Config) svcconfig.Common { return c.Common },
	})
}

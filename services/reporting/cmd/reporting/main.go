// Command reporting serves the platform's figures — statistics, targets,
// the activity report and charts — over gRPC, fed by the producers' events.
//
//	reporting           serve (configuration from HIRFA_* variables)
//	reporting migrate   apply the database migrations and exit
package main

import (
	"github.com/hirfa/hirfa/pkg/svcconfig"
	"github.com/hirfa/hirfa/pkg/svcmain"
	"github.com/hirfa/hirfa/services/reporting/internal/service"
)

var version = "dev"

func main() {
	svcmain.Main(svcmain.Spec[service.Config]{
		Name: service.Name, Version: version, Load: service.Load, Migrate: service.Migrate, Serve: service.Serve,
		Common: func(c service.Config) svcconfig.Common { return c.Common },
	})
}

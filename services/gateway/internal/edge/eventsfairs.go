package edge

import (
	"context"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	"google.golang.org/grpc"
)

// EventsFairsBackend returns the events-and-fairs service's REST routes:
// events, fairs, registrations, general assemblies and agreements.
func EventsFairsBackend(addr string) Backend {
	return Backend{Name: "events-and-fairs", Addr: addr, Register: []func(context.Context, *runtime.ServeMux, string, []grpc.DialOption) error{
		eventsfairsv1.RegisterEventServiceHandlerFromEndpoint,
		eventsfairsv1.RegisterFairServiceHandlerFromEndpoint,
		eventsfairsv1.RegisterRegistrationServiceHandlerFromEndpoint,
		eventsfairsv1.RegisterAssemblyServiceHandlerFromEndpoint,
		eventsfairsv1.RegisterAgreementServiceHandlerFromEndpoint,
	}}
}

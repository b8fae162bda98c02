// Package policytest checks a service's access policy against the methods
// its gRPC server really registers, for every service's tests.
package policytest

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/tenancy"
)

// Roles are the roles every method is called as, each with the chamber its
// token names (chamberless roles none).
var Roles = map[auth.Role]string{
	auth.RoleMinistry: "", auth.RoleFederation: "", auth.RoleChamberAdmin: "fes-meknes",
	auth.RoleChamberClerk: "fes-meknes", auth.RoleAuditor: "fes-meknes", auth.RoleODCOOfficer: "",
}

// EveryMethod walks every method srv registers under the proto package
// prefix (e.g. "hirfa.desk.v1.") — from the server's own descriptors, so a
// new RPC cannot escape — and checks that it is in the policy, that it needs
// a token (unless the policy makes it public), and that the interceptor lets
// exactly the permitted roles through: others get PERMISSION_DENIED before
// any handler runs. Whose objects a role may touch is the tenancy guard's
// call, tested per resource elsewhere. as returns a context carrying a token
// for the role and chamber; atLeast guards against walking nothing.
func EveryMethod(t *testing.T, srv *grpc.Server, conn grpc.ClientConnInterface, policy tenancy.Policy,
	prefix string, as func(role auth.Role, chamber string) context.Context, atLeast int,
) {
	t.Helper()
	methods := 0
	for svc, si := range srv.GetServiceInfo() {
		if !strings.HasPrefix(svc, prefix) {
			continue
		}
		d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(svc))
		if err != nil {
			t.Fatal(err)
		}
		sd := d.(protoreflect.ServiceDescriptor)
		for _, m := range si.Methods {
			full := "/" + svc + "/" + m.Name
			access, ok := policy[full]
			if !ok {
				t.Errorf("%s is registered but missing from the access policy", full)
				continue
			}
			methods++
			md := sd.Methods().ByName(protoreflect.Name(m.Name))
			call := func(role auth.Role) codes.Code {
				ctx := t.Context()
				if role != "" {
					ctx = as(role, Roles[role])
				}
				req, resp := dynamicpb.NewMessage(md.Input()), dynamicpb.NewMessage(md.Output())
				return status.Code(conn.Invoke(ctx, full, req, resp))
			}
			if got := call(""); access != tenancy.Public && got != codes.Unauthenticated {
				t.Errorf("%s without a token: %v", full, got)
			}
			for role := range Roles {
				got := call(role)
				if tenancy.Permits(access, role) == (got == codes.PermissionDenied) {
					t.Errorf("%s as %s (%s): %v", full, role, access, got)
				}
			}
		}
	}
	if methods != len(policy) || methods < atLeast {
		t.Fatalf("walked %d methods, the policy lists %d (at least %d expected)", methods, len(policy), atLeast)
	}
}

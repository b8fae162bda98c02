package service

import (
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/tenancy"
)

// TestEveryMethodHasAPolicy walks every registered method — from the
// server's own descriptors, so a new RPC cannot escape — and checks it is in
// the policy, that it needs a token, and that the interceptor lets exactly
// the permitted roles through (others get PERMISSION_DENIED before any
// handler runs; whose objects they may touch is the tenancy guard's call,
// tested per resource in the other tests).
func TestEveryMethodHasAPolicy(t *testing.T) {
	e := start(t, options{})
	roles := map[auth.Role]string{auth.RoleMinistry: "", auth.RoleFederation: "", auth.RoleChamberAdmin: "fes-meknes",
		auth.RoleChamberClerk: "fes-meknes", auth.RoleAuditor: "fes-meknes"}
	methods := 0
	for svc, si := range e.svc.Server.GRPC.GetServiceInfo() {
		if !strings.HasPrefix(svc, "hirfa.reporting.v1.") {
			continue
		}
		d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(svc))
		if err != nil {
			t.Fatal(err)
		}
		sd := d.(protoreflect.ServiceDescriptor)
		for _, m := range si.Methods {
			full := "/" + svc + "/" + m.Name
			access, ok := Policy[full]
			if !ok {
				t.Errorf("%s is registered but missing from the access policy", full)
				continue
			}
			methods++
			md := sd.Methods().ByName(protoreflect.Name(m.Name))
			call := func(role auth.Role) codes.Code {
				ctx := t.Context()
				if role != "" {
					ctx = e.as(t, role, roles[role])
				}
				req, resp := dynamicpb.NewMessage(md.Input()), dynamicpb.NewMessage(md.Output())
				return status.Code(e.conn.Invoke(ctx, full, req, resp))
			}
			if got := call(""); got != codes.Unauthenticated {
				t.Errorf("%s without a token: %v", full, got)
			}
			for role := range roles {
				got := call(role)
				if tenancy.Permits(access, role) == (got == codes.PermissionDenied) {
					t.Errorf("%s as %s (%s): %v", full, role, access, got)
				}
			}
		}
	}
	if methods != len(Policy) || methods < 12 {
		t.Fatalf("walked %d methods, the policy lists %d", methods, len(Policy))
	}
}

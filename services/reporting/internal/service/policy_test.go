package service

import (
	"context"
	"testing"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/tenancy/policytest"
)

// TestEveryMethodHasAPolicy checks every method the server registers against
// the access policy, as every role and without a token (pkg/tenancy/policytest).
func TestEveryMethodHasAPolicy(t *testing.T) {
	e := start(t, options{})
	as := func(role auth.Role, chamber string) context.Context { return e.as(t, role, chamber) }
	policytest.EveryMethod(t, e.svc.Server.GRPC, e.conn, Policy, "hirfa.reporting.v1.", as, 15)
}

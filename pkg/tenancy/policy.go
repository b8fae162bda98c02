package tenancy

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/hirfa/hirfa/pkg/auth"
)

// Access is what a method does, which decides the roles that may call it.
// Which chamber's objects the caller may touch is decided per object by
// Guard, in each service's application layer.
type Access string

// Access kinds.
const (
	Public    Access = "public"    // anyone, no token needed (reference reads)
	Read      Access = "read"      // every role; chamber roles only their chamber
	Write     Access = "write"     // chamber clerks and admins, their chamber only
	Reference Access = "reference" // the ministry maintains reference data
	Audit     Access = "audit"     // chamber admins and auditors (their chamber), national roles
	// Lookup is every authenticated role, across chambers: checks of
	// registration facts (no personal data) that other chambers' fairs
	// and other services need.
	Lookup Access = "lookup"
	// Plan is the ministry (everywhere) and chamber admins (their chamber):
	// planning data such as territorial registration targets, and
	// operating a chamber's event consumers (replaying dead letters).
	Plan Access = "plan"
	// Mediation is chamber admins and clerks, their chamber only: mediation
	// and arbitration cases between artisans, which only the chamber's
	// admins and the case's assigned mediator may see (Guard.Mediate
	// decides per case). National roles and auditors do not read them.
	Mediation Access = "mediation"
	// Merge is chamber clerks and admins (their chamber) and the ministry
	// (across chambers): merging duplicate register entries, which may
	// span two chambers when one person was entered in both.
	Merge Access = "merge"
	// Names is every role: cooperative name requests, which chamber roles
	// see in their chamber and national roles and ODCO's officers
	// everywhere (Guard.ReadNames decides per request).
	Names Access = "names"
	// NameDecision is ODCO's officers: approving or rejecting a
	// cooperative name request.
	NameDecision Access = "name-decision"
	// Admin is chamber admins, their chamber only: decisions a clerk may
	// not take alone, such as revoking a professional card or maintaining
	// the desk's request types.
	Admin Access = "admin"
)

// Roles lists every role, in the order tables show them.
var Roles = []auth.Role{auth.RoleMinistry, auth.RoleFederation, auth.RoleChamberAdmin, auth.RoleChamberClerk, auth.RoleAuditor, auth.RoleODCOOfficer}

// Permits reports whether role may call a method of kind a.
func Permits(a Access, r auth.Role) bool {
	switch a {
	case Public, Names:
		return true
	case Read, Lookup:
		// ODCO's officers see name requests, not the chambers' registers.
		return r != auth.RoleODCOOfficer
	case Write:
		return r == auth.RoleChamberClerk || r == auth.RoleChamberAdmin
	case Reference:
		return r == auth.RoleMinistry
	case Audit:
		return r == auth.RoleChamberAdmin || r == auth.RoleAuditor || r.National()
	case Plan:
		return r == auth.RoleMinistry || r == auth.RoleChamberAdmin
	case Mediation:
		return r == auth.RoleChamberAdmin || r == auth.RoleChamberClerk
	case Merge:
		return r == auth.RoleChamberAdmin || r == auth.RoleChamberClerk || r == auth.RoleMinistry
	case NameDecision:
		return r == auth.RoleODCOOfficer
	case Admin:
		return r == auth.RoleChamberAdmin
	}
	return false
}

// Policy maps every full gRPC method of a service to its access kind. It is
// the one role × method table of the service: the interceptor enforces it,
// the README renders it, and a test checks that every registered method has
// an entry (a method missing from it is refused).
type Policy map[string]Access

// Public reports whether a method needs no token (for the auth interceptor).
func (p Policy) Public(fullMethod string) bool { return p[fullMethod] == Public }

// UnaryServerInterceptor refuses calls whose role may not use the method,
// and any method the policy does not list (fail closed). It runs after
// authentication.
func (p Policy) UnaryServerInterceptor() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
		if err := p.check(ctx, info.FullMethod); err != nil {
			return nil, err
		}
		return next(ctx, req)
	}
}

// StreamServerInterceptor is UnaryServerInterceptor for streams.
func (p Policy) StreamServerInterceptor() grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, next grpc.StreamHandler) error {
		if err := p.check(ss.Context(), info.FullMethod); err != nil {
			return err
		}
		return next(srv, ss)
	}
}

func (p Policy) check(ctx context.Context, method string) error {
	if strings.HasPrefix(method, "/grpc.health.") || strings.HasPrefix(method, "/grpc.reflection.") {
		return nil
	}
	a, ok := p[method]
	if !ok {
		return status.Error(codes.PermissionDenied, "method is not in the access policy")
	}
	if a == Public {
		return nil
	}
	pr, ok := auth.FromContext(ctx)
	if !ok {
		return status.Error(codes.Unauthenticated, "this method needs a bearer token")
	}
	if !Permits(a, pr.Role) {
		return status.Errorf(codes.PermissionDenied, "role %s may not call %s", pr.Role, method[strings.LastIndex(method, "/")+1:])
	}
	return nil
}

// Markdown renders the policy as a role × method table.
func (p Policy) Markdown() string {
	methods := make([]string, 0, len(p))
	for m := range p {
		methods = append(methods, m)
	}
	sort.Strings(methods)
	var b strings.Builder
	b.WriteString("| method | access |")
	for _, r := range Roles {
		b.WriteString(" " + string(r) + " |")
	}
	b.WriteString(" anonymous |\n|---|---|" + strings.Repeat("---|", len(Roles)+1) + "\n")
	for _, m := range methods {
		a := p[m]
		fmt.Fprintf(&b, "| `%s` | %s |", strings.TrimPrefix(m, "/"), a)
		for _, r := range Roles {
			cell := "—"
			if Permits(a, r) {
				cell = "yes"
				if !r.Chamberless() && a != Public && a != Reference && a != Lookup {
					cell = "own chamber"
				}
			}
			b.WriteString(" " + cell + " |")
		}
		if a == Public {
			b.WriteString(" yes |\n")
		} else {
			b.WriteString(" — |\n")
		}
	}
	return b.String()
}

// Readme markers around the generated table in a service's README.
const (
	readmeBegin = "<!-- policy:begin -->\n"
	readmeEnd   = "<!-- policy:end -->"
)

// SyncReadme checks that the README at path shows this policy between its
// policy markers; with write it rewrites the table instead. Services call it
// from a test so the documented table cannot drift from the enforced one.
func (p Policy) SyncReadme(path string, write bool) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	doc := string(b)
	i, j := strings.Index(doc, readmeBegin), strings.Index(doc, readmeEnd)
	if i < 0 || j < i {
		return fmt.Errorf("%s lacks the %q and %q markers", path, strings.TrimSpace(readmeBegin), readmeEnd)
	}
	want := p.Markdown()
	if doc[i+len(readmeBegin):j] == want {
		return nil
	}
	if write {
		return os.WriteFile(path, []byte(doc[:i+len(readmeBegin)]+want+doc[j:]), 0o644)
	}
	return fmt.Errorf("%s: the role × method table is out of date (rerun its test with HIRFA_WRITE_README=1)", path)
}

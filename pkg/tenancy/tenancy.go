// Package tenancy decides, for the principal of a request, which chamber's
// records it may read and write. Twelve chambers share one platform: a
// chamber role sees only its chamber; another chamber's objects answer
// NotFound (never PermissionDenied), so their existence does not leak
// (OWASP API1). National roles read everything and write nothing but
// reference data. Every service's application layer calls these checks for
// every object it touches.
package tenancy

import (
	"context"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/resource"
)

// Guard implements the tenancy checks on the principal in the context.
type Guard struct{}

func principal(ctx context.Context) (auth.Principal, error) {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return p, &fault.DeniedError{Reason: fault.ReasonAuthenticationRequired, Msg: "this method needs an authenticated caller"}
	}
	return p, nil
}

// Read allows national roles everywhere and chamber roles in their chamber.
func (Guard) Read(ctx context.Context, chamber, name string) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if p.National() || p.Chamber == chamber {
		return nil
	}
	return fault.NotFound(name)
}

// Write allows chamber clerks and admins in their own chamber.
func (Guard) Write(ctx context.Context, chamber, name string) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if !p.National() && p.Chamber != chamber {
		return fault.NotFound(name)
	}
	switch p.Role {
	case auth.RoleChamberClerk, auth.RoleChamberAdmin:
		return nil
	}
	return &fault.DeniedError{Reason: fault.ReasonReadOnlyRole, Msg: "role " + string(p.Role) + " may not change chamber records", Args: []string{string(p.Role)}}
}

// Merge allows chamber clerks and admins in their own chamber and the
// ministry in every chamber to merge duplicate records; another chamber's
// record answers NotFound to a chamber role.
func (Guard) Merge(ctx context.Context, chamber, name string) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if !p.National() && p.Chamber != chamber {
		return fault.NotFound(name)
	}
	switch p.Role {
	case auth.RoleChamberClerk, auth.RoleChamberAdmin, auth.RoleMinistry:
		return nil
	}
	return &fault.DeniedError{Reason: fault.ReasonReadOnlyRole, Msg: "role " + string(p.Role) + " may not change chamber records", Args: []string{string(p.Role)}}
}

// ListScope returns the chamber a list is limited to. The wildcard is for
// national roles only; a chamber role naming another chamber gets NotFound.
func (g Guard) ListScope(ctx context.Context, requested string) (string, error) {
	p, err := principal(ctx)
	if err != nil {
		return "", err
	}
	if requested == resource.Wildcard {
		if p.National() {
			return requested, nil
		}
		return "", &fault.DeniedError{Reason: fault.ReasonNationalReadsOnly, Msg: "national reads (chambers/-) are for national roles; use chambers/" + p.Chamber, Args: []string{p.Chamber}}
	}
	return requested, g.Read(ctx, requested, "chambers/"+requested)
}

// ManageReference allows the ministry to maintain reference data.
func (Guard) ManageReference(ctx context.Context) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if p.Role != auth.RoleMinistry {
		return &fault.DeniedError{Reason: fault.ReasonReferenceDataMinistry, Msg: "only the ministry maintains reference data"}
	}
	return nil
}

// Actor is the principal as recorded in audit records.
func (Guard) Actor(ctx context.Context) change.Actor {
	p, _ := auth.FromContext(ctx)
	return change.Actor{Subject: p.Subject, Role: string(p.Role), Chamber: p.Chamber}
}

// SeesPersonalData reports whether the caller may see national ID numbers
// in full in lists: the chamber's own clerks and admins, who process the
// files. Others (national statistics, auditors) see them masked.
func SeesPersonalData(ctx context.Context) bool {
	p, ok := auth.FromContext(ctx)
	return ok && (p.Role == auth.RoleChamberClerk || p.Role == auth.RoleChamberAdmin)
}

// Plan allows the ministry everywhere and chamber admins in their own
// chamber to change planning data (registration targets) and to operate
// the chamber's event consumers. Another chamber's objects answer NotFound.
func (Guard) Plan(ctx context.Context, chamber, name string) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if !p.National() && p.Chamber != chamber {
		return fault.NotFound(name)
	}
	if Permits(Plan, p.Role) {
		return nil
	}
	return &fault.DeniedError{Reason: fault.ReasonReadOnlyRole, Msg: "role " + string(p.Role) + " may not change planning data", Args: []string{string(p.Role)}}
}

// Mediate allows a chamber's admins, and the clerk assigned as the case's
// mediator, to see and work on a mediation case; everyone else gets
// NotFound, so a case's existence does not leak to other clerks.
func (Guard) Mediate(ctx context.Context, chamber, name, mediator string) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if p.National() || p.Chamber != chamber {
		return fault.NotFound(name)
	}
	if p.Role == auth.RoleChamberAdmin || (p.Role == auth.RoleChamberClerk && p.Subject == mediator) {
		return nil
	}
	return fault.NotFound(name)
}

// OpenMediation allows a chamber's admins to open mediation cases (and so
// to assign their mediator) in their own chamber.
func (Guard) OpenMediation(ctx context.Context, chamber, name string) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if p.National() || p.Chamber != chamber {
		return fault.NotFound(name)
	}
	if p.Role == auth.RoleChamberAdmin {
		return nil
	}
	return &fault.DeniedError{Reason: fault.ReasonReadOnlyRole, Msg: "role " + string(p.Role) + " may not open mediation cases", Args: []string{string(p.Role)}}
}

// Subject is the caller's user identifier (a mediator or an assignee).
func (Guard) Subject(ctx context.Context) string {
	p, _ := auth.FromContext(ctx)
	return p.Subject
}

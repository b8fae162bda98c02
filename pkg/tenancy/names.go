package tenancy

import (
	"context"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/resource"
)

// ReadNames allows national roles and ODCO's officers to read every
// chamber's cooperative name requests, and chamber roles their own
// chamber's; another chamber's requests answer NotFound.
func (Guard) ReadNames(ctx context.Context, chamber, name string) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if p.Role.Chamberless() || p.Chamber == chamber {
		return nil
	}
	return fault.NotFound(name)
}

// NamesScope is ListScope for name requests: the wildcard (the national
// queue) is for national roles and ODCO's officers.
func (g Guard) NamesScope(ctx context.Context, requested string) (string, error) {
	p, err := principal(ctx)
	if err != nil {
		return "", err
	}
	if requested == resource.Wildcard {
		if p.Role.Chamberless() {
			return requested, nil
		}
		return "", &fault.DeniedError{Reason: fault.ReasonNationalReadsOnly, Msg: "national reads (chambers/-) are for national roles; use chambers/" + p.Chamber, Args: []string{p.Chamber}}
	}
	return requested, g.ReadNames(ctx, requested, "chambers/"+requested)
}

// DecideNames allows ODCO's officers, and them only, to approve or reject
// cooperative name requests.
func (Guard) DecideNames(ctx context.Context) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if p.Role == auth.RoleODCOOfficer {
		return nil
	}
	return &fault.DeniedError{Reason: fault.ReasonReadOnlyRole, Msg: "role " + string(p.Role) + " may not decide name requests: ODCO's officers do", Args: []string{string(p.Role)}}
}

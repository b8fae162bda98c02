package app

import (
	"context"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/agreement"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/generalassembly"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/nested"
)

// CreateAgreement drafts a partnership agreement.
func (a *EventsFairs) CreateAgreement(ctx context.Context, chamber string, ag *agreement.Agreement, m Mutation) (*agreement.Agreement, error) {
	if err := a.access.Write(ctx, chamber, "chambers/"+chamber); err != nil {
		return nil, err
	}
	ag.Chamber, ag.ID, ag.State, ag.StateReason, ag.ApprovingResolution = chamber, resource.NewID(), agreement.Draft, "", ""
	if err := ag.Validate(); err != nil {
		return nil, err
	}
	return a.repos.Agreements.Create(ctx, ag, a.write(ctx, m, "Drafted"))
}

// GetAgreement reads one agreement.
func (a *EventsFairs) GetAgreement(ctx context.Context, n resource.Name) (*agreement.Agreement, error) {
	if err := a.access.Read(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return a.repos.Agreements.Get(ctx, n)
}

// ListAgreements lists a chamber's agreements, or all for national roles.
func (a *EventsFairs) ListAgreements(ctx context.Context, q paging.ListQuery) (paging.Page[*agreement.Agreement], error) {
	q, err := a.listScope(ctx, q)
	if err != nil {
		return paging.Page[*agreement.Agreement]{}, err
	}
	return a.repos.Agreements.List(ctx, q)
}

// ListExpiringAgreements lists the signed or active agreements ending
// within the next days (today included), soonest first.
func (a *EventsFairs) ListExpiringAgreements(ctx context.Context, q paging.ListQuery, days int) (paging.Page[*agreement.Agreement], error) {
	if days < 1 {
		return paging.Page[*agreement.Agreement]{}, fault.Invalid("within_days", agreement.RuleWithinDaysPositive, "must be at least 1, got %d", days)
	}
	q, err := a.listScope(ctx, q)
	if err != nil {
		return paging.Page[*agreement.Agreement]{}, err
	}
	today := a.today()
	until := resource.Date(today.Time().AddDate(0, 0, days).Format(time.DateOnly))
	return a.repos.Agreements.Expiring(ctx, q, today, until)
}

// UpdateAgreement changes a draft agreement.
func (a *EventsFairs) UpdateAgreement(ctx context.Context, n resource.Name, m Mutation, patch func(*agreement.Agreement) error) (*agreement.Agreement, error) {
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return a.repos.Agreements.Update(ctx, n, a.write(ctx, m, "Updated"), resource.WithEtag(n.String(), m.Etag, func(ag *agreement.Agreement) error {
		if err := ag.CheckDraft(); err != nil {
			return err
		}
		if err := patch(ag); err != nil {
			return err
		}
		return ag.Validate()
	}))
}

// DeleteAgreement deletes a draft agreement.
func (a *EventsFairs) DeleteAgreement(ctx context.Context, n resource.Name, m Mutation) error {
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return err
	}
	return a.repos.Agreements.Delete(ctx, n, a.write(ctx, m, "Deleted"), resource.WithEtag(n.String(), m.Etag, (*agreement.Agreement).CheckDraft))
}

// ApproveAgreement records the approval of a draft by an agenda item of the
// chamber's general assembly: the item must be adopted, and be the vote on
// this agreement.
func (a *EventsFairs) ApproveAgreement(ctx context.Context, n resource.Name, resolution nested.Name, m Mutation) (*agreement.Agreement, error) {
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	if resolution.Chamber != n.Chamber {
		return nil, fault.Invalid("resolution", agreement.RuleResolutionOtherChamber, "an agreement of %s is approved by its own assembly, not by %s", n.Chamber, resolution.String())
	}
	it, err := a.repos.Items.Get(ctx, resolution)
	if fault.Is[*fault.NotFoundError](err) {
		return nil, &fault.PreconditionError{Reason: agreement.ReasonResolutionNotFound, Msg: resolution.String() + " does not exist", Meta: map[string]string{"resource": resolution.String()}}
	}
	if err != nil {
		return nil, err
	}
	meta := map[string]string{"resource": resolution.String(), "state": string(it.State)}
	if it.State != generalassembly.Adopted {
		return nil, &fault.PreconditionError{Reason: agreement.ReasonResolutionNotAdopted, Msg: resolution.String() + " is " + string(it.State) + ", not ADOPTED", Meta: meta}
	}
	if it.Agreement != n.String() {
		return nil, &fault.PreconditionError{Reason: agreement.ReasonResolutionOtherAgreement, Msg: resolution.String() + " is not the vote on " + n.String(), Meta: meta}
	}
	return a.repos.Agreements.Update(ctx, n, a.write(ctx, m, agreement.Transitions.Event(agreement.Approve)), resource.WithEtag(n.String(), m.Etag, func(ag *agreement.Agreement) error {
		return ag.Approve(resolution.String())
	}))
}

// TransitionAgreement signs, activates, expires or terminates an agreement;
// the event it records is the action's row of agreement.Transitions.
// Approval goes through ApproveAgreement, which checks the resolution.
func (a *EventsFairs) TransitionAgreement(ctx context.Context, n resource.Name, action agreement.Action, m Mutation) (*agreement.Agreement, error) {
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	if action == agreement.Approve {
		return nil, fault.Precondition(fault.ReasonUnknownAction, "unknown action %q", string(action))
	}
	today := a.today()
	return a.repos.Agreements.Update(ctx, n, a.write(ctx, m, agreement.Transitions.Event(action)), resource.WithEtag(n.String(), m.Etag, func(ag *agreement.Agreement) error {
		return ag.Apply(action, m.Reason, today)
	}))
}

package app

import (
	"context"

	"github.com/hirfa/hirfa/pkg/assembly"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/agreement"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/generalassembly"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/nested"
)

// CreateAssembly convenes a general assembly with its member roll, frozen
// from then on. Without a quorum setting the chamber's default applies.
func (a *EventsFairs) CreateAssembly(ctx context.Context, chamber string, ga *generalassembly.Assembly, m Mutation) (*generalassembly.Assembly, error) {
	if err := a.access.Write(ctx, chamber, "chambers/"+chamber); err != nil {
		return nil, err
	}
	ga.Chamber, ga.ID = chamber, resource.NewID()
	ga.State, ga.StateReason, ga.Convocation, ga.Present, ga.OpenTime = generalassembly.Convened, "", assembly.FirstConvocation, nil, nil
	if ga.Quorum == (generalassembly.Quorum{}) {
		ga.Quorum = a.settings.Quorum
	}
	if err := ga.Validate(); err != nil {
		return nil, err
	}
	return a.repos.Assemblies.Create(ctx, ga, a.write(ctx, m, "Convened"))
}

// GetAssembly reads one assembly.
func (a *EventsFairs) GetAssembly(ctx context.Context, n resource.Name) (*generalassembly.Assembly, error) {
	if err := a.access.Read(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return a.repos.Assemblies.Get(ctx, n)
}

// ListAssemblies lists a chamber's assemblies, or all for national roles.
func (a *EventsFairs) ListAssemblies(ctx context.Context, q paging.ListQuery) (paging.Page[*generalassembly.Assembly], error) {
	q, err := a.listScope(ctx, q)
	if err != nil {
		return paging.Page[*generalassembly.Assembly]{}, err
	}
	return a.repos.Assemblies.List(ctx, q)
}

// UpdateAssembly changes a convened assembly; the roll, the president and
// the rules stay as convened.
func (a *EventsFairs) UpdateAssembly(ctx context.Context, n resource.Name, m Mutation, patch func(*generalassembly.Assembly) error) (*generalassembly.Assembly, error) {
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return a.repos.Assemblies.Update(ctx, n, a.write(ctx, m, "Updated"), resource.WithEtag(n.String(), m.Etag, func(ga *generalassembly.Assembly) error {
		if err := ga.CheckEditable(); err != nil {
			return err
		}
		frozen := *ga
		if err := patch(ga); err != nil {
			return err
		}
		ga.Members, ga.President, ga.Quorum, ga.AbstentionsCount = frozen.Members, frozen.President, frozen.Quorum, frozen.AbstentionsCount
		ga.SessionType, ga.OrdinarySession = frozen.SessionType, frozen.OrdinarySession
		return ga.Validate()
	}))
}

// AssemblyAction is a change to an assembly's sitting.
type AssemblyAction struct {
	Event string // the event recorded, e.g. "SessionOpened"
	Apply func(*generalassembly.Assembly) error
}

// RecordAttendance marks members present and absent.
func RecordAttendance(present, absent []string) AssemblyAction {
	return AssemblyAction{"AttendanceRecorded", func(ga *generalassembly.Assembly) error { return ga.RecordAttendance(present, absent) }}
}

// Reconvene calls a second convocation on date.
func Reconvene(date resource.Date) AssemblyAction {
	return AssemblyAction{"Reconvened", func(ga *generalassembly.Assembly) error { return ga.Reconvene(date) }}
}

// CancelAssembly cancels a convened assembly.
func CancelAssembly(reason string) AssemblyAction {
	return AssemblyAction{generalassembly.Transitions.Event(generalassembly.Cancel), func(ga *generalassembly.Assembly) error { return ga.Cancel(reason) }}
}

// ChangeAssembly applies an action to an assembly (see RecordAttendance,
// Reconvene, CancelAssembly).
func (a *EventsFairs) ChangeAssembly(ctx context.Context, n resource.Name, act AssemblyAction, m Mutation) (*generalassembly.Assembly, error) {
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	var out *generalassembly.Assembly
	err := a.locked(ctx, n, func() error {
		var err error
		out, err = a.repos.Assemblies.Update(ctx, n, a.write(ctx, m, act.Event), resource.WithEtag(n.String(), m.Etag, act.Apply))
		return err
	})
	return out, err
}

// OpenSession opens the sitting once the quorum is met; when it is not,
// nothing is written and the answer says how many members are missing.
func (a *EventsFairs) OpenSession(ctx context.Context, n resource.Name, m Mutation) (*generalassembly.Assembly, error) {
	now := a.now()
	return a.ChangeAssembly(ctx, n, AssemblyAction{generalassembly.Transitions.Event(generalassembly.Open), func(ga *generalassembly.Assembly) error { return ga.Open(now) }}, m)
}

// CloseAssembly closes the sitting once no vote is open.
func (a *EventsFairs) CloseAssembly(ctx context.Context, n resource.Name, m Mutation) (*generalassembly.Assembly, error) {
	return a.ChangeAssembly(ctx, n, AssemblyAction{generalassembly.Transitions.Event(generalassembly.Close), func(ga *generalassembly.Assembly) error {
		open, err := a.repos.Items.CountVoting(ctx, n)
		if err != nil {
			return err
		}
		if open > 0 {
			return &fault.PreconditionError{Reason: generalassembly.ReasonVoteOpen, Msg: n.String() + " still has an open vote; close it first",
				Meta: map[string]string{"resource": n.String()}}
		}
		return ga.Close()
	}}, m)
}

// ExportMinutes renders the minutes of an assembly in Arabic and French.
func (a *EventsFairs) ExportMinutes(ctx context.Context, n resource.Name) (ar, fr string, err error) {
	ga, err := a.GetAssembly(ctx, n)
	if err != nil {
		return "", "", err
	}
	var items []*generalassembly.Item
	q := paging.ListQuery{PageSize: 1000}
	for {
		page, err := a.repos.Items.List(ctx, n, q)
		if err != nil {
			return "", "", err
		}
		items = append(items, page.Items...)
		if page.NextPageToken == "" {
			break
		}
		q.PageToken = page.NextPageToken
	}
	ar, fr = generalassembly.Minutes(ga, items)
	return ar, fr, nil
}

// CreateAgendaItem adds an item to the agenda of an assembly that is not
// over. An agreement put to the vote must be one of the chamber's drafts.
func (a *EventsFairs) CreateAgendaItem(ctx context.Context, parent resource.Name, it *generalassembly.Item, m Mutation) (*generalassembly.Item, error) {
	if err := a.access.Write(ctx, parent.Chamber, parent.String()); err != nil {
		return nil, err
	}
	ga, err := a.repos.Assemblies.Get(ctx, parent)
	if err != nil {
		return nil, err
	}
	if ga.State == generalassembly.Closed || ga.State == generalassembly.Cancelled {
		return nil, &fault.PreconditionError{Reason: generalassembly.ReasonAssemblyOver, Msg: ga.Name() + " is " + string(ga.State) + ": its agenda is final",
			Meta: map[string]string{"resource": ga.Name(), "state": string(ga.State)}}
	}
	it.Chamber, it.ID = parent.Chamber, nested.Key(parent.ID, resource.NewID())
	it.State, it.Roll, it.Voters, it.President, it.Votes, it.Result = generalassembly.Pending, nil, nil, "", nil, nil
	it.Resolution = l10n.Text{}
	if err := it.Validate(); err != nil {
		return nil, err
	}
	if it.Agreement != "" {
		an, err := resource.ParseName(it.Agreement, agreement.Collection, "item.agreement")
		if err != nil {
			return nil, err
		}
		if an.Chamber != parent.Chamber {
			return nil, fault.Invalid("item.agreement", generalassembly.RuleAgreementOtherChamber, "the assembly of %s votes on its own agreements, not %s", parent.Chamber, it.Agreement)
		}
		ag, err := a.repos.Agreements.Get(ctx, an)
		if fault.Is[*fault.NotFoundError](err) {
			return nil, &fault.PreconditionError{Reason: generalassembly.ReasonAgreementNotFound, Msg: it.Agreement + " does not exist", Meta: map[string]string{"resource": it.Agreement}}
		}
		if err != nil {
			return nil, err
		}
		if err := ag.CheckDraft(); err != nil {
			return nil, err
		}
	}
	return a.repos.Items.Create(ctx, it, a.write(ctx, m, "Created"))
}

// GetAgendaItem reads one item.
func (a *EventsFairs) GetAgendaItem(ctx context.Context, n nested.Name) (*generalassembly.Item, error) {
	if err := a.access.Read(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return a.repos.Items.Get(ctx, n)
}

// ListAgendaItems lists an assembly's items by position.
func (a *EventsFairs) ListAgendaItems(ctx context.Context, parent resource.Name, q paging.ListQuery) (paging.Page[*generalassembly.Item], error) {
	if _, err := a.GetAssembly(ctx, parent); err != nil {
		return paging.Page[*generalassembly.Item]{}, err
	}
	return a.repos.Items.List(ctx, parent, q)
}

// voting runs fn on an item under its assembly's lock, so that opening,
// casting and closing votes and closing the sitting never interleave.
func (a *EventsFairs) voting(ctx context.Context, n nested.Name, fn func(ga *generalassembly.Assembly, it *generalassembly.Item) error) error {
	parent := n.ParentName()
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return err
	}
	return a.locked(ctx, parent, func() error {
		ga, err := a.repos.Assemblies.Get(ctx, parent)
		if err != nil {
			return err
		}
		it, err := a.repos.Items.Get(ctx, n)
		if err != nil {
			return err
		}
		return fn(ga, it)
	})
}

// OpenVote opens the vote on an item once the sitting is open and its
// quorum met now; the members present then are the voters.
func (a *EventsFairs) OpenVote(ctx context.Context, n nested.Name, m Mutation) (*generalassembly.Item, error) {
	var out *generalassembly.Item
	err := a.voting(ctx, n, func(ga *generalassembly.Assembly, _ *generalassembly.Item) error {
		var err error
		out, err = a.repos.Items.Update(ctx, n, a.write(ctx, m, "VoteOpened"), resource.WithEtag(n.String(), m.Etag, func(it *generalassembly.Item) error {
			return it.OpenVote(ga)
		}))
		return err
	})
	return out, err
}

// CastVote records one member's public vote on an item.
func (a *EventsFairs) CastVote(ctx context.Context, n nested.Name, member string, c assembly.Choice, m Mutation) (*generalassembly.Item, error) {
	var out *generalassembly.Item
	err := a.voting(ctx, n, func(*generalassembly.Assembly, *generalassembly.Item) error {
		var err error
		out, err = a.repos.Items.Update(ctx, n, a.write(ctx, m, "VoteCast"), func(it *generalassembly.Item) error {
			return it.Cast(member, c)
		})
		return err
	})
	return out, err
}

// CloseVote decides an item and records its resolution. The decision is
// taken first on a copy, so the event recorded says which way it went
// (AgendaItemAdopted or AgendaItemRejected); under the lock no vote can
// land in between.
func (a *EventsFairs) CloseVote(ctx context.Context, n nested.Name, resolution l10n.Text, m Mutation) (*generalassembly.Item, error) {
	var out *generalassembly.Item
	err := a.voting(ctx, n, func(_ *generalassembly.Assembly, cur *generalassembly.Item) error {
		action := "Closed" // only for a replayed request: the store returns the stored item
		if cur.State == generalassembly.Voting {
			probe := *cur
			if err := probe.CloseVote(resolution); err != nil {
				return err
			}
			action = map[generalassembly.ItemState]string{generalassembly.Adopted: "Adopted", generalassembly.Rejected: "Rejected"}[probe.State]
		}
		var err error
		out, err = a.repos.Items.Update(ctx, n, a.write(ctx, m, action), resource.WithEtag(n.String(), m.Etag, func(it *generalassembly.Item) error {
			return it.CloseVote(resolution)
		}))
		return err
	})
	return out, err
}

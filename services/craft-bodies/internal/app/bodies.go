package app

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/awareness"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/census"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/programme"
)

// CreateCraftBody plans a body. A provincial body lies in the chamber's
// region; national bodies are the federation's; the programme's phase must
// cover the craft; a live body of the same (level, craft, territory) refuses
// it (the store's unique index decides races).
func (a *CraftBodies) CreateCraftBody(ctx context.Context, chamber string, b *craftbody.Body, m Mutation) (*craftbody.Body, error) {
	if err := a.access.Write(ctx, chamber, "chambers/"+chamber); err != nil {
		return nil, err
	}
	b.Chamber, b.ID = chamber, resource.NewID()
	b.Stage, b.StateReason, b.Committee, b.President, b.ConstituteTime = craftbody.Planned, "", nil, "", nil
	if b.Settings == (craftbody.Settings{}) {
		b.Settings = craftbody.DefaultSettings()
	}
	if err := b.Validate(a.places); err != nil {
		return nil, err
	}
	if b.Programme != "" {
		pn, err := resource.ParseName(b.Programme, programme.Collection, "craft_body.programme")
		if err != nil {
			return nil, err
		}
		if pn.Chamber != chamber {
			return nil, fault.Invalid("craft_body.programme", RuleProgrammeSameChamber, "the programme must be the chamber's own, got %s", b.Programme)
		}
		p, err := a.repos.Programmes.Get(ctx, pn)
		if fault.Is[*fault.NotFoundError](err) {
			return nil, fault.Invalid("craft_body.programme", RuleProgrammeExists, "no programme %s", b.Programme)
		}
		if err != nil {
			return nil, err
		}
		if err := p.CheckBody(b.Phase, b.Craft); err != nil {
			return nil, err
		}
	}
	return a.repos.Bodies.Create(ctx, b, a.write(ctx, m, "Planned"))
}

// GetCraftBody reads one body.
func (a *CraftBodies) GetCraftBody(ctx context.Context, n resource.Name) (*craftbody.Body, error) {
	if err := a.access.Read(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return a.repos.Bodies.Get(ctx, n)
}

// ListCraftBodies lists a chamber's bodies, or all for national roles.
func (a *CraftBodies) ListCraftBodies(ctx context.Context, q paging.ListQuery) (paging.Page[*craftbody.Body], error) {
	q, err := a.listScope(ctx, q)
	if err != nil {
		return paging.Page[*craftbody.Body]{}, err
	}
	return a.repos.Bodies.List(ctx, q)
}

// move applies one action of the table to a body, with extra checks run
// inside the body's transaction.
func (a *CraftBodies) move(ctx context.Context, n resource.Name, action craftbody.Action, m Mutation, also func(*craftbody.Body) error) (*craftbody.Body, error) {
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	cur, err := a.repos.Bodies.Get(ctx, n)
	if err != nil {
		return nil, err
	}
	t, err := craftbody.Next(n.String(), cur.Stage, action)
	if err != nil {
		return nil, err
	}
	return a.repos.Bodies.Update(ctx, n, a.transition(ctx, m, t), resource.WithEtag(n.String(), m.Etag, func(b *craftbody.Body) error {
		if _, err := b.Apply(action); err != nil {
			return err
		}
		if also != nil {
			return also(b)
		}
		return nil
	}))
}

// StartAwareness opens the awareness campaign (PLANNED → AWARENESS).
func (a *CraftBodies) StartAwareness(ctx context.Context, n resource.Name, m Mutation) (*craftbody.Body, error) {
	return a.move(ctx, n, craftbody.StartAwareness, m, nil)
}

// FormCommittee forms (or, at COMMITTEE, changes) the preparatory committee.
func (a *CraftBodies) FormCommittee(ctx context.Context, n resource.Name, c craftbody.PreparatoryCommittee, m Mutation) (*craftbody.Body, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return a.move(ctx, n, craftbody.FormCommittee, m, func(b *craftbody.Body) error {
		b.Committee = &c
		return nil
	})
}

// ActivateCraftBody marks a constituted body as working.
func (a *CraftBodies) ActivateCraftBody(ctx context.Context, n resource.Name, m Mutation) (*craftbody.Body, error) {
	return a.move(ctx, n, craftbody.Activate, m, nil)
}

// DissolveCraftBody dissolves a body; its key is free again.
func (a *CraftBodies) DissolveCraftBody(ctx context.Context, n resource.Name, m Mutation) (*craftbody.Body, error) {
	if len(m.Reason) < 3 {
		return nil, fault.Invalid("reason", RuleReasonRequired, "a dissolution needs its reason")
	}
	return a.move(ctx, n, craftbody.Dissolve, m, func(b *craftbody.Body) error {
		b.StateReason = m.Reason
		return nil
	})
}

// TakeCensus reads every page of the register for the body's craft and
// territory, builds the dated snapshot and stores it, then moves the body to
// CENSUS_TAKEN. The registry is read before anything is written, so its
// outage fails the step with UNAVAILABLE REGISTRY_UNAVAILABLE and writes
// nothing. Regional and national bodies take their roll from delegates, which
// this step does not read from the register.
func (a *CraftBodies) TakeCensus(ctx context.Context, n resource.Name, m Mutation) (*census.Snapshot, *craftbody.Body, error) {
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, nil, err
	}
	b, err := a.repos.Bodies.Get(ctx, n)
	if err != nil {
		return nil, nil, err
	}
	if _, err := craftbody.Next(n.String(), b.Stage, craftbody.TakeCensus); err != nil {
		return nil, nil, err
	}
	if err := b.CheckEtag(n.String(), m.Etag); err != nil {
		return nil, nil, err
	}
	if b.Level != craftbody.Provincial {
		return a.takeDelegates(ctx, b, m)
	}
	var listed []census.Registrant
	token := ""
	for {
		page, next, err := a.registry.Facts(ctx, b.Chamber, b.Craft, b.Province, token)
		if err != nil {
			return nil, nil, dependency("registry", census.ReasonRegistryUnavailable, census.ReasonRegistryRefused, err)
		}
		listed = append(listed, page...)
		if next == "" {
			break
		}
		token = next
	}
	snap, err := census.Take(a.now(), census.Scope{Craft: b.Craft, Provinces: []string{b.Province}}, listed)
	if err != nil {
		return nil, nil, err
	}
	saved, err := a.repos.Censuses.Save(ctx, n, snap, a.write(ctx, m, "Taken"))
	if err != nil {
		return nil, nil, err
	}
	body, err := a.move(ctx, n, craftbody.TakeCensus, Mutation{Method: m.Method, TraceID: m.TraceID}, nil)
	return saved, body, err
}

// GetCensus reads a body's census.
func (a *CraftBodies) GetCensus(ctx context.Context, body resource.Name) (*census.Snapshot, error) {
	if err := a.access.Read(ctx, body.Chamber, body.String()); err != nil {
		return nil, err
	}
	return a.repos.Censuses.Get(ctx, body)
}

// CreateAwarenessMeeting plans an AWARENESS_SESSION event in events-and-fairs
// and links it. The event is created first: its outage fails the step with
// UNAVAILABLE EVENTS_UNAVAILABLE and writes nothing here. The request id is
// passed on, so a retry does not create a second event.
func (a *CraftBodies) CreateAwarenessMeeting(ctx context.Context, body resource.Name, mt *awareness.Meeting, m Mutation) (*awareness.Meeting, error) {
	if err := a.access.Write(ctx, body.Chamber, body.String()); err != nil {
		return nil, err
	}
	b, err := a.repos.Bodies.Get(ctx, body)
	if err != nil {
		return nil, err
	}
	mt.MeetingID = resource.NewID()
	if err := awareness.Plan(b, mt); err != nil {
		return nil, err
	}
	event, err := a.events.CreateAwarenessSession(ctx, b.Chamber, b.Province, mt, m.RequestID)
	if err != nil {
		return nil, dependency("events-and-fairs", awareness.ReasonEventsUnavailable, awareness.ReasonEventRefused, err)
	}
	if err := mt.Link(b, event); err != nil {
		return nil, err
	}
	return a.repos.Meetings.Create(ctx, body, mt, a.write(ctx, m, "Planned"))
}

// GetAwarenessMeeting reads a meeting and its attendance (the event's
// check-ins, read from events-and-fairs).
func (a *CraftBodies) GetAwarenessMeeting(ctx context.Context, body resource.Name, id string) (*awareness.Meeting, int, error) {
	if err := a.access.Read(ctx, body.Chamber, body.String()); err != nil {
		return nil, 0, err
	}
	mt, err := a.repos.Meetings.Get(ctx, body, id)
	if err != nil {
		return nil, 0, err
	}
	n, err := a.events.CheckedIn(ctx, mt.Event)
	if err != nil {
		return nil, 0, dependency("events-and-fairs", awareness.ReasonEventsUnavailable, awareness.ReasonEventRefused, err)
	}
	return mt, n, nil
}

// ListAwarenessMeetings lists a body's meetings by date.
func (a *CraftBodies) ListAwarenessMeetings(ctx context.Context, body resource.Name, q paging.ListQuery) (paging.Page[*awareness.Meeting], error) {
	if err := a.access.Read(ctx, body.Chamber, body.String()); err != nil {
		return paging.Page[*awareness.Meeting]{}, err
	}
	return a.repos.Meetings.List(ctx, body, q)
}

// takeDelegates builds the roll of a regional (national) body from the
// bureaus of the constituted provincial (regional) bodies of its craft in
// its territory: every elected office holder is a delegate of the body that
// elected them, with the facts of that body's census. The threshold is not
// checked here but when the assembly is convened.
func (a *CraftBodies) takeDelegates(ctx context.Context, b *craftbody.Body, m Mutation) (*census.Snapshot, *craftbody.Body, error) {
	n, _ := resource.ParseName(b.Name(), craftbody.Collection, "name")
	below := craftbody.Provincial
	if b.Level == craftbody.National {
		below = craftbody.Regional
	}
	lower, err := a.repos.Bodies.ByCraft(ctx, below, b.Craft)
	if err != nil {
		return nil, nil, err
	}
	var delegates []census.Registrant
	for _, lb := range lower {
		if !lb.Stage.Reached(craftbody.Constituted) || (b.Level == craftbody.Regional && lb.Region != b.Region) {
			continue
		}
		ln, _ := resource.ParseName(lb.Name(), craftbody.Collection, "name")
		snap, err := a.repos.Censuses.Get(ctx, ln)
		if err != nil {
			return nil, nil, fmt.Errorf("census of %s: %w", ln, err)
		}
		offices, err := a.repos.Offices.List(ctx, ln, paging.ListQuery{PageSize: 1000})
		if err != nil {
			return nil, nil, err
		}
		for _, o := range offices.Items {
			if o.Elected == "" {
				continue
			}
			d, ok := snap.Member(o.Elected)
			if !ok {
				d = census.Registrant{Name: o.Elected}
			}
			d.DelegateOf = lb.Name()
			delegates = append(delegates, d)
		}
	}
	snap, err := census.TakeDelegates(a.now(), delegates)
	if err != nil {
		return nil, nil, err
	}
	saved, err := a.repos.Censuses.Save(ctx, n, snap, a.write(ctx, m, "Taken"))
	if err != nil {
		return nil, nil, err
	}
	body, err := a.move(ctx, n, craftbody.TakeCensus, Mutation{Method: m.Method, TraceID: m.TraceID}, nil)
	return saved, body, err
}

// ListCensusMembers pages through a body's census, in the snapshot's order.
// The page token is the offset of the next member.
func (a *CraftBodies) ListCensusMembers(ctx context.Context, body resource.Name, pageSize int, pageToken string) ([]census.Registrant, string, error) {
	snap, err := a.GetCensus(ctx, body)
	if err != nil {
		return nil, "", err
	}
	from := 0
	if pageToken != "" {
		n, err := strconv.Atoi(pageToken)
		if err != nil || n < 0 || n > len(snap.Members) {
			return nil, "", fault.Invalid("page_token", fault.RulePageToken, "is not a page token of this census")
		}
		from = n
	}
	if pageSize <= 0 || pageSize > 1000 {
		pageSize = min(max(pageSize, 0), 1000)
		if pageSize == 0 {
			pageSize = 100
		}
	}
	to := min(from+pageSize, len(snap.Members))
	next := ""
	if to < len(snap.Members) {
		next = strconv.Itoa(to)
	}
	return snap.Members[from:to], next, nil
}

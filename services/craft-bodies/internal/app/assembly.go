package app

import (
	"context"
	"fmt"

	"github.com/hirfa/hirfa/pkg/assembly"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/constitutive"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/election"
)

// ConveneAssembly convenes the constitutive assembly with the census as its
// roll and the committee chair in the chair. A regional (national) body waits
// for its share of constituted provincial (regional) bodies.
func (a *CraftBodies) ConveneAssembly(ctx context.Context, n resource.Name, date resource.Date, venue string, m Mutation) (*constitutive.Assembly, error) {
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	b, err := a.repos.Bodies.Get(ctx, n)
	if err != nil {
		return nil, err
	}
	if _, err := craftbody.Next(n.String(), b.Stage, craftbody.ConveneAssembly); err != nil {
		return nil, err
	}
	if err := b.CheckEtag(n.String(), m.Etag); err != nil {
		return nil, err
	}
	if b.Level != craftbody.Provincial {
		below := craftbody.Provincial
		if b.Level == craftbody.National {
			below = craftbody.Regional
		}
		lower, err := a.repos.Bodies.ByCraft(ctx, below, b.Craft)
		if err != nil {
			return nil, err
		}
		if err := craftbody.CheckThreshold(b, lower, a.places); err != nil {
			return nil, err
		}
	}
	snap, err := a.repos.Censuses.Get(ctx, n)
	if err != nil {
		return nil, fmt.Errorf("census of %s: %w", n, err)
	}
	chair := ""
	if b.Committee != nil {
		chair = b.Committee.Chair
	}
	ga, err := constitutive.Convene(n.String(), snap.Roll(), chair, b.Settings, date, venue)
	if err != nil {
		return nil, err
	}
	out, err := a.repos.Assemblies.Create(ctx, n, ga, a.write(ctx, m, "Convened"))
	if err != nil {
		return nil, err
	}
	if _, err := a.move(ctx, n, craftbody.ConveneAssembly, Mutation{Method: m.Method, TraceID: m.TraceID}, nil); err != nil {
		return nil, err
	}
	return out, nil
}

// GetAssembly reads a body's constitutive assembly.
func (a *CraftBodies) GetAssembly(ctx context.Context, body resource.Name) (*constitutive.Assembly, error) {
	if err := a.access.Read(ctx, body.Chamber, body.String()); err != nil {
		return nil, err
	}
	return a.repos.Assemblies.Get(ctx, body)
}

// sitting changes the assembly in its transaction.
func (a *CraftBodies) sitting(ctx context.Context, body resource.Name, m Mutation, action string, fn func(*constitutive.Assembly) error) (*constitutive.Assembly, error) {
	if err := a.access.Write(ctx, body.Chamber, body.String()); err != nil {
		return nil, err
	}
	return a.repos.Assemblies.Update(ctx, body, a.write(ctx, m, action), resource.WithEtag(body.String()+"/assembly", m.Etag, fn))
}

// RecordAttendance records members present or absent.
func (a *CraftBodies) RecordAttendance(ctx context.Context, body resource.Name, present, absent []string, m Mutation) (*constitutive.Assembly, error) {
	return a.sitting(ctx, body, m, "AttendanceRecorded", func(ga *constitutive.Assembly) error { return ga.RecordAttendance(present, absent) })
}

// CheckQuorum records the chair's check of the current convocation.
func (a *CraftBodies) CheckQuorum(ctx context.Context, body resource.Name, m Mutation) (*constitutive.Assembly, error) {
	return a.sitting(ctx, body, m, "QuorumChecked", func(ga *constitutive.Assembly) error {
		_, err := ga.CheckQuorum(a.now())
		return err
	})
}

// ReconveneAssembly calls a second convocation.
func (a *CraftBodies) ReconveneAssembly(ctx context.Context, body resource.Name, date resource.Date, venue string, m Mutation) (*constitutive.Assembly, error) {
	return a.sitting(ctx, body, m, "Reconvened", func(ga *constitutive.Assembly) error { return ga.Reconvene(date, venue) })
}

// CastStatutesVote records one public vote on the statutes.
func (a *CraftBodies) CastStatutesVote(ctx context.Context, body resource.Name, member string, c assembly.Choice, m Mutation) (*constitutive.Assembly, error) {
	return a.sitting(ctx, body, m, "StatutesVoteCast", func(ga *constitutive.Assembly) error { return ga.CastStatutesVote(member, c) })
}

// CloseStatutesVote decides the statutes.
func (a *CraftBodies) CloseStatutesVote(ctx context.Context, body resource.Name, m Mutation) (*constitutive.Assembly, error) {
	return a.sitting(ctx, body, m, "StatutesDecided", func(ga *constitutive.Assembly) error {
		_, err := ga.CloseStatutesVote()
		return err
	})
}

// electorate is the assembly's roll, attendance and members' seniority.
func (a *CraftBodies) electorate(ctx context.Context, body resource.Name, ga *constitutive.Assembly) (election.Electorate, error) {
	snap, err := a.repos.Censuses.Get(ctx, body)
	if err != nil {
		return election.Electorate{}, fmt.Errorf("census of %s: %w", body, err)
	}
	e := election.Electorate{Roll: ga.Roll, Present: ga.Present(), Seniority: map[string]resource.Date{}}
	for _, mb := range snap.Members {
		e.Seniority[mb.Name] = mb.RegisterDate
	}
	return e, nil
}

// holders maps members to the office they already hold.
func (a *CraftBodies) holders(ctx context.Context, body resource.Name) (map[string]string, error) {
	out := map[string]string{}
	q := paging.ListQuery{PageSize: 1000}
	for {
		page, err := a.repos.Offices.List(ctx, body, q)
		if err != nil {
			return nil, err
		}
		for _, o := range page.Items {
			if o.Elected != "" {
				out[o.Elected] = o.OfficeID
			}
		}
		if page.NextPageToken == "" {
			return out, nil
		}
		q.PageToken = page.NextPageToken
	}
}

// CreateOffice opens an office's election; the statutes must be adopted.
func (a *CraftBodies) CreateOffice(ctx context.Context, body resource.Name, o *election.Office, m Mutation) (*election.Office, error) {
	if err := a.access.Write(ctx, body.Chamber, body.String()); err != nil {
		return nil, err
	}
	ga, err := a.repos.Assemblies.Get(ctx, body)
	if err != nil {
		return nil, err
	}
	if err := ga.CanElect(); err != nil {
		return nil, err
	}
	e, err := a.electorate(ctx, body, ga)
	if err != nil {
		return nil, err
	}
	held, err := a.holders(ctx, body)
	if err != nil {
		return nil, err
	}
	opened, err := election.Open(o.OfficeID, o.Title, o.Position, o.Presidency, o.Candidates, e, held)
	if err != nil {
		return nil, err
	}
	return a.repos.Offices.Create(ctx, body, opened, a.write(ctx, m, "Opened"))
}

// GetOffice reads one office.
func (a *CraftBodies) GetOffice(ctx context.Context, body resource.Name, office string) (*election.Office, error) {
	if err := a.access.Read(ctx, body.Chamber, body.String()); err != nil {
		return nil, err
	}
	return a.repos.Offices.Get(ctx, body, office)
}

// ListOffices lists the offices by position.
func (a *CraftBodies) ListOffices(ctx context.Context, body resource.Name, q paging.ListQuery) (paging.Page[*election.Office], error) {
	if err := a.access.Read(ctx, body.Chamber, body.String()); err != nil {
		return paging.Page[*election.Office]{}, err
	}
	return a.repos.Offices.List(ctx, body, q)
}

// ballotBox changes an office against the sitting's current electorate.
func (a *CraftBodies) ballotBox(ctx context.Context, body resource.Name, office string, m Mutation, action string, fn func(*election.Office, election.Electorate, craftbody.Settings) error) (*election.Office, error) {
	if err := a.access.Write(ctx, body.Chamber, body.String()); err != nil {
		return nil, err
	}
	ga, err := a.repos.Assemblies.Get(ctx, body)
	if err != nil {
		return nil, err
	}
	if err := ga.CanElect(); err != nil {
		return nil, err
	}
	e, err := a.electorate(ctx, body, ga)
	if err != nil {
		return nil, err
	}
	return a.repos.Offices.Update(ctx, body, office, a.write(ctx, m, action), resource.WithEtag(body.String()+"/assembly/offices/"+office, m.Etag,
		func(o *election.Office) error { return fn(o, e, ga.Settings) }))
}

// CastBallot records one single-name ballot.
func (a *CraftBodies) CastBallot(ctx context.Context, body resource.Name, office, member, candidate string, m Mutation) (*election.Office, error) {
	return a.ballotBox(ctx, body, office, m, "BallotCast", func(o *election.Office, e election.Electorate, _ craftbody.Settings) error {
		return o.Cast(member, candidate, e)
	})
}

// CloseRound counts the current round.
func (a *CraftBodies) CloseRound(ctx context.Context, body resource.Name, office string, m Mutation) (*election.Office, error) {
	return a.ballotBox(ctx, body, office, m, "RoundClosed", func(o *election.Office, e election.Electorate, s craftbody.Settings) error {
		_, err := o.CloseRound(s, e)
		return err
	})
}

// ReasonBureauIncomplete: an office, or the presidency, is not filled.
const ReasonBureauIncomplete = "BUREAU_INCOMPLETE"

// ConstituteCraftBody closes the assembly and constitutes the body once the
// statutes are adopted and every office, the presidency included, is filled.
func (a *CraftBodies) ConstituteCraftBody(ctx context.Context, n resource.Name, m Mutation) (*craftbody.Body, error) {
	if err := a.access.Write(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	// The body's stage first: a body that never convened its assembly is an
	// illegal move, not a missing assembly.
	b, err := a.repos.Bodies.Get(ctx, n)
	if err != nil {
		return nil, err
	}
	if _, err := craftbody.Next(n.String(), b.Stage, craftbody.Constitute); err != nil {
		return nil, err
	}
	ga, err := a.repos.Assemblies.Get(ctx, n)
	if err != nil {
		return nil, err
	}
	if err := ga.CanElect(); err != nil {
		return nil, err
	}
	page, err := a.repos.Offices.List(ctx, n, paging.ListQuery{PageSize: 1000})
	if err != nil {
		return nil, err
	}
	president, complete := election.Bureau(page.Items)
	if !complete {
		return nil, &fault.PreconditionError{Reason: ReasonBureauIncomplete, Msg: n.String() + ": every office, the presidency included, must be filled"}
	}
	now := a.now()
	body, err := a.move(ctx, n, craftbody.Constitute, m, func(b *craftbody.Body) error {
		b.President, b.ConstituteTime = president, &now
		return nil
	})
	if err != nil {
		return nil, err
	}
	if _, err := a.repos.Assemblies.Update(ctx, n, a.write(ctx, Mutation{Method: m.Method, TraceID: m.TraceID}, "Closed"), func(ga *constitutive.Assembly) error {
		return ga.Close()
	}); err != nil {
		return nil, err
	}
	return body, nil
}

// ExportMinutes renders the minutes in Arabic and French.
func (a *CraftBodies) ExportMinutes(ctx context.Context, n resource.Name) (ar, fr string, err error) {
	if err := a.access.Read(ctx, n.Chamber, n.String()); err != nil {
		return "", "", err
	}
	b, err := a.repos.Bodies.Get(ctx, n)
	if err != nil {
		return "", "", err
	}
	ga, err := a.repos.Assemblies.Get(ctx, n)
	if err != nil {
		return "", "", err
	}
	snap, err := a.repos.Censuses.Get(ctx, n)
	if err != nil {
		return "", "", err
	}
	page, err := a.repos.Offices.List(ctx, n, paging.ListQuery{PageSize: 1000})
	if err != nil {
		return "", "", err
	}
	names := map[string]l10n.Text{}
	for _, mb := range snap.Members {
		names[mb.Name] = mb.DisplayName
	}
	ar, fr = constitutive.Minutes(constitutive.Heading{Body: b.DisplayName, Chamber: b.Chamber, Craft: b.Craft, Province: b.Province}, ga, page.Items, names)
	return ar, fr, nil
}

package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/hirfa/hirfa/pkg/assembly"
	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/app"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/awareness"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/census"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/constitutive"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/election"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/programme"
)

// Seeder acts for the demo chambers' clerks: the census and the awareness
// meetings go to the registry and events-and-fairs over gRPC with a token,
// exactly as a clerk's requests do.
type Seeder struct {
	App      *app.CraftBodies
	Registry app.Registry
	// Token issues a chamber clerk's token for chamber.
	Token func(chamber string) (string, error)
}

// DevTokens issues clerk tokens from the local dev issuer's key (the
// embedded default's only identity provider).
func DevTokens(keyFile string) func(chamber string) (string, error) {
	return func(chamber string) (string, error) {
		iss, err := devissuer.Load(keyFile)
		if err != nil {
			return "", err
		}
		return iss.Issue(devissuer.Claims{Subject: "system:seed", Role: auth.RoleChamberClerk, Chamber: chamber, TTL: 10 * time.Minute})
	}
}

func (s Seeder) as(ctx context.Context, chamber string) (context.Context, error) {
	tok, err := s.Token(chamber)
	if err != nil {
		return nil, err
	}
	return auth.NewContext(ctx, auth.Principal{Subject: "system:seed", Role: auth.RoleChamberClerk, Chamber: chamber, Raw: tok}), nil
}

const (
	fes       = "fes-meknes"
	marrakech = "marrakech-safi"
	tannery   = "F1.B03.A01" // tannerie, Fès: constituted with its bureau
	embroider = "F1.B02.A02" // broderie, Fès: first convocation without quorum
	zellige   = "F1.B04.A02" // zellige, Meknès: committee formed
	carpets   = "F1.B02.A01" // tissage de tapis, Marrakech: in awareness
)

func m(id string) app.Mutation { return app.Mutation{Method: "seed", RequestID: "demo-" + id} }

// SeedDemo records the demonstration founding the first time (until the
// Marrakech-Safi body exists): Fès-Meknès's programme launched at the
// regional meeting of 20 November 2025 with its phase-1 timeline; the Fès
// tanners' body constituted with its bureau, the Meknès zellige body with
// its committee formed, the Fès embroiderers' body whose first convocation
// failed quorum; and the Marrakech carpet weavers' body in awareness with
// one meeting. Every step goes through the application with request ids and
// is skipped once its body has passed it, so a re-run after a failure
// resumes where it stopped and writes nothing twice. The programme and the
// bodies are marked Demo, which the API and the console show.
func (s Seeder) SeedDemo(ctx context.Context, log *slog.Logger) error {
	fc, err := s.as(ctx, fes)
	if err != nil {
		return err
	}
	mc, err := s.as(ctx, marrakech)
	if err != nil {
		return err
	}
	page, err := s.App.ListCraftBodies(mc, paging.ListQuery{Chamber: marrakech, PageSize: 1})
	if err != nil || len(page.Items) > 0 {
		return err
	}
	p, err := s.App.CreateProgramme(fc, fes, &programme.Programme{
		Title:      l10n.Text{AR: "برنامج تأسيس الهيئات الحرفية بجهة فاس مكناس", FR: "Programme de fondation des instances professionnelles de Fès-Meknès"},
		LaunchDate: "2025-11-20",
		Demo:       true,
		Phases: []programme.Phase{{
			Number: 1, Title: l10n.Text{AR: "المرحلة الأولى", FR: "Phase 1"},
			StartDate: "2025-11-24", EndDate: "2026-06-30", Crafts: []string{tannery, embroider, zellige},
			Milestones: []programme.Milestone{
				{Stage: craftbody.Awareness, DueDate: "2025-12-31"},
				{Stage: craftbody.Committee, DueDate: "2026-01-31"},
				{Stage: craftbody.CensusTaken, DueDate: "2026-02-28"},
				{Stage: craftbody.AssemblyConvened, DueDate: "2026-04-30"},
				{Stage: craftbody.Constituted, DueDate: "2026-06-30"},
			},
		}},
	}, m("programme"))
	if err != nil {
		return fmt.Errorf("programme: %w", err)
	}
	body := func(c context.Context, chamber, craft, province string, ar, fr string, prog string, phase int) (*craftbody.Body, error) {
		return s.App.CreateCraftBody(c, chamber, &craftbody.Body{
			DisplayName: l10n.Text{AR: ar, FR: fr}, Level: craftbody.Provincial, Craft: craft, Province: province,
			Programme: prog, Phase: phase, Demo: true,
		}, m("body-"+province+"-"+craft))
	}
	tan, err := body(fc, fes, tannery, "fes", "الهيئة الحرفية الإقليمية للدباغين بفاس", "Instance professionnelle provinciale des tanneurs de Fès", p.Name(), 1)
	if err != nil {
		return fmt.Errorf("tanners: %w", err)
	}
	if err := s.found(fc, tan, "tan", true); err != nil {
		return fmt.Errorf("tanners: %w", err)
	}
	emb, err := body(fc, fes, embroider, "fes", "الهيئة الحرفية الإقليمية للطرازات بفاس", "Instance professionnelle provinciale des brodeuses de Fès", p.Name(), 1)
	if err != nil {
		return fmt.Errorf("embroiderers: %w", err)
	}
	if err := s.found(fc, emb, "emb", false); err != nil {
		return fmt.Errorf("embroiderers: %w", err)
	}
	zel, err := body(fc, fes, zellige, "meknes", "الهيئة الحرفية الإقليمية لصناع الزليج بمكناس", "Instance professionnelle provinciale des zelligeurs de Meknès", p.Name(), 1)
	if err != nil {
		return fmt.Errorf("zellige: %w", err)
	}
	if _, err := s.committee(fc, zel, "zel"); err != nil {
		return fmt.Errorf("zellige: %w", err)
	}
	car, err := body(mc, marrakech, carpets, "marrakech", "الهيئة الحرفية الإقليمية للنساجين بمراكش", "Instance professionnelle provinciale des tisserands de Marrakech", "", 0)
	if err != nil {
		return fmt.Errorf("carpets: %w", err)
	}
	cn := name(car)
	if car.Stage == craftbody.Planned {
		if car, err = s.App.StartAwareness(mc, cn, m("car-awareness")); err != nil {
			return fmt.Errorf("carpets: %w", err)
		}
	}
	meetings, err := s.App.ListAwarenessMeetings(mc, cn, paging.ListQuery{PageSize: 1})
	if err != nil {
		return err
	}
	if len(meetings.Items) == 0 {
		if _, err := s.App.CreateAwarenessMeeting(mc, cn, &awareness.Meeting{
			Title: l10n.Text{AR: "لقاء تحسيسي مع النساجين", FR: "Réunion de sensibilisation des tisserands"},
			Date:  "2026-01-15", City: "Marrakech", Capacity: 80,
		}, m("car-meeting-1")); err != nil {
			return fmt.Errorf("carpets meeting: %w", err)
		}
	}
	log.InfoContext(ctx, "demo data seeded", slog.String("programme", p.Name()),
		slog.String("constituted", tan.Name()), slog.String("awareness", car.Name()))
	return nil
}

func name(b *craftbody.Body) resource.Name {
	return resource.Name{Chamber: b.Chamber, Collection: craftbody.Collection, ID: b.ID}
}

// committee takes the body through awareness to its preparatory committee:
// the craft's registered artisans of the province, the amin (the master
// artisan) chairing.
func (s Seeder) committee(c context.Context, b *craftbody.Body, key string) (*craftbody.Body, error) {
	n := name(b)
	var err error
	if b.Stage == craftbody.Planned {
		if b, err = s.App.StartAwareness(c, n, m(key+"-awareness")); err != nil {
			return nil, err
		}
	}
	if b.Stage != craftbody.Awareness {
		return b, nil
	}
	facts, _, err := s.Registry.Facts(c, b.Chamber, b.Craft, b.Province, "")
	if err != nil {
		return nil, err
	}
	slices.SortFunc(facts, func(x, y census.Registrant) int {
		return int(rank(x.Category)) - int(rank(y.Category))
	})
	if len(facts) == 0 {
		return nil, errors.New("the registry lists no artisan of " + b.Craft + " in " + b.Province)
	}
	cm := craftbody.PreparatoryCommittee{Chair: facts[0].Name, FormedDate: "2026-01-20"}
	for i, f := range facts {
		kind, role := craftbody.MemberArtisan, "membre"
		if i == 0 {
			role = "président"
		}
		cm.Members = append(cm.Members, craftbody.CommitteeMember{Kind: kind, Registrant: f.Name, DisplayName: f.DisplayName, Role: role})
	}
	return s.App.FormCommittee(c, n, cm, m(key+"-committee"))
}

func rank(category string) int {
	if category == "MASTER" {
		return 0
	}
	return 1
}

// found takes a body through the census to its constitutive assembly;
// complete, every member attends, the statutes are adopted and the bureau
// elected; otherwise one member comes and the quorum fails.
func (s Seeder) found(c context.Context, b *craftbody.Body, key string, complete bool) error {
	b, err := s.committee(c, b, key)
	if err != nil {
		return err
	}
	n := name(b)
	if b.Stage == craftbody.Committee {
		if _, b, err = s.App.TakeCensus(c, n, m(key+"-census")); err != nil {
			return err
		}
	}
	if b.Stage == craftbody.CensusTaken {
		if _, err := s.App.ConveneAssembly(c, n, "2026-03-14", "Siège de la Chambre, Fès", m(key+"-convene")); err != nil {
			return err
		}
	}
	ga, err := s.App.GetAssembly(c, n)
	if err != nil {
		return err
	}
	if ga.State == constitutive.Convened {
		present := ga.Roll
		if !complete {
			present = ga.Roll[:1]
		}
		if len(ga.Current().Present) == 0 {
			if _, err := s.App.RecordAttendance(c, n, present, nil, m(key+"-attendance")); err != nil {
				return err
			}
		}
		if ga, err = s.App.CheckQuorum(c, n, m(key+"-quorum")); err != nil {
			return err
		}
	}
	if !complete {
		return nil
	}
	if ga.Statutes.State == constitutive.Voting {
		for i, member := range ga.Roll {
			if _, ok := ga.Statutes.Votes[member]; ok {
				continue
			}
			if _, err := s.App.CastStatutesVote(c, n, member, assembly.For, m(fmt.Sprintf("%s-statutes-%d", key, i))); err != nil {
				return err
			}
		}
		if ga, err = s.App.CloseStatutesVote(c, n, m(key+"-statutes-close")); err != nil {
			return err
		}
	}
	offices := []struct {
		id       string
		title    l10n.Text
		pres     bool
		position int
	}{
		{"president", l10n.Text{AR: "الرئيس", FR: "Président"}, true, 1},
		{"secretary", l10n.Text{AR: "الكاتب العام", FR: "Secrétaire général"}, false, 2},
	}
	for i, o := range offices {
		candidate := ga.Chair
		if !o.pres {
			candidate = other(ga.Roll, ga.Chair)
		}
		off, err := s.App.GetOffice(c, n, o.id)
		if fault.Is[*fault.NotFoundError](err) {
			off, err = s.App.CreateOffice(c, n, &election.Office{OfficeID: o.id, Title: o.title, Position: o.position,
				Presidency: o.pres, Candidates: []string{candidate}}, m(key+"-office-"+o.id))
		}
		if err != nil {
			return err
		}
		if off.Elected != "" {
			continue
		}
		for j, member := range ga.Roll {
			if _, err := s.App.CastBallot(c, n, o.id, member, candidate, m(fmt.Sprintf("%s-ballot-%d-%d", key, i, j))); err != nil && !fault.Is[*fault.PreconditionError](err) {
				return err
			}
		}
		if _, err := s.App.CloseRound(c, n, o.id, m(key+"-close-"+o.id)); err != nil {
			return err
		}
	}
	if b, err = s.App.GetCraftBody(c, n); err != nil {
		return err
	}
	if b.Stage == craftbody.AssemblyConvened {
		if _, err := s.App.ConstituteCraftBody(c, n, m(key+"-constitute")); err != nil {
			return err
		}
	}
	return nil
}

// other is the first member of roll who is not chair.
func other(roll []string, chair string) string {
	for _, r := range roll {
		if r != chair {
			return r
		}
	}
	return chair
}

package service

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/app"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/event"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/fair"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/generalassembly"
)

// systemContext acts as the platform itself (seeding), recorded as such in
// the audit trail.
func systemContext(ctx context.Context, chamber string) context.Context {
	return auth.NewContext(ctx, auth.Principal{Subject: "system:seed", Role: auth.RoleChamberClerk, Chamber: chamber})
}

// demoChamber is where the demonstration data lives.
const demoChamber = "fes-meknes"

// SeedDemo records demonstration data in Fès-Meknès the first time (when it
// has no event yet): a regional fair open for applications, with the 60
// booths and the quotas of the chambers' own example (12 booths reserved
// for women, 6 for rural artisans, at most 12 exhibitors from outside the
// region), and a convened June general assembly of 82 members with its
// agenda, both marked Demo, which the API and the console show. Request ids
// make a re-run write nothing twice. Exhibitors are not
// seeded: applying needs the registry, which may not be up yet.
func SeedDemo(ctx context.Context, a *app.EventsFairs, log *slog.Logger) error {
	c := systemContext(ctx, demoChamber)
	page, err := a.ListEvents(c, paging.ListQuery{Chamber: demoChamber, PageSize: 1})
	if err != nil || len(page.Items) > 0 {
		return err
	}
	m := func(id string) app.Mutation { return app.Mutation{Method: "seed", RequestID: "demo-" + id} }
	f, err := a.CreateEvent(c, demoChamber, &event.Event{
		Kind: event.Fair, Scope: event.Regional,
		Title:     l10n.Text{AR: "المعرض الجهوي للصناعة التقليدية بفاس", FR: "Salon régional de l'artisanat de Fès"},
		StartDate: "2026-04-10", EndDate: "2026-04-19",
		Venue:    event.Venue{Province: "fes", City: "Fès", Address: "Place Bab Boujloud"},
		Partners: []event.Partner{{Name: l10n.Text{AR: "جهة فاس مكناس", FR: "Région Fès-Meknès"}, Role: "co-organisateur"}},
		Capacity: 60,
		Demo:     true,
		Fair: event.FairSettings{Quotas: []event.QuotaRule{
			{Criterion: event.Women, Booths: 12, Limit: event.Reserved},
			{Criterion: event.Rural, Booths: 6, Limit: event.Reserved},
			{Criterion: event.OutsideRegion, Booths: 12, Limit: event.Maximum},
		}},
	}, m("fair"))
	if err != nil {
		return err
	}
	fn := resource.Name{Chamber: demoChamber, Collection: event.Collection, ID: f.ID}
	zones := []string{"Tapis et tissage", "Cuir", "Poterie et céramique", "Bois", "Métaux", "Broderie"}
	for i := 1; i <= 60; i++ {
		b := &fair.Booth{Number: fmt.Sprintf("A-%02d", i), AreaM2: 9, Zone: zones[(i-1)/10], FeeCentimes: 500_00}
		if _, err := a.CreateBooth(c, fn, b, m(fmt.Sprintf("booth-%02d", i))); err != nil {
			return err
		}
	}
	if _, err := a.TransitionEvent(c, fn, event.OpenApplications, m("fair-open")); err != nil {
		return err
	}
	ga := &generalassembly.Assembly{
		Title:       l10n.Text{AR: "الدورة العادية لشهر يونيو للجمع العام", FR: "Session ordinaire de juin de l'assemblée générale"},
		SessionType: generalassembly.Ordinary, OrdinarySession: generalassembly.June,
		Date: "2026-06-25", Venue: "Siège de la Chambre, Fès", President: "m01", Demo: true,
	}
	for i := 1; i <= 82; i++ {
		office := "membre"
		if i == 1 {
			office = "président"
		}
		ga.Members = append(ga.Members, generalassembly.Member{ID: fmt.Sprintf("m%02d", i), Office: office,
			DisplayName: l10n.Text{AR: fmt.Sprintf("العضو %d", i), FR: fmt.Sprintf("Membre %d", i)}})
	}
	out, err := a.CreateAssembly(c, demoChamber, ga, m("assembly"))
	if err != nil {
		return err
	}
	an := resource.Name{Chamber: demoChamber, Collection: generalassembly.Collection, ID: out.ID}
	items := []*generalassembly.Item{
		{Position: 1, Kind: generalassembly.ActivityReport, Title: l10n.Text{AR: "تقرير الأنشطة", FR: "Rapport d'activité"}},
		{Position: 2, Kind: generalassembly.ActionProgramme, Title: l10n.Text{AR: "برنامج العمل", FR: "Programme d'action"}},
		{Position: 3, Kind: generalassembly.FairsCalendar, Title: l10n.Text{AR: "برنامج المعارض", FR: "Calendrier des salons"}},
	}
	for _, it := range items {
		if _, err := a.CreateAgendaItem(c, an, it, m(fmt.Sprintf("item-%d", it.Position))); err != nil {
			return err
		}
	}
	log.InfoContext(ctx, "demo data seeded", slog.String("fair", fn.String()), slog.String("assembly", an.String()))
	return nil
}

package service

import (
	"context"
	"log/slog"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/activity"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/association"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
	"github.com/hirfa/hirfa/services/registry/internal/domain/enterprise"
	"github.com/hirfa/hirfa/services/registry/internal/domain/namerequest"
)

func group(code, ar, fr string) activity.Group {
	return activity.Group{Code: code, Name: l10n.Text{AR: ar, FR: fr}}
}

// sampleNomenclature is a SAMPLE of the activity nomenclature for demos and
// tests — not the official list of decree 2.21.991, which the ministry loads
// through CreateActivity. Every activity loaded from here is flagged sample.
func sampleNomenclature() []*activity.Activity {
	art := group("F1", "الصناعة التقليدية الإنتاجية الفنية والنفعية", "Artisanat de production d'art et utilitaire")
	svc := group("F2", "الصناعة التقليدية الخدماتية", "Artisanat de services")
	wood := group("F1.B01", "الخشب", "Bois")
	textile := group("F1.B02", "النسيج", "Textile")
	leather := group("F1.B03", "الجلد", "Cuir")
	clay := group("F1.B04", "الفخار والخزف", "Poterie et céramique")
	metal := group("F1.B05", "المعادن", "Métaux")
	stone := group("F1.B06", "البناء التقليدي", "Construction traditionnelle")
	care := group("F2.B01", "خدمات العناية", "Services de soins")
	repair := group("F2.B02", "الإصلاح والصيانة", "Réparation et entretien")
	mk := func(code string, fam, br activity.Group, ar, fr string) *activity.Activity {
		a := &activity.Activity{Name: l10n.Text{AR: ar, FR: fr}, Family: fam, Branch: br}
		a.ID = code
		return a
	}
	return []*activity.Activity{
		mk("F1.B01.A01", art, wood, "النجارة التقليدية", "Menuiserie traditionnelle"),
		mk("F1.B01.A02", art, wood, "النقش على الخشب", "Sculpture sur bois"),
		mk("F1.B02.A01", art, textile, "نسج الزرابي", "Tissage de tapis"),
		mk("F1.B02.A02", art, textile, "الطرز التقليدي", "Broderie traditionnelle"),
		mk("F1.B02.A03", art, textile, "الخياطة التقليدية", "Couture traditionnelle"),
		mk("F1.B03.A01", art, leather, "الدباغة", "Tannerie"),
		mk("F1.B03.A02", art, leather, "صناعة البلغة", "Fabrication de babouches"),
		mk("F1.B04.A01", art, clay, "الفخار", "Poterie"),
		mk("F1.B04.A02", art, clay, "الزليج", "Zellige"),
		mk("F1.B05.A01", art, metal, "النحاس", "Dinanderie"),
		mk("F1.B05.A02", art, metal, "الحدادة الفنية", "Ferronnerie d'art"),
		mk("F1.B06.A01", art, stone, "الجبس المنقوش", "Plâtre sculpté (gebs)"),
		mk("F2.B01.A01", svc, care, "الحلاقة", "Coiffure"),
		mk("F2.B02.A01", svc, repair, "إصلاح الأجهزة المنزلية", "Réparation d'appareils ménagers"),
	}
}

// seedCertificate submits a demo name request for one name in chamber and
// has ODCO approve it, returning the certificate number.
func seedCertificate(ctx context.Context, r *app.Registry, chamber, founder, ar, fr string, m func(string) app.Mutation) (string, error) {
	q, err := r.CreateNameRequest(systemContext(ctx, auth.RoleChamberClerk, chamber), chamber,
		&namerequest.Request{Founder: founder, Demo: true, Names: []namerequest.Proposal{{AR: ar, FR: fr}}}, m("name-request-"+fr))
	if err != nil {
		return "", err
	}
	n := resource.Name{Chamber: chamber, Collection: namerequest.Collection, ID: q.ID}
	q, err = r.ApproveNameRequest(systemContext(ctx, auth.RoleODCOOfficer, ""), n, 1, m("name-approve-"+q.ID))
	if err != nil {
		return "", err
	}
	return q.Certificate, nil
}

// systemContext acts as the platform itself (seeding), recorded as such in
// the audit trail.
func systemContext(ctx context.Context, role auth.Role, chamber string) context.Context {
	return auth.NewContext(ctx, auth.Principal{Subject: "system:seed", Role: role, Chamber: chamber})
}

// SeedReference loads the sample nomenclature on first start, only when it
// is switched on (the demo profile, or HIRFA_SAMPLE_NOMENCLATURE for tests
// and load tools): elsewhere the ministry loads the official list.
func SeedReference(ctx context.Context, r *app.Registry) error {
	return r.LoadSampleNomenclature(systemContext(ctx, auth.RoleMinistry, ""), sampleNomenclature(), app.Mutation{Method: "seed"})
}

// SeedDemo records demonstration data in Fès-Meknès and Marrakech-Safi the
// first time (when Fès-Meknès has no cooperative yet). Request ids make a
// re-run write nothing twice. Every record it creates is marked Demo, which
// the API and the console show, so invented people are never taken for real
// registrations.
func SeedDemo(ctx context.Context, r *app.Registry, log *slog.Logger) error {
	fes := systemContext(ctx, auth.RoleChamberClerk, "fes-meknes")
	page, err := r.ListCooperatives(fes, paging.ListQuery{Chamber: "fes-meknes", PageSize: 1})
	if err != nil || len(page.Items) > 0 {
		return err
	}
	m := func(id string) app.Mutation { return app.Mutation{Method: "seed", RequestID: "demo-" + id} }
	for _, d := range demoArtisans() {
		c := systemContext(ctx, auth.RoleChamberClerk, d.chamber)
		d.a.Demo = true
		a, err := r.CreateArtisan(c, d.chamber, d.a, m("artisan-"+d.a.CNIE))
		if err != nil {
			return err
		}
		if d.register {
			n := resource.Name{Chamber: d.chamber, Collection: artisan.Collection, ID: a.ID}
			if _, err := r.TransitionArtisan(c, n, artisan.Register, m("register-"+a.CNIE)); err != nil {
				return err
			}
		}
	}
	coops := []struct {
		chamber string
		c       *cooperative.Cooperative
	}{
		{"fes-meknes", &cooperative.Cooperative{DisplayName: l10n.Text{AR: "تعاونية النسيج الفاسي", FR: "Coopérative du Tissage Fassi"},
			Activity: "F1.B02.A01", Province: "fes", FoundingDate: "2019-03-12", CapitalCentimes: 2_500_000, ShareValueCentimes: 50_000,
			MembersWomen: 9, MembersMen: 2, LocalRegisterNumber: "DEMO-FES-2019-0001"}},
		{"fes-meknes", &cooperative.Cooperative{DisplayName: l10n.Text{AR: "تعاونية الزليج مكناس", FR: "Coopérative Zellige Meknès"},
			Activity: "F1.B04.A02", Province: "meknes", FoundingDate: "2021-10-05", CapitalCentimes: 1_000_000, ShareValueCentimes: 10_000,
			MembersWomen: 1, MembersMen: 6}},
		{"marrakech-safi", &cooperative.Cooperative{DisplayName: l10n.Text{AR: "تعاونية الفخار آسفي", FR: "Coopérative de Poterie de Safi"},
			Activity: "F1.B04.A01", Province: "safi", FoundingDate: "2017-06-20", CapitalCentimes: 3_000_000, ShareValueCentimes: 100_000,
			MembersWomen: 4, MembersMen: 8, LocalRegisterNumber: "DEMO-SAF-2017-0001"}},
	}
	for _, d := range coops {
		c := systemContext(ctx, auth.RoleChamberClerk, d.chamber)
		d.c.Demo = true
		out, err := r.CreateCooperative(c, d.chamber, d.c, m("coop-"+d.c.DisplayName.FR))
		if err != nil {
			return err
		}
		if d.c.LocalRegisterNumber != "" {
			// Registered cooperatives went through ODCO's name approval:
			// each gets its approved certificate, which registration uses.
			cert, err := seedCertificate(ctx, r, d.chamber, "Fondateurs (démo)", d.c.DisplayName.AR, d.c.DisplayName.FR, m)
			if err != nil {
				return err
			}
			n := resource.Name{Chamber: d.chamber, Collection: cooperative.Collection, ID: out.ID}
			if _, err := r.RegisterCooperative(c, n, cert, m("register-"+out.ID)); err != nil {
				return err
			}
			if _, err := r.TransitionCooperative(c, n, cooperative.Activate, m("activate-"+out.ID)); err != nil {
				return err
			}
		}
	}
	// One request waiting for ODCO's decision, for the officer's queue.
	if _, err := r.CreateNameRequest(fes, "fes-meknes", &namerequest.Request{Founder: "Fondatrice (démo)", Demo: true, Names: []namerequest.Proposal{
		{AR: "تعاونية الأطلس للطرز", FR: "Coopérative Atlas Broderie"},
		{AR: "تعاونية نجمة فاس للطرز", FR: "Coopérative Étoile de Fès Broderie"},
	}}, m("name-request-atlas")); err != nil {
		return err
	}
	assocs := []struct {
		chamber string
		a       *association.Association
	}{
		{"fes-meknes", &association.Association{DisplayName: l10n.Text{AR: "جمعية الصناع التقليديين بفاس", FR: "Association des Artisans de Fès"},
			Object: "Promotion des métiers d'art de la médina de Fès", Province: "fes", Category: "PROFESSIONAL", President: "Abdelkrim Alaoui",
			Receipt: association.Receipt{Number: "DEMO-REC-FES-2020-0001", ProvisionalDate: "2020-01-15", DefinitiveDate: "2020-03-01"}, LastGeneralAssemblyDate: "2025-06-14"}},
		{"marrakech-safi", &association.Association{DisplayName: l10n.Text{AR: "جمعية نساء الحرف مراكش", FR: "Association Femmes Artisanes de Marrakech"},
			Object: "Accompagnement des artisanes", Province: "marrakech", Category: "WOMEN", President: "Fatima Zahra Benali",
			Receipt: association.Receipt{Number: "DEMO-REC-MAR-2022-0002", ProvisionalDate: "2022-04-02"}}},
	}
	for _, d := range assocs {
		c := systemContext(ctx, auth.RoleChamberClerk, d.chamber)
		d.a.Demo = true
		if _, err := r.CreateAssociation(c, d.chamber, d.a, m("assoc-"+d.a.Receipt.Number)); err != nil {
			return err
		}
	}
	// The enterprise is supervised by the first registered Fès artisan.
	arts, err := r.ListArtisans(fes, paging.ListQuery{Chamber: "fes-meknes", Filter: "state = REGISTERED", PageSize: 1})
	if err != nil {
		return err
	}
	if len(arts.Items) == 0 {
		return fault.Precondition(app.ReasonSeed, "no registered artisan to supervise the demo enterprise")
	}
	e := &enterprise.Enterprise{DisplayName: l10n.Text{AR: "دار الدباغة الفاسية", FR: "Maison de la Tannerie Fassie"},
		ICE: "000000000000100", RC: "RC-DEMO-00001", Activity: "F1.B03.A01", Province: "fes", SupervisingArtisan: arts.Items[0].Name(), Demo: true}
	if _, err := r.CreateEnterprise(fes, "fes-meknes", e, m("enterprise-"+e.ICE)); err != nil {
		return err
	}
	log.Info("demo data recorded", slog.String("chambers", "fes-meknes, marrakech-safi"))
	return nil
}

type demoArtisan struct {
	chamber  string
	register bool
	a        *artisan.Artisan
}

// demoArtisans are invented people. Their CNIEs are in the ZZ99 block
// (ZZ990001…), which the project keeps for demonstration data, and the demo
// enterprise's ICE is 000000000000100 (company number zero); the ODCO
// certificates, local register numbers, association receipts and the RC
// number say DEMO: identifiers that pass the format checks but read as test
// values, so a demo record is not mistaken for a real person's or company's.
func demoArtisans() []demoArtisan {
	mk := func(gAR, fAR, gL, fL, cnie string, g artisan.Gender, birth resource.Date, prov, act string, cat artisan.Category, years int) *artisan.Artisan {
		a := &artisan.Artisan{GivenNameAR: gAR, FamilyNameAR: fAR, GivenNameLatin: gL, FamilyNameLatin: fL, CNIE: cnie, Gender: g,
			BirthDate: birth, Province: prov, Activity: act, Category: cat, YearsOfPractice: years}
		switch cat {
		case artisan.Graduate:
			a.DiplomaReference = "DIP-" + cnie
		case artisan.Master:
			a.AminCertificateReference = "AMIN-" + cnie
		}
		return a
	}
	return []demoArtisan{
		{"fes-meknes", true, mk("محمد", "الفاسي", "Mohammed", "El Fassi", "ZZ990001", artisan.Male, "1975-04-10", "fes", "F1.B03.A01", artisan.Master, 25)},
		{"fes-meknes", true, mk("فاطمة", "بناني", "Fatima", "Bennani", "ZZ990002", artisan.Female, "1988-09-02", "fes", "F1.B02.A02", artisan.Experienced, 8)},
		{"fes-meknes", false, mk("يوسف", "العلمي", "Youssef", "Alami", "ZZ990003", artisan.Male, "1999-01-22", "meknes", "F1.B04.A02", artisan.Graduate, 1)},
		// The tanners and embroiderers of Fès whom craft-bodies' demo
		// census counts (the tannery body is constituted, the embroidery
		// body's first convocation failed quorum).
		{"fes-meknes", true, mk("عبد الرحيم", "الشرايبي", "Abderrahim", "Chraibi", "ZZ990004", artisan.Male, "1972-02-14", "fes", "F1.B03.A01", artisan.Master, 30)},
		{"fes-meknes", true, mk("حسن", "الوزاني", "Hassan", "Ouazzani", "ZZ990005", artisan.Male, "1984-06-18", "fes", "F1.B03.A01", artisan.Experienced, 12)},
		{"fes-meknes", true, mk("رشيد", "التازي", "Rachid", "Tazi", "ZZ990006", artisan.Male, "1990-11-03", "fes", "F1.B03.A01", artisan.Experienced, 9)},
		{"fes-meknes", true, mk("خديجة", "السقاط", "Khadija", "Sqalli", "ZZ990007", artisan.Female, "1986-03-27", "fes", "F1.B03.A01", artisan.Experienced, 10)},
		{"fes-meknes", true, mk("نزهة", "بنجلون", "Nezha", "Benjelloun", "ZZ990008", artisan.Female, "1979-08-09", "fes", "F1.B02.A02", artisan.Master, 22)},
		{"fes-meknes", true, mk("سناء", "الكتاني", "Sanaa", "Kettani", "ZZ990009", artisan.Female, "1993-05-15", "fes", "F1.B02.A02", artisan.Experienced, 6)},
		{"marrakech-safi", true, mk("عائشة", "الإدريسي", "Aicha", "Idrissi", "ZZ990010", artisan.Female, "1980-12-05", "marrakech", "F1.B02.A01", artisan.Experienced, 15)},
		{"marrakech-safi", true, mk("إبراهيم", "أيت باها", "Brahim", "Ait Baha", "ZZ990011", artisan.Male, "1969-07-30", "safi", "F1.B04.A01", artisan.Master, 35)},
	}
}

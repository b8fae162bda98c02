package report_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/render"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/territory"
	"github.com/hirfa/hirfa/services/reporting/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/reporting/internal/app/report"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/projection"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/stats"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/target"
)

// testDB is the database of the last builder (the targets live there too).
var testDB *store.DB

// builder returns a report builder over a SQLite projection holding a few
// registrants, two fairs, a seminar and an approved agreement.
func builder(t *testing.T) *report.Builder {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	testDB = db
	if err := sqlstore.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	terr, err := territory.Load()
	if err != nil {
		t.Fatal(err)
	}
	p := sqlstore.NewProjector(db)
	v := int64(1)
	apply := func(c projection.Change) {
		t.Helper()
		c.Op = projection.Upsert
		if err := db.Tx(ctx, func(tx *sql.Tx) error { return p.Apply(ctx, tx, c) }); err != nil {
			t.Fatal(err)
		}
		v++
	}
	for i, r := range []struct{ typ, prov, cat, date string }{
		{projection.Artisan, "fes", "MASTER", "2023-01-15"},
		{projection.Artisan, "taounate", "GRADUATE", "2023-02-03"},
		{projection.Artisan, "taounate", "GRADUATE", "2023-02-20"},
		{projection.Cooperative, "fes", "", "2023-03-01"},
		{projection.Association, "sefrou", "WOMEN", "2023-04-01"},
	} {
		apply(projection.Change{Registrant: &projection.Registrant{Type: r.typ, Chamber: "fes-meknes", ID: string(rune('a' + i)), Region: "fes-meknes",
			Province: r.prov, Activity: "F1.B01.A001", Category: r.cat, State: "REGISTERED", RegisterDate: r.date, MembersWomen: 5, Version: v}})
	}
	apply(projection.Change{Activity: &projection.Activity{Code: "F1.B01.A001", Name: l10n.Text{AR: "الزربية", FR: "Tapis"},
		Branch: projection.Group{Code: "F1.B01", Name: l10n.Text{AR: "النسيج", FR: "Textile"}}, Version: v}})
	for _, f := range []struct{ id, start string }{{"f1", "2023-02-10"}, {"f2", "2023-04-05"}} {
		apply(projection.Change{Event: &projection.Event{Chamber: "fes-meknes", ID: f.id, Kind: "FAIR", State: "EVALUATED", Province: "fes", StartDate: f.start, EndDate: f.start,
			Title: l10n.Text{AR: "معرض الصناعة التقليدية", FR: "Salon de l'artisanat"}, Evaluation: &projection.Evaluation{Visitors: 117500, SalesCentimes: 164898000}, Version: v}})
	}
	apply(projection.Change{Event: &projection.Event{Chamber: "fes-meknes", ID: "s1", Kind: "SEMINAR", State: "PLANNED", StartDate: "2023-03-03", Version: v}})
	apply(projection.Change{Agreement: &projection.Agreement{Chamber: "fes-meknes", ID: "g1", Title: l10n.Text{AR: "اتفاقية شراكة مع جمعية تازة مبادرة", FR: "Convention avec Taza Initiative"},
		State: "APPROVED", ApproveDate: "2023-05-20", Version: v}})
	return &report.Builder{Stats: sqlstore.NewStats(db), Territory: terr, Limits: stats.DefaultLimits}
}

func TestActivityReport(t *testing.T) {
	b := builder(t)
	ctx := context.Background()
	ar, err := b.ActivityReport(ctx, "fes-meknes", "2023-01-01", "2023-05-31", render.Arabic)
	if err != nil {
		t.Fatal(err)
	}
	html, err := render.HTML(ar)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`dir="rtl"`, "تقرير النشاط", "فاس مكناس", "تاونات", "235\u00a0000", "3\u00a0297\u00a0960,00", "اتفاقية شراكة مع جمعية تازة مبادرة", "النسيج", "ندوات"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("arabic report lacks %q", want)
		}
	}
	if len(ar.Tables()) != len(report.Tables) {
		t.Fatalf("tables = %d, want %d", len(ar.Tables()), len(report.Tables))
	}
	for i, id := range report.Tables {
		tb, ok := ar.TableByID(id)
		if !ok || ar.Tables()[i].ID != id {
			t.Fatalf("table %s missing or out of order", id)
		}
		csv, err := render.CSV(tb)
		if err != nil || !bytes.HasPrefix(csv, []byte("\uFEFF")) {
			t.Fatalf("csv %s: %v", id, err)
		}
	}
	growth, _ := ar.TableByID("growth")
	if last := growth.Rows[len(growth.Rows)-1]; last[1] != "3" || last[2] != "1" || last[3] != "1" {
		t.Errorf("growth total = %q", last)
	}
	fr, err := b.ActivityReport(ctx, "fes-meknes", "2023-01-01", "2023-05-31", render.French)
	if err != nil {
		t.Fatal(err)
	}
	if fr.Title != "Rapport d'activité" || !strings.Contains(fr.Subtitle, "Fès-Meknès") {
		t.Errorf("french = %q / %q", fr.Title, fr.Subtitle)
	}
	if _, err := render.XLSX(fr); err != nil {
		t.Fatal(err)
	}
}

func TestCharts(t *testing.T) {
	b := builder(t)
	for _, name := range report.Charts {
		c, err := b.Chart(context.Background(), "fes-meknes", name, "2023-01-01", "2023-06-30", render.Arabic)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(c.Labels) == 0 {
			t.Errorf("%s: empty chart", name)
		}
		if _, err := c.SVG(); err != nil {
			t.Fatal(err)
		}
	}
	c, _ := b.Chart(context.Background(), "fes-meknes", "fairs_over_time", "2023-01-01", "2023-06-30", render.French)
	if strings.Join(c.Labels, ",") != "2023-01,2023-02,2023-03,2023-04,2023-05,2023-06" || c.Values[1] != 1 || c.Values[3] != 1 {
		t.Errorf("fairs over time = %v %v", c.Labels, c.Values)
	}
}

func TestBadRequestsNameTheField(t *testing.T) {
	b := builder(t)
	ctx := context.Background()
	for _, c := range []struct {
		start, end string
		lang       render.Language
		field      string
	}{
		{"2023-05-31", "2023-01-01", render.Arabic, "end_date"}, // inverted
		{"2023-01-01", "2024-06-30", render.Arabic, "end_date"}, // over a year
		{"2023-02-30", "2023-05-31", render.Arabic, "start_date"},
		{"2023-01-01", "2023-05-31", "en", "language"},
	} {
		_, err := b.ActivityReport(ctx, "fes-meknes", c.start, c.end, c.lang)
		var inv *fault.InvalidError
		if !errors.As(err, &inv) || inv.Violations[0].Field != c.field {
			t.Errorf("%+v: err = %v, want a violation of %s", c, err, c.field)
		}
	}
	// Fair statistics allow five years, not more.
	if _, err := stats.ParsePeriod("2019-01-01", "2023-12-31", stats.DefaultLimits.MaxFairPeriod); err != nil {
		t.Errorf("five years: %v", err)
	}
	if _, err := stats.ParsePeriod("2018-01-01", "2023-12-31", stats.DefaultLimits.MaxFairPeriod); err == nil {
		t.Error("six years: want an error")
	}
}

func TestAchievements(t *testing.T) {
	b := builder(t)
	ctx := context.Background()
	targets := sqlstore.NewTargets(testDB)
	for p, n := range map[string]int64{"fes": 1, "taounate": 20} {
		if _, err := targets.Create(ctx, &target.Target{Meta: resource.Meta{Chamber: "fes-meknes", ID: target.ID(p, 2023)}, Province: p, Year: 2023, Artisans: n}, change.Write{Action: "Created"}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := b.Achievements(ctx, targets, "fes-meknes", 2023)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Provinces) != 2 || got.Provinces[0].Area != "fes" || got.Provinces[0].Percent() != 100 || got.Provinces[1].Percent() != 10 {
		t.Fatalf("provinces = %+v", got.Provinces)
	}
	if got.Total.Target != 21 || got.Total.Achieved != 3 || len(got.Regions) != 1 || got.Regions[0].Area != "fes-meknes" {
		t.Fatalf("total = %+v regions = %+v", got.Total, got.Regions)
	}
	if _, err := b.Achievements(ctx, targets, "fes-meknes", 1900); err == nil {
		t.Error("year 1900: want an error")
	}
}

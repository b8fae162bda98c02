// Package report assembles the documents the reporting service hands out —
// the activity report a chamber puts to its general assembly for a period,
// and the charts of the distributions and of fairs over time — from the
// statistics repository, in Arabic or French, ready for package render.
package report

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/render"
	"github.com/hirfa/hirfa/pkg/territory"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/projection"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/stats"
)

// Tables of the activity report, in order (also the CSV `table` values).
var Tables = []string{"growth", "artisans_by_province", "cooperatives_by_province", "associations_by_category", "cooperatives_by_branch", "fairs", "events", "agreements"}

// Charts that can be downloaded on their own.
var Charts = []string{"artisans_by_province", "cooperatives_by_province", "associations_by_category", "fairs_over_time", "registrations_over_time"}

// Builder builds documents from the projections.
type Builder struct {
	Stats     stats.Repository
	Territory *territory.Territory
	Limits    stats.Limits
}

// ActivityReport builds the activity report of a chamber (or of the nation,
// with stats.Wildcard) for the period start–end, in lang.
func (b *Builder) ActivityReport(ctx context.Context, chamber, start, end string, lang render.Language) (render.Document, error) {
	p, err := stats.ParsePeriod(start, end, b.Limits.MaxReportPeriod)
	if err != nil {
		return render.Document{}, err
	}
	if err := checkLanguage(lang); err != nil {
		return render.Document{}, err
	}
	tr := words[lang]
	d := render.Document{Language: lang, Title: tr["title"], Subtitle: fmt.Sprintf("%s — %s %s %s %s", b.scopeName(chamber, lang), tr["from"], p.Start, tr["to"], p.End)}
	labels, err := b.Stats.Labels(ctx)
	if err != nil {
		return d, err
	}

	// Register growth: entries of the period by month and type.
	growth := render.Table{ID: "growth", Title: tr["growth"], Columns: []string{tr["month"], tr["ARTISAN"], tr["COOPERATIVE"], tr["ASSOCIATION"], tr["ENTERPRISE"]}, Numeric: []bool{false, true, true, true, true}}
	months := map[string][]int64{}
	var totals [4]int64
	for i, typ := range projection.RegistrantTypes {
		mc, err := b.Stats.Registrations(ctx, chamber, typ, p)
		if err != nil {
			return d, err
		}
		for _, m := range mc {
			if months[m.Month] == nil {
				months[m.Month] = make([]int64, 4)
			}
			months[m.Month][i] = m.Count
			totals[i] += m.Count
		}
	}
	growthChart := render.Chart{Kind: render.Line, Title: tr["growth_chart"], Language: lang}
	for _, m := range sortedKeys(months) {
		row := []string{m}
		for _, n := range months[m] {
			row = append(row, render.FormatNumber(n, lang))
		}
		growth.Rows = append(growth.Rows, row)
		growthChart.Labels = append(growthChart.Labels, m)
		growthChart.Values = append(growthChart.Values, float64(months[m][0]))
	}
	growth.Rows = append(growth.Rows, []string{tr["total"], render.FormatNumber(totals[0], lang), render.FormatNumber(totals[1], lang), render.FormatNumber(totals[2], lang), render.FormatNumber(totals[3], lang)})
	d.Facts = append(d.Facts, render.Fact{Label: tr["new_artisans"], Value: render.FormatNumber(totals[0], lang)}, render.Fact{Label: tr["new_cooperatives"], Value: render.FormatNumber(totals[1], lang)})
	sec := render.Section{Heading: tr["growth"], Table: growth}
	if len(growthChart.Labels) > 0 {
		sec.Chart = &growthChart
	}
	d.Sections = append(d.Sections, sec)

	// Distributions of the register today.
	for _, dist := range []struct {
		id, typ, dim string
		members      bool
	}{
		{"artisans_by_province", projection.Artisan, "province", false},
		{"cooperatives_by_province", projection.Cooperative, "province", true},
		{"associations_by_category", projection.Association, "category", false},
		{"cooperatives_by_branch", projection.Cooperative, "activity_branch", true},
	} {
		sec, err := b.distribution(ctx, chamber, dist.id, dist.typ, dist.dim, dist.members, lang, labels)
		if err != nil {
			return d, err
		}
		d.Sections = append(d.Sections, sec)
	}

	// Fairs and events of the period.
	fs, err := b.Stats.FairStatistics(ctx, chamber, p)
	if err != nil {
		return d, err
	}
	d.Facts = append(d.Facts,
		render.Fact{Label: tr["fairs"], Value: render.FormatNumber(fs.Totals.Fairs, lang)},
		render.Fact{Label: tr["artisans_exhibiting"], Value: render.FormatNumber(fs.Totals.Artisans, lang)},
		render.Fact{Label: tr["visitors"], Value: render.FormatNumber(fs.Totals.Visitors, lang)},
		render.Fact{Label: tr["sales"], Value: render.FormatCentimes(fs.Totals.SalesCentimes, lang)})
	fairs := render.Table{ID: "fairs", Title: tr["fairs"], Columns: []string{tr["fair"], tr["start"], tr["province"], tr["exhibitors"], tr["ARTISAN"], tr["visitors"], tr["sales"]},
		Numeric: []bool{false, false, false, true, true, true, true}}
	for _, f := range fs.PerFair {
		fairs.Rows = append(fairs.Rows, []string{pick(f.Title, lang), f.StartDate, b.provinceName(f.Province, lang),
			render.FormatNumber(f.Exhibitors, lang), render.FormatNumber(f.Artisans, lang), render.FormatNumber(f.Visitors, lang), render.FormatCentimes(f.SalesCentimes, lang)})
	}
	fairs.Rows = append(fairs.Rows, []string{tr["total"], "", "", render.FormatNumber(fs.Totals.Exhibitors, lang), render.FormatNumber(fs.Totals.Artisans, lang),
		render.FormatNumber(fs.Totals.Visitors, lang), render.FormatCentimes(fs.Totals.SalesCentimes, lang)})
	d.Sections = append(d.Sections, render.Section{Heading: tr["fairs"], Note: tr["fairs_note"], Table: fairs})
	events := render.Table{ID: "events", Title: tr["events"], Columns: []string{tr["kind"], tr["events"], tr["registered"], tr["attended"]}, Numeric: []bool{false, true, true, true}}
	for _, k := range fs.OtherEvents {
		events.Rows = append(events.Rows, []string{tr[k.Kind], render.FormatNumber(k.Events, lang), render.FormatNumber(k.Registered, lang), render.FormatNumber(k.Attended, lang)})
	}
	d.Sections = append(d.Sections, render.Section{Heading: tr["events"], Table: events})

	// Agreements approved in the period.
	ags, err := b.Stats.AgreementsApproved(ctx, chamber, p)
	if err != nil {
		return d, err
	}
	agreements := render.Table{ID: "agreements", Title: tr["agreements"], Columns: []string{tr["agreement"], tr["approved_on"], tr["state"]}}
	for _, a := range ags {
		agreements.Rows = append(agreements.Rows, []string{pick(a.Title, lang), a.ApproveDate, tr[a.State]})
	}
	d.Sections = append(d.Sections, render.Section{Heading: tr["agreements"], Table: agreements})
	return d, nil
}

func (b *Builder) distribution(ctx context.Context, chamber, id, typ, dim string, members bool, lang render.Language, labels map[string]l10n.Text) (render.Section, error) {
	tr := words[lang]
	rows, err := b.Stats.RegisterStatistics(ctx, stats.RegisterQuery{Chamber: chamber, Type: typ, GroupBy: []string{dim}})
	if err != nil {
		return render.Section{}, err
	}
	t := render.Table{ID: id, Title: tr[id], Columns: []string{tr[dim], tr["count"]}, Numeric: []bool{false, true}}
	if members {
		t.Columns = append(t.Columns, tr["members_women"], tr["members_men"])
		t.Numeric = append(t.Numeric, true, true)
	}
	chart := render.Chart{Kind: render.Bar, Title: tr[id], Language: lang}
	var total, women, men int64
	for _, r := range rows {
		name := b.label(dim, r.Values[0], lang, labels)
		row := []string{name, render.FormatNumber(r.Count, lang)}
		if members {
			row = append(row, render.FormatNumber(r.MembersWomen, lang), render.FormatNumber(r.MembersMen, lang))
		}
		t.Rows = append(t.Rows, row)
		chart.Labels = append(chart.Labels, name)
		chart.Values = append(chart.Values, float64(r.Count))
		total, women, men = total+r.Count, women+r.MembersWomen, men+r.MembersMen
	}
	totalRow := []string{tr["total"], render.FormatNumber(total, lang)}
	if members {
		totalRow = append(totalRow, render.FormatNumber(women, lang), render.FormatNumber(men, lang))
	}
	t.Rows = append(t.Rows, totalRow)
	sec := render.Section{Heading: tr[id], Table: t}
	if len(chart.Labels) > 0 {
		sec.Chart = &chart
	}
	return sec, nil
}

// Chart builds one downloadable chart. The line charts need a period.
func (b *Builder) Chart(ctx context.Context, chamber, name, start, end string, lang render.Language) (render.Chart, error) {
	if err := checkLanguage(lang); err != nil {
		return render.Chart{}, err
	}
	labels, err := b.Stats.Labels(ctx)
	if err != nil {
		return render.Chart{}, err
	}
	switch name {
	case "artisans_by_province", "cooperatives_by_province", "associations_by_category":
		typ, dim := projection.Artisan, "province"
		if name == "cooperatives_by_province" {
			typ = projection.Cooperative
		} else if name == "associations_by_category" {
			typ, dim = projection.Association, "category"
		}
		sec, err := b.distribution(ctx, chamber, name, typ, dim, false, lang, labels)
		if err != nil {
			return render.Chart{}, err
		}
		if sec.Chart == nil {
			return render.Chart{Kind: render.Bar, Title: words[lang][name], Language: lang}, nil
		}
		return *sec.Chart, nil
	case "fairs_over_time", "registrations_over_time":
		p, err := stats.ParsePeriod(start, end, b.Limits.MaxFairPeriod)
		if err != nil {
			return render.Chart{}, err
		}
		c := render.Chart{Kind: render.Line, Title: words[lang][name], Language: lang}
		counts := map[string]int64{}
		for _, m := range monthsOf(p) {
			counts[m] = 0
		}
		if name == "fairs_over_time" {
			fs, err := b.Stats.FairStatistics(ctx, chamber, p)
			if err != nil {
				return c, err
			}
			for _, f := range fs.PerFair {
				counts[f.StartDate[:7]]++
			}
		} else {
			mc, err := b.Stats.Registrations(ctx, chamber, projection.Artisan, p)
			if err != nil {
				return c, err
			}
			for _, m := range mc {
				counts[m.Month] = m.Count
			}
		}
		for _, m := range sortedKeys(counts) {
			c.Labels = append(c.Labels, m)
			c.Values = append(c.Values, float64(counts[m]))
		}
		return c, nil
	}
	return render.Chart{}, fault.Invalid("chart", "chart.known", "unknown chart %q", name)
}

func checkLanguage(l render.Language) error {
	if l != render.Arabic && l != render.French {
		return fault.Invalid("language", "language.known", "must be ar or fr, got %q", string(l))
	}
	return nil
}

// monthsOf lists the months a period touches, YYYY-MM.
func monthsOf(p stats.Period) []string {
	s, _ := time.Parse(time.DateOnly, p.Start) // a parsed period holds valid dates
	e, _ := time.Parse(time.DateOnly, p.End)
	var out []string
	for m := time.Date(s.Year(), s.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(e); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

func (b *Builder) label(dim, value string, lang render.Language, labels map[string]l10n.Text) string {
	if value == "" {
		return words[lang]["unknown"]
	}
	switch dim {
	case "province":
		return b.provinceName(value, lang)
	case "region":
		if c, ok := b.Territory.Chamber(value); ok {
			return pick(c.Name, lang)
		}
	case "activity", "activity_branch", "activity_family":
		if l, ok := labels[value]; ok && (l.AR != "" || l.FR != "") {
			return pick(l, lang)
		}
	default:
		if w, ok := words[lang][value]; ok {
			return w
		}
	}
	return value
}

func (b *Builder) provinceName(id string, lang render.Language) string {
	if p, ok := b.Territory.Province(id); ok {
		return pick(p.Name, lang)
	}
	return id
}

func (b *Builder) scopeName(chamber string, lang render.Language) string {
	if chamber == stats.Wildcard {
		return words[lang]["national"]
	}
	if c, ok := b.Territory.Chamber(chamber); ok {
		return pick(c.Name, lang) // the reference name says "Chamber of … of the region …" already
	}
	return chamber
}

// pick is the text in lang, else in the other language.
func pick(l l10n.Text, lang render.Language) string {
	if lang == render.Arabic && l.AR != "" || l.FR == "" {
		return l.AR
	}
	return l.FR
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Label names a value of a dimension in Arabic and French (territory names,
// the nomenclature's names from labels, the enum values' words).
func (b *Builder) Label(dim, value string, labels map[string]l10n.Text) l10n.Text {
	return l10n.Text{AR: b.label(dim, value, render.Arabic, labels), FR: b.label(dim, value, render.French, labels)}
}

// Package app is the reporting service's use cases: every question and
// download checked against the caller's chamber (a chamber role sees its
// chamber, national roles also chambers/-), the registration targets
// maintained by the ministry and chamber admins, and the dead letters of
// the event consumer. The figures come from the projections (package
// stats), the documents from package report, the rendering from package
// render.
package app

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/eventbus"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/render"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/tenancy"
	"github.com/hirfa/hirfa/pkg/territory"
	"github.com/hirfa/hirfa/services/reporting/internal/app/report"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/stats"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/target"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/vitality"
)

// Reasons of the reporting use cases.
const (
	// ReasonRendererUnavailable: a PDF or PNG was asked for and no
	// Chromium is installed (FAILED_PRECONDITION: installing it fixes it,
	// retrying does not).
	ReasonRendererUnavailable = "RENDERER_UNAVAILABLE"
	// ReasonRendererFailed: Chromium is installed but failed to render
	// (UNAVAILABLE: a retry may succeed).
	ReasonRendererFailed = "RENDERER_FAILED"
)

// Renderer prints HTML to PDF and SVG to PNG (render.Browser).
type Renderer interface {
	PDF(ctx context.Context, html []byte) ([]byte, error)
	PNG(ctx context.Context, svg []byte) ([]byte, error)
}

// DeadLetters is the event consumer's dead-letter stream (eventbus.Consumer).
type DeadLetters interface {
	DeadLetters(ctx context.Context, after string, limit int) ([]eventbus.DeadLetter, string, error)
	ReplayDeadLetter(ctx context.Context, id string) error
}

// Reporting is the reporting service's application.
type Reporting struct {
	Stats     stats.Repository
	Targets   target.Repository
	Reports   *report.Builder
	Territory *territory.Territory
	Limits    stats.Limits
	// Renderer is nil when no Chromium is installed: PDF and PNG answer
	// FAILED_PRECONDITION RENDERER_UNAVAILABLE, everything else works.
	Renderer Renderer
	Dead     DeadLetters
	Access   tenancy.Guard
	// Inventory reads the evidence of associations and cooperatives;
	// Vitality are the rules that sort them.
	Inventory vitality.Repository
	Vitality  vitality.Rules
	// Clock is the time the standings are computed at (nil: time.Now).
	Clock func() time.Time
	// Counts counts the desks' requests and cards and the craft bodies
	// (sqlstore.Stats).
	Counts Counter
}

// Counter counts the desks' requests by type and state, their cards by
// chamber and kind, and the craft bodies by province, craft and stage.
type Counter interface {
	RequestStatistics(ctx context.Context, chamber string) ([]stats.RequestCount, error)
	CardStatistics(ctx context.Context, chamber string) ([]stats.CardCount, error)
	CraftBodyStatistics(ctx context.Context, chamber string) ([]stats.CraftBodyCount, error)
}

// counted answers one of Counter's questions for the scope the caller may
// read (a chamber, or the nation for national roles).
func counted[T any](ctx context.Context, a *Reporting, chamber string, count func(context.Context, string) ([]T, error)) ([]T, error) {
	scope, err := a.Access.ListScope(ctx, chamber)
	if err != nil {
		return nil, err
	}
	return count(ctx, scope)
}

// RequestStatistics counts the requests received at the desks of a chamber
// (or the nation) by type and state.
func (a *Reporting) RequestStatistics(ctx context.Context, chamber string) ([]stats.RequestCount, error) {
	return counted(ctx, a, chamber, a.Counts.RequestStatistics)
}

// CardStatistics counts the cards issued at the desks of a chamber (or the
// nation) per chamber and kind.
func (a *Reporting) CardStatistics(ctx context.Context, chamber string) ([]stats.CardCount, error) {
	return counted(ctx, a, chamber, a.Counts.CardStatistics)
}

// CraftBodyStatistics counts the craft bodies of a chamber (or the nation)
// per province, craft and pipeline stage.
func (a *Reporting) CraftBodyStatistics(ctx context.Context, chamber string) ([]stats.CraftBodyCount, error) {
	return counted(ctx, a, chamber, a.Counts.CraftBodyStatistics)
}

// RegisterStatistics answers a distribution of the register.
func (a *Reporting) RegisterStatistics(ctx context.Context, q stats.RegisterQuery) ([]stats.Row, error) {
	scope, err := a.Access.ListScope(ctx, q.Chamber)
	if err != nil {
		return nil, err
	}
	q.Chamber = scope
	if err := q.Validate(); err != nil {
		return nil, err
	}
	return a.Stats.RegisterStatistics(ctx, q)
}

// FairStatistics answers the fairs and events of a period.
func (a *Reporting) FairStatistics(ctx context.Context, chamber, start, end string) (stats.FairStatistics, error) {
	scope, err := a.Access.ListScope(ctx, chamber)
	if err != nil {
		return stats.FairStatistics{}, err
	}
	p, err := stats.ParsePeriod(start, end, a.Limits.MaxFairPeriod)
	if err != nil {
		return stats.FairStatistics{}, err
	}
	return a.Stats.FairStatistics(ctx, scope, p)
}

// GetTarget reads a registration target.
func (a *Reporting) GetTarget(ctx context.Context, n resource.Name) (*target.Target, error) {
	if err := a.Access.Read(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return a.Targets.Get(ctx, n.Chamber, n.ID)
}

// ListTargets pages through the targets of a chamber (or the nation).
func (a *Reporting) ListTargets(ctx context.Context, q paging.ListQuery) (paging.Page[*target.Target], error) {
	scope, err := a.Access.ListScope(ctx, q.Chamber)
	if err != nil {
		return paging.Page[*target.Target]{}, err
	}
	q.Chamber = scope
	return a.Targets.List(ctx, q)
}

// CreateTarget sets the target of a province of the chamber for a year;
// its id is {province}-{year}.
func (a *Reporting) CreateTarget(ctx context.Context, chamber string, t *target.Target, m change.Mutation) (*target.Target, error) {
	if err := a.Access.Plan(ctx, chamber, "chambers/"+chamber); err != nil {
		return nil, err
	}
	t.Chamber, t.ID = chamber, target.ID(t.Province, t.Year)
	if err := t.Validate(a.Territory); err != nil {
		return nil, err
	}
	return a.Targets.Create(ctx, t, m.Write(a.Access.Actor(ctx), "Set"))
}

// UpdateTarget changes a target's figure through patch (province and year
// are its identity and do not change).
func (a *Reporting) UpdateTarget(ctx context.Context, n resource.Name, m change.Mutation, patch func(*target.Target) error) (*target.Target, error) {
	if err := a.Access.Plan(ctx, n.Chamber, n.String()); err != nil {
		return nil, err
	}
	return a.Targets.Update(ctx, n.Chamber, n.ID, m.Write(a.Access.Actor(ctx), "Updated"), resource.WithEtag(n.String(), m.Etag, func(t *target.Target) error {
		province, year := t.Province, t.Year
		if err := patch(t); err != nil {
			return err
		}
		t.Province, t.Year = province, year
		return t.Validate(a.Territory)
	}))
}

// DeleteTarget removes a target.
func (a *Reporting) DeleteTarget(ctx context.Context, n resource.Name, m change.Mutation) error {
	if err := a.Access.Plan(ctx, n.Chamber, n.String()); err != nil {
		return err
	}
	return a.Targets.Delete(ctx, n.Chamber, n.ID, m.Write(a.Access.Actor(ctx), "Deleted"), resource.WithEtag(n.String(), m.Etag, func(*target.Target) error { return nil }))
}

// Achievements compares the registered artisans with the targets of a year.
func (a *Reporting) Achievements(ctx context.Context, chamber string, year int) (target.Achievements, error) {
	scope, err := a.Access.ListScope(ctx, chamber)
	if err != nil {
		return target.Achievements{}, err
	}
	return a.Reports.Achievements(ctx, a.Targets, scope, year)
}

// Format is a download's format.
type Format string

// Formats.
const (
	HTML Format = "html"
	PDF  Format = "pdf"
	CSV  Format = "csv"
	XLSX Format = "xlsx"
	SVG  Format = "svg"
	PNG  Format = "png"
)

// Download is a rendered document.
type Download struct {
	ContentType string
	Filename    string
	Body        []byte
}

// ActivityReport renders the activity report of a chamber (or the nation)
// for a period in lang: the whole report as HTML, PDF or XLSX, or one table
// (table) as CSV.
func (a *Reporting) ActivityReport(ctx context.Context, chamber, start, end string, lang render.Language, f Format, table string) (Download, error) {
	scope, err := a.Access.ListScope(ctx, chamber)
	if err != nil {
		return Download{}, err
	}
	if f == PDF && a.Renderer == nil {
		return Download{}, rendererMissing("PDF")
	}
	if f == CSV && table == "" {
		return Download{}, fault.Invalid("table", "table.required", "a CSV download is one table of the report: name it (e.g. growth, fairs)")
	}
	doc, err := a.Reports.ActivityReport(ctx, scope, start, end, lang)
	if err != nil {
		return Download{}, err
	}
	base := fmt.Sprintf("activity-report-%s-%s-%s-%s", scopeFile(scope), start, end, lang)
	switch f {
	case HTML, PDF:
		html, err := render.HTML(doc)
		if err != nil {
			return Download{}, err
		}
		if f == HTML {
			return Download{ContentType: "text/html; charset=utf-8", Filename: base + ".html", Body: html}, nil
		}
		pdf, err := a.Renderer.PDF(ctx, html)
		if err != nil {
			return Download{}, rendererFailed("PDF", err)
		}
		return Download{ContentType: "application/pdf", Filename: base + ".pdf", Body: pdf}, nil
	case CSV:
		t, ok := doc.TableByID(table)
		if !ok {
			return Download{}, fault.Invalid("table", "table.known", "unknown table %q", table)
		}
		body, err := render.CSV(t)
		if err != nil {
			return Download{}, err
		}
		return Download{ContentType: "text/csv; charset=utf-8", Filename: base + "-" + table + ".csv", Body: body}, nil
	case XLSX:
		body, err := render.XLSX(doc)
		if err != nil {
			return Download{}, err
		}
		return Download{ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Filename: base + ".xlsx", Body: body}, nil
	}
	return Download{}, fault.Invalid("format", "format.report", "the activity report comes as HTML, PDF, CSV or XLSX, got %s", f)
}

// Chart renders one chart as SVG or PNG.
func (a *Reporting) Chart(ctx context.Context, chamber, name, start, end string, lang render.Language, f Format) (Download, error) {
	scope, err := a.Access.ListScope(ctx, chamber)
	if err != nil {
		return Download{}, err
	}
	if f == PNG && a.Renderer == nil {
		return Download{}, rendererMissing("PNG")
	}
	if f != SVG && f != PNG {
		return Download{}, fault.Invalid("format", "format.chart", "a chart comes as SVG or PNG, got %s", f)
	}
	c, err := a.Reports.Chart(ctx, scope, name, start, end, lang)
	if err != nil {
		return Download{}, err
	}
	svg, err := c.SVG()
	if err != nil {
		return Download{}, err
	}
	base := fmt.Sprintf("%s-%s-%s", name, scopeFile(scope), lang)
	if f == SVG {
		return Download{ContentType: "image/svg+xml", Filename: base + ".svg", Body: svg}, nil
	}
	png, err := a.Renderer.PNG(ctx, svg)
	if err != nil {
		return Download{}, rendererFailed("PNG", err)
	}
	return Download{ContentType: "image/png", Filename: base + ".png", Body: png}, nil
}

func scopeFile(scope string) string {
	if scope == resource.Wildcard {
		return "national"
	}
	return scope
}

func rendererMissing(what string) error {
	return fault.Precondition(ReasonRendererUnavailable, "%s rendering needs Chromium, which is not installed on this server (tools/dev/chromium.sh installs it); HTML, CSV, XLSX and SVG work without it", what)
}

// rendererFailed: Chromium is there but failed (crashed, timed out); the
// caller may retry.
func rendererFailed(what string, err error) error {
	return &fault.UnavailableError{What: what + " renderer (Chromium)", Err: err, Reason: ReasonRendererFailed}
}

// DeadLetters lists the dead letters the caller may see, oldest first: all
// of them for national roles, their chamber's for chamber roles.
func (a *Reporting) DeadLetters(ctx context.Context, after string, limit int) ([]eventbus.DeadLetter, string, error) {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return nil, "", &fault.DeniedError{Reason: fault.ReasonAuthenticationRequired, Msg: "this method needs an authenticated caller"}
	}
	if p.National() {
		return a.Dead.DeadLetters(ctx, after, limit)
	}
	// A chamber role's page holds only its chamber's letters: read on
	// until the page is full or the stream ends.
	var out []eventbus.DeadLetter
	for len(out) < limit {
		page, next, err := a.Dead.DeadLetters(ctx, after, limit)
		if err != nil {
			return nil, "", err
		}
		for _, d := range page {
			after = d.ID
			if d.Envelope != nil && d.Envelope.GetChamber() == p.Chamber {
				out = append(out, d)
				if len(out) == limit {
					break
				}
			}
		}
		if next == "" {
			return out, "", nil
		}
	}
	return out, after, nil
}

// ReplayDeadLetter applies a dead letter again (after its cause was fixed):
// national ministry for any, chamber admins for their chamber's.
func (a *Reporting) ReplayDeadLetter(ctx context.Context, id string) (eventbus.DeadLetter, error) {
	d, err := a.findDeadLetter(ctx, id)
	if err != nil {
		return d, err
	}
	chamber := ""
	if d.Envelope != nil {
		chamber = d.Envelope.GetChamber()
	}
	if err := a.Access.Plan(ctx, chamber, "deadLetters/"+id); err != nil {
		return d, err
	}
	if err := a.Dead.ReplayDeadLetter(ctx, id); err != nil {
		if errors.Is(err, eventbus.ErrDeadLetterNotFound) {
			return d, fault.NotFound("deadLetters/" + id)
		}
		return d, fmt.Errorf("replay dead letter %s: %w", id, err)
	}
	return d, nil
}

// findDeadLetter reads the one dead letter id (for its chamber): a page of
// one after the id just before it, rather than a walk through the stream.
func (a *Reporting) findDeadLetter(ctx context.Context, id string) (eventbus.DeadLetter, error) {
	after, ok := streamIDBefore(id)
	if !ok {
		return eventbus.DeadLetter{}, fault.NotFound("deadLetters/" + id)
	}
	page, _, err := a.Dead.DeadLetters(ctx, after, 1)
	if err != nil {
		return eventbus.DeadLetter{}, err
	}
	if len(page) == 0 || page[0].ID != id {
		return eventbus.DeadLetter{}, fault.NotFound("deadLetters/" + id)
	}
	return page[0], nil
}

// streamIDBefore is the Redis stream id ("ms-seq") just before id, "" for
// the first possible one; ok is false when id is not a stream id.
func streamIDBefore(id string) (before string, ok bool) {
	msText, seqText, found := strings.Cut(id, "-")
	ms, err1 := strconv.ParseUint(msText, 10, 64)
	seq, err2 := strconv.ParseUint(seqText, 10, 64)
	switch {
	case !found || err1 != nil || err2 != nil:
		return "", false
	case seq > 0:
		return fmt.Sprintf("%d-%d", ms, seq-1), true
	case ms > 0:
		return fmt.Sprintf("%d-%d", ms-1, uint64(math.MaxUint64)), true
	default:
		return "", true
	}
}

// Labels names the values of each row of a distribution, in the order of
// groupBy, in Arabic and French.
func (a *Reporting) Labels(ctx context.Context, groupBy []string, rows []stats.Row) ([][]l10n.Text, error) {
	var names map[string]l10n.Text
	for _, d := range groupBy {
		if d == "activity" || d == "activity_branch" || d == "activity_family" {
			var err error
			if names, err = a.Stats.Labels(ctx); err != nil {
				return nil, err
			}
			break
		}
	}
	out := make([][]l10n.Text, len(rows))
	for i, r := range rows {
		for j, d := range groupBy {
			out[i] = append(out[i], a.Reports.Label(d, r.Values[j], names))
		}
	}
	return out, nil
}

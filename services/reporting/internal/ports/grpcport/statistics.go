package grpcport

import (
	"context"

	"github.com/hirfa/hirfa/pkg/protomap"
	reportingv1 "github.com/hirfa/hirfa/proto/gen/hirfa/reporting/v1"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/stats"
)

// GetRegisterStatistics implements StatisticsService.
func (s *Server) GetRegisterStatistics(ctx context.Context, req *reportingv1.GetRegisterStatisticsRequest) (*reportingv1.RegisterStatistics, error) {
	chamber, err := scope(req.GetScope(), "scope")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	q := stats.RegisterQuery{Chamber: chamber, Type: req.GetRegistrantType().String(), GroupBy: req.GetGroupBy(), Filter: req.GetFilter()}
	rows, err := s.app.RegisterStatistics(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	labels, err := s.app.Labels(ctx, q.GroupBy, rows)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out := &reportingv1.RegisterStatistics{Scope: req.GetScope(), RegistrantType: req.GetRegistrantType(), GroupBy: q.GroupBy, Total: &reportingv1.RegisterStatisticsRow{}}
	for ri, r := range rows {
		pr := &reportingv1.RegisterStatisticsRow{Count: r.Count, MembersWomen: r.MembersWomen, MembersMen: r.MembersMen}
		for i, d := range q.GroupBy {
			v := r.Values[i]
			setDimension(pr, d, v)
			pr.Labels = append(pr.Labels, protomap.Text(labels[ri][i]))
		}
		out.Rows = append(out.Rows, pr)
		out.Total.Count += r.Count
		out.Total.MembersWomen += r.MembersWomen
		out.Total.MembersMen += r.MembersMen
	}
	return out, nil
}

func setDimension(r *reportingv1.RegisterStatisticsRow, dim, v string) {
	switch dim {
	case "region":
		r.Region = v
	case "province":
		r.Province = v
	case "activity_family":
		r.ActivityFamily = v
	case "activity_branch":
		r.ActivityBranch = v
	case "activity":
		r.Activity = v
	case "category":
		r.Category = v
	case "state":
		r.State = v
	case "gender":
		r.Gender = v
	}
}

// GetFairStatistics implements StatisticsService.
func (s *Server) GetFairStatistics(ctx context.Context, req *reportingv1.GetFairStatisticsRequest) (*reportingv1.FairStatistics, error) {
	chamber, err := scope(req.GetScope(), "scope")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	fs, err := s.app.FairStatistics(ctx, chamber, req.GetStartDate(), req.GetEndDate())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out := &reportingv1.FairStatistics{Scope: req.GetScope(), StartDate: fs.Period.Start, EndDate: fs.Period.End, Totals: totalsPB(fs.Totals)}
	for _, c := range fs.Chambers {
		out.PerChamber = append(out.PerChamber, &reportingv1.ChamberFairTotals{Chamber: "chambers/" + c, Totals: totalsPB(fs.PerChamber[c])})
	}
	for _, f := range fs.PerFair {
		out.PerFair = append(out.PerFair, &reportingv1.FairFigures{
			Event: f.Name(), Title: protomap.Text(f.Title), Kind: f.Kind, StartDate: f.StartDate, EndDate: f.EndDate,
			Province: f.Province, Exhibitors: f.Exhibitors, Artisans: f.Artisans, Visitors: f.Visitors,
			SalesCentimes: f.SalesCentimes, Evaluated: f.Evaluated,
		})
	}
	for _, k := range fs.OtherEvents {
		out.OtherEvents = append(out.OtherEvents, &reportingv1.EventKindCount{Kind: k.Kind, Events: k.Events, Registered: k.Registered, Attended: k.Attended})
	}
	return out, nil
}

func totalsPB(t stats.FairTotals) *reportingv1.FairTotals {
	return &reportingv1.FairTotals{Fairs: t.Fairs, EvaluatedFairs: t.EvaluatedFairs, Artisans: t.Artisans, Exhibitors: t.Exhibitors, Visitors: t.Visitors, SalesCentimes: t.SalesCentimes}
}

// GetRequestStatistics implements StatisticsService.
func (s *Server) GetRequestStatistics(ctx context.Context, req *reportingv1.GetRequestStatisticsRequest) (*reportingv1.RequestStatistics, error) {
	chamber, err := scope(req.GetScope(), "scope")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	rows, err := s.app.RequestStatistics(ctx, chamber)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out := &reportingv1.RequestStatistics{Scope: req.GetScope()}
	for _, r := range rows {
		out.Rows = append(out.Rows, &reportingv1.RequestStatisticsRow{Type: r.Type, State: r.State, Count: r.Count})
		out.Total += r.Count
	}
	return out, nil
}

// GetCardStatistics implements StatisticsService.
func (s *Server) GetCardStatistics(ctx context.Context, req *reportingv1.GetCardStatisticsRequest) (*reportingv1.CardStatistics, error) {
	chamber, err := scope(req.GetScope(), "scope")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	rows, err := s.app.CardStatistics(ctx, chamber)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out := &reportingv1.CardStatistics{Scope: req.GetScope()}
	for _, r := range rows {
		out.Rows = append(out.Rows, &reportingv1.CardStatisticsRow{Chamber: "chambers/" + r.Chamber, Kind: r.Kind,
			Issued: r.Issued, Revoked: r.Revoked, Invalidated: r.Invalidated})
	}
	return out, nil
}

// GetCraftBodyStatistics implements StatisticsService.
func (s *Server) GetCraftBodyStatistics(ctx context.Context, req *reportingv1.GetCraftBodyStatisticsRequest) (*reportingv1.CraftBodyStatistics, error) {
	chamber, err := scope(req.GetScope(), "scope")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	rows, err := s.app.CraftBodyStatistics(ctx, chamber)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out := &reportingv1.CraftBodyStatistics{Scope: req.GetScope()}
	for _, r := range rows {
		out.Rows = append(out.Rows, &reportingv1.CraftBodyStatisticsRow{Province: r.Province, Craft: r.Craft, Stage: r.Stage, Count: r.Count})
		out.Total += r.Count
	}
	return out, nil
}

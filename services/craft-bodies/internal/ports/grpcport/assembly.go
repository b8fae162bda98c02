package grpcport

import (
	"context"

	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/protomap"
	"github.com/hirfa/hirfa/pkg/resource"
	cbv1 "github.com/hirfa/hirfa/proto/gen/hirfa/craftbodies/v1"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/app"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/constitutive"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/election"
)

// ConveneAssembly implements ConstitutiveAssemblyService.
func (s *Server) ConveneAssembly(ctx context.Context, req *cbv1.ConveneAssemblyRequest) (*cbv1.ConstitutiveAssembly, error) {
	n, err := bodyName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	a, err := s.app.ConveneAssembly(ctx, n, resource.Date(req.GetDate()), req.GetVenue(), grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return assemblyPB(a), nil
}

// sitting runs one step of the assembly named by its request.
func (s *Server) sitting(ctx context.Context, name, etag, requestID string, fn func(context.Context, resource.Name, app.Mutation) (*constitutive.Assembly, error)) (*cbv1.ConstitutiveAssembly, error) {
	n, err := nestedName(name, "assembly", "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	a, err := fn(ctx, n, grpcserver.Mutation(ctx, requestID, etag, ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return assemblyPB(a), nil
}

// GetConstitutiveAssembly implements ConstitutiveAssemblyService.
func (s *Server) GetConstitutiveAssembly(ctx context.Context, req *cbv1.GetConstitutiveAssemblyRequest) (*cbv1.ConstitutiveAssembly, error) {
	return s.sitting(ctx, req.GetName(), "", "", func(ctx context.Context, n resource.Name, _ app.Mutation) (*constitutive.Assembly, error) {
		return s.app.GetAssembly(ctx, n)
	})
}

// RecordAttendance implements ConstitutiveAssemblyService.
func (s *Server) RecordAttendance(ctx context.Context, req *cbv1.RecordAttendanceRequest) (*cbv1.ConstitutiveAssembly, error) {
	return s.sitting(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), func(ctx context.Context, n resource.Name, m app.Mutation) (*constitutive.Assembly, error) {
		return s.app.RecordAttendance(ctx, n, req.GetPresent(), req.GetAbsent(), m)
	})
}

// CheckQuorum implements ConstitutiveAssemblyService.
func (s *Server) CheckQuorum(ctx context.Context, req *cbv1.CheckQuorumRequest) (*cbv1.ConstitutiveAssembly, error) {
	return s.sitting(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), s.app.CheckQuorum)
}

// ReconveneAssembly implements ConstitutiveAssemblyService.
func (s *Server) ReconveneAssembly(ctx context.Context, req *cbv1.ReconveneAssemblyRequest) (*cbv1.ConstitutiveAssembly, error) {
	return s.sitting(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), func(ctx context.Context, n resource.Name, m app.Mutation) (*constitutive.Assembly, error) {
		return s.app.ReconveneAssembly(ctx, n, resource.Date(req.GetDate()), req.GetVenue(), m)
	})
}

// CastStatutesVote implements ConstitutiveAssemblyService.
func (s *Server) CastStatutesVote(ctx context.Context, req *cbv1.CastStatutesVoteRequest) (*cbv1.ConstitutiveAssembly, error) {
	return s.sitting(ctx, req.GetName(), "", req.GetRequestId(), func(ctx context.Context, n resource.Name, m app.Mutation) (*constitutive.Assembly, error) {
		return s.app.CastStatutesVote(ctx, n, req.GetMember(), choiceOf(req.GetChoice()), m)
	})
}

// CloseStatutesVote implements ConstitutiveAssemblyService.
func (s *Server) CloseStatutesVote(ctx context.Context, req *cbv1.CloseStatutesVoteRequest) (*cbv1.ConstitutiveAssembly, error) {
	return s.sitting(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), s.app.CloseStatutesVote)
}

// ExportMinutes implements ConstitutiveAssemblyService.
func (s *Server) ExportMinutes(ctx context.Context, req *cbv1.ExportMinutesRequest) (*cbv1.Minutes, error) {
	n, err := nestedName(req.GetName(), "assembly", "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	ar, fr, err := s.app.ExportMinutes(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return &cbv1.Minutes{Assembly: req.GetName(), Ar: ar, Fr: fr}, nil
}

// CreateOffice implements ConstitutiveAssemblyService.
func (s *Server) CreateOffice(ctx context.Context, req *cbv1.CreateOfficeRequest) (*cbv1.Office, error) {
	n, err := nestedName(req.GetParent(), "assembly", "parent")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	in := req.GetOffice()
	o := &election.Office{OfficeID: req.GetOfficeId(), Title: protomap.Localized(in.GetTitle()), Position: int(in.GetPosition()),
		Presidency: in.GetPresidency(), Candidates: in.GetCandidates()}
	out, err := s.app.CreateOffice(ctx, n, o, grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return officePB(out), nil
}

// officeName parses {body}/assembly/offices/{office}.
func officeName(s string) (resource.Name, string, error) {
	return childName(s, "assembly/offices", "name")
}

// GetOffice implements ConstitutiveAssemblyService.
func (s *Server) GetOffice(ctx context.Context, req *cbv1.GetOfficeRequest) (*cbv1.Office, error) {
	n, id, err := officeName(req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	o, err := s.app.GetOffice(ctx, n, id)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return officePB(o), nil
}

// ListOffices implements ConstitutiveAssemblyService.
func (s *Server) ListOffices(ctx context.Context, req *cbv1.ListOfficesRequest) (*cbv1.ListOfficesResponse, error) {
	n, err := nestedName(req.GetParent(), "assembly", "parent")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	pg, err := s.app.ListOffices(ctx, n, page(req.GetPageSize(), req.GetPageToken()))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &cbv1.ListOfficesResponse{NextPageToken: pg.NextPageToken}
	for _, o := range pg.Items {
		resp.Offices = append(resp.Offices, officePB(o))
	}
	return resp, nil
}

// CastBallot implements ConstitutiveAssemblyService.
func (s *Server) CastBallot(ctx context.Context, req *cbv1.CastBallotRequest) (*cbv1.Office, error) {
	n, id, err := officeName(req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	o, err := s.app.CastBallot(ctx, n, id, req.GetMember(), req.GetCandidate(), grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return officePB(o), nil
}

// CloseRound implements ConstitutiveAssemblyService.
func (s *Server) CloseRound(ctx context.Context, req *cbv1.CloseRoundRequest) (*cbv1.Office, error) {
	n, id, err := officeName(req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	o, err := s.app.CloseRound(ctx, n, id, grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return officePB(o), nil
}

// ConstituteCraftBody implements ConstitutiveAssemblyService.
func (s *Server) ConstituteCraftBody(ctx context.Context, req *cbv1.ConstituteCraftBodyRequest) (*cbv1.CraftBody, error) {
	return s.move(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), s.app.ConstituteCraftBody)
}

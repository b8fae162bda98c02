package grpcport

import (
	"context"

	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/hirfa/hirfa/pkg/fieldmask"
	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
)

// CreateArtisan implements ArtisanService.
func (s *Server) CreateArtisan(ctx context.Context, req *registryv1.CreateArtisanRequest) (*registryv1.Artisan, error) {
	chamber, err := resource.ParseParent(req.GetParent(), "parent", false)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	a := &artisan.Artisan{}
	artisanFields(a, req.GetArtisan())
	out, err := s.app.CreateArtisan(ctx, chamber, a, grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return artisanPB(out, s.MaskCNIE(ctx)), nil
}

// GetArtisan implements ArtisanService.
func (s *Server) GetArtisan(ctx context.Context, req *registryv1.GetArtisanRequest) (*registryv1.Artisan, error) {
	n, err := resource.ParseName(req.GetName(), artisan.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	a, err := s.app.GetArtisan(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return artisanPB(a, s.MaskCNIE(ctx)), nil
}

// ListArtisans implements ArtisanService. The CNIE is masked for roles that
// do not process the files, in lists as in every single-record answer.
func (s *Server) ListArtisans(ctx context.Context, req *registryv1.ListArtisansRequest) (*registryv1.ListArtisansResponse, error) {
	q, err := paging.ListQueryOf(req.GetParent(), req.GetPageSize(), req.GetPageToken(), req.GetFilter(), req.GetOrderBy())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListArtisans(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	mask := s.MaskCNIE(ctx)
	resp := &registryv1.ListArtisansResponse{NextPageToken: page.NextPageToken}
	for _, a := range page.Items {
		resp.Artisans = append(resp.Artisans, artisanPB(a, mask))
	}
	return resp, nil
}

// UpdateArtisan implements ArtisanService.
func (s *Server) UpdateArtisan(ctx context.Context, req *registryv1.UpdateArtisanRequest) (*registryv1.Artisan, error) {
	n, err := resource.ParseName(req.GetArtisan().GetName(), artisan.Collection, "artisan.name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	// The patch renders the stored record unmasked: it is compared with the
	// request, never sent back.
	render := func(a *artisan.Artisan) *registryv1.Artisan { return artisanPB(a, false) }
	out, err := s.app.UpdateArtisan(ctx, n, grpcserver.Mutation(ctx, "", req.GetArtisan().GetEtag(), ""),
		fieldmask.Patch(req.GetArtisan(), req.GetUpdateMask(), artisanUpdatable, "artisan", render, artisanFields))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return artisanPB(out, s.MaskCNIE(ctx)), nil
}

// DeleteArtisan implements ArtisanService.
func (s *Server) DeleteArtisan(ctx context.Context, req *registryv1.DeleteArtisanRequest) (*emptypb.Empty, error) {
	n, err := resource.ParseName(req.GetName(), artisan.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if err := s.app.DeleteArtisan(ctx, n, grpcserver.Mutation(ctx, "", req.GetEtag(), "")); err != nil {
		return nil, s.err(ctx, err)
	}
	return &emptypb.Empty{}, nil
}

func (s *Server) transitionArtisan(ctx context.Context, name, etag, requestID, reason string, action artisan.Action) (*registryv1.Artisan, error) {
	n, err := resource.ParseName(name, artisan.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.TransitionArtisan(ctx, n, action, grpcserver.Mutation(ctx, requestID, etag, reason))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return artisanPB(out, s.MaskCNIE(ctx)), nil
}

// RegisterArtisan implements ArtisanService.
func (s *Server) RegisterArtisan(ctx context.Context, req *registryv1.RegisterArtisanRequest) (*registryv1.Artisan, error) {
	return s.transitionArtisan(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), "", artisan.Register)
}

// SuspendArtisan implements ArtisanService.
func (s *Server) SuspendArtisan(ctx context.Context, req *registryv1.SuspendArtisanRequest) (*registryv1.Artisan, error) {
	return s.transitionArtisan(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), req.GetReason(), artisan.Suspend)
}

// ReinstateArtisan implements ArtisanService.
func (s *Server) ReinstateArtisan(ctx context.Context, req *registryv1.ReinstateArtisanRequest) (*registryv1.Artisan, error) {
	return s.transitionArtisan(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), "", artisan.Reinstate)
}

// StrikeOffArtisan implements ArtisanService.
func (s *Server) StrikeOffArtisan(ctx context.Context, req *registryv1.StrikeOffArtisanRequest) (*registryv1.Artisan, error) {
	return s.transitionArtisan(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), req.GetReason(), artisan.StrikeOff)
}

// MergeArtisan implements ArtisanService.
func (s *Server) MergeArtisan(ctx context.Context, req *registryv1.MergeArtisanRequest) (*registryv1.Artisan, error) {
	kept, err := resource.ParseName(req.GetName(), artisan.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	other, err := resource.ParseName(req.GetOther(), artisan.Collection, "other")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.MergeArtisan(ctx, kept, other, req.GetTakeFields(), req.GetOtherEtag(),
		grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), req.GetReason()))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return artisanPB(out, s.MaskCNIE(ctx)), nil
}

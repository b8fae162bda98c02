package grpcport

import (
	"context"
	"strings"

	"google.golang.org/genproto/googleapis/api/httpbody"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/protomap"
	"github.com/hirfa/hirfa/pkg/resource"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	"github.com/hirfa/hirfa/services/desk/internal/domain/card"
)

// ProfessionalCardPB renders a card as its public message (and the
// outbox payload). The verification code is shown to the chamber's staff
// as the verification resource name, which is what the QR code carries.
func ProfessionalCardPB(c *card.Card) *deskv1.ProfessionalCard {
	return &deskv1.ProfessionalCard{
		Name:           c.Name(),
		Kind:           deskv1.ProfessionalCard_Kind(deskv1.ProfessionalCard_Kind_value[string(c.Kind)]),
		Artisan:        c.Artisan,
		Photo:          c.Photo,
		Nia:            c.NIA,
		FullNameAr:     c.FullNameAr,
		FullNameLatin:  c.FullNameLatin,
		Category:       c.Category,
		Activity:       c.Activity,
		ValidFromTime:  protomap.Timestamp(c.ValidFrom),
		ValidUntilTime: protomap.Timestamp(c.ValidUntil),
		Verification:   c.Verification(),
		ArtisanState:   c.ArtisanState,
		Issuer:         c.Issuer,
		CreateTime:     protomap.Timestamp(c.CreateTime),
		UpdateTime:     protomap.Timestamp(c.UpdateTime),
		Etag:           c.Etag(),
		RevokeTime:     protomap.Timestamp(c.RevokeTime),
		Revoker:        c.Revoker,
		RevokeReason:   c.RevokeReason,
	}
}

func cardName(s, field string) (resource.Name, error) {
	return resource.ParseName(s, card.Collection, field)
}

// IssueProfessionalCard implements ProfessionalCardService.
func (s *Server) IssueProfessionalCard(ctx context.Context, req *deskv1.IssueProfessionalCardRequest) (*deskv1.ProfessionalCard, error) {
	chamber, err := resource.ParseParent(req.GetParent(), "parent", false)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	p := req.GetProfessionalCard()
	c := &card.Card{Kind: card.Kind(protomap.EnumName(p.GetKind().String())), Artisan: p.GetArtisan(), Photo: p.GetPhoto()}
	out, err := s.app.IssueCard(ctx, chamber, c, grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return ProfessionalCardPB(out), nil
}

// GetProfessionalCard implements ProfessionalCardService.
func (s *Server) GetProfessionalCard(ctx context.Context, req *deskv1.GetProfessionalCardRequest) (*deskv1.ProfessionalCard, error) {
	n, err := cardName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	c, err := s.app.GetCard(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return ProfessionalCardPB(c), nil
}

// ListProfessionalCards implements ProfessionalCardService.
func (s *Server) ListProfessionalCards(ctx context.Context, req *deskv1.ListProfessionalCardsRequest) (*deskv1.ListProfessionalCardsResponse, error) {
	q, err := paging.ListQueryOf(req.GetParent(), req.GetPageSize(), req.GetPageToken(), req.GetFilter(), req.GetOrderBy())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListCards(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &deskv1.ListProfessionalCardsResponse{NextPageToken: page.NextPageToken}
	for _, c := range page.Items {
		resp.ProfessionalCards = append(resp.ProfessionalCards, ProfessionalCardPB(c))
	}
	return resp, nil
}

// DownloadProfessionalCard implements ProfessionalCardService: the PDF,
// named by the card's id.
func (s *Server) DownloadProfessionalCard(ctx context.Context, req *deskv1.DownloadProfessionalCardRequest) (*httpbody.HttpBody, error) {
	n, err := cardName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	pdf, err := s.app.DownloadCard(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	_ = grpc.SetHeader(ctx, metadata.Pairs("content-disposition", `attachment; filename="`+n.ID+`.pdf"`))
	return &httpbody.HttpBody{ContentType: "application/pdf", Data: pdf}, nil
}

// RevokeProfessionalCard implements ProfessionalCardService.
func (s *Server) RevokeProfessionalCard(ctx context.Context, req *deskv1.RevokeProfessionalCardRequest) (*deskv1.ProfessionalCard, error) {
	n, err := cardName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	c, err := s.app.RevokeCard(ctx, n, grpcserver.Mutation(ctx, "", req.GetEtag(), req.GetReason()))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return ProfessionalCardPB(c), nil
}

// GetVerification implements VerificationService: valid or not, with the
// card's category, activity and chamber — nothing that names the artisan.
func (s *Server) GetVerification(ctx context.Context, req *deskv1.GetVerificationRequest) (*deskv1.Verification, error) {
	code, ok := strings.CutPrefix(req.GetName(), "verifications/")
	if !ok {
		return nil, s.err(ctx, invalidVerification(req.GetName()))
	}
	c, valid, err := s.app.Verify(ctx, code)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return &deskv1.Verification{Name: c.Verification(), Valid: valid, Kind: string(c.Kind), Category: c.Category,
		Activity: c.Activity, Chamber: "chambers/" + c.Chamber}, nil
}

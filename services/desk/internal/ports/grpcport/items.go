package grpcport

import (
	"context"

	"github.com/hirfa/hirfa/pkg/fieldmask"
	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/resource"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	"github.com/hirfa/hirfa/services/desk/internal/domain/item"
	"google.golang.org/protobuf/types/known/emptypb"
)

func itemName(s, field string) (resource.Name, error) {
	return resource.ParseName(s, item.Collection, field)
}

// CreateItem implements ItemService.
func (s *Server) CreateItem(ctx context.Context, req *deskv1.CreateItemRequest) (*deskv1.Item, error) {
	chamber, err := resource.ParseParent(req.GetParent(), "parent", false)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	it := &item.Item{}
	itemFields(it, req.GetItem())
	out, err := s.app.CreateItem(ctx, chamber, it, grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return ItemPB(out), nil
}

// GetItem implements ItemService.
func (s *Server) GetItem(ctx context.Context, req *deskv1.GetItemRequest) (*deskv1.Item, error) {
	n, err := itemName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	it, err := s.app.GetItem(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return ItemPB(it), nil
}

// ListItems implements ItemService.
func (s *Server) ListItems(ctx context.Context, req *deskv1.ListItemsRequest) (*deskv1.ListItemsResponse, error) {
	q, err := resource.ListQueryOf(req.GetParent(), req.GetPageSize(), req.GetPageToken(), req.GetFilter(), req.GetOrderBy())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListItems(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &deskv1.ListItemsResponse{NextPageToken: page.NextPageToken}
	for _, it := range page.Items {
		resp.Items = append(resp.Items, ItemPB(it))
	}
	return resp, nil
}

// UpdateItem implements ItemService.
func (s *Server) UpdateItem(ctx context.Context, req *deskv1.UpdateItemRequest) (*deskv1.Item, error) {
	n, err := itemName(req.GetItem().GetName(), "item.name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.UpdateItem(ctx, n, grpcserver.Mutation(ctx, "", req.GetItem().GetEtag(), ""),
		fieldmask.Patch(req.GetItem(), req.GetUpdateMask(), itemUpdatable, "item", ItemPB, itemFields))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return ItemPB(out), nil
}

// DeleteItem implements ItemService.
func (s *Server) DeleteItem(ctx context.Context, req *deskv1.DeleteItemRequest) (*emptypb.Empty, error) {
	n, err := itemName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if err := s.app.DeleteItem(ctx, n, grpcserver.Mutation(ctx, "", req.GetEtag(), "")); err != nil {
		return nil, s.err(ctx, err)
	}
	return &emptypb.Empty{}, nil
}

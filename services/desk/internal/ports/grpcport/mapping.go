package grpcport

import (
	"github.com/hirfa/hirfa/pkg/protomap"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	"github.com/hirfa/hirfa/services/desk/internal/domain/item"
)

// ItemPB renders an item as its public message; the composition root also
// hands it to the repository as the outbox payload, so events carry the
// same contract as clients.
func ItemPB(it *item.Item) *deskv1.Item {
	return &deskv1.Item{
		Name:        it.Name(),
		DisplayName: it.DisplayName,
		Quantity:    int32(it.Quantity),
		State:       deskv1.Item_State(deskv1.Item_State_value[string(it.State)]),
		CreateTime:  protomap.Timestamp(it.CreateTime),
		UpdateTime:  protomap.Timestamp(it.UpdateTime),
		Etag:        it.Etag(),
	}
}

// itemFields copies the writable fields of p onto it. An unset state keeps
// the current one (ACTIVE on creation).
func itemFields(it *item.Item, p *deskv1.Item) {
	it.DisplayName, it.Quantity = p.GetDisplayName(), int(p.GetQuantity())
	if p.GetState() != deskv1.Item_STATE_UNSPECIFIED {
		it.State = item.State(protomap.EnumName(p.GetState().String()))
	}
}

var itemUpdatable = []string{"display_name", "quantity", "state"}

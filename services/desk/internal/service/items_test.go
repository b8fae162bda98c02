package service

import (
	"testing"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/testenv"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	"github.com/hirfa/hirfa/services/desk/internal/domain/item"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
)

// TestItems drives the sample aggregate over gRPC on SQLite and, when a
// server is configured (always under make test), PostgreSQL: create, read,
// list, update with etags, the domain's refusals (nothing written), tenancy
// across chambers, and delete.
func TestItems(t *testing.T) {
	for _, db := range []struct {
		name string
		url  func(t *testing.T) string
	}{{"sqlite", func(*testing.T) string { return "" }}, {"postgres", func(t *testing.T) string { return testenv.Postgres(t) }}} {
		t.Run(db.name, func(t *testing.T) {
			e := start(t, options{dbURL: db.url(t)})
			items := deskv1.NewItemServiceClient(e.conn)
			clerk := e.as(t, auth.RoleChamberClerk, "fes-meknes")
			other := e.as(t, auth.RoleChamberClerk, "marrakech-safi")
			ministry := e.as(t, auth.RoleMinistry, "")

			it := must(items.CreateItem(clerk, &deskv1.CreateItemRequest{Parent: "chambers/fes-meknes",
				Item: &deskv1.Item{DisplayName: "Zellige", Quantity: 3}, RequestId: "create-1"}))(t)
			if it.GetState() != deskv1.Item_ACTIVE || it.GetEtag() == "" {
				t.Fatalf("created %v", it)
			}
			again := must(items.CreateItem(clerk, &deskv1.CreateItemRequest{Parent: "chambers/fes-meknes",
				Item: &deskv1.Item{DisplayName: "Zellige", Quantity: 3}, RequestId: "create-1"}))(t)
			if again.GetName() != it.GetName() {
				t.Fatalf("a replayed request id created %s", again.GetName())
			}

			// Bad input names the field and the rule, and writes nothing.
			before := [2]int{e.rows(t, "outbox"), e.rows(t, "audit_records")}
			_, err := items.CreateItem(clerk, &deskv1.CreateItemRequest{Parent: "chambers/fes-meknes", Item: &deskv1.Item{DisplayName: " "}})
			wantErr(t, "blank name", err, codes.InvalidArgument, "")
			_, err = items.CreateItem(clerk, &deskv1.CreateItemRequest{Parent: "chambers/fes-meknes", Item: &deskv1.Item{DisplayName: "x", Quantity: -1}})
			wantErr(t, "negative quantity", err, codes.InvalidArgument, "")
			if after := [2]int{e.rows(t, "outbox"), e.rows(t, "audit_records")}; after != before {
				t.Fatalf("refused creates wrote %v → %v", before, after)
			}

			got := must(items.GetItem(clerk, &deskv1.GetItemRequest{Name: it.GetName()}))(t)
			if got.GetDisplayName() != "Zellige" || got.GetQuantity() != 3 {
				t.Fatalf("got %v", got)
			}
			// Another chamber's clerk does not see it; the ministry does.
			_, err = items.GetItem(other, &deskv1.GetItemRequest{Name: it.GetName()})
			wantErr(t, "other chamber", err, codes.NotFound, "")
			if l := must(items.ListItems(ministry, &deskv1.ListItemsRequest{Parent: "chambers/-"}))(t); len(l.GetItems()) != 1 {
				t.Fatalf("national list: %v", l)
			}
			if l := must(items.ListItems(other, &deskv1.ListItemsRequest{Parent: "chambers/marrakech-safi"}))(t); len(l.GetItems()) != 0 {
				t.Fatalf("other chamber's list: %v", l)
			}

			// Delete refuses an item in stock; update with a stale etag aborts.
			_, err = items.DeleteItem(clerk, &deskv1.DeleteItemRequest{Name: it.GetName()})
			wantErr(t, "delete in stock", err, codes.FailedPrecondition, item.ReasonItemInStock)
			up := must(items.UpdateItem(clerk, &deskv1.UpdateItemRequest{Item: &deskv1.Item{Name: it.GetName(), Quantity: 0, Etag: it.GetEtag()},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"quantity"}}}))(t)
			if up.GetQuantity() != 0 || up.GetDisplayName() != "Zellige" {
				t.Fatalf("updated %v", up)
			}
			_, err = items.UpdateItem(clerk, &deskv1.UpdateItemRequest{Item: &deskv1.Item{Name: it.GetName(), Quantity: 5, Etag: it.GetEtag()},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"quantity"}}})
			wantErr(t, "stale etag", err, codes.Aborted, "")

			// An archived item no longer changes, but can be deleted at zero.
			arch := must(items.UpdateItem(clerk, &deskv1.UpdateItemRequest{Item: &deskv1.Item{Name: it.GetName(), State: deskv1.Item_ARCHIVED},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"state"}}}))(t)
			if arch.GetState() != deskv1.Item_ARCHIVED {
				t.Fatalf("archived %v", arch)
			}
			_, err = items.UpdateItem(clerk, &deskv1.UpdateItemRequest{Item: &deskv1.Item{Name: it.GetName(), DisplayName: "Zellige bleu"},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"display_name"}}})
			wantErr(t, "change archived", err, codes.FailedPrecondition, item.ReasonItemArchived)
			must(items.DeleteItem(clerk, &deskv1.DeleteItemRequest{Name: it.GetName()}))(t)
			_, err = items.GetItem(clerk, &deskv1.GetItemRequest{Name: it.GetName()})
			wantErr(t, "deleted", err, codes.NotFound, "")
			// Create, two updates and delete: one event each.
			if n := e.rows(t, "outbox"); n != 4 {
				t.Fatalf("%d outbox events, want 4", n)
			}
		})
	}
}

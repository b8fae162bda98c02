package sqlstore_test

import (
	"context"
	"errors"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/services/desk/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/desk/internal/domain/requesttype"
)

// TestRequestTypes: on both databases the migration seeds exactly the
// default list (requesttype.Defaults: the deadlines the desk applied
// before types became data); a new type is added once (a second code is
// ALREADY_EXISTS), changed and deactivated, each with its event, and the
// list reads by code.
func TestRequestTypes(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		db := open(t)
		ctx := context.Background()
		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		r := sqlstore.NewRequestTypes(db, func(rt *requesttype.Type) proto.Message { return wrapperspb.String(rt.ID) })
		page, err := r.List(ctx, paging.ListQuery{PageSize: 50})
		if err != nil {
			t.Fatal(err)
		}
		seeded := map[string]*requesttype.Type{}
		for _, s := range page.Items {
			seeded[s.ID] = s
		}
		if len(seeded) != len(requesttype.Defaults) {
			t.Fatalf("seeded %d types, want %d", len(seeded), len(requesttype.Defaults))
		}
		for _, d := range requesttype.Defaults {
			s := seeded[d.ID]
			if s == nil || s.Label != d.Label || s.DeadlineDays != d.DeadlineDays || s.Inactive || s.Revision != 1 {
				t.Errorf("%s: seeded %+v, want %+v", d.ID, s, d)
			}
		}
		w := change.Write{Action: "Created", Method: "/test/CreateRequestType", Actor: change.Actor{Subject: "ministry", Role: "ministry"}}
		nt := &requesttype.Type{Meta: resource.Meta{ID: "LICENCE"}, Label: l10n.Text{AR: "رخصة", FR: "Licence"}, DeadlineDays: 20}
		if _, err := r.Create(ctx, nt, w); err != nil {
			t.Fatal(err)
		}
		var ae *fault.AlreadyExistsError
		if _, err := r.Create(ctx, &requesttype.Type{Meta: resource.Meta{ID: "COMPLAINT"}, Label: l10n.Text{AR: "ش", FR: "R"}, DeadlineDays: 3}, w); !errors.As(err, &ae) ||
			ae.Reason != requesttype.ReasonTypeExists {
			t.Fatalf("a second COMPLAINT: %v", err)
		}
		w.Action = "Deactivated"
		got, err := r.Update(ctx, "LICENCE", w, func(rt *requesttype.Type) error { rt.Inactive, rt.DeadlineDays = true, 25; return nil })
		if err != nil || !got.Inactive || got.DeadlineDays != 25 || got.Name() != "requestTypes/LICENCE" {
			t.Fatalf("updated %+v %v", got, err)
		}
		page, err = r.List(ctx, paging.ListQuery{PageSize: 3})
		if err != nil || len(page.Items) != 3 || page.Items[0].ID != "ATTESTATION" || page.Items[2].ID != "GUIDANCE" || page.NextPageToken == "" {
			t.Fatalf("first page %v %v", page, err)
		}
		var events int
		if err := db.SQL.QueryRow("SELECT COUNT(*) FROM outbox WHERE type LIKE 'hirfa.desk.v1.RequestType%'").Scan(&events); err != nil || events != 2 {
			t.Fatalf("%d request type events (%v), want 2", events, err)
		}
	})
}

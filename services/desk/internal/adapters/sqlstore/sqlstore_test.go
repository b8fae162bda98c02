package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/pkg/testenv"
	"github.com/hirfa/hirfa/services/desk/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/desk/internal/domain/mediation"
	"github.com/hirfa/hirfa/services/desk/internal/domain/request"
	"github.com/hirfa/hirfa/services/desk/internal/domain/requesttype"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// TestConformance runs the desk repositories' suite on SQLite and on
// PostgreSQL: the migrations apply, and CRUD, filters (the overdue
// condition among them), ordering, paging, etags, outbox and audit behave
// the same on both (request-id replay is pkg/store's conformance suite's).
func TestConformance(t *testing.T) { storetest.EachBackend(t, run) }

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func run(t *testing.T, open func(t *testing.T) *store.DB) {
	repos := func(t *testing.T) (*sqlstore.Requests, *sqlstore.Cases, *store.DB) {
		db := open(t)
		if err := sqlstore.Migrate(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		// Migrating twice is a no-op.
		if err := sqlstore.Migrate(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		return sqlstore.NewRequests(db, func(r *request.Request) proto.Message { return wrapperspb.String(string(r.State)) }),
			sqlstore.NewCases(db, func(c *mediation.Case) proto.Message { return wrapperspb.String(c.Subject) }), db
	}
	w := func(action, requestID string) change.Write {
		return change.Write{Action: action, RequestID: requestID, Method: "/test/Create", Actor: change.Actor{Subject: "clerk", Role: "chamber-clerk", Chamber: "fes-meknes"}}
	}
	newRequest := func(t *testing.T, chamber string, typ request.Type, received time.Time) *request.Request {
		r := &request.Request{WalkInName: "Fatima", Type: typ, Channel: request.InPerson, Subject: "Aide", ReceiveTime: received}
		r.Chamber, r.ID = chamber, resource.NewID()
		if err := r.Receive(t0.Add(60*24*time.Hour), requesttype.Default(string(typ))); err != nil {
			t.Fatal(err)
		}
		return r
	}
	count := func(t *testing.T, db *store.DB, table string) int {
		t.Helper()
		var n int
		if err := db.SQL.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	ctx := context.Background()

	t.Run("request lifecycle", func(t *testing.T) {
		r, _, db := repos(t)
		rq, err := r.Create(ctx, newRequest(t, "fes-meknes", request.Complaint, t0), w("Received", ""))
		if err != nil {
			t.Fatal(err)
		}
		n := resource.Name{Chamber: "fes-meknes", Collection: request.Collection, ID: rq.ID}
		got, err := r.Get(ctx, n)
		if err != nil || got.State != request.Received || !got.Deadline.Equal(t0.Add(15*24*time.Hour)) || got.Etag() != rq.Etag() {
			t.Fatalf("get = %+v, %v", got, err)
		}
		up, err := r.Update(ctx, n, w("Studied", ""), resource.WithEtag(n.String(), rq.Etag(), func(v *request.Request) error {
			return v.Apply(request.Study, t0, "agent-1", l10n.Text{})
		}))
		if err != nil || up.State != request.InStudy || up.Assignee != "agent-1" || up.Etag() == rq.Etag() {
			t.Fatalf("update = %+v, %v", up, err)
		}
		_, err = r.Update(ctx, n, w("Studied", ""), resource.WithEtag(n.String(), rq.Etag(), func(*request.Request) error { return nil }))
		if !fault.Is[*fault.ConflictError](err) {
			t.Fatalf("stale etag: %v", err)
		}
		before := count(t, db, "outbox")
		refused := errors.New("refused")
		if _, err := r.Update(ctx, n, w("Answered", ""), func(*request.Request) error { return refused }); !errors.Is(err, refused) {
			t.Fatalf("refused update: %v", err)
		}
		if count(t, db, "outbox") != before {
			t.Fatal("a refused update wrote an event")
		}
		if _, err := r.Get(ctx, resource.Name{Chamber: "marrakech-safi", Collection: request.Collection, ID: rq.ID}); !fault.Is[*fault.NotFoundError](err) {
			t.Fatalf("another chamber's request: %v", err)
		}
		if o, a := count(t, db, "outbox"), count(t, db, "audit_records"); o != 2 || a != 2 {
			t.Fatalf("outbox %d, audit %d, want 2 and 2", o, a)
		}
	})

	t.Run("overdue condition filters orders and pages", func(t *testing.T) {
		r, _, _ := repos(t)
		// Deadlines: information +7 days, complaint +15, support +30.
		for i, typ := range []request.Type{request.Information, request.Complaint, request.Support, request.Information, request.Attestation} {
			if _, err := r.Create(ctx, newRequest(t, "fes-meknes", typ, t0.Add(time.Duration(i)*time.Hour)), w("Received", "")); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := r.Create(ctx, newRequest(t, "marrakech-safi", request.Information, t0), w("Received", "")); err != nil {
			t.Fatal(err)
		}
		var types []string
		q := paging.ListQuery{Chamber: "fes-meknes", PageSize: 2, OrderBy: "deadline_time desc"}
		for pages := 0; ; pages++ {
			if pages > 3 {
				t.Fatal("paging does not end")
			}
			page, err := r.List(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range page.Items {
				types = append(types, string(v.Type))
			}
			if page.NextPageToken == "" {
				break
			}
			q.PageToken = page.NextPageToken
		}
		if fmt.Sprint(types) != "[SUPPORT COMPLAINT ATTESTATION INFORMATION INFORMATION]" {
			t.Fatalf("ordered pages = %v", types)
		}
		// Ten days after t0, the three 7-day requests are overdue.
		page, err := r.List(ctx, paging.ListQuery{Chamber: "fes-meknes", Where: "state IN ('RECEIVED', 'IN_STUDY') AND deadline_time < ?",
			WhereArgs: []any{t0.Add(10 * 24 * time.Hour).UnixMicro()}})
		if err != nil || len(page.Items) != 3 {
			t.Fatalf("overdue = %d, %v", len(page.Items), err)
		}
		page, err = r.List(ctx, paging.ListQuery{Chamber: "fes-meknes", Filter: `type = COMPLAINT AND deadline_time > 2026-11-10T00:00:00Z`})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("filtered = %+v, %v", page.Items, err)
		}
		page, err = r.List(ctx, paging.ListQuery{Chamber: resource.Wildcard, PageSize: 50})
		if err != nil || len(page.Items) != 6 {
			t.Fatalf("national list = %d items, %v", len(page.Items), err)
		}
		// Types are data: a code the list does not hold matches nothing.
		if page, err := r.List(ctx, paging.ListQuery{Chamber: "fes-meknes", Filter: `type = BRIBE`}); err != nil || len(page.Items) != 0 {
			t.Fatalf("unknown type: %v %v", page.Items, err)
		}
	})

	t.Run("cases: mediator column and concurrent sessions lose nothing", func(t *testing.T) {
		_, c, _ := repos(t)
		mk := func(mediator string) *mediation.Case {
			v := &mediation.Case{Subject: "Litige", Mediator: mediator, Parties: []mediation.Party{{DisplayName: "A"}, {DisplayName: "B"}}}
			v.Chamber, v.ID = "fes-meknes", resource.NewID()
			if err := v.Open(); err != nil {
				t.Fatal(err)
			}
			return v
		}
		first, err := c.Create(ctx, mk("clerk-1"), w("Opened", ""))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Create(ctx, mk("clerk-2"), w("Opened", "")); err != nil {
			t.Fatal(err)
		}
		page, err := c.List(ctx, paging.ListQuery{Chamber: "fes-meknes", Where: "mediator = ?", WhereArgs: []any{"clerk-1"}})
		if err != nil || len(page.Items) != 1 || page.Items[0].ID != first.ID {
			t.Fatalf("mediator's cases = %+v, %v", page.Items, err)
		}
		n := resource.Name{Chamber: "fes-meknes", Collection: mediation.Collection, ID: first.ID}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for i := range 8 {
			wg.Go(func() {
				_, err := c.Update(ctx, n, w("SessionAdded", ""), func(v *mediation.Case) error {
					return v.AddSession(mediation.Session{Notes: fmt.Sprint("séance ", i)}, t0)
				})
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		got, err := c.Get(ctx, n)
		if err != nil || len(got.Sessions) != 8 {
			t.Fatalf("sessions = %d, %v; want 8", len(got.Sessions), err)
		}
		page, err = c.List(ctx, paging.ListQuery{Chamber: "fes-meknes", Filter: "state = OPEN"})
		if err != nil || len(page.Items) != 2 {
			t.Fatalf("open cases = %d, %v", len(page.Items), err)
		}
	})
}

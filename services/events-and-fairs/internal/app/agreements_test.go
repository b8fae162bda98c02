package app_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/pkg/tenancy"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/app"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/agreement"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/generalassembly"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/nested"
)

// memAgreements adds the agreement's own queries to an in-memory repository.
type memAgreements struct {
	*storetest.Mem[agreement.Agreement, *agreement.Agreement]
}

var errNotUsed = errors.New("not used by these tests")

func (m *memAgreements) List(context.Context, paging.ListQuery) (paging.Page[*agreement.Agreement], error) {
	return paging.Page[*agreement.Agreement]{}, errNotUsed
}

func (m *memAgreements) Delete(context.Context, resource.Name, change.Write, func(*agreement.Agreement) error) error {
	return errNotUsed
}

func (m *memAgreements) Expiring(context.Context, paging.ListQuery, resource.Date, resource.Date) (paging.Page[*agreement.Agreement], error) {
	return paging.Page[*agreement.Agreement]{}, errNotUsed
}

// memItems holds agenda items for reading only.
type memItems map[string]generalassembly.Item

func (m memItems) Create(context.Context, *generalassembly.Item, change.Write) (*generalassembly.Item, error) {
	return nil, errNotUsed
}

func (m memItems) Get(_ context.Context, n nested.Name) (*generalassembly.Item, error) {
	it, ok := m[n.String()]
	if !ok {
		return nil, &fault.NotFoundError{Resource: n.String()}
	}
	return &it, nil
}

func (m memItems) List(context.Context, resource.Name, paging.ListQuery) (paging.Page[*generalassembly.Item], error) {
	return paging.Page[*generalassembly.Item]{}, errNotUsed
}

func (m memItems) Update(context.Context, nested.Name, change.Write, func(*generalassembly.Item) error) (*generalassembly.Item, error) {
	return nil, errNotUsed
}

func (m memItems) CountVoting(context.Context, resource.Name) (int, error) { return 0, errNotUsed }

// TestAgreementLifecycle checks the rules the app layer adds to the
// agreement's table: approval needs an adopted agenda item of the chamber's
// own assembly that is the vote on this very agreement, each move records
// the event of its row, and a refused move writes nothing.
func TestAgreementLifecycle(t *testing.T) {
	n := resource.Name{Chamber: "fes-meknes", Collection: agreement.Collection, ID: "g1"}
	item := func(id string) nested.Name {
		return nested.Name{Chamber: "fes-meknes", ParentCollection: generalassembly.Collection, Parent: "a1", Collection: generalassembly.ItemCollection, ID: id}
	}
	ag := &agreement.Agreement{State: agreement.Draft, StartDate: "2026-01-01", EndDate: "2026-06-30"}
	ag.Chamber, ag.ID, ag.Revision = n.Chamber, n.ID, 1
	agreements := &memAgreements{storetest.NewMem(ag)}
	items := memItems{
		item("adopted").String():   {State: generalassembly.Adopted, Agreement: n.String()},
		item("pending").String():   {State: generalassembly.Pending, Agreement: n.String()},
		item("elsewhere").String(): {State: generalassembly.Adopted, Agreement: "chambers/fes-meknes/agreements/g2"},
	}
	a := app.New(app.Repositories{Agreements: agreements, Items: items}, nil, nil, tenancy.Guard{}, nil, app.Settings{})
	a.SetClock(func() time.Time { return time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC) })
	ctx := auth.NewContext(context.Background(), auth.Principal{Subject: "clerk@fes", Role: auth.RoleChamberClerk, Chamber: "fes-meknes"})
	m := app.Mutation{Method: "/test"}
	reason := func(err error) string {
		var pe *fault.PreconditionError
		if errors.As(err, &pe) {
			return pe.Reason
		}
		return ""
	}

	refused := map[string]error{}
	_, refused[agreement.ReasonResolutionNotFound] = a.ApproveAgreement(ctx, n, item("missing"), m)
	_, refused[agreement.ReasonResolutionNotAdopted] = a.ApproveAgreement(ctx, n, item("pending"), m)
	_, refused[agreement.ReasonResolutionOtherAgreement] = a.ApproveAgreement(ctx, n, item("elsewhere"), m)
	_, refused[fault.ReasonIllegalTransition] = a.TransitionAgreement(ctx, n, agreement.Sign, m)
	for want, err := range refused {
		if reason(err) != want {
			t.Errorf("refused call = %v, want FAILED_PRECONDITION %s", err, want)
		}
	}
	other := nested.Name{Chamber: "marrakech-safi", ParentCollection: generalassembly.Collection, Parent: "a9", Collection: generalassembly.ItemCollection, ID: "i1"}
	if _, err := a.ApproveAgreement(ctx, n, other, m); !fault.Is[*fault.InvalidError](err) {
		t.Errorf("approved by another chamber's assembly = %v, want INVALID_ARGUMENT", err)
	}
	if len(agreements.Writes) != 0 {
		t.Fatalf("refused calls wrote %d changes", len(agreements.Writes))
	}

	if out, err := a.ApproveAgreement(ctx, n, item("adopted"), m); err != nil || out.State != agreement.Approved || out.ApprovingResolution != item("adopted").String() {
		t.Fatalf("approve = %+v, %v", out, err)
	}
	for _, action := range []agreement.Action{agreement.Sign, agreement.Activate, agreement.Expire} {
		if _, err := a.TransitionAgreement(ctx, n, action, m); err != nil {
			t.Fatalf("%s: %v", action, err)
		}
	}
	if _, err := a.TransitionAgreement(ctx, n, agreement.Approve, m); reason(err) != fault.ReasonUnknownAction {
		t.Errorf("approve without a resolution = %v, want UNKNOWN_ACTION", err)
	}
	want := []string{"Approved", "Signed", "Activated", "Expired"}
	if len(agreements.Writes) != len(want) {
		t.Fatalf("%d writes, want %v", len(agreements.Writes), want)
	}
	for i, w := range agreements.Writes {
		if w.Action != want[i] || w.Actor.Subject != "clerk@fes" {
			t.Errorf("write %d = %s by %s, want %s by the caller", i, w.Action, w.Actor.Subject, want[i])
		}
	}
}

package service

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/hirfa/hirfa/pkg/auth"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
)

// TestEventLifecycle drives an event through every state over real gRPC on
// both backends, with the outbox recording each change.
func TestEventLifecycle(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			o := options{}
			if backend == "postgres" {
				o.dbURL = postgresURL(t)
			}
			e := start(t, o)
			ctx := e.clerk(t)
			c := e.events()
			ev := must(c.CreateEvent(ctx, &eventsfairsv1.CreateEventRequest{Parent: "chambers/fes-meknes", RequestId: "ev-1",
				Event: newFair("du tapis", "2023-03-10", "2023-03-19")}))(t)
			if ev.GetState() != eventsfairsv1.Event_PLANNED || ev.GetOrganizer() != "chambers/fes-meknes" || !strings.HasPrefix(ev.GetName(), "chambers/fes-meknes/events/") {
				t.Fatalf("created %v", ev)
			}
			again := must(c.CreateEvent(ctx, &eventsfairsv1.CreateEventRequest{Parent: "chambers/fes-meknes", RequestId: "ev-1",
				Event: newFair("autre", "2024-03-10", "2024-03-19")}))(t)
			if again.GetName() != ev.GetName() || e.rows(t, "events") != 1 {
				t.Fatalf("retry with the same request id created %s", again.GetName())
			}
			// A stale etag is refused; the current one is accepted.
			_, err := c.UpdateEvent(ctx, &eventsfairsv1.UpdateEventRequest{Event: &eventsfairsv1.Event{Name: ev.GetName(), Etag: `"zz"`, Capacity: 80},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"capacity"}}})
			wantErr(t, "stale etag", err, codes.Aborted, "ETAG_MISMATCH")
			ev = must(c.UpdateEvent(ctx, &eventsfairsv1.UpdateEventRequest{Event: &eventsfairsv1.Event{Name: ev.GetName(), Etag: ev.GetEtag(), Capacity: 80},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"capacity"}}}))(t)
			if ev.GetCapacity() != 80 || ev.GetTitle().GetFr() != "Salon du tapis" {
				t.Fatalf("masked update changed %v", ev)
			}
			_, err = c.UpdateEvent(ctx, &eventsfairsv1.UpdateEventRequest{Event: &eventsfairsv1.Event{Name: ev.GetName(), Kind: eventsfairsv1.Event_TRAINING},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"kind"}}})
			wantErr(t, "change the kind", err, codes.InvalidArgument, "")
			_, err = c.EndEvent(ctx, &eventsfairsv1.EndEventRequest{Name: ev.GetName()})
			wantErr(t, "end a planned event", err, codes.FailedPrecondition, "ILLEGAL_TRANSITION")
			must(c.OpenApplications(ctx, &eventsfairsv1.OpenApplicationsRequest{Name: ev.GetName()}))(t)
			must(c.CloseApplications(ctx, &eventsfairsv1.CloseApplicationsRequest{Name: ev.GetName()}))(t)
			_, err = c.DeleteEvent(ctx, &eventsfairsv1.DeleteEventRequest{Name: ev.GetName()})
			wantErr(t, "delete a started event", err, codes.FailedPrecondition, "NOT_DELETABLE")
			must(c.StartEvent(ctx, &eventsfairsv1.StartEventRequest{Name: ev.GetName()}))(t)
			must(c.EndEvent(ctx, &eventsfairsv1.EndEventRequest{Name: ev.GetName()}))(t)
			ev = must(c.EvaluateEvent(ctx, &eventsfairsv1.EvaluateEventRequest{Name: ev.GetName(), RequestId: "eval-1"}))(t)
			if ev.GetState() != eventsfairsv1.Event_EVALUATED || ev.GetEvaluation() == nil {
				t.Fatalf("evaluated %v", ev)
			}
			// Retried evaluation: the stored result, nothing new.
			before := e.writes(t)
			again = must(c.EvaluateEvent(ctx, &eventsfairsv1.EvaluateEventRequest{Name: ev.GetName(), RequestId: "eval-1"}))(t)
			if again.GetEtag() != ev.GetEtag() || e.writes(t) != before {
				t.Fatalf("replayed evaluation wrote again")
			}
			_, err = c.CancelEvent(ctx, &eventsfairsv1.CancelEventRequest{Name: ev.GetName(), Reason: "trop tard"})
			wantErr(t, "cancel an evaluated event", err, codes.FailedPrecondition, "ILLEGAL_TRANSITION")
			want := "[EventPlanned EventUpdated EventApplicationsOpened EventApplicationsClosed EventStarted EventEnded FairEvaluated]"
			if got := fmt.Sprint(e.eventTypes(t)); got != want {
				t.Fatalf("outbox = %s, want %s", got, want)
			}
		})
	}
}

func TestEventValidation(t *testing.T) {
	e := start(t, options{})
	ctx := e.clerk(t)
	good := func() *eventsfairsv1.Event { return newFair("x", "2023-03-10", "2023-03-12") }
	tests := []struct {
		name   string
		mutate func(*eventsfairsv1.Event)
		field  string
	}{
		{"no kind", func(ev *eventsfairsv1.Event) { ev.Kind = 0 }, "event.kind"},
		{"no title", func(ev *eventsfairsv1.Event) { ev.Title = nil }, "event.title"},
		{"no dates", func(ev *eventsfairsv1.Event) { ev.StartDate, ev.EndDate = "", "" }, "event.start_date"},
		{"ends before it starts", func(ev *eventsfairsv1.Event) { ev.EndDate = "2023-03-01" }, "event.end_date"},
		{"not a date", func(ev *eventsfairsv1.Event) { ev.StartDate = "2023-02-30" }, "event.start_date"},
		{"unknown province", func(ev *eventsfairsv1.Event) { ev.Venue.Province = "atlantis" }, "event.venue.province"},
		{"regional fair in another region", func(ev *eventsfairsv1.Event) { ev.Venue.Province = "safi" }, "event.venue.province"},
		{"quotas on a training", func(ev *eventsfairsv1.Event) {
			ev.Kind = eventsfairsv1.Event_TRAINING
			ev.Fair.Quotas = []*eventsfairsv1.QuotaRule{{Criterion: eventsfairsv1.QuotaRule_WOMEN, Booths: 2, Limit: eventsfairsv1.QuotaRule_RESERVED}}
		}, "event.fair"},
		{"two rules for one criterion", func(ev *eventsfairsv1.Event) {
			q := &eventsfairsv1.QuotaRule{Criterion: eventsfairsv1.QuotaRule_WOMEN, Booths: 2, Limit: eventsfairsv1.QuotaRule_RESERVED}
			ev.Fair.Quotas = []*eventsfairsv1.QuotaRule{q, q}
		}, "event.fair.quotas[1].criterion"},
		{"negative capacity (protovalidate)", func(ev *eventsfairsv1.Event) { ev.Capacity = -1 }, "event.capacity"},
	}
	before := e.writes(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := good()
			tt.mutate(ev)
			_, err := e.events().CreateEvent(ctx, &eventsfairsv1.CreateEventRequest{Parent: "chambers/fes-meknes", Event: ev})
			wantErr(t, tt.name, err, codes.InvalidArgument, "")
			if !strings.Contains(err.Error(), tt.field) {
				t.Errorf("error %v does not name %s", err, tt.field)
			}
		})
	}
	if e.writes(t) != before {
		t.Fatal("refused events were written")
	}
	// A national fair may be held in another region.
	ev := good()
	ev.Scope, ev.Venue.Province = eventsfairsv1.Event_NATIONAL, "casablanca"
	must(e.events().CreateEvent(ctx, &eventsfairsv1.CreateEventRequest{Parent: "chambers/fes-meknes", Event: ev}))(t)
}

// TestEventListAndTenancy lists by kind, scope, state, province and date
// range, and checks that another chamber sees nothing of Fès-Meknès.
func TestEventListAndTenancy(t *testing.T) {
	e := start(t, options{})
	ctx := e.clerk(t)
	c := e.events()
	mk := func(kind eventsfairsv1.Event_Kind, start, province string) *eventsfairsv1.Event {
		ev := newFair(start, start, start)
		ev.Kind, ev.Venue.Province = kind, province
		if kind != eventsfairsv1.Event_FAIR && kind != eventsfairsv1.Event_EXHIBITION {
			ev.Fair = nil
		}
		return must(c.CreateEvent(ctx, &eventsfairsv1.CreateEventRequest{Parent: "chambers/fes-meknes", Event: ev}))(t)
	}
	fair := mk(eventsfairsv1.Event_FAIR, "2023-01-20", "fes")
	mk(eventsfairsv1.Event_FAIR, "2023-06-20", "meknes")
	mk(eventsfairsv1.Event_TRAINING, "2023-03-01", "fes")
	mk(eventsfairsv1.Event_CELEBRATION, "2023-07-01", "ifrane")
	must(c.OpenApplications(ctx, &eventsfairsv1.OpenApplicationsRequest{Name: fair.GetName()}))(t)
	tests := []struct {
		filter string
		want   int
	}{
		{`kind = FAIR`, 2},
		{`scope = REGIONAL`, 4},
		{`state = OPEN_FOR_APPLICATIONS`, 1},
		{`province = "fes"`, 2},
		{`start_date >= "2023-01-01" AND start_date <= "2023-05-31"`, 2},
		{`kind = FAIR AND start_date >= "2023-01-01" AND start_date <= "2023-05-31"`, 1},
	}
	for _, tt := range tests {
		resp, err := c.ListEvents(ctx, &eventsfairsv1.ListEventsRequest{Parent: "chambers/fes-meknes", Filter: tt.filter})
		if err != nil {
			t.Fatalf("%s: %v", tt.filter, err)
		}
		if len(resp.GetEvents()) != tt.want {
			t.Errorf("%s: %d events, want %d", tt.filter, len(resp.GetEvents()), tt.want)
		}
	}
	_, err := c.ListEvents(ctx, &eventsfairsv1.ListEventsRequest{Parent: "chambers/fes-meknes", Filter: `kind = PARTY`})
	wantErr(t, "unknown kind in filter", err, codes.InvalidArgument, "")

	other := e.as(t, auth.RoleChamberClerk, "marrakech-safi")
	_, err = c.GetEvent(other, &eventsfairsv1.GetEventRequest{Name: fair.GetName()})
	wantErr(t, "another chamber's event", err, codes.NotFound, "NOT_FOUND")
	_, err = c.CancelEvent(other, &eventsfairsv1.CancelEventRequest{Name: fair.GetName(), Reason: "pas à nous"})
	wantErr(t, "cancel another chamber's event", err, codes.NotFound, "NOT_FOUND")
	_, err = c.ListEvents(other, &eventsfairsv1.ListEventsRequest{Parent: "chambers/fes-meknes"})
	wantErr(t, "list another chamber", err, codes.NotFound, "")
	auditor := e.as(t, auth.RoleAuditor, "fes-meknes")
	must(c.GetEvent(auditor, &eventsfairsv1.GetEventRequest{Name: fair.GetName()}))(t)
	_, err = c.CancelEvent(auditor, &eventsfairsv1.CancelEventRequest{Name: fair.GetName(), Reason: "lecture seule"})
	wantErr(t, "auditor writes", err, codes.PermissionDenied, "")
	ministry := e.as(t, auth.RoleMinistry, "")
	all := must(c.ListEvents(ministry, &eventsfairsv1.ListEventsRequest{Parent: "chambers/-"}))(t)
	if len(all.GetEvents()) != 4 {
		t.Fatalf("national read = %d events, want 4", len(all.GetEvents()))
	}
	_, err = c.ListEvents(ctx, &eventsfairsv1.ListEventsRequest{Parent: "chambers/-"})
	wantErr(t, "national read by a chamber clerk", err, codes.PermissionDenied, "")
	_, err = c.GetEvent(context.Background(), &eventsfairsv1.GetEventRequest{Name: fair.GetName()})
	wantErr(t, "no token", err, codes.Unauthenticated, "")
}

// TestDeleteEvent deletes only planned events without booths.
func TestDeleteEvent(t *testing.T) {
	e := start(t, options{})
	ctx := e.clerk(t)
	ev := must(e.events().CreateEvent(ctx, &eventsfairsv1.CreateEventRequest{Parent: "chambers/fes-meknes", Event: newFair("brouillon", "2023-03-10", "2023-03-12")}))(t)
	b := must(e.fairs().CreateBooth(ctx, &eventsfairsv1.CreateBoothRequest{Parent: ev.GetName(), Booth: &eventsfairsv1.Booth{Number: "A-1", AreaM2: 9}}))(t)
	_, err := e.fairs().CreateBooth(ctx, &eventsfairsv1.CreateBoothRequest{Parent: ev.GetName(), Booth: &eventsfairsv1.Booth{Number: "A-1", AreaM2: 12}})
	wantErr(t, "a second booth A-1", err, codes.AlreadyExists, "BOOTH_NUMBER_TAKEN")
	_, err = e.events().DeleteEvent(ctx, &eventsfairsv1.DeleteEventRequest{Name: ev.GetName()})
	wantErr(t, "delete a fair with booths", err, codes.FailedPrecondition, "NOT_DELETABLE")
	must(e.fairs().DeleteBooth(ctx, &eventsfairsv1.DeleteBoothRequest{Name: b.GetName()}))(t)
	must(e.events().DeleteEvent(ctx, &eventsfairsv1.DeleteEventRequest{Name: ev.GetName(), Etag: ev.GetEtag()}))(t)
	_, err = e.events().GetEvent(ctx, &eventsfairsv1.GetEventRequest{Name: ev.GetName()})
	wantErr(t, "deleted event", err, codes.NotFound, "NOT_FOUND")
	_, err = e.fairs().CreateBooth(ctx, &eventsfairsv1.CreateBoothRequest{Parent: ev.GetName(), Booth: &eventsfairsv1.Booth{Number: "A-2", AreaM2: 9}})
	wantErr(t, "booth of a deleted fair", err, codes.NotFound, "NOT_FOUND")
}

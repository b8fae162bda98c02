package service

import (
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/hirfa/hirfa/pkg/auth"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
)

// TestDemoRecordsAreMarked: the fair and the assembly the demo profile
// seeds answer demo=true; an event created through the API is not demo even
// when the client asks, and an update mask naming demo is refused with
// nothing written. On both databases.
func TestDemoRecordsAreMarked(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			o := options{seedDemo: true}
			if backend == "postgres" {
				if o.dbURL = postgresURL(t); o.dbURL == "" {
					return // testenv reported why (a failure under CI)
				}
			}
			e := start(t, o)
			ctx := e.as(t, auth.RoleMinistry, "")
			evs, err := e.events().ListEvents(ctx, &eventsfairsv1.ListEventsRequest{Parent: "chambers/-", PageSize: 100})
			if err != nil || len(evs.GetEvents()) == 0 {
				t.Fatalf("list events = %d, %v", len(evs.GetEvents()), err)
			}
			for _, ev := range evs.GetEvents() {
				if !ev.GetDemo() {
					t.Errorf("seeded event %s answers demo=false", ev.GetName())
				}
			}
			gas, err := e.assemblies().ListAssemblies(ctx, &eventsfairsv1.ListAssembliesRequest{Parent: "chambers/-", PageSize: 100})
			if err != nil || len(gas.GetAssemblies()) == 0 {
				t.Fatalf("list assemblies = %d, %v", len(gas.GetAssemblies()), err)
			}
			for _, ga := range gas.GetAssemblies() {
				if !ga.GetDemo() {
					t.Errorf("seeded assembly %s answers demo=false", ga.GetName())
				}
			}

			in := newFair("du cuir", "2026-09-10", "2026-09-19")
			in.Demo = true
			ev := must(e.events().CreateEvent(e.clerk(t), &eventsfairsv1.CreateEventRequest{Parent: "chambers/fes-meknes", Event: in}))(t)
			if ev.GetDemo() {
				t.Fatal("an event created through the API answers demo=true")
			}
			ev.Demo = true
			_, err = e.events().UpdateEvent(e.clerk(t), &eventsfairsv1.UpdateEventRequest{Event: ev, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"demo"}}})
			if code(err) != codes.InvalidArgument {
				t.Fatalf("update mask demo = %v, want INVALID_ARGUMENT", err)
			}
			got := must(e.events().GetEvent(e.clerk(t), &eventsfairsv1.GetEventRequest{Name: ev.GetName()}))(t)
			if got.GetDemo() || got.GetEtag() != ev.GetEtag() {
				t.Fatalf("after the refused update: demo=%v etag %s (was %s)", got.GetDemo(), got.GetEtag(), ev.GetEtag())
			}
		})
	}
}

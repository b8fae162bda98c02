package service

import (
	"fmt"
	"testing"

	"google.golang.org/grpc/codes"

	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
)

// TestTrainingRegistrations fills a training of 2 places, promotes the wait
// list when a place frees, and records attendance with check-in codes.
func TestTrainingRegistrations(t *testing.T) {
	e := start(t, options{})
	ctx := e.clerk(t)
	tr := newFair("formation", "2023-03-10", "2023-03-10")
	tr.Kind, tr.Fair, tr.Capacity = eventsfairsv1.Event_TRAINING, nil, 2
	tr.Title = lt("تكوين في التسويق الرقمي", "Formation au marketing numérique")
	training := must(e.events().CreateEvent(ctx, &eventsfairsv1.CreateEventRequest{Parent: "chambers/fes-meknes", Event: tr}))(t)
	register := func(name string) (*eventsfairsv1.Registration, error) {
		return e.regs().CreateRegistration(ctx, &eventsfairsv1.CreateRegistrationRequest{Parent: training.GetName(),
			Registration: &eventsfairsv1.Registration{DisplayName: name}})
	}
	_, err := register("Trop tôt")
	wantErr(t, "register before registrations open", err, codes.FailedPrecondition, "REGISTRATION_CLOSED")
	must(e.events().OpenApplications(ctx, &eventsfairsv1.OpenApplicationsRequest{Name: training.GetName()}))(t)
	var rs []*eventsfairsv1.Registration
	for i := range 4 {
		rs = append(rs, must(register(fmt.Sprint("Participant ", i+1)))(t))
	}
	wantStates := func(want ...eventsfairsv1.Registration_State) {
		t.Helper()
		for i, r := range rs {
			got := must(e.regs().GetRegistration(ctx, &eventsfairsv1.GetRegistrationRequest{Name: r.GetName()}))(t)
			if got.GetState() != want[i] {
				t.Fatalf("registration %d is %s, want %s", i+1, got.GetState(), want[i])
			}
		}
	}
	R, W, C, A := eventsfairsv1.Registration_REGISTERED, eventsfairsv1.Registration_WAITLISTED, eventsfairsv1.Registration_CANCELLED, eventsfairsv1.Registration_ATTENDED
	wantStates(R, R, W, W)
	if rs[0].GetCheckInCode() == rs[1].GetCheckInCode() || len(rs[0].GetCheckInCode()) != 10 {
		t.Fatalf("check-in codes %q %q", rs[0].GetCheckInCode(), rs[1].GetCheckInCode())
	}
	// A place frees: the first on the wait list takes it, the second waits on.
	must(e.regs().CancelRegistration(ctx, &eventsfairsv1.CancelRegistrationRequest{Name: rs[1].GetName()}))(t)
	wantStates(R, C, R, W)
	_, err = e.regs().CancelRegistration(ctx, &eventsfairsv1.CancelRegistrationRequest{Name: rs[1].GetName()})
	wantErr(t, "cancel twice", err, codes.FailedPrecondition, "ILLEGAL_TRANSITION")
	must(e.events().CloseApplications(ctx, &eventsfairsv1.CloseApplicationsRequest{Name: training.GetName()}))(t)
	checkIn := func(code string) (*eventsfairsv1.Registration, error) {
		return e.regs().CheckIn(ctx, &eventsfairsv1.CheckInRequest{Parent: training.GetName(), Code: code})
	}
	_, err = checkIn(rs[0].GetCheckInCode())
	wantErr(t, "check in before the training runs", err, codes.FailedPrecondition, "EVENT_NOT_RUNNING")
	must(e.events().StartEvent(ctx, &eventsfairsv1.StartEventRequest{Name: training.GetName()}))(t)
	in := must(checkIn(rs[0].GetCheckInCode()))(t)
	if in.GetState() != A || in.GetCheckInTime() == nil {
		t.Fatalf("checked in %v", in)
	}
	before := e.writes(t)
	for _, tt := range []struct {
		code, reason string
	}{
		{rs[0].GetCheckInCode(), "ALREADY_CHECKED_IN"},
		{rs[3].GetCheckInCode(), "REGISTRATION_WAITLISTED"},
		{rs[1].GetCheckInCode(), "REGISTRATION_CANCELLED"},
		{"0000000000", "UNKNOWN_CHECK_IN_CODE"},
	} {
		_, err := checkIn(tt.code)
		wantErr(t, "check in "+tt.reason, err, codes.FailedPrecondition, tt.reason)
	}
	_, err = checkIn("NOT-A-CODE")
	wantErr(t, "malformed code", err, codes.InvalidArgument, "")
	if e.writes(t) != before {
		t.Fatal("a refused check-in wrote something")
	}
	must(checkIn(rs[2].GetCheckInCode()))(t)
	att := must(e.regs().GetAttendance(ctx, &eventsfairsv1.GetAttendanceRequest{Name: training.GetName() + "/attendance"}))(t)
	if att.GetCapacity() != 2 || att.GetAttended() != 2 || att.GetRegistered() != 0 || att.GetWaitlisted() != 1 || att.GetCancelled() != 1 {
		t.Fatalf("attendance = %v", att)
	}
	must(e.events().EndEvent(ctx, &eventsfairsv1.EndEventRequest{Name: training.GetName()}))(t)
	ev := must(e.events().EvaluateEvent(ctx, &eventsfairsv1.EvaluateEventRequest{Name: training.GetName()}))(t)
	if ev.GetEvaluation().GetAttended() != 2 || ev.GetEvaluation().GetRegistered() != 2 || ev.GetEvaluation().GetWaitlisted() != 1 {
		t.Fatalf("training evaluation = %v", ev.GetEvaluation())
	}
	page := must(e.regs().ListRegistrations(ctx, &eventsfairsv1.ListRegistrationsRequest{Parent: training.GetName(), Filter: "state = ATTENDED"}))(t)
	if len(page.GetRegistrations()) != 2 {
		t.Fatalf("attended list = %d", len(page.GetRegistrations()))
	}
	// Fairs take exhibitors, not registrations.
	fair, _ := e.openFair(t, ctx, newFair("x", "2023-04-10", "2023-04-12"), 1)
	_, err = e.regs().CreateRegistration(ctx, &eventsfairsv1.CreateRegistrationRequest{Parent: fair.GetName(), Registration: &eventsfairsv1.Registration{DisplayName: "X"}})
	wantErr(t, "register at a fair", err, codes.FailedPrecondition, "NOT_A_SESSION")
	types := fmt.Sprint(e.eventTypes(t))
	for _, want := range []string{"RegistrationRegistered", "RegistrationWaitlisted", "RegistrationCancelled", "RegistrationPromoted", "RegistrationCheckedIn"} {
		if !contains(e.eventTypes(t), want) {
			t.Errorf("no %s in the outbox %s", want, types)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

package generalassembly

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/assembly"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
)

func reason(err error) string {
	var pe *fault.PreconditionError
	if errors.As(err, &pe) {
		return pe.Reason
	}
	if err != nil {
		return "other: " + err.Error()
	}
	return ""
}

func ids(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("m%02d", i))
	}
	return out
}

// sitting convenes an assembly of n members presided by m01, half quorum.
func sitting(n int) *Assembly {
	a := &Assembly{Title: l10n.Text{FR: "AG"}, SessionType: Ordinary, OrdinarySession: October, President: "m01",
		Quorum: Quorum{Numerator: 1, Denominator: 2}, Convocation: assembly.FirstConvocation, State: Convened}
	for _, id := range ids(1, n) {
		a.Members = append(a.Members, Member{ID: id, DisplayName: l10n.Text{FR: "Membre " + id}})
	}
	a.Chamber, a.ID = "fes-meknes", "a1"
	return a
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Assembly)
		rule   string
	}{
		{"valid", func(*Assembly) {}, ""},
		{"ordinary in March", func(a *Assembly) { a.OrdinarySession = "MARCH" }, "session.ordinary"},
		{"extraordinary with a month", func(a *Assembly) { a.SessionType = Extraordinary }, "session.extraordinary"},
		{"no roll", func(a *Assembly) { a.Members = nil; a.President = "" }, "members.required"},
		{"member twice", func(a *Assembly) { a.Members = append(a.Members, a.Members[0]) }, "member.duplicate"},
		{"president not on the roll", func(a *Assembly) { a.President = "m99" }, "president.member"},
		{"quorum above one", func(a *Assembly) { a.Quorum = Quorum{Numerator: 3, Denominator: 2} }, "quorum.invalid"},
		{"second quorum above the first", func(a *Assembly) { a.Quorum.SecondNumerator, a.Quorum.SecondDenominator = 2, 3 }, "quorum.invalid"},
	}
	for _, tt := range tests {
		a := sitting(5)
		tt.mutate(a)
		err := a.Validate()
		var inv *fault.InvalidError
		switch {
		case tt.rule == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.rule != "" && (!errors.As(err, &inv) || !hasRule(inv, tt.rule)):
			t.Errorf("%s: %v, want rule %s", tt.name, err, tt.rule)
		}
	}
}

func hasRule(inv *fault.InvalidError, rule string) bool {
	for _, v := range inv.Violations {
		if v.Rule == rule {
			return true
		}
	}
	return false
}

func TestQuorumAndSitting(t *testing.T) {
	a := sitting(82)
	if a.Required() != 41 {
		t.Fatalf("Required = %d, want 41 of 82", a.Required())
	}
	if err := a.RecordAttendance(ids(1, 40), nil); err != nil {
		t.Fatal(err)
	}
	if err := a.Open(time.Now()); reason(err) != "QUORUM_NOT_MET" || a.State != Convened {
		t.Fatalf("open with 40 = %v", err)
	}
	if err := a.RecordAttendance([]string{"m41", "m41"}, nil); err != nil || len(a.Present) != 41 {
		t.Fatalf("attendance = %v, %d present", err, len(a.Present))
	}
	if err := a.RecordAttendance([]string{"m99"}, nil); !fault.Is[*fault.InvalidError](err) || len(a.Present) != 41 {
		t.Fatalf("a stranger = %v", err)
	}
	if err := a.Open(time.Now()); err != nil || a.State != InSession {
		t.Fatalf("open with 41 = %v", err)
	}
	if err := a.Reconvene("2024-03-01"); reason(err) != "NOT_RECONVENABLE" {
		t.Fatalf("reconvene a sitting = %v", err)
	}
	if err := a.Close(); err != nil || a.State != Closed {
		t.Fatalf("close = %v", err)
	}
	if err := a.RecordAttendance(ids(42, 43), nil); reason(err) != "ASSEMBLY_NOT_SITTING" {
		t.Fatalf("attendance after closing = %v", err)
	}
	b := sitting(82)
	b.Quorum = Quorum{Numerator: 1, Denominator: 2, SecondNumerator: 1, SecondDenominator: 4, SecondMinimum: 25}
	if err := b.Reconvene("2024-03-01"); err != nil || b.Required() != 25 || b.Convocation != assembly.SecondConvocation {
		t.Fatalf("reconvene = %v, required %d", err, b.Required())
	}
}

func TestItemVote(t *testing.T) {
	a := sitting(10)
	it := &Item{Title: l10n.Text{FR: "Convention"}, Kind: PartnershipAgreement, Agreement: "chambers/fes-meknes/agreements/g1", State: Pending}
	it.Chamber, it.ID = "fes-meknes", "a1.i1"
	if err := it.OpenVote(a); reason(err) != "SESSION_NOT_OPEN" {
		t.Fatalf("vote in a convened assembly = %v", err)
	}
	if err := it.Cast("m01", assembly.For); reason(err) != "VOTE_NOT_OPEN" {
		t.Fatalf("cast before opening = %v", err)
	}
	_ = a.RecordAttendance(ids(1, 6), nil)
	if err := a.Open(time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := a.RecordAttendance(nil, ids(1, 2)); err != nil {
		t.Fatal(err)
	}
	if err := it.OpenVote(a); reason(err) != "QUORUM_NOT_MET" {
		t.Fatalf("vote after members left = %v", err)
	}
	_ = a.RecordAttendance(ids(1, 2), nil)
	if err := it.OpenVote(a); err != nil || it.State != Voting || len(it.Voters) != 6 || it.President != "m01" {
		t.Fatalf("open vote = %v, %+v", err, it)
	}
	if err := it.OpenVote(a); reason(err) != "VOTE_NOT_PENDING" {
		t.Fatalf("open twice = %v", err)
	}
	// Members arriving after the vote opened do not vote on it.
	_ = a.RecordAttendance(ids(7, 8), nil)
	votes := []struct {
		member string
		choice assembly.Choice
		reason string
	}{
		{"m01", assembly.For, ""},
		{"m02", assembly.Against, ""},
		{"m03", assembly.For, ""},
		{"m04", assembly.Against, ""},
		{"m05", assembly.Abstain, ""},
		{"m07", assembly.For, "MEMBER_ABSENT"},
		{"m42", assembly.For, "NOT_A_MEMBER"},
		{"m01", assembly.Against, "ALREADY_VOTED"},
	}
	for _, v := range votes {
		if got := reason(it.Cast(v.member, v.choice)); got != v.reason {
			t.Errorf("cast %s = %q, want %q", v.member, got, v.reason)
		}
	}
	if err := it.Cast("m06", 0); !fault.Is[*fault.InvalidError](err) {
		t.Errorf("no choice = %v", err)
	}
	if err := it.CloseVote(l10n.Text{FR: "Adoptée"}); err != nil {
		t.Fatal(err)
	}
	want := assembly.Result{For: 2, Against: 2, Abstain: 1, Voting: 4, Outcome: assembly.Adopted, Tie: true, DecidedByPresident: true}
	if it.State != Adopted || *it.Result != want {
		t.Fatalf("closed %s %+v, want adopted %+v", it.State, *it.Result, want)
	}
	if err := it.Cast("m06", assembly.For); reason(err) != "ITEM_CLOSED" {
		t.Fatalf("cast on a closed item = %v", err)
	}
	if err := it.CloseVote(l10n.Text{}); reason(err) != "VOTE_NOT_OPEN" {
		t.Fatalf("close twice = %v", err)
	}
	ar, fr := Minutes(a, []*Item{it})
	if !strings.Contains(fr, "Adopté (pour 2, contre 2, abstentions 1 ; suffrages exprimés 4) — égalité, départagée par la voix du président") ||
		!strings.Contains(fr, "Contre : m02, m04") || !strings.Contains(ar, "رجح صوت الرئيس") || !strings.Contains(ar, "معارض: m02، m04") {
		t.Fatalf("minutes:\n%s\n%s", fr, ar)
	}
}

func TestItemValidate(t *testing.T) {
	for _, tt := range []struct {
		it   Item
		rule string
	}{
		{Item{Title: l10n.Text{FR: "x"}, Kind: Other}, ""},
		{Item{Title: l10n.Text{FR: "x"}, Kind: PartnershipAgreement}, "item.agreement.required"},
		{Item{Title: l10n.Text{FR: "x"}, Kind: FairsCalendar, Agreement: "chambers/x/agreements/y"}, "item.agreement.kind"},
		{Item{Title: l10n.Text{FR: "x"}}, "item.kind.required"},
	} {
		err := tt.it.Validate()
		var inv *fault.InvalidError
		if (tt.rule == "") != (err == nil) || (err != nil && (!errors.As(err, &inv) || !hasRule(inv, tt.rule))) {
			t.Errorf("%+v: %v, want %q", tt.it, err, tt.rule)
		}
	}
}

// Every action has one row with its event name, and the methods follow the
// table from every state.
func TestTransitionTable(t *testing.T) {
	if err := Transitions.Check(Open, Close, Cancel); err != nil {
		t.Error(err)
	}
	now := time.Date(2026, 10, 15, 9, 0, 0, 0, time.UTC)
	err := Transitions.Walk([]State{Convened, InSession, Closed, Cancelled}, func(action Action, from State) (State, error) {
		a := sitting(4)
		a.Present = a.MemberIDs()
		a.State = from
		var err error
		switch action {
		case Open:
			err = a.Open(now)
		case Close:
			err = a.Close()
		default:
			err = a.Cancel("postponed")
		}
		return a.State, err
	})
	if err != nil {
		t.Error(err)
	}
}

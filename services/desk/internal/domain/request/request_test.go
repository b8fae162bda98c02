package request

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/desk/internal/domain/requesttype"
)

var now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func sample() *Request {
	r := &Request{Requester: "chambers/fes-meknes/artisans/a1", Type: Support, Channel: InPerson, Subject: "Aide au stand"}
	r.Chamber, r.ID = "fes-meknes", "r1"
	return r
}

// typeOf is the list's row for a code: the defaults, and RETIRED, a
// deactivated type.
func typeOf(code Type) *requesttype.Type {
	if code == "RETIRED" {
		return &requesttype.Type{Meta: resource.Meta{ID: "RETIRED"}, DeadlineDays: 10, Inactive: true}
	}
	return requesttype.Default(string(code))
}

func TestReceive(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Request)
		fields []string
		rules  []string
	}{
		{"registrant", func(*Request) {}, nil, nil},
		{"walk-in, arabic", func(r *Request) { r.Requester, r.WalkInName, r.Subject = "", "فاطمة", "طلب إرشاد" }, nil, nil},
		{"cooperative", func(r *Request) { r.Requester = "chambers/fes-meknes/cooperatives/c1" }, nil, nil},
		{"nobody", func(r *Request) { r.Requester = "" }, []string{"service_request.requester"}, []string{RuleRequesterRequired}},
		{"both", func(r *Request) { r.WalkInName = "Ali" }, []string{"service_request.walk_in_name"}, []string{RuleRequesterOne}},
		{"other chamber", func(r *Request) { r.Requester = "chambers/oriental/artisans/a1" }, []string{"service_request.requester"}, []string{RuleRequesterRegistrant}},
		{"not a registrant", func(r *Request) { r.Requester = "chambers/fes-meknes/fairs/f1" }, []string{"service_request.requester"}, []string{RuleRequesterRegistrant}},
		{"no type", func(r *Request) { r.Type = "" }, []string{"service_request.type"}, []string{fault.RuleRequired}},
		{"unknown type", func(r *Request) { r.Type = "LICENCE" }, []string{"service_request.type"}, []string{requesttype.RuleTypeUnknown}},
		{"deactivated type", func(r *Request) { r.Type = "RETIRED" }, []string{"service_request.type"}, []string{requesttype.RuleTypeInactive}},
		{"no channel", func(r *Request) { r.Channel = "" }, []string{"service_request.channel"}, []string{fault.RuleRequired}},
		{"long subject", func(r *Request) { r.Subject = strings.Repeat("x", MaxSubject+1) }, []string{"service_request.subject"}, []string{RuleTextLength}},
		{"future", func(r *Request) { r.ReceiveTime = now.Add(time.Hour) }, []string{"service_request.receive_time"}, []string{fault.RuleDateFuture}},
		{"all at once", func(r *Request) { r.Requester, r.Type, r.Channel, r.Subject = "", "", "", " " },
			[]string{"service_request.requester", "service_request.type", "service_request.channel", "service_request.subject"},
			[]string{RuleRequesterRequired, fault.RuleRequired, fault.RuleRequired, fault.RuleRequired}},
	}
	for _, tt := range tests {
		r := sample()
		tt.mutate(r)
		err := r.Receive(now, typeOf(r.Type))
		if tt.rules == nil {
			if err != nil || r.State != Received || !r.Deadline.Equal(r.ReceiveTime.Add(typeOf(r.Type).Deadline())) {
				t.Errorf("%s: %v %+v", tt.name, err, r)
			}
			continue
		}
		var inv *fault.InvalidError
		if !errors.As(err, &inv) || len(inv.Violations) != len(tt.rules) {
			t.Errorf("%s: got %v, want %v", tt.name, err, tt.rules)
			continue
		}
		for i, v := range inv.Violations {
			if v.Field != tt.fields[i] || v.Rule != tt.rules[i] {
				t.Errorf("%s: violation %d = %s %s, want %s %s", tt.name, i, v.Field, v.Rule, tt.fields[i], tt.rules[i])
			}
		}
	}
}

func TestDeadlineAndOverdue(t *testing.T) {
	for typ, days := range map[Type]int{Complaint: 15, Attestation: 7, Information: 7, Support: 30, Guidance: 30, Label: 30, Other: 30} {
		r := sample()
		r.Type, r.ReceiveTime = typ, now.Add(-time.Duration(days)*24*time.Hour)
		if err := r.Receive(now, typeOf(r.Type)); err != nil {
			t.Fatal(err)
		}
		if !r.Deadline.Equal(now) || r.Overdue(now) || !r.Overdue(now.Add(time.Second)) {
			t.Errorf("%s: deadline %v", typ, r.Deadline)
		}
		must(t, r.Apply(Study, now, "agent", l10n.Text{}))
		if !r.Overdue(now.Add(time.Second)) {
			t.Errorf("%s: a request in study past its deadline is overdue", typ)
		}
		must(t, r.Apply(Answer, now, "", l10n.Text{FR: "Oui"}))
		if r.Overdue(now.Add(time.Hour)) {
			t.Errorf("%s: an answered request is not overdue", typ)
		}
	}
}

// TestTransitions walks every action from every state: the table allows
// exactly the lifecycle RECEIVED → IN_STUDY → ANSWERED | FORWARDED → CLOSED.
func TestTransitions(t *testing.T) {
	allowed := map[string]State{
		"RECEIVED/study": InStudy, "IN_STUDY/answer": Answered, "IN_STUDY/forward": Forwarded,
		"ANSWERED/close": Closed, "FORWARDED/close": Closed,
	}
	for _, s := range States {
		for _, a := range []string{Study, Answer, Forward, Close} {
			r := sample()
			r.State = State(s)
			err := r.Apply(a, now, "x", l10n.Text{AR: "نعم"})
			want, ok := allowed[s+"/"+a]
			var pe *fault.PreconditionError
			switch {
			case ok && (err != nil || r.State != want):
				t.Errorf("%s %s: %v, state %s", s, a, err, r.State)
			case !ok && (!errors.As(err, &pe) || pe.Reason != fault.ReasonIllegalTransition || r.State != State(s)):
				t.Errorf("%s %s: got %v, want ILLEGAL_TRANSITION", s, a, err)
			}
		}
	}
	r := sample()
	r.State = InStudy
	var inv *fault.InvalidError
	if err := r.Apply(Answer, now, "", l10n.Text{EN: "yes"}); !errors.As(err, &inv) || inv.Violations[0].Rule != RuleAnswerLanguage || r.State != InStudy {
		t.Errorf("answer in English only: %v", err)
	}
	if err := r.Apply(Forward, now, " ", l10n.Text{}); !errors.As(err, &inv) || inv.Violations[0].Field != "authority" {
		t.Errorf("forward without authority: %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

package namerequest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
)

var now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func pending() *Request {
	r := &Request{Founder: "Khadija Tazi", State: Pending, DueTime: now.Add(72 * time.Hour), Names: []Proposal{
		{AR: "تعاونية الأطلس للنسيج", FR: "Coopérative Atlas Tissage"},
		{AR: "تعاونية تيفاوت"},
	}}
	r.Chamber, r.ID = "fes-meknes", "abc"
	return r
}

func TestValidate(t *testing.T) {
	long := strings.Repeat("ب", 201)
	tests := []struct {
		name      string
		edit      func(*Request)
		wantField string
		wantRule  string
	}{
		{"two names", func(*Request) {}, "", ""},
		{"no founder", func(r *Request) { r.Founder = " " }, "name_request.founder", fault.RuleRequired},
		{"no name", func(r *Request) { r.Names = nil }, "name_request.names", RuleNamesCount},
		{"four names", func(r *Request) {
			r.Names = []Proposal{{FR: "Atlas"}, {FR: "Tifawt"}, {FR: "Nour"}, {FR: "Amal"}}
		}, "name_request.names", RuleNamesCount},
		{"an empty name", func(r *Request) { r.Names[1] = Proposal{AR: "  "} }, "name_request.names[1]", fault.RuleRequired},
		{"a name too long", func(r *Request) { r.Names[1] = Proposal{AR: long} }, "name_request.names[1].ar", RuleNameTooLong},
		{"the same name twice once folded", func(r *Request) { r.Names[1] = Proposal{FR: "COOPERATIVE atlas tissage"} }, "name_request.names[1]", RuleNamesRepeat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := pending()
			tt.edit(r)
			err := r.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				return
			}
			var inv *fault.InvalidError
			if !errors.As(err, &inv) {
				t.Fatalf("Validate() = %v, want InvalidError", err)
			}
			for _, v := range inv.Violations {
				if v.Field == tt.wantField && v.Rule == tt.wantRule {
					return
				}
			}
			t.Fatalf("violations %+v lack %s=%s", inv.Violations, tt.wantField, tt.wantRule)
		})
	}
}

func TestTransitionTable(t *testing.T) {
	if err := Transitions.Check(Approve, Reject, Withdraw, Consume); err != nil {
		t.Error(err)
	}
}

func TestDecisions(t *testing.T) {
	approve := Decision{Decider: "officer@odco", Time: now, Name: 2, Certificate: "ODCO-2026-000007", Validity: 90 * 24 * time.Hour}
	r := pending()
	if err := r.Approve(Decision{Time: now, Name: 3}); !fault.Is[*fault.InvalidError](err) || r.State != Pending {
		t.Fatalf("approve name 3 of 2 = %v (state %s)", err, r.State)
	}
	if err := r.Approve(approve); err != nil {
		t.Fatal(err)
	}
	if r.State != Approved || r.Certificate != "ODCO-2026-000007" || r.ExpiryDate != "2027-02-25" || r.Chosen().AR != "تعاونية تيفاوت" {
		t.Fatalf("approved: %+v", r)
	}
	var pe *fault.PreconditionError
	if err := r.Reject(Decision{Time: now, Reason: "late"}); !errors.As(err, &pe) || pe.Reason != fault.ReasonIllegalTransition {
		t.Fatalf("reject after approval = %v", err)
	}
	if err := r.Withdraw(); !errors.As(err, &pe) {
		t.Fatalf("withdraw after approval = %v", err)
	}

	r = pending()
	if err := r.Reject(Decision{Time: now, Reason: " "}); !fault.Is[*fault.InvalidError](err) {
		t.Fatalf("reject without a reason = %v", err)
	}
	if err := r.Reject(Decision{Time: now, Reason: "اسم مستعمل", Decider: "officer@odco"}); err != nil || r.State != Rejected {
		t.Fatalf("reject = %v, %s", err, r.State)
	}
}

func TestOverdue(t *testing.T) {
	r := pending()
	if r.Overdue(now) || !r.Overdue(now.Add(73*time.Hour)) {
		t.Fatal("a pending request is overdue only past its due time")
	}
	r.State = Approved
	if r.Overdue(now.Add(100 * time.Hour)) {
		t.Fatal("a decided request is never overdue")
	}
}

func TestUseAndConsume(t *testing.T) {
	approved := func() *Request {
		r := pending()
		if err := r.Approve(Decision{Time: now, Name: 1, Certificate: "ODCO-2026-000001", Validity: 24 * time.Hour}); err != nil {
			t.Fatal(err)
		}
		return r
	}
	reason := func(err error) string {
		var pe *fault.PreconditionError
		if errors.As(err, &pe) {
			return pe.Reason
		}
		return ""
	}
	cases := []struct {
		name   string
		ar, fr string
		at     time.Time
		want   string
	}{
		{"the approved name", "تعاونية الأطلس للنسيج", "Coopérative Atlas Tissage", now, ""},
		{"written with other hamza and case", "تعاونيه الاطلس للنسيج", "COOPERATIVE ATLAS TISSAGE", now, ""},
		{"on its last day", "تعاونية الأطلس للنسيج", "Coopérative Atlas Tissage", now.Add(37 * time.Hour), ""},
		{"the day after", "تعاونية الأطلس للنسيج", "Coopérative Atlas Tissage", now.Add(39 * time.Hour), ReasonCertificateExpired},
		{"another Arabic name", "تعاونية الريف للنسيج", "Coopérative Atlas Tissage", now, ReasonCertificateOtherName},
		{"no French name", "تعاونية الأطلس للنسيج", "", now, ReasonCertificateOtherName},
	}
	for _, c := range cases {
		if got := reason(approved().Use(c.ar, c.fr, c.at)); got != c.want {
			t.Errorf("%s: Use = %q, want %q", c.name, got, c.want)
		}
	}
	if got := reason(pending().Use("تعاونية الأطلس للنسيج", "", now)); got != ReasonCertificateUnknown {
		t.Errorf("pending: Use = %q", got)
	}
	r := approved()
	if err := r.Consume("chambers/fes-meknes/cooperatives/42"); err != nil || r.State != Consumed {
		t.Fatalf("consume = %v, %s", err, r.State)
	}
	if got := reason(r.Use("تعاونية الأطلس للنسيج", "Coopérative Atlas Tissage", now)); got != ReasonCertificateUsed {
		t.Errorf("consumed: Use = %q", got)
	}
	if err := r.Consume("chambers/fes-meknes/cooperatives/43"); reason(err) != fault.ReasonIllegalTransition {
		t.Errorf("second consume = %v", err)
	}
}

func TestFormatCertificate(t *testing.T) {
	if got := FormatCertificate(2026, 42); got != "ODCO-2026-000042" {
		t.Fatal(got)
	}
}

// Package namerequest is ODCO's cooperative name approval (law 112.12): a
// chamber's staff submit, for the founders of a cooperative, up to three
// proposed names in order of preference; an ODCO officer decides within a
// deadline, approving one of them (which gives a certificate number and an
// expiry date) or rejecting the request with a reason. An approved,
// unexpired certificate is consumed once, by the registration of the
// cooperative bearing the approved name.
//
// Lifecycle: PENDING → APPROVED → CONSUMED, PENDING → REJECTED,
// PENDING → WITHDRAWN (one table, Transitions).
package namerequest

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/lifecycle"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/registry/internal/domain/coopname"
)

// Collection is the collection segment of name request names.
const Collection = "nameRequests"

// MaxNames is how many names founders may propose in one request.
const MaxNames = 3

// maxNameLen bounds one proposed name, in characters.
const maxNameLen = 200

// State of a name request.
type State string

// States.
const (
	Pending   State = "PENDING"
	Approved  State = "APPROVED"
	Rejected  State = "REJECTED"
	Withdrawn State = "WITHDRAWN"
	// Consumed: the certificate was used by a cooperative's registration.
	Consumed State = "CONSUMED"
)

// Proposal is one proposed name, in Arabic and/or French.
type Proposal struct {
	AR string `json:"ar,omitempty"`
	FR string `json:"fr,omitempty"`
}

// Request is a name request.
type Request struct {
	resource.Meta
	// Names are the proposed names in order of preference (1 to 3).
	Names []Proposal `json:"names"`
	// Founder is the founder the chamber's staff submit for, as written
	// on the request form.
	Founder string `json:"founder"`
	State   State  `json:"state"`
	// DueTime is when the decision is due (submission + the configured
	// deadline); a PENDING request past it is overdue.
	DueTime time.Time `json:"due_time"`
	// ApprovedName is the 1-based position in Names of the approved name.
	ApprovedName int `json:"approved_name,omitempty"`
	// Certificate is the certificate number given on approval.
	Certificate string `json:"certificate,omitempty"`
	// ExpiryDate is the last day the certificate may be used.
	ExpiryDate   resource.Date `json:"expiry_date,omitempty"`
	DecideTime   time.Time     `json:"decide_time,omitzero"`
	Decider      string        `json:"decider,omitempty"`
	RejectReason string        `json:"reject_reason,omitempty"`
	// Cooperative is the resource name of the cooperative whose
	// registration consumed the certificate.
	Cooperative string `json:"cooperative,omitempty"`
	// Demo marks a request the demo profile seeded (invented founders);
	// only the seeder sets it.
	Demo bool `json:"demo,omitempty"`
}

// Name is the resource name.
func (r *Request) Name() string {
	return resource.Name{Chamber: r.Chamber, Collection: Collection, ID: r.ID}.String()
}

// Chosen is the approved proposal (zero before approval).
func (r *Request) Chosen() Proposal {
	if r.ApprovedName < 1 || r.ApprovedName > len(r.Names) {
		return Proposal{}
	}
	return r.Names[r.ApprovedName-1]
}

// Overdue reports whether the request still waits for its decision after
// its due time.
func (r *Request) Overdue(now time.Time) bool { return r.State == Pending && now.After(r.DueTime) }

// Expired reports whether an approved certificate's last day has passed.
func (r *Request) Expired(now time.Time) bool {
	return r.ExpiryDate != "" && string(r.ExpiryDate) < now.UTC().Format(time.DateOnly)
}

// Validate checks a new request.
func (r *Request) Validate() error {
	var vs fault.Violations
	const p = "name_request."
	if strings.TrimSpace(r.Founder) == "" {
		vs.Add(p+"founder", fault.RuleRequired, "give the founder the request is made for")
	}
	if len(r.Names) == 0 || len(r.Names) > MaxNames {
		vs.Add(p+"names", RuleNamesCount, "propose from 1 to %d names, got %d", MaxNames, len(r.Names))
	}
	keys := map[string]int{}
	for i, n := range r.Names {
		f := fmt.Sprintf("%snames[%d]", p, i)
		n.AR, n.FR = strings.TrimSpace(n.AR), strings.TrimSpace(n.FR)
		r.Names[i] = n
		if n.AR == "" && n.FR == "" {
			vs.Add(f, fault.RuleRequired, "give the name in Arabic, in French, or both")
			continue
		}
		for _, s := range []struct{ lang, v string }{{"ar", n.AR}, {"fr", n.FR}} {
			if utf8.RuneCountInString(s.v) > maxNameLen {
				vs.Add(f+"."+s.lang, RuleNameTooLong, "a name has at most %d characters, got %d", maxNameLen, utf8.RuneCountInString(s.v))
			}
		}
		for _, s := range []string{n.AR, n.FR} {
			if s == "" {
				continue
			}
			k := coopname.Analyze(s).Key
			if j, ok := keys[k]; ok && j != i {
				vs.Add(f, RuleNamesRepeat, "is the same name as names[%d]", j)
			}
			keys[k] = i
		}
	}
	return vs.Err()
}

// Action is a lifecycle action on a name request.
type Action string

// The lifecycle actions.
const (
	Approve  Action = "approve"
	Reject   Action = "reject"
	Withdraw Action = "withdraw"
	Consume  Action = "consume"
)

// Transitions is the name request's state machine.
var Transitions = lifecycle.Table[Action, State]{
	{Action: Approve, From: []State{Pending}, To: Approved, Event: "Approved"},
	{Action: Reject, From: []State{Pending}, To: Rejected, Event: "Rejected"},
	{Action: Withdraw, From: []State{Pending}, To: Withdrawn, Event: "Withdrawn"},
	{Action: Consume, From: []State{Approved}, To: Consumed, Event: "Consumed"},
}

// Decision is what an ODCO officer decides.
type Decision struct {
	Decider string
	Time    time.Time
	// Approve: the 1-based position of the approved name, the certificate
	// number and how long it stays valid.
	Name        int
	Certificate string
	Validity    time.Duration
	// Reject: why.
	Reason string
}

// Approve approves one of the proposed names.
func (r *Request) Approve(d Decision) error {
	if _, err := Transitions.Next(r.Name(), r.State, Approve); err != nil {
		return err
	}
	if d.Name < 1 || d.Name > len(r.Names) {
		var vs fault.Violations
		vs.Add("approved_name", RuleApprovedNameRange, "is the position of the approved name, from 1 to %d, got %d", len(r.Names), d.Name)
		return vs.Err()
	}
	r.State, r.ApprovedName, r.Certificate = Approved, d.Name, d.Certificate
	r.ExpiryDate = resource.Date(d.Time.Add(d.Validity).UTC().Format(time.DateOnly))
	r.DecideTime, r.Decider = d.Time, d.Decider
	return nil
}

// Reject rejects the request with its reason.
func (r *Request) Reject(d Decision) error {
	if _, err := Transitions.Next(r.Name(), r.State, Reject); err != nil {
		return err
	}
	if strings.TrimSpace(d.Reason) == "" {
		var vs fault.Violations
		vs.Add("reason", fault.RuleRequired, "say why the names are refused")
		return vs.Err()
	}
	r.State, r.RejectReason = Rejected, strings.TrimSpace(d.Reason)
	r.DecideTime, r.Decider = d.Time, d.Decider
	return nil
}

// Withdraw records that the founders gave up the request before a decision.
func (r *Request) Withdraw() error {
	if _, err := Transitions.Next(r.Name(), r.State, Withdraw); err != nil {
		return err
	}
	r.State = Withdrawn
	return nil
}

// Use checks that the certificate can found the cooperative named coop
// with the display name ar/fr at now: approved, not yet used, not expired,
// and the approved name is the cooperative's (the same name after folding,
// in either script). It does not change the request (Consume does).
func (r *Request) Use(ar, fr string, now time.Time) error {
	switch {
	case r.State == Consumed:
		return &fault.PreconditionError{Reason: ReasonCertificateUsed, Msg: "certificate " + r.Certificate + " was already used by " + r.Cooperative,
			Meta: map[string]string{"certificate": r.Certificate}}
	case r.State != Approved:
		return &fault.PreconditionError{Reason: ReasonCertificateUnknown, Msg: "no approved certificate " + r.Certificate,
			Meta: map[string]string{"certificate": r.Certificate}}
	case r.Expired(now):
		return &fault.PreconditionError{Reason: ReasonCertificateExpired, Msg: "certificate " + r.Certificate + " expired on " + string(r.ExpiryDate),
			Meta: map[string]string{"certificate": r.Certificate, "expiry": string(r.ExpiryDate)}}
	}
	if !SameName(r.Chosen(), Proposal{AR: ar, FR: fr}) {
		c := r.Chosen()
		return &fault.PreconditionError{Reason: ReasonCertificateOtherName,
			Msg:  "certificate " + r.Certificate + " approves the name " + strings.TrimSpace(c.AR+" / "+c.FR) + ", not the cooperative's",
			Meta: map[string]string{"certificate": r.Certificate, "approved": strings.Trim(c.AR+" / "+c.FR, " /")}}
	}
	return nil
}

// Consume records the cooperative whose registration used the certificate.
func (r *Request) Consume(coop string) error {
	if _, err := Transitions.Next(r.Name(), r.State, Consume); err != nil {
		return err
	}
	r.State, r.Cooperative = Consumed, coop
	return nil
}

// SameName reports whether a cooperative named b bears the approved name a:
// every script a gives is, after folding and setting generic words aside,
// the one b gives (a script a leaves out is free).
func SameName(a, b Proposal) bool {
	same := func(x, y string) bool {
		return coopname.Analyze(x).Key == coopname.Analyze(y).Key
	}
	matched := false
	for _, s := range []struct{ x, y string }{{a.AR, b.AR}, {a.FR, b.FR}} {
		if strings.TrimSpace(s.x) == "" {
			continue
		}
		if !same(s.x, s.y) {
			return false
		}
		matched = true
	}
	return matched
}

// FormatCertificate renders the certificate number of a year's n-th
// approval: ODCO-2026-000042.
func FormatCertificate(year, n int) string { return fmt.Sprintf("ODCO-%d-%06d", year, n) }

// Repository stores name requests with their outbox events and audit records.
type Repository interface {
	Create(ctx context.Context, r *Request, w change.Write) (*Request, error)
	Get(ctx context.Context, n resource.Name) (*Request, error)
	List(ctx context.Context, q paging.ListQuery) (paging.Page[*Request], error)
	Update(ctx context.Context, n resource.Name, w change.Write, fn func(*Request) error) (*Request, error)
	// ByCertificate finds the request that was given a certificate number.
	ByCertificate(ctx context.Context, number string) (*Request, error)
	// NextCertificate gives the next certificate sequence number of year.
	NextCertificate(ctx context.Context, year int) (int, error)
}

// Package request is the requests desk: what a registrant or a walk-in
// person asks the chamber, its deadline from the type's setting, and its
// lifecycle RECEIVED → IN_STUDY → ANSWERED | FORWARDED → CLOSED, written
// once in Transitions. Rules only: no proto, gRPC or SQL.
package request

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/desk/internal/domain/requesttype"
)

// Collection is the collection segment of request names.
const Collection = "serviceRequests"

// Type is what is asked: the code of a type of the maintained list
// (package requesttype), which also sets the deadline.
type Type string

// The codes of the types the list starts with (requesttype.Defaults).
const (
	Support     Type = "SUPPORT"
	Guidance    Type = "GUIDANCE"
	Label       Type = "LABEL"
	Attestation Type = "ATTESTATION"
	Complaint   Type = "COMPLAINT"
	Information Type = "INFORMATION"
	Other       Type = "OTHER"
)

// Channel is how the request reached the chamber.
type Channel string

// Channels.
const (
	InPerson Channel = "IN_PERSON"
	Phone    Channel = "PHONE"
	Email    Channel = "EMAIL"
	Mail     Channel = "MAIL"
	Web      Channel = "WEB"
)

var channels = map[Channel]bool{InPerson: true, Phone: true, Email: true, Mail: true, Web: true}

// State of a request.
type State string

// States.
const (
	Received  State = "RECEIVED"
	InStudy   State = "IN_STUDY"
	Answered  State = "ANSWERED"
	Forwarded State = "FORWARDED"
	Closed    State = "CLOSED"
)

// Actions on a request (the custom methods).
const (
	Study   = "study"
	Answer  = "answer"
	Forward = "forward"
	Close   = "close"
)

// Transitions is the one state table: action → the states it may start
// from and the state it leads to.
var Transitions = map[string]struct {
	From []State
	To   State
}{
	Study:   {[]State{Received}, InStudy},
	Answer:  {[]State{InStudy}, Answered},
	Forward: {[]State{InStudy}, Forwarded},
	Close:   {[]State{Answered, Forwarded}, Closed},
}

// States lists every state, for filters.
var States = []string{string(Received), string(InStudy), string(Answered), string(Forwarded), string(Closed)}

// Open lists the states in which a request still waits for the chamber:
// past its deadline, it is overdue.
var Open = []State{Received, InStudy}

// RegistrantCollections are the registrant kinds a requester may be.
var RegistrantCollections = []string{"artisans", "cooperatives", "associations", "enterprises"}

// Limits, in characters.
const (
	MaxSubject = 2000
	MaxName    = 200
	MaxAnswer  = 300
)

// Request is a request received by a chamber.
type Request struct {
	resource.Meta
	Requester   string    `json:"requester,omitempty"`
	WalkInName  string    `json:"walk_in_name,omitempty"`
	Type        Type      `json:"type"`
	Channel     Channel   `json:"channel"`
	Subject     string    `json:"subject"`
	ReceiveTime time.Time `json:"receive_time"`
	Deadline    time.Time `json:"deadline_time"`
	Assignee    string    `json:"assignee,omitempty"`
	State       State     `json:"state"`
	Answer      l10n.Text `json:"answer"`
	ForwardedTo string    `json:"forwarded_to,omitempty"`
	RespondTime time.Time `json:"respond_time"`
}

// Name is the resource name.
func (r *Request) Name() string {
	return resource.Name{Chamber: r.Chamber, Collection: Collection, ID: r.ID}.String()
}

// Receive checks a new request, reporting every violation at once, and
// sets its state and deadline from its type's row (typ; nil when the list
// has no such type); now is the reception time when none is given. A
// requester must be a registrant of the request's own chamber.
func (r *Request) Receive(now time.Time, typ *requesttype.Type) error {
	var vs fault.Violations
	const p = "service_request."
	if r.Requester == "" && strings.TrimSpace(r.WalkInName) == "" {
		vs.Add(p+"requester", RuleRequesterRequired, "a registrant or a walk-in person's name is required")
	}
	if r.Requester != "" {
		if r.WalkInName != "" {
			vs.Add(p+"walk_in_name", RuleRequesterOne, "give a registrant or a walk-in name, not both")
		}
		if !registrantOf(r.Requester, r.Chamber) {
			vs.Add(p+"requester", RuleRequesterRegistrant, "must be an artisan, cooperative, association or enterprise of chambers/%s", r.Chamber)
		}
	}
	if n := utf8.RuneCountInString(r.WalkInName); n > MaxName {
		vs.Add(p+"walk_in_name", RuleTextLength, "must be at most %d characters, got %d", MaxName, n)
	}
	if r.Type == "" {
		vs.Add(p+"type", fault.RuleRequired, "is required")
	} else {
		requesttype.CheckUsable(&vs, typ, string(r.Type), p+"type")
	}
	if !channels[r.Channel] {
		vs.Add(p+"channel", fault.RuleRequired, "is required")
	}
	if strings.TrimSpace(r.Subject) == "" {
		vs.Add(p+"subject", fault.RuleRequired, "is required")
	} else if n := utf8.RuneCountInString(r.Subject); n > MaxSubject {
		vs.Add(p+"subject", RuleTextLength, "must be at most %d characters, got %d", MaxSubject, n)
	}
	if r.ReceiveTime.IsZero() {
		r.ReceiveTime = now
	} else if r.ReceiveTime.After(now.Add(time.Minute)) {
		vs.Add(p+"receive_time", fault.RuleDateFuture, "must not be in the future")
	}
	if err := vs.Err(); err != nil {
		return err
	}
	r.State, r.Deadline = Received, r.ReceiveTime.Add(typ.Deadline())
	return nil
}

// registrantOf reports whether name is chambers/{chamber}/{registrant kind}/{id}.
func registrantOf(name, chamber string) bool {
	parts := strings.Split(name, "/")
	if len(parts) != 4 || parts[0] != "chambers" || parts[1] != chamber || parts[3] == "" {
		return false
	}
	for _, c := range RegistrantCollections {
		if parts[2] == c {
			return true
		}
	}
	return false
}

// Overdue reports whether the request still waits past its deadline.
func (r *Request) Overdue(now time.Time) bool {
	for _, s := range Open {
		if r.State == s {
			return now.After(r.Deadline)
		}
	}
	return false
}

// Apply runs action through the state table: it refuses an action the
// current state does not allow (ILLEGAL_TRANSITION, nothing changed),
// checks the action's own input (all violations at once) and moves the
// request on. arg is the assignee (study) or the authority (forward).
func (r *Request) Apply(action string, now time.Time, arg string, answer l10n.Text) error {
	t, ok := Transitions[action]
	if !ok {
		return fault.Precondition(fault.ReasonUnknownAction, "unknown action %q", action)
	}
	allowed := false
	for _, s := range t.From {
		allowed = allowed || r.State == s
	}
	if !allowed {
		return &fault.PreconditionError{Reason: fault.ReasonIllegalTransition,
			Msg:  r.Name() + " is " + string(r.State) + ": cannot " + action,
			Meta: map[string]string{"resource": r.Name(), "state": string(r.State), "action": action}}
	}
	var vs fault.Violations
	switch action {
	case Study:
		if strings.TrimSpace(arg) == "" {
			vs.Add("assignee", fault.RuleRequired, "is required")
		}
		r.Assignee = arg
	case Answer:
		if strings.TrimSpace(answer.AR) == "" && strings.TrimSpace(answer.FR) == "" {
			vs.Add("answer", RuleAnswerLanguage, "an answer in Arabic or French is required")
		}
		r.Answer, r.RespondTime = answer, now
	case Forward:
		if strings.TrimSpace(arg) == "" {
			vs.Add("authority", fault.RuleRequired, "is required")
		}
		r.ForwardedTo, r.RespondTime = arg, now
	}
	if err := vs.Err(); err != nil {
		return err
	}
	r.State = t.To
	return nil
}

// Repository stores requests with their outbox events and audit records.
type Repository interface {
	Create(ctx context.Context, r *Request, w change.Write) (*Request, error)
	Get(ctx context.Context, n resource.Name) (*Request, error)
	List(ctx context.Context, q paging.ListQuery) (paging.Page[*Request], error)
	Update(ctx context.Context, n resource.Name, w change.Write, fn func(*Request) error) (*Request, error)
}

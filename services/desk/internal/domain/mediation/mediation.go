// Package mediation is mediation and arbitration between artisans (law
// 08.05): a case between distinct parties, its mediator, its sessions, and
// an outcome without which it does not close. Rules only: no proto, gRPC
// or SQL.
package mediation

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
)

// Collection is the collection segment of case names.
const Collection = "mediationCases"

// State of a case.
type State string

// States.
const (
	Open   State = "OPEN"
	Closed State = "CLOSED"
)

// States lists every state, for filters.
var States = []string{string(Open), string(Closed)}

// Outcome of a closed case.
type Outcome string

// Outcomes.
const (
	Settled     Outcome = "SETTLED"
	AwardIssued Outcome = "AWARD_ISSUED"
	Failed      Outcome = "FAILED"
	Withdrawn   Outcome = "WITHDRAWN"
)

// Outcomes lists every outcome, for filters ("" is an open case's).
var Outcomes = []string{"", string(Settled), string(AwardIssued), string(Failed), string(Withdrawn)}

// Limits, in characters.
const (
	MaxSubject = 2000
	MaxName    = 200
	MaxText    = 4000
)

// Party is a party to a case: an artisan by resource name or another
// person by name.
type Party struct {
	Artisan     string `json:"artisan,omitempty"`
	DisplayName string `json:"display_name,omitempty"`
}

// Session is a mediation session.
type Session struct {
	Time  time.Time `json:"time"`
	Notes string    `json:"notes"`
}

// Case is a mediation or arbitration case.
type Case struct {
	resource.Meta
	Subject     string    `json:"subject"`
	Parties     []Party   `json:"parties"`
	Mediator    string    `json:"mediator"`
	Sessions    []Session `json:"sessions,omitempty"`
	State       State     `json:"state"`
	Outcome     Outcome   `json:"outcome,omitempty"`
	OutcomeText string    `json:"outcome_text,omitempty"`
	CloseTime   time.Time `json:"close_time"`
}

// Name is the resource name.
func (c *Case) Name() string {
	return resource.Name{Chamber: c.Chamber, Collection: Collection, ID: c.ID}.String()
}

// Open checks a new case, reporting every violation at once: a subject, a
// mediator, at least two parties, each an artisan of the case's chamber
// or a named person, and no party twice.
func (c *Case) Open() error {
	var vs fault.Violations
	const p = "mediation_case."
	if strings.TrimSpace(c.Subject) == "" {
		vs.Add(p+"subject", fault.RuleRequired, "is required")
	} else if n := utf8.RuneCountInString(c.Subject); n > MaxSubject {
		vs.Add(p+"subject", RuleTextLength, "must be at most %d characters, got %d", MaxSubject, n)
	}
	if strings.TrimSpace(c.Mediator) == "" {
		vs.Add(p+"mediator", fault.RuleRequired, "is required")
	}
	if len(c.Parties) < 2 {
		vs.Add(p+"parties", RulePartiesTwo, "a case needs at least two parties, got %d", len(c.Parties))
	}
	seen := map[string]int{}
	for i, pt := range c.Parties {
		f := p + "parties[" + itoa(i) + "]"
		switch {
		case pt.Artisan != "" && pt.DisplayName != "":
			vs.Add(f+".display_name", RulePartyOne, "give an artisan or a name, not both")
		case pt.Artisan == "" && strings.TrimSpace(pt.DisplayName) == "":
			vs.Add(f+".artisan", fault.RuleRequired, "an artisan or a name is required")
		case pt.Artisan != "" && !artisanOf(pt.Artisan, c.Chamber):
			vs.Add(f+".artisan", RulePartyArtisan, "must be an artisan of chambers/%s", c.Chamber)
		case utf8.RuneCountInString(pt.DisplayName) > MaxName:
			vs.Add(f+".display_name", RuleTextLength, "must be at most %d characters, got %d", MaxName, utf8.RuneCountInString(pt.DisplayName))
		}
		key := pt.Artisan
		if key == "" {
			key = "name:" + strings.ToLower(strings.Join(strings.Fields(pt.DisplayName), " "))
		}
		if j, dup := seen[key]; dup && key != "name:" {
			vs.Add(f, RulePartiesDistinct, "is the same party as parties[%d]", j)
		} else {
			seen[key] = i
		}
	}
	if err := vs.Err(); err != nil {
		return err
	}
	c.State, c.Sessions, c.Outcome, c.OutcomeText = Open, nil, "", ""
	return nil
}

func artisanOf(name, chamber string) bool {
	parts := strings.Split(name, "/")
	return len(parts) == 4 && parts[0] == "chambers" && parts[1] == chamber && parts[2] == "artisans" && parts[3] != ""
}

func (c *Case) checkOpen(action string) error {
	if c.State != Open {
		return &fault.PreconditionError{Reason: fault.ReasonIllegalTransition,
			Msg:  c.Name() + " is " + string(c.State) + ": cannot " + action,
			Meta: map[string]string{"resource": c.Name(), "state": string(c.State), "action": action}}
	}
	return nil
}

// AddSession records a session of an open case; now is when it is
// recorded, the session's time when none is given.
func (c *Case) AddSession(s Session, now time.Time) error {
	if err := c.checkOpen("addSession"); err != nil {
		return err
	}
	var vs fault.Violations
	if strings.TrimSpace(s.Notes) == "" {
		vs.Add("session.notes", fault.RuleRequired, "is required")
	} else if n := utf8.RuneCountInString(s.Notes); n > MaxText {
		vs.Add("session.notes", RuleTextLength, "must be at most %d characters, got %d", MaxText, n)
	}
	if s.Time.IsZero() {
		s.Time = now
	} else if s.Time.After(now.Add(time.Minute)) {
		vs.Add("session.session_time", fault.RuleDateFuture, "must not be in the future")
	}
	if err := vs.Err(); err != nil {
		return err
	}
	c.Sessions = append(c.Sessions, s)
	return nil
}

// Close closes an open case with its outcome and the outcome's text: a
// case closes only with an outcome.
func (c *Case) Close(o Outcome, text string, now time.Time) error {
	if err := c.checkOpen("close"); err != nil {
		return err
	}
	var vs fault.Violations
	switch o {
	case Settled, AwardIssued, Failed, Withdrawn:
	default:
		vs.Add("outcome", RuleOutcomeRequired, "a case closes only with an outcome (SETTLED, AWARD_ISSUED, FAILED or WITHDRAWN)")
	}
	if strings.TrimSpace(text) == "" {
		vs.Add("outcome_text", fault.RuleRequired, "is required")
	}
	if err := vs.Err(); err != nil {
		return err
	}
	c.State, c.Outcome, c.OutcomeText, c.CloseTime = Closed, o, text, now
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }

// Repository stores cases with their outbox events and audit records.
type Repository interface {
	Create(ctx context.Context, c *Case, w change.Write) (*Case, error)
	Get(ctx context.Context, n resource.Name) (*Case, error)
	List(ctx context.Context, q paging.ListQuery) (paging.Page[*Case], error)
	Update(ctx context.Context, n resource.Name, w change.Write, fn func(*Case) error) (*Case, error)
}

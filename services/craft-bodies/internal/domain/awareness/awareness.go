// Package awareness is the awareness meetings of a craft body: events of
// kind AWARENESS_SESSION owned by events-and-fairs, created over gRPC and
// linked here by resource name. Their attendance is the event's check-ins,
// read from events-and-fairs, never copied by hand.
package awareness

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
)

// Collection is the collection segment of meeting names under a body.
const Collection = "awarenessMeetings"

// EventKind is the events-and-fairs kind of every awareness meeting.
const EventKind = "AWARENESS_SESSION"

// Error reasons.
const (
	// ReasonNotInAwareness: meetings are held while the body is in awareness
	// or forming its committee.
	ReasonNotInAwareness = "BODY_NOT_IN_AWARENESS"
	// ReasonEventsUnavailable: events-and-fairs could not be reached; nothing
	// was written.
	ReasonEventsUnavailable = "EVENTS_UNAVAILABLE"
	// ReasonEventRefused: events-and-fairs refused the event (e.g. its
	// venue); nothing was written.
	ReasonEventRefused = "EVENT_REFUSED"
)

// Meeting is one awareness meeting.
type Meeting struct {
	resource.Meta
	Body      string        `json:"body"`
	MeetingID string        `json:"meeting_id"`
	Title     l10n.Text     `json:"title"`
	Date      resource.Date `json:"date"`
	City      string        `json:"city,omitempty"`
	Capacity  int           `json:"capacity,omitempty"`
	Event     string        `json:"event"`
}

// Name is the meeting's resource name.
func (m *Meeting) Name() string { return m.Body + "/" + Collection + "/" + m.MeetingID }

var eventName = regexp.MustCompile(`^chambers/([a-z0-9-]+)/events/[a-z0-9]{1,32}$`)

// Plan checks a meeting before its event is created: the body is in
// awareness (or forming its committee: late meetings happen), and the
// meeting has a title and a date.
func Plan(b *craftbody.Body, m *Meeting) error {
	if b.Stage != craftbody.Awareness && b.Stage != craftbody.Committee {
		return &fault.PreconditionError{Reason: ReasonNotInAwareness,
			Msg:  fmt.Sprintf("%s is %s: awareness meetings are held in AWARENESS or COMMITTEE", b.Name(), b.Stage),
			Meta: map[string]string{"resource": b.Name(), "state": string(b.Stage)}}
	}
	var vs fault.Violations
	m.Title.Require(&vs, "awareness_meeting.title")
	if _, err := resource.ParseDate("awareness_meeting.date", string(m.Date)); err != nil || m.Date == "" {
		vs.Add("awareness_meeting.date", fault.RuleDate, "must be a calendar date YYYY-MM-DD, got %q", m.Date)
	}
	if m.Capacity < 0 {
		vs.Add("awareness_meeting.capacity", RuleCapacityNonNegative, "must not be negative")
	}
	return vs.Err()
}

// Link records the event created for the meeting; it must be an event of
// the body's own chamber.
func (m *Meeting) Link(b *craftbody.Body, event string) error {
	g := eventName.FindStringSubmatch(event)
	if g == nil || g[1] != b.Chamber {
		return fmt.Errorf("link awareness meeting of %s: event %q is not an event of chamber %s", b.Name(), event, b.Chamber)
	}
	m.Event = event
	return nil
}

// Repository stores awareness meetings; an event links one meeting only.
type Repository interface {
	Create(ctx context.Context, body resource.Name, m *Meeting, w change.Write) (*Meeting, error)
	Get(ctx context.Context, body resource.Name, meeting string) (*Meeting, error)
	// List lists a body's meetings by date.
	List(ctx context.Context, body resource.Name, q paging.ListQuery) (paging.Page[*Meeting], error)
}

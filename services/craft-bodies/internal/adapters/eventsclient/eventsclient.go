// Package eventsclient plans awareness meetings as AWARENESS_SESSION events
// of events-and-fairs and reads their check-ins, over gRPC with the caller's
// own token (events-and-fairs applies its own tenancy and policy). Its
// statuses never leave this package: an outage is a fault.UnavailableError,
// anything else a plain error the application names as this service's
// refusal.
package eventsclient

import (
	"context"
	"crypto/tls"
	"fmt"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/fault"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/awareness"
)

// retryPolicy retries while events-and-fairs answers UNAVAILABLE. Creation
// carries a request id, so a retried create returns the first event.
const retryPolicy = `{"methodConfig":[{"name":[{"service":"hirfa.eventsfairs.v1.EventService"},{"service":"hirfa.eventsfairs.v1.RegistrationService"}],
 "retryPolicy":{"maxAttempts":4,"initialBackoff":"0.05s","maxBackoff":"0.5s","backoffMultiplier":2,"retryableStatusCodes":["UNAVAILABLE"]}}]}`

// Client talks to events-and-fairs.
type Client struct {
	conn          *grpc.ClientConn
	events        eventsfairsv1.EventServiceClient
	registrations eventsfairsv1.RegistrationServiceClient
	timeout       time.Duration
}

// New connects (lazily) to events-and-fairs at addr, with TLS when tlsCfg
// is set; timeout bounds each call, retries included.
func New(addr string, tlsCfg *tls.Config, timeout time.Duration) (*Client, error) {
	creds := insecure.NewCredentials()
	if tlsCfg != nil {
		creds = credentials.NewTLS(tlsCfg)
	}
	conn, err := grpc.NewClient(addr,
		grpc.WithTransportCredentials(creds),
		grpc.WithStatsHandler(otelgrpc.NewClientHandler()),
		grpc.WithChainUnaryInterceptor(auth.UnaryClientInterceptor()),
		grpc.WithDefaultServiceConfig(retryPolicy),
	)
	if err != nil {
		return nil, fmt.Errorf("events-and-fairs client: %w", err)
	}
	return &Client{conn: conn, events: eventsfairsv1.NewEventServiceClient(conn),
		registrations: eventsfairsv1.NewRegistrationServiceClient(conn), timeout: timeout}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

// CreateAwarenessSession plans a one-day provincial AWARENESS_SESSION event
// of chamber in province and returns its resource name.
func (c *Client) CreateAwarenessSession(ctx context.Context, chamber, province string, m *awareness.Meeting, requestID string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	e, err := c.events.CreateEvent(ctx, &eventsfairsv1.CreateEventRequest{
		Parent: "chambers/" + chamber,
		Event: &eventsfairsv1.Event{
			Kind: eventsfairsv1.Event_AWARENESS_SESSION, Scope: eventsfairsv1.Event_PROVINCIAL,
			Title:     &typev1.LocalizedText{Ar: m.Title.AR, Fr: m.Title.FR},
			StartDate: string(m.Date), EndDate: string(m.Date),
			Venue:    &eventsfairsv1.Venue{Province: province, City: m.City},
			Capacity: int32(m.Capacity),
		},
		RequestId: requestID,
	})
	if err != nil {
		return "", translate("create the awareness session", err)
	}
	return e.GetName(), nil
}

// CheckedIn counts the check-ins of an event (its attendance).
func (c *Client) CheckedIn(ctx context.Context, event string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	a, err := c.registrations.GetAttendance(ctx, &eventsfairsv1.GetAttendanceRequest{Name: event + "/attendance"})
	if err != nil {
		return 0, translate("read the attendance of "+event, err)
	}
	return int(a.GetAttended()), nil
}

// translate keeps events-and-fairs' statuses out of this service's answers.
func translate(what string, err error) error {
	st, _ := status.FromError(err)
	switch st.Code() {
	case codes.Unavailable, codes.DeadlineExceeded, codes.Internal, codes.Unknown, codes.ResourceExhausted:
		return &fault.UnavailableError{What: "events-and-fairs", Err: fmt.Errorf("%s: %s: %s", what, st.Code(), st.Message())}
	case codes.Canceled:
		return context.Canceled
	}
	return fmt.Errorf("%s: %s", what, st.Message())
}

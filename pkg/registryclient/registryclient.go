// Package registryclient is the registry's gRPC client for every service
// that checks registrants (events-and-fairs' exhibitors, craft-bodies'
// members, the desk's requesters, parties and document owners): calls carry the caller's own token (so the registry applies its
// own tenancy), a deadline, and are retried while the registry answers
// UNAVAILABLE.
//
// The registry's statuses never leave this package: a NotFound becomes the
// caller's FAILED_PRECONDITION <Prefix>_NOT_FOUND, an unreachable registry a
// fault.UnavailableError, so callers never answer with another service's
// status as their own. Mapping a registrant to the caller's domain stays in
// the caller's adapter.
package registryclient

import (
	"context"
	"crypto/tls"
	"fmt"
	"strings"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/fault"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
)

// retryPolicy retries look-ups the registry could not take (UNAVAILABLE:
// restarting, overloaded, unreachable) with backoff, within the call's
// deadline. Look-ups are reads, so a retry is always safe.
const retryPolicy = `{"methodConfig":[{"name":[{"service":"hirfa.registry.v1.RegistrantService"}],
 "retryPolicy":{"maxAttempts":4,"initialBackoff":"0.05s","maxBackoff":"0.5s","backoffMultiplier":2,"retryableStatusCodes":["UNAVAILABLE"]}}]}`

// Options say how the caller names what it looks up, in its own errors.
type Options struct {
	// Field is the request field holding the registrant's name, for
	// INVALID_ARGUMENT (e.g. "exhibitor.applicant").
	Field string
	// Prefix starts the caller's precondition reasons: <Prefix>_NOT_FOUND,
	// <Prefix>_NOT_VISIBLE (e.g. "APPLICANT").
	Prefix string
	// Collections are the registry collections accepted (e.g. artisans,
	// cooperatives); empty accepts the four registers.
	Collections []string
	// Noun names the collections in the error for another one (e.g.
	// "applicants").
	Noun string
}

// Client looks registrants up in the registry.
type Client struct {
	conn        *grpc.ClientConn
	registrants registryv1.RegistrantServiceClient
	timeout     time.Duration
	o           Options
}

// New connects (lazily) to the registry at addr, with TLS when tlsCfg is
// set. timeout bounds each look-up, retries included.
func New(addr string, tlsCfg *tls.Config, timeout time.Duration, o Options) (*Client, error) {
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
		return nil, fmt.Errorf("registry client: %w", err)
	}
	if len(o.Collections) == 0 {
		o.Collections = []string{"artisans", "cooperatives", "associations", "enterprises"}
	}
	if o.Noun == "" {
		o.Noun = "registrants"
	}
	return &Client{conn: conn, registrants: registryv1.NewRegistrantServiceClient(conn), timeout: timeout, o: o}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

// Name is a registrant's resource name split: chambers/{Chamber}/{Collection}/{ID}.
type Name struct{ Chamber, Collection, ID string }

// Parse checks that name is chambers/{c}/{collection}/{id} with an accepted
// collection, as the caller's INVALID_ARGUMENT.
func (c *Client) Parse(name string) (Name, error) {
	parts := strings.Split(name, "/")
	if len(parts) != 4 || parts[0] != "chambers" {
		return Name{}, fault.Invalid(c.o.Field, strings.ToLower(c.o.Prefix)+".name", "must be a registry resource name, got %q", name)
	}
	n := Name{Chamber: parts[1], Collection: parts[2], ID: parts[3]}
	for _, col := range c.o.Collections {
		if col == n.Collection {
			return n, nil
		}
	}
	return n, fault.Invalid(c.o.Field, strings.ToLower(c.o.Prefix)+".collection", "%s are %s, got %q", c.o.Noun, list(c.o.Collections), n.Collection)
}

func list(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// Lookup reads the registrant named name through LookupRegistrant, not Get:
// the registrant may be registered in another chamber, which the caller's
// own chamber role may not read. The name is checked first (Parse).
func (c *Client) Lookup(ctx context.Context, name string) (*registryv1.RegistrantStanding, error) {
	if _, err := c.Parse(name); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	r, err := c.registrants.LookupRegistrant(ctx, &registryv1.LookupRegistrantRequest{Name: name})
	if err != nil {
		return nil, c.translate(name, err)
	}
	if r.GetType() == registryv1.RegistrantStanding_TYPE_UNSPECIFIED {
		return nil, &fault.UnavailableError{What: "registry", Err: fmt.Errorf("look up %s: empty answer", name)}
	}
	return r, nil
}

// translate turns a registry failure into the caller's fault.
func (c *Client) translate(name string, err error) error {
	st, _ := status.FromError(err)
	meta := map[string]string{"resource": name}
	switch st.Code() {
	case codes.NotFound:
		// Also what the registry answers for another chamber's record the
		// caller may not see: from here the two are the same.
		return &fault.PreconditionError{Reason: c.o.Prefix + "_NOT_FOUND", Msg: name + " is not in the registry", Meta: meta}
	case codes.InvalidArgument:
		return &fault.PreconditionError{Reason: c.o.Prefix + "_NOT_FOUND", Msg: name + " is not a registry record the registry accepts", Meta: meta}
	case codes.PermissionDenied, codes.Unauthenticated:
		return &fault.PreconditionError{Reason: c.o.Prefix + "_NOT_VISIBLE", Msg: "the registry does not show " + name + " to this caller", Meta: meta}
	case codes.Canceled:
		return context.Canceled
	}
	// Unavailable after the retries, DeadlineExceeded, or a failure inside
	// the registry: the check could not be made, so the caller may retry.
	return &fault.UnavailableError{What: "registry", Err: fmt.Errorf("look up %s: %s: %s", name, st.Code(), st.Message())}
}

// Facts reads one page of ListRegistrantFacts (registration facts only, no
// CNIE, no contact) with the caller's token: the registry applies its own
// tenancy. Any failure is the caller's fault (translate), never the
// registry's status.
func (c *Client) Facts(ctx context.Context, req *registryv1.ListRegistrantFactsRequest) (*registryv1.ListRegistrantFactsResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	resp, err := c.registrants.ListRegistrantFacts(ctx, req)
	if err != nil {
		return nil, c.translate(req.GetParent(), err)
	}
	return resp, nil
}

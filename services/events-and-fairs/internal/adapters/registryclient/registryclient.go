// Package registryclient asks the registry service, over gRPC, what it
// knows about an applicant: whether it exists, its standing, whether it counts
// under a women's quota, its province and craft. Calls carry the caller's own token (so the registry
// applies its own tenancy), a deadline, and are retried while the registry
// answers UNAVAILABLE.
//
// The registry's statuses never leave this package: a NotFound becomes this
// service's FAILED_PRECONDITION APPLICANT_NOT_FOUND, an unreachable registry
// a fault.UnavailableError, so callers never answer with another service's
// status as their own.
package registryclient

import (
	"context"
	"crypto/tls"
	"fmt"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/fault"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/fair"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

// retryPolicy retries look-ups the registry could not take (UNAVAILABLE:
// restarting, overloaded, unreachable) with backoff, within the call's
// deadline. Look-ups are reads, so a retry is always safe.
const retryPolicy = `{"methodConfig":[{"name":[{"service":"hirfa.registry.v1.RegistrantService"}],
 "retryPolicy":{"maxAttempts":4,"initialBackoff":"0.05s","maxBackoff":"0.5s","backoffMultiplier":2,"retryableStatusCodes":["UNAVAILABLE"]}}]}`

// Client looks registrants up in the registry.
type Client struct {
	conn        *grpc.ClientConn
	registrants registryv1.RegistrantServiceClient
	timeout     time.Duration
}

// New connects (lazily) to the registry at addr, with TLS when tlsCfg is
// set. timeout bounds each look-up, retries included.
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
		return nil, fmt.Errorf("registry client: %w", err)
	}
	return &Client{
		conn:        conn,
		registrants: registryv1.NewRegistrantServiceClient(conn),
		timeout:     timeout,
	}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

// Lookup reads the registrant named name (chambers/{c}/artisans/{id},
// …/cooperatives/…, …/associations/…, …/enterprises/…).
func (c *Client) Lookup(ctx context.Context, name string) (fair.Applicant, error) {
	parts := strings.Split(name, "/")
	if len(parts) != 4 || parts[0] != "chambers" {
		return fair.Applicant{}, fault.Invalid("exhibitor.applicant", "applicant.name", "must be a registry resource name, got %q", name)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	a := fair.Applicant{Name: name, Chamber: parts[1]}
	switch parts[2] {
	case "artisans", "cooperatives", "associations", "enterprises":
	default:
		return a, fault.Invalid("exhibitor.applicant", "applicant.collection", "applicants are artisans, cooperatives, associations or enterprises, got %q", parts[2])
	}
	// LookupRegistrant, not Get: the applicant may be registered in another
	// chamber (booths are reserved for artisans from outside the region),
	// which the caller's own chamber role may not read.
	r, err := c.registrants.LookupRegistrant(ctx, &registryv1.LookupRegistrantRequest{Name: name})
	if err != nil {
		return a, translate(name, err)
	}
	return applicant(a, r)
}

// translate turns a registry failure into this service's fault.
func translate(name string, err error) error {
	st, _ := status.FromError(err)
	meta := map[string]string{"resource": name}
	switch st.Code() {
	case codes.NotFound:
		// Also what the registry answers for another chamber's record the
		// caller may not see: from here the two are the same.
		return &fault.PreconditionError{Reason: "APPLICANT_NOT_FOUND", Msg: name + " is not in the registry", Meta: meta}
	case codes.InvalidArgument:
		return &fault.PreconditionError{Reason: "APPLICANT_NOT_FOUND", Msg: name + " is not a registry record the registry accepts", Meta: meta}
	case codes.PermissionDenied, codes.Unauthenticated:
		return &fault.PreconditionError{Reason: "APPLICANT_NOT_VISIBLE", Msg: "the registry does not show " + name + " to this caller", Meta: meta}
	case codes.Canceled:
		return context.Canceled
	}
	// Unavailable after the retries, DeadlineExceeded, or a failure inside
	// the registry: the check could not be made, so the caller may retry.
	return &fault.UnavailableError{What: "registry", Err: fmt.Errorf("look up %s: %s: %s", name, st.Code(), st.Message())}
}

// applicant reads the registry's facts into an applicant. The registry
// answers no artisan's name (personal data), so an artisan exhibitor is
// shown by its resource name until the fair's staff meet them.
func applicant(a fair.Applicant, r *registryv1.RegistrantFacts) (fair.Applicant, error) {
	a.Province, a.Activity, a.State, a.Women = r.GetProvince(), r.GetActivity(), r.GetState(), r.GetWomenQuota()
	a.DisplayName = r.GetDisplayName().GetFr()
	if a.DisplayName == "" {
		a.DisplayName = r.GetDisplayName().GetAr()
	}
	switch r.GetType() {
	case registryv1.RegistrantFacts_ARTISAN:
		a.Type, a.DisplayName, a.Gender = fair.Artisan, a.Name, fair.Male
		if a.Women {
			a.Gender = fair.Female
		}
	case registryv1.RegistrantFacts_COOPERATIVE:
		a.Type = fair.Cooperative
	case registryv1.RegistrantFacts_ASSOCIATION:
		a.Type = fair.Association
	case registryv1.RegistrantFacts_ENTERPRISE:
		a.Type = fair.Enterprise
	default:
		return a, &fault.UnavailableError{What: "registry", Err: fmt.Errorf("look up %s: no registrant type in the answer", a.Name)}
	}
	if a.DisplayName == "" {
		a.DisplayName = a.Name
	}
	switch r.GetStanding() {
	case registryv1.RegistrantFacts_LIVE:
		a.Standing = fair.Live
	case registryv1.RegistrantFacts_STRUCK_OFF:
		a.Standing = fair.StruckOff
	case registryv1.RegistrantFacts_INACTIVE:
		a.Standing = fair.Inactive
	default:
		a.Standing = fair.NotRegistered
	}
	return a, nil
}

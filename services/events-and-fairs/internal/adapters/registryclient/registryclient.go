// Package registryclient asks the registry service, over gRPC, what it
// knows about an applicant: whether it exists, its standing, its gender,
// province and craft. Calls carry the caller's own token (so the registry
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
		return fair.Applicant{}, fault.Invalid("exhibitor.applicant", fair.RuleApplicantName, "must be a registry resource name, got %q", name)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	a := fair.Applicant{Name: name, Chamber: parts[1]}
	switch parts[2] {
	case "artisans", "cooperatives", "associations", "enterprises":
	default:
		return a, fault.Invalid("exhibitor.applicant", fair.RuleApplicantCollection, "applicants are artisans, cooperatives, associations or enterprises, got %q", parts[2])
	}
	// LookupRegistrant, not Get: the applicant may be registered in another
	// chamber (booths are reserved for artisans from outside the region),
	// which the caller's own chamber role may not read.
	r, err := c.registrants.LookupRegistrant(ctx, &registryv1.LookupRegistrantRequest{Name: name})
	if err != nil {
		return a, translate(name, err)
	}
	switch rec := r.GetRecord().(type) {
	case *registryv1.Registrant_Artisan:
		artisan(&a, rec.Artisan)
	case *registryv1.Registrant_Cooperative:
		cooperative(&a, rec.Cooperative)
	case *registryv1.Registrant_Association:
		association(&a, rec.Association)
	case *registryv1.Registrant_Enterprise:
		enterprise(&a, rec.Enterprise)
	default:
		return a, &fault.UnavailableError{What: "registry", Err: fmt.Errorf("look up %s: empty answer", name)}
	}
	return a, nil
}

// translate turns a registry failure into this service's fault.
func translate(name string, err error) error {
	st, _ := status.FromError(err)
	meta := map[string]string{"resource": name}
	switch st.Code() {
	case codes.NotFound:
		// Also what the registry answers for another chamber's record the
		// caller may not see: from here the two are the same.
		return &fault.PreconditionError{Reason: fair.ReasonApplicantNotFound, Msg: name + " is not in the registry", Meta: meta}
	case codes.InvalidArgument:
		return &fault.PreconditionError{Reason: fair.ReasonApplicantNotFound, Msg: name + " is not a registry record the registry accepts", Meta: meta}
	case codes.PermissionDenied, codes.Unauthenticated:
		return &fault.PreconditionError{Reason: fair.ReasonApplicantNotVisible, Msg: "the registry does not show " + name + " to this caller", Meta: meta}
	case codes.Canceled:
		return context.Canceled
	}
	// Unavailable after the retries, DeadlineExceeded, or a failure inside
	// the registry: the check could not be made, so the caller may retry.
	return &fault.UnavailableError{What: "registry", Err: fmt.Errorf("look up %s: %s: %s", name, st.Code(), st.Message())}
}

func artisan(a *fair.Applicant, r *registryv1.Artisan) {
	a.Type = fair.Artisan
	a.DisplayName = strings.TrimSpace(r.GetGivenNameLatin() + " " + r.GetFamilyNameLatin())
	if a.DisplayName == "" {
		a.DisplayName = strings.TrimSpace(r.GetGivenNameAr() + " " + r.GetFamilyNameAr())
	}
	switch r.GetGender() {
	case registryv1.Artisan_FEMALE:
		a.Gender, a.Women = fair.Female, true
	case registryv1.Artisan_MALE:
		a.Gender = fair.Male
	}
	a.Province, a.Activity, a.State = r.GetProvince(), r.GetActivity(), r.GetState().String()
	switch r.GetState() {
	case registryv1.Artisan_REGISTERED:
		a.Standing = fair.Live
	case registryv1.Artisan_STRUCK_OFF:
		a.Standing = fair.StruckOff
	case registryv1.Artisan_SUSPENDED:
		a.Standing = fair.Inactive
	default:
		a.Standing = fair.NotRegistered
	}
}

func display(ar, fr string) string {
	if fr != "" {
		return fr
	}
	return ar
}

func cooperative(a *fair.Applicant, r *registryv1.Cooperative) {
	a.Type = fair.Cooperative
	a.DisplayName = display(r.GetDisplayName().GetAr(), r.GetDisplayName().GetFr())
	// A cooperative counts under the women's quota when women are the
	// majority of its members.
	a.Women = r.GetMembersWomen() > r.GetMembersMen()
	a.Province, a.Activity, a.State = r.GetProvince(), r.GetActivity(), r.GetState().String()
	switch r.GetState() {
	case registryv1.Cooperative_REGISTERED, registryv1.Cooperative_ACTIVE:
		a.Standing = fair.Live
	case registryv1.Cooperative_FORMING, registryv1.Cooperative_STATE_UNSPECIFIED:
		a.Standing = fair.NotRegistered
	default:
		a.Standing = fair.Inactive
	}
}

func association(a *fair.Applicant, r *registryv1.Association) {
	a.Type = fair.Association
	a.DisplayName = display(r.GetDisplayName().GetAr(), r.GetDisplayName().GetFr())
	a.Women = r.GetCategory() == registryv1.Association_WOMEN
	a.Province, a.State = r.GetProvince(), r.GetState().String()
	switch r.GetState() {
	case registryv1.Association_DECLARED, registryv1.Association_ACTIVE:
		a.Standing = fair.Live
	case registryv1.Association_STATE_UNSPECIFIED:
		a.Standing = fair.NotRegistered
	default:
		a.Standing = fair.Inactive
	}
}

func enterprise(a *fair.Applicant, r *registryv1.Enterprise) {
	a.Type = fair.Enterprise
	a.DisplayName = display(r.GetDisplayName().GetAr(), r.GetDisplayName().GetFr())
	a.Province, a.Activity, a.State = r.GetProvince(), r.GetActivity(), r.GetState().String()
	switch r.GetState() {
	case registryv1.Enterprise_ACTIVE:
		a.Standing = fair.Live
	case registryv1.Enterprise_STATE_UNSPECIFIED:
		a.Standing = fair.NotRegistered
	default:
		a.Standing = fair.Inactive
	}
}

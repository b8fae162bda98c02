// Package registryclient maps what the registry knows about an applicant
// (whether it exists, its standing, its gender, province and craft) to the
// fair's Applicant. The transport (the caller's own token, deadline,
// retries while UNAVAILABLE, translation of the registry's statuses into
// this service's faults) is pkg/registryclient's.
package registryclient

import (
	"context"
	"crypto/tls"
	"fmt"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/registryclient"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/fair"
)

// Client looks applicants up in the registry through the shared client.
type Client struct{ c *registryclient.Client }

// New connects (lazily) to the registry at addr, with TLS when tlsCfg is
// set. timeout bounds each look-up, retries included.
func New(addr string, tlsCfg *tls.Config, timeout time.Duration) (*Client, error) {
	c, err := registryclient.New(addr, tlsCfg, timeout, registryclient.Options{
		Field: "exhibitor.applicant", Prefix: "APPLICANT", Noun: "applicants",
	})
	if err != nil {
		return nil, err
	}
	return &Client{c: c}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.c.Close() }

// Lookup reads the registrant named name (chambers/{c}/artisans/{id},
// …/cooperatives/…, …/associations/…, …/enterprises/…).
func (c *Client) Lookup(ctx context.Context, name string) (fair.Applicant, error) {
	n, err := c.c.Parse(name)
	if err != nil {
		return fair.Applicant{Name: name, Chamber: n.Chamber}, err
	}
	a := fair.Applicant{Name: name, Chamber: n.Chamber}
	r, err := c.c.Lookup(ctx, name)
	if err != nil {
		return a, err
	}
	return applicant(a, r)
}

// applicant reads the registry's facts into an applicant. The registry
// answers no artisan's name (personal data), so an artisan exhibitor is
// shown by its resource name until the fair's staff meet them.
func applicant(a fair.Applicant, r *registryv1.RegistrantStanding) (fair.Applicant, error) {
	a.Province, a.Activity, a.State, a.Women = r.GetProvince(), r.GetActivity(), r.GetState(), r.GetWomenQuota()
	a.DisplayName = r.GetDisplayName().GetFr()
	if a.DisplayName == "" {
		a.DisplayName = r.GetDisplayName().GetAr()
	}
	switch r.GetType() {
	case registryv1.RegistrantStanding_ARTISAN:
		a.Type, a.DisplayName, a.Gender = fair.Artisan, a.Name, fair.Male
		if a.Women {
			a.Gender = fair.Female
		}
	case registryv1.RegistrantStanding_COOPERATIVE:
		a.Type = fair.Cooperative
	case registryv1.RegistrantStanding_ASSOCIATION:
		a.Type = fair.Association
	case registryv1.RegistrantStanding_ENTERPRISE:
		a.Type = fair.Enterprise
	default:
		return a, &fault.UnavailableError{What: "registry", Err: fmt.Errorf("look up %s: no registrant type in the answer", a.Name)}
	}
	if a.DisplayName == "" {
		a.DisplayName = a.Name
	}
	switch r.GetStanding() {
	case registryv1.RegistrantStanding_LIVE:
		a.Standing = fair.Live
	case registryv1.RegistrantStanding_STRUCK_OFF:
		a.Standing = fair.StruckOff
	case registryv1.RegistrantStanding_INACTIVE:
		a.Standing = fair.Inactive
	default:
		a.Standing = fair.NotRegistered
	}
	return a, nil
}

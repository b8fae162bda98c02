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
	"strings"
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

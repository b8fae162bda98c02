// Package registrants checks, through the registry, that a registrant the
// desk records (a requester, a mediation party, a document's owner) exists
// and that the caller's chamber may see it. The transport (the caller's
// own token, deadline, retries while UNAVAILABLE, translation of the
// registry's statuses into this service's faults) is pkg/registryclient's;
// this adapter adds which request field named the registrant.
package registrants

import (
	"context"
	"crypto/tls"
	"errors"
	"maps"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/registryclient"
	"github.com/hirfa/hirfa/services/desk/internal/domain/card"
)

// Client looks registrants up in the registry.
type Client struct{ c *registryclient.Client }

// New connects (lazily) to the registry at addr, with TLS when tlsCfg is
// set. timeout bounds each look-up, retries included.
func New(addr string, tlsCfg *tls.Config, timeout time.Duration) (*Client, error) {
	c, err := registryclient.New(addr, tlsCfg, timeout, registryclient.Options{
		// The prefix makes app.ReasonRegistrantNotFound and …NotVisible.
		Field: "registrant", Prefix: "REGISTRANT", Noun: "registrants",
	})
	if err != nil {
		return nil, err
	}
	return &Client{c: c}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.c.Close() }

// Check looks name up; field is the request field that named it, carried
// in the error so the caller knows which registrant was refused. The
// domain has already checked the name's form and chamber.
func (c *Client) Check(ctx context.Context, field, name string) error {
	_, err := c.c.Lookup(ctx, name)
	return c.withField(field, err)
}

// withField adds the request field that named the registrant to a
// registry refusal.
func (c *Client) withField(field string, err error) error {
	var pe *fault.PreconditionError
	if errors.As(err, &pe) {
		meta := maps.Clone(pe.Meta)
		if meta == nil {
			meta = map[string]string{}
		}
		meta["request_field"] = field
		return &fault.PreconditionError{Reason: pe.Reason, Msg: field + ": " + pe.Msg, Meta: meta, Args: pe.Args}
	}
	return err
}

// Artisan reads an artisan's register facts for a card or an attestation
// (the caller's own token: the registry shows a chamber's staff their own
// artisans). field is the request field that named it.
func (c *Client) Artisan(ctx context.Context, field, name string) (card.Facts, error) {
	a, err := c.c.Artisan(ctx, name)
	if err != nil {
		return card.Facts{}, c.withField(field, err)
	}
	return card.Facts{
		State: a.GetState().String(), NIA: a.GetNia(),
		FullNameAr:    strings.TrimSpace(a.GetGivenNameAr() + " " + a.GetFamilyNameAr()),
		FullNameLatin: strings.TrimSpace(a.GetGivenNameLatin() + " " + a.GetFamilyNameLatin()),
		Category:      a.GetCategory().String(), Activity: a.GetActivity(),
		Updated: a.GetUpdateTime().AsTime(),
	}, nil
}

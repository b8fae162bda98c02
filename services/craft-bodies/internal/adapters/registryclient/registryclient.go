// Package registryclient reads the register for the census: one page of
// RegistrantService.ListRegistrantFacts at a time, with the caller's own
// token (pkg/registryclient carries it, bounds the call and turns the
// registry's statuses into this service's faults).
package registryclient

import (
	"context"
	"crypto/tls"
	"time"

	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/protomap"
	"github.com/hirfa/hirfa/pkg/registryclient"
	"github.com/hirfa/hirfa/pkg/resource"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/census"
)

// pageSize is the page the census asks for: large pages keep a province's
// census to a few round trips.
const pageSize = 500

// Client reads registration facts.
type Client struct{ c *registryclient.Client }

// New connects (lazily) to the registry at addr, with TLS when tlsCfg is
// set; timeout bounds each page, retries included.
func New(addr string, tlsCfg *tls.Config, timeout time.Duration) (*Client, error) {
	c, err := registryclient.New(addr, tlsCfg, timeout, registryclient.Options{
		Field: "name", Prefix: "REGISTRY", Collections: []string{"artisans"}, Noun: "artisans",
	})
	if err != nil {
		return nil, err
	}
	return &Client{c: c}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.c.Close() }

// Facts returns one page of the artisans of chamber practising craft (an
// activity code or a branch prefix) in province, in every state: the census
// counts those it leaves out by reason.
func (c *Client) Facts(ctx context.Context, chamber, craft, province, pageToken string) ([]census.Registrant, string, error) {
	resp, err := c.c.Facts(ctx, &registryv1.ListRegistrantFactsRequest{
		Parent: "chambers/" + chamber, Activity: craft, Province: province,
		PageSize: pageSize, PageToken: pageToken,
	})
	if err != nil {
		return nil, "", err
	}
	out := make([]census.Registrant, 0, len(resp.GetFacts()))
	for _, f := range resp.GetFacts() {
		r := census.Registrant{
			Name: f.GetName(), NIA: f.GetNia(), State: protomap.EnumName(f.GetState().String()),
			Category: protomap.EnumName(f.GetCategory().String()), Activity: f.GetActivity(), Province: f.GetProvince(),
			DisplayName: l10n.Text{AR: f.GetDisplayName().GetAr(), FR: f.GetDisplayName().GetFr()},
		}
		if t := f.GetRegisterTime(); t != nil {
			r.RegisterDate = resource.DateOf(t.AsTime())
		}
		out = append(out, r)
	}
	return out, resp.GetNextPageToken(), nil
}

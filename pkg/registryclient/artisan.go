package registryclient

import (
	"context"

	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
)

// Artisan reads an artisan's full record through GetArtisan with the
// caller's token, so the registry's own tenancy decides (a chamber's staff
// read their chamber's artisans): for a service that prints what the
// register holds (the desk's professional card). Failures are the caller's
// faults, as for Lookup.
func (c *Client) Artisan(ctx context.Context, name string) (*registryv1.Artisan, error) {
	if _, err := c.Parse(name); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	a, err := registryv1.NewArtisanServiceClient(c.conn).GetArtisan(ctx, &registryv1.GetArtisanRequest{Name: name})
	if err != nil {
		return nil, c.translate(name, err)
	}
	return a, nil
}

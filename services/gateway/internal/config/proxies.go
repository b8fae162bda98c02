package config

import (
	"net/netip"

	"github.com/hirfa/hirfa/pkg/ratelimit"
	"github.com/hirfa/hirfa/pkg/svcconfig"
)

// loadTrustedProxies reads HIRFA_TRUSTED_PROXIES: the CIDRs (or single
// addresses) of the ingress and load balancers whose X-Forwarded-For names
// the client. Empty: no proxy is trusted and limits key on the peer address.
func loadTrustedProxies(get svcconfig.Getenv, p *svcconfig.Problems) []netip.Prefix {
	v := svcconfig.Str(get, "HIRFA_TRUSTED_PROXIES", "")
	out, err := ratelimit.ParsePrefixes(v)
	if err != nil {
		p.Add("HIRFA_TRUSTED_PROXIES: %q is not a comma-separated list of CIDRs: %v", v, err)
	}
	return out
}

package svcconfig

import (
	"net"
	"net/url"
	"strings"
)

// Dev issuer modes (HIRFA_AUTH_DEV). The dev issuer signs with a key file
// anyone on the machine can read, so it is never the silent fallback of a
// missing HIRFA_AUTH_JWKS_URL: it must be asked for.
const (
	// DevOff: tokens are verified against HIRFA_AUTH_JWKS_URL.
	DevOff = ""
	// DevLocal ("true"): the embedded default, `make up` and tests. Only on
	// loopback listen addresses and with SQLite or a loopback PostgreSQL.
	DevLocal = "true"
	// DevDemo ("demo"): a try-out cluster (the chart's global.auth.demo).
	// Any listen address, but SQLite only: never a shared database.
	DevDemo = "demo"
)

// loadDevMode reads HIRFA_AUTH_DEV and checks it against the JWKS URL.
func loadDevMode(get Getenv, p *Problems, jwksURL string) string {
	mode := strings.ToLower(Str(get, "HIRFA_AUTH_DEV", ""))
	switch mode {
	case "", "false":
		mode = DevOff
	case DevLocal, DevDemo:
	default:
		p.Add("HIRFA_AUTH_DEV: must be true (local dev issuer), demo (try-out cluster) or false, got %q", mode)
		return DevOff
	}
	switch {
	case mode == DevOff && jwksURL == "":
		p.Add("HIRFA_AUTH_JWKS_URL: required (the OIDC issuer's JWKS); for the local dev issuer set HIRFA_AUTH_DEV=true instead")
	case mode != DevOff && jwksURL != "":
		p.Add("HIRFA_AUTH_DEV=%s and HIRFA_AUTH_JWKS_URL are both set: choose the OIDC issuer or the dev issuer", mode)
	}
	return mode
}

// CheckDevScope refuses the dev issuer where it would guard real data: a
// PostgreSQL database off this machine (or any PostgreSQL in demo mode) and,
// in local mode, a listen address reachable from other machines.
// databaseURL may be empty (the edge has no database).
func (a Auth) CheckDevScope(p *Problems, databaseURL string, listen map[string]string) {
	if a.DevMode == DevOff {
		return
	}
	if strings.HasPrefix(databaseURL, "postgres://") || strings.HasPrefix(databaseURL, "postgresql://") {
		u, err := url.Parse(databaseURL)
		switch {
		case a.DevMode == DevDemo:
			p.Add("HIRFA_AUTH_DEV=demo: refused with a PostgreSQL database (demo mode is for SQLite try-outs only)")
		case err != nil || !loopbackHost(u.Hostname()):
			p.Add("HIRFA_AUTH_DEV=true: refused with a PostgreSQL database that is not on loopback; set HIRFA_AUTH_JWKS_URL")
		}
	}
	if a.DevMode != DevLocal {
		return
	}
	for key, addr := range listen {
		host, _, err := net.SplitHostPort(addr)
		if addr != "" && (err != nil || !loopbackHost(host)) {
			p.Add("%s: %q is not a loopback address; the local dev issuer (HIRFA_AUTH_DEV=true) serves loopback only", key, addr)
		}
	}
}

// loopbackHost reports whether host names this machine only. An empty host
// (":9101") listens on every interface, so it is not loopback.
func loopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

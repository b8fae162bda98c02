package svcconfig

import (
	"crypto/x509"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/auth/mtls/mtlstest"
)

// TestClientTLS: without HIRFA_TLS_* a peer is called in plaintext (nil);
// with them, the service's own certificate and the peer's server name;
// unreadable files are an error naming the peer.
func TestClientTLS(t *testing.T) {
	if cfg, err := (Common{}).ClientTLS("registry", "registry.hirfa.internal"); cfg != nil || err != nil {
		t.Fatalf("TLS off: got %v, %v; want nil, nil", cfg, err)
	}
	dir := t.TempDir()
	ca := mtlstest.NewCA(t, dir, "platform")
	cert, key := ca.Issue("events-and-fairs", x509.ExtKeyUsageClientAuth, nil)
	c := Common{TLSCertFile: cert, TLSKeyFile: key, TLSCAFile: ca.Path("ca.pem")}
	cfg, err := c.ClientTLS("registry", "registry.hirfa.internal")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ServerName != "registry.hirfa.internal" || cfg.RootCAs == nil {
		t.Fatalf("client TLS: server name %q, roots %v", cfg.ServerName, cfg.RootCAs)
	}
	c.TLSKeyFile = dir + "/missing.pem"
	if _, err := c.ClientTLS("registry", "registry.hirfa.internal"); err == nil || !strings.HasPrefix(err.Error(), "registry client tls: ") {
		t.Fatalf("missing key: got %v, want an error naming the registry", err)
	}
}

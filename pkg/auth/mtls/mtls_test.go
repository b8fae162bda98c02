package mtls

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

const serverName = "registry.hirfa.internal"

// ca is a test certificate authority that writes PEM files to a directory.
type ca struct {
	t    *testing.T
	dir  string
	name string
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func newCA(t *testing.T, dir, name string) *ca {
	t.Helper()
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber:          serial(t),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	c := &ca{t: t, dir: dir, name: name, cert: cert, key: key}
	writePEM(t, c.path("ca.pem"), "CERTIFICATE", der)
	return c
}

func (c *ca) path(name string) string { return filepath.Join(c.dir, c.name+"-"+name) }

// issue writes <name>.pem and <name>-key.pem for a leaf certificate and
// returns their paths.
func (c *ca) issue(name string, usage x509.ExtKeyUsage, dns []string, uris ...string) (certFile, keyFile string) {
	c.t.Helper()
	key := newKey(c.t)
	tmpl := &x509.Certificate{
		SerialNumber: serial(c.t),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
		DNSNames:     dns,
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	for _, u := range uris {
		parsed, err := url.Parse(u)
		if err != nil {
			c.t.Fatal(err)
		}
		tmpl.URIs = append(tmpl.URIs, parsed)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.cert, &key.PublicKey, c.key)
	if err != nil {
		c.t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		c.t.Fatal(err)
	}
	certFile, keyFile = c.path(name+".pem"), c.path(name+"-key.pem")
	writePEM(c.t, certFile, "CERTIFICATE", der)
	writePEM(c.t, keyFile, "PRIVATE KEY", keyDER)
	return certFile, keyFile
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func serial(t *testing.T) *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func writePEM(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// startServer runs a real gRPC server with the health service on
// 127.0.0.1:0 behind ServerConfig. Each call's PeerIdentity is sent on
// identities.
func startServer(t *testing.T, root *ca, identities chan<- string) string {
	t.Helper()
	certFile, keyFile := root.issue("registry", x509.ExtKeyUsageServerAuth, []string{serverName})
	cfg, err := ServerConfig(certFile, keyFile, root.path("ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer(
		grpc.Creds(credentials.NewTLS(cfg)),
		grpc.UnaryInterceptor(func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
			id, _ := PeerIdentity(ctx)
			select {
			case identities <- id:
			default:
			}
			return h(ctx, req)
		}),
	)
	healthpb.RegisterHealthServer(srv, health.NewServer())
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return lis.Addr().String()
}

func check(t *testing.T, addr string, cfg *tls.Config) error {
	t.Helper()
	cc, err := grpc.NewClient(addr, grpc.WithTransportCredentials(credentials.NewTLS(cfg)))
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := healthpb.NewHealthClient(cc).Check(ctx, &healthpb.HealthCheckRequest{})
	if err == nil && resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("health = %v", resp.GetStatus())
	}
	return err
}

func TestMutualTLS(t *testing.T) {
	dir := t.TempDir()
	root := newCA(t, dir, "hirfa")
	other := newCA(t, dir, "elsewhere")
	identities := make(chan string, 1)
	addr := startServer(t, root, identities)

	gwCert, gwKey := root.issue("gateway", x509.ExtKeyUsageClientAuth, []string{"gateway.hirfa.internal"}, "spiffe://hirfa/ns/hirfa/sa/gateway")
	dnsCert, dnsKey := root.issue("reporting", x509.ExtKeyUsageClientAuth, []string{"reporting.hirfa.internal"})
	serverOnlyCert, serverOnlyKey := root.issue("not-a-client", x509.ExtKeyUsageServerAuth, []string{"x.hirfa.internal"})
	strangerCert, strangerKey := other.issue("stranger", x509.ExtKeyUsageClientAuth, []string{"gateway.hirfa.internal"})

	clientConfig := func(certFile, keyFile, caFile, name string) *tls.Config {
		cfg, err := ClientConfig(certFile, keyFile, caFile, name)
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	noCert := clientConfig(gwCert, gwKey, root.path("ca.pem"), serverName)
	noCert.Certificates = nil
	tls12 := clientConfig(gwCert, gwKey, root.path("ca.pem"), serverName)
	tls12.MinVersion, tls12.MaxVersion = tls.VersionTLS12, tls.VersionTLS12

	tests := []struct {
		name     string
		cfg      *tls.Config
		ok       bool
		identity string
	}{
		{"client cert from the CA, URI SAN", clientConfig(gwCert, gwKey, root.path("ca.pem"), serverName), true, "spiffe://hirfa/ns/hirfa/sa/gateway"},
		{"client cert from the CA, DNS SAN", clientConfig(dnsCert, dnsKey, root.path("ca.pem"), serverName), true, "reporting.hirfa.internal"},
		{"no client certificate", noCert, false, ""},
		{"client cert from another CA", clientConfig(strangerCert, strangerKey, root.path("ca.pem"), serverName), false, ""},
		{"certificate not for client auth", clientConfig(serverOnlyCert, serverOnlyKey, root.path("ca.pem"), serverName), false, ""},
		{"client does not trust the server's CA", clientConfig(gwCert, gwKey, other.path("ca.pem"), serverName), false, ""},
		{"wrong server name", clientConfig(gwCert, gwKey, root.path("ca.pem"), "events.hirfa.internal"), false, ""},
		{"TLS 1.2 client", tls12, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := check(t, addr, tt.cfg)
			if !tt.ok {
				if err == nil {
					t.Fatal("call succeeded, want refused")
				}
				if code := status.Code(err); code != codes.Unavailable {
					t.Fatalf("code = %s (%v), want Unavailable", code, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("mTLS call failed: %v", err)
			}
			if got := <-identities; got != tt.identity {
				t.Errorf("PeerIdentity = %q, want %q", got, tt.identity)
			}
		})
	}
}

func TestPeerIdentityWithoutTLS(t *testing.T) {
	if id, ok := PeerIdentity(context.Background()); ok || id != "" {
		t.Fatalf("PeerIdentity without a peer = %q, %v", id, ok)
	}
}

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	root := newCA(t, dir, "hirfa")
	certFile, keyFile := root.issue("svc", x509.ExtKeyUsageServerAuth, []string{serverName})
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("nothing here"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		build   func() error
		wantErr string
	}{
		{"missing cert", func() error {
			_, err := ServerConfig(filepath.Join(dir, "nope.pem"), keyFile, root.path("ca.pem"))
			return err
		}, "load key pair"},
		{"key does not match cert", func() error { _, err := ServerConfig(certFile, root.path("ca.pem"), root.path("ca.pem")); return err }, "load key pair"},
		{"missing CA", func() error { _, err := ServerConfig(certFile, keyFile, filepath.Join(dir, "nope.pem")); return err }, "read CA"},
		{"CA without certificates", func() error { _, err := ClientConfig(certFile, keyFile, notPEM, serverName); return err }, "no PEM certificate"},
		{"client without server name", func() error { _, err := ClientConfig(certFile, keyFile, root.path("ca.pem"), ""); return err }, "server name is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.build()
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
	cfg, err := ServerConfig(certFile, keyFile, root.path("ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MinVersion != tls.VersionTLS13 || cfg.ClientAuth != tls.RequireAndVerifyClientCert {
		t.Fatalf("server config: min %#x, client auth %v", cfg.MinVersion, cfg.ClientAuth)
	}
}

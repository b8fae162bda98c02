package mtls

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
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

	"github.com/hirfa/hirfa/pkg/auth/mtls/mtlstest"
)

const serverName = "registry.hirfa.internal"

// startServer runs a real gRPC server with the health service on
// 127.0.0.1:0 behind ServerConfig. Each call's PeerIdentity is sent on
// identities.
func startServer(t *testing.T, root *mtlstest.CA, identities chan<- string) string {
	t.Helper()
	certFile, keyFile := root.Issue("registry", x509.ExtKeyUsageServerAuth, []string{serverName})
	cfg, err := ServerConfig(certFile, keyFile, root.Path("ca.pem"))
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
	root := mtlstest.NewCA(t, dir, "hirfa")
	other := mtlstest.NewCA(t, dir, "elsewhere")
	identities := make(chan string, 1)
	addr := startServer(t, root, identities)

	gwCert, gwKey := root.Issue("gateway", x509.ExtKeyUsageClientAuth, []string{"gateway.hirfa.internal"}, "spiffe://hirfa/ns/hirfa/sa/gateway")
	dnsCert, dnsKey := root.Issue("reporting", x509.ExtKeyUsageClientAuth, []string{"reporting.hirfa.internal"})
	serverOnlyCert, serverOnlyKey := root.Issue("not-a-client", x509.ExtKeyUsageServerAuth, []string{"x.hirfa.internal"})
	strangerCert, strangerKey := other.Issue("stranger", x509.ExtKeyUsageClientAuth, []string{"gateway.hirfa.internal"})

	clientConfig := func(certFile, keyFile, caFile, name string) *tls.Config {
		cfg, err := ClientConfig(certFile, keyFile, caFile, name)
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	noCert := clientConfig(gwCert, gwKey, root.Path("ca.pem"), serverName)
	noCert.Certificates = nil
	tls12 := clientConfig(gwCert, gwKey, root.Path("ca.pem"), serverName)
	tls12.MinVersion, tls12.MaxVersion = tls.VersionTLS12, tls.VersionTLS12

	tests := []struct {
		name     string
		cfg      *tls.Config
		ok       bool
		identity string
	}{
		{"client cert from the CA, URI SAN", clientConfig(gwCert, gwKey, root.Path("ca.pem"), serverName), true, "spiffe://hirfa/ns/hirfa/sa/gateway"},
		{"client cert from the CA, DNS SAN", clientConfig(dnsCert, dnsKey, root.Path("ca.pem"), serverName), true, "reporting.hirfa.internal"},
		{"no client certificate", noCert, false, ""},
		{"client cert from another CA", clientConfig(strangerCert, strangerKey, root.Path("ca.pem"), serverName), false, ""},
		{"certificate not for client auth", clientConfig(serverOnlyCert, serverOnlyKey, root.Path("ca.pem"), serverName), false, ""},
		{"client does not trust the server's CA", clientConfig(gwCert, gwKey, other.Path("ca.pem"), serverName), false, ""},
		{"wrong server name", clientConfig(gwCert, gwKey, root.Path("ca.pem"), "events.hirfa.internal"), false, ""},
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
	root := mtlstest.NewCA(t, dir, "hirfa")
	certFile, keyFile := root.Issue("svc", x509.ExtKeyUsageServerAuth, []string{serverName})
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
			_, err := ServerConfig(filepath.Join(dir, "nope.pem"), keyFile, root.Path("ca.pem"))
			return err
		}, "load key pair"},
		{"key does not match cert", func() error { _, err := ServerConfig(certFile, root.Path("ca.pem"), root.Path("ca.pem")); return err }, "load key pair"},
		{"missing CA", func() error { _, err := ServerConfig(certFile, keyFile, filepath.Join(dir, "nope.pem")); return err }, "read CA"},
		{"CA without certificates", func() error { _, err := ClientConfig(certFile, keyFile, notPEM, serverName); return err }, "no PEM certificate"},
		{"client without server name", func() error { _, err := ClientConfig(certFile, keyFile, root.Path("ca.pem"), ""); return err }, "server name is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.build()
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
	cfg, err := ServerConfig(certFile, keyFile, root.Path("ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MinVersion != tls.VersionTLS13 || cfg.ClientAuth != tls.RequireAndVerifyClientCert {
		t.Fatalf("server config: min %#x, client auth %v", cfg.MinVersion, cfg.ClientAuth)
	}
}

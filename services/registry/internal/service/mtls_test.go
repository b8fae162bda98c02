package service

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	"github.com/hirfa/hirfa/pkg/auth/mtls"
	"github.com/hirfa/hirfa/pkg/auth/mtls/mtlstest"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
)

// TestMutualTLS: with HIRFA_TLS_* set, the registry only talks to callers
// presenting a certificate from the platform CA.
func TestMutualTLS(t *testing.T) {
	dir := t.TempDir()
	root := mtlstest.NewCA(t, dir, "platform")
	srvCert, srvKey := root.Issue("registry", x509.ExtKeyUsageServerAuth, []string{"registry.hirfa.internal"})
	cliCert, cliKey := root.Issue("gateway", x509.ExtKeyUsageClientAuth, nil)
	rogue := mtlstest.NewCA(t, dir, "rogue")
	rogueCert, rogueKey := rogue.Issue("intruder", x509.ExtKeyUsageClientAuth, nil)

	cfg, err := Load(func(k string) string {
		return map[string]string{
			"HIRFA_DATABASE_URL": "sqlite://" + filepath.Join(dir, "r.db"), "HIRFA_AUTH_DEV_KEY_FILE": filepath.Join(dir, "dev.pem"), "HIRFA_AUTH_DEV": "true",
			"HIRFA_TLS_CERT_FILE": srvCert, "HIRFA_TLS_KEY_FILE": srvKey, "HIRFA_TLS_CA_FILE": root.Path("ca.pem"),
		}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	svc, err := New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = svc.Serve(ctx, lis) }()

	call := func(c *tls.Config) error {
		conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(credentials.NewTLS(c)))
		if err != nil {
			return err
		}
		defer conn.Close()
		cctx, ccancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer ccancel()
		_, err = registryv1.NewReferenceServiceClient(conn).GetChamber(cctx, &registryv1.GetChamberRequest{Name: "chambers/fes-meknes"})
		return err
	}
	good, err := mtls.ClientConfig(cliCert, cliKey, root.Path("ca.pem"), "registry.hirfa.internal")
	if err != nil {
		t.Fatal(err)
	}
	if err := call(good); err != nil {
		t.Fatalf("client with a platform certificate: %v", err)
	}
	noCert := good.Clone()
	noCert.Certificates, noCert.GetClientCertificate = nil, nil
	if err := call(noCert); err == nil {
		t.Fatal("a client without a certificate was served")
	}
	other, err := mtls.ClientConfig(rogueCert, rogueKey, root.Path("ca.pem"), "registry.hirfa.internal")
	if err != nil {
		t.Fatal(err)
	}
	if err := call(other); err == nil {
		t.Fatal("a client certificate from another CA was accepted")
	}
}

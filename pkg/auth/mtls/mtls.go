// Package mtls builds the TLS configurations for service-to-service calls
// when mutual TLS is configured: TLS 1.3 only, both sides presenting
// certificates issued by the cluster's CA.
//
// mTLS authenticates the calling workload; the calling user still travels
// as a bearer token (see package auth). PeerIdentity exposes the verified
// workload identity to handlers that want it.
package mtls

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/peer"
)

// ServerConfig returns a server configuration that presents certFile/keyFile
// and requires every client to present a certificate, valid for client
// authentication, that chains to a CA in caFile.
func ServerConfig(certFile, keyFile, caFile string) (*tls.Config, error) {
	cert, pool, err := load(certFile, keyFile, caFile)
	if err != nil {
		return nil, fmt.Errorf("mtls server config: %w", err)
	}
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    pool,
	}, nil
}

// ClientConfig returns a client configuration that presents certFile/keyFile
// and accepts only a server certificate for serverName chaining to a CA in
// caFile.
func ClientConfig(certFile, keyFile, caFile, serverName string) (*tls.Config, error) {
	if serverName == "" {
		return nil, errors.New("mtls client config: server name is required")
	}
	cert, pool, err := load(certFile, keyFile, caFile)
	if err != nil {
		return nil, fmt.Errorf("mtls client config: %w", err)
	}
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{cert},
		RootCAs:      pool,
		ServerName:   serverName,
	}, nil
}

func load(certFile, keyFile, caFile string) (tls.Certificate, *x509.CertPool, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("load key pair: %w", err)
	}
	caPEM, err := os.ReadFile(caFile)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("read CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return tls.Certificate{}, nil, fmt.Errorf("read CA %s: no PEM certificate", caFile)
	}
	return cert, pool, nil
}

// PeerIdentity returns the identity of the gRPC peer's verified client
// certificate: its first URI SAN (e.g. a SPIFFE id), else its first DNS
// SAN, else its subject common name. It reports false unless the peer
// presented a certificate that verified against the configured CAs.
func PeerIdentity(ctx context.Context) (string, bool) {
	p, ok := peer.FromContext(ctx)
	if !ok {
		return "", false
	}
	info, ok := p.AuthInfo.(credentials.TLSInfo)
	if !ok || len(info.State.VerifiedChains) == 0 || len(info.State.VerifiedChains[0]) == 0 {
		return "", false
	}
	leaf := info.State.VerifiedChains[0][0]
	switch {
	case len(leaf.URIs) > 0:
		return leaf.URIs[0].String(), true
	case len(leaf.DNSNames) > 0:
		return leaf.DNSNames[0], true
	case leaf.Subject.CommonName != "":
		return leaf.Subject.CommonName, true
	}
	return "", false
}

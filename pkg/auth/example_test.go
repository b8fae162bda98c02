package auth_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"google.golang.org/grpc"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
)

// Example wires a service the way the embedded default does: a dev issuer
// key under ./var, a verifier over its key, and the interceptors on the
// gRPC server and on clients to downstream services. In production the
// VerifierConfig names the OIDC issuer and an auth.NewJWKS key source.
func Example() {
	dir, err := os.MkdirTemp("", "hirfa-auth-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	issuer, err := devissuer.Load(filepath.Join(dir, "var", "dev-issuer.pem"))
	if err != nil {
		fmt.Println(err)
		return
	}
	verifier, err := auth.NewVerifier(issuer.VerifierConfig())
	if err != nil {
		fmt.Println(err)
		return
	}

	public := func(fullMethod string) bool {
		return fullMethod == "/hirfa.registry.v1.RegistryService/CheckNameAvailability"
	}
	server := grpc.NewServer(
		grpc.ChainUnaryInterceptor(auth.UnaryServerInterceptor(verifier, public)),
		grpc.ChainStreamInterceptor(auth.StreamServerInterceptor(verifier, public)),
	)
	defer server.Stop()
	// Connections to downstream services forward the caller's token.
	_ = []grpc.DialOption{
		grpc.WithChainUnaryInterceptor(auth.UnaryClientInterceptor()),
		grpc.WithChainStreamInterceptor(auth.StreamClientInterceptor()),
	}

	token, err := issuer.Issue(devissuer.Claims{Subject: "clerk-1", Role: auth.RoleChamberClerk, Chamber: "fes-meknes"})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := verifier.Verify(context.Background(), token)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Subject, p.Role, p.Chamber, p.National())
	// Output: clerk-1 chamber-clerk fes-meknes false
}

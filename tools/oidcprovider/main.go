// Command oidcprovider is the OpenID provider the console's sign-in test
// runs against: zitadel/oidc's provider (package op: discovery,
// authorization code with PKCE, token endpoint, JWKS) with the login page
// and in-memory storage of that module's example server, and this
// project's users. The only changes to the example are the ones Hirfa's
// verifier needs: the console's client gets JWT access tokens (the edge
// verifies them with the provider's JWKS), and those tokens carry the
// user's hirfa_role and hirfa_chamber claims.
//
// It is a test tool, built outside the workspace by tools/dev/oidc.sh:
//
//	oidcprovider -users users.json -client hirfa-console -secret S \
//	  -redirect https://127.0.0.1:PORT/console/oidc/callback
//
// It prints "issuer <url>" on its first output line once it listens.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"

	"golang.org/x/text/language"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// user is one line of the users file.
type user struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Password string `json:"password"`
	Role     string `json:"role"`
	Chamber  string `json:"chamber,omitempty"`
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	usersFile := flag.String("users", "", "JSON array of {id, username, password, role, chamber}")
	client := flag.String("client", "hirfa-console", "the console's client id")
	secret := flag.String("secret", "", "the console's client secret")
	redirect := flag.String("redirect", "", "the console's redirect URIs, comma separated")
	flag.Parse()
	if err := run(*addr, *usersFile, *client, *secret, strings.Split(*redirect, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "oidcprovider:", err)
		os.Exit(1)
	}
}

func run(addr, usersFile, client, secret string, redirects []string) error {
	b, err := os.ReadFile(usersFile)
	if err != nil {
		return err
	}
	var list []user
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("%s: %w", usersFile, err)
	}
	us := users{byID: map[string]user{}}
	for _, u := range list {
		us.byID[u.ID] = u
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	issuer := "http://" + ln.Addr().String() + "/"
	storage.RegisterClients(storage.WebClient(client, secret, redirects...))
	st := provider{Storage: storage.NewStorage(us), users: us, client: client}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	router := exampleop.SetupServer(issuer, st, log, false)
	fmt.Println("issuer", issuer)
	return http.Serve(ln, router)
}

// users is the example storage's UserStore over the users file.
type users struct{ byID map[string]user }

func (us users) GetUserByID(id string) *storage.User {
	u, ok := us.byID[id]
	if !ok {
		return nil
	}
	return &storage.User{ID: u.ID, Username: u.Username, Password: u.Password, FirstName: u.Username,
		LastName: u.Role, Email: u.Username, EmailVerified: true, PreferredLanguage: language.French}
}

func (us users) GetUserByUsername(name string) *storage.User {
	for _, u := range us.byID {
		if u.Username == name {
			return us.GetUserByID(u.ID)
		}
	}
	return nil
}

// ExampleClientID names the example's service account (JWT profile
// grant), which Hirfa does not use.
func (us users) ExampleClientID() string { return "service" }

// provider is the example storage with Hirfa's access tokens.
type provider struct {
	*storage.Storage
	users  users
	client string
}

// GetClientByClientID gives the console's client JWT access tokens.
func (p provider) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := p.Storage.GetClientByClientID(ctx, id)
	if err != nil || id != p.client {
		return c, err
	}
	return jwtClient{c}, nil
}

type jwtClient struct{ op.Client }

func (jwtClient) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeJWT }

// GetPrivateClaimsFromScopes adds the user's role and chamber to the
// console's access tokens.
func (p provider) GetPrivateClaimsFromScopes(ctx context.Context, userID, clientID string, scopes []string) (map[string]any, error) {
	claims, err := p.Storage.GetPrivateClaimsFromScopes(ctx, userID, clientID, scopes)
	if err != nil || clientID != p.client {
		return claims, err
	}
	u, ok := p.users.byID[userID]
	if !ok {
		return nil, fmt.Errorf("unknown user %q", userID)
	}
	if claims == nil {
		claims = map[string]any{}
	}
	claims["hirfa_role"] = u.Role
	if u.Chamber != "" {
		claims["hirfa_chamber"] = u.Chamber
	}
	return claims, nil
}

// Command hirfactl is the operator's command line for the embedded default.
//
//	hirfactl token issue --chamber fes-meknes --role chamber-clerk --subject clerk@fes [--ttl 12h] [--key var/dev-issuer.pem]
//	hirfactl token demo        prints the demo tokens make run shows
//
// Tokens are signed by the local dev issuer, whose key the services read
// from the same file (HIRFA_AUTH_DEV_KEY_FILE). Production uses an OIDC
// issuer instead; this command cannot mint tokens for it.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "hirfactl:", err)
		os.Exit(2)
	}
}

const usage = "usage: hirfactl token issue --role ROLE [--chamber ID] --subject SUBJECT [--ttl 12h] [--key FILE]\n       hirfactl token demo [--key FILE]"

func run(args []string, out io.Writer) error {
	if len(args) < 2 || args[0] != "token" {
		return errors.New(usage)
	}
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	key := fs.String("key", envOr("HIRFA_AUTH_DEV_KEY_FILE", "var/dev-issuer.pem"), "dev issuer key file")
	role := fs.String("role", "", "ministry | federation | chamber-admin | chamber-clerk | auditor")
	chamber := fs.String("chamber", "", "chamber id for chamber roles, e.g. fes-meknes")
	subject := fs.String("subject", "", "who the token is for")
	ttl := fs.Duration("ttl", 12*time.Hour, "lifetime")
	if err := fs.Parse(args[2:]); err != nil {
		return err
	}
	iss, err := devissuer.Load(*key)
	if err != nil {
		return err
	}
	switch args[1] {
	case "issue":
		tok, err := iss.Issue(devissuer.Claims{Subject: *subject, Role: auth.Role(*role), Chamber: *chamber, TTL: *ttl})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(out, tok)
		return err
	case "demo":
		for _, d := range DemoPrincipals {
			tok, err := iss.Issue(devissuer.Claims{Subject: d.Subject, Role: d.Role, Chamber: d.Chamber, TTL: 12 * time.Hour})
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "export %s=%s\n", d.Var, tok)
		}
		return nil
	}
	return errors.New(usage)
}

// DemoPrincipals are the identities `make run` prints tokens for.
var DemoPrincipals = []struct {
	Var, Subject, Chamber string
	Role                  auth.Role
}{
	{"MINISTRY_TOKEN", "reader@ministry.gov.ma", "", auth.RoleMinistry},
	{"FES_CLERK_TOKEN", "clerk@fes-meknes.ca.ma", "fes-meknes", auth.RoleChamberClerk},
	{"MARRAKECH_CLERK_TOKEN", "clerk@marrakech-safi.ca.ma", "marrakech-safi", auth.RoleChamberClerk},
	{"FES_ADMIN_TOKEN", "admin@fes-meknes.ca.ma", "fes-meknes", auth.RoleChamberAdmin},
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

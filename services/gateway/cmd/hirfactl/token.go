package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
)

func newTokenCmd(e env) *cobra.Command {
	var key string
	tok := &cobra.Command{
		Use:   "token",
		Short: "Mint tokens from the local dev issuer (embedded default and try-out clusters only)",
		Long: "Mint tokens signed by the local dev issuer, whose key the services read from the same file\n" +
			"(HIRFA_AUTH_DEV_KEY_FILE). Production uses an OIDC issuer; these commands cannot mint tokens for it.",
	}
	tok.PersistentFlags().StringVar(&key, "key", e.or("HIRFA_AUTH_DEV_KEY_FILE", "var/dev-issuer.pem"), "dev issuer key file (env HIRFA_AUTH_DEV_KEY_FILE)")

	var role, chamber, subject string
	var ttl time.Duration
	issue := &cobra.Command{
		Use:   "issue --role ROLE [--chamber ID] --subject SUBJECT [--ttl 12h]",
		Short: "Print one token",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			iss, err := devissuer.Load(key)
			if err != nil {
				return err
			}
			t, err := iss.Issue(devissuer.Claims{Subject: subject, Role: auth.Role(role), Chamber: chamber, TTL: ttl})
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), t)
			return err
		},
	}
	issue.Flags().StringVar(&role, "role", "", "ministry | federation | chamber-admin | chamber-clerk | auditor | odco-officer")
	issue.Flags().StringVar(&chamber, "chamber", "", "chamber id for chamber roles, e.g. fes-meknes")
	issue.Flags().StringVar(&subject, "subject", "", "who the token is for")
	issue.Flags().DurationVar(&ttl, "ttl", 12*time.Hour, "lifetime")
	_ = issue.RegisterFlagCompletionFunc("role", cobra.FixedCompletions(
		[]string{"ministry", "federation", "chamber-admin", "chamber-clerk", "auditor", "odco-officer"}, cobra.ShellCompDirectiveNoFileComp))

	demo := &cobra.Command{
		Use:   "demo",
		Short: "Print the demo tokens make run shows, as export lines",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			iss, err := devissuer.Load(key)
			if err != nil {
				return err
			}
			for _, d := range DemoPrincipals {
				t, err := iss.Issue(devissuer.Claims{Subject: d.Subject, Role: d.Role, Chamber: d.Chamber, TTL: 12 * time.Hour})
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "export %s=%s\n", d.Var, t)
			}
			return nil
		},
	}
	tok.AddCommand(issue, demo)
	return tok
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
	{"ODCO_TOKEN", "officer@odco.gov.ma", "", auth.RoleODCOOfficer},
}

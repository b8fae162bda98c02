// Command hirfactl is the operator's and integrator's command line for a
// running Hirfa platform:
//
//	hirfactl token issue --role ROLE [--chamber ID] --subject SUBJECT [--ttl 12h] [--key FILE]
//	hirfactl token demo [--key FILE]
//	hirfactl get chambers/fes-meknes/cooperatives/ID [-o json|table]
//	hirfactl list chambers/fes-meknes/cooperatives [--filter EXPR] [--page-size N] [--all] [-o json|table]
//	hirfactl deadletters list [--all] [-o json|table]
//	hirfactl deadletters replay deadLetters/ID
//	hirfactl duplicates list [--chamber ID|-] [--state OPEN] [--min-score N] [--all] [-o json|table]
//	hirfactl duplicates dismiss chambers/ID/duplicateCandidates/ID --reason TEXT
//	hirfactl completion bash|zsh|fish
//	hirfactl version
//
// get, list, deadletters and duplicates go through the REST edge (--server, HIRFA_SERVER) with a
// bearer token (--token, HIRFA_TOKEN). Tokens are signed by the local dev
// issuer, whose key the services read from the same file
// (HIRFA_AUTH_DEV_KEY_FILE). Production uses an OIDC issuer instead; token
// cannot mint tokens for it.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/spf13/cobra"
)

var version = "dev"

func main() {
	cmd := newRoot(env{getenv: os.Getenv, client: http.DefaultClient}, os.Stdout, os.Stderr)
	if err := cmd.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "hirfactl:", err)
		os.Exit(1)
	}
}

// env is what the commands take from the process, so tests can replace it.
type env struct {
	getenv func(string) string
	client *http.Client
}

func (e env) or(key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}

// newRoot builds the command tree.
func newRoot(e env, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "hirfactl",
		Short:         "Hirfa's command line: tokens, and reading, importing and replaying through the REST edge",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetVersionTemplate("hirfactl {{.Version}}\n")
	rc := &restClient{client: e.client}
	root.PersistentFlags().StringVar(&rc.server, "server", e.or("HIRFA_SERVER", "http://127.0.0.1:8080"), "REST edge base URL (env HIRFA_SERVER)")
	// Not defaulted from HIRFA_TOKEN: --help would print the token.
	root.PersistentFlags().StringVar(&rc.token, "token", "", "bearer token (default: env HIRFA_TOKEN)")
	rc.envToken = func() string { return e.getenv("HIRFA_TOKEN") }
	root.AddCommand(newTokenCmd(e), newGetCmd(rc), newListCmd(rc), newDeadLettersCmd(rc), newDuplicatesCmd(rc), newImportCmd(rc), &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), "hirfactl", version)
			return err
		},
	})
	return root
}

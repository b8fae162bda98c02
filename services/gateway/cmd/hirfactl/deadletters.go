package main

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
)

// deadLetterName matches reporting's dead-letter names (a Redis entry id).
var deadLetterName = regexp.MustCompile(`^deadLetters/[0-9]+-[0-9]+$`)

// newDeadLettersCmd lists and replays the events the reporting consumer
// parked (GET /v1/deadLetters, POST /v1/deadLetters/{id}:replay).
func newDeadLettersCmd(c *restClient) *cobra.Command {
	root := &cobra.Command{
		Use:   "deadletters",
		Short: "List and replay the events reporting's consumer gave up on",
	}
	var output string
	var pageSize int
	var all bool
	list := &cobra.Command{
		Use:     "list",
		Short:   "List dead letters (a chamber role sees its chamber's)",
		Example: "  hirfactl deadletters list --all -o table",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkOutput(output); err != nil {
				return err
			}
			items, next, err := fetchPages(cmd.Context(), c, "/v1/deadLetters", "deadLetters", nil, pageSize, "", all)
			if err != nil {
				return err
			}
			return printPage(cmd, output, "deadLetters", items, next, "more results: --all")
		},
	}
	list.Flags().IntVar(&pageSize, "page-size", 0, "results per page (0: the service's default)")
	list.Flags().BoolVar(&all, "all", false, "follow next_page_token to the last page")
	addOutputFlag(list, &output, "table")

	var replayOutput string
	replay := &cobra.Command{
		Use:     "replay NAME",
		Short:   "Apply a dead letter again (after a fix) and remove it: deadLetters/ID or ID",
		Example: "  hirfactl deadletters replay deadLetters/1764250000000-0",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(replayOutput); err != nil {
				return err
			}
			name := strings.TrimPrefix(strings.Trim(args[0], "/"), "v1/")
			if !strings.HasPrefix(name, "deadLetters/") {
				name = "deadLetters/" + name
			}
			if !deadLetterName.MatchString(name) {
				return fmt.Errorf("%q is not a dead letter name (deadLetters/<ms>-<seq>, as list shows)", args[0])
			}
			res, err := c.send(cmd.Context(), http.MethodPost, "/v1/"+name+":replay", nil)
			if err != nil {
				return err
			}
			if replayOutput == "json" {
				return writeJSON(cmd.OutOrStdout(), res)
			}
			return writeTable(cmd.OutOrStdout(), "deadLetters", []map[string]any{res})
		},
	}
	addOutputFlag(replay, &replayOutput, "table")
	root.AddCommand(list, replay)
	return root
}

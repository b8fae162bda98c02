package main

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
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
			if pageSize < 0 {
				return errors.New("--page-size: must not be negative")
			}
			var items []any
			next := ""
			for {
				q := url.Values{}
				if pageSize > 0 {
					q.Set("page_size", strconv.Itoa(pageSize))
				}
				if next != "" {
					q.Set("page_token", next)
				}
				page, err := c.do(cmd.Context(), "/v1/deadLetters", q)
				if err != nil {
					return err
				}
				got, _ := page["dead_letters"].([]any)
				items = append(items, got...)
				next, _ = page["next_page_token"].(string)
				if !all || next == "" {
					break
				}
			}
			if output == "json" {
				out := map[string]any{"dead_letters": items}
				if next != "" {
					out["next_page_token"] = next
				}
				return writeJSON(cmd.OutOrStdout(), out)
			}
			rows := make([]map[string]any, 0, len(items))
			for _, it := range items {
				m, _ := it.(map[string]any)
				rows = append(rows, m)
			}
			if err := writeTable(cmd.OutOrStdout(), "deadLetters", rows); err != nil {
				return err
			}
			if next != "" {
				fmt.Fprintln(cmd.ErrOrStderr(), "more results: --all")
			}
			return nil
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

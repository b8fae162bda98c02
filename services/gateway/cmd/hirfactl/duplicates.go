package main

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

var (
	// duplicateName matches the registry's pair names (DismissDuplicateCandidateRequest.name).
	duplicateName = regexp.MustCompile(`^chambers/[a-z0-9-]+/duplicateCandidates/[a-z0-9]{1,32}$`)
	chamberID     = regexp.MustCompile(`^([a-z0-9-]+|-)$`)
	// duplicateStates are DuplicateCandidate.State's values a list selects.
	duplicateStates = []string{"OPEN", "DISMISSED", "MERGED"}
)

// newDuplicatesCmd lists the registry's duplicate review queue and
// dismisses pairs (GET /v1/chambers/{c}/duplicateCandidates,
// POST /v1/chambers/{c}/duplicateCandidates/{id}:dismiss).
func newDuplicatesCmd(c *restClient) *cobra.Command {
	root := &cobra.Command{
		Use:   "duplicates",
		Short: "Review the registry's artisans that may be one person",
	}
	var (
		output, chamber, state string
		minScore               float64
		pageSize               int
		all                    bool
	)
	list := &cobra.Command{
		Use:   "list",
		Short: "List candidate pairs, highest score first (OPEN unless --state)",
		Example: "  hirfactl duplicates list --chamber fes-meknes --min-score 0.9\n" +
			"  hirfactl duplicates list --state DISMISSED -o json   # every chamber: national roles",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkOutput(output); err != nil {
				return err
			}
			var bad []string
			if !chamberID.MatchString(chamber) {
				bad = append(bad, fmt.Sprintf("--chamber %q: want a chamber id (e.g. fes-meknes) or - for every chamber", chamber))
			}
			state = strings.ToUpper(state)
			if state != "" && !slices.Contains(duplicateStates, state) {
				bad = append(bad, fmt.Sprintf("--state %q: want one of %s", state, strings.Join(duplicateStates, ", ")))
			}
			if minScore < 0 || minScore > 1 {
				bad = append(bad, fmt.Sprintf("--min-score %g: want 0 to 1", minScore))
			}
			if pageSize < 0 {
				bad = append(bad, "--page-size: must not be negative")
			}
			if len(bad) > 0 {
				return errors.New(strings.Join(bad, "; "))
			}
			q := url.Values{}
			if state != "" {
				q.Set("state", state)
			}
			if minScore > 0 {
				q.Set("min_score", strconv.FormatFloat(minScore, 'g', -1, 64))
			}
			items, next, err := c.list(cmd.Context(), listing{path: "/v1/chambers/" + chamber + "/duplicateCandidates", query: q,
				pageSize: pageSize, all: all, items: field("duplicate_candidates")})
			if err != nil {
				return err
			}
			return writeList(cmd, output, "duplicate_candidates", "duplicateCandidates", items, next, "--all")
		},
	}
	list.Flags().StringVar(&chamber, "chamber", "-", "the chamber's queue; - for every chamber, pairs across chambers included (national roles)")
	list.Flags().StringVar(&state, "state", "", "only pairs in this state: "+strings.Join(duplicateStates, ", ")+" (default OPEN, the queue)")
	list.Flags().Float64Var(&minScore, "min-score", 0, "only pairs scoring at least this, 0 to 1")
	list.Flags().IntVar(&pageSize, "page-size", 0, "results per page (0: the service's default)")
	list.Flags().BoolVar(&all, "all", false, "follow next_page_token to the last page")
	_ = list.RegisterFlagCompletionFunc("state", cobra.FixedCompletions(duplicateStates, cobra.ShellCompDirectiveNoFileComp))
	addOutputFlag(list, &output, "table")

	var dismissOutput, reason string
	dismiss := &cobra.Command{
		Use:     "dismiss NAME",
		Short:   "Record that a pair's two artisans are different people (OPEN → DISMISSED)",
		Example: `  hirfactl duplicates dismiss chambers/fes-meknes/duplicateCandidates/ID --reason "different mothers, checked at the desk"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(dismissOutput); err != nil {
				return err
			}
			name := strings.TrimPrefix(strings.Trim(args[0], "/"), "v1/")
			if !duplicateName.MatchString(name) {
				return fmt.Errorf("%q is not a duplicate candidate name (chambers/<chamber>/duplicateCandidates/<id>, as list shows)", args[0])
			}
			if strings.TrimSpace(reason) == "" {
				return errors.New("--reason: say why the two records are different people")
			}
			res, err := c.sendBody(cmd.Context(), http.MethodPost, "/v1/"+name+":dismiss", nil, map[string]string{"reason": reason})
			if err != nil {
				return err
			}
			if dismissOutput == "json" {
				return writeJSON(cmd.OutOrStdout(), res)
			}
			return writeTable(cmd.OutOrStdout(), "duplicateCandidates", []map[string]any{res})
		},
	}
	dismiss.Flags().StringVar(&reason, "reason", "", "why the two records are different people (kept with the pair and in the audit trail)")
	addOutputFlag(dismiss, &dismissOutput, "table")
	root.AddCommand(list, dismiss)
	return root
}

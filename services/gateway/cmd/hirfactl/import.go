package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// newImportCmd uploads a spreadsheet as an import operation and follows it
// to the end with a progress bar (on stderr), then prints the summary and
// the first problems (on stdout).
func newImportCmd(c *restClient) *cobra.Command {
	var chamber, kind, encoding string
	var dryRun bool
	var every time.Duration
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import a CSV or XLSX register into a chamber, with a progress bar and the summary",
		Example: "  hirfactl import artisans.csv --chamber fes-meknes --dry-run\n" +
			"  hirfactl import cooperatives.xlsx --chamber fes-meknes --type cooperatives\n" +
			"  hirfactl import list --chamber fes-meknes",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if chamber == "" {
				return fmt.Errorf("--chamber is required (e.g. --chamber fes-meknes)")
			}
			file, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			op, err := c.sendBody(cmd.Context(), "POST", "/v1/chambers/"+chamber+"/importOperations", nil, map[string]any{
				"kind": kind, "encoding": encoding, "validate_only": dryRun, "file": base64.StdEncoding.EncodeToString(file),
				"file_name": filepath.Base(args[0]),
			})
			if err != nil {
				return err
			}
			name, _ := op["name"].(string)
			bar := cmd.ErrOrStderr()
			for str(op, "state") == "RUNNING" {
				progress(bar, op)
				select {
				case <-cmd.Context().Done():
					return cmd.Context().Err()
				case <-time.After(every):
				}
				if op, err = c.do(cmd.Context(), "/v1/"+name, nil); err != nil {
					return err
				}
			}
			progress(bar, op)
			fmt.Fprintln(bar)
			return summary(cmd.OutOrStdout(), name, dryRun, op)
		},
	}
	cmd.Flags().StringVar(&chamber, "chamber", "", "the chamber whose register takes the rows, e.g. fes-meknes")
	cmd.Flags().StringVar(&kind, "type", "artisans", "the register: artisans, cooperatives, associations or enterprises")
	cmd.Flags().StringVar(&encoding, "encoding", "", "utf-8 or windows-1256 (default: detected)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "validate every row and write nothing")
	cmd.Flags().DurationVar(&every, "poll", 500*time.Millisecond, "how often to read the operation's progress")
	cmd.AddCommand(newImportListCmd(c))
	return cmd
}

// newImportListCmd lists a chamber's imports, newest first (the history:
// GET /v1/chambers/{chamber}/importOperations). A file named "list" is
// imported as ./list.
func newImportListCmd(c *restClient) *cobra.Command {
	var chamber, output, pageToken string
	var pageSize int
	var all bool
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List a chamber's imports, running and past, newest first (--chamber - for every chamber)",
		Example: "  hirfactl import list --chamber fes-meknes\n  hirfactl import list --chamber - --all -o json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkOutput(output); err != nil {
				return err
			}
			if chamber == "" {
				return fmt.Errorf("--chamber is required (e.g. --chamber fes-meknes, or - for every chamber)")
			}
			const coll = "importOperations"
			if pageSize < 0 {
				return errors.New("--page-size: must not be negative")
			}
			items, next, err := c.list(cmd.Context(), listing{path: "/v1/chambers/" + chamber + "/" + coll, pageSize: pageSize, pageToken: pageToken, all: all,
				items: field("import_operations")})
			if err != nil {
				return err
			}
			return writeList(cmd, output, "import_operations", coll, items, next, "--page-token "+next+", or --all")
		},
	}
	cmd.Flags().StringVar(&chamber, "chamber", "", "the chamber, e.g. fes-meknes; - for every chamber (national roles)")
	cmd.Flags().IntVar(&pageSize, "page-size", 0, "results per page (0: the service's default)")
	cmd.Flags().StringVar(&pageToken, "page-token", "", "continue from a previous page's next_page_token")
	cmd.Flags().BoolVar(&all, "all", false, "follow next_page_token to the last page")
	addOutputFlag(cmd, &output, "table")
	return cmd
}

func str(m map[string]any, k string) string {
	v, _ := m[k].(string)
	return v
}

func num(m map[string]any, k string) int64 {
	switch v := m[k].(type) {
	case json.Number:
		n, _ := v.Int64()
		return n
	case float64:
		return int64(v)
	}
	return 0
}

// progress draws one line: a 30-cell bar, percent and counts.
func progress(w io.Writer, op map[string]any) {
	pct := num(op, "percent_done")
	cells := int(pct * 30 / 100)
	fmt.Fprintf(w, "\r[%s%s] %3d%%  %d/%d rows read, %d accepted, %d rejected",
		strings.Repeat("#", cells), strings.Repeat(".", 30-cells), pct,
		num(op, "rows_read"), num(op, "rows_total"), num(op, "rows_accepted"), num(op, "rows_rejected"))
}

func summary(w io.Writer, name string, dryRun bool, op map[string]any) error {
	verb := "imported"
	if dryRun {
		verb = "would import (dry run, nothing written)"
	}
	fmt.Fprintf(w, "%s: %s\n%s %d of %d rows; %d rejected\n", name, str(op, "state"), verb,
		num(op, "rows_accepted"), num(op, "rows_total"), num(op, "rows_rejected"))
	if e := str(op, "error"); e != "" {
		fmt.Fprintf(w, "error: %s\n", e)
	}
	probs, _ := op["problems"].([]any)
	for _, p := range probs {
		m, _ := p.(map[string]any)
		fmt.Fprintf(w, "  row %d  %s  %s  %s\n", num(m, "row"), str(m, "column"), str(m, "reason"), str(m, "message_fr"))
	}
	if num(op, "rows_rejected") > 0 {
		fmt.Fprintf(w, "full report: GET /v1/%s:downloadReport?format=CSV (or XLSX)\n", name)
	}
	if str(op, "state") == "FAILED" {
		return fmt.Errorf("the import failed")
	}
	return nil
}

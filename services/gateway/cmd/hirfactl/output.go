package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func addOutputFlag(cmd *cobra.Command, output *string, def string) {
	cmd.Flags().StringVarP(output, "output", "o", def, "json | table")
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"json", "table"}, cobra.ShellCompDirectiveNoFileComp))
}

func checkOutput(o string) error {
	if o != "json" && o != "table" {
		return fmt.Errorf("-o %q: want json or table", o)
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// columns picks the table columns of the known collections; others get
// the generic key columns their items have.
var columns = map[string][]string{
	"cooperatives":        {"name", "display_name", "activity", "province", "state"},
	"artisans":            {"name", "nia", "family_name_latin", "given_name_latin", "province", "state"},
	"enterprises":         {"name", "ice", "activity", "province", "state"},
	"associations":        {"name", "display_name", "province", "state"},
	"events":              {"name", "kind", "display_name", "start_date", "end_date", "state"},
	"registrations":       {"name", "registrant", "state"},
	"agreements":          {"name", "display_name", "state"},
	"deadLetters":         {"name", "type", "subject", "deliveries", "error", "dead_time"},
	"duplicateCandidates": {"name", "artisan", "other_artisan", "score", "reasons", "state", "dismissed_by"},
	"importOperations": {"name", "kind", "file_name", "creator", "create_time", "state", "rows_total", "rows_accepted", "rows_rejected",
		"validate_only"},
}

var genericColumns = []string{"name", "display_name", "title", "kind", "state", "update_time"}

func tableColumns(coll string, rows []map[string]any) []string {
	if c, ok := columns[coll]; ok {
		return c
	}
	var cols []string
	for _, c := range genericColumns {
		for _, r := range rows {
			if _, ok := r[c]; ok {
				cols = append(cols, c)
				break
			}
		}
	}
	if len(cols) == 0 && len(rows) > 0 { // nothing familiar: every top-level field
		seen := map[string]bool{}
		for _, r := range rows {
			for k := range r {
				if !seen[k] {
					seen[k] = true
					cols = append(cols, k)
				}
			}
		}
		sort.Strings(cols)
	}
	return cols
}

func writeTable(w io.Writer, coll string, rows []map[string]any) error {
	cols := tableColumns(coll, rows)
	if len(cols) == 0 {
		_, err := fmt.Fprintln(w, "(none)")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.ToUpper(strings.Join(cols, "\t")))
	for _, r := range rows {
		cells := make([]string, len(cols))
		for i, c := range cols {
			cells[i] = cell(r[c])
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// cell renders one value: strings as they are, localized texts in French
// (else Arabic), anything else as compact JSON; tabs and newlines would
// break the table, so they become spaces.
func cell(v any) string {
	var s string
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		s = t
	case map[string]any:
		if fr, ok := t["fr"].(string); ok && fr != "" {
			s = fr
		} else if ar, ok := t["ar"].(string); ok {
			s = ar
		} else {
			b, _ := json.Marshal(t)
			s = string(b)
		}
	default:
		b, _ := json.Marshal(t)
		s = string(b)
	}
	return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s)
}

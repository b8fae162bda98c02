package main

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/spf13/cobra"
)

// listing is one list through the edge: the collection's path and query,
// the items' JSON field, and how far to page.
type listing struct {
	path      string
	query     url.Values
	items     func(page map[string]any) ([]any, error)
	pageSize  int
	pageToken string
	all       bool // follow next_page_token to the last page
}

// list reads l's pages and returns their items and the token of the page
// after them (empty when the last page was read).
func (c *restClient) list(ctx context.Context, l listing) ([]any, string, error) {
	var items []any
	next := l.pageToken
	for {
		q := url.Values{}
		for k, v := range l.query {
			q[k] = v
		}
		if l.pageSize > 0 {
			q.Set("page_size", strconv.Itoa(l.pageSize))
		}
		if next != "" {
			q.Set("page_token", next)
		}
		page, err := c.do(ctx, l.path, q)
		if err != nil {
			return nil, "", err
		}
		got, err := l.items(page)
		if err != nil {
			return nil, "", err
		}
		items = append(items, got...)
		next, _ = page["next_page_token"].(string)
		if !l.all || next == "" {
			return items, next, nil
		}
	}
}

// field reads the items of a page from one JSON field.
func field(name string) func(map[string]any) ([]any, error) {
	return func(page map[string]any) ([]any, error) {
		got, _ := page[name].([]any)
		return got, nil
	}
}

// writeList writes items as JSON (under key, with the next page's token)
// or as a table of coll's columns, telling stderr how to read on (more).
func writeList(cmd *cobra.Command, output, key, coll string, items []any, next, more string) error {
	if output == "json" {
		out := map[string]any{key: items}
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
	if err := writeTable(cmd.OutOrStdout(), coll, rows); err != nil {
		return err
	}
	if next != "" {
		fmt.Fprintln(cmd.ErrOrStderr(), "more results:", more)
	}
	return nil
}

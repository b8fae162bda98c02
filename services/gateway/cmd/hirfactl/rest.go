package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// restClient reads resources through the REST edge, as any integrator would.
type restClient struct {
	client        *http.Client
	server, token string
	envToken      func() string // HIRFA_TOKEN, when --token is not given
}

// apiError is the edge's error body: {"code", "message", "details"}.
type apiError struct {
	HTTPStatus int
	Code       int    `json:"code"`
	Message    string `json:"message"`
	Details    []struct {
		Reason     string            `json:"reason"`
		Metadata   map[string]string `json:"metadata"`
		FieldViols []struct {
			Field       string `json:"field"`
			Description string `json:"description"`
		} `json:"field_violations"`
	} `json:"details"`
}

func (e *apiError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s: %s", e.HTTPStatus, http.StatusText(e.HTTPStatus), e.Message)
	for _, d := range e.Details {
		if d.Reason != "" {
			fmt.Fprintf(&b, " (reason %s)", d.Reason)
		}
		for _, v := range d.FieldViols {
			if !strings.Contains(e.Message, v.Description) { // often the message already says it
				fmt.Fprintf(&b, "\n  %s: %s", v.Field, v.Description)
			}
		}
	}
	return b.String()
}

// resourcePath turns a resource name (chambers/fes-meknes/cooperatives/x,
// optionally written /v1/…) into the edge's path.
func resourcePath(name string) (string, error) {
	name = strings.TrimPrefix(strings.Trim(name, "/"), "v1/")
	if name == "" || strings.Contains(name, "?") || strings.Contains(name, "//") {
		return "", fmt.Errorf("%q is not a resource name (e.g. chambers/fes-meknes/cooperatives)", name)
	}
	return "/v1/" + name, nil
}

// do GETs p with q and decodes the JSON object answered.
func (c *restClient) do(ctx context.Context, p string, q url.Values) (map[string]any, error) {
	return c.send(ctx, http.MethodGet, p, q)
}

// send makes a request without a body (GET, or a custom method's POST
// whose request message has only path fields) and decodes the JSON object
// answered.
func (c *restClient) send(ctx context.Context, method, p string, q url.Values) (map[string]any, error) {
	return c.sendBody(ctx, method, p, q, nil)
}

// sendBody is send with a JSON request body (payload, or "{}" for a POST
// without one).
func (c *restClient) sendBody(ctx context.Context, method, p string, q url.Values, payload any) (map[string]any, error) {
	base, err := url.Parse(c.server)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("--server %q: want http(s)://host[:port]", c.server)
	}
	u := base.JoinPath(p)
	u.RawQuery = q.Encode()
	var reqBody io.Reader
	switch {
	case payload != nil:
		b, err := json.Marshal(payload)
		if err != nil {
			return nil, err
		}
		reqBody = bytes.NewReader(b)
	case method == http.MethodPost:
		reqBody = strings.NewReader("{}")
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), reqBody)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if reqBody != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	tok := c.token
	if tok == "" {
		tok = c.envToken()
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, u.Redacted(), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading the answer: %w", method, u.Redacted(), err)
	}
	if resp.StatusCode/100 != 2 {
		e := &apiError{HTTPStatus: resp.StatusCode}
		if json.Unmarshal(body, e) != nil || e.Message == "" {
			e.Message = strings.TrimSpace(string(body))
			if len(e.Message) > 300 {
				e.Message = e.Message[:300] + "…"
			}
		}
		return nil, e
	}
	var out map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // keep numbers as the edge wrote them
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("%s %s: the answer is not a JSON object: %w", method, u.Redacted(), err)
	}
	return out, nil
}

func newGetCmd(c *restClient) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:     "get NAME",
		Short:   "Read one resource by name, e.g. chambers/fes-meknes/cooperatives/ID",
		Example: "  hirfactl get chambers/fes-meknes/cooperatives/example0001 -o table",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output); err != nil {
				return err
			}
			p, err := resourcePath(args[0])
			if err != nil {
				return err
			}
			res, err := c.do(cmd.Context(), p, nil)
			if err != nil {
				return err
			}
			if output == "json" {
				return writeJSON(cmd.OutOrStdout(), res)
			}
			return writeTable(cmd.OutOrStdout(), collectionOf(path.Dir(p)), []map[string]any{res})
		},
	}
	addOutputFlag(cmd, &output, "json")
	return cmd
}

func newListCmd(c *restClient) *cobra.Command {
	var output, filter, pageToken string
	var pageSize int
	var all bool
	cmd := &cobra.Command{
		Use:   "list PARENT/COLLECTION",
		Short: "List a collection, e.g. chambers/fes-meknes/cooperatives (chambers/- for every chamber)",
		Example: "  hirfactl list chambers/fes-meknes/cooperatives -o table\n" +
			"  hirfactl list chambers/-/artisans --filter 'state = REGISTERED' --all -o json",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output); err != nil {
				return err
			}
			if pageSize < 0 {
				return errors.New("--page-size: must not be negative")
			}
			p, err := resourcePath(args[0])
			if err != nil {
				return err
			}
			coll := collectionOf(p)
			base := url.Values{}
			if filter != "" {
				base.Set("filter", filter)
			}
			items, next, err := fetchPages(cmd.Context(), c, p, coll, base, pageSize, pageToken, all)
			if err != nil {
				return err
			}
			return printPage(cmd, output, coll, items, next, "more results: --page-token "+next+", or --all")
		},
	}
	cmd.Flags().StringVar(&filter, "filter", "", `filter expression, e.g. 'state = FORMING AND display_name:"النسيج"'`)
	cmd.Flags().IntVar(&pageSize, "page-size", 0, "results per page (0: the service's default)")
	cmd.Flags().StringVar(&pageToken, "page-token", "", "continue from a previous page's next_page_token")
	cmd.Flags().BoolVar(&all, "all", false, "follow next_page_token to the last page")
	addOutputFlag(cmd, &output, "table")
	return cmd
}

// fetchPages reads a collection from token on, one page or (all) to the
// last, with the base query and the page size; next is the token of the
// page after the last read.
func fetchPages(ctx context.Context, c *restClient, p, coll string, base url.Values, pageSize int, token string, all bool) (items []any, next string, err error) {
	if pageSize < 0 {
		return nil, "", errors.New("--page-size: must not be negative")
	}
	next = token
	for {
		q := url.Values{}
		for k, v := range base {
			q[k] = v
		}
		if pageSize > 0 {
			q.Set("page_size", strconv.Itoa(pageSize))
		}
		if next != "" {
			q.Set("page_token", next)
		}
		page, err := c.do(ctx, p, q)
		if err != nil {
			return nil, "", err
		}
		got, err := pageItems(page, coll)
		if err != nil {
			return nil, "", err
		}
		items = append(items, got...)
		next, _ = page["next_page_token"].(string)
		if !all || next == "" {
			return items, next, nil
		}
	}
}

// printPage writes items as JSON (under the answer's own field, with
// next_page_token) or as a table,
// telling on stderr how to read on when there is more.
func printPage(cmd *cobra.Command, output, coll string, items []any, next, more string) error {
	if output == "json" {
		out := map[string]any{snake(coll): items}
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
		fmt.Fprintln(cmd.ErrOrStderr(), more)
	}
	return nil
}

// collectionOf is the last segment of a collection path: its JSON field
// in list answers (cooperatives, artisans, events, …).
func collectionOf(p string) string { return path.Base(p) }

// pageItems finds the page's items: the field named after the collection
// (in snake case), else the answer's only array. A page with no items
// omits the field.
func pageItems(page map[string]any, coll string) ([]any, error) {
	if v, ok := page[snake(coll)].([]any); ok {
		return v, nil
	}
	var arrays []string
	var found []any
	for k, v := range page {
		if a, ok := v.([]any); ok {
			arrays = append(arrays, k)
			found = a
		}
	}
	switch len(arrays) {
	case 0:
		return nil, nil
	case 1:
		return found, nil
	}
	return nil, fmt.Errorf("the answer has several lists (%s), none named %s", strings.Join(arrays, ", "), snake(coll))
}

// snake turns registrationTargets into registration_targets (the edge
// answers with proto field names).
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

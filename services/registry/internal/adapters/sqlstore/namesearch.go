package sqlstore

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/store"
)

// gram is the length of the runs of characters the name indexes hold.
const gram = 3

// commonGram is the share of rows above which a trigram counts as common.
// A query made only of common trigrams (a common name: "mohamed") finds its
// first page fastest by walking the list's ordering index and testing each
// row, which stops after a page of matches; the trigram index would fetch
// and recheck every row holding them (a twentieth of the register) before
// ordering them. A query with one rare trigram (a rare or absent name)
// reads the index: the rows holding that trigram are few.
const commonGram = 0.01

// gramStatsTTL is how long the trigram frequencies read from the planner's
// statistics are trusted; ANALYZE (autovacuum's) refreshes those.
const gramStatsTTL = 5 * time.Minute

// nameIndex serves display_name:"…" on table from the trigram index of
// migrations 0008 (artisans) and 0011 (cooperatives): on PostgreSQL a GIN
// index over the trigrams of the folded key (the name_grams column; every
// trigram of the query must be in the name), on SQLite the FTS5 trigram
// table {table}_names. A folded query shorter than a trigram has nothing to
// look up, and on PostgreSQL a query made of common trigrams only is better
// served by the ordering index: both are left to the LIKE alone.
func nameIndex(db *store.DB, table string) func(string) (string, []any) {
	stats := &gramStats{db: db, table: table}
	return func(v string) (string, []any) {
		if utf8.RuneCountInString(v) < gram {
			return "", nil
		}
		if db.Dialect == store.Postgres {
			if stats.allCommon(v) {
				return "", nil
			}
			return "name_grams @> registry_name_grams(CAST(? AS TEXT))", []any{v}
		}
		// An FTS5 string in double quotes is one phrase: the trigram
		// tokenizer matches it as a substring.
		return "rowid IN (SELECT rowid FROM " + table + "_names WHERE " + table + "_names MATCH ?)", []any{`"` + strings.ReplaceAll(v, `"`, `""`) + `"`}
	}
}

// gramStats are the most common trigrams of a table's names and their
// frequencies, from pg_stats (ANALYZE's element statistics of name_grams).
type gramStats struct {
	db    *store.DB
	table string
	mu    sync.Mutex
	freq  map[string]float64
	until time.Time
}

// allCommon reports whether every trigram of v is common. Unknown
// statistics (never analysed, or unreadable) count as rare: the index is
// then used, which is never slower than a scan by much.
func (g *gramStats) allCommon(v string) bool {
	freq := g.load()
	if len(freq) == 0 {
		return false
	}
	r := []rune(v)
	for i := 0; i+gram <= len(r); i++ {
		if freq[string(r[i:i+gram])] < commonGram {
			return false
		}
	}
	return true
}

func (g *gramStats) load() map[string]float64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	if time.Now().Before(g.until) {
		return g.freq
	}
	g.until = time.Now().Add(gramStatsTTL)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	var elems []byte
	var freqs []byte
	err := g.db.SQL.QueryRowContext(ctx, `SELECT array_to_json(most_common_elems::text::text[]), array_to_json(most_common_elem_freqs)
		FROM pg_stats WHERE schemaname = current_schema() AND tablename = $1 AND attname = 'name_grams'`, g.table).Scan(&elems, &freqs)
	if err != nil {
		g.freq = nil
		return nil
	}
	g.freq = parseGramStats(elems, freqs)
	return g.freq
}

// parseGramStats pairs pg_stats' elements with their frequencies (the
// frequency array has three extra entries: minimum, maximum, null share).
func parseGramStats(elems, freqs []byte) map[string]float64 {
	var es []string
	var fs []float64
	if json.Unmarshal(elems, &es) != nil || json.Unmarshal(freqs, &fs) != nil || len(fs) < len(es) {
		return nil
	}
	out := make(map[string]float64, len(es))
	for i, e := range es {
		out[e] = fs[i]
	}
	return out
}

// withNameIndex sets index on the display_name field of fields.
func withNameIndex(fields []filter.Field, index func(string) (string, []any)) []filter.Field {
	for i := range fields {
		if fields[i].Name == "display_name" {
			fields[i].Index = index
		}
	}
	return fields
}

package sqlstore

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/textnorm"
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

// denseMatches is the number of rows matching a name from which its first
// page walks the list's ordering index even though the name has a rare
// trigram. Trigram frequencies cannot tell a name held by one person in 170
// ("bakkali": 17,000 rows at 3 million artisans, each of its trigrams in
// under 1 % of rows) from one held by 200 ("karatai", trigrams as frequent):
// the index fetched and ordered all 17,000 rows (p95 0.5-0.7 s), while a
// walk finds a page within a few thousand rows. At this many matches the
// walk reads at most rows/denseMatches × page rows; below it the index
// fetches fewer than denseMatches rows. Within one chamber the walk is
// bounded alike when the chamber holds its share of that many matches
// (chamberDense).
const denseMatches = 5000

// probeTTL is how long a name's probed density is trusted (its later pages,
// the same search by other clerks); probeMemory bounds how many are kept.
// A variable so that a benchmark can make every search a first one.
var probeTTL = time.Minute

const probeMemory = 4096

// gramStatsTTL is how long the trigram frequencies read from the planner's
// statistics are trusted; ANALYZE (autovacuum's) refreshes those.
const gramStatsTTL = 5 * time.Minute

// nameIndex serves display_name:"…" on table from the trigram index of
// migrations 0008 (artisans), 0011 (cooperatives) and 0017 (associations
// and enterprises): on PostgreSQL a GIN
// index over the trigrams of the folded key (the name_grams column; every
// trigram of the query is in the name, its first one marked when the name
// starts with the query: migration 0023), on SQLite the FTS5 trigram
// table {table}_names. A folded query shorter than a trigram has nothing to
// look up, and on PostgreSQL a query made of common trigrams only is better
// served by the ordering index: both are left to the LIKE alone.
func nameIndex(db *store.DB, table string) func(v, chamber string) (string, []any, bool) {
	return newNameSearch(db, table).index
}

// nameSearch chooses the road of display_name:"…" on one table.
type nameSearch struct {
	db    *store.DB
	stats *gramStats
}

func newNameSearch(db *store.DB, table string) *nameSearch {
	return &nameSearch{db: db, stats: &gramStats{db: db, table: table}}
}

// index is the whole match as one condition (filter.Field.Index).
func (n *nameSearch) index(v, chamber string) (string, []any, bool) {
	if utf8.RuneCountInString(v) < gram {
		return "", nil, false
	}
	if n.db.Dialect == store.Postgres {
		if n.stats.allCommon(v, false) || n.stats.dense(anywhere, v, chamber) {
			return walkMatch, []any{v}, true
		}
		return anywhereGrams, []any{v, v}, false
	}
	// An FTS5 string in double quotes is one phrase: the trigram
	// tokenizer matches it as a substring.
	table := n.stats.table
	return "rowid IN (SELECT rowid FROM " + table + "_names WHERE " + table + "_names MATCH ?)", []any{`"` + strings.ReplaceAll(v, `"`, `""`) + `"`}, false
}

// split is the match as two disjoint parts (filter.Field.Split), on
// PostgreSQL: the names starting with v, one range of every name ordering
// index (a LIKE of v's prefix: PostgreSQL seeks it), and the names holding
// v further on. A list in name order then merges the range with the
// others' own road, where the one condition walked the name index from
// its start: "mohamed", the first name of one artisan in seven, was found
// after every name sorting before it (over half the register: at 3
// million artisans 234 ms nationally) though its holders elsewhere in a
// name are few and found by their trigrams. The marked first trigram
// (migration 0023) keeps the names only starting with v out of the
// second part's trigram search.
func (n *nameSearch) split(v, chamber string) ([]string, [][]any) {
	if n.db.Dialect != store.Postgres || utf8.RuneCountInString(v) < gram {
		return nil, nil
	}
	prefix := strings.TrimPrefix(filter.ContainsPattern(v), "%")
	// The start's trigram index is left out when many names start so:
	// PostgreSQL multiplies the trigrams' shares as if independent and
	// would read and sort every holder through it.
	starts := "display_key LIKE ? ESCAPE '\\'"
	startArgs := []any{prefix}
	if !n.stats.headCommon(v) {
		starts, startArgs = "name_grams @> registry_name_grams(CAST(? AS TEXT)) AND "+starts, []any{v, prefix}
	}
	later := laterMatch
	laterArgs := []any{v}
	if !n.stats.allCommon(v, true) && !n.stats.dense(afterStart, v, chamber) {
		later, laterArgs = laterGrams+" AND "+laterMatch, []any{v, v}
	}
	return []string{starts, later}, [][]any{startArgs, laterArgs}
}

// The trigram conditions of a name query v: anywhereGrams finds (as a
// superset) the names holding v anywhere, laterGrams those holding it
// after their first character; registry_query_grams is v's trigrams
// unmarked, registry_name_grams with the first one marked (a name
// starting with v holds those).
const (
	anywhereGrams = "(name_grams @> registry_query_grams(CAST(? AS TEXT)) OR name_grams @> registry_name_grams(CAST(? AS TEXT)))"
	laterGrams    = "name_grams @> registry_query_grams(CAST(? AS TEXT))"
	// laterMatch is the exact match of the second part: strpos is the
	// first occurrence, so a name starting with v is never in it.
	laterMatch = "strpos(display_key, CAST(? AS TEXT)) > 1"
)

// The scopes of gramStats.dense: a match anywhere in the name, or after
// its first character.
const (
	anywhere   = "any"
	afterStart = "later"
)

// walkMatch is the match of a name the list finds by walking its ordering
// index (a common or dense one), in place of the LIKE: the same substring
// test, which PostgreSQL prices at a fixed third of the rows rather than
// from display_key's histogram. From the histogram a family name of 15,000
// rows in 3 million came out at 260: the walk then looked long enough for
// a parallel plan compiled by JIT (0.7 s for a page found in 11,000 rows,
// 23 ms walked alone), and in a chamber where one row in eight holds the
// name, a read of all the chamber's rows and a sort (1.1 s).
const walkMatch = "strpos(display_key, CAST(? AS TEXT)) > 0"

// headMark marks a name's first trigram (migration 0023): a name holding
// a query only at its start does not hold the query's first trigram
// unmarked, so the trigram search of the names holding it further on
// (nameSearch.split) leaves out a common first name's holders, whose
// names are one range of the name index. Folded keys hold no "^".
const headMark = "^"

// nameGrams are the distinct trigrams of key, by character, the first one
// marked (headMark; unmarked too if it recurs): what the SQL function
// registry_name_grams (migrations 0008, 0023) returns, in no particular
// order. The rows' name_grams column is written from here (migration 0013
// for artisans, 0017 for the other registers) rather than generated by that
// function: cutting the trigrams in SQL cost
// a bulk import about as much as the rest of the artisan row's insert. The
// function still cuts the query's trigrams; TestNameGramsMatchSQL keeps the
// two equal.
func nameGrams(key string) []string {
	r := []rune(key)
	out := make([]string, 0, max(len(r)-gram+1, 0))
	seen := make(map[string]bool, cap(out))
	for i := 0; i+gram <= len(r); i++ {
		g := string(r[i : i+gram])
		if i == 0 {
			g = headMark + g
		}
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	return out
}

// gramStats are the most common trigrams of a table's names and their
// frequencies, from pg_stats (ANALYZE's element statistics of name_grams).
type gramStats struct {
	db    *store.DB
	table string
	mu    sync.Mutex
	freq  map[string]float64
	// chambers are each chamber's share of the rows (pg_stats of chamber),
	// read with freq.
	chambers map[string]float64
	until    time.Time
	// probed are the names dense has counted, by match (anywhere or
	// afterStart), scope ("" national, else the chamber) and name: whether
	// they are dense there, and until when that is trusted.
	probed map[[3]string]probe
}

type probe struct {
	dense bool
	until time.Time
}

// dense reports whether a walk of the ordering index finds v's first page
// in chamber ("" or "-" for all) within a bounded read: nationally when at
// least denseMatches rows match v, counted through the trigram index up to
// that number (the count fetches at most what the index path would, and
// stops there when the name is dense). The national count bounds every
// chamber's, so a chamber's page of a name rare nationally reads the
// index; for a name dense nationally the chamber is counted too
// (chamberDense): a family name of one region is dense nationally and
// held by a handful in a large chamber of another, whose walk would read
// all of that chamber's rows. A failed count answers false: the index
// path, as before the probe.
//
// match is anywhere (v anywhere in the name) or afterStart (after its
// first character: the second part of nameSearch.split).
func (g *gramStats) dense(match, v, chamber string) bool {
	if !g.probe(match, "", v, denseMatches) {
		return false
	}
	if chamber == "" || chamber == resource.Wildcard {
		return true
	}
	return g.probe(match, chamber, v, g.chamberDense(chamber))
}

// chamberDense is the number of a chamber's rows matching a name from
// which its first page walks the chamber's ordering index: denseMatches in
// proportion to the chamber's share of the rows, so that the walk reads
// no more rows than a national walk of a dense name (a chamber of C rows
// holding m matches: about C / m × page rows). Without statistics, the
// national number (the index path, unless the chamber holds that many).
func (g *gramStats) chamberDense(chamber string) int {
	g.load()
	g.mu.Lock()
	share, ok := g.chambers[chamber]
	g.mu.Unlock()
	if !ok || share <= 0 || share > 1 {
		return denseMatches
	}
	return max(1, int(math.Ceil(denseMatches*share)))
}

// probe counts up to limit rows of scope ("" national, else a chamber)
// matching v through the trigram index, remembering for probeTTL whether
// it reached limit.
func (g *gramStats) probe(match, scope, v string, limit int) bool {
	key := [3]string{match, scope, v}
	now := time.Now()
	g.mu.Lock()
	p, ok := g.probed[key]
	g.mu.Unlock()
	if ok && now.Before(p.until) {
		return p.dense
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	cond, args := anywhereGrams+" AND display_key LIKE ? ESCAPE '\\'", []any{v, v, filter.ContainsPattern(v)}
	if match == afterStart {
		cond, args = laterGrams+" AND "+laterMatch, []any{v, v}
	}
	if scope != "" {
		cond, args = cond+" AND chamber = ?", append(args, scope)
	}
	var n int
	err := g.db.SQL.QueryRowContext(ctx, g.db.Rebind(`SELECT count(*) FROM (SELECT 1 FROM `+g.table+`
		WHERE `+cond+` LIMIT ?) m`), append(args, limit)...).Scan(&n)
	if err != nil {
		return false
	}
	g.mu.Lock()
	if g.probed == nil || len(g.probed) >= probeMemory {
		g.probed = make(map[[3]string]probe)
	}
	g.probed[key] = probe{dense: n >= limit, until: now.Add(probeTTL)}
	g.mu.Unlock()
	return n >= limit
}

// allCommon reports whether every trigram of v is common: anywhere in the
// names (v's first trigram is then counted marked too: the names starting
// with v hold it so), or with later after the names' first character
// (unmarked only). Unknown statistics (never analysed, or unreadable)
// count as rare: the index is then used, which is never slower than a
// scan by much.
func (g *gramStats) allCommon(v string, later bool) bool {
	freq := g.load()
	if len(freq) == 0 {
		return false
	}
	r := []rune(v)
	for i := 0; i+gram <= len(r); i++ {
		f := freq[string(r[i:i+gram])]
		if i == 0 && !later {
			f += freq[headMark+string(r[:gram])]
		}
		if f < commonGram {
			return false
		}
	}
	return true
}

// headCommon reports whether v's first trigram starts a common share of
// the names (its marked trigram is common). Unknown statistics: not.
func (g *gramStats) headCommon(v string) bool {
	r := []rune(v)
	return len(r) >= gram && g.load()[headMark+string(r[:gram])] >= commonGram
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
	// The chambers' shares: every chamber is among the column's most
	// common values (there are a dozen). Unread, chamberDense falls back
	// to the national number.
	g.chambers = nil
	if g.db.SQL.QueryRowContext(ctx, `SELECT array_to_json(most_common_vals::text::text[]), array_to_json(most_common_freqs)
		FROM pg_stats WHERE schemaname = current_schema() AND tablename = $1 AND attname = 'chamber'`, g.table).Scan(&elems, &freqs) == nil {
		g.chambers = parseValueStats(elems, freqs)
	}
	return g.freq
}

// parseValueStats pairs pg_stats' most common values with their
// frequencies.
func parseValueStats(vals, freqs []byte) map[string]float64 {
	var vs []string
	var fs []float64
	if json.Unmarshal(vals, &vs) != nil || json.Unmarshal(freqs, &fs) != nil || len(fs) != len(vs) {
		return nil
	}
	out := make(map[string]float64, len(vs))
	for i, v := range vs {
		out[v] = fs[i]
	}
	return out
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

// searchFields are the filter fields every register has (timeFields), with
// display_name answered from table's trigram index (nameIndex).
func searchFields(db *store.DB, table string) []filter.Field {
	fields := timeFields()
	search := newNameSearch(db, table)
	for i := range fields {
		if fields[i].Name == "display_name" {
			fields[i].Index, fields[i].Split, fields[i].SplitOrder = search.index, search.split, "display_key"
		}
	}
	return fields
}

// bodyKey is the folded key of a body's display name (a cooperative's, an
// association's, an enterprise's) that lists order by and the tolerant
// search matches.
func bodyKey(t l10n.Text) string { return textnorm.Key(t.FR, t.AR, t.EN) }

// nameColumns are the name columns of a register, from the folded key of
// its record's names: display_key (lists order by it, the LIKE of
// display_name:"…" matches it) and, on PostgreSQL, name_grams (the
// trigrams its GIN index holds), written with the row: SQLite keeps its
// FTS5 table in step by triggers instead.
func nameColumns[T store.Entity](db *store.DB, key func(T) string) []store.Column[T] {
	cols := []store.Column[T]{{Name: "display_key", Value: func(v T) any { return key(v) }}}
	if db.Dialect == store.Postgres {
		cols = append(cols, store.Column[T]{Name: "name_grams", Value: func(v T) any { return nameGrams(key(v)) }})
	}
	return cols
}

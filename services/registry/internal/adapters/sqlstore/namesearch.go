package sqlstore

import (
	"strings"
	"unicode/utf8"

	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/store"
)

// gram is the length of the runs of characters the name indexes hold.
const gram = 3

// nameIndex serves display_name:"…" on table from the trigram index of
// migration 0008: on PostgreSQL a GIN index over the trigrams of the folded
// key (name_grams) (every trigram of the query must be in the name), on SQLite the
// FTS5 trigram table {table}_names. A folded query shorter than a trigram
// has nothing to look up and is left to the LIKE alone.
func nameIndex(d store.Dialect, table string) func(string) (string, []any) {
	return func(v string) (string, []any) {
		if utf8.RuneCountInString(v) < gram {
			return "", nil
		}
		if d == store.Postgres {
			return "name_grams @> registry_name_grams(CAST(? AS TEXT))", []any{v}
		}
		// An FTS5 string in double quotes is one phrase: the trigram
		// tokenizer matches it as a substring.
		return "rowid IN (SELECT rowid FROM " + table + "_names WHERE " + table + "_names MATCH ?)", []any{`"` + strings.ReplaceAll(v, `"`, `""`) + `"`}
	}
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

package sqlstore

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
)

// TestNameGramsMatchSQL: the trigrams the registry writes (nameGrams) are
// those registry_name_grams cuts from a query, or a stored name would not
// be found by its own trigrams.
func TestNameGramsMatchSQL(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		db := open(t)
		if db.Dialect != store.Postgres {
			return // SQLite's trigrams are its FTS5 table's
		}
		ctx := context.Background()
		if err := Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"", "a", "ab", "abc", "aaaa", "mohamed el fassi", "محمد الفاسي", "khadija tazi خديجة التازي", "ééé ééé", "zerhouniya"} {
			var js string
			var sql []string
			if err := db.SQL.QueryRowContext(ctx, "SELECT array_to_json(registry_name_grams($1))::text", key).Scan(&js); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(js), &sql); err != nil {
				t.Fatal(err)
			}
			got := nameGrams(key)
			slices.Sort(got)
			slices.Sort(sql)
			if !slices.Equal(got, sql) {
				t.Errorf("nameGrams(%q) = %q; registry_name_grams = %q", key, got, sql)
			}
		}
	})
}

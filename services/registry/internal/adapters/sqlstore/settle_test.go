package sqlstore_test

import (
	"context"
	"testing"

	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/testenv"
	"github.com/hirfa/hirfa/services/registry/internal/adapters/sqlstore"
)

// TestRuntimeRoleSettlesAnImport: the service runs as a runtime role that
// owns no index (store.GrantRuntime), and merging a GIN index's pending
// list is its owner's right; the merge an import ends with (SettleArtisans,
// migration 0024) must still run as that role.
func TestRuntimeRoleSettlesAnImport(t *testing.T) {
	dsn := testenv.Postgres(t)
	if dsn == "" {
		return
	}
	ctx := context.Background()
	owner, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = owner.Close() })
	if err := sqlstore.Migrate(ctx, owner); err != nil {
		t.Fatal(err)
	}
	role := testenv.Role(t, owner.SQL)
	if err := store.GrantRuntime(ctx, owner, role); err != nil {
		t.Fatal(err)
	}
	// One connection acting as the runtime role (the owner is a superuser
	// in tests, so SET ROLE stands in for logging in as it).
	owner.SQL.SetMaxOpenConns(1)
	if _, err := owner.SQL.ExecContext(ctx, "SET ROLE "+role); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.SQL.ExecContext(ctx, "SELECT gin_clean_pending_list('artisans_name_grams')"); err == nil {
		t.Fatal("the runtime role merged the index's pending list itself: the owner's function is not needed")
	}
	if err := sqlstore.NewImports(owner, sqlstore.NewArtisans(owner, nil)).SettleArtisans(ctx); err != nil {
		t.Fatalf("settle as the runtime role: %v", err)
	}
}

package svckit

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/svcconfig"
)

func kitFor(t *testing.T, vars map[string]string) *Kit {
	t.Helper()
	vars["HIRFA_AUTH_DEV"] = "true"
	vars["HIRFA_DATABASE_URL"] = "sqlite://" + filepath.Join(t.TempDir(), "kit.db")
	var p svcconfig.Problems
	cfg := svcconfig.LoadCommon(func(k string) string { return vars[k] }, &p, "kit", "127.0.0.1:0")
	if err := p.Err(); err != nil {
		t.Fatal(err)
	}
	k, err := Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), func(ctx context.Context, db *store.DB) error {
		return store.Migrate(ctx, db, "kit", fstest.MapFS{"sqlite/0001_kit.sql": {Data: []byte("CREATE TABLE kit (id TEXT);")}})
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = k.Close() })
	return k
}

// Without a bus configured a producer relays nothing and starts no goroutine.
func TestStartRelayOff(t *testing.T) {
	k := kitFor(t, map[string]string{})
	before := len(k.closers)
	if err := k.StartRelay("registry"); err != nil {
		t.Fatal(err)
	}
	if len(k.closers) != before {
		t.Fatal("a relay was started without HIRFA_REDIS_URL or HIRFA_BUS_ADDR")
	}
}

// The consumer hosts the embedded server on HIRFA_BUS_ADDR and a producer
// connects to it there; Close stops the background loops before closing
// what they use.
func TestEmbeddedBusSharedByAddress(t *testing.T) {
	host := kitFor(t, map[string]string{})
	hbus, err := host.OpenBus(true)
	if err != nil {
		t.Fatal(err)
	}
	if !hbus.Embedded() {
		t.Fatal("no Redis URL: the host should run the embedded server")
	}
	prod := kitFor(t, map[string]string{"HIRFA_BUS_ADDR": hbus.Addr()})
	pbus, err := prod.OpenBus(false)
	if err != nil {
		t.Fatal(err)
	}
	if pbus.Embedded() {
		t.Fatal("a producer must connect to the host's server, not start its own")
	}
	ctx := context.Background()
	if err := pbus.Client.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if v, err := hbus.Client.Get(ctx, "k").Result(); err != nil || v != "v" {
		t.Fatalf("host reads %q, %v", v, err)
	}
	if err := prod.StartRelay("registry"); err != nil {
		t.Fatal(err)
	}
	var stopped atomic.Bool
	prod.Go("loop", func(ctx context.Context) error {
		<-ctx.Done()
		time.Sleep(50 * time.Millisecond)
		stopped.Store(true)
		return ctx.Err()
	})
	if err := prod.Close(); err != nil {
		t.Fatal(err)
	}
	if !stopped.Load() {
		t.Fatal("Close returned before the background loop ended")
	}
}

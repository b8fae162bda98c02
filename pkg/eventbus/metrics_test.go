package eventbus_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/eventbus"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/telemetry"
	eventv1 "github.com/hirfa/hirfa/proto/gen/hirfa/event/v1"
)

// TestLagIsAPrometheusMetric: the consumer's lag gauges (entries not yet
// delivered, pending, age of the oldest unacknowledged event) reach the
// Prometheus scrape endpoint of pkg/telemetry. Five events wait in the
// stream and the handler holds the first batch, so the sample Run takes
// before its first read says 5 undelivered.
func TestLagIsAPrometheusMetric(t *testing.T) {
	ctx := t.Context()
	shutdown, err := telemetry.Setup(ctx, "eventbus-test", "test", "")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = shutdown(context.Background()) }()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	if err := telemetry.ServeMetrics(ctx, addr, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}

	db, err := store.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	bus, err := eventbus.Open(eventbus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	f := setup(t, db, bus)
	f.write(t, ctx, "m", 5, 0)
	f.drainRelay(t, f.relay)
	release := make(chan struct{})
	c := f.consumer(func(ctx context.Context, tx *sql.Tx, env *eventv1.Envelope) error {
		<-release
		return project(ctx, tx, f.db, env)
	})
	c.ClaimIdle = time.Hour
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { _ = c.Run(runCtx); close(done) }()
	defer func() { close(release); cancel(); <-done }()

	lag := regexp.MustCompile(`(?m)^hirfa_eventbus_consumer_lag\{[^}]*group="projection"[^}]*\} 5$`)
	want := []*regexp.Regexp{lag,
		regexp.MustCompile(`(?m)^hirfa_eventbus_consumer_pending\{[^}]*group="projection"[^}]*\} `),
		regexp.MustCompile(`(?m)^hirfa_eventbus_consumer_oldest_age_seconds\{[^}]*group="projection"[^}]*\} `)}
	var body string
	for range 100 { // the first sample lands right after Run starts
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		body = string(b)
		if lag.MatchString(body) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, re := range want {
		if !re.MatchString(body) {
			t.Errorf("/metrics has no line matching %s", re)
		}
	}
}

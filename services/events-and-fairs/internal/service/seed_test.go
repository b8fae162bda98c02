package service

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"google.golang.org/protobuf/proto"

	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
)

// TestSeedDemo seeds the demo fair and assembly, and a restart on the same
// database writes nothing twice.
func TestSeedDemo(t *testing.T) {
	dir := t.TempDir()
	cfg, err := Load(func(k string) string {
		return map[string]string{
			"HIRFA_DATABASE_URL":      "sqlite://" + filepath.Join(dir, "ef.db"),
			"HIRFA_AUTH_DEV_KEY_FILE": filepath.Join(dir, "dev.pem"), "HIRFA_AUTH_DEV": "true",
			"HIRFA_SEED_DEMO": "true",
		}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var outbox int
	for run := range 2 {
		svc, err := New(context.Background(), cfg, log)
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		for _, tb := range []string{"events", "booths", "assemblies", "agenda_items", "outbox"} {
			var n int
			if err := svc.DB.SQL.QueryRow("SELECT COUNT(*) FROM " + tb).Scan(&n); err != nil {
				t.Fatal(err)
			}
			counts[tb] = n
		}
		if counts["events"] != 1 || counts["booths"] != 60 || counts["assemblies"] != 1 || counts["agenda_items"] != 3 {
			t.Fatalf("run %d: seeded %v", run, counts)
		}
		if run == 1 && counts["outbox"] != outbox {
			t.Fatalf("the restart wrote %d more events", counts["outbox"]-outbox)
		}
		outbox = counts["outbox"]
		// Outbox rows carry the public contract: the event's payload
		// decodes as the resource message.
		var typ, subject string
		var data []byte
		if err := svc.DB.SQL.QueryRow("SELECT type, subject, data FROM outbox WHERE type = 'hirfa.eventsfairs.v1.EventApplicationsOpened'").Scan(&typ, &subject, &data); err != nil {
			t.Fatal(err)
		}
		var ev eventsfairsv1.Event
		if err := proto.Unmarshal(data, &ev); err != nil || ev.GetName() != subject || ev.GetState() != eventsfairsv1.Event_OPEN_FOR_APPLICATIONS || len(ev.GetFair().GetQuotas()) != 3 {
			t.Fatalf("payload of %s = %v, %v", typ, &ev, err)
		}
		_ = svc.Close()
	}
}

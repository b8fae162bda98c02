package service

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/resource"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
	"github.com/hirfa/hirfa/services/registry/internal/domain/bulkimport"
)

// replicaClock steps a replica's name check clock by hand: a background
// read of other replicas' changes starts only when a test moves it past
// the refresh interval.
type replicaClock struct{ now time.Time }

func (c *replicaClock) Now() time.Time { return c.now }

// checkHolders answers the holders a name check of e finds for ar/fr.
func checkHolders(t *testing.T, e *env, ar, fr string) string {
	t.Helper()
	resp, err := registryv1.NewCooperativeNameServiceClient(e.conn).CheckCooperativeName(e.as(t, "", ""),
		&registryv1.CheckCooperativeNameRequest{NameAr: ar, NameFr: fr})
	if err != nil {
		t.Fatalf("check %q %q: %v", ar, fr, err)
	}
	var out []string
	for _, c := range resp.GetConflicts() {
		out = append(out, c.GetHolder())
	}
	return strings.Join(out, " ")
}

// readOthers has e's name check read the other replicas' changes: the
// first check past the refresh interval starts the read in the background,
// and the test waits for it to end.
func readOthers(t *testing.T, e *env, clock *replicaClock) {
	t.Helper()
	clock.now = clock.now.Add(2 * time.Second)
	checkHolders(t, e, "", "Coopérative Lecture")
	e.svc.Port.Names.WaitReads()
}

// TestNameCheckSeesDeletesOfOtherReplicas: two replicas on one database.
// A cooperative deleted through one stops conflicting on the other at
// that replica's next background read of changes, not only at its next
// full rebuild (minutes later); and a row of it read again afterwards
// (the read's overlap) does not bring it back.
func TestNameCheckSeesDeletesOfOtherReplicas(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			url := "sqlite://" + filepath.Join(t.TempDir(), "registry.db")
			if backend == "postgres" {
				url = postgresURL(t)
			}
			a, b := start(t, url), start(t, url)
			clockA, clockB := &replicaClock{time.Now()}, &replicaClock{time.Now()}
			a.svc.Port.Names.Now, b.svc.Port.Names.Now = clockA.Now, clockB.Now

			clerk := a.as(t, auth.RoleChamberClerk, "fes-meknes")
			in := newCoop()
			in.DisplayName = &typev1.LocalizedText{Ar: "تعاونية الأطلس للنسيج", Fr: "Coopérative Atlas Tissage"}
			atlas, err := a.coops().CreateCooperative(clerk, &registryv1.CreateCooperativeRequest{Parent: "chambers/fes-meknes", Cooperative: in})
			if err != nil {
				t.Fatal(err)
			}
			// B builds its index from the database: the cooperative is in it.
			if got := checkHolders(t, b, "جمعية أطلس", ""); got != atlas.GetName() {
				t.Fatalf("replica B before the delete = %q, want %s", got, atlas.GetName())
			}

			if _, err := a.coops().DeleteCooperative(clerk, &registryv1.DeleteCooperativeRequest{Name: atlas.GetName()}); err != nil {
				t.Fatal(err)
			}
			if got := checkHolders(t, a, "جمعية أطلس", ""); got != "" {
				t.Errorf("replica A after its own delete = %q, want available", got)
			}
			readOthers(t, b, clockB)
			if got := checkHolders(t, b, "جمعية أطلس", "Union Atlas"); got != "" {
				t.Errorf("replica B after a read of changes = %q, want available", got)
			}
			// The next reads go back over the same seconds: still released.
			readOthers(t, b, clockB)
			if got := checkHolders(t, b, "جمعية أطلس", "Union Atlas"); got != "" {
				t.Errorf("replica B after a second read = %q, want available", got)
			}
		})
	}
}

// TestNameCheckSeesImportedCooperatives: cooperatives imported through a
// replica conflict from that replica's next check, as a single create's
// do, without waiting for a background read of the database (none can
// start here: the check's clock does not move).
func TestNameCheckSeesImportedCooperatives(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		clock := &replicaClock{time.Now()}
		e.svc.Port.Names.Now = clock.Now
		if got := checkHolders(t, e, "جمعية الأمل", "Union Nour"); got != "" {
			t.Fatalf("before the import = %q, want available", got)
		}
		fes := e.as(t, auth.RoleChamberClerk, "fes-meknes")
		op := importOf(t, e, fes, "fes-meknes", bulkimport.Cooperatives, "cooperatives.csv", coopCSV, false)
		if op.GetRowsAccepted() != 2 {
			t.Fatalf("import: %s", counts(op))
		}
		n, err := resource.ParseName(op.GetName(), bulkimport.Collection, "name")
		if err != nil {
			t.Fatal(err)
		}
		// coopCSV's accepted rows are its lines 2 (Al Amal) and 8 (Khair).
		rows := &bulkimport.Operation{Meta: resource.Meta{ID: n.ID}, RowIDWidth: bulkimport.RowIDWidth}
		amal, khair := "chambers/fes-meknes/cooperatives/"+rows.RowID(2), "chambers/fes-meknes/cooperatives/"+rows.RowID(8)
		if got := checkHolders(t, e, "جمعية الأمل", ""); got != amal {
			t.Errorf("Arabic name of an imported row = %q, want %s", got, amal)
		}
		if got := checkHolders(t, e, "", "Union Khair"); got != khair {
			t.Errorf("French name of an imported row = %q, want %s", got, khair)
		}
		// A row the import refused holds nothing.
		if got := checkHolders(t, e, "", "Union Nour"); got != "" {
			t.Errorf("a refused row's name = %q, want available", got)
		}
	})
}

// Package repotest is the registry's repository conformance suite: the same
// tests run against every storage backend (SQLite and PostgreSQL), so both
// behave identically — CRUD, paging order and tokens, filters, the outbox
// and audit rows, and the uniqueness rules (live CNIE, NIA, ICE). Rollback,
// concurrent updates and request-id replay are the store's own mechanism,
// held by pkg/store's conformance suite on a test entity.
package repotest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/services/registry/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
)

// Run runs the suite; open returns a fresh, empty, migrated database.
func Run(t *testing.T, open func(t *testing.T) *store.DB) {
	storetest.Suite(t, open, sqlstore.Migrate, map[string]func(*testing.T, *store.DB){
		"CRUD":                    testCRUD,
		"Paging":                  testPaging,
		"Filters":                 testFilters,
		"LiveCNIEUnique":          testCNIE,
		"NIASequenceNeverReused":  testNIA,
		"AuditRecordsAppendOnly":  testAuditImmutable,
		"DeletedCooperativeNames": testNameReleases,
	})
}

var w = change.Write{Action: "Created", Method: "/test", Actor: change.Actor{Subject: "tester", Role: "chamber-clerk", Chamber: "fes-meknes"}}

func coop(chamber, fr, ar string) *cooperative.Cooperative {
	c := &cooperative.Cooperative{DisplayName: l10n.Text{FR: fr, AR: ar}, Activity: "F1.B02.A01", Province: "fes",
		CapitalCentimes: 100_000, ShareValueCentimes: 10_000, MembersWomen: 5, State: cooperative.Forming}
	c.Chamber, c.ID = chamber, resource.NewID()
	return c
}

func count(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func name(c *cooperative.Cooperative) resource.Name {
	return resource.Name{Chamber: c.Chamber, Collection: cooperative.Collection, ID: c.ID}
}

func testCRUD(t *testing.T, db *store.DB) {
	ctx := context.Background()
	repo := sqlstore.NewCooperatives(db, nil)
	c, err := repo.Create(ctx, coop("fes-meknes", "Coopérative Atlas", "تعاونية الأطلس"), w)
	if err != nil {
		t.Fatal(err)
	}
	if c.Revision != 1 || c.CreateTime.IsZero() || !c.CreateTime.Equal(c.UpdateTime) {
		t.Fatalf("created meta = %+v", c.Meta)
	}
	got, err := repo.Get(ctx, name(c))
	if err != nil {
		t.Fatal(err)
	}
	if got.DisplayName != c.DisplayName || got.CapitalCentimes != c.CapitalCentimes || !got.CreateTime.Equal(c.CreateTime) || got.Etag() != c.Etag() {
		t.Fatalf("Get = %+v, want %+v", got, c)
	}
	upd, err := repo.Update(ctx, name(c), change.Write{Action: "Updated"}, func(c *cooperative.Cooperative) error {
		c.MembersMen = 3
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if upd.Revision != 2 || upd.Etag() == c.Etag() || upd.MembersMen != 3 || upd.UpdateTime.Before(upd.CreateTime) {
		t.Fatalf("updated = %+v", upd)
	}
	if err := repo.Delete(ctx, name(c), change.Write{Action: "Deleted"}, func(*cooperative.Cooperative) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Get(ctx, name(c)); !fault.Is[*fault.NotFoundError](err) {
		t.Fatalf("Get after delete = %v, want NotFound", err)
	}
	if _, err := repo.Update(ctx, name(c), w, func(*cooperative.Cooperative) error { return nil }); !fault.Is[*fault.NotFoundError](err) {
		t.Fatalf("Update after delete = %v, want NotFound", err)
	}
	// Three changes: three events and three audit records.
	if o, a := count(t, db, "outbox"), count(t, db, "audit_records"); o != 3 || a != 3 {
		t.Fatalf("outbox=%d audit=%d, want 3 and 3", o, a)
	}
	var typ, subject string
	if err := db.SQL.QueryRow("SELECT type, subject FROM outbox ORDER BY seq LIMIT 1").Scan(&typ, &subject); err != nil {
		t.Fatal(err)
	}
	if typ != "hirfa.registry.v1.CooperativeCreated" || subject != name(c).String() {
		t.Fatalf("first event = %s %s", typ, subject)
	}
}

// testNameReleases: a deleted cooperative leaves no row, so its delete
// records the release of its name, in its own transaction, for the name
// check's reads of changes (CooperativeNames.ChangedSince) on every
// replica: a read from before the delete returns the release (holding no
// name, at the delete's time, outranking the cooperative's rows), a read
// from after it and a full read do not, a refused delete records none, and
// a later delete prunes the releases older than the name check can need.
func testNameReleases(t *testing.T, db *store.DB) {
	ctx := context.Background()
	repo := sqlstore.NewCooperatives(db, nil)
	names := sqlstore.CooperativeNames{DB: db}
	clock := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	repo.T.SetClock(func() time.Time { return clock })
	atlas, err := repo.Create(ctx, coop("fes-meknes", "Coopérative Atlas", "تعاونية الأطلس"), w)
	if err != nil {
		t.Fatal(err)
	}
	rif, err := repo.Create(ctx, coop("oriental", "Coopérative Rif", "تعاونية الريف"), w)
	if err != nil {
		t.Fatal(err)
	}
	refused := errors.New("refused")
	if err := repo.Delete(ctx, name(rif), change.Write{Action: "Deleted"}, func(*cooperative.Cooperative) error { return refused }); !errors.Is(err, refused) {
		t.Fatalf("refused delete = %v", err)
	}
	clock = clock.Add(time.Minute)
	deleted := clock
	if err := repo.Delete(ctx, name(atlas), change.Write{Action: "Deleted"}, func(*cooperative.Cooperative) error { return nil }); err != nil {
		t.Fatal(err)
	}
	read := func(since time.Time) map[string]app.HeldName {
		t.Helper()
		var at int64
		if !since.IsZero() {
			at = since.UnixMicro()
		}
		hs, err := names.ChangedSince(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]app.HeldName{}
		for _, h := range hs {
			out[h.Holder] = h
		}
		return out
	}
	got := read(deleted.Add(-time.Second))
	r, ok := got[atlas.Name()]
	if len(got) != 1 || !ok || r.AR != "" || r.FR != "" || r.UpdateTime != deleted.UnixMicro() || r.Revision <= atlas.Revision {
		t.Fatalf("read from before the delete = %+v, want only the release of %s at %d", got, atlas.Name(), deleted.UnixMicro())
	}
	if got := read(deleted.Add(time.Microsecond)); len(got) != 0 {
		t.Errorf("read from after the delete = %+v, want nothing", got)
	}
	if got := read(time.Time{}); len(got) != 1 || got[rif.Name()].FR != "Coopérative Rif" {
		t.Errorf("full read = %+v, want the remaining cooperative alone", got)
	}

	// A delete two hours later prunes the first release.
	clock = clock.Add(2 * time.Hour)
	if err := repo.Delete(ctx, name(rif), change.Write{Action: "Deleted"}, func(*cooperative.Cooperative) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, "cooperative_name_releases"); n != 1 {
		t.Errorf("releases after a later delete = %d, want 1 (the older pruned)", n)
	}
	if got := read(deleted.Add(-time.Second)); len(got) != 1 || got[rif.Name()].UpdateTime != clock.UnixMicro() {
		t.Errorf("read after the prune = %+v, want the second release alone", got)
	}
}

func testPaging(t *testing.T, db *store.DB) {
	ctx := context.Background()
	repo := sqlstore.NewCooperatives(db, nil)
	var want []string
	for i := 0; i < 23; i++ {
		chamber := "fes-meknes"
		if i%3 == 0 {
			chamber = "marrakech-safi"
		}
		c, err := repo.Create(ctx, coop(chamber, fmt.Sprintf("Coop %02d", i), "تعاونية"), w)
		if err != nil {
			t.Fatal(err)
		}
		if chamber == "fes-meknes" {
			want = append(want, c.Name())
		}
	}
	collect := func(q paging.ListQuery) []string {
		var got []string
		for pages := 0; ; pages++ {
			p, err := repo.List(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range p.Items {
				got = append(got, c.Name())
			}
			if p.NextPageToken == "" {
				return got
			}
			if len(p.Items) != q.PageSize {
				t.Fatalf("short page %d before the end", len(p.Items))
			}
			q.PageToken = p.NextPageToken
			if pages > 30 {
				t.Fatal("paging does not end")
			}
		}
	}
	got := collect(paging.ListQuery{Chamber: "fes-meknes", PageSize: 4})
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("pages in create order:\n got %v\nwant %v", got, want)
	}
	all := collect(paging.ListQuery{Chamber: resource.Wildcard, PageSize: 5})
	if len(all) != 23 {
		t.Fatalf("national read = %d, want 23", len(all))
	}
	desc := collect(paging.ListQuery{Chamber: "fes-meknes", PageSize: 3, OrderBy: "display_name desc"})
	if len(desc) != len(want) || desc[0] == desc[len(desc)-1] {
		t.Fatalf("desc order = %v", desc)
	}
	p, err := repo.List(ctx, paging.ListQuery{Chamber: "fes-meknes", PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	// A token is bound to its query.
	if _, err := repo.List(ctx, paging.ListQuery{Chamber: "fes-meknes", PageSize: 2, Filter: "state = ACTIVE", PageToken: p.NextPageToken}); !fault.Is[*fault.InvalidError](err) {
		t.Fatalf("token reused with another filter = %v, want InvalidArgument", err)
	}
	if _, err := repo.List(ctx, paging.ListQuery{Chamber: "fes-meknes", PageSize: -1}); !fault.Is[*fault.InvalidError](err) {
		t.Fatalf("negative page size = %v", err)
	}
	big, err := repo.List(ctx, paging.ListQuery{Chamber: resource.Wildcard, PageSize: 100000})
	if err != nil || len(big.Items) != 23 {
		t.Fatalf("oversized page size = %d, %v (must be coerced, not refused)", len(big.Items), err)
	}
}

func testFilters(t *testing.T, db *store.DB) {
	ctx := context.Background()
	repo := sqlstore.NewCooperatives(db, nil)
	for _, c := range []*cooperative.Cooperative{
		coop("fes-meknes", "Coopérative Fès Broderie", "تعاونية فاس للطرز"),
		coop("fes-meknes", "Coopérative Meknès", "تعاونية مكناس"),
		coop("fes-meknes", "Coopérative de l'Amitié", "تعاونيّة الصداقة"),
	} {
		if _, err := repo.Create(ctx, c, w); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		filter string
		want   int
	}{
		{`display_name:"fes"`, 1},                             // accent-insensitive
		{`display_name:"FÈS"`, 1},                             // case and accent
		{`display_name:"تعاونية"`, 3},                         // shadda in the stored name is ignored
		{`display_name:"فَاس"`, 1},                            // diacritics in the query are ignored
		{`display_name:"مكناس" OR display_name:"الصداقه"`, 2}, // ta marbuta / ha
		{`state = FORMING AND members >= 5`, 3},
		{`NOT state = FORMING`, 0},
		{`create_time > "2000-01-01T00:00:00Z"`, 3},
		{`(province = "fes" OR province = "meknes") AND state != DISSOLVED`, 3},
	}
	for _, tt := range tests {
		p, err := repo.List(ctx, paging.ListQuery{Chamber: "fes-meknes", Filter: tt.filter})
		if err != nil {
			t.Fatalf("%s: %v", tt.filter, err)
		}
		if len(p.Items) != tt.want {
			t.Errorf("%s: %d results, want %d", tt.filter, len(p.Items), tt.want)
		}
	}
	for _, bad := range []string{`colour = "red"`, `state = FLYING`, `state = `, `(state = ACTIVE`} {
		if _, err := repo.List(ctx, paging.ListQuery{Chamber: "fes-meknes", Filter: bad}); !fault.Is[*fault.InvalidError](err) {
			t.Errorf("filter %q = %v, want InvalidArgument", bad, err)
		}
	}
}

func artisanOf(chamber, cnie string) *artisan.Artisan {
	a := &artisan.Artisan{GivenNameAR: "م", FamilyNameAR: "ف", GivenNameLatin: "M", FamilyNameLatin: "F", CNIE: cnie,
		Gender: artisan.Male, BirthDate: "1980-01-01", Province: "fes", Activity: "F1.B02.A01", Category: artisan.Experienced,
		YearsOfPractice: 5, State: artisan.Applicant}
	a.Chamber, a.ID = chamber, resource.NewID()
	return a
}

func testCNIE(t *testing.T, db *store.DB) {
	ctx := context.Background()
	repo := sqlstore.NewArtisans(db, nil)
	first, err := repo.Create(ctx, artisanOf("fes-meknes", "AB123456"), w)
	if err != nil {
		t.Fatal(err)
	}
	_, err = repo.Create(ctx, artisanOf("marrakech-safi", "AB123456"), w)
	var ae *fault.AlreadyExistsError
	if !errors.As(err, &ae) || ae.Existing != "" || ae.Field != "artisan.cnie" || strings.Contains(ae.Msg, first.ID) || !strings.Contains(ae.Msg, "fes-meknes") {
		t.Fatalf("duplicate live CNIE in another chamber = %#v, want AlreadyExists naming the chamber, not the record", err)
	}
	_, err = repo.Create(ctx, artisanOf("fes-meknes", "AB123456"), w)
	if !errors.As(err, &ae) || ae.Existing != first.Name() {
		t.Fatalf("duplicate live CNIE in the same chamber = %#v, want AlreadyExists naming %s", err, first.Name())
	}
	n := resource.Name{Chamber: first.Chamber, Collection: artisan.Collection, ID: first.ID}
	if _, err := repo.Update(ctx, n, w, func(a *artisan.Artisan) error {
		if err := a.Register("03-2026-000001", first.CreateTime); err != nil {
			return err
		}
		return a.StrikeOff("left the trade")
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Create(ctx, artisanOf("marrakech-safi", "AB123456"), w); err != nil {
		t.Fatalf("CNIE of a struck-off record must be usable again: %v", err)
	}
}

func testNIA(t *testing.T, db *store.DB) {
	ctx := context.Background()
	repo := sqlstore.NewArtisans(db, nil)
	var mu sync.Mutex
	seen := map[int64]bool{}
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := repo.NextNIASequence(ctx, "fes-meknes", 2026)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if seen[n] {
				t.Errorf("NIA sequence %d handed out twice", n)
			}
			seen[n] = true
		}()
	}
	wg.Wait()
	for i := int64(1); i <= 20; i++ {
		if !seen[i] {
			t.Fatalf("sequence has a hole at %d: %v", i, seen)
		}
	}
	if n, err := repo.NextNIASequence(ctx, "fes-meknes", 2027); err != nil || n != 1 {
		t.Fatalf("new year starts at %d, %v", n, err)
	}
	// The unique index is the final guard against reuse.
	a := artisanOf("fes-meknes", "X1")
	a.NIA, a.State = "03-2026-000001", artisan.Registered
	b := artisanOf("fes-meknes", "X2")
	b.NIA, b.State = a.NIA, artisan.Registered
	if _, err := repo.Create(ctx, a, w); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Create(ctx, b, w); err == nil {
		t.Fatal("two artisans with one NIA")
	}
}

func testAuditImmutable(t *testing.T, db *store.DB) {
	ctx := context.Background()
	if _, err := sqlstore.NewCooperatives(db, nil).Create(ctx, coop("fes-meknes", "Coop", "تعاونية"), w); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, "UPDATE audit_records SET actor = 'someone else'"); err == nil {
		t.Fatal("audit records can be rewritten")
	}
	if _, err := db.Exec(ctx, "DELETE FROM audit_records"); err == nil {
		t.Fatal("audit records can be deleted")
	}
	if count(t, db, "audit_records") != 1 {
		t.Fatal("audit record lost")
	}
}

package service

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/testenv"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	reportingv1 "github.com/hirfa/hirfa/proto/gen/hirfa/reporting/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
	"github.com/hirfa/hirfa/services/reporting/internal/adapters/eventdecode"
	"github.com/hirfa/hirfa/services/reporting/internal/adapters/sqlstore"
)

// project decodes one producer event sent at `at` and applies it to the
// service's projections, as the consumer would.
func project(t *testing.T, e *env, typ string, at time.Time, m proto.Message) {
	t.Helper()
	ctx := context.Background()
	data, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	c, ok, err := eventdecode.Decoder{}.Decode(typ, at, data)
	if err != nil || !ok {
		t.Fatalf("decode %s: %v %v", typ, ok, err)
	}
	if err := e.svc.DB.Tx(ctx, func(tx *sql.Tx) error { return sqlstore.NewProjector(e.svc.DB).Apply(ctx, tx, c) }); err != nil {
		t.Fatal(err)
	}
}

// feedInventory projects a small register into the service's database, as
// the consumer would: fresh (a1), outdated (a2), marked stagnant (a3),
// without evidence and without its definitive receipt (a4), a cooperative
// with a recent document (c1) and another chamber's association (m1).
func feedInventory(t *testing.T, e *env) {
	t.Helper()
	at := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	send := func(typ string, m proto.Message) {
		at = at.Add(time.Minute)
		project(t, e, typ, at, m)
	}
	assoc := func(chamber, id string, state registryv1.Association_State, mod func(*registryv1.Association)) {
		a := &registryv1.Association{Name: "chambers/" + chamber + "/associations/" + id,
			DisplayName: &typev1.LocalizedText{Ar: "جمعية " + id, Fr: "Association " + id}, Province: "fes", State: state,
			Receipt:                  &registryv1.Association_Receipt{ProvisionalDate: "2015-01-10", DefinitiveDate: "2015-03-01"},
			DefinitiveReceiptDueDate: "2015-03-11", CreateTime: timestamppb.New(at), UpdateTime: timestamppb.New(at.Add(time.Minute))}
		mod(a)
		send("hirfa.registry.v1.AssociationUpdated", a)
	}
	assoc("fes-meknes", "a1", registryv1.Association_ACTIVE, func(a *registryv1.Association) { a.LastGeneralAssemblyDate = "2026-06-14" })
	assoc("fes-meknes", "a2", registryv1.Association_ACTIVE, func(a *registryv1.Association) { a.LastGeneralAssemblyDate = "2022-06-14" })
	assoc("fes-meknes", "a3", registryv1.Association_STAGNANT, func(a *registryv1.Association) {
		a.StateReason, a.StateActor, a.LastGeneralAssemblyDate = "لا نشاط منذ 2021", "admin@fes-meknes.ca.ma", "2021-01-01"
	})
	assoc("fes-meknes", "a4", registryv1.Association_DECLARED, func(a *registryv1.Association) {
		a.Receipt, a.DefinitiveReceiptDueDate = &registryv1.Association_Receipt{ProvisionalDate: "2023-01-01"}, "2023-03-02"
	})
	assoc("marrakech-safi", "m1", registryv1.Association_ACTIVE, func(*registryv1.Association) {})
	send("hirfa.registry.v1.CooperativeCreated", &registryv1.Cooperative{Name: "chambers/fes-meknes/cooperatives/c1",
		DisplayName: &typev1.LocalizedText{Ar: "تعاونية النسيج", Fr: "Coopérative du tissage"}, Province: "fes", State: registryv1.Cooperative_ACTIVE,
		FoundingDate: "2010-01-01", CreateTime: timestamppb.New(at), UpdateTime: timestamppb.New(at)})
	send("hirfa.desk.v1.DocumentUploaded", &deskv1.Document{Name: "chambers/fes-meknes/documents/d1", Owner: "chambers/fes-meknes/cooperatives/c1",
		Classification: deskv1.Document_ASSEMBLY_MINUTES, CreateTime: timestamppb.New(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)), UpdateTime: timestamppb.New(at)})
	send("hirfa.desk.v1.ServiceRequestReceived", &deskv1.ServiceRequest{Name: "chambers/fes-meknes/serviceRequests/q1",
		Type: deskv1.ServiceRequest_ATTESTATION, State: deskv1.ServiceRequest_RECEIVED, UpdateTime: timestamppb.New(at)})
	e.svc.App.Clock = func() time.Time { return time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC) }
}

// TestInventory lists and downloads the inventory on SQLite and
// PostgreSQL: standings and reasons, the filters, paging, tenancy and bad
// requests.
func TestInventory(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			o := options{}
			if backend == "postgres" {
				o.dbURL = testenv.Postgres(t)
			}
			e := start(t, o)
			feedInventory(t, e)
			testInventoryAPI(t, e)
		})
	}
}

func testInventoryAPI(t *testing.T, e *env) {
	inv := reportingv1.NewInventoryServiceClient(e.conn)
	clerk := e.as(t, auth.RoleChamberClerk, "fes-meknes")
	list := func(ctx context.Context, req *reportingv1.ListOrganisationStandingsRequest) (*reportingv1.ListOrganisationStandingsResponse, error) {
		return inv.ListOrganisationStandings(ctx, req)
	}
	all, err := list(clerk, &reportingv1.ListOrganisationStandingsRequest{Parent: "chambers/fes-meknes"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range all.GetOrganisationStandings() {
		var codes []string
		for _, r := range s.GetReasons() {
			codes = append(codes, r.GetCode())
			if r.GetDescription().GetAr() == "" || r.GetDescription().GetFr() == "" {
				t.Errorf("%s: reason %s without words", s.GetRegistrant(), r.GetCode())
			}
		}
		got[s.GetRegistrant()] = s.GetStanding().String() + " " + strings.Join(codes, ",")
		if s.GetRegistrant() == "chambers/fes-meknes/associations/a3" && (s.GetReasons()[0].GetActor() != "admin@fes-meknes.ca.ma" || s.GetReasons()[0].GetText() != "لا نشاط منذ 2021") {
			t.Errorf("a3's override: %v", s.GetReasons()[0])
		}
		if s.GetRegistrant() == "chambers/fes-meknes/associations/a4" != s.GetDefinitiveReceiptOverdue() {
			t.Errorf("%s: overdue=%v", s.GetRegistrant(), s.GetDefinitiveReceiptOverdue())
		}
	}
	want := map[string]string{
		"chambers/fes-meknes/associations/a1": "ACTIVE RECENT_ASSEMBLY",
		"chambers/fes-meknes/associations/a2": "STAGNANT ASSEMBLY_OUTDATED",
		"chambers/fes-meknes/associations/a3": "STAGNANT MARKED_STAGNANT",
		"chambers/fes-meknes/associations/a4": "UNKNOWN NO_EVIDENCE,DEFINITIVE_RECEIPT_OVERDUE",
		"chambers/fes-meknes/cooperatives/c1": "ACTIVE RECENT_ASSEMBLY,RECENT_DOCUMENT",
	}
	if len(got) != len(want) || all.GetTotalSize() != 5 {
		t.Fatalf("inventory %v (total %d), want %v", got, all.GetTotalSize(), want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	// Filters and paging.
	stagnant, err := list(clerk, &reportingv1.ListOrganisationStandingsRequest{Parent: "chambers/fes-meknes", Standing: reportingv1.OrganisationStanding_STAGNANT,
		RegistrantType: reportingv1.RegistrantType_ASSOCIATION, PageSize: 1})
	if err != nil || len(stagnant.GetOrganisationStandings()) != 1 || stagnant.GetTotalSize() != 2 || stagnant.GetNextPageToken() == "" {
		t.Fatalf("stagnant page 1: %v %v", stagnant, err)
	}
	next, err := list(clerk, &reportingv1.ListOrganisationStandingsRequest{Parent: "chambers/fes-meknes", Standing: reportingv1.OrganisationStanding_STAGNANT,
		RegistrantType: reportingv1.RegistrantType_ASSOCIATION, PageSize: 1, PageToken: stagnant.GetNextPageToken()})
	if err != nil || len(next.GetOrganisationStandings()) != 1 || next.GetNextPageToken() != "" ||
		next.GetOrganisationStandings()[0].GetRegistrant() != "chambers/fes-meknes/associations/a3" {
		t.Fatalf("stagnant page 2: %v %v", next, err)
	}
	coops, err := list(clerk, &reportingv1.ListOrganisationStandingsRequest{Parent: "chambers/fes-meknes", RegistrantType: reportingv1.RegistrantType_COOPERATIVE})
	if err != nil || coops.GetTotalSize() != 1 {
		t.Fatalf("cooperatives: %v %v", coops, err)
	}
	// Tenancy.
	for _, c := range []struct {
		role           auth.Role
		chamber, scope string
		want           codes.Code
		total          int32
	}{
		{auth.RoleChamberClerk, "marrakech-safi", "chambers/fes-meknes", codes.NotFound, 0},
		{auth.RoleChamberAdmin, "fes-meknes", "chambers/-", codes.PermissionDenied, 0},
		{auth.RoleAuditor, "fes-meknes", "chambers/fes-meknes", codes.OK, 5},
		{auth.RoleMinistry, "", "chambers/-", codes.OK, 6},
		{auth.RoleFederation, "", "chambers/marrakech-safi", codes.OK, 1},
		{"", "", "chambers/fes-meknes", codes.Unauthenticated, 0},
	} {
		r, err := list(e.as(t, c.role, c.chamber), &reportingv1.ListOrganisationStandingsRequest{Parent: c.scope})
		if status.Code(err) != c.want || r.GetTotalSize() != c.total {
			t.Errorf("%s@%s on %s: %v (%d), want %v (%d)", c.role, c.chamber, c.scope, err, r.GetTotalSize(), c.want, c.total)
		}
	}
	// Bad requests: INVALID_ARGUMENT naming the field.
	for _, c := range []struct {
		name, field string
		err         error
	}{
		{"artisans are not in the inventory", "registrant_type", func() error {
			_, err := list(clerk, &reportingv1.ListOrganisationStandingsRequest{Parent: "chambers/fes-meknes", RegistrantType: reportingv1.RegistrantType_ARTISAN})
			return err
		}()},
		{"unknown standing", "standing", func() error {
			_, err := list(clerk, &reportingv1.ListOrganisationStandingsRequest{Parent: "chambers/fes-meknes", Standing: 9})
			return err
		}()},
		{"negative page size", "page_size", func() error {
			_, err := list(clerk, &reportingv1.ListOrganisationStandingsRequest{Parent: "chambers/fes-meknes", PageSize: -1})
			return err
		}()},
		{"a token of another query", "page_token", func() error {
			_, err := list(clerk, &reportingv1.ListOrganisationStandingsRequest{Parent: "chambers/fes-meknes", PageToken: stagnant.GetNextPageToken()})
			return err
		}()},
		{"bad parent", "parent", func() error {
			_, err := list(clerk, &reportingv1.ListOrganisationStandingsRequest{Parent: "fes-meknes"})
			return err
		}()},
		{"PDF inventory", "format", func() error {
			_, err := inv.DownloadInventory(clerk, &reportingv1.DownloadInventoryRequest{Scope: "chambers/fes-meknes", Language: "ar", Format: reportingv1.Format_PDF})
			return err
		}()},
		{"inventory in English", "language", func() error {
			_, err := inv.DownloadInventory(clerk, &reportingv1.DownloadInventoryRequest{Scope: "chambers/fes-meknes", Language: "en", Format: reportingv1.Format_CSV})
			return err
		}()},
	} {
		if status.Code(c.err) != codes.InvalidArgument || !strings.Contains(strings.Join(fields(c.err), ","), c.field) {
			t.Errorf("%s: %v (fields %v), want INVALID_ARGUMENT naming %s", c.name, c.err, fields(c.err), c.field)
		}
	}
	// The desk's requests, counted by type and state beside the inventory.
	rs, err := reportingv1.NewStatisticsServiceClient(e.conn).GetRequestStatistics(clerk, &reportingv1.GetRequestStatisticsRequest{Scope: "chambers/fes-meknes"})
	if err != nil || rs.GetTotal() != 1 || len(rs.GetRows()) != 1 || rs.GetRows()[0].GetType() != "ATTESTATION" || rs.GetRows()[0].GetState() != "RECEIVED" {
		t.Fatalf("request statistics: %v %v", rs, err)
	}
	if _, err := reportingv1.NewStatisticsServiceClient(e.conn).GetRequestStatistics(e.as(t, auth.RoleChamberClerk, "marrakech-safi"),
		&reportingv1.GetRequestStatisticsRequest{Scope: "chambers/fes-meknes"}); status.Code(err) != codes.NotFound {
		t.Fatalf("another chamber's request statistics: %v", err)
	}
	// Downloads.
	body, err := inv.DownloadInventory(clerk, &reportingv1.DownloadInventoryRequest{Scope: "chambers/fes-meknes", Language: "ar", Format: reportingv1.Format_CSV,
		Standing: reportingv1.OrganisationStanding_STAGNANT})
	if err != nil || !strings.HasPrefix(body.GetContentType(), "text/csv") {
		t.Fatalf("CSV: %v %v", body.GetContentType(), err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body.GetData(), []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "المرجع" || rows[2][0] != "chambers/fes-meknes/associations/a3" || rows[2][6] != "راكدة" ||
		!strings.Contains(rows[2][7], "admin@fes-meknes.ca.ma") || rows[2][2] != "جمعية a3" {
		t.Fatalf("CSV rows: %q", rows)
	}
	x, err := inv.DownloadInventory(e.as(t, auth.RoleMinistry, ""), &reportingv1.DownloadInventoryRequest{Scope: "chambers/-", Language: "fr", Format: reportingv1.Format_XLSX})
	if err != nil || !strings.HasPrefix(x.GetContentType(), "application/vnd.openxmlformats") || !bytes.HasPrefix(x.GetData(), []byte("PK")) {
		t.Fatalf("XLSX: %v %v", x.GetContentType(), err)
	}
}

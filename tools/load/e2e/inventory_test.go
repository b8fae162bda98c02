package e2e

import (
	"bytes"
	"context"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/hirfa/hirfa/pkg/auth"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	reportingv1 "github.com/hirfa/hirfa/proto/gen/hirfa/reporting/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
	"github.com/hirfa/hirfa/proto/openapi/openapitest"
)

// TestInventoryThroughTheEdge sorts associations and cooperatives from the
// evidence the producers publish, read through the REST edge of a
// multi-process stack (every call checked against the served OpenAPI
// document): an association marked stagnant by the chamber's admin shows
// the mark with its author and reason, one declared in 2024 without its
// definitive receipt is flagged, and a cooperative's statutes filed at the
// desk (the desk's events, through the bus) make it active. The CSV
// download comes through the edge too; another chamber's clerk gets 404.
func TestInventoryThroughTheEdge(t *testing.T) {
	s := newStack(t, "HIRFA_SEED_DEMO=false", "HIRFA_SHUTDOWN_TIMEOUT=10s")
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	clerk := rest(t, s, token(t, s, auth.RoleChamberClerk, "fes-meknes"))
	admin := rest(t, s, token(t, s, auth.RoleChamberAdmin, "fes-meknes"))

	name := func(ar, fr string) *typev1.LocalizedText { return &typev1.LocalizedText{Ar: ar, Fr: fr} }
	marked := &registryv1.Association{}
	do(ctx, t, clerk, http.MethodPost, "/v1/chambers/fes-meknes/associations", url.Values{"request_id": {"inv-e2e-a1"}}, &registryv1.Association{
		DisplayName: name("جمعية الدباغين", "Association des tanneurs"), Object: "النهوض بالدباغة", Province: "fes",
		Category: registryv1.Association_PROFESSIONAL, LastGeneralAssemblyDate: "2021-03-01",
		Receipt: &registryv1.Association_Receipt{ProvisionalDate: "2019-01-10", DefinitiveDate: "2019-02-20"}}, marked, codes.OK)
	do(ctx, t, clerk, http.MethodPost, "/v1/"+marked.GetName()+":activate", nil, &registryv1.ActivateAssociationRequest{}, marked, codes.OK)
	do(ctx, t, admin, http.MethodPost, "/v1/"+marked.GetName()+":markStagnant", nil,
		&registryv1.MarkStagnantAssociationRequest{Reason: "لا جمع عام منذ 2021"}, marked, codes.OK)
	late := &registryv1.Association{}
	do(ctx, t, clerk, http.MethodPost, "/v1/chambers/fes-meknes/associations", url.Values{"request_id": {"inv-e2e-a2"}}, &registryv1.Association{
		DisplayName: name("جمعية الخزافين", "Association des potiers"), Object: "النهوض بالخزف", Province: "fes",
		Category: registryv1.Association_DEVELOPMENT, Receipt: &registryv1.Association_Receipt{ProvisionalDate: "2024-01-10"}}, late, codes.OK)
	coop := &registryv1.Cooperative{}
	do(ctx, t, clerk, http.MethodPost, "/v1/chambers/fes-meknes/cooperatives", url.Values{"request_id": {"inv-e2e-c1"}}, &registryv1.Cooperative{
		DisplayName: name("تعاونية الزربية", "Coopérative du tapis"), Province: "fes", Activity: "F1.B02.A01", FoundingDate: "2015-04-01",
		CapitalCentimes: 500_000, ShareValueCentimes: 10_000, MembersWomen: 6, MembersMen: 1}, coop, codes.OK)

	// The cooperative's statutes filed at the desk (over gRPC: the edge has
	// no client streaming).
	conn, err := grpc.NewClient(s.Addr("desk"), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	up, err := deskv1.NewDocumentServiceClient(conn).UploadDocument(metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token(t, s, auth.RoleChamberClerk, "fes-meknes")))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []*deskv1.UploadDocumentRequest{
		{Content: &deskv1.UploadDocumentRequest_Metadata{Metadata: &deskv1.DocumentUpload{Parent: "chambers/fes-meknes", Document: &deskv1.Document{
			Classification: deskv1.Document_STATUTES, Owner: coop.GetName(), Retention: deskv1.Document_PERMANENT, FileName: "statuts.pdf"}}}},
		{Content: &deskv1.UploadDocumentRequest_Chunk{Chunk: []byte("%PDF-1.7\n% statuts\n")}},
	} {
		if err := up.Send(m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := up.CloseAndRecv(); err != nil {
		t.Fatal(err)
	}

	// Reporting projects the evidence within seconds.
	want := map[string]string{
		marked.GetName(): "STAGNANT MARKED_STAGNANT",
		late.GetName():   "UNKNOWN NO_EVIDENCE,DEFINITIVE_RECEIPT_OVERDUE",
		coop.GetName():   "ACTIVE RECENT_DOCUMENT",
	}
	var got map[string]string
	var page *reportingv1.ListOrganisationStandingsResponse
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(time.Second) {
		page = &reportingv1.ListOrganisationStandingsResponse{}
		do(ctx, t, clerk, http.MethodGet, "/v1/chambers/fes-meknes/organisationStandings", nil, nil, page, codes.OK)
		got = map[string]string{}
		for _, o := range page.GetOrganisationStandings() {
			var reasons []string
			for _, r := range o.GetReasons() {
				reasons = append(reasons, r.GetCode())
			}
			got[o.GetRegistrant()] = o.GetStanding().String() + " " + strings.Join(reasons, ",")
		}
		if maps.Equal(got, want) {
			break
		}
	}
	if !maps.Equal(got, want) {
		t.Fatalf("inventory %v, want %v", got, want)
	}
	for _, o := range page.GetOrganisationStandings() {
		if o.GetRegistrant() == marked.GetName() && (o.GetReasons()[0].GetActor() != "chamber-admin@fes-meknes.e2e" || o.GetReasons()[0].GetText() != "لا جمع عام منذ 2021") {
			t.Errorf("the mark: %v", o.GetReasons()[0])
		}
		if o.GetRegistrant() == late.GetName() && !o.GetDefinitiveReceiptOverdue() {
			t.Errorf("%s: definitive receipt not flagged", late.GetName())
		}
	}
	stagnant := &reportingv1.ListOrganisationStandingsResponse{}
	do(ctx, t, clerk, http.MethodGet, "/v1/chambers/fes-meknes/organisationStandings", url.Values{"standing": {"STAGNANT"}, "registrant_type": {"ASSOCIATION"}}, nil, stagnant, codes.OK)
	if len(stagnant.GetOrganisationStandings()) != 1 || stagnant.GetOrganisationStandings()[0].GetRegistrant() != marked.GetName() {
		t.Errorf("stagnant associations: %v", stagnant)
	}
	other := rest(t, s, token(t, s, auth.RoleChamberClerk, "marrakech-safi"))
	do(ctx, t, other, http.MethodGet, "/v1/chambers/fes-meknes/organisationStandings", nil, nil, &reportingv1.ListOrganisationStandingsResponse{}, codes.NotFound)
	do(ctx, t, clerk, http.MethodGet, "/v1/chambers/fes-meknes/organisationStandings", url.Values{"registrant_type": {"ARTISAN"}}, nil, nil, codes.InvalidArgument)

	// The CSV download, checked against the media types the document declares.
	api := openapitest.MustFetch(t, s.HTTP)
	hc := &http.Client{Transport: api.Transport(t, nil)}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.HTTP+"/v1/chambers/fes-meknes/inventory?language=ar&format=CSV", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token(t, s, auth.RoleChamberClerk, "fes-meknes"))
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || !bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) ||
		!bytes.Contains(body, []byte("جمعية الدباغين")) || !strings.Contains(resp.Header.Get("Content-Disposition"), "inventory-fes-meknes") {
		t.Fatalf("CSV: %d %s %s %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"), truncate(body))
	}
}

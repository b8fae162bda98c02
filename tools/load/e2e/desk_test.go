package e2e

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/hirfa/hirfa/pkg/auth"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
	"github.com/hirfa/hirfa/proto/openapi/openapitest"
)

// TestDeskThroughTheEdge drives the chamber's desk through the REST edge of
// a multi-process stack, every call and answer checked against the served
// OpenAPI document: a request received, studied, answered in Arabic and
// closed (an answer on the closed request refused), the overdue list, and a
// mediation case (a party the registry does not know refused) seen by the admin and its mediator but not by another
// clerk.
func TestDeskThroughTheEdge(t *testing.T) {
	s := newStack(t, "HIRFA_SEED_DEMO=false", "HIRFA_SHUTDOWN_TIMEOUT=10s")
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	clerk := rest(t, s, token(t, s, auth.RoleChamberClerk, "fes-meknes"))
	admin := rest(t, s, token(t, s, auth.RoleChamberAdmin, "fes-meknes"))
	medTok, err := s.Token(auth.RoleChamberClerk, "fes-meknes", "amina.e2e")
	if err != nil {
		t.Fatal(err)
	}
	mediator := rest(t, s, medTok)

	// A registered artisan of Fès: the desk looks parties up in the registry.
	regConn, err := grpc.NewClient(s.Addr("registry"), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer regConn.Close()
	artisans := registryv1.NewArtisanServiceClient(regConn)
	fes := metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token(t, s, auth.RoleChamberClerk, "fes-meknes"))
	artisan, err := artisans.CreateArtisan(fes, &registryv1.CreateArtisanRequest{Parent: "chambers/fes-meknes", Artisan: &registryv1.Artisan{
		GivenNameAr: "يوسف", FamilyNameAr: "الفاسي", GivenNameLatin: "Youssef", FamilyNameLatin: "Fassi", Cnie: "C707070",
		Gender: registryv1.Artisan_MALE, BirthDate: "1980-05-05", Province: "fes", Activity: "F1.B04.A01",
		Category: registryv1.Artisan_MASTER, YearsOfPractice: 15, AminCertificateReference: "AMIN-FES-12",
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := artisans.RegisterArtisan(fes, &registryv1.RegisterArtisanRequest{Name: artisan.GetName()}); err != nil {
		t.Fatal(err)
	}

	rq := &deskv1.ServiceRequest{}
	do(ctx, t, clerk, http.MethodPost, "/v1/chambers/fes-meknes/serviceRequests", url.Values{"request_id": {"desk-e2e-1"}},
		&deskv1.ServiceRequest{WalkInName: "فاطمة", Type: deskv1.ServiceRequest_GUIDANCE, Channel: deskv1.ServiceRequest_IN_PERSON,
			Subject: "توجيه نحو برنامج الدعم"}, rq, codes.OK)
	if rq.GetState() != deskv1.ServiceRequest_RECEIVED || rq.GetDeadlineTime() == nil {
		t.Fatalf("received %v", rq)
	}
	do(ctx, t, clerk, http.MethodPost, "/v1/"+rq.GetName()+":study", nil, &deskv1.StudyServiceRequestRequest{}, rq, codes.OK)
	do(ctx, t, clerk, http.MethodPost, "/v1/"+rq.GetName()+":answer", nil,
		&deskv1.AnswerServiceRequestRequest{Answer: &typev1.LocalizedText{Ar: "وجهت إلى برنامج الدعم"}}, rq, codes.OK)
	do(ctx, t, clerk, http.MethodPost, "/v1/"+rq.GetName()+":close", nil, &deskv1.CloseServiceRequestRequest{}, rq, codes.OK)
	if rq.GetState() != deskv1.ServiceRequest_CLOSED || rq.GetAnswer().GetAr() == "" {
		t.Fatalf("closed %v", rq)
	}
	do(ctx, t, clerk, http.MethodPost, "/v1/"+rq.GetName()+":answer", nil,
		&deskv1.AnswerServiceRequestRequest{Answer: &typev1.LocalizedText{Fr: "encore"}}, nil, codes.FailedPrecondition)
	overdue := &deskv1.ListServiceRequestsResponse{}
	do(ctx, t, clerk, http.MethodGet, "/v1/chambers/fes-meknes/serviceRequests", url.Values{"overdue": {"true"}}, nil, overdue, codes.OK)
	if len(overdue.GetServiceRequests()) != 0 {
		t.Fatalf("overdue %v", overdue)
	}

	// A party the registry does not know is refused.
	do(ctx, t, admin, http.MethodPost, "/v1/chambers/fes-meknes/mediationCases", nil, &deskv1.MediationCase{
		Subject: "نزاع حول طلبية", Mediator: "amina.e2e", Parties: []*deskv1.MediationParty{
			{Artisan: "chambers/fes-meknes/artisans/nobody"}, {DisplayName: "Client"}}}, nil, codes.FailedPrecondition)
	c := &deskv1.MediationCase{}
	do(ctx, t, admin, http.MethodPost, "/v1/chambers/fes-meknes/mediationCases", nil, &deskv1.MediationCase{
		Subject: "نزاع حول طلبية", Mediator: "amina.e2e", Parties: []*deskv1.MediationParty{
			{Artisan: artisan.GetName()}, {DisplayName: "Client"}}}, c, codes.OK)
	do(ctx, t, clerk, http.MethodGet, "/v1/"+c.GetName(), nil, nil, nil, codes.NotFound)
	do(ctx, t, mediator, http.MethodPost, "/v1/"+c.GetName()+":addSession", nil,
		&deskv1.AddMediationSessionRequest{Session: &deskv1.MediationSession{Notes: "جلسة أولى"}}, c, codes.OK)
	do(ctx, t, mediator, http.MethodPost, "/v1/"+c.GetName()+":close", nil,
		&deskv1.CloseMediationCaseRequest{Outcome: deskv1.MediationCase_SETTLED, OutcomeText: "صلح"}, c, codes.OK)
	if c.GetState() != deskv1.MediationCase_CLOSED || len(c.GetSessions()) != 1 {
		t.Fatalf("case %v", c)
	}

	// A document uploaded over gRPC (the edge has no client streaming),
	// then read, listed and downloaded through the edge; its deletion
	// within the retention period is refused.
	conn, err := grpc.NewClient(s.Addr("desk"), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	up, err := deskv1.NewDocumentServiceClient(conn).UploadDocument(metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token(t, s, auth.RoleChamberClerk, "fes-meknes")))
	if err != nil {
		t.Fatal(err)
	}
	content := []byte("%PDF-1.7\n% statuts\n")
	for _, m := range []*deskv1.UploadDocumentRequest{
		{Content: &deskv1.UploadDocumentRequest_Metadata{Metadata: &deskv1.DocumentUpload{Parent: "chambers/fes-meknes", Document: &deskv1.Document{
			Classification: deskv1.Document_STATUTES, Owner: rq.GetName(), Retention: deskv1.Document_FIVE_YEARS, FileName: "statuts.pdf"}}}},
		{Content: &deskv1.UploadDocumentRequest_Chunk{Chunk: content}},
	} {
		if err := up.Send(m); err != nil {
			t.Fatal(err)
		}
	}
	doc, err := up.CloseAndRecv()
	if err != nil {
		t.Fatal(err)
	}
	got := &deskv1.Document{}
	do(ctx, t, clerk, http.MethodGet, "/v1/"+doc.GetName(), nil, nil, got, codes.OK)
	if got.GetMediaType() != "application/pdf" || got.GetSizeBytes() != int64(len(content)) {
		t.Fatalf("document %v", got)
	}
	docs := &deskv1.ListDocumentsResponse{}
	do(ctx, t, clerk, http.MethodGet, "/v1/chambers/fes-meknes/documents", url.Values{"filter": {`owner = "` + rq.GetName() + `"`}}, nil, docs, codes.OK)
	if len(docs.GetDocuments()) != 1 {
		t.Fatalf("documents %v", docs)
	}
	do(ctx, t, clerk, http.MethodDelete, "/v1/"+doc.GetName(), nil, nil, nil, codes.FailedPrecondition)
	api := openapitest.MustFetch(t, s.HTTP)
	// The download's answer is the file itself, checked against the
	// document like every other call (its declared media types).
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.HTTP+"/v1/"+doc.GetName()+":download", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token(t, s, auth.RoleChamberClerk, "fes-meknes"))
	resp, err := (&http.Client{Transport: api.Transport(t, nil)}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" || string(body) != string(content) {
		t.Fatalf("download: %d %s %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}

package e2e

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/render/rendertest"
	"github.com/hirfa/hirfa/pkg/testenv"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	reportingv1 "github.com/hirfa/hirfa/proto/gen/hirfa/reporting/v1"
	"github.com/hirfa/hirfa/proto/openapi/openapitest"
	"github.com/hirfa/hirfa/tools/load/localstack"
)

// TestProfessionalCardThroughTheEdge: a Fès clerk issues a professional
// card through the REST edge to an artisan registered in the real
// registry, with a photo archived over gRPC; the card's PDF is downloaded
// through the edge, its QR code read from the printed page, and the
// address it holds answered through the edge without a token (valid,
// category, activity, chamber, checked against the served OpenAPI
// document). The registry then strikes the artisan off and the same
// address answers invalid once the registry's event has reached the desk
// (the delay is logged).
func TestProfessionalCardThroughTheEdge(t *testing.T) {
	for _, tool := range []string{"chromium", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			testenv.Unavailable(t, err)
		}
	}
	// The first PDF starts Chromium, which on a loaded machine takes longer
	// than the edge's default deadline for one call.
	s := newStack(t, "HIRFA_SEED_DEMO=false", "HIRFA_SHUTDOWN_TIMEOUT=10s", "HIRFA_REQUEST_TIMEOUT=2m")
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	tok := token(t, s, auth.RoleChamberClerk, "fes-meknes")
	clerk := rest(t, s, tok)
	fes := metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+tok)

	artisans, artisan := registeredArtisan(fes, t, s, "C808080")

	deskConn, err := grpc.NewClient(s.Addr("desk"), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer deskConn.Close()
	up, err := deskv1.NewDocumentServiceClient(deskConn).UploadDocument(fes)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []*deskv1.UploadDocumentRequest{
		{Content: &deskv1.UploadDocumentRequest_Metadata{Metadata: &deskv1.DocumentUpload{Parent: "chambers/fes-meknes", Document: &deskv1.Document{
			Classification: deskv1.Document_PHOTO, Owner: artisan.GetName(), Retention: deskv1.Document_TEN_YEARS, FileName: "photo.png"}}}},
		{Content: &deskv1.UploadDocumentRequest_Chunk{Chunk: portrait(t)}},
	} {
		if err := up.Send(m); err != nil {
			t.Fatal(err)
		}
	}
	photo, err := up.CloseAndRecv()
	if err != nil {
		t.Fatal(err)
	}

	card := &deskv1.ProfessionalCard{}
	do(ctx, t, clerk, http.MethodPost, "/v1/chambers/fes-meknes/professionalCards", url.Values{"request_id": {"card-e2e-1"}},
		&deskv1.ProfessionalCard{Kind: deskv1.ProfessionalCard_PROFESSIONAL_CARD, Artisan: artisan.GetName(), Photo: photo.GetName()}, card, codes.OK)
	if card.GetNia() == "" || card.GetArtisanState() != "REGISTERED" {
		t.Fatalf("issued %v", card)
	}
	// A suspended or unknown artisan gets none.
	do(ctx, t, clerk, http.MethodPost, "/v1/chambers/fes-meknes/professionalCards", nil,
		&deskv1.ProfessionalCard{Kind: deskv1.ProfessionalCard_REGISTRATION_ATTESTATION, Artisan: "chambers/fes-meknes/artisans/nobody"}, nil, codes.FailedPrecondition)

	// The PDF through the edge, its QR code read from the printed page.
	api := openapitest.MustFetch(t, s.HTTP)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.HTTP+"/v1/"+card.GetName()+":download", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := (&http.Client{Transport: api.Transport(t, nil)}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("download: %d %s %.200s", resp.StatusCode, resp.Header.Get("Content-Type"), pdf)
	}
	qr, err := url.Parse(rendertest.ReadQR(t, pdf))
	if err != nil || qr.Path != "/v1/"+card.GetVerification() {
		t.Fatalf("QR code holds %v (%v), want the path /v1/%s", qr, err, card.GetVerification())
	}

	// Anyone checks the decoded address through the edge, without a token.
	anonymous := rest(t, s, "")
	v := &deskv1.Verification{}
	do(ctx, t, anonymous, http.MethodGet, qr.Path, nil, nil, v, codes.OK)
	if !v.GetValid() || v.GetCategory() != "MASTER" || v.GetActivity() != "F1.B04.A01" || v.GetChamber() != "chambers/fes-meknes" {
		t.Fatalf("verification %v", v)
	}

	// Struck off in the registry: the card answers invalid once the event is through.
	struck := time.Now()
	if _, err := artisans.StrikeOffArtisan(fes, &registryv1.StrikeOffArtisanRequest{Name: artisan.GetName(), Reason: "cessation d'activité"}); err != nil {
		t.Fatal(err)
	}
	for {
		do(ctx, t, anonymous, http.MethodGet, qr.Path, nil, nil, v, codes.OK)
		if !v.GetValid() {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("the card still answers valid after the strike-off")
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("strike-off to invalid verification through the edge: %v", time.Since(struck))
}

// registeredArtisan creates and registers a Fès master artisan in the
// stack's registry over gRPC (ctx carries a Fès clerk's token).
func registeredArtisan(ctx context.Context, t *testing.T, s *localstack.Stack, cnie string) (registryv1.ArtisanServiceClient, *registryv1.Artisan) {
	t.Helper()
	regConn, err := grpc.NewClient(s.Addr("registry"), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = regConn.Close() })
	artisans := registryv1.NewArtisanServiceClient(regConn)
	artisan, err := artisans.CreateArtisan(ctx, &registryv1.CreateArtisanRequest{Parent: "chambers/fes-meknes", Artisan: &registryv1.Artisan{
		GivenNameAr: "زينب", FamilyNameAr: "الإدريسي", GivenNameLatin: "Zineb", FamilyNameLatin: "Idrissi", Cnie: cnie,
		Gender: registryv1.Artisan_FEMALE, BirthDate: "1983-02-02", Province: "fes", Activity: "F1.B04.A01",
		Category: registryv1.Artisan_MASTER, YearsOfPractice: 20, AminCertificateReference: "AMIN-FES-20",
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := artisans.RegisterArtisan(ctx, &registryv1.RegisterArtisanRequest{Name: artisan.GetName()}); err != nil {
		t.Fatal(err)
	}
	return artisans, artisan
}

// TestRevokeCardThroughTheEdge: a Fès clerk issues an attestation through
// the REST edge to an artisan registered in the real registry; it verifies
// valid without a token. A clerk may not revoke it, nor an admin with a reason
// under 3 characters; the chamber's admin revokes it with a proper one, and the same public
// address answers invalid at once. Reporting's card statistics, read
// through the edge, then count it issued and revoked.
func TestRevokeCardThroughTheEdge(t *testing.T) {
	s := newStack(t, "HIRFA_SEED_DEMO=false", "HIRFA_SHUTDOWN_TIMEOUT=10s")
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	tok := token(t, s, auth.RoleChamberClerk, "fes-meknes")
	clerk, admin, anonymous := rest(t, s, tok), rest(t, s, token(t, s, auth.RoleChamberAdmin, "fes-meknes")), rest(t, s, "")
	_, artisan := registeredArtisan(metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+tok), t, s, "C818181")

	card := &deskv1.ProfessionalCard{}
	do(ctx, t, clerk, http.MethodPost, "/v1/chambers/fes-meknes/professionalCards", nil,
		&deskv1.ProfessionalCard{Kind: deskv1.ProfessionalCard_REGISTRATION_ATTESTATION, Artisan: artisan.GetName()}, card, codes.OK)
	check := "/v1/" + card.GetVerification()
	v := &deskv1.Verification{}
	if do(ctx, t, anonymous, http.MethodGet, check, nil, nil, v, codes.OK); !v.GetValid() {
		t.Fatalf("a new attestation verifies %v", v)
	}

	revoke := "/v1/" + card.GetName() + ":revoke"
	why := &deskv1.RevokeProfessionalCardRequest{Reason: "délivrée sur un dossier erroné"}
	do(ctx, t, clerk, http.MethodPost, revoke, nil, why, nil, codes.PermissionDenied)
	do(ctx, t, admin, http.MethodPost, revoke, nil, &deskv1.RevokeProfessionalCardRequest{Reason: "no"}, nil, codes.InvalidArgument)
	if do(ctx, t, anonymous, http.MethodGet, check, nil, nil, v, codes.OK); !v.GetValid() {
		t.Fatal("a refused revocation made the attestation invalid")
	}
	revoked := &deskv1.ProfessionalCard{}
	do(ctx, t, admin, http.MethodPost, revoke, nil, why, revoked, codes.OK)
	if revoked.GetRevokeReason() != why.GetReason() || revoked.GetRevokeTime() == nil {
		t.Fatalf("revoked %v", revoked)
	}
	if do(ctx, t, anonymous, http.MethodGet, check, nil, nil, v, codes.OK); v.GetValid() {
		t.Fatal("a revoked attestation verifies valid through the edge")
	}
	do(ctx, t, admin, http.MethodPost, revoke, nil, why, nil, codes.FailedPrecondition)

	// Reporting counts it from the desk's events: issued once, revoked once.
	stats := &reportingv1.CardStatistics{}
	eventually(t, "reporting counts the revoked attestation", func() bool {
		do(ctx, t, clerk, http.MethodGet, "/v1/chambers/fes-meknes/cardStatistics", nil, nil, stats, codes.OK)
		rows := stats.GetRows()
		return len(rows) == 1 && rows[0].GetKind() == "REGISTRATION_ATTESTATION" && rows[0].GetIssued() == 1 && rows[0].GetRevoked() == 1
	})
	do(ctx, t, clerk, http.MethodGet, "/v1/chambers/-/cardStatistics", nil, nil, nil, codes.PermissionDenied)
}

// portrait is a small real PNG.
func portrait(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 60, 80))
	for x := range 60 {
		for y := range 80 {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 3), 90, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// readQR rasterises the PDF's page (pdftoppm) and decodes its QR code.

package service

import (
	"bytes"
	"context"
	"database/sql"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/render/rendertest"
	"github.com/hirfa/hirfa/pkg/testenv"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	eventv1 "github.com/hirfa/hirfa/proto/gen/hirfa/event/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/desk/internal/adapters/standing"
)

// photoPNG is a real small PNG (the archive sniffs it).
func photoPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 60, 80))
	for x := range 60 {
		for y := range 80 {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 3), 120, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// cardArtisan is a registered artisan of Fès-Meknès as the registry holds it.
func cardArtisan(name string, state registryv1.Artisan_State, updated time.Time) *registryv1.Artisan {
	return &registryv1.Artisan{Name: name, GivenNameAr: "خديجة", FamilyNameAr: "التازي", GivenNameLatin: "Khadija", FamilyNameLatin: "Tazi",
		Cnie: "ZZ100001", Activity: "F1.B02.A02", Category: registryv1.Artisan_EXPERIENCED, State: state, Nia: "NIA-03-000123",
		UpdateTime: timestamppb.New(updated)}
}

// artisanEvent applies one registry artisan event through the desk's
// consumer handler, in a transaction as the consumer runs it.
func (e *env) artisanEvent(t *testing.T, a *registryv1.Artisan) {
	t.Helper()
	data, err := anypb.New(a)
	if err != nil {
		t.Fatal(err)
	}
	env := &eventv1.Envelope{Id: "ev-" + a.GetState().String(), Type: "hirfa.registry.v1.Artisan" + a.GetState().String(), Source: "registry",
		Subject: a.GetName(), Time: timestamppb.Now(), Data: data}
	h := standing.Handler(e.svc.DB)
	if err := e.svc.DB.Tx(context.Background(), func(tx *sql.Tx) error { return h(context.Background(), tx, env) }); err != nil {
		t.Fatal(err)
	}
}

// TestProfessionalCards issues a card and an attestation over gRPC on both
// databases, verifies them without a token (public facts only), turns the
// card invalid at once when the registry's event says the artisan is
// struck off (an older event delivered late changes nothing), and refuses
// bad issues with their exact codes, writing nothing.
func TestProfessionalCards(t *testing.T) {
	for _, db := range backends {
		t.Run(db.name, func(t *testing.T) {
			e := start(t, options{dbURL: db.url(t)})
			cards := deskv1.NewProfessionalCardServiceClient(e.conn)
			verify := deskv1.NewVerificationServiceClient(e.conn)
			docs := deskv1.NewDocumentServiceClient(e.conn)
			clerk := e.as(t, auth.RoleChamberClerk, "fes-meknes")
			const artisan = "chambers/fes-meknes/artisans/k1"
			issued := time.Now().Add(-time.Hour)
			e.registry.putArtisan(cardArtisan(artisan, registryv1.Artisan_REGISTERED, issued))
			e.registry.putArtisan(cardArtisan("chambers/fes-meknes/artisans/s1", registryv1.Artisan_SUSPENDED, issued))
			photo := must(upload(clerk, docs, "chambers/fes-meknes", &deskv1.Document{Classification: deskv1.Document_PHOTO,
				Owner: artisan, Retention: deskv1.Document_TEN_YEARS, FileName: "photo.png"}, photoPNG(t)))(t)
			statutes := must(upload(clerk, docs, "chambers/fes-meknes", &deskv1.Document{Classification: deskv1.Document_STATUTES,
				Owner: artisan, Retention: deskv1.Document_TEN_YEARS}, pdf))(t)
			otherPhoto := must(upload(clerk, docs, "chambers/fes-meknes", &deskv1.Document{Classification: deskv1.Document_PHOTO,
				Owner: "chambers/fes-meknes/artisans/a1", Retention: deskv1.Document_TEN_YEARS}, photoPNG(t)))(t)

			// Bad issues: exact codes, nothing written.
			cardsBefore, outboxBefore, auditBefore := e.rows(t, "professional_cards"), e.rows(t, "outbox"), e.rows(t, "audit_records")
			issue := func(ctx context.Context, c *deskv1.ProfessionalCard) (*deskv1.ProfessionalCard, error) {
				return cards.IssueProfessionalCard(ctx, &deskv1.IssueProfessionalCardRequest{Parent: "chambers/fes-meknes", ProfessionalCard: c})
			}
			bad := []struct {
				what   string
				ctx    context.Context
				card   *deskv1.ProfessionalCard
				code   codes.Code
				reason string
				field  string
			}{
				{"no kind", clerk, &deskv1.ProfessionalCard{Artisan: artisan, Photo: photo.GetName()}, codes.InvalidArgument, "", "professional_card.kind"},
				{"no artisan", clerk, &deskv1.ProfessionalCard{Kind: deskv1.ProfessionalCard_REGISTRATION_ATTESTATION}, codes.InvalidArgument, "", "professional_card.artisan"},
				{"another chamber's artisan", clerk, &deskv1.ProfessionalCard{Kind: deskv1.ProfessionalCard_REGISTRATION_ATTESTATION, Artisan: "chambers/oriental/artisans/a1"}, codes.InvalidArgument, "", "professional_card.artisan"},
				{"a cooperative", clerk, &deskv1.ProfessionalCard{Kind: deskv1.ProfessionalCard_REGISTRATION_ATTESTATION, Artisan: "chambers/fes-meknes/cooperatives/c1"}, codes.InvalidArgument, "", "professional_card.artisan"},
				{"card without photo", clerk, &deskv1.ProfessionalCard{Kind: deskv1.ProfessionalCard_PROFESSIONAL_CARD, Artisan: artisan}, codes.InvalidArgument, "", "professional_card.photo"},
				{"photo of another chamber", clerk, &deskv1.ProfessionalCard{Kind: deskv1.ProfessionalCard_PROFESSIONAL_CARD, Artisan: artisan, Photo: "chambers/oriental/documents/x1"}, codes.InvalidArgument, "", "professional_card.photo"},
				{"photo that is statutes", clerk, &deskv1.ProfessionalCard{Kind: deskv1.ProfessionalCard_PROFESSIONAL_CARD, Artisan: artisan, Photo: statutes.GetName()}, codes.FailedPrecondition, "PHOTO_UNUSABLE", ""},
				{"another artisan's photo", clerk, &deskv1.ProfessionalCard{Kind: deskv1.ProfessionalCard_PROFESSIONAL_CARD, Artisan: artisan, Photo: otherPhoto.GetName()}, codes.FailedPrecondition, "PHOTO_UNUSABLE", ""},
				{"photo not archived", clerk, &deskv1.ProfessionalCard{Kind: deskv1.ProfessionalCard_PROFESSIONAL_CARD, Artisan: artisan, Photo: "chambers/fes-meknes/documents/nothere"}, codes.FailedPrecondition, "PHOTO_UNUSABLE", ""},
				{"suspended artisan", clerk, &deskv1.ProfessionalCard{Kind: deskv1.ProfessionalCard_REGISTRATION_ATTESTATION, Artisan: "chambers/fes-meknes/artisans/s1"}, codes.FailedPrecondition, "ARTISAN_NOT_REGISTERED", ""},
				{"unknown artisan", clerk, &deskv1.ProfessionalCard{Kind: deskv1.ProfessionalCard_REGISTRATION_ATTESTATION, Artisan: "chambers/fes-meknes/artisans/zz9"}, codes.FailedPrecondition, "REGISTRANT_NOT_FOUND", ""},
				{"ministry issues", e.as(t, auth.RoleMinistry, ""), &deskv1.ProfessionalCard{Kind: deskv1.ProfessionalCard_REGISTRATION_ATTESTATION, Artisan: artisan}, codes.PermissionDenied, "", ""},
				{"auditor issues", e.as(t, auth.RoleAuditor, "fes-meknes"), &deskv1.ProfessionalCard{Kind: deskv1.ProfessionalCard_REGISTRATION_ATTESTATION, Artisan: artisan}, codes.PermissionDenied, "", ""},
				{"another chamber's clerk", e.as(t, auth.RoleChamberClerk, "marrakech-safi"), &deskv1.ProfessionalCard{Kind: deskv1.ProfessionalCard_REGISTRATION_ATTESTATION, Artisan: artisan}, codes.NotFound, "", ""},
				{"no token", context.Background(), &deskv1.ProfessionalCard{Kind: deskv1.ProfessionalCard_REGISTRATION_ATTESTATION, Artisan: artisan}, codes.Unauthenticated, "", ""},
			}
			for _, b := range bad {
				_, err := issue(b.ctx, b.card)
				wantErr(t, b.what, err, b.code, b.reason)
				if f, _ := violation(err); f != b.field {
					t.Errorf("%s: field %q, want %q", b.what, f, b.field)
				}
			}
			if e.rows(t, "professional_cards") != cardsBefore || e.rows(t, "outbox") != outboxBefore || e.rows(t, "audit_records") != auditBefore {
				t.Fatal("a refused issue wrote something")
			}

			c := must(issue(clerk, &deskv1.ProfessionalCard{Kind: deskv1.ProfessionalCard_PROFESSIONAL_CARD, Artisan: artisan, Photo: photo.GetName()}))(t)
			if c.GetNia() != "NIA-03-000123" || c.GetFullNameAr() != "خديجة التازي" || c.GetCategory() != "EXPERIENCED" || c.GetArtisanState() != "REGISTERED" ||
				c.GetIssuer() != "chamber-clerk@fes-meknes" || !strings.HasPrefix(c.GetVerification(), "verifications/") {
				t.Fatalf("issued %v", c)
			}
			if y := c.GetValidUntilTime().AsTime().Year() - c.GetValidFromTime().AsTime().Year(); y != 5 {
				t.Errorf("a card is valid %d years, want 5", y)
			}
			att := must(issue(clerk, &deskv1.ProfessionalCard{Kind: deskv1.ProfessionalCard_REGISTRATION_ATTESTATION, Artisan: artisan}))(t)
			if att.GetVerification() == c.GetVerification() {
				t.Fatal("two cards share a code")
			}
			if n := e.rows(t, "professional_cards"); n != cardsBefore+2 {
				t.Fatalf("%d cards recorded", n)
			}
			must(cards.GetProfessionalCard(e.as(t, auth.RoleMinistry, ""), &deskv1.GetProfessionalCardRequest{Name: c.GetName()}))(t)
			_, err := cards.GetProfessionalCard(e.as(t, auth.RoleChamberClerk, "marrakech-safi"), &deskv1.GetProfessionalCardRequest{Name: c.GetName()})
			wantErr(t, "another chamber's card", err, codes.NotFound, "")
			list := must(cards.ListProfessionalCards(clerk, &deskv1.ListProfessionalCardsRequest{Parent: "chambers/fes-meknes", Filter: `kind = PROFESSIONAL_CARD`}))(t)
			if len(list.GetProfessionalCards()) != 1 || list.GetProfessionalCards()[0].GetName() != c.GetName() {
				t.Fatalf("listed %v", list)
			}

			// Anyone verifies, without a token: valid, and nothing personal.
			v := must(verify.GetVerification(context.Background(), &deskv1.GetVerificationRequest{Name: c.GetVerification()}))(t)
			if !v.GetValid() || v.GetCategory() != "EXPERIENCED" || v.GetActivity() != "F1.B02.A02" || v.GetChamber() != "chambers/fes-meknes" || v.GetKind() != "PROFESSIONAL_CARD" {
				t.Fatalf("verification %v", v)
			}
			raw, _ := proto.Marshal(v)
			for _, personal := range []string{"Tazi", "التازي", "NIA-03", "ZZ100001", "k1"} {
				if bytes.Contains(raw, []byte(personal)) {
					t.Errorf("the verification carries %q", personal)
				}
			}
			for _, name := range []string{"verifications/" + strings.Repeat("a", 32), "verifications/short", "verifications/" + strings.Repeat("A", 32)} {
				_, err := verify.GetVerification(context.Background(), &deskv1.GetVerificationRequest{Name: name})
				wantErr(t, "unknown code "+name, err, codes.NotFound, "")
			}
			_, err = verify.GetVerification(context.Background(), &deskv1.GetVerificationRequest{Name: "cards/x"})
			wantErr(t, "not a verification name", err, codes.InvalidArgument, "")

			// The registry strikes the artisan off: its event makes the card invalid at once;
			// an older event (suspension before) delivered late does not revive or change it.
			e.artisanEvent(t, cardArtisan(artisan, registryv1.Artisan_STRUCK_OFF, time.Now()))
			e.artisanEvent(t, cardArtisan(artisan, registryv1.Artisan_REGISTERED, issued.Add(time.Minute)))
			v = must(verify.GetVerification(context.Background(), &deskv1.GetVerificationRequest{Name: c.GetVerification()}))(t)
			if v.GetValid() {
				t.Fatal("a struck-off artisan's card verifies valid")
			}
			if got := must(cards.GetProfessionalCard(clerk, &deskv1.GetProfessionalCardRequest{Name: c.GetName()}))(t); got.GetArtisanState() != "STRUCK_OFF" {
				t.Errorf("card shows %s", got.GetArtisanState())
			}
			if v := must(verify.GetVerification(context.Background(), &deskv1.GetVerificationRequest{Name: att.GetVerification()}))(t); v.GetValid() {
				t.Error("the attestation of a struck-off artisan verifies valid")
			}
		})
	}
}

// TestCardPDF prints a card through the service: a PDF whose text has the
// Arabic and French facts (pdftotext) and whose QR code, read back from
// the printed page, is the public verification address.
func TestCardPDF(t *testing.T) {
	for _, tool := range []string{"chromium", "pdftotext", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			testenv.Unavailable(t, err)
		}
	}
	e := start(t, options{})
	cards := deskv1.NewProfessionalCardServiceClient(e.conn)
	docs := deskv1.NewDocumentServiceClient(e.conn)
	clerk := e.as(t, auth.RoleChamberClerk, "fes-meknes")
	const artisan = "chambers/fes-meknes/artisans/k1"
	e.registry.putArtisan(cardArtisan(artisan, registryv1.Artisan_REGISTERED, time.Now()))
	photo := must(upload(clerk, docs, "chambers/fes-meknes", &deskv1.Document{Classification: deskv1.Document_PHOTO,
		Owner: artisan, Retention: deskv1.Document_TEN_YEARS}, photoPNG(t)))(t)
	c := must(cards.IssueProfessionalCard(clerk, &deskv1.IssueProfessionalCardRequest{Parent: "chambers/fes-meknes",
		ProfessionalCard: &deskv1.ProfessionalCard{Kind: deskv1.ProfessionalCard_PROFESSIONAL_CARD, Artisan: artisan, Photo: photo.GetName()}}))(t)
	body := must(cards.DownloadProfessionalCard(clerk, &deskv1.DownloadProfessionalCardRequest{Name: c.GetName()}))(t)
	if body.GetContentType() != "application/pdf" || !bytes.HasPrefix(body.GetData(), []byte("%PDF-")) {
		t.Fatalf("downloaded %s", body.GetContentType())
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "card.pdf")
	if err := os.WriteFile(path, body.GetData(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"البطاقة", "المهنية", "التازي", "خديجة", "فاس", "Carte professionnelle", "Tazi", "000123", "F1.B02.A02", "expérimenté"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, out)
		}
	}
	text := rendertest.ReadQR(t, body.GetData())
	if want := "http://localhost:8080/v1/" + c.GetVerification(); text != want {
		t.Fatalf("QR code holds %q, want %q", text, want)
	}
}

// TestRevokeProfessionalCard revokes a card over gRPC on both databases:
// only the card's chamber admin may (clerks, auditors, national roles and
// another chamber's admin are refused), a reason is required, a stale etag
// is refused, and nothing is written by a refusal; the revoked card records
// who, when and why, writes its event and audit record, verifies invalid
// at once, and cannot be revoked twice.
func TestRevokeProfessionalCard(t *testing.T) {
	for _, db := range backends {
		t.Run(db.name, func(t *testing.T) {
			e := start(t, options{dbURL: db.url(t)})
			cards := deskv1.NewProfessionalCardServiceClient(e.conn)
			verify := deskv1.NewVerificationServiceClient(e.conn)
			clerk, admin := e.as(t, auth.RoleChamberClerk, "fes-meknes"), e.as(t, auth.RoleChamberAdmin, "fes-meknes")
			const artisan = "chambers/fes-meknes/artisans/k1"
			e.registry.putArtisan(cardArtisan(artisan, registryv1.Artisan_REGISTERED, time.Now().Add(-time.Hour)))
			c := must(cards.IssueProfessionalCard(clerk, &deskv1.IssueProfessionalCardRequest{Parent: "chambers/fes-meknes",
				ProfessionalCard: &deskv1.ProfessionalCard{Kind: deskv1.ProfessionalCard_REGISTRATION_ATTESTATION, Artisan: artisan}}))(t)
			const why = "issued on a file later found forged"

			cardsData := func() string {
				var d string
				if err := e.svc.DB.SQL.QueryRow(e.svc.DB.Rebind("SELECT CAST(data AS TEXT) FROM professional_cards WHERE code = ?"),
					strings.TrimPrefix(c.GetVerification(), "verifications/")).Scan(&d); err != nil {
					t.Fatal(err)
				}
				return d
			}
			before, outboxBefore, auditBefore := cardsData(), e.rows(t, "outbox"), e.rows(t, "audit_records")
			bad := []struct {
				what   string
				ctx    context.Context
				req    *deskv1.RevokeProfessionalCardRequest
				code   codes.Code
				reason string
				field  string
			}{
				{"no reason", admin, &deskv1.RevokeProfessionalCardRequest{Name: c.GetName()}, codes.InvalidArgument, "", "reason"},
				{"reason of blanks", admin, &deskv1.RevokeProfessionalCardRequest{Name: c.GetName(), Reason: "   \t "}, codes.InvalidArgument, "", "reason"},
				{"reason too long", admin, &deskv1.RevokeProfessionalCardRequest{Name: c.GetName(), Reason: strings.Repeat("x", 1001)}, codes.InvalidArgument, "", "reason"},
				{"not a card name", admin, &deskv1.RevokeProfessionalCardRequest{Name: "chambers/fes-meknes/documents/x", Reason: why}, codes.InvalidArgument, "", "name"},
				{"unknown card", admin, &deskv1.RevokeProfessionalCardRequest{Name: "chambers/fes-meknes/professionalCards/nothere", Reason: why}, codes.NotFound, "", ""},
				{"stale etag", admin, &deskv1.RevokeProfessionalCardRequest{Name: c.GetName(), Reason: why, Etag: `"0"`}, codes.Aborted, "", ""},
				{"clerk", clerk, &deskv1.RevokeProfessionalCardRequest{Name: c.GetName(), Reason: why}, codes.PermissionDenied, "", ""},
				{"auditor", e.as(t, auth.RoleAuditor, "fes-meknes"), &deskv1.RevokeProfessionalCardRequest{Name: c.GetName(), Reason: why}, codes.PermissionDenied, "", ""},
				{"ministry", e.as(t, auth.RoleMinistry, ""), &deskv1.RevokeProfessionalCardRequest{Name: c.GetName(), Reason: why}, codes.PermissionDenied, "", ""},
				{"federation", e.as(t, auth.RoleFederation, ""), &deskv1.RevokeProfessionalCardRequest{Name: c.GetName(), Reason: why}, codes.PermissionDenied, "", ""},
				{"another chamber's admin", e.as(t, auth.RoleChamberAdmin, "marrakech-safi"), &deskv1.RevokeProfessionalCardRequest{Name: c.GetName(), Reason: why}, codes.NotFound, "", ""},
				{"no token", context.Background(), &deskv1.RevokeProfessionalCardRequest{Name: c.GetName(), Reason: why}, codes.Unauthenticated, "", ""},
			}
			for _, b := range bad {
				_, err := cards.RevokeProfessionalCard(b.ctx, b.req)
				wantErr(t, b.what, err, b.code, b.reason)
				if f, _ := violation(err); f != b.field {
					t.Errorf("%s: field %q, want %q", b.what, f, b.field)
				}
			}
			if cardsData() != before || e.rows(t, "outbox") != outboxBefore || e.rows(t, "audit_records") != auditBefore {
				t.Fatal("a refused revocation wrote something")
			}

			r := must(cards.RevokeProfessionalCard(admin, &deskv1.RevokeProfessionalCardRequest{Name: c.GetName(), Reason: "  " + why + " ", Etag: c.GetEtag()}))(t)
			if r.GetRevokeReason() != why || r.GetRevoker() != "chamber-admin@fes-meknes" || r.GetRevokeTime() == nil || r.GetArtisanState() != "REGISTERED" {
				t.Fatalf("revoked %v", r)
			}
			if e.rows(t, "outbox") != outboxBefore+1 || e.rows(t, "audit_records") != auditBefore+1 {
				t.Fatal("a revocation writes one event and one audit record")
			}
			var typ string
			if err := e.svc.DB.SQL.QueryRow("SELECT type FROM outbox ORDER BY seq DESC LIMIT 1").Scan(&typ); err != nil || typ != "hirfa.desk.v1.ProfessionalCardRevoked" {
				t.Fatalf("last event %q (%v)", typ, err)
			}
			if v := must(verify.GetVerification(context.Background(), &deskv1.GetVerificationRequest{Name: c.GetVerification()}))(t); v.GetValid() {
				t.Fatal("a revoked card verifies valid")
			}
			if got := must(cards.GetProfessionalCard(clerk, &deskv1.GetProfessionalCardRequest{Name: c.GetName()}))(t); got.GetRevokeReason() != why {
				t.Fatalf("read back %v", got)
			}
			_, err := cards.RevokeProfessionalCard(admin, &deskv1.RevokeProfessionalCardRequest{Name: c.GetName(), Reason: "again"})
			wantErr(t, "revoked twice", err, codes.FailedPrecondition, "CARD_ALREADY_REVOKED")
			if e.rows(t, "outbox") != outboxBefore+1 {
				t.Fatal("a second revocation wrote an event")
			}
		})
	}
}

package service

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/testenv"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
)

// TestNameRequests walks ODCO's name approval on both databases: bad
// requests refused with every field at once and nothing written; the
// overdue queue; decisions reserved to ODCO's officers, who read no
// register; the name check seeing pending and reserved names; the
// certificate consumed once by the registration of the cooperative bearing
// the approved name; an outbox event and an audit record for each change.
func TestNameRequests(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			url := ""
			if backend == "postgres" {
				url = postgresURL(t)
			}
			// A deadline already past when the request is read back makes
			// it overdue at once.
			e := start(t, url, "HIRFA_NAME_REQUEST_DEADLINE", "1us")
			clock := time.Now()
			e.svc.Port.Names.Now = func() time.Time { return clock }
			fes, odco := e.as(t, auth.RoleChamberClerk, "fes-meknes"), e.as(t, auth.RoleODCOOfficer, "")
			nr := e.nameRequests()
			outbox := func() int {
				var n int
				if err := e.svc.DB.SQL.QueryRow("SELECT COUNT(*) FROM outbox WHERE subject LIKE 'chambers/%/nameRequests/%'").Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}

			// Every mistake at once, and nothing written.
			_, err := nr.CreateNameRequest(fes, &registryv1.CreateNameRequestRequest{Parent: "chambers/fes-meknes", NameRequest: &registryv1.NameRequest{
				ProposedNames: []*registryv1.ProposedName{{Ar: "تعاونية الأطلس", Fr: "Coopérative Atlas"}, {}, {Fr: "Union Atlas"}, {Fr: "Tifawt"}},
			}})
			if got := violations(err); code(err) != codes.InvalidArgument ||
				got != "name_request.founder:required name_request.names:names.count name_request.names[1]:required name_request.names[2]:names.repeat" {
				t.Fatalf("bad request = %v (%s)", err, got)
			}
			if n := outbox(); n != 0 {
				t.Fatalf("a refused request wrote %d events", n)
			}

			q, err := nr.CreateNameRequest(fes, &registryv1.CreateNameRequestRequest{Parent: "chambers/fes-meknes", NameRequest: &registryv1.NameRequest{
				Founder: "خديجة التازي",
				ProposedNames: []*registryv1.ProposedName{
					{Ar: "تعاونية تيفاوت للنسيج", Fr: "Coopérative Tifawt Tissage"},
					{Ar: "تعاونية أمازيغ", Fr: "Coopérative Amazigh"},
				},
			}})
			if err != nil {
				t.Fatal(err)
			}
			if q.GetState() != registryv1.NameRequest_PENDING || q.GetDueTime() == nil {
				t.Fatalf("created = %v", q)
			}

			// The ODCO queue: national, overdue first; chambers see their own.
			overdue, err := nr.ListNameRequests(odco, &registryv1.ListNameRequestsRequest{Parent: "chambers/-", Overdue: true})
			if err != nil || len(overdue.GetNameRequests()) != 1 || !overdue.GetNameRequests()[0].GetOverdue() {
				t.Fatalf("overdue queue = %v, %v", overdue, err)
			}
			if _, err := nr.ListNameRequests(fes, &registryv1.ListNameRequestsRequest{Parent: "chambers/-"}); code(err) != codes.PermissionDenied {
				t.Fatalf("clerk national queue = %v", err)
			}
			if _, err := nr.GetNameRequest(e.as(t, auth.RoleChamberClerk, "oriental"), &registryv1.GetNameRequestRequest{Name: q.GetName()}); code(err) != codes.NotFound {
				t.Fatalf("other chamber's clerk = %v, want NotFound", err)
			}

			// Pending names are held: the check says so.
			names := registryv1.NewCooperativeNameServiceClient(e.conn)
			check := func(ar string) *registryv1.NameConflict {
				t.Helper()
				r, err := names.CheckCooperativeName(e.as(t, "", ""), &registryv1.CheckCooperativeNameRequest{NameAr: ar})
				if err != nil {
					t.Fatal(err)
				}
				if len(r.GetConflicts()) == 0 {
					return nil
				}
				return r.GetConflicts()[0]
			}
			if c := check("جمعية أمازيغ"); c.GetHolder() != q.GetName() || c.GetHolderKind() != registryv1.NameConflict_PENDING {
				t.Fatalf("check of a pending name = %v", c)
			}

			// Only ODCO decides; ODCO reads no register.
			if _, err := nr.ApproveNameRequest(fes, &registryv1.ApproveNameRequestRequest{Name: q.GetName(), ApprovedName: 2}); code(err) != codes.PermissionDenied {
				t.Fatalf("clerk approves = %v", err)
			}
			if _, err := e.coops().ListCooperatives(odco, &registryv1.ListCooperativesRequest{Parent: "chambers/-"}); code(err) != codes.PermissionDenied {
				t.Fatalf("ODCO reads the register = %v", err)
			}
			if _, err := nr.ApproveNameRequest(odco, &registryv1.ApproveNameRequestRequest{Name: q.GetName(), ApprovedName: 3}); violations(err) != "approved_name:approved_name.range" {
				t.Fatalf("approve name 3 of 2 = %v", err)
			}
			q, err = nr.ApproveNameRequest(odco, &registryv1.ApproveNameRequestRequest{Name: q.GetName(), ApprovedName: 2, Etag: q.GetEtag()})
			if err != nil {
				t.Fatal(err)
			}
			year := time.Now().UTC().Year()
			if q.GetState() != registryv1.NameRequest_APPROVED || q.GetCertificate() != fmt.Sprintf("ODCO-%d-000001", year) ||
				q.GetExpiryDate() != time.Now().UTC().Add(90*24*time.Hour).Format(time.DateOnly) || q.GetDecider() == "" || q.GetOverdue() {
				t.Fatalf("approved = %v", q)
			}
			if _, err := nr.RejectNameRequest(odco, &registryv1.RejectNameRequestRequest{Name: q.GetName(), Reason: "late"}); errorInfo(err).GetReason() != "ILLEGAL_TRANSITION" {
				t.Fatalf("reject after approval = %v", err)
			}

			// The approved name is reserved; the other proposal is free again.
			clock = clock.Add(2 * time.Second)
			if c := check("تعاونية أمازيغ"); c.GetHolder() != q.GetName() || c.GetHolderKind() != registryv1.NameConflict_RESERVED {
				t.Fatalf("check of a reserved name = %v", c)
			}
			if c := check("تعاونية تيفاوت للنسيج"); c != nil {
				t.Fatalf("a proposal not approved still held: %v", c)
			}

			// Registration: the certificate must be for the cooperative's name
			// and of its chamber, and serves once.
			coop := func(chamber, province, ar, fr string) *registryv1.Cooperative {
				c := newCoop()
				c.Province, c.DisplayName = province, &typev1.LocalizedText{Ar: ar, Fr: fr}
				got, err := e.coops().CreateCooperative(e.as(t, auth.RoleChamberClerk, chamber), &registryv1.CreateCooperativeRequest{Parent: "chambers/" + chamber, Cooperative: c})
				if err != nil {
					t.Fatal(err)
				}
				got, err = e.coops().UpdateCooperative(e.as(t, auth.RoleChamberClerk, chamber), &registryv1.UpdateCooperativeRequest{
					Cooperative: &registryv1.Cooperative{Name: got.GetName(), LocalRegisterNumber: "REG-1"}})
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			register := func(chamber string, c *registryv1.Cooperative) (*registryv1.Cooperative, error) {
				return e.coops().RegisterCooperative(e.as(t, auth.RoleChamberClerk, chamber), &registryv1.RegisterCooperativeRequest{Name: c.GetName(), NameCertificate: q.GetCertificate()})
			}
			other := coop("fes-meknes", "fes", "تعاونية الريف", "Coopérative Rif")
			if _, err := register("fes-meknes", other); errorInfo(err).GetReason() != "NAME_CERTIFICATE_OTHER_NAME" {
				t.Fatalf("register another name = %v", err)
			}
			elsewhere := coop("oriental", "oujda-angad", "تعاونية أمازيغ", "Coopérative Amazigh")
			if _, err := register("oriental", elsewhere); errorInfo(err).GetReason() != "NAME_CERTIFICATE_UNKNOWN" {
				t.Fatalf("register with another chamber's certificate = %v", err)
			}
			amazigh := coop("fes-meknes", "fes", "تعاونيه امازيغ", "COOPERATIVE AMAZIGH")
			got, err := register("fes-meknes", amazigh)
			if err != nil {
				t.Fatal(err)
			}
			if got.GetState() != registryv1.Cooperative_REGISTERED || got.GetNameCertificate() != q.GetCertificate() {
				t.Fatalf("registered = %v", got)
			}
			q, err = nr.GetNameRequest(fes, &registryv1.GetNameRequestRequest{Name: q.GetName()})
			if err != nil || q.GetState() != registryv1.NameRequest_CONSUMED || q.GetCooperative() != amazigh.GetName() {
				t.Fatalf("consumed request = %v, %v", q, err)
			}
			// The next check finds the name held by the cooperative, no
			// longer by the consumed reservation.
			held, err := names.CheckCooperativeName(e.as(t, "", ""), &registryv1.CheckCooperativeNameRequest{NameAr: "جمعية أمازيغ"})
			if err != nil {
				t.Fatal(err)
			}
			var holders []string
			for _, c := range held.GetConflicts() {
				holders = append(holders, c.GetHolder()+" "+c.GetHolderKind().String())
			}
			if !slices.Contains(holders, amazigh.GetName()+" COOPERATIVE") || slices.ContainsFunc(holders, func(h string) bool { return strings.HasPrefix(h, q.GetName()) }) {
				t.Errorf("check after the registration = %v, want %s and not the consumed %s", holders, amazigh.GetName(), q.GetName())
			}
			again := coop("fes-meknes", "meknes", "تعاونية أمازيغ", "Coopérative Amazigh")
			if _, err := register("fes-meknes", again); errorInfo(err).GetReason() != "NAME_CERTIFICATE_USED" {
				t.Fatalf("second use = %v", err)
			}

			// A rejection needs its reason, and is final.
			r, err := nr.CreateNameRequest(fes, &registryv1.CreateNameRequestRequest{Parent: "chambers/fes-meknes", NameRequest: &registryv1.NameRequest{
				Founder: "سعيد العلوي", ProposedNames: []*registryv1.ProposedName{{Ar: "تعاونية النور"}}}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := nr.RejectNameRequest(odco, &registryv1.RejectNameRequestRequest{Name: r.GetName()}); violations(err) != "reason:required" {
				t.Fatalf("reject without a reason = %v", err)
			}
			if r, err = nr.RejectNameRequest(odco, &registryv1.RejectNameRequestRequest{Name: r.GetName(), Reason: "اسم قريب من تعاونية مسجلة"}); err != nil || r.GetState() != registryv1.NameRequest_REJECTED {
				t.Fatalf("reject = %v, %v", r, err)
			}

			// Created, Approved, Consumed; Created, Rejected: each with its
			// event and audit record.
			if n := outbox(); n != 5 {
				t.Errorf("name request events = %d, want 5", n)
			}
			var audits int
			if err := e.svc.DB.SQL.QueryRow("SELECT COUNT(*) FROM audit_records WHERE resource LIKE 'chambers/%/nameRequests/%'").Scan(&audits); err != nil || audits != 5 {
				t.Errorf("name request audit records = %d, %v; want 5", audits, err)
			}
		})
	}
}

// TestNameCertificatePDF: the certificate of an approved request is a PDF
// carrying the approved name in Arabic and in French as text; a pending
// request has none.
func TestNameCertificatePDF(t *testing.T) {
	if _, err := exec.LookPath("chromium"); err != nil && os.Getenv("HIRFA_CHROMIUM") == "" {
		testenv.Unavailable(t, fmt.Errorf("chromium missing (tools/dev/chromium.sh installs it): %w", err))
	}
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		testenv.Unavailable(t, fmt.Errorf("pdftotext missing (tools/dev/chromium.sh installs it): %w", err))
	}
	e := start(t, "", "HIRFA_RENDER_TIMEOUT", "2m")
	fes := e.as(t, auth.RoleChamberClerk, "fes-meknes")
	q, err := e.nameRequests().CreateNameRequest(fes, &registryv1.CreateNameRequestRequest{Parent: "chambers/fes-meknes", NameRequest: &registryv1.NameRequest{
		Founder: "فاطمة الزهراء", ProposedNames: []*registryv1.ProposedName{{Ar: "تعاونية الياسمين للطرز", Fr: "Coopérative Yasmine Broderie"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.nameRequests().DownloadNameCertificate(fes, &registryv1.DownloadNameCertificateRequest{Name: q.GetName()}); errorInfo(err).GetReason() != "NAME_REQUEST_NOT_APPROVED" {
		t.Fatalf("certificate of a pending request = %v", err)
	}
	q, err = e.nameRequests().ApproveNameRequest(e.as(t, auth.RoleODCOOfficer, ""), &registryv1.ApproveNameRequestRequest{Name: q.GetName(), ApprovedName: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(fes, 3*time.Minute)
	defer cancel()
	body, err := e.nameRequests().DownloadNameCertificate(ctx, &registryv1.DownloadNameCertificateRequest{Name: q.GetName()}, grpc.WaitForReady(true))
	if err != nil {
		t.Fatal(err)
	}
	if body.GetContentType() != "application/pdf" || !bytes.HasPrefix(body.GetData(), []byte("%PDF-")) {
		t.Fatalf("not a PDF: %s %q", body.GetContentType(), body.GetData()[:min(16, len(body.GetData()))])
	}
	path := filepath.Join(t.TempDir(), "certificate.pdf")
	if err := os.WriteFile(path, body.GetData(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"شهادة", "تعاونية", "الياسمين", "للطرز", "Yasmine", "Broderie", q.GetCertificate(), q.GetExpiryDate()} {
		if !strings.Contains(text, want) {
			t.Errorf("certificate text lacks %q:\n%s", want, text)
		}
	}
}

package service

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/resource"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/registry/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/bulkimport"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
	"github.com/hirfa/hirfa/services/registry/internal/domain/sheet"
	"github.com/hirfa/hirfa/services/registry/internal/ports/grpcport"
)

func csvLines(lines ...string) []byte { return []byte(strings.Join(lines, "\n") + "\n") }

// coopCSV has French headers; two good rows and five that each break one
// rule: the law's capital and member minimums, the chamber's region, a name
// the file already gave, and an amount that is not one.
var coopCSV = csvLines(
	"Dénomination (ar),Dénomination,Province,Activité,Date de création,Capital,Valeur de la part,Adhérentes,Adhérents,Certificat négatif",
	`تعاونية الأمل للنسيج,Coopérative Al Amal,fes,F1.B02.A01,2019-05-02,"10 000,00",100,4,3,ODCO-2019-1234`,
	"تعاونية النور,Coopérative Nour,fes,F1.B02.A01,,500,100,4,3,",
	"تعاونية الفجر,Coopérative Fajr,fes,F1.B02.A01,,5000,100,2,1,",
	"تعاونية الوحدة,Coopérative Wahda,marrakech,F1.B02.A01,,5000,100,4,3,",
	"تعاونية الامل للنسيج,COOPERATIVE AL AMAL,fes,F1.B02.A01,,5000,100,4,3,",
	"تعاونية السلام,Coopérative Salam,fes,F1.B02.A01,,cinq mille,100,4,3,",
	"تعاونية الخير,Coopérative Khair,meknes,F1.B02.A01,12/01/2021,5000,500,5,0,",
)

// assocCSV has Arabic headers and categories: one good row, a definitive
// receipt before the provisional one, an unknown category and a missing
// provisional receipt.
var assocCSV = csvLines(
	"التسمية بالعربية,الإقليم,موضوع الجمعية,الفئة,تاريخ الوصل المؤقت,تاريخ الوصل النهائي",
	"جمعية صناع فاس,fes,النهوض بالحرف التقليدية,مهنية,01/02/2020,15/04/2020",
	"جمعية الزليج,fes,الزليج,نسائية,2021-06-01,2021-01-01",
	"جمعية الخزف,fes,الخزف,رياضية,2021-06-01,",
	"جمعية النحاس,meknes,النحاس,تنموية,,",
)

// importOf uploads file through gRPC and follows the operation to its end.
func importOf(t *testing.T, e *env, ctx context.Context, chamber, kind, fileName string, file []byte, dryRun bool) *registryv1.ImportOperation {
	t.Helper()
	c := registryv1.NewImportServiceClient(e.conn)
	op, err := c.CreateImportOperation(ctx, &registryv1.CreateImportOperationRequest{Parent: "chambers/" + chamber,
		ImportOperation: &registryv1.ImportOperation{Kind: kind, File: file, FileName: fileName, ValidateOnly: dryRun}})
	if err != nil {
		t.Fatalf("upload %s: %v", kind, err)
	}
	e.svc.App.WaitImports()
	if op, err = c.GetImportOperation(ctx, &registryv1.GetImportOperationRequest{Name: op.GetName()}); err != nil {
		t.Fatal(err)
	}
	if op.GetState() != registryv1.ImportOperation_SUCCEEDED {
		t.Fatalf("%s import %s: %s", kind, op.GetState(), op.GetError())
	}
	return op
}

// problemSet is the report as row|column|reason, each message checked to
// be rendered in Arabic and French from the catalogue.
func problemSet(t *testing.T, op *registryv1.ImportOperation) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	for _, p := range op.GetProblems() {
		got[fmt.Sprintf("%d|%s|%s", p.GetRow(), p.GetColumn(), p.GetReason())] = true
		for _, m := range []string{p.GetMessageAr(), p.GetMessageFr()} {
			if m == "" || strings.Contains(m, "{") {
				t.Errorf("row %d %s: message %q not rendered", p.GetRow(), p.GetReason(), m)
			}
		}
	}
	return got
}

func wantProblems(t *testing.T, op *registryv1.ImportOperation, want ...string) {
	t.Helper()
	got := problemSet(t, op)
	for _, w := range want {
		if !got[w] {
			t.Errorf("report lacks %s; has %v", w, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("report has %d lines, want %d: %v", len(got), len(want), got)
	}
}

// stored counts what an operation stored in table: records, their outbox
// events (type …Created) and audit records.
func stored(t *testing.T, e *env, table string, op *registryv1.ImportOperation) (records, events, audits int) {
	t.Helper()
	n, err := resource.ParseName(op.GetName(), bulkimport.Collection, "name")
	if err != nil {
		t.Fatal(err)
	}
	prefix := "chambers/" + n.Chamber + "/" + table + "/" + n.ID + "r%"
	return countWhere(t, e, "SELECT COUNT(*) FROM "+table+" WHERE chamber = ? AND id LIKE ?", n.Chamber, n.ID+"r%"),
		countWhere(t, e, "SELECT COUNT(*) FROM outbox WHERE subject LIKE ? AND type LIKE '%Created'", prefix),
		countWhere(t, e, "SELECT COUNT(*) FROM audit_records WHERE resource LIKE ? AND action = 'Created'", prefix)
}

func counts(op *registryv1.ImportOperation) string {
	return fmt.Sprintf("%d/%d read, %d accepted, %d rejected", op.GetRowsRead(), op.GetRowsTotal(), op.GetRowsAccepted(), op.GetRowsRejected())
}

// TestImportOrganisations imports cooperatives, associations and
// enterprises through gRPC: every rule of each register's create path
// refuses its row with the file's column and a message in Arabic and
// French, every accepted row is stored with its outbox event and audit
// record, and a dry run of the same files writes nothing.
func TestImportOrganisations(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		fes := e.as(t, auth.RoleChamberClerk, "fes-meknes")
		mar := e.as(t, auth.RoleChamberClerk, "marrakech-safi")
		arts := e.artisans()
		artisanOf := func(ctx context.Context, chamber, cnie, province string, register bool) {
			in := newArtisan(cnie)
			in.Province = province
			a, err := arts.CreateArtisan(ctx, &registryv1.CreateArtisanRequest{Parent: "chambers/" + chamber, Artisan: in})
			if err == nil && register {
				_, err = arts.RegisterArtisan(ctx, &registryv1.RegisterArtisanRequest{Name: a.GetName()})
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		artisanOf(fes, "fes-meknes", "EN100001", "fes", true)
		artisanOf(fes, "fes-meknes", "EN100002", "fes", false)
		artisanOf(mar, "marrakech-safi", "EN100003", "marrakech", true)

		coops := importOf(t, e, fes, "fes-meknes", bulkimport.Cooperatives, "cooperatives.csv", coopCSV, false)
		if counts(coops) != "7/7 read, 2 accepted, 5 rejected" {
			t.Fatalf("cooperatives: %s %v", counts(coops), coops.GetProblems())
		}
		wantProblems(t, coops, "3|Capital|"+cooperative.RuleCapitalMinimum, "4|Adhérentes|"+cooperative.RuleMembersMinimum,
			"5|Province|province.outside_region", "6|Dénomination (ar)|"+bulkimport.RuleRowDuplicate, "7|Capital|"+bulkimport.RuleAmount)
		if r, ev, au := stored(t, e, "cooperatives", coops); r != 2 || ev != 2 || au != 2 {
			t.Fatalf("cooperatives written: %d records, %d events, %d audit records; want 2 each", r, ev, au)
		}
		n, _ := resource.ParseName(coops.GetName(), bulkimport.Collection, "name")
		c, err := e.coops().GetCooperative(fes, &registryv1.GetCooperativeRequest{Name: "chambers/fes-meknes/cooperatives/" + (&bulkimport.Operation{Meta: resource.Meta{ID: n.ID}, RowIDWidth: bulkimport.RowIDWidth}).RowID(2)})
		if err != nil || c.GetState() != registryv1.Cooperative_FORMING || c.GetCapitalCentimes() != 1_000_000 || c.GetOdcoCertificateReference() != "ODCO-2019-1234" ||
			c.GetFoundingDate() != "2019-05-02" || c.GetMembersWomen() != 4 || c.GetDisplayName().GetAr() != "تعاونية الأمل للنسيج" {
			t.Fatalf("imported cooperative %v %v", c, err)
		}

		assocs := importOf(t, e, fes, "fes-meknes", bulkimport.Associations, "جمعيات.csv", assocCSV, false)
		if counts(assocs) != "4/4 read, 1 accepted, 3 rejected" {
			t.Fatalf("associations: %s %v", counts(assocs), assocs.GetProblems())
		}
		wantProblems(t, assocs, "3|تاريخ الوصل النهائي|receipt.order", "4|الفئة|"+bulkimport.RuleEnum, "5|تاريخ الوصل المؤقت|required")
		if r, ev, au := stored(t, e, "associations", assocs); r != 1 || ev != 1 || au != 1 {
			t.Fatalf("associations written: %d records, %d events, %d audit records; want 1 each", r, ev, au)
		}

		// The supervising artisan is named by CNIE: registered in the
		// chamber (accepted), an applicant, unknown, another chamber's.
		ents := csvLines("Raison sociale,Province,Activité,ICE,CNIE de l'artisan",
			"Atelier Tazi,fes,F1.B02.A01,001234567000089,EN100001",
			"Atelier Bennani,fes,F1.B02.A01,001234567000090,en100002",
			"Atelier Inconnu,fes,F1.B02.A01,001234567000091,ZZ999999",
			"Atelier Sud,fes,F1.B02.A01,001234567000092,EN100003",
			"Atelier Court,fes,F1.B02.A01,123,EN100001",
			"Atelier Tazi bis,fes,F1.B02.A01,001234567000089,EN100001")
		ent := importOf(t, e, fes, "fes-meknes", bulkimport.Enterprises, "entreprises.csv", ents, false)
		if counts(ent) != "6/6 read, 1 accepted, 5 rejected" {
			t.Fatalf("enterprises: %s %v", counts(ent), ent.GetProblems())
		}
		wantProblems(t, ent, "3||SUPERVISOR_NOT_REGISTERED", "4|CNIE de l'artisan|supervising_artisan.unknown", "5|CNIE de l'artisan|supervising_artisan.unknown",
			"6|ICE|ice.format", "7|ICE|"+bulkimport.RuleRowDuplicate)
		for _, p := range ent.GetProblems() {
			if p.GetRow() == 3 && !strings.Contains(p.GetMessageFr(), "INSCRIT") {
				t.Errorf("precondition in French: %q", p.GetMessageFr())
			}
		}
		if r, ev, au := stored(t, e, "enterprises", ent); r != 1 || ev != 1 || au != 1 {
			t.Fatalf("enterprises written: %d records, %d events, %d audit records; want 1 each", r, ev, au)
		}

		// A dry run of each file checks the same rules (the enterprise's ICE,
		// now held, included) and writes nothing.
		before := countWhere(t, e, "SELECT COUNT(*) FROM outbox") + countWhere(t, e, "SELECT COUNT(*) FROM audit_records")
		for _, tc := range []struct {
			kind, table, counts string
			file                []byte
		}{
			{bulkimport.Cooperatives, "cooperatives", "7/7 read, 2 accepted, 5 rejected", coopCSV},
			{bulkimport.Associations, "associations", "4/4 read, 1 accepted, 3 rejected", assocCSV},
			{bulkimport.Enterprises, "enterprises", "6/6 read, 0 accepted, 6 rejected", ents},
		} {
			dry := importOf(t, e, fes, "fes-meknes", tc.kind, "", tc.file, true)
			if counts(dry) != tc.counts || !dry.GetValidateOnly() {
				t.Errorf("dry run of %s: %s %v", tc.kind, counts(dry), dry.GetProblems())
			}
			if r, _, _ := stored(t, e, tc.table, dry); r != 0 {
				t.Errorf("dry run of %s wrote %d records", tc.kind, r)
			}
		}
		if after := countWhere(t, e, "SELECT COUNT(*) FROM outbox") + countWhere(t, e, "SELECT COUNT(*) FROM audit_records"); after != before {
			t.Fatalf("dry runs wrote %d events and audit records", after-before)
		}
		// Without a dry run the ICE now held is refused as a create would.
		again := importOf(t, e, fes, "fes-meknes", bulkimport.Enterprises, "", csvLines("ICE,Nom,Province,Activité,Artisan encadrant",
			"001234567000089,Atelier Tazi,fes,F1.B02.A01,chambers/fes-meknes/artisans/x"), false)
		if again.GetRowsRejected() != 1 {
			t.Fatalf("held ICE: %s %v", counts(again), again.GetProblems())
		}
	})
}

// TestImportOrganisationsResume: a cooperatives import left RUNNING with
// one row applied is run again at start; that row is counted, not written
// twice.
func TestImportOrganisationsResume(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		op := &bulkimport.Operation{Kind: bulkimport.Cooperatives, File: coopCSV, Encoding: sheet.UTF8, State: bulkimport.Running,
			Summary: bulkimport.Summary{Total: 7}, Actor: change.Actor{Subject: "clerk@fes-meknes", Role: "chamber-clerk", Chamber: "fes-meknes"}, Method: importMethod, Attempts: 1}
		op.Chamber, op.ID = "fes-meknes", resource.NewID()
		if err := e.svc.Imports.CreateOperation(context.Background(), op); err != nil {
			t.Fatal(err)
		}
		tbl, err := sheet.Read(coopCSV, "", app.MaxImportBytes)
		if err != nil {
			t.Fatal(err)
		}
		layout, err := bulkimport.Resolve(bulkimport.Cooperatives, tbl.Header, nil)
		if err != nil {
			t.Fatal(err)
		}
		c, err := layout.Cooperative(tbl.Rows[0])
		if err != nil {
			t.Fatal(err)
		}
		c.Chamber, c.ID, c.State = op.Chamber, op.RowID(2), cooperative.Forming
		if _, err := sqlstore.NewCooperatives(e.svc.DB, grpcport.CooperativeEvent).Create(context.Background(), c, change.Write{Action: "Created", Method: importMethod, Actor: op.Actor}); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.App.ResumeImports(context.Background()); err != nil {
			t.Fatal(err)
		}
		e.svc.App.WaitImports()
		done, err := e.svc.Imports.GetOperation(context.Background(), resource.Name{Chamber: op.Chamber, Collection: bulkimport.Collection, ID: op.ID})
		if err != nil || done.State != bulkimport.Succeeded || done.Attempts != 2 || done.Summary.Accepted != 2 || done.Summary.Rejected != 5 {
			t.Fatalf("resumed %+v %v", done, err)
		}
		pb := &registryv1.ImportOperation{Name: done.Name()}
		if r, ev, au := stored(t, e, "cooperatives", pb); r != 2 || ev != 2 || au != 2 {
			t.Fatalf("written: %d records, %d events, %d audit records; want 2 each", r, ev, au)
		}
	})
}

// TestImportHistory lists imports newest first, paged, with kind, file
// name, who and the counts; a chamber sees its own, the ministry every
// chamber's, and nobody else's history leaks.
func TestImportHistory(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		fes := e.as(t, auth.RoleChamberClerk, "fes-meknes")
		mar := e.as(t, auth.RoleChamberClerk, "marrakech-safi")
		ministry := e.as(t, auth.RoleMinistry, "")
		first := importOf(t, e, fes, "fes-meknes", bulkimport.Artisans, "artisans-2024.csv", csvOf([][]string{importRow(1), importRow(2)}), false)
		second := importOf(t, e, fes, "fes-meknes", bulkimport.Cooperatives, "تعاونيات.csv", coopCSV, true)
		third := importOf(t, e, fes, "fes-meknes", bulkimport.Associations, "associations.csv", assocCSV, false)
		importOf(t, e, mar, "marrakech-safi", bulkimport.Artisans, "marrakech.csv", csvOf([][]string{importRow(3)}), false)

		c := registryv1.NewImportServiceClient(e.conn)
		page, err := c.ListImportOperations(fes, &registryv1.ListImportOperationsRequest{Parent: "chambers/fes-meknes", PageSize: 2})
		if err != nil || len(page.GetImportOperations()) != 2 || page.GetNextPageToken() == "" {
			t.Fatalf("first page %v %v", page, err)
		}
		got := page.GetImportOperations()
		if got[0].GetName() != third.GetName() || got[1].GetName() != second.GetName() {
			t.Fatalf("order: %s, %s; want %s, %s", got[0].GetName(), got[1].GetName(), third.GetName(), second.GetName())
		}
		if h := got[1]; h.GetKind() != bulkimport.Cooperatives || h.GetFileName() != "تعاونيات.csv" || h.GetCreator() != "chamber-clerk@fes-meknes" ||
			!h.GetValidateOnly() || counts(h) != "7/7 read, 2 accepted, 5 rejected" || h.GetState() != registryv1.ImportOperation_SUCCEEDED ||
			len(h.GetProblems()) != 0 || h.GetCreateTime() == nil || h.GetDoneTime() == nil {
			t.Fatalf("history entry %v", h)
		}
		rest, err := c.ListImportOperations(fes, &registryv1.ListImportOperationsRequest{Parent: "chambers/fes-meknes", PageSize: 2, PageToken: page.GetNextPageToken()})
		if err != nil || len(rest.GetImportOperations()) != 1 || rest.GetImportOperations()[0].GetName() != first.GetName() || rest.GetNextPageToken() != "" {
			t.Fatalf("second page %v %v", rest, err)
		}
		if m, err := c.ListImportOperations(mar, &registryv1.ListImportOperationsRequest{Parent: "chambers/marrakech-safi"}); err != nil || len(m.GetImportOperations()) != 1 {
			t.Fatalf("marrakech's history %v %v", m, err)
		}
		all, err := c.ListImportOperations(ministry, &registryv1.ListImportOperationsRequest{Parent: "chambers/-", PageSize: 3})
		if err != nil || len(all.GetImportOperations()) != 3 {
			t.Fatalf("national history %v %v", all, err)
		}
		more, err := c.ListImportOperations(ministry, &registryv1.ListImportOperationsRequest{Parent: "chambers/-", PageSize: 3, PageToken: all.GetNextPageToken()})
		if err != nil || len(more.GetImportOperations()) != 1 {
			t.Fatalf("national second page %v %v", more, err)
		}
		for _, tc := range []struct {
			name string
			ctx  context.Context
			req  *registryv1.ListImportOperationsRequest
			want codes.Code
		}{
			{"another chamber's", mar, &registryv1.ListImportOperationsRequest{Parent: "chambers/fes-meknes"}, codes.NotFound},
			{"a chamber reading nationally", fes, &registryv1.ListImportOperationsRequest{Parent: "chambers/-"}, codes.PermissionDenied},
			{"anonymous", context.Background(), &registryv1.ListImportOperationsRequest{Parent: "chambers/fes-meknes"}, codes.Unauthenticated},
			{"a token of another parent", ministry, &registryv1.ListImportOperationsRequest{Parent: "chambers/fes-meknes", PageToken: all.GetNextPageToken()}, codes.InvalidArgument},
			{"a negative page size", fes, &registryv1.ListImportOperationsRequest{Parent: "chambers/fes-meknes", PageSize: -1}, codes.InvalidArgument},
		} {
			if _, err := c.ListImportOperations(tc.ctx, tc.req); code(err) != tc.want {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
			}
		}
	})
}

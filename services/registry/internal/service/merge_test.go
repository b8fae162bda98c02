package service

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/hirfa/hirfa/pkg/auth"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
)

// written counts what any write leaves behind: every outbox event and audit
// record, and the artisans' revisions.
func written(t *testing.T, e *env) [3]int {
	t.Helper()
	return [3]int{countWhere(t, e, "SELECT COUNT(*) FROM outbox"), countWhere(t, e, "SELECT COUNT(*) FROM audit_records"),
		countWhere(t, e, "SELECT COALESCE(SUM(revision), 0) FROM artisans")}
}

// TestMergeArtisans merges a duplicate on both databases: the kept record
// takes the chosen fields and remembers the merge, the other becomes MERGED
// and its name answers with its successor (Get and LookupRegistrant), the
// enterprise it supervised moves to the kept record, both records get their
// event and audit record; every refused merge writes nothing.
func TestMergeArtisans(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			url := ""
			if backend == "postgres" {
				url = postgresURL(t)
			}
			e := start(t, url)
			fes := e.as(t, auth.RoleChamberClerk, "fes-meknes")
			mar := e.as(t, auth.RoleChamberClerk, "marrakech-safi")
			c := e.artisans()
			create := func(ctx context.Context, chamber string, in *registryv1.Artisan) *registryv1.Artisan {
				t.Helper()
				a, err := c.CreateArtisan(ctx, &registryv1.CreateArtisanRequest{Parent: "chambers/" + chamber, Artisan: in})
				if err != nil {
					t.Fatal(err)
				}
				return a
			}
			kept := create(fes, "fes-meknes", newArtisan("AB100001"))
			dupIn := newArtisan("AB100002")
			dupIn.GivenNameLatin, dupIn.Contact = "Khadidja", &typev1.Contact{Phone: "+212611111111"}
			dup := create(fes, "fes-meknes", dupIn)
			dup, err := c.RegisterArtisan(fes, &registryv1.RegisterArtisanRequest{Name: dup.GetName()})
			if err != nil {
				t.Fatal(err)
			}
			en, err := registryv1.NewEnterpriseServiceClient(e.conn).CreateEnterprise(fes, &registryv1.CreateEnterpriseRequest{Parent: "chambers/fes-meknes",
				Enterprise: &registryv1.Enterprise{DisplayName: &typev1.LocalizedText{Fr: "Atelier Tazi"}, Ice: "001234567000089",
					Activity: "F1.B02.A01", Province: "fes", SupervisingArtisan: dup.GetName()}})
			if err != nil {
				t.Fatal(err)
			}
			inMarrakech := newArtisan("AB100003")
			inMarrakech.Province = "marrakech"
			far := create(mar, "marrakech-safi", inMarrakech)

			refused := []struct {
				name string
				ctx  context.Context
				req  *registryv1.MergeArtisanRequest
				want codes.Code
				why  string // ErrorInfo reason or field rule
			}{
				{"into itself", fes, &registryv1.MergeArtisanRequest{Name: kept.GetName(), Other: kept.GetName(), Reason: "same person"}, codes.InvalidArgument, "merge.self"},
				{"unknown field", fes, &registryv1.MergeArtisanRequest{Name: kept.GetName(), Other: dup.GetName(), Reason: "same person", TakeFields: []string{"nia"}}, codes.InvalidArgument, "merge.field"},
				{"stale etag of the kept record", fes, &registryv1.MergeArtisanRequest{Name: kept.GetName(), Other: dup.GetName(), Reason: "same person", Etag: `"9"`}, codes.Aborted, ""},
				{"stale etag of the other", fes, &registryv1.MergeArtisanRequest{Name: kept.GetName(), Other: dup.GetName(), Reason: "same person", OtherEtag: dup.GetEtag() + "x"}, codes.Aborted, ""},
				{"across chambers for a clerk", fes, &registryv1.MergeArtisanRequest{Name: kept.GetName(), Other: far.GetName(), Reason: "same person"}, codes.NotFound, ""},
				{"a read-only role", e.as(t, auth.RoleAuditor, "fes-meknes"), &registryv1.MergeArtisanRequest{Name: kept.GetName(), Other: dup.GetName(), Reason: "same person"}, codes.PermissionDenied, ""},
				{"no reason", fes, &registryv1.MergeArtisanRequest{Name: kept.GetName(), Other: dup.GetName()}, codes.InvalidArgument, ""},
			}
			before := written(t, e)
			for _, tt := range refused {
				_, err := c.MergeArtisan(tt.ctx, tt.req)
				if code(err) != tt.want {
					t.Fatalf("%s: %v, want %v", tt.name, err, tt.want)
				}
				if tt.why != "" && !hasViolation(err, tt.why) {
					t.Fatalf("%s: %v does not give %s", tt.name, err, tt.why)
				}
				if got := written(t, e); got != before {
					t.Fatalf("%s wrote: %v → %v", tt.name, before, got)
				}
			}

			out, err := c.MergeArtisan(fes, &registryv1.MergeArtisanRequest{Name: kept.GetName(), Other: dup.GetName(), Etag: kept.GetEtag(), OtherEtag: dup.GetEtag(),
				Reason: "same CNIE holder entered twice", TakeFields: []string{"contact", "cnie"}, RequestId: "m1"})
			if err != nil {
				t.Fatal(err)
			}
			if out.GetName() != kept.GetName() || out.GetContact().GetPhone() != "+212611111111" || out.GetGivenNameLatin() != "Khadija" ||
				out.GetState() != registryv1.Artisan_APPLICANT || len(out.GetMergedFrom()) != 1 {
				t.Fatalf("kept after merge = %v", out)
			}
			note := out.GetMergedFrom()[0]
			if note.GetName() != dup.GetName() || note.GetReason() != "same CNIE holder entered twice" || note.GetActor() != "chamber-clerk@fes-meknes" ||
				note.GetNia() != dup.GetNia() || len(note.GetTakenFields()) != 2 || note.GetMergeTime() == nil {
				t.Fatalf("merge note = %v", note)
			}
			// The kept record took the merged one's CNIE: the merged record
			// left the live index first.
			if n := countWhere(t, e, "SELECT COUNT(*) FROM artisans WHERE cnie = 'AB100002'"); n != 2 {
				t.Fatalf("artisans with the taken CNIE = %d, want both rows", n)
			}
			// Replaying the request id answers the same, writes nothing.
			after := written(t, e)
			again, err := c.MergeArtisan(fes, &registryv1.MergeArtisanRequest{Name: kept.GetName(), Other: dup.GetName(), Reason: "same CNIE holder entered twice", RequestId: "m1"})
			if err != nil || again.GetEtag() != out.GetEtag() || written(t, e) != after {
				t.Fatalf("replay = %v, %v", again, err)
			}
			// One event and one audit record on each record and the moved enterprise.
			for _, w := range []struct{ subject, event, action string }{
				{kept.GetName(), "hirfa.registry.v1.ArtisanMerged", "Merged"},
				{dup.GetName(), "hirfa.registry.v1.ArtisanMergedInto", "MergedInto"},
				{en.GetName(), "hirfa.registry.v1.EnterpriseSupervisorMerged", "SupervisorMerged"},
			} {
				if n := countWhere(t, e, "SELECT COUNT(*) FROM outbox WHERE subject = ? AND type = ?", w.subject, w.event); n != 1 {
					t.Fatalf("%s events on %s = %d", w.event, w.subject, n)
				}
				if n := countWhere(t, e, "SELECT COUNT(*) FROM audit_records WHERE resource = ? AND action = ? AND method = ? AND actor = ?",
					w.subject, w.action, "/hirfa.registry.v1.ArtisanService/MergeArtisan", "chamber-clerk@fes-meknes"); n != 1 {
					t.Fatalf("%s audit records on %s = %d", w.action, w.subject, n)
				}
			}
			moved, err := registryv1.NewEnterpriseServiceClient(e.conn).GetEnterprise(fes, &registryv1.GetEnterpriseRequest{Name: en.GetName()})
			if err != nil || moved.GetSupervisingArtisan() != kept.GetName() {
				t.Fatalf("enterprise after merge = %v, %v", moved, err)
			}

			// The merged name answers with its successor.
			got, err := c.GetArtisan(fes, &registryv1.GetArtisanRequest{Name: dup.GetName()})
			if err != nil || got.GetName() != kept.GetName() {
				t.Fatalf("get merged = %v, %v", got, err)
			}
			st, err := registryv1.NewRegistrantServiceClient(e.conn).LookupRegistrant(mar, &registryv1.LookupRegistrantRequest{Name: dup.GetName()})
			if err != nil || st.GetName() != kept.GetName() {
				t.Fatalf("lookup merged = %v, %v", st, err)
			}
			list, err := c.ListArtisans(fes, &registryv1.ListArtisansRequest{Parent: "chambers/fes-meknes", Filter: `state = "MERGED"`})
			if err != nil || len(list.GetArtisans()) != 1 || list.GetArtisans()[0].GetSuccessor() != kept.GetName() {
				t.Fatalf("merged records = %v, %v", list, err)
			}

			// MERGED is final: merging it again, changing it or moving it on
			// is refused, naming the successor, and writes nothing.
			third := create(fes, "fes-meknes", newArtisan("AB100004"))
			before = written(t, e)
			_, err = c.MergeArtisan(fes, &registryv1.MergeArtisanRequest{Name: third.GetName(), Other: dup.GetName(), Reason: "same person"})
			if code(err) != codes.FailedPrecondition || errorInfo(err).GetReason() != "ILLEGAL_TRANSITION" {
				t.Fatalf("merge a merged record = %v", err)
			}
			_, err = c.UpdateArtisan(fes, &registryv1.UpdateArtisanRequest{Artisan: &registryv1.Artisan{Name: dup.GetName(), YearsOfPractice: 9},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"years_of_practice"}}})
			if code(err) != codes.FailedPrecondition || errorInfo(err).GetReason() != "MERGED" || errorInfo(err).GetMetadata()["successor"] != kept.GetName() {
				t.Fatalf("update merged = %v %v", err, errorInfo(err))
			}
			if _, err := c.SuspendArtisan(fes, &registryv1.SuspendArtisanRequest{Name: dup.GetName(), Reason: "late fees"}); code(err) != codes.FailedPrecondition {
				t.Fatalf("suspend merged = %v", err)
			}
			if got := written(t, e); got != before {
				t.Fatalf("refused writes on a merged record wrote: %v → %v", before, got)
			}

			// A national role merges across chambers.
			nat, err := c.MergeArtisan(e.as(t, auth.RoleMinistry, ""), &registryv1.MergeArtisanRequest{Name: far.GetName(), Other: third.GetName(), Reason: "moved to Marrakech"})
			if err != nil || len(nat.GetMergedFrom()) != 1 {
				t.Fatalf("national merge = %v, %v", nat, err)
			}
			if got, err := c.GetArtisan(e.as(t, auth.RoleMinistry, ""), &registryv1.GetArtisanRequest{Name: third.GetName()}); err != nil || got.GetName() != far.GetName() {
				t.Fatalf("get merged across chambers = %v, %v", got, err)
			}
		})
	}
}

// hasViolation reports whether err's BadRequest carries a violation with rule.
func hasViolation(err error, rule string) bool {
	for _, v := range strings.Fields(violations(err)) {
		if strings.HasSuffix(v, ":"+rule) {
			return true
		}
	}
	return false
}

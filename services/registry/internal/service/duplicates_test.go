package service

import (
	"fmt"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/hirfa/hirfa/pkg/auth"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/bulkimport"
)

// TestDuplicateCandidates: the stored review queue on both databases. A
// chamber's queue pairs its own artisans who may be one person; the
// national queue also pairs across chambers and scripts; pages chain;
// filters select by state and score; a dismissed pair stays dismissed
// until a record's identity changes; a merge settles the pairs of the
// merged record; a deleted record leaves the queue; imported rows are
// paired; bad input and foreign scopes are refused.
func TestDuplicateCandidates(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		create := func(chamber, province, givenAr, familyAr, givenLa, familyLa, birth string) string {
			t.Helper()
			a := newArtisan("D" + uniqueDigits())
			a.Province, a.BirthDate = province, birth
			a.GivenNameAr, a.FamilyNameAr, a.GivenNameLatin, a.FamilyNameLatin = givenAr, familyAr, givenLa, familyLa
			got, err := e.artisans().CreateArtisan(e.as(t, auth.RoleChamberClerk, chamber), &registryv1.CreateArtisanRequest{Parent: "chambers/" + chamber, Artisan: a})
			if err != nil {
				t.Fatal(err)
			}
			return got.GetName()
		}
		a := create("fes-meknes", "fes", "خديجة", "التازي", "Khadija", "Tazi", "1985-05-05")
		b := create("fes-meknes", "meknes", "خديجه", "التازي", "Khadidja", "Tazi", "1985-05-05")
		create("fes-meknes", "fes", "خديجة", "التازي", "Khadija", "Tazi", "1990-01-01") // same name, other person
		c := create("fes-meknes", "fes", "محمد", "الفاسي", "Mohamed", "El Fassi", "1980-03-14")
		d := create("oriental", "oujda-angad", "امحمد", "الفاصي", "Mohammed", "Elfassi", "1980-03-14")

		fes := e.as(t, auth.RoleChamberClerk, "fes-meknes")
		dups := registryv1.NewDuplicateServiceClient(e.conn)
		type query struct {
			role     auth.Role
			chamber  string
			parent   string
			state    registryv1.DuplicateCandidate_State
			minScore float64
			size     int32
			token    string
		}
		var last []*registryv1.DuplicateCandidate
		list := func(q query) (string, string, error) {
			t.Helper()
			resp, err := dups.ListDuplicateCandidates(e.as(t, q.role, q.chamber), &registryv1.ListDuplicateCandidatesRequest{
				Parent: q.parent, PageSize: q.size, PageToken: q.token, State: q.state, MinScore: q.minScore})
			last = resp.GetDuplicateCandidates()
			var parts []string
			for _, p := range last {
				parts = append(parts, fmt.Sprintf("%s|%s|%v|%s", p.GetArtisan(), p.GetOtherArtisan(), p.GetReasons(), p.GetState()))
			}
			return strings.Join(parts, " ; "), resp.GetNextPageToken(), err
		}
		pair := func(x, y, reasons, state string) string {
			if y < x {
				x, y = y, x
			}
			return x + "|" + y + "|" + reasons + "|" + state
		}
		fesQueue := query{role: auth.RoleChamberClerk, chamber: "fes-meknes", parent: "chambers/fes-meknes"}
		national := query{role: auth.RoleMinistry, parent: "chambers/-"}

		got, _, err := list(fesQueue)
		if want := pair(a, b, "[SAME_NAME_AND_BIRTH_DATE]", "OPEN"); err != nil || got != want {
			t.Fatalf("chamber queue = %q, %v; want %q", got, err, want)
		}
		ab := last[0]
		if !strings.HasPrefix(ab.GetName(), "chambers/fes-meknes/duplicateCandidates/") || ab.GetScore() != 0.95 || ab.GetCreateTime() == nil {
			t.Errorf("pair = %v", ab)
		}
		q := national
		q.size = 1
		got, next, err := list(q)
		if want := pair(a, b, "[SAME_NAME_AND_BIRTH_DATE]", "OPEN"); err != nil || got != want || next == "" {
			t.Errorf("national first page = %q %q, %v; want %q", got, next, err, want)
		}
		q.token = next
		got, next, err = list(q)
		if want := pair(c, d, "[CLOSE_NAME_AND_BIRTH_DATE]", "OPEN"); err != nil || got != want || next != "" {
			t.Errorf("national second page = %q %q, %v; want %q", got, next, err, want)
		}
		cd := last[0]
		q = national
		q.minScore = 0.94
		if got, _, err := list(q); err != nil || got != pair(a, b, "[SAME_NAME_AND_BIRTH_DATE]", "OPEN") {
			t.Errorf("national min_score 0.94 = %q, %v", got, err)
		}

		// Dismissal: within the chamber by its clerk, across chambers by the
		// ministry only.
		dismiss := func(role auth.Role, chamber, name, reason string) (*registryv1.DuplicateCandidate, error) {
			return dups.DismissDuplicateCandidate(e.as(t, role, chamber), &registryv1.DismissDuplicateCandidateRequest{Name: name, Reason: reason})
		}
		// recorded counts a pair's dismissal events and audit records: a
		// refused dismissal writes neither.
		recorded := func(name string) (events, audits int) {
			t.Helper()
			return countWhere(t, e, "SELECT COUNT(*) FROM outbox WHERE subject = ? AND type = ? AND data_type = ?", name,
					"hirfa.registry.v1.DuplicateCandidateDismissed", "hirfa.registry.v1.DuplicateCandidate"),
				countWhere(t, e, "SELECT COUNT(*) FROM audit_records WHERE resource = ? AND action = 'Dismissed'", name)
		}
		if _, err := dismiss(auth.RoleChamberClerk, "oriental", ab.GetName(), "different mothers"); code(err) != codes.NotFound {
			t.Errorf("other chamber's clerk dismisses = %v, want NotFound", err)
		}
		if _, err := dismiss(auth.RoleAuditor, "fes-meknes", ab.GetName(), "different mothers"); code(err) != codes.PermissionDenied {
			t.Errorf("auditor dismisses = %v, want PermissionDenied", err)
		}
		if _, err := dismiss(auth.RoleChamberClerk, "fes-meknes", ab.GetName(), "x"); code(err) != codes.InvalidArgument || violations(err) != "reason:string.min_len" {
			t.Errorf("short reason = %v (%s)", err, violations(err))
		}
		if _, err := dismiss(auth.RoleChamberClerk, "fes-meknes", "chambers/fes-meknes/duplicateCandidates/0123abc", "different mothers"); code(err) != codes.NotFound {
			t.Errorf("unknown pair = %v, want NotFound", err)
		}
		if _, err := dismiss(auth.RoleChamberClerk, "fes-meknes", cd.GetName(), "different people"); code(err) != codes.NotFound {
			t.Errorf("clerk dismisses a pair across chambers = %v, want NotFound", err)
		}
		for _, name := range []string{ab.GetName(), cd.GetName()} {
			if ev, au := recorded(name); ev != 0 || au != 0 {
				t.Errorf("refused dismissals of %s recorded %d events and %d audit records", name, ev, au)
			}
		}
		got1, err := dismiss(auth.RoleChamberClerk, "fes-meknes", ab.GetName(), "different mothers, checked at the desk")
		if err != nil || got1.GetState() != registryv1.DuplicateCandidate_DISMISSED || got1.GetDismissedBy() != "chamber-clerk@fes-meknes" ||
			got1.GetDismissReason() != "different mothers, checked at the desk" || got1.GetDismissTime() == nil {
			t.Fatalf("dismiss = %v, %v", got1, err)
		}
		if ev, au := recorded(ab.GetName()); ev != 1 || au != 1 {
			t.Errorf("a dismissal recorded %d events and %d audit records, want 1 and 1", ev, au)
		}
		trail, err := registryv1.NewAuditServiceClient(e.conn).ListAuditRecords(e.as(t, auth.RoleAuditor, "fes-meknes"),
			&registryv1.ListAuditRecordsRequest{Parent: "chambers/fes-meknes", Filter: `resource = "` + ab.GetName() + `"`})
		if err != nil || len(trail.GetAuditRecords()) != 1 || trail.GetAuditRecords()[0].GetAction() != "Dismissed" ||
			trail.GetAuditRecords()[0].GetActor() != "chamber-clerk@fes-meknes" ||
			trail.GetAuditRecords()[0].GetMethod() != "/hirfa.registry.v1.DuplicateService/DismissDuplicateCandidate" {
			t.Errorf("audit trail of the dismissed pair = %v, %v", trail.GetAuditRecords(), err)
		}
		if _, err := dismiss(auth.RoleChamberClerk, "fes-meknes", ab.GetName(), "again"); code(err) != codes.FailedPrecondition || errorInfo(err).GetReason() != "ILLEGAL_TRANSITION" {
			t.Errorf("dismiss twice = %v", err)
		}
		if ev, au := recorded(ab.GetName()); ev != 1 || au != 1 {
			t.Errorf("a refused dismissal recorded: %d events and %d audit records, want 1 and 1", ev, au)
		}
		if _, err := dismiss(auth.RoleMinistry, "", cd.GetName(), "different fathers"); err != nil {
			t.Errorf("ministry dismisses across chambers = %v", err)
		}
		if got, _, err := list(national); err != nil || got != "" {
			t.Errorf("open queue after dismissals = %q, %v", got, err)
		}
		q = fesQueue
		q.state = registryv1.DuplicateCandidate_DISMISSED
		if got, _, err := list(q); err != nil || got != pair(a, b, "[SAME_NAME_AND_BIRTH_DATE]", "DISMISSED") {
			t.Errorf("dismissed pairs = %q, %v", got, err)
		}

		// A change outside the identity keeps the dismissal; a change of a
		// name reopens the pair.
		update := func(name string, a *registryv1.Artisan, paths ...string) {
			t.Helper()
			a.Name = name
			if _, err := e.artisans().UpdateArtisan(fes, &registryv1.UpdateArtisanRequest{Artisan: a, UpdateMask: &fieldmaskpb.FieldMask{Paths: paths}}); err != nil {
				t.Fatal(err)
			}
		}
		update(b, &registryv1.Artisan{YearsOfPractice: 12}, "years_of_practice")
		if got, _, err := list(fesQueue); err != nil || got != "" {
			t.Errorf("open queue after an unrelated change = %q, %v", got, err)
		}
		update(b, &registryv1.Artisan{GivenNameLatin: "Khadija"}, "given_name_latin")
		got, _, err = list(fesQueue)
		if err != nil || got != pair(a, b, "[SAME_NAME_AND_BIRTH_DATE]", "OPEN") || last[0].GetDismissedBy() != "" || last[0].GetName() != ab.GetName() {
			t.Errorf("queue after a name change = %q %v, %v", got, last, err)
		}

		// A merge settles the merged record's pairs: they leave the queue.
		if _, err := e.artisans().MergeArtisan(fes, &registryv1.MergeArtisanRequest{Name: a, Other: b, Reason: "the same person entered twice"}); err != nil {
			t.Fatal(err)
		}
		if got, _, err := list(fesQueue); err != nil || got != "" {
			t.Errorf("open queue after the merge = %q, %v", got, err)
		}
		q = fesQueue
		q.state = registryv1.DuplicateCandidate_MERGED
		if got, _, err := list(q); err != nil || got != pair(a, b, "[SAME_NAME_AND_BIRTH_DATE]", "MERGED") {
			t.Errorf("merged pairs = %q, %v", got, err)
		}
		if _, err := dismiss(auth.RoleChamberClerk, "fes-meknes", ab.GetName(), "too late"); code(err) != codes.FailedPrecondition {
			t.Errorf("dismiss a merged pair = %v", err)
		}

		// A deleted application leaves the queue.
		x := create("fes-meknes", "fes", "سعيد", "البناني", "Said", "Bennani", "1970-07-07")
		create("fes-meknes", "fes", "سعيد", "البناني", "Said", "Bennani", "1970-07-07")
		if got, _, _ := list(fesQueue); !strings.Contains(got, x) {
			t.Fatalf("queue = %q, want a pair of %s", got, x)
		}
		if _, err := e.artisans().DeleteArtisan(fes, &registryv1.DeleteArtisanRequest{Name: x}); err != nil {
			t.Fatal(err)
		}
		if got, _, err := list(fesQueue); err != nil || got != "" {
			t.Errorf("queue after deleting %s = %q, %v", x, got, err)
		}

		// Imported rows are paired (PostgreSQL: the COPY path).
		op := runImport(t, e, app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Artisans, File: csvOf([][]string{importRow(1), importRow(2), importRow(3)})})
		if op.Summary.Accepted != 3 {
			t.Fatalf("import: %+v", op.Summary)
		}
		if got, _, err := list(fesQueue); err != nil || len(last) != 3 || strings.Count(got, op.ID) != 6 {
			t.Errorf("queue after an import of one person three times = %q, %v", got, err)
		}
		if n := countWhere(t, e, "SELECT COUNT(*) FROM duplicate_pending"); n != 0 {
			t.Errorf("%d records left to scan after a list", n)
		}

		if _, _, err := list(query{role: auth.RoleChamberClerk, chamber: "fes-meknes", parent: "chambers/-"}); code(err) != codes.PermissionDenied {
			t.Errorf("clerk national queue = %v, want PermissionDenied", err)
		}
		if _, _, err := list(query{role: auth.RoleChamberClerk, chamber: "oriental", parent: "chambers/fes-meknes"}); code(err) != codes.NotFound {
			t.Errorf("other chamber's clerk = %v, want NotFound", err)
		}
		q = national
		q.size = -1
		if _, _, err := list(q); code(err) != codes.InvalidArgument || violations(err) != "page_size:int32.gte" {
			t.Errorf("negative page size = %v (%s)", err, violations(err))
		}
		q = national
		q.minScore = 1.5
		if _, _, err := list(q); code(err) != codes.InvalidArgument || violations(err) != "min_score:double.gte_lte" {
			t.Errorf("min_score 1.5 = %v (%s)", err, violations(err))
		}
		// A token of another list (another parent, another filter) is refused.
		q = fesQueue
		q.size = 1
		_, next, _ = list(q)
		for _, other := range []query{
			{role: auth.RoleMinistry, parent: "chambers/-", size: 1, token: next},
			{role: auth.RoleChamberClerk, chamber: "fes-meknes", parent: "chambers/fes-meknes", size: 1, token: next, minScore: 0.5},
			{role: auth.RoleMinistry, parent: "chambers/-", size: 1, token: "fes-meknes@1"},
		} {
			if _, _, err := list(other); code(err) != codes.InvalidArgument || violations(err) != "page_token:page_token.invalid" {
				t.Errorf("foreign page token %+v = %v (%s)", other, err, violations(err))
			}
		}
	})
}

package service

import (
	"testing"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/testenv"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
)

// TestMarkStagnantNamesItsAuthor: the manual sorting records who and why
// (the inventory in reporting shows both), the bureau renewal date is kept,
// and the definitive receipt's due day is the provisional one plus 60 days;
// on SQLite and PostgreSQL.
func TestMarkStagnantNamesItsAuthor(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			url := ""
			if backend == "postgres" {
				url = testenv.Postgres(t)
			}
			e := start(t, url)
			c := registryv1.NewAssociationServiceClient(e.conn)
			admin := e.as(t, auth.RoleChamberAdmin, "fes-meknes")
			a, err := c.CreateAssociation(admin, &registryv1.CreateAssociationRequest{Parent: "chambers/fes-meknes", Association: &registryv1.Association{
				DisplayName: &typev1.LocalizedText{Ar: "جمعية الفخار", Fr: "Association de la poterie"}, Object: "النهوض بالفخار", Province: "fes",
				Category: registryv1.Association_PROFESSIONAL, BureauRenewalDate: "2024-05-04",
				Receipt: &registryv1.Association_Receipt{ProvisionalDate: "2024-01-10", DefinitiveDate: "2024-02-20"}}})
			if err != nil {
				t.Fatal(err)
			}
			if a.GetDefinitiveReceiptDueDate() != "2024-03-10" || a.GetBureauRenewalDate() != "2024-05-04" {
				t.Fatalf("created: due %q bureau %q", a.GetDefinitiveReceiptDueDate(), a.GetBureauRenewalDate())
			}
			if a, err = c.ActivateAssociation(admin, &registryv1.ActivateAssociationRequest{Name: a.GetName()}); err != nil {
				t.Fatal(err)
			}
			a, err = c.MarkStagnantAssociation(admin, &registryv1.MarkStagnantAssociationRequest{Name: a.GetName(), Reason: "لا جمع عام منذ 2021"})
			if err != nil {
				t.Fatal(err)
			}
			if a.GetState() != registryv1.Association_STAGNANT || a.GetStateReason() != "لا جمع عام منذ 2021" || a.GetStateActor() != "chamber-admin@fes-meknes" {
				t.Fatalf("marked: %s %q by %q", a.GetState(), a.GetStateReason(), a.GetStateActor())
			}
			if a, err = c.ReactivateAssociation(admin, &registryv1.ReactivateAssociationRequest{Name: a.GetName()}); err != nil || a.GetStateActor() != "" {
				t.Fatalf("reactivated: %v by %q", err, a.GetStateActor())
			}
		})
	}
}

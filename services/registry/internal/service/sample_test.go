package service

import (
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/hirfa/hirfa/pkg/auth"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
)

// TestSampleNomenclatureOff: without the demo profile or the switch the
// sample nomenclature is not loaded, and on a database where it was loaded
// its codes are refused as activity.sample naming the field, with nothing
// written; turned on again they are accepted. On both databases.
func TestSampleNomenclatureOff(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			url := "sqlite://" + filepath.Join(t.TempDir(), "registry.db")
			if db == "postgres" {
				url = postgresURL(t)
			}
			// A first start with the switch off loads no sample.
			off := start(t, url, "HIRFA_SAMPLE_NOMENCLATURE", "false")
			acts, err := registryv1.NewReferenceServiceClient(off.conn).ListActivities(off.as(t, "", ""), &registryv1.ListActivitiesRequest{PageSize: 100})
			if err != nil || len(acts.GetActivities()) != 0 {
				t.Fatalf("switch off: nomenclature = %d activities, %v; want none", len(acts.GetActivities()), err)
			}

			// A second start with the switch (the first one still serving, as
			// a replica would) loads the sample…
			on := start(t, url, "HIRFA_SAMPLE_NOMENCLATURE", "true")
			ctx := on.as(t, auth.RoleChamberClerk, "fes-meknes")
			if _, err := on.coops().CreateCooperative(ctx, &registryv1.CreateCooperativeRequest{Parent: "chambers/fes-meknes", Cooperative: newCoop()}); err != nil {
				t.Fatalf("switch on: create with a sample code: %v", err)
			}

			// …and off again the same codes are not usable.
			off = start(t, url, "HIRFA_SAMPLE_NOMENCLATURE", "false")
			ctx = off.as(t, auth.RoleChamberClerk, "fes-meknes")
			_, err = off.coops().CreateCooperative(ctx, &registryv1.CreateCooperativeRequest{Parent: "chambers/fes-meknes", Cooperative: newCoop()})
			if status.Code(err) != codes.InvalidArgument || violations(err) != "cooperative.activity:activity.sample" {
				t.Fatalf("switch off: create with %s = %v (%s), want INVALID_ARGUMENT cooperative.activity:activity.sample", newCoop().GetActivity(), err, violations(err))
			}
			if !strings.Contains(status.Convert(err).Message(), "sample nomenclature") {
				t.Errorf("message %q does not say the code is a sample one", status.Convert(err).Message())
			}
			list, err := off.coops().ListCooperatives(ctx, &registryv1.ListCooperativesRequest{Parent: "chambers/fes-meknes", PageSize: 10})
			if err != nil || len(list.GetCooperatives()) != 1 {
				t.Errorf("after the refusal: %d cooperatives, %v; want the 1 created with the switch on", len(list.GetCooperatives()), err)
			}
		})
	}
}

// TestDemoNeedsSample: the demo profile with the sample switched off is a
// configuration error, since the demo records use the sample's codes.
func TestDemoNeedsSample(t *testing.T) {
	dev := map[string]string{"HIRFA_AUTH_DEV": "true"}
	load := func(vars map[string]string) (Config, error) {
		return Load(func(k string) string {
			if v, ok := vars[k]; ok {
				return v
			}
			return dev[k]
		})
	}
	_, err := load(map[string]string{"HIRFA_SEED_DEMO": "true", "HIRFA_SAMPLE_NOMENCLATURE": "false"})
	if err == nil || !strings.Contains(err.Error(), "HIRFA_SAMPLE_NOMENCLATURE") {
		t.Fatalf("Load = %v, want an error naming HIRFA_SAMPLE_NOMENCLATURE", err)
	}
	if c, err := load(map[string]string{"HIRFA_SEED_DEMO": "true"}); err != nil || !c.SampleNomenclature {
		t.Fatalf("demo profile: SampleNomenclature = %v, %v; want on by default", c.SampleNomenclature, err)
	}
	if c, err := load(nil); err != nil || c.SampleNomenclature {
		t.Fatalf("default: SampleNomenclature = %v, %v; want off", c.SampleNomenclature, err)
	}
}

package service

import (
	"strings"
	"testing"
	"time"

	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/generalassembly"
)

func TestLoad(t *testing.T) {
	// The dev issuer is asked for explicitly (pkg/svcconfig refuses an
	// empty HIRFA_AUTH_JWKS_URL otherwise).
	env := func(m map[string]string) func(string) string {
		return func(k string) string {
			if k == "HIRFA_AUTH_DEV" {
				return "true"
			}
			return m[k]
		}
	}
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.GRPCAddr != "127.0.0.1:9102" || c.RegistryAddr != "127.0.0.1:9101" || c.RegistryTimeout != 3*time.Second ||
		c.DatabaseURL != "sqlite://var/events-and-fairs.db" || c.Quorum != (generalassembly.Quorum{Numerator: 1, Denominator: 2}) {
		t.Fatalf("defaults = %+v", c)
	}
	c, err = Load(env(map[string]string{"HIRFA_ASSEMBLY_QUORUM": "2/3", "HIRFA_ASSEMBLY_SECOND_QUORUM": "1/3", "HIRFA_ASSEMBLY_SECOND_MINIMUM": "10"}))
	if err != nil || c.Quorum != (generalassembly.Quorum{Numerator: 2, Denominator: 3, SecondNumerator: 1, SecondDenominator: 3, SecondMinimum: 10}) {
		t.Fatalf("quorum = %+v, %v", c.Quorum, err)
	}
	// Every problem is reported at once.
	_, err = Load(env(map[string]string{"HIRFA_ASSEMBLY_QUORUM": "half", "HIRFA_REGISTRY_TIMEOUT": "soon", "HIRFA_MIGRATE": "maybe"}))
	for _, want := range []string{"HIRFA_ASSEMBLY_QUORUM", "HIRFA_REGISTRY_TIMEOUT", "HIRFA_MIGRATE"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load error %v does not name %s", err, want)
		}
	}
	for _, bad := range []map[string]string{
		{"HIRFA_ASSEMBLY_QUORUM": "3/2"},
		{"HIRFA_ASSEMBLY_QUORUM": "1/2", "HIRFA_ASSEMBLY_SECOND_QUORUM": "2/3"},
		{"HIRFA_ASSEMBLY_SECOND_QUORUM": "x"},
	} {
		if _, err := Load(env(bad)); err == nil {
			t.Errorf("Load(%v) accepted", bad)
		}
	}
}

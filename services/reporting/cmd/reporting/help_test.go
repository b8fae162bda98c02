package main

import (
	"testing"

	"github.com/hirfa/hirfa/pkg/svcconfig"
	"github.com/hirfa/hirfa/services/reporting/internal/service"
)

// TestEveryVariableIsDocumented: --help lists what service.Load reads
// (recorded from it); each of those variables needs a meaning.
func TestEveryVariableIsDocumented(t *testing.T) {
	vars := svcconfig.Describe(func(get svcconfig.Getenv) { _, _ = service.Load(get) }, nil)
	listed := map[string]bool{}
	for _, v := range vars {
		listed[v.Name] = true
	}
	n := 0
	_, _ = service.Load(func(k string) string { // an independent recording getenv
		n++
		if !listed[k] {
			t.Errorf("service.Load reads %s, --help does not list it", k)
		}
		return ""
	})
	if n == 0 {
		t.Fatal("the loader read no variables")
	}
	for _, v := range vars {
		if v.Meaning == "" {
			t.Errorf("%s is read by service.Load but has no meaning for --help (add it to svcconfig's table or Spec.Meanings)", v.Name)
		}
	}
}

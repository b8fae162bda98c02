// Package configtest checks a service's configuration loader against what
// its --help prints (svcconfig.Describe), so every service's test is one call.
package configtest

import (
	"testing"

	"github.com/hirfa/hirfa/pkg/svcconfig"
)

// EveryVariableDocumented fails when load reads a variable --help does not
// list, or one without a meaning (svcconfig's table or the service's
// Spec.Meanings, given as meanings).
func EveryVariableDocumented(t *testing.T, load func(svcconfig.Getenv), meanings map[string]string) {
	t.Helper()
	vars := svcconfig.Describe(load, meanings)
	listed := map[string]bool{}
	for _, v := range vars {
		listed[v.Name] = true
	}
	n := 0
	load(func(k string) string { // an independent recording getenv
		n++
		if !listed[k] {
			t.Errorf("the loader reads %s, --help does not list it", k)
		}
		return ""
	})
	if n == 0 {
		t.Fatal("the loader read no variables")
	}
	for _, v := range vars {
		if v.Meaning == "" {
			t.Errorf("%s is read by the loader but has no meaning for --help (add it to svcconfig's table or Spec.Meanings)", v.Name)
		}
	}
}

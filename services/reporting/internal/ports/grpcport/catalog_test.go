package grpcport

import (
	"testing"

	"github.com/hirfa/hirfa/pkg/fault/catalog/catalogtest"
)

// Every reporting reason is catalogued with its code and translated (the
// domain's rules are string literals, so the check is not strict about
// declaring them as constants).
func TestCatalog(t *testing.T) {
	catalogtest.Check(t, Catalog)
	catalogtest.Used(t, Catalog, false, "../..", "../../../../../pkg/fault")
	catalogtest.ProtoPackage(t, Catalog, "hirfa.reporting.v1")
}

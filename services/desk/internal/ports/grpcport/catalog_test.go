package grpcport

import (
	"testing"

	"github.com/hirfa/hirfa/pkg/fault/catalog/catalogtest"
)

// Every desk reason is catalogued with its code and translated, and no
// reason is given as a bare string.
func TestCatalog(t *testing.T) {
	catalogtest.Check(t, Catalog)
	catalogtest.Used(t, Catalog, true, "../..", "../../../../../pkg/fault")
	catalogtest.ProtoPackage(t, Catalog, "hirfa.desk.v1")
}

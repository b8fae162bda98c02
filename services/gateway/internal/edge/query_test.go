package edge

import (
	"net/url"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/v2/utilities"

	craftbodiesv1 "github.com/hirfa/hirfa/proto/gen/hirfa/craftbodies/v1"
)

// TestEnumQueryInAnyCase: `group_by=province` reads as PROVINCE; an
// unknown value is still refused by the default parser.
func TestEnumQueryInAnyCase(t *testing.T) {
	for _, v := range []string{"province", "Province", "PROVINCE"} {
		var req craftbodiesv1.GetCraftBodyProgressRequest
		if err := (enumQueryParser{}).Parse(&req, url.Values{"group_by": {v}}, utilities.NewDoubleArray(nil)); err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		if req.GetGroupBy() != craftbodiesv1.GetCraftBodyProgressRequest_PROVINCE {
			t.Errorf("%s read as %v", v, req.GetGroupBy())
		}
	}
	var req craftbodiesv1.GetCraftBodyProgressRequest
	if err := (enumQueryParser{}).Parse(&req, url.Values{"group_by": {"county"}}, utilities.NewDoubleArray(nil)); err == nil {
		t.Errorf("an unknown value was accepted as %v", req.GetGroupBy())
	}
}

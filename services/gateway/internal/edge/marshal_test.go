package edge

import (
	"bytes"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/tools/load"
)

// TestJSONMarshalerSameBytesOneCopy: the edge's marshaler writes exactly
// what grpc-gateway's JSONPb writes, for a message and for a value that is
// not one, and answers a message with one allocation fewer (JSONPb copies
// protojson's buffer into its own).
func TestJSONMarshalerSameBytesOneCopy(t *testing.T) {
	opts := protojson.MarshalOptions{UseProtoNames: true}
	ours, theirs := &jsonMarshaler{JSONPb: runtime.JSONPb{MarshalOptions: opts}}, &runtime.JSONPb{MarshalOptions: opts}
	coop := load.NewCooperative("marshal-1")
	coop.Name, coop.CreateTime, coop.Etag = "chambers/fes-meknes/cooperatives/c1", timestamppb.Now(), `W/"1"`
	for _, v := range []any{coop, []string{"a", "b"}, map[string]int{"n": 1}} {
		a, errA := ours.Marshal(v)
		b, errB := theirs.Marshal(v)
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("%T: ours %s (%v), JSONPb %s (%v)", v, a, errA, b, errB)
		}
	}
	a := testing.AllocsPerRun(100, func() { _, _ = ours.Marshal(coop) })
	b := testing.AllocsPerRun(100, func() { _, _ = theirs.Marshal(coop) })
	if a >= b {
		t.Errorf("a message: %.0f allocations, JSONPb %.0f; want fewer", a, b)
	}
}

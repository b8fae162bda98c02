package edge

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/tools/load"
)

// TestJSONMarshalerSameJSONOneAllocation: the edge's marshaler writes what
// grpc-gateway's JSONPb writes with the edge's options — byte for byte
// once protojson's whitespace (which varies from binary to binary) is
// compacted — for a message and for values that are not one, and answers
// a cooperative in one allocation (JSONPb: protojson's 28 and a copy).
func TestJSONMarshalerSameJSONOneAllocation(t *testing.T) {
	ours := newJSONMarshaler()
	theirs := &runtime.JSONPb{MarshalOptions: protojson.MarshalOptions{UseProtoNames: true}}
	coop := load.NewCooperative("marshal-1")
	coop.Name, coop.CreateTime, coop.UpdateTime, coop.Etag = "chambers/fes-meknes/cooperatives/c1", timestamppb.Now(), timestamppb.Now(), `W/"1"`
	for _, v := range []any{coop, []string{"a", "b"}, map[string]int{"n": 1}} {
		a, errA := ours.Marshal(v)
		b, errB := theirs.Marshal(v)
		var ca, cb bytes.Buffer
		if errA != nil || errB != nil || json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil || !bytes.Equal(ca.Bytes(), cb.Bytes()) {
			t.Errorf("%T: ours %s (%v), JSONPb %s (%v)", v, a, errA, b, errB)
		}
	}
	_, _ = ours.Marshal(coop) // sizes the next buffer
	if n := testing.AllocsPerRun(100, func() { _, _ = ours.Marshal(coop) }); n > 1 {
		t.Errorf("a cooperative: %.0f allocations, want 1", n)
	}
}

package edge

import (
	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/protobuf/proto"
)

// jsonMarshaler is grpc-gateway's JSONPb answering a message with
// protojson's own buffer: JSONPb.Marshal writes that buffer into a
// bytes.Buffer of its own and returns the copy, a second allocation and
// copy of every response body. The bytes are the same; anything that is
// not a message (a response_body field's value) goes through JSONPb as
// before.
type jsonMarshaler struct {
	runtime.JSONPb
}

func (j *jsonMarshaler) Marshal(v any) ([]byte, error) {
	if m, ok := v.(proto.Message); ok {
		return j.MarshalOptions.Marshal(m)
	}
	return j.JSONPb.Marshal(v)
}

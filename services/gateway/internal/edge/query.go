package edge

import (
	"net/url"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/grpc-ecosystem/grpc-gateway/v2/utilities"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// enumQueryParser reads query parameters as grpc-gateway's default parser
// does, but accepts an enum value in any letter case (`group_by=province`
// for PROVINCE): people type the lower-case words the issue texts and
// documents use, and every Hirfa enum value name is upper case, so folding
// the case can never pick a different value. Unknown values are left as
// they are for the default parser to refuse.
type enumQueryParser struct{ runtime.DefaultQueryParser }

func (p enumQueryParser) Parse(msg proto.Message, values url.Values, filter *utilities.DoubleArray) error {
	md := msg.ProtoReflect().Descriptor()
	for key, vs := range values {
		fd := queryField(md, key)
		if fd == nil || fd.Kind() != protoreflect.EnumKind {
			continue
		}
		ev := fd.Enum().Values()
		for i, v := range vs {
			if ev.ByName(protoreflect.Name(v)) == nil && ev.ByName(protoreflect.Name(strings.ToUpper(v))) != nil {
				vs[i] = strings.ToUpper(v)
			}
		}
	}
	return p.DefaultQueryParser.Parse(msg, values, filter)
}

// queryField finds the field a dotted query key names (proto or JSON
// names, as the default parser accepts).
func queryField(md protoreflect.MessageDescriptor, key string) protoreflect.FieldDescriptor {
	var fd protoreflect.FieldDescriptor
	for _, part := range strings.Split(key, ".") {
		if md == nil {
			return nil
		}
		fd = md.Fields().ByName(protoreflect.Name(part))
		if fd == nil {
			fd = md.Fields().ByJSONName(part)
		}
		if fd == nil {
			return nil
		}
		md = fd.Message()
	}
	return fd
}

package catalogtest

import (
	"strings"
	"testing"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/hirfa/hirfa/pkg/fault/catalog"
)

// ProtoRules fails t when a protovalidate rule on a field of files has no
// catalogue entry: every rule id the validation interceptor may put in a
// BadRequest (required, string.max_len, int32.gte_lte, …) needs its Arabic
// and French description.
func ProtoRules(t testing.TB, c *catalog.Catalog, files ...protoreflect.FileDescriptor) {
	t.Helper()
	seen := 0
	var walk func(ms protoreflect.MessageDescriptors)
	walk = func(ms protoreflect.MessageDescriptors) {
		for i := 0; i < ms.Len(); i++ {
			m := ms.Get(i)
			walk(m.Messages())
			for j := 0; j < m.Fields().Len(); j++ {
				f := m.Fields().Get(j)
				rules, ok := proto.GetExtension(f.Options(), validate.E_Field).(*validate.FieldRules)
				if !ok || rules == nil {
					continue
				}
				for _, id := range ruleIDs(rules) {
					seen++
					if _, ok := c.Entry(id); !ok {
						t.Errorf("%s: protovalidate rule %q is not in the catalogue", f.FullName(), id)
					}
				}
			}
		}
	}
	for _, fd := range files {
		walk(fd.Messages())
	}
	if seen == 0 {
		t.Fatal("no protovalidate rule found")
	}
}

// ruleIDs are the rule ids protovalidate reports for rules: "required", and
// "<type>.<rule>" per type rule, a lower and an upper bound together making
// one range rule ("int32.gte_lte").
func ruleIDs(rules *validate.FieldRules) []string {
	var ids []string
	if rules.GetRequired() {
		ids = append(ids, "required")
	}
	r := rules.ProtoReflect()
	r.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if fd.Message() == nil || fd.ContainingOneof() == nil {
			return true // required, ignore, cel: not a type's rules
		}
		typ := string(fd.Name())
		var lower, upper string
		v.Message().Range(func(rd protoreflect.FieldDescriptor, _ protoreflect.Value) bool {
			name := string(rd.Name())
			switch {
			case name == "example":
			case rd.ContainingOneof() != nil && strings.HasPrefix(string(rd.ContainingOneof().Name()), "greater_than"):
				lower = name
			case rd.ContainingOneof() != nil && strings.HasPrefix(string(rd.ContainingOneof().Name()), "less_than"):
				upper = name
			case name == "items" || name == "keys" || name == "values":
				if nested, ok := v.Message().Get(rd).Message().Interface().(*validate.FieldRules); ok {
					ids = append(ids, ruleIDs(nested)...)
				}
			default:
				ids = append(ids, typ+"."+name)
			}
			return true
		})
		switch {
		case lower != "" && upper != "":
			ids = append(ids, typ+"."+lower+"_"+upper)
		case lower != "":
			ids = append(ids, typ+"."+lower)
		case upper != "":
			ids = append(ids, typ+"."+upper)
		}
		return true
	})
	return ids
}

// ProtoPackage is ProtoRules over every registered file of the proto
// package pkg (e.g. "hirfa.registry.v1"); the test binary must link its
// generated code.
func ProtoPackage(t testing.TB, c *catalog.Catalog, pkg protoreflect.FullName) {
	t.Helper()
	var files []protoreflect.FileDescriptor
	protoregistry.GlobalFiles.RangeFilesByPackage(pkg, func(fd protoreflect.FileDescriptor) bool {
		files = append(files, fd)
		return true
	})
	if len(files) == 0 {
		t.Fatalf("no proto file of package %s is linked", pkg)
	}
	ProtoRules(t, c, files...)
}

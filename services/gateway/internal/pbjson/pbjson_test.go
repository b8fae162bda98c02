package pbjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	// Every API the edge answers for, so their types are registered.
	_ "github.com/hirfa/hirfa/proto/gen/hirfa/craftbodies/v1"
	_ "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	_ "github.com/hirfa/hirfa/proto/gen/hirfa/event/v1"
	_ "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	_ "github.com/hirfa/hirfa/proto/gen/hirfa/reporting/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
)

// same reports whether ours is protojson's output up to insignificant
// whitespace, or both refused the message.
func same(t *testing.T, what string, m proto.Message) {
	t.Helper()
	want, errWant := Options.Marshal(m)
	got, errGot := Marshal(m)
	if (errWant != nil) != (errGot != nil) {
		t.Fatalf("%s: protojson error %v, ours %v", what, errWant, errGot)
	}
	if errWant != nil {
		return
	}
	// A type the plan does not cover is protojson's own output, spaces
	// included: both are compacted.
	var w, g bytes.Buffer
	if err := json.Compact(&w, want); err != nil {
		t.Fatalf("%s: protojson wrote invalid JSON: %v", what, err)
	}
	if err := json.Compact(&g, got); err != nil {
		t.Fatalf("%s: invalid JSON %s: %v", what, got, err)
	}
	if !bytes.Equal(w.Bytes(), g.Bytes()) {
		t.Fatalf("%s:\nprotojson %s\nours      %s", what, w.Bytes(), g.Bytes())
	}
	if planOf(m.ProtoReflect().Descriptor()).fast && !bytes.Equal(g.Bytes(), got) {
		t.Fatalf("%s: the plan wrote whitespace: %s", what, got)
	}
}

// TestSameJSONAsProtojson fills every message type the binary knows (the
// APIs', the well-known types, the error details) with values that stress
// each rule — escapes and invalid UTF-8, the integer limits, NaN and the
// float exponents, unknown enum numbers, map key orders, timestamps at
// every fractional precision and out of range — and compares the output
// with protojson's, byte for byte once protojson's whitespace is compacted.
func TestSameJSONAsProtojson(t *testing.T) {
	var types, fast int
	var slow []string
	protoregistry.GlobalTypes.RangeMessages(func(mt protoreflect.MessageType) bool {
		md := mt.Descriptor()
		if md.IsMapEntry() {
			return true
		}
		types++
		if planOf(md).fast {
			fast++
		} else if strings.HasPrefix(string(md.FullName()), "hirfa.") {
			slow = append(slow, string(md.FullName()))
		}
		for seed := range uint64(12) {
			m := mt.New()
			fill(m, rand.New(rand.NewPCG(seed, uint64(len(md.FullName())))), 0)
			same(t, string(md.FullName()), m.Interface())
		}
		// The same type built dynamically (another Go type, the same descriptor).
		dm := dynamicpb.NewMessage(md)
		fill(dm, rand.New(rand.NewPCG(99, 1)), 0)
		same(t, "dynamic "+string(md.FullName()), dm)
		return true
	})
	t.Logf("%d message types, %d written by the plan; hirfa types through protojson: %v", types, fast, slow)
	if types < 200 || fast < types/2 {
		t.Errorf("%d of %d types written by the plan", fast, types)
	}
}

// TestEdgeCases: the values the random fill may miss.
func TestEdgeCases(t *testing.T) {
	coop := &registryv1.Cooperative{Name: "chambers/fes-meknes/cooperatives/c1", DisplayName: &typev1.LocalizedText{Ar: "تعاونية", Fr: "Coopérative \"É\" \\ \u2028 <&> \x00\x1f\x7f 😀"}}
	same(t, "escapes", coop)
	for _, nanos := range []int32{0, 1, 10, 1000, 1_000_000, 100_000_000, 120_000_000, 123_456_000, 123_456_789, 999_999_999, -1, 1_000_000_000} {
		for _, secs := range []int64{0, -1, 1_700_000_000, minTimestampSeconds, maxTimestampSeconds, minTimestampSeconds - 1, maxTimestampSeconds + 1} {
			c := proto.Clone(coop).(*registryv1.Cooperative)
			c.CreateTime = &timestamppb.Timestamp{Seconds: secs, Nanos: nanos}
			same(t, c.CreateTime.String(), c)
		}
	}
	same(t, "invalid UTF-8", &registryv1.Cooperative{Name: "bad \xff name"})
	same(t, "invalid UTF-8 deeper", &registryv1.Cooperative{DisplayName: &typev1.LocalizedText{Fr: "\xc3"}})
	same(t, "unknown enum", &registryv1.Cooperative{State: 42})
	same(t, "negative enum", &registryv1.Cooperative{State: -3})
	same(t, "empty", &registryv1.Cooperative{})
	same(t, "nil", (*registryv1.Cooperative)(nil))
	same(t, "details", &errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: "a.b", Description: "d"}}})
	if b, err := Marshal(nil); err != nil || string(b) != "{}" {
		t.Errorf("nil: %s %v", b, err)
	}
}

// TestAllocations: a cooperative as the registry answers it is written in
// one allocation, its buffer sized by the previous answer (protojson: 28).
func TestAllocations(t *testing.T) {
	c := &registryv1.Cooperative{
		Name:        "chambers/fes-meknes/cooperatives/c1",
		DisplayName: &typev1.LocalizedText{Ar: "تعاونية الاختبار", Fr: "Coopérative de test"},
		Activity:    "F1.B02.A01", Province: "fes", FoundingDate: "2020-01-15",
		CapitalCentimes: 1_500_000, ShareValueCentimes: 10_000, MembersWomen: 4, MembersMen: 3,
		State: registryv1.Cooperative_FORMING, CreateTime: timestamppb.Now(), UpdateTime: timestamppb.Now(), Etag: `"1"`,
	}
	same(t, "cooperative", c)
	if n := testing.AllocsPerRun(200, func() { _, _ = Marshal(c) }); n > 1 {
		t.Errorf("%.0f allocations, want 1", n)
	}
}

// TestMapKeyOrders: maps keyed by every key kind (the APIs key theirs by
// strings only) come out in protojson's order.
func TestMapKeyOrders(t *testing.T) {
	kinds := []descriptorpb.FieldDescriptorProto_Type{
		descriptorpb.FieldDescriptorProto_TYPE_BOOL, descriptorpb.FieldDescriptorProto_TYPE_INT32, descriptorpb.FieldDescriptorProto_TYPE_SINT64,
		descriptorpb.FieldDescriptorProto_TYPE_UINT32, descriptorpb.FieldDescriptorProto_TYPE_FIXED64, descriptorpb.FieldDescriptorProto_TYPE_STRING,
	}
	msg := &descriptorpb.DescriptorProto{Name: proto.String("Maps")}
	for i, k := range kinds {
		entry := fmt.Sprintf("M%dEntry", i)
		msg.NestedType = append(msg.NestedType, &descriptorpb.DescriptorProto{
			Name: proto.String(entry), Options: &descriptorpb.MessageOptions{MapEntry: proto.Bool(true)},
			Field: []*descriptorpb.FieldDescriptorProto{
				{Name: proto.String("key"), Number: proto.Int32(1), Type: k.Enum(), Label: descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum()},
				{Name: proto.String("value"), Number: proto.Int32(2), Type: descriptorpb.FieldDescriptorProto_TYPE_STRING.Enum(), Label: descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum()},
			},
		})
		msg.Field = append(msg.Field, &descriptorpb.FieldDescriptorProto{
			Name: proto.String(fmt.Sprintf("m%d", i)), Number: proto.Int32(int32(i + 1)), Label: descriptorpb.FieldDescriptorProto_LABEL_REPEATED.Enum(),
			Type: descriptorpb.FieldDescriptorProto_TYPE_MESSAGE.Enum(), TypeName: proto.String(".pbjsontest.Maps." + entry),
		})
	}
	fd, err := protodesc.NewFile(&descriptorpb.FileDescriptorProto{
		Name: proto.String("pbjsontest.proto"), Package: proto.String("pbjsontest"), Syntax: proto.String("proto3"),
		MessageType: []*descriptorpb.DescriptorProto{msg},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	md := fd.Messages().Get(0)
	if !planOf(md).fast {
		t.Fatal("maps not written by the plan")
	}
	for seed := range uint64(20) {
		m := dynamicpb.NewMessage(md)
		r := rand.New(rand.NewPCG(seed, 7))
		for i := range md.Fields().Len() {
			f := md.Fields().Get(i)
			mp := m.Mutable(f).Map()
			for range 6 {
				mp.Set(mapKey(f.MapKey(), r), protoreflect.ValueOfString("v"))
			}
		}
		same(t, fmt.Sprint("maps ", seed), m)
	}
}

var (
	strs = []string{"", "plain", "تعاونية النسيج", `quote " back \ slash`, "ctl \x00\x01\x1f\t\n\r\b\f", "\u2028\u2029<>&\x7f", "emoji 😀", "bad \xff utf-8"}
	ints = []int64{0, 1, -1, 42, math.MaxInt32, math.MinInt32, math.MaxInt64, math.MinInt64}
	flts = []float64{0, math.Copysign(0, -1), 1.5, -2.25, 1e-7, 1e-6, 1e20, 1e21, 1.0000001e21, 123456789.123, math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat32, math.SmallestNonzeroFloat64}
)

// fill sets every field of m (one member of each oneof wins), lists and maps
// of zero to three elements, messages to depth 3.
func fill(m protoreflect.Message, r *rand.Rand, depth int) {
	md := m.Descriptor()
	if md.FullName() == "google.protobuf.Timestamp" {
		secs := []int64{0, 1_700_000_000, -62135596800, 253402300799, 253402300800}[r.IntN(5)]
		nanos := []int64{0, 1, 1000, 120_000_000, 123_456_000, 123_456_789}[r.IntN(6)]
		m.Set(md.Fields().ByNumber(1), protoreflect.ValueOfInt64(secs))
		m.Set(md.Fields().ByNumber(2), protoreflect.ValueOfInt32(int32(nanos)))
		return
	}
	fds := md.Fields()
	for i := range fds.Len() {
		fd := fds.Get(i)
		if r.IntN(5) == 0 {
			continue // unpopulated
		}
		switch {
		case fd.IsList():
			l := m.Mutable(fd).List()
			for range r.IntN(4) {
				if v, ok := scalar(fd, l.NewElement, r, depth); ok {
					l.Append(v)
				}
			}
		case fd.IsMap():
			mp := m.Mutable(fd).Map()
			for range r.IntN(4) {
				k := mapKey(fd.MapKey(), r)
				if v, ok := scalar(fd.MapValue(), mp.NewValue, r, depth); ok {
					mp.Set(k, v)
				}
			}
		default:
			if v, ok := scalar(fd, func() protoreflect.Value { return m.NewField(fd) }, r, depth); ok {
				m.Set(fd, v)
			}
		}
	}
}

func scalar(fd protoreflect.FieldDescriptor, newMsg func() protoreflect.Value, r *rand.Rand, depth int) (protoreflect.Value, bool) {
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(r.IntN(2) == 0), true
	case protoreflect.StringKind:
		s := strs[r.IntN(len(strs))]
		if r.IntN(3) > 0 && strings.Contains(s, "\xff") {
			s = "ok" // invalid UTF-8 only now and then, so most messages are written
		}
		return protoreflect.ValueOfString(s), true
	case protoreflect.BytesKind:
		b := make([]byte, r.IntN(7))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		return protoreflect.ValueOfBytes(b), true
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(int32(ints[r.IntN(len(ints))])), true
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32(uint32(ints[r.IntN(len(ints))])), true
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return protoreflect.ValueOfInt64(ints[r.IntN(len(ints))]), true
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return protoreflect.ValueOfUint64(uint64(ints[r.IntN(len(ints))])), true
	case protoreflect.FloatKind:
		return protoreflect.ValueOfFloat32(float32(flts[r.IntN(len(flts))])), true
	case protoreflect.DoubleKind:
		return protoreflect.ValueOfFloat64(flts[r.IntN(len(flts))]), true
	case protoreflect.EnumKind:
		vals := fd.Enum().Values()
		if r.IntN(6) == 0 || vals.Len() == 0 {
			return protoreflect.ValueOfEnum(protoreflect.EnumNumber(99)), true // unknown
		}
		return protoreflect.ValueOfEnum(vals.Get(r.IntN(vals.Len())).Number()), true
	case protoreflect.MessageKind, protoreflect.GroupKind:
		if depth >= 3 {
			return protoreflect.Value{}, false
		}
		v := newMsg()
		fill(v.Message(), r, depth+1)
		return v, true
	}
	return protoreflect.Value{}, false
}

func mapKey(fd protoreflect.FieldDescriptor, r *rand.Rand) protoreflect.MapKey {
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(r.IntN(2) == 0).MapKey()
	case protoreflect.StringKind:
		return protoreflect.ValueOfString([]string{"b", "a", "ب", "A", "", "a\"b"}[r.IntN(6)]).MapKey()
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(int32(ints[r.IntN(len(ints))])).MapKey()
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return protoreflect.ValueOfInt64(ints[r.IntN(len(ints))]).MapKey()
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32(uint32(ints[r.IntN(len(ints))])).MapKey()
	default:
		return protoreflect.ValueOfUint64(uint64(ints[r.IntN(len(ints))])).MapKey()
	}
}

// BenchmarkMarshal: a cooperative as the registry answers it, by protojson
// (the edge's writer before) and by the plan, in the same run:
//
//	go test -run '^$' -bench Marshal ./services/gateway/internal/pbjson/
func BenchmarkMarshal(b *testing.B) {
	c := &registryv1.Cooperative{
		Name:        "chambers/fes-meknes/cooperatives/c1",
		DisplayName: &typev1.LocalizedText{Ar: "تعاونية الاختبار", Fr: "Coopérative de test"},
		Activity:    "F1.B02.A01", Province: "fes", FoundingDate: "2020-01-15",
		CapitalCentimes: 1_500_000, ShareValueCentimes: 10_000, MembersWomen: 4, MembersMen: 3,
		State: registryv1.Cooperative_FORMING, CreateTime: timestamppb.Now(), UpdateTime: timestamppb.Now(), Etag: `"1"`,
	}
	for _, w := range []struct {
		name string
		f    func(proto.Message) ([]byte, error)
	}{{"protojson", Options.Marshal}, {"pbjson", Marshal}} {
		b.Run(w.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := w.f(c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

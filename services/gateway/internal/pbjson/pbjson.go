// Package pbjson writes a message as the JSON that protojson writes with the
// edge's options (proto field names, unpopulated fields left out), from a
// plan of each message type built once, into one buffer of about the size
// the type's last answer took.
//
// protojson finds and sorts a message's populated fields on every call
// and grows its output buffer step by step: for a cooperative that was
// 28 allocations and about a tenth of the edge's CPU per REST Get.
// The plan holds the fields in protojson's order (declaration order, as
// order.IndexNameFieldOrder sorts fields that are not extensions) with
// each one's quoted name, so a call only asks each field whether it is
// set.
//
// The output differs from protojson's in insignificant whitespace only:
// protojson adds a space after some commas, varying from one binary to
// the next on purpose so that nobody depends on its exact bytes
// (internal/detrand); this writes none. A type the plan does not cover —
// the well-known types other than Timestamp and Empty (Any, Duration,
// FieldMask, Struct, Value, ListValue, the wrappers), extensions, proto2
// required fields, groups, enum values with options (a JSON name of their
// own), at any depth — goes through protojson whole, and so does any
// message the plan cannot write (invalid UTF-8 in a string, a timestamp
// out of range), so the errors are protojson's own.
package pbjson

import (
	"encoding/base64"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Options are the protojson options whose output Marshal reproduces.
var Options = protojson.MarshalOptions{UseProtoNames: true}

// Marshal returns m as JSON: protojson's (Options) up to insignificant
// whitespace.
func Marshal(m proto.Message) ([]byte, error) {
	if m == nil {
		return []byte("{}"), nil
	}
	rm := m.ProtoReflect()
	p := planOf(rm.Descriptor())
	if !p.fast {
		return Options.Marshal(m)
	}
	// The last answer's size plus a little: one allocation when answers of
	// a type are alike; past maxHint (a long page) the buffer grows instead,
	// so one such page does not make the next small answer allocate it.
	n := min(p.size.Load(), maxHint)
	b, ok := p.msg.append(make([]byte, 0, n+n/8+64), rm)
	if !ok {
		// protojson gives the error (or, should the plan have refused
		// something protojson accepts, the answer).
		return Options.Marshal(m)
	}
	p.size.Store(int64(len(b)))
	return b, nil
}

const maxHint = 1 << 20

// plan is how a top-level message type is written.
type plan struct {
	fast bool         // every type it reaches is covered; else protojson
	msg  *message     // the type's fields
	size atomic.Int64 // length of the last output, the next buffer's capacity
}

var plans sync.Map // protoreflect.MessageDescriptor → *plan

func planOf(md protoreflect.MessageDescriptor) *plan {
	if p, ok := plans.Load(md); ok {
		return p.(*plan)
	}
	b := builder{msgs: map[protoreflect.MessageDescriptor]*message{}}
	p := &plan{msg: b.message(md)}
	p.fast = !b.slow
	v, _ := plans.LoadOrStore(md, p)
	return v.(*plan)
}

// message is the plan of one message type.
type message struct {
	timestamp bool // google.protobuf.Timestamp: an RFC 3339 string
	fields    []field
}

type field struct {
	fd    protoreflect.FieldDescriptor
	name  string // `"name":`
	value value  // a singular field's, a list's elements', a map's values
	key   protoreflect.Kind
}

// value is how one singular value of a field is written.
type value struct {
	kind  protoreflect.Kind
	msg   *message                           // MessageKind
	enum  map[protoreflect.EnumNumber]string // EnumKind: quoted names
	null  bool                               // google.protobuf.NullValue
	float int                                // bit size of FloatKind and DoubleKind
}

// builder builds the plans a top-level type reaches; slow records that one
// of them is not covered.
type builder struct {
	msgs map[protoreflect.MessageDescriptor]*message
	slow bool
}

// wkt are the google.protobuf messages protojson writes in a form of their
// own, by whether the plan covers them.
var wkt = map[protoreflect.Name]bool{
	"Timestamp": true,
	"Any":       false, "Duration": false, "FieldMask": false,
	"Struct": false, "Value": false, "ListValue": false,
	"BoolValue": false, "Int32Value": false, "Int64Value": false, "UInt32Value": false, "UInt64Value": false,
	"FloatValue": false, "DoubleValue": false, "StringValue": false, "BytesValue": false,
}

func (b *builder) message(md protoreflect.MessageDescriptor) *message {
	if m, ok := b.msgs[md]; ok {
		return m
	}
	m := &message{}
	b.msgs[md] = m
	if md.FullName().Parent() == "google.protobuf" {
		if covered, special := wkt[md.Name()]; special {
			m.timestamp = covered
			b.slow = b.slow || !covered
			return m
		}
	}
	if md.ExtensionRanges().Len() > 0 {
		b.slow = true
	}
	fds := md.Fields()
	m.fields = make([]field, fds.Len())
	for i := range fds.Len() {
		fd := fds.Get(i) // declaration order, protojson's
		f := field{fd: fd, name: quote(string(fd.TextName())) + ":"}
		switch {
		case fd.IsMap():
			f.key = fd.MapKey().Kind()
			f.value = b.value(fd.MapValue())
		default:
			f.value = b.value(fd)
		}
		if fd.Cardinality() == protoreflect.Required || fd.Kind() == protoreflect.GroupKind {
			b.slow = true
		}
		m.fields[i] = f
	}
	return m
}

func (b *builder) value(fd protoreflect.FieldDescriptor) value {
	v := value{kind: fd.Kind()}
	switch v.kind {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		v.msg = b.message(fd.Message())
	case protoreflect.EnumKind:
		ed := fd.Enum()
		if ed.FullName() == "google.protobuf.NullValue" {
			v.null = true
			break
		}
		v.enum = map[protoreflect.EnumNumber]string{}
		vals := ed.Values()
		for i := range vals.Len() {
			ev := vals.Get(i)
			if opts := ev.Options(); opts != nil && proto.Size(opts) > 0 {
				b.slow = true // may carry a JSON name of its own
			}
			if _, dup := v.enum[ev.Number()]; !dup { // an alias: protojson names the first
				v.enum[ev.Number()] = quote(string(ev.Name()))
			}
		}
	case protoreflect.FloatKind:
		v.float = 32
	case protoreflect.DoubleKind:
		v.float = 64
	}
	return v
}

func quote(s string) string {
	b, _ := appendString(nil, s)
	return string(b)
}

// append writes m; false when protojson would refuse it.
func (p *message) append(b []byte, m protoreflect.Message) ([]byte, bool) {
	if p.timestamp {
		return appendTimestamp(b, m)
	}
	b = append(b, '{')
	first := true
	var ok bool
	for i := range p.fields {
		f := &p.fields[i]
		if !m.Has(f.fd) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, f.name...)
		v := m.Get(f.fd)
		switch {
		case f.fd.IsList():
			b, ok = f.value.appendList(b, v.List())
		case f.fd.IsMap():
			b, ok = f.appendMap(b, v.Map())
		default:
			b, ok = f.value.append(b, v)
		}
		if !ok {
			return b, false
		}
	}
	return append(b, '}'), true
}

func (v *value) appendList(b []byte, l protoreflect.List) ([]byte, bool) {
	b = append(b, '[')
	var ok bool
	for i := range l.Len() {
		if i > 0 {
			b = append(b, ',')
		}
		if b, ok = v.append(b, l.Get(i)); !ok {
			return b, false
		}
	}
	return append(b, ']'), true
}

// appendMap writes the entries in protojson's order (order.GenericKeyOrder:
// false before true, numbers ascending, strings by byte).
func (f *field) appendMap(b []byte, mp protoreflect.Map) ([]byte, bool) {
	keys := make([]protoreflect.MapKey, 0, mp.Len())
	mp.Range(func(k protoreflect.MapKey, _ protoreflect.Value) bool {
		keys = append(keys, k)
		return true
	})
	switch f.key {
	case protoreflect.BoolKind:
		slices.SortFunc(keys, func(x, y protoreflect.MapKey) int {
			switch {
			case x.Bool() == y.Bool():
				return 0
			case !x.Bool():
				return -1
			}
			return 1
		})
	case protoreflect.StringKind:
		slices.SortFunc(keys, func(x, y protoreflect.MapKey) int { return strings.Compare(x.String(), y.String()) })
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		slices.SortFunc(keys, func(x, y protoreflect.MapKey) int {
			switch {
			case x.Uint() < y.Uint():
				return -1
			case x.Uint() > y.Uint():
				return 1
			}
			return 0
		})
	default: // the signed integers
		slices.SortFunc(keys, func(x, y protoreflect.MapKey) int {
			switch {
			case x.Int() < y.Int():
				return -1
			case x.Int() > y.Int():
				return 1
			}
			return 0
		})
	}
	b = append(b, '{')
	var ok bool
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		if b, ok = appendString(b, k.String()); !ok {
			return b, false
		}
		b = append(b, ':')
		if b, ok = f.value.append(b, mp.Get(k)); !ok {
			return b, false
		}
	}
	return append(b, '}'), true
}

// append writes one singular value as protojson's marshalSingular does.
func (v *value) append(b []byte, x protoreflect.Value) ([]byte, bool) {
	switch v.kind {
	case protoreflect.BoolKind:
		return strconv.AppendBool(b, x.Bool()), true
	case protoreflect.StringKind:
		return appendString(b, x.String())
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return strconv.AppendInt(b, x.Int(), 10), true
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return strconv.AppendUint(b, x.Uint(), 10), true
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		// 64-bit integers are JSON strings.
		b = append(b, '"')
		return append(strconv.AppendInt(b, x.Int(), 10), '"'), true
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		b = append(b, '"')
		return append(strconv.AppendUint(b, x.Uint(), 10), '"'), true
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		return appendFloat(b, x.Float(), v.float), true
	case protoreflect.BytesKind:
		b = append(b, '"')
		return append(base64.StdEncoding.AppendEncode(b, x.Bytes()), '"'), true
	case protoreflect.EnumKind:
		if v.null {
			return append(b, "null"...), true
		}
		if name, ok := v.enum[x.Enum()]; ok {
			return append(b, name...), true
		}
		return strconv.AppendInt(b, int64(x.Enum()), 10), true
	case protoreflect.MessageKind:
		return v.msg.append(b, x.Message())
	}
	return b, false
}

// appendString is protojson's string encoding (internal/encoding/json):
// quotes, backslashes and control characters escaped, nothing else;
// invalid UTF-8 refused.
func appendString(b []byte, s string) ([]byte, bool) {
	b = append(b, '"')
	i := indexNeedEscape(s)
	s, b = s[i:], append(b, s[:i]...)
	for len(s) > 0 {
		switch r, n := utf8.DecodeRuneInString(s); {
		case r == utf8.RuneError && n == 1:
			return b, false
		case r < ' ' || r == '"' || r == '\\':
			b = append(b, '\\')
			switch r {
			case '"', '\\':
				b = append(b, byte(r))
			case '\b':
				b = append(b, 'b')
			case '\f':
				b = append(b, 'f')
			case '\n':
				b = append(b, 'n')
			case '\r':
				b = append(b, 'r')
			case '\t':
				b = append(b, 't')
			default:
				b = append(b, 'u')
				b = append(b, "0000"[1+(bits.Len32(uint32(r))-1)/4:]...)
				b = strconv.AppendUint(b, uint64(r), 16)
			}
			s = s[n:]
		default:
			i := indexNeedEscape(s[n:])
			s, b = s[n+i:], append(b, s[:n+i]...)
		}
	}
	return append(b, '"'), true
}

func indexNeedEscape(s string) int {
	for i, r := range s {
		if r < ' ' || r == '\\' || r == '"' || r == utf8.RuneError {
			return i
		}
	}
	return len(s)
}

// appendFloat is protojson's number format (encoding/json's): NaN and the
// infinities as strings, exponents below 1e-6 and from 1e21.
func appendFloat(b []byte, n float64, bitSize int) []byte {
	switch {
	case math.IsNaN(n):
		return append(b, `"NaN"`...)
	case math.IsInf(n, +1):
		return append(b, `"Infinity"`...)
	case math.IsInf(n, -1):
		return append(b, `"-Infinity"`...)
	}
	format := byte('f')
	if abs := math.Abs(n); abs != 0 {
		if bitSize == 64 && (abs < 1e-6 || abs >= 1e21) ||
			bitSize == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	b = strconv.AppendFloat(b, n, format, -1, bitSize)
	if format == 'e' {
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// The range protojson accepts: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
const (
	minTimestampSeconds = -62135596800
	maxTimestampSeconds = 253402300799
)

// appendTimestamp writes a google.protobuf.Timestamp as protojson does:
// RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits.
func appendTimestamp(b []byte, m protoreflect.Message) ([]byte, bool) {
	fds := m.Descriptor().Fields()
	secs := m.Get(fds.ByNumber(1)).Int()
	nanos := m.Get(fds.ByNumber(2)).Int()
	if secs < minTimestampSeconds || secs > maxTimestampSeconds || nanos < 0 || nanos > 999999999 {
		return b, false
	}
	b = append(b, '"')
	b = time.Unix(secs, 0).UTC().AppendFormat(b, "2006-01-02T15:04:05")
	if nanos != 0 {
		var frac [10]byte
		d := strconv.AppendInt(frac[:0], 1_000_000_000+nanos, 10)[1:] // nine digits
		switch {
		case nanos%1_000_000 == 0:
			d = d[:3]
		case nanos%1000 == 0:
			d = d[:6]
		}
		b = append(b, '.')
		b = append(b, d...)
	}
	return append(b, 'Z', '"'), true
}

package storetest

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/store"
)

// RecordKeepsEveryField fails when rec, written and read back in its
// current version, loses a field of the entity: every stored field (all
// exported fields but those tagged json:"-", recursively) is given a
// non-zero value first. A persistence record is written field by field apart
// from the domain struct, so a field added to the struct is silently dropped
// until the record learns it; this is the test that notices. P is a pointer
// to the entity's struct.
func RecordKeepsEveryField[P any](t *testing.T, rec *store.Record[P]) {
	t.Helper()
	fresh := func() P { return reflect.New(reflect.TypeFor[P]().Elem()).Interface().(P) }
	want := fresh()
	fill(reflect.ValueOf(want).Elem(), "")
	data, err := rec.Encode(want)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	got := fresh()
	if err := rec.Decode(rec.Version, data, got); err != nil {
		t.Fatalf("decode v%d: %v", rec.Version, err)
	}
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("a %T written as record v%d and read back differs:\n got  %+v\n want %+v\n(record %s)", want, rec.Version, got, want, data)
	}
}

// fill gives every stored field of v a non-zero value derived from its path.
func fill(v reflect.Value, path string) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() || strings.HasPrefix(f.Tag.Get("json"), "-") {
				continue
			}
			fill(v.Field(i), path+"."+f.Name)
		}
	case reflect.String:
		v.SetString("v" + path)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(7 + len(path)))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(7 + len(path)))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(7 + len(path)))
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), path)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), path+"[0]")
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, path+".key")
		fill(e, path+".value")
		m.SetMapIndex(k, e)
		v.Set(m)
	default:
		panic(fmt.Sprintf("storetest: cannot fill %s of kind %s", path, v.Kind()))
	}
}

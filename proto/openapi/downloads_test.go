package openapi_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	// Every API package, so its descriptors are in protoregistry.GlobalFiles;
	// TestDownloadsAreFiles fails when a package under gen/hirfa is missing here.
	_ "github.com/hirfa/hirfa/proto/gen/hirfa/craftbodies/v1"
	_ "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	_ "github.com/hirfa/hirfa/proto/gen/hirfa/event/v1"
	_ "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	_ "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	_ "github.com/hirfa/hirfa/proto/gen/hirfa/reporting/v1"
	_ "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
	"github.com/hirfa/hirfa/proto/openapi"
	"github.com/hirfa/hirfa/proto/openapi/openapitest"
)

// TestDownloadsAreFiles: every method returning google.api.HttpBody has its
// 200 answer described as files (binary strings under non-JSON media types),
// never as a JSON HttpBody message, and keeps the JSON error responses; no
// other operation answers google.api.HttpBody.
func TestDownloadsAreFiles(t *testing.T) {
	v, err := openapitest.Load(openapi.Document)
	if err != nil {
		t.Fatal(err)
	}
	ops := map[string]*openapi3.Operation{}
	for _, item := range v.Doc.Paths.Map() {
		for _, op := range item.Operations() {
			ops[op.OperationID] = op
		}
	}

	// The generated packages this test imports must be all of them.
	dirs, err := filepath.Glob("../gen/hirfa/*/v1")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no generated packages under ../gen/hirfa (%v)", err)
	}
	registered := map[string]bool{}
	protoregistry.GlobalFiles.RangeFiles(func(f protoreflect.FileDescriptor) bool {
		if parts := strings.Split(f.Path(), "/"); len(parts) == 4 && parts[0] == "hirfa" {
			registered[parts[1]] = true
		}
		return true
	})
	for _, d := range dirs {
		if pb, _ := filepath.Glob(filepath.Join(d, "*.pb.go")); len(pb) == 0 {
			continue
		}
		if pkg := filepath.Base(filepath.Dir(d)); !registered[pkg] {
			t.Errorf("package hirfa/%s/v1 is not imported by this test: its downloads go unchecked", pkg)
		}
	}

	downloads := 0
	protoregistry.GlobalFiles.RangeFiles(func(f protoreflect.FileDescriptor) bool {
		parts := strings.Split(f.Path(), "/")
		if len(parts) != 4 || parts[0] != "hirfa" {
			return true
		}
		for i := 0; i < f.Services().Len(); i++ {
			s := f.Services().Get(i)
			for j := 0; j < s.Methods().Len(); j++ {
				m := s.Methods().Get(j)
				if m.Output().FullName() != "google.api.HttpBody" {
					continue
				}
				downloads++
				id := parts[1] + "_" + string(s.Name()) + "_" + string(m.Name())
				op := ops[id]
				if op == nil {
					t.Errorf("%s returns google.api.HttpBody but operation %s is not in the document", m.FullName(), id)
					continue
				}
				checkFileAnswer(t, id, op)
			}
		}
		return true
	})
	if downloads < 4 {
		t.Errorf("%d methods return google.api.HttpBody, want at least the 4 known downloads", downloads)
	}
	if _, ok := v.Doc.Components.Schemas["google.api.HttpBody"]; ok {
		t.Error("the document still declares a google.api.HttpBody schema: some answer is described as the JSON message")
	}
}

func checkFileAnswer(t *testing.T, id string, op *openapi3.Operation) {
	t.Helper()
	ok := op.Responses.Value("200")
	if ok == nil || ok.Value == nil || len(ok.Value.Content) == 0 {
		t.Errorf("%s: no 200 content", id)
		return
	}
	for mt, media := range ok.Value.Content {
		if mt == "application/json" || strings.HasSuffix(mt, "+json") || strings.Contains(mt, "*") {
			t.Errorf("%s: the download is described as %s", id, mt)
		}
		if media.Schema == nil || media.Schema.Ref != "" || media.Schema.Value == nil ||
			!media.Schema.Value.Type.Is("string") || media.Schema.Value.Format != "binary" {
			t.Errorf("%s: %s is not a binary string", id, mt)
		}
	}
	for _, status := range []string{"4XX", "default"} {
		r := op.Responses.Value(status)
		if status == "default" {
			r = op.Responses.Default()
		}
		if r == nil || r.Value == nil || r.Value.Content.Get("application/json") == nil {
			t.Errorf("%s: the %s error response is not JSON", id, status)
		}
	}
}

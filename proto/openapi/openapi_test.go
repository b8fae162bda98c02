package openapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hirfa/hirfa/proto/openapi"
	"github.com/hirfa/hirfa/proto/openapi/openapitest"
)

// TestDocument: the embedded document is valid OpenAPI 3.1, every operation
// has a unique id, a tag and an error response, every operation but the
// public reference reads needs the bearer token, no path keeps a parameter
// named after a whole resource name, and every example fits its schema.
func TestDocument(t *testing.T) {
	v, err := openapitest.Load(openapi.Document)
	if err != nil {
		t.Fatal(err)
	}
	doc := v.Doc
	var head struct{ OpenAPI string }
	if err := json.Unmarshal(openapi.Document, &head); err != nil || head.OpenAPI != "3.1.0" {
		t.Fatalf("openapi = %q (%v), want 3.1.0", head.OpenAPI, err)
	}
	if len(doc.Security) != 1 || doc.Components.SecuritySchemes["bearerAuth"] == nil {
		t.Fatalf("document security = %v, want bearerAuth", doc.Security)
	}
	ids := map[string]string{}
	var public []string
	for path, item := range doc.Paths.Map() {
		if strings.Contains(path, "{name") || strings.Contains(path, "{parent") {
			t.Errorf("path %s keeps a parameter named after a resource name", path)
		}
		for method, op := range item.Operations() {
			where := method + " " + path
			if prev, dup := ids[op.OperationID]; dup || op.OperationID == "" {
				t.Errorf("%s: operationId %q not unique (also %s)", where, op.OperationID, prev)
			}
			ids[op.OperationID] = where
			if len(op.Tags) != 1 {
				t.Errorf("%s: tags %v, want its service", where, op.Tags)
			}
			if op.Responses.Value("4XX") == nil || op.Responses.Default() == nil {
				t.Errorf("%s: no error responses", where)
			}
			if op.Security != nil {
				public = append(public, op.OperationID)
			}
		}
	}
	for _, id := range public {
		if !strings.HasPrefix(id, "registry_ReferenceService_List") && !strings.HasPrefix(id, "registry_ReferenceService_Get") {
			t.Errorf("%s is documented as public", id)
		}
	}
	if len(public) != 6 {
		t.Errorf("public operations %v, want the 6 reference reads", public)
	}
	examples := 0
	for name, s := range doc.Components.Schemas {
		for _, ex := range s.Value.Examples {
			examples++
			if err := s.Value.VisitJSON(ex, openapi3.EnableJSONSchema2020()); err != nil {
				t.Errorf("example of %s does not fit its schema: %v", name, err)
			}
		}
	}
	for _, want := range []string{"hirfa.registry.v1.Cooperative", "hirfa.registry.v1.Artisan", "hirfa.eventsfairs.v1.Event", "google.rpc.Status"} {
		if len(doc.Components.Schemas[want].Value.Examples) == 0 {
			t.Errorf("%s has no example", want)
		}
	}
	if examples < 4 {
		t.Errorf("%d examples", examples)
	}
}

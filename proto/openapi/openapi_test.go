package openapi_test

import (
	"encoding/json"
	"regexp"
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
// resourceNameParam matches a path parameter left named after a whole
// resource name (what grpc-gateway writes before the slashed patterns are
// expanded into one parameter per segment).
var resourceNameParam = regexp.MustCompile(`\{(name|parent)(_[0-9]+)?\}`)

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
		// {name}, {name_7} or {parent}, not a collection's own parameter
		// such as {nameRequest}.
		if resourceNameParam.MatchString(path) {
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
	// The anonymous routes: the reference reads and the cooperative name
	// check founders use before they have an account (registry's policy
	// table marks the same methods tenancy.Public).
	isPublic := func(id string) bool {
		return strings.HasPrefix(id, "registry_ReferenceService_List") ||
			strings.HasPrefix(id, "registry_ReferenceService_Get") ||
			id == "registry_CooperativeNameService_CheckCooperativeName"
	}
	for _, id := range public {
		if !isPublic(id) {
			t.Errorf("%s is documented as public", id)
		}
	}
	if len(public) != 7 {
		t.Errorf("public operations %v, want the 6 reference reads and the name check", public)
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

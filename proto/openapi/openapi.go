// Package openapi embeds the merged OpenAPI 3.1 document of every Hirfa API
// (protoc-gen-openapiv3 per proto file, merged and completed by
// cmd/openapi-assemble), so the gateway can serve it at /openapi.json without
// reading files at run time.
package openapi

import _ "embed"

// Document is the merged OpenAPI 3.1 document of all Hirfa APIs.
//
//go:embed gen/hirfa.openapi.json
var Document []byte

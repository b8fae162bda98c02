// Package openapi embeds the merged OpenAPI (Swagger 2.0) document that
// protoc-gen-openapiv2 produces from every Hirfa API, so the gateway can serve
// it at /openapi.json without reading files at run time.
package openapi

import _ "embed"

// Document is the merged OpenAPI document of all Hirfa APIs.
//
//go:embed gen/hirfa.swagger.json
var Document []byte

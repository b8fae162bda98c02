package main

import (
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
)

// uploadOperation is the REST archive upload the gateway serves itself
// (services/gateway/internal/edge/upload.go): grpc-gateway cannot bind
// DocumentService.UploadDocument, a client stream, so no proto binding
// describes it. The body is the file, streamed to the desk; the metadata
// are query parameters; the answer is the archived Document.
func uploadOperation() (path string, op object) {
	query := func(name, desc string, required bool, enum []any) object {
		schema := object{"type": "string"}
		if enum != nil {
			schema["enum"] = enum
		}
		return object{"name": name, "in": "query", "required": required, "description": desc, "schema": schema}
	}
	op = object{
		"operationId": "desk_DocumentService_UploadDocumentBody",
		"tags":        []any{"desk.DocumentService"},
		"summary":     "Archives a document sent as the raw request body.",
		"description": "The REST form of the gRPC `UploadDocument` stream: the body (at most 10 MiB, counted while it streams: " +
			"past the limit the upload stops with 413 and nothing is written) is the file; its type is sniffed from the content " +
			"(PDF, JPEG, PNG), never taken from `Content-Type` or the file name. The document must be attached to a registrant, " +
			"a request or a mediation case of the chamber.",
		"parameters": []any{
			object{"name": "chamber", "in": "path", "required": true, "description": "The chamber id, `chambers/{chamber}`.", "schema": object{"type": "string"}},
			query("classification", "What the document is (`hirfa.desk.v1.Document.Classification`).", true,
				enumNames(deskv1.Document_Classification_name)),
			query("owner", "What it is attached to: a registrant, a request or a mediation case of the chamber, by resource name.", true, nil),
			query("retention", "How long it is kept (`hirfa.desk.v1.Document.Retention`).", true, enumNames(deskv1.Document_Retention_name)),
			query("file_name", "The file's name, as shown; not used to decide its type.", false, nil),
		},
		"requestBody": object{
			"required": true,
			"content":  object{"application/octet-stream": object{"schema": object{"type": "string", "format": "binary"}}},
		},
		"responses": object{
			"200": object{"description": "The archived document.",
				"content": object{"application/json": object{"schema": object{"$ref": "#/components/schemas/hirfa.desk.v1.Document"}}}},
		},
	}
	errorResponses(op)
	return "/v1/chambers/{chamber}/documents:upload", op
}

// enumNames lists a generated enum's value names in number order, without
// the unspecified zero.
func enumNames(names map[int32]string) []any {
	out := make([]any, 0, len(names))
	for i := int32(1); int(i) < len(names); i++ {
		out = append(out, names[i])
	}
	return out
}

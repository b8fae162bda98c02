// Command openapi-assemble merges the per-file OpenAPI 3.1 documents that
// protoc-gen-openapiv3 writes into the one document the gateway serves, and
// makes it say what the gateway really does:
//
//   - property, `required` and query-parameter names are the proto field
//     names (the gateway marshals with UseProtoNames), read from buf's
//     descriptor set rather than guessed back from the camelCase JSON names;
//   - a path parameter bound by a resource pattern is named after its
//     collection (`/v1/chambers/{chamber}/cooperatives/{cooperative}`, not
//     `{name}`/`{name_1}`);
//   - operation ids and tags are qualified by the API package
//     (`registry_CooperativeService_GetCooperative`, `registry.CooperativeService`),
//     so two packages may both have an AuditService;
//   - a bearer (JWT) scheme secures every operation that does not declare its
//     own `security` (the public reference reads declare an empty one);
//   - errors are the edge's body (errors.go: google.rpc.Status in proto names,
//     its details typed by `@type`);
//   - a schema's `x-hirfa-example` extension (a JSON string set with the
//     openapiv3_schema option) becomes its `examples`;
//   - a method returning google.api.HttpBody answers a file, not JSON: its 200
//     response lists the media types its handler really writes (downloads.go),
//     each a binary string.
//
// It works on any package under hirfa/ without edits: the package is read from
// the file's path (hirfa/<package>/v1/…).
//
// Usage: openapi-assemble -descriptors FILE.binpb -in DIR -out FILE.json
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
)

func main() {
	desc := flag.String("descriptors", "", "FileDescriptorSet written by `buf build -o`")
	in := flag.String("in", "", "directory of the per-file *.openapi.json documents")
	out := flag.String("out", "", "merged document to write")
	flag.Parse()
	if err := run(*desc, *in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "openapi-assemble:", err)
		os.Exit(1)
	}
}

type object = map[string]any

func run(descPath, in, out string) error {
	set, err := readDescriptors(descPath)
	if err != nil {
		return err
	}
	names, err := fieldNames(set)
	if err != nil {
		return err
	}
	files := fileMethods(set)
	var docs []string
	err = filepath.WalkDir(in, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".openapi.json") {
			docs = append(docs, p)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("list %s: %w", in, err)
	}
	sort.Strings(docs)
	if len(docs) == 0 {
		return fmt.Errorf("no *.openapi.json under %s", in)
	}
	doc := object{
		"openapi": "3.1.0",
		"info": object{
			"title":   "Hirfa API",
			"version": "v1",
			"summary": "REST/JSON edge of the shared platform of Morocco's Chambers of Traditional Industry.",
			"description": "Every call but the public reference reads needs `Authorization: Bearer <JWT>`. " +
				"Field names are the proto field names. Mutations take `request_id` (a UUID) and " +
				"`Idempotency-Key`; errors are `google.rpc.Status` bodies whose `details` carry " +
				"`google.rpc.ErrorInfo` (a stable `reason`), `google.rpc.BadRequest` (the fields) and " +
				"`google.rpc.LocalizedMessage` (Arabic or French, chosen by `Accept-Language`).",
			"license": object{"name": "Proprietary", "identifier": "LicenseRef-Hirfa"},
		},
		"servers":  []any{object{"url": "/", "description": "The gateway that serves this document."}},
		"paths":    object{},
		"security": []any{object{"bearerAuth": []any{}}},
		"tags":     []any{},
	}
	paths := doc["paths"].(object)
	schemas := object{}
	opIDs := map[string]string{}
	downloadsSeen := map[string]bool{}
	for _, f := range docs {
		rel, _ := filepath.Rel(in, f)
		pkg := packageOf(rel)
		raw, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var d object
		if err := json.Unmarshal(raw, &d); err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		renameFields(d, names)
		tagOf := map[string]string{}
		for _, t := range list(d["tags"]) {
			t := t.(object)
			q := pkg + "." + t["name"].(string)
			tagOf[t["name"].(string)] = q
			t["name"] = q
			doc["tags"] = append(doc["tags"].([]any), t)
		}
		for p, item := range obj(d["paths"]) {
			np, err := renamePath(p, item.(object), names)
			if err != nil {
				return fmt.Errorf("%s: %w", rel, err)
			}
			dst, _ := paths[np].(object)
			if dst == nil {
				dst = object{}
				paths[np] = dst
			}
			for method, op := range item.(object) {
				if _, dup := dst[method]; dup {
					return fmt.Errorf("%s: %s %s is bound twice", rel, strings.ToUpper(method), np)
				}
				op := op.(object)
				id := pkg + "_" + op["operationId"].(string)
				if prev, dup := opIDs[id]; dup {
					return fmt.Errorf("%s: operationId %s already used by %s", rel, id, prev)
				}
				opIDs[id] = rel
				if m, ok := files[strings.TrimSuffix(filepath.ToSlash(rel), ".openapi.json")+".proto"][op["operationId"].(string)]; ok && m.download {
					if err := downloadResponse(op, m.fullName); err != nil {
						return fmt.Errorf("%s: %w", rel, err)
					}
					downloadsSeen[m.fullName] = true
				}
				op["operationId"] = id
				for i, t := range list(op["tags"]) {
					if q, ok := tagOf[t.(string)]; ok {
						op["tags"].([]any)[i] = q
					}
				}
				errorResponses(op)
				dst[method] = op
			}
		}
		for name, s := range obj(obj(d["components"])["schemas"]) {
			if name == "google.rpc.Status" {
				continue
			}
			if prev, ok := schemas[name]; ok && !sameJSON(prev, s) {
				return fmt.Errorf("%s: schema %s differs from the one another file declares", rel, name)
			}
			schemas[name] = s
		}
	}
	if err := checkDownloads(files, downloadsSeen); err != nil {
		return err
	}
	if up, op := uploadOperation(); paths[up] == nil {
		paths[up] = object{"post": op}
	} else {
		return fmt.Errorf("%s is bound by a proto method and by the edge's upload", up)
	}
	dropUnreferenced(paths, schemas, "google.api.HttpBody")
	for name, s := range schemas {
		if err := promoteExample(s.(object)); err != nil {
			return fmt.Errorf("schema %s: %w", name, err)
		}
	}
	schemas["google.rpc.Status"] = errorSchema()
	doc["components"] = object{
		"schemas": schemas,
		"securitySchemes": object{"bearerAuth": object{
			"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
			"description": "A JWT from the platform's identity provider (RS256/ES256), carrying the role and chamber claims.",
		}},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

// packageOf is "registry" for "hirfa/registry/v1/cooperative.openapi.json".
func packageOf(rel string) string {
	parts := strings.Split(filepath.ToSlash(rel), "/")
	if len(parts) >= 3 && parts[0] == "hirfa" {
		return parts[1]
	}
	return strings.TrimSuffix(parts[0], ".openapi.json")
}

// fieldNames maps every field's JSON name to its proto name, over every file
// of the descriptor set. Two fields whose different names give the same JSON
// name would make the mapping ambiguous: that is an error to fix in the proto.
func fieldNames(set *descriptorpb.FileDescriptorSet) (map[string]string, error) {
	names := map[string]string{}
	var errs []error
	var walk func(m *descriptorpb.DescriptorProto)
	walk = func(m *descriptorpb.DescriptorProto) {
		for _, f := range m.GetField() {
			j := f.GetJsonName()
			if prev, ok := names[j]; ok && prev != f.GetName() {
				errs = append(errs, fmt.Errorf("fields %s and %s share the JSON name %s", prev, f.GetName(), j))
			}
			names[j] = f.GetName()
		}
		for _, n := range m.GetNestedType() {
			walk(n)
		}
	}
	for _, f := range set.GetFile() {
		if !strings.HasPrefix(f.GetName(), "hirfa/") {
			continue
		}
		for _, m := range f.GetMessageType() {
			walk(m)
		}
	}
	return names, errors.Join(errs...)
}

// readDescriptors reads the FileDescriptorSet `buf build -o` wrote.
func readDescriptors(path string) (*descriptorpb.FileDescriptorSet, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var set descriptorpb.FileDescriptorSet
	if err := proto.Unmarshal(raw, &set); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &set, nil
}

// renameFields walks the document and turns JSON names into proto names in
// every `properties` map, every `required` list and every query parameter.
func renameFields(v any, names map[string]string) {
	switch v := v.(type) {
	case object:
		if props, ok := v["properties"].(object); ok {
			renamed := object{}
			for k, s := range props {
				renamed[protoName(k, names)] = s
			}
			v["properties"] = renamed
		}
		if req, ok := v["required"].([]any); ok {
			for i, r := range req {
				req[i] = protoName(r.(string), names)
			}
		}
		if in, _ := v["in"].(string); in == "query" || in == "path" {
			v["name"] = protoName(v["name"].(string), names)
		}
		for _, c := range v {
			renameFields(c, names)
		}
	case []any:
		for _, c := range v {
			renameFields(c, names)
		}
	}
}

// protoName maps a dotted JSON path (`activity.displayName`) to proto names,
// keeping a suffix the generator added (`name_1`) and map keys (`labels[key]`).
func protoName(s string, names map[string]string) string {
	parts := strings.Split(s, ".")
	for i, p := range parts {
		base, rest := p, ""
		if j := strings.IndexAny(p, "[_"); j > 0 {
			base, rest = p[:j], p[j:]
		}
		if n, ok := names[base]; ok {
			parts[i] = n + rest
		}
	}
	return strings.Join(parts, ".")
}

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

// renamePath names each path parameter after the collection segment before
// it (chambers/{x} → {chamber}) and renames the operations' parameters to
// match. A parameter with no collection before it keeps its name.
func renamePath(p string, item object, names map[string]string) (string, error) {
	segs := strings.Split(p, "/")
	renames := map[string]string{}
	used := map[string]bool{}
	for i, s := range segs {
		m := pathParam.FindStringSubmatchIndex(s)
		if m == nil {
			continue
		}
		old := protoName(s[m[2]:m[3]], names)
		name := old
		if i > 0 && !strings.Contains(segs[i-1], "{") && segs[i-1] != "v1" {
			name = singular(segs[i-1])
		}
		if used[name] {
			return "", fmt.Errorf("path %s: two parameters named %s", p, name)
		}
		used[name] = true
		renames[old] = name
		segs[i] = s[:m[2]] + name + s[m[3]:]
	}
	for _, op := range item {
		for _, prm := range list(op.(object)["parameters"]) {
			prm := prm.(object)
			if prm["in"] != "path" {
				continue
			}
			old := prm["name"].(string)
			n, ok := renames[old]
			if !ok {
				return "", fmt.Errorf("path %s: parameter %s is not in the path", p, old)
			}
			if n != old {
				field := strings.TrimRightFunc(old, func(r rune) bool { return r == '_' || (r >= '0' && r <= '9') })
				prm["name"] = n
				prm["description"] = fmt.Sprintf("The `%s` id in `%s`. %v", n, field, prm["description"])
			}
		}
	}
	return strings.Join(segs, "/"), nil
}

// singular is the resource-id name of a collection: cooperatives →
// cooperative, activities → activity, assemblies → assembly, fairs → fair.
func singular(collection string) string {
	switch {
	case strings.HasSuffix(collection, "ies"):
		return strings.TrimSuffix(collection, "ies") + "y"
	case strings.HasSuffix(collection, "sses"):
		return strings.TrimSuffix(collection, "es")
	default:
		return strings.TrimSuffix(collection, "s")
	}
}

// errorResponses points the error responses at the edge's error body.
func errorResponses(op object) {
	resp := obj(op["responses"])
	resp["4XX"] = object{
		"description": "The call was refused: bad input (400), no or bad token (401), not allowed (403), no such resource or route (404), " +
			"conflict or stale etag (409), failed precondition (412), body too large (413), rate limited (429, with Retry-After).",
		"content": object{"application/json": object{"schema": object{"$ref": "#/components/schemas/google.rpc.Status"}}},
	}
	resp["default"] = object{
		"description": "A server-side error: 500 INTERNAL, 501 UNIMPLEMENTED, 503 UNAVAILABLE (with Retry-After), 504 DEADLINE_EXCEEDED.",
		"content":     object{"application/json": object{"schema": object{"$ref": "#/components/schemas/google.rpc.Status"}}},
	}
}

// errorSchema is the body errors.go writes: google.rpc.Status marshalled with
// proto field names; each detail is a google.protobuf.Any in its JSON form.
func errorSchema() object {
	detail := object{
		"type":     "object",
		"required": []any{"@type"},
		"properties": object{
			"@type": object{"type": "string", "description": "type.googleapis.com/google.rpc.ErrorInfo, …BadRequest, …LocalizedMessage, …QuotaFailure, …RetryInfo or …PreconditionFailure."},
		},
		"additionalProperties": true,
		"description":          "A google.rpc error detail in its JSON form: `@type` and the detail's fields in proto names (ErrorInfo: reason, domain, metadata; BadRequest: field_violations[].field, .description, .reason; LocalizedMessage: locale, message).",
	}
	return object{
		"type":        "object",
		"description": "The error body of every failed call (google.rpc.Status in proto field names).",
		"required":    []any{"code", "message"},
		"properties": object{
			"code":    object{"type": "integer", "format": "int32", "description": "The gRPC code (3 INVALID_ARGUMENT, 5 NOT_FOUND, 7 PERMISSION_DENIED, 16 UNAUTHENTICATED, …)."},
			"message": object{"type": "string", "description": "What went wrong, in the language chosen by Accept-Language when a translation exists."},
			"details": object{"type": "array", "items": detail},
		},
		"examples": []any{object{
			"code":    3,
			"message": "invalid cooperative: members_men: must be at least 0",
			"details": []any{
				object{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "INVALID_ARGUMENT", "domain": "registry.hirfa", "metadata": object{"field": "members_men"}},
				object{"@type": "type.googleapis.com/google.rpc.BadRequest", "field_violations": []any{object{"field": "members_men", "description": "must be at least 0"}}},
			},
		}},
	}
}

// promoteExample turns an `x-hirfa-example` extension (a JSON string) into the
// schema's `examples`.
func promoteExample(s object) error {
	raw, ok := s["x-hirfa-example"]
	if !ok {
		return nil
	}
	delete(s, "x-hirfa-example")
	str, ok := raw.(string)
	if !ok {
		return errors.New("x-hirfa-example must be a JSON string")
	}
	var ex any
	if err := json.Unmarshal([]byte(str), &ex); err != nil {
		return fmt.Errorf("x-hirfa-example: %w", err)
	}
	s["examples"] = []any{ex}
	return nil
}

func obj(v any) object {
	o, _ := v.(object)
	return o
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func sameJSON(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return slices.Equal(ja, jb)
}

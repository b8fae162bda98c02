package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"google.golang.org/protobuf/types/descriptorpb"
)

// downloadTypes lists, for every method returning google.api.HttpBody, the
// media types (without parameters such as charset) its handler writes. The
// generator describes an HttpBody answer as a JSON google.api.HttpBody
// message, which no real download matches; the REST tests check each real
// download against these types, so a handler writing another type fails them.
// A new HttpBody method must be added here: the assembly stops otherwise.
var downloadTypes = map[string][]string{
	// services/reporting/internal/app: HTML, PDF, CSV (one table), XLSX.
	"hirfa.reporting.v1.ReportService.DownloadActivityReport": {
		"text/html", "application/pdf", "text/csv",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	},
	// services/reporting/internal/app: SVG or PNG.
	"hirfa.reporting.v1.ReportService.DownloadChart": {"image/svg+xml", "image/png"},
	// services/reporting/internal/app/inventory.go: CSV or XLSX.
	"hirfa.reporting.v1.InventoryService.DownloadInventory": {
		"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	},
	// services/desk: the media type sniffed at upload (document.Sniff).
	"hirfa.desk.v1.DocumentService.DownloadDocument": {"application/pdf", "image/jpeg", "image/png"},
	// services/desk/internal/adapters/cardprint: the card's PDF.
	"hirfa.desk.v1.ProfessionalCardService.DownloadProfessionalCard": {"application/pdf"},
	// services/registry/internal/ports/grpcport/imports.go: CSV or XLSX.
	"hirfa.registry.v1.ImportService.DownloadImportReport": {
		"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	},
	// services/registry/internal/app/namerequests.go: the certificate PDF.
	"hirfa.registry.v1.NameRequestService.DownloadNameCertificate": {"application/pdf"},
}

// method is one RPC of a proto file, as the descriptors tell it.
type method struct {
	fullName string // hirfa.reporting.v1.ReportService.DownloadChart
	download bool   // it returns google.api.HttpBody
}

// fileMethods maps each hirfa/ proto file to its methods, keyed by the
// generator's operation id (Service_Method).
func fileMethods(set *descriptorpb.FileDescriptorSet) map[string]map[string]method {
	out := map[string]map[string]method{}
	for _, f := range set.GetFile() {
		if !strings.HasPrefix(f.GetName(), "hirfa/") {
			continue
		}
		ms := map[string]method{}
		for _, s := range f.GetService() {
			for _, m := range s.GetMethod() {
				ms[s.GetName()+"_"+m.GetName()] = method{
					fullName: f.GetPackage() + "." + s.GetName() + "." + m.GetName(),
					download: m.GetOutputType() == ".google.api.HttpBody",
				}
			}
		}
		out[f.GetName()] = ms
	}
	return out
}

// downloadResponse describes the 200 answer of a download as the files it
// really is; the JSON error responses stay as errorResponses writes them.
func downloadResponse(op object, fullName string) error {
	types, ok := downloadTypes[fullName]
	if !ok {
		return fmt.Errorf("%s returns google.api.HttpBody: list the media types its handler writes in downloadTypes", fullName)
	}
	ok200 := obj(obj(op["responses"])["200"])
	if ok200 == nil {
		return fmt.Errorf("%s has no 200 response to describe", fullName)
	}
	content := object{}
	for _, t := range types {
		content[t] = object{"schema": object{"type": "string", "format": "binary"}}
	}
	ok200["content"] = content
	ok200["description"] = "The file, as " + strings.Join(types, ", ") +
		" (Content-Disposition names it). Errors are JSON, as for every call."
	return nil
}

// checkDownloads fails on an entry of downloadTypes that names no HttpBody
// method routed in the document: a renamed or removed download.
func checkDownloads(files map[string]map[string]method, seen map[string]bool) error {
	var errs []error
	for name := range downloadTypes {
		if !seen[name] {
			errs = append(errs, fmt.Errorf("downloadTypes names %s, which is no routed method returning google.api.HttpBody", name))
		}
	}
	for _, ms := range files {
		for _, m := range ms {
			if m.download && !seen[m.fullName] {
				errs = append(errs, fmt.Errorf("%s returns google.api.HttpBody but has no REST route in the document", m.fullName))
			}
		}
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errors.Join(errs...)
}

// dropUnreferenced removes a schema no `$ref` of the document points at any
// more (google.api.HttpBody, once every download is described as a file).
func dropUnreferenced(paths, schemas object, name string) {
	ref := "#/components/schemas/" + name
	found := false
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case object:
			if v["$ref"] == ref {
				found = true
			}
			for _, c := range v {
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	walk(paths)
	for n, s := range schemas {
		if n != name {
			walk(s)
		}
	}
	if !found {
		delete(schemas, name)
	}
}

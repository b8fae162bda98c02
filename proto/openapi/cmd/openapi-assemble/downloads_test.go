package main

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
)

// TestDownloads: an HttpBody method's 200 answer becomes its listed media
// types; an HttpBody method missing from downloadTypes, an entry naming no
// routed download, and an unrouted download each stop the assembly; the
// HttpBody schema goes once nothing points at it.
func TestDownloads(t *testing.T) {
	set := &descriptorpb.FileDescriptorSet{File: []*descriptorpb.FileDescriptorProto{{
		Name:    proto.String("hirfa/reporting/v1/report.proto"),
		Package: proto.String("hirfa.reporting.v1"),
		Service: []*descriptorpb.ServiceDescriptorProto{{
			Name: proto.String("ReportService"),
			Method: []*descriptorpb.MethodDescriptorProto{
				{Name: proto.String("DownloadChart"), OutputType: proto.String(".google.api.HttpBody")},
				{Name: proto.String("GetThing"), OutputType: proto.String(".hirfa.reporting.v1.Thing")},
			},
		}},
	}}}
	files := fileMethods(set)
	ms := files["hirfa/reporting/v1/report.proto"]
	if m := ms["ReportService_DownloadChart"]; !m.download || m.fullName != "hirfa.reporting.v1.ReportService.DownloadChart" {
		t.Fatalf("DownloadChart = %+v", m)
	}
	if ms["ReportService_GetThing"].download {
		t.Fatal("GetThing taken for a download")
	}

	op := object{"responses": object{"200": object{"content": object{"application/json": object{"schema": object{"$ref": "#/components/schemas/google.api.HttpBody"}}}}}}
	if err := downloadResponse(op, "hirfa.reporting.v1.ReportService.DownloadChart"); err != nil {
		t.Fatal(err)
	}
	content := obj(obj(obj(op["responses"])["200"])["content"])
	if _, json := content["application/json"]; json || len(content) != 2 {
		t.Fatalf("content = %v", content)
	}
	if s := obj(obj(content["image/png"])["schema"]); s["type"] != "string" || s["format"] != "binary" {
		t.Fatalf("image/png schema = %v", s)
	}
	if err := downloadResponse(object{"responses": object{"200": object{}}}, "hirfa.reporting.v1.ReportService.DownloadSecret"); err == nil || !strings.Contains(err.Error(), "downloadTypes") {
		t.Errorf("an unlisted download: %v", err)
	}

	seen := map[string]bool{}
	for name := range downloadTypes {
		seen[name] = true
	}
	if err := checkDownloads(files, seen); err != nil {
		t.Errorf("all seen: %v", err)
	}
	delete(seen, "hirfa.reporting.v1.ReportService.DownloadChart")
	err := checkDownloads(files, seen)
	if err == nil || !strings.Contains(err.Error(), "DownloadChart returns google.api.HttpBody but has no REST route") ||
		!strings.Contains(err.Error(), "downloadTypes names hirfa.reporting.v1.ReportService.DownloadChart") {
		t.Errorf("an unrouted download: %v", err)
	}

	schemas := object{"google.api.HttpBody": object{}, "A": object{"properties": object{"b": object{"$ref": "#/components/schemas/google.api.HttpBody"}}}}
	dropUnreferenced(object{}, schemas, "google.api.HttpBody")
	if _, ok := schemas["google.api.HttpBody"]; !ok {
		t.Error("a referenced schema was dropped")
	}
	delete(schemas, "A")
	dropUnreferenced(object{"/x": op}, schemas, "google.api.HttpBody")
	if _, ok := schemas["google.api.HttpBody"]; ok {
		t.Error("an unreferenced schema was kept")
	}
}

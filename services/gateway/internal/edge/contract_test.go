package edge

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/hirfa/hirfa/proto/openapi/openapitest"
)

// allBackends are every API the edge has generated routes for, all at addr:
// the document describes them all, so the edge must route them all.
func allBackends(addr string) []Backend {
	var bs []Backend
	for _, api := range APIs() {
		b, err := BackendFor(api, api, addr)
		if err != nil {
			panic(err)
		}
		bs = append(bs, b)
	}
	return bs
}

// TestOpenAPIMatchesRoutes: the served document and the edge's routes are the
// same set. Every HTTP binding of every Hirfa API is a documented operation
// (the document's router finds it, and it is that method's), and every
// documented operation reaches a route of the edge (the edge answers from a
// backend, not with ROUTE_NOT_FOUND or METHOD_NOT_ALLOWED).
func TestOpenAPIMatchesRoutes(t *testing.T) {
	dead := freeAddr(t) // nothing listens: a routed call ends UNAVAILABLE
	e, err := New(context.Background(), Options{Backends: allBackends(dead), MaxBodyBytes: 1 << 20,
		RequestTimeout: 5 * time.Second, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.Handler)
	t.Cleanup(func() { srv.Close(); e.Close() })
	api := openapitest.MustFetch(t, srv.URL)

	// Bindings → document.
	bindings := 0
	protoregistry.GlobalFiles.RangeFiles(func(f protoreflect.FileDescriptor) bool {
		if !strings.HasPrefix(string(f.Package()), "hirfa.") {
			return true
		}
		for i := 0; i < f.Services().Len(); i++ {
			svc := f.Services().Get(i)
			for j := 0; j < svc.Methods().Len(); j++ {
				m := svc.Methods().Get(j)
				rule, _ := proto.GetExtension(m.Options(), annotations.E_Http).(*annotations.HttpRule)
				if rule == nil {
					continue
				}
				for _, r := range append([]*annotations.HttpRule{rule}, rule.GetAdditionalBindings()...) {
					method, tmpl := httpRule(r)
					bindings++
					req := httptest.NewRequest(method, concrete(tmpl), nil)
					route, _, err := api.Route(req)
					if err != nil {
						t.Errorf("%s (%s %s) is not documented: %v", m.FullName(), method, tmpl, err)
						continue
					}
					if want := "_" + string(svc.Name()) + "_" + string(m.Name()); !strings.Contains(route.Operation.OperationID+"_", want+"_") {
						t.Errorf("%s %s is documented as %s, want the operation of %s", method, tmpl, route.Operation.OperationID, m.FullName())
					}
				}
			}
		}
		return true
	})
	if bindings < 100 {
		t.Fatalf("only %d HTTP bindings found; are the APIs' packages linked in?", bindings)
	}

	// Document → routes.
	var wg sync.WaitGroup
	ops := 0
	for path, item := range api.Doc.Paths.Map() {
		for method := range item.Operations() {
			ops++
			wg.Add(1)
			go func() {
				defer wg.Done()
				var body io.Reader
				if method == http.MethodPost || method == http.MethodPatch || method == http.MethodPut {
					body = strings.NewReader("{}")
				}
				req, _ := http.NewRequest(method, srv.URL+concrete(path), body)
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Errorf("%s %s: %v", method, path, err)
					return
				}
				defer resp.Body.Close()
				var st struct {
					Details []struct{ Reason string } `json:"details"`
				}
				_ = json.NewDecoder(resp.Body).Decode(&st)
				for _, d := range st.Details {
					if d.Reason == "ROUTE_NOT_FOUND" || d.Reason == "METHOD_NOT_ALLOWED" {
						t.Errorf("documented %s %s reaches no route of the edge (%d %s)", method, path, resp.StatusCode, d.Reason)
					}
				}
			}()
		}
	}
	wg.Wait()
	if ops < bindings {
		t.Fatalf("%d documented operations for %d bindings", ops, bindings)
	}
}

var templateVar = regexp.MustCompile(`\{([^}=]+)(?:=([^}]*))?\}`)

// concrete fills a proto URL template (`/v1/{name=chambers/*/fairs/*}`) or an
// OpenAPI path (`/v1/chambers/{chamber}/fairs/{fair}`) with sample ids.
func concrete(tmpl string) string {
	return templateVar.ReplaceAllStringFunc(tmpl, func(v string) string {
		m := templateVar.FindStringSubmatch(v)
		if m[2] == "" {
			return "x1"
		}
		return strings.NewReplacer("**", "x1", "*", "x1").Replace(m[2])
	})
}

func httpRule(r *annotations.HttpRule) (method, tmpl string) {
	switch p := r.GetPattern().(type) {
	case *annotations.HttpRule_Get:
		return http.MethodGet, p.Get
	case *annotations.HttpRule_Post:
		return http.MethodPost, p.Post
	case *annotations.HttpRule_Patch:
		return http.MethodPatch, p.Patch
	case *annotations.HttpRule_Put:
		return http.MethodPut, p.Put
	case *annotations.HttpRule_Delete:
		return http.MethodDelete, p.Delete
	case *annotations.HttpRule_Custom:
		return p.Custom.GetKind(), p.Custom.GetPath()
	}
	return "", ""
}

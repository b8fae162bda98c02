package main

import (
	"embed"
	"errors"
	"fmt"
	"go/format"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// template is a small working service (one aggregate, Item, under
// chambers/{chamber}/items/{item}) and its proto package, written as
// services/__NAME__ and proto/hirfa/__API__. Every file ends in .tmpl so
// the Go tool neither compiles it here nor takes its go.mod for a module.
// It is kept working by TestNewServiceBuildsAndPasses.
//
//go:embed all:template
var template embed.FS

// New writes the service's proto package and code from the template,
// wires it into the suite (Wire) and regenerates the Go code of the protos
// and the gateway's API table with the pinned generators in bin. It
// refuses a name, API or port in use, or a folder that exists, before
// writing anything.
func New(root, bin string, s Spec) error {
	if err := s.check(); err != nil {
		return err
	}
	manifest, err := os.ReadFile(filepath.Join(root, "pkg/suite/manifest.txt"))
	if err != nil {
		return err
	}
	if _, _, err := checkManifest(manifest, s); err != nil {
		return err
	}
	for _, dir := range []string{"services/" + s.Name, "proto/hirfa/" + s.API, "deploy/images/" + s.Name} {
		if _, err := os.Stat(filepath.Join(root, dir)); err == nil {
			return fmt.Errorf("%s exists already", dir)
		}
	}
	for _, tool := range []string{"buf", "protoc-gen-go", "protoc-gen-go-grpc", "protoc-gen-grpc-gateway", "protoc-gen-openapiv3"} {
		if _, err := os.Stat(filepath.Join(bin, tool)); err != nil {
			return fmt.Errorf("%s: the pinned generators are missing (make tools)", filepath.Join(bin, tool))
		}
	}
	files, err := Render(s)
	if err != nil {
		return err
	}
	for rel, data := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	if err := Wire(root, s); err != nil {
		return err
	}
	return generate(root, bin)
}

// Render returns the service's files (path relative to the repository
// root → content) with the name, API and port substituted; Go files are
// gofmt-ed, since a longer or shorter name can move alignment.
func Render(s Spec) (map[string][]byte, error) {
	r := strings.NewReplacer("__NAME__", s.Name, "__API__", s.API, "__PORT__", strconv.Itoa(s.Port))
	out := map[string][]byte{}
	err := fs.WalkDir(template, "template", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := template.ReadFile(p)
		if err != nil {
			return err
		}
		rel := r.Replace(strings.TrimSuffix(strings.TrimPrefix(p, "template/"), ".tmpl"))
		data := []byte(r.Replace(string(b)))
		if path.Ext(rel) == ".go" {
			if data, err = format.Source(data); err != nil {
				return fmt.Errorf("%s: %w", rel, err)
			}
		}
		out[rel] = data
		return nil
	})
	return out, err
}

// generate runs what make generate runs, with the generators in bin.
func generate(root, bin string) error {
	// The steps run in sub-folders, so a relative root (make passes ".")
	// would name the wrong bin folder.
	root, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	env := append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	for _, step := range []struct {
		dir  string
		args []string
	}{
		{"proto", []string{filepath.Join(bin, "buf"), "format", "-w"}},
		{"proto", []string{filepath.Join(bin, "buf"), "generate"}},
		// The served OpenAPI document gains the new API's routes: buf
		// generate wrote one document per proto under <root>/bin/openapi.
		{"proto", []string{filepath.Join(bin, "buf"), "build", "-o", filepath.Join(root, "bin", "hirfa.binpb")}},
		{"proto", []string{"go", "run", "./openapi/cmd/openapi-assemble", "-descriptors", filepath.Join(root, "bin", "hirfa.binpb"),
			"-in", filepath.Join(root, "bin", "openapi"), "-out", "openapi/gen/hirfa.openapi.json"}},
		{"services/gateway", []string{"go", "generate", "./internal/edge"}},
	} {
		cmd := exec.Command(step.args[0], step.args[1:]...)
		cmd.Dir, cmd.Env = filepath.Join(root, step.dir), env
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s (in %s): %w\n%s", strings.Join(step.args, " "), step.dir, err, out)
		}
	}
	return nil
}

func (s Spec) check() error {
	if !nameRe.MatchString(s.Name) || !apiRe.MatchString(s.API) || s.Port < 1024 || s.Port > 65535 {
		return errors.New("-name (lower-case words joined by -), -api (lower-case letters and digits) and -port (1024-65535) are required")
	}
	return nil
}

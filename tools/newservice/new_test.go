package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestNewServiceBuildsAndPasses keeps the generator from rotting: it copies
// the repository's files into a temporary directory, generates NAME=demo
// API=demo PORT=9199 there exactly as make new-service does (the proto code
// and the gateway's API table regenerated with the pinned generators of the
// project's bin/), then lints the protos (buf lint), vets every module of
// the workspace (go.work), builds the new service and the edge, and runs
// the service's tests (SQLite, and PostgreSQL when HIRFA_TEST_POSTGRES_DSN
// is set, as make test sets it) and the suite's consistency tests, which
// check that the manifest, go.work, images, chart and scripts agree. It
// shares the Go build and module caches.
func TestNewServiceBuildsAndPasses(t *testing.T) {
	start := time.Now()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	// The pinned generators; a no-op when bin/ is up to date.
	run(t, root, nil, "make", "--no-print-directory", "tools")
	bin := filepath.Join(root, "bin")

	// A fixed directory per checkout, not t.TempDir(): the build cache keys
	// a package by its directory as well as its content, so at a fixed path
	// every package the generator did not change is built once per machine,
	// not on every run.
	sum := sha256.Sum256([]byte(root))
	dst := filepath.Join(os.TempDir(), "hirfa-newservice-"+hex.EncodeToString(sum[:6]))
	if err := os.RemoveAll(dst); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dst) })
	copyTree(t, root, dst)
	t.Logf("copied the tree in %v", time.Since(start).Round(time.Millisecond))

	if err := New(dst, bin, Spec{Name: "demo", API: "demo", Port: 9199, Routed: true}); err != nil {
		t.Fatal(err)
	}
	t.Logf("generated in %v", time.Since(start).Round(time.Millisecond))
	for _, p := range []string{"services/demo/cmd/demo/main.go", "proto/hirfa/demo/v1/item.proto",
		"proto/gen/hirfa/demo/v1/item.pb.gw.go", "deploy/images/demo/Dockerfile"} {
		if _, err := os.Stat(filepath.Join(dst, p)); err != nil {
			t.Fatal(err)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dst, "services/gateway/internal/edge/apis_gen.go")); err != nil || !bytes.Contains(b, []byte("demov1.RegisterItemServiceHandlerFromEndpoint")) {
		t.Fatalf("the gateway's API table does not route the demo API (%v)", err)
	}
	run(t, filepath.Join(dst, "proto"), nil, filepath.Join(bin, "buf"), "lint")
	if out := run(t, dst, nil, "gofmt", "-l", "services/demo"); out != "" {
		t.Fatalf("gofmt needed:\n%s", out)
	}

	env := []string{"GOWORK="}
	// go vet type-checks every package of every module, tests included,
	// against the regenerated code (and the module graph the new go.mod
	// joins) without linking nine binaries; the binaries the generator
	// changed, the service's and the edge's, are built.
	run(t, dst, env, "go", append([]string{"vet"}, workModules(t, dst)...)...)
	run(t, dst, env, "go", "build", "./services/demo/...", "./services/gateway/...")
	t.Logf("vetted the workspace and built demo and gateway in %v", time.Since(start).Round(time.Millisecond))
	out := run(t, dst, env, "go", "test", "-count=1", "./services/demo/...", "./pkg/suite/...")
	t.Logf("tests of the copy:\n%s", out)
	// The PostgreSQL half ran when a server was configured.
	if os.Getenv("HIRFA_TEST_POSTGRES_DSN") != "" {
		out = run(t, dst, env, "go", "test", "-count=1", "-v", "-run", "TestConformance/postgres", "./services/demo/internal/adapters/sqlstore/")
		if !strings.Contains(out, "--- PASS: TestConformance/postgres") {
			t.Fatalf("the conformance suite did not run on PostgreSQL:\n%s", out)
		}
	}
	t.Logf("done in %v", time.Since(start).Round(time.Millisecond))
}

// TestRender substitutes every placeholder, in paths and contents, and
// formats the Go files for a name whose length moves alignment.
func TestRender(t *testing.T) {
	files, err := Render(Spec{Name: "craft-bodies-extra", API: "craftbodiesextra", Port: 9150})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"services/craft-bodies-extra/go.mod", "services/craft-bodies-extra/cmd/craft-bodies-extra/main.go",
		"proto/hirfa/craftbodiesextra/v1/item.proto", "services/craft-bodies-extra/internal/adapters/sqlstore/migrations/postgres/0001_items.sql",
		"services/craft-bodies-extra/internal/adapters/sqlstore/migrations/sqlite/0001_items.sql"} {
		if _, ok := files[want]; !ok {
			t.Errorf("%s not rendered", want)
		}
	}
	for p, b := range files {
		if strings.Contains(p, "__") || strings.HasSuffix(p, ".tmpl") || bytes.Contains(b, []byte("__NAME__")) ||
			bytes.Contains(b, []byte("__API__")) || bytes.Contains(b, []byte("__PORT__")) {
			t.Errorf("%s: a placeholder is left", p)
		}
	}
	if !bytes.Contains(files["services/craft-bodies-extra/internal/service/config.go"], []byte(`"127.0.0.1:9150"`)) {
		t.Error("the port is not the default address")
	}
	if !bytes.Contains(files["services/craft-bodies-extra/go.mod"], []byte("module github.com/hirfa/hirfa/services/craft-bodies-extra\n")) {
		t.Error("go.mod does not name the module")
	}
}

// TestNewRefusesBeforeWriting: a name or port in the manifest is refused
// and nothing is written.
func TestNewRefusesBeforeWriting(t *testing.T) {
	root := tree(t)
	for _, s := range []Spec{{Name: "registry", API: "other", Port: 9150}, {Name: "other", API: "other", Port: 9101}, {Name: "Bad_Name", API: "x", Port: 9150}} {
		if err := New(root, t.TempDir(), s); err == nil {
			t.Errorf("New(%+v) accepted", s)
		}
	}
	if entries, err := os.ReadDir(filepath.Join(root, "deploy/images")); err != nil || len(entries) != 1 {
		t.Fatalf("New wrote deploy/images: %v %v", entries, err)
	}
	if _, err := os.Stat(filepath.Join(root, "services")); !os.IsNotExist(err) {
		t.Fatalf("New wrote services/: %v", err)
	}
}

// copyTree copies the files git tracks or would track (as they are in the
// working tree)
// from root to dst. A folder under services/ that the manifest does not
// list yet is left out: the generator is tested against the wired suite,
// and pkg/suite's own test reports such a folder in the real tree.
func copyTree(t *testing.T, root, dst string) {
	t.Helper()
	manifest, err := os.ReadFile(filepath.Join(root, "pkg/suite/manifest.txt"))
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, l := range strings.Split(string(manifest), "\n") {
		if f := strings.Fields(l); len(f) == 7 && !strings.HasPrefix(f[0], "#") {
			listed[f[0]] = true
		}
	}
	for _, rel := range strings.Split(strings.TrimRight(run(t, root, nil, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"), "\x00"), "\x00") {
		if svc, ok := strings.CutPrefix(rel, "services/"); ok {
			if name, _, _ := strings.Cut(svc, "/"); !listed[name] {
				continue
			}
		}
		src := filepath.Join(root, rel)
		info, err := os.Lstat(src)
		if os.IsNotExist(err) {
			continue // deleted in the working tree
		}
		if err != nil {
			t.Fatal(err)
		}
		if !info.Mode().IsRegular() {
			continue
		}
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
}

// workModules lists the workspace's modules as ./dir/... patterns, as the
// Makefile reads them from go.work.
func workModules(t *testing.T, root string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "go.work"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if dir, ok := strings.CutPrefix(strings.TrimSpace(l), "./"); ok {
			out = append(out, "./"+dir+"/...")
		}
	}
	return out
}

// run runs a command in dir with env added, failing the test with its
// output when it fails; it returns the output.
func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s (in %s): %v\n%s", name, strings.Join(args, " "), dir, err, out.String())
	}
	return out.String()
}

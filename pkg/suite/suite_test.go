package suite

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// repoRoot is the nearest parent holding go.work.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.work above the working directory")
		}
		dir = parent
	}
}

func read(t *testing.T, root, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return string(b)
}

// TestEveryServiceFolderIsListed fails when a folder under services/ is not
// in the manifest, or the manifest names a service with no folder.
func TestEveryServiceFolderIsListed(t *testing.T) {
	root := repoRoot(t)
	entries, err := os.ReadDir(filepath.Join(root, "services"))
	if err != nil {
		t.Fatal(err)
	}
	var folders []string
	for _, e := range entries {
		if e.IsDir() {
			folders = append(folders, e.Name())
			if _, ok := ByName(e.Name()); !ok {
				t.Errorf("services/%s is not in pkg/suite/manifest.txt", e.Name())
			}
		}
	}
	for _, s := range Services() {
		if !slices.Contains(folders, s.Name) {
			t.Errorf("manifest names %s, but services/%s does not exist", s.Name, s.Name)
		}
	}
}

// TestEveryPlaceCarriesTheManifest checks each place that follows the
// manifest: the service's module and command, go.work, its image, its chart
// values block, its proto package, and that the scripts read the manifest.
func TestEveryPlaceCarriesTheManifest(t *testing.T) {
	root := repoRoot(t)
	work := read(t, root, "go.work")
	chart := chartServices(t, read(t, root, "charts/hirfa/values.yaml"))
	for _, s := range Services() {
		t.Run(s.Name, func(t *testing.T) {
			for _, rel := range []string{
				"services/" + s.Name + "/go.mod",
				"services/" + s.Name + "/cmd/" + s.Name,
				"deploy/images/" + s.Name + "/Dockerfile",
				"deploy/images/" + s.Name + "/Dockerfile.dockerignore",
			} {
				if _, err := os.Stat(filepath.Join(root, rel)); err != nil {
					t.Errorf("%s: %v", rel, err)
				}
			}
			if !regexp.MustCompile(`(?m)^\s*\./services/` + regexp.QuoteMeta(s.Name) + `\s*$`).MatchString(work) {
				t.Errorf("go.work does not use ./services/%s", s.Name)
			}
			docker := read(t, root, "deploy/images/"+s.Name+"/Dockerfile")
			if !regexp.MustCompile(`(?m)^EXPOSE .*\b` + strconv.Itoa(s.Port) + `\b`).MatchString(docker) {
				t.Errorf("deploy/images/%s/Dockerfile does not EXPOSE %d", s.Name, s.Port)
			}
			if s.Role == GRPC {
				if _, err := os.Stat(filepath.Join(root, "proto/hirfa", s.API, "v1")); err != nil {
					t.Errorf("proto package of api %s: %v", s.API, err)
				}
			}
			c, ok := chart[s.Name]
			if !ok {
				t.Fatalf("charts/hirfa/values.yaml has no services.%s block", s.Name)
			}
			want := map[string]string{"role": string(s.Role), "port": strconv.Itoa(s.Port), "calls": "[" + strings.Join(s.Calls, ", ") + "]"}
			if s.Role == GRPC {
				want["api"] = s.API
			}
			if c["calls"] == "" {
				c["calls"] = "[]"
			}
			if c["enabled"] == "" {
				c["enabled"] = "true"
			}
			want["enabled"] = "true"
			for k, v := range want {
				if c[k] != v {
					t.Errorf("charts/hirfa/values.yaml services.%s.%s = %q, manifest says %q", s.Name, k, c[k], v)
				}
			}
		})
	}
	// The places that list services read the manifest rather than a copy.
	for _, rel := range []string{"Makefile", "deploy/local/run.sh", "deploy/local/up.sh", "tools/kube/validate.sh"} {
		if !strings.Contains(read(t, root, rel), "pkg/suite/manifest.txt") {
			t.Errorf("%s does not read pkg/suite/manifest.txt", rel)
		}
	}
}

// TestUpRunsTheManifestServices: up.sh (and so tools/load/localstack, the
// end-to-end stack, which asks it) runs exactly the manifest's gRPC services.
func TestUpRunsTheManifestServices(t *testing.T) {
	root := repoRoot(t)
	out, err := exec.Command("bash", filepath.Join(root, "deploy/local/up.sh"), "services").Output()
	if err != nil {
		t.Fatalf("up.sh services: %v", err)
	}
	var want []string
	for _, s := range Services() {
		if s.Role == GRPC {
			want = append(want, s.Name)
		}
	}
	if got := strings.Fields(string(out)); !slices.Equal(got, want) {
		t.Errorf("up.sh services = %v, manifest's gRPC services = %v", got, want)
	}
}

// chartServices reads the services: blocks of the chart's values.yaml (two
// levels of indentation, scalar and flow-list values: all this test needs).
func chartServices(t *testing.T, values string) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	block := regexp.MustCompile(`^  ([a-z][a-z0-9-]*):\s*$`)
	key := regexp.MustCompile(`^    ([a-zA-Z]+):\s*(.*?)\s*$`)
	in := false
	var cur map[string]string
	sc := bufio.NewScanner(strings.NewReader(values))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "services:":
			in = true
		case !in || strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#"):
		case !strings.HasPrefix(line, " "):
			in = false
		case block.MatchString(line):
			cur = map[string]string{}
			out[block.FindStringSubmatch(line)[1]] = cur
		case cur != nil && key.MatchString(line):
			m := key.FindStringSubmatch(line)
			cur[m[1]] = m[2]
		}
	}
	if len(out) == 0 {
		t.Fatal("charts/hirfa/values.yaml: no services: blocks found")
	}
	return out
}

func TestParseRefusesBadManifests(t *testing.T) {
	for name, text := range map[string]string{
		"columns":       "registry grpc registry 9101 9464 yes\n",
		"role":          "registry rpc registry 9101 9464 yes -\n",
		"callee later":  "a grpc a 9101 9464 yes b\nb grpc b 9102 9465 yes -\n",
		"port reused":   "a grpc a 9101 9464 yes -\nb grpc b 9101 9465 yes -\n",
		"api twice":     "a grpc x 9101 9464 yes -\nb grpc x 9102 9465 yes -\n",
		"edge with api": "gateway edge x 8080 9466 - -\n",
		"bad name":      "Registry grpc registry 9101 9464 yes -\n",
	} {
		if _, err := Parse(text); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	s, err := Parse("# c\nregistry grpc registry 9101 9464 yes -\nevents-and-fairs grpc eventsfairs 9102 9465 yes registry\n")
	if err != nil {
		t.Fatal(err)
	}
	if s[1].AddrVar() != "HIRFA_EVENTSFAIRS_ADDR" || !slices.Equal(s[1].Calls, []string{"registry"}) || s[1].DefaultAddr() != "127.0.0.1:9102" {
		t.Errorf("parsed %+v", s[1])
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tree copies the files Wire edits from the repository into a temporary root.
func tree(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	for _, rel := range []string{"pkg/suite/manifest.txt", "go.work", "charts/hirfa/values.yaml",
		"deploy/images/events-and-fairs/Dockerfile", "deploy/images/events-and-fairs/Dockerfile.dockerignore"} {
		b, err := os.ReadFile(filepath.Join("..", "..", rel))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, rel), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func read(t *testing.T, root, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// unwire takes a wired service back out of the copied tree — its manifest
// and go.work lines, and its chart block switched off as the chart settles
// the next services — so the test wires it again whatever the repository
// already holds.
func unwire(t *testing.T, root, name string) {
	t.Helper()
	edit := func(rel string, fn func(string) string) {
		if err := os.WriteFile(filepath.Join(root, rel), []byte(fn(read(t, root, rel))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit("pkg/suite/manifest.txt", func(s string) string {
		var keep []string
		for _, l := range strings.Split(s, "\n") {
			if !strings.HasPrefix(l, name+" ") {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	})
	edit("go.work", func(s string) string { return strings.ReplaceAll(s, "\t./services/"+name+"\n", "") })
	edit("charts/hirfa/values.yaml", func(s string) string {
		block := "\n  " + name + ":\n"
		i := strings.Index(s, block)
		if i < 0 || strings.HasPrefix(s[i+len(block):], "    enabled: false\n") {
			return s
		}
		return s[:i+len(block)] + "    enabled: false\n" + s[i+len(block):]
	})
}

func TestWireSettledChartBlock(t *testing.T) {
	root := tree(t)
	unwire(t, root, "craft-bodies")
	if err := Wire(root, Spec{Name: "craft-bodies", API: "craftbodies", Port: 9103, Calls: []string{"registry"}, Routed: true}); err != nil {
		t.Fatal(err)
	}
	m := read(t, root, "pkg/suite/manifest.txt")
	var fields []string
	for _, l := range strings.Split(m, "\n") {
		if strings.HasPrefix(l, "craft-bodies ") {
			fields = strings.Fields(l)
		}
	}
	// The metrics port is the next free one, which depends on the other
	// services listed; it must only be one no other line uses.
	if len(fields) != 7 || strings.Join(append(fields[:4:4], fields[5:]...), " ") != "craft-bodies grpc craftbodies 9103 yes registry" {
		t.Errorf("manifest line %q", fields)
	} else if n := strings.Count(m, " "+fields[4]+" "); n != 1 {
		t.Errorf("metrics port %s is used %d times in the manifest", fields[4], n)
	}
	if strings.Index(m, "craft-bodies ") > strings.Index(m, "\ngateway ") {
		t.Error("the new service must come before the edge")
	}
	if !strings.Contains(read(t, root, "go.work"), "\t./services/craft-bodies\n") {
		t.Error("go.work does not use the service")
	}
	d := read(t, root, "deploy/images/craft-bodies/Dockerfile")
	if strings.Contains(d, "events-and-fairs") || !strings.Contains(d, "EXPOSE 9103 9464") || !strings.Contains(d, "./cmd/craft-bodies") {
		t.Errorf("Dockerfile:\n%s", d)
	}
	v := read(t, root, "charts/hirfa/values.yaml")
	i := strings.Index(v, "\n  craft-bodies:\n")
	if i < 0 || strings.Contains(v[i:i+60], "enabled: false") {
		t.Errorf("craft-bodies block not switched on: %q", v[i:i+60])
	}
	// Twice is refused, and changes nothing.
	if err := Wire(root, Spec{Name: "craft-bodies", API: "craftbodies", Port: 9103}); err == nil {
		t.Error("wiring the same service twice was accepted")
	}
}

func TestWireNewChartBlock(t *testing.T) {
	root := tree(t)
	if err := Wire(root, Spec{Name: "demo", API: "demo", Port: 9199, Routed: true}); err != nil {
		t.Fatal(err)
	}
	v := read(t, root, "charts/hirfa/values.yaml")
	if !strings.Contains(v, "\n  demo:\n    role: grpc\n    api: demo\n    port: 9199\n    grpcIngress:\n      enabled: true\n\ningress:") {
		t.Errorf("no demo block before ingress:\n%s", v[len(v)-2000:])
	}
	for _, bad := range []Spec{
		{Name: "Demo", API: "demo", Port: 9199},
		{Name: "x", API: "registry", Port: 9300},
		{Name: "y", API: "y", Port: 9101},
		{Name: "z", API: "z", Port: 9301, Calls: []string{"nowhere"}},
	} {
		if err := Wire(root, bad); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

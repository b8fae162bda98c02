// Command newservice adds a service to the suite.
//
// newservice new writes a working service from the template (template/):
// its proto package proto/hirfa/<api>/v1 with one sample aggregate (Item),
// services/<name> (cmd, composition root on pkg/svckit, gRPC port with the
// error catalogue, app layer with tenancy, domain rules, SQL adapters with
// migrations for PostgreSQL and SQLite, tests, README with the policy
// table), regenerates the proto code and the gateway's API table, and then
// wires it (below):
//
//	go run ./tools/newservice new -name demo -api demo -port 9199 [-calls registry] [-bin bin]
//
// newservice wire wires a service into the suite outside its own folder:
// its line in the manifest (pkg/suite/manifest.txt, which the Makefile,
// make run / make up, the gateway, the e2e stack and chart validation
// follow), go.work, its image (deploy/images/<name>, from events-and-fairs'
// Dockerfile), and its chart values block (switched on if the chart
// already settles it, appended otherwise).
//
//	go run ./tools/newservice wire -name craft-bodies -api craftbodies -port 9103 [-calls registry] [-routed=true]
//
// Both refuse a name, API or port already in the manifest and change
// nothing then. wire alone does not write the service's code
// (services/<name>) or its proto package (proto/hirfa/<api>/v1); pkg/suite's
// test fails until both exist.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

func main() {
	if len(os.Args) < 2 || (os.Args[1] != "wire" && os.Args[1] != "new") {
		fmt.Fprintln(os.Stderr, "usage: newservice new|wire -name NAME -api API -port PORT [-calls a,b] [-routed=false] [-root DIR] [-bin DIR]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	var s Spec
	fs.StringVar(&s.Name, "name", "", "service name: folder, binary, image and chart block (e.g. craft-bodies)")
	fs.StringVar(&s.API, "api", "", "proto API: package hirfa.<api>.v1 (e.g. craftbodies)")
	fs.IntVar(&s.Port, "port", 0, "gRPC port (e.g. 9103)")
	calls := fs.String("calls", "", "comma-separated services it calls (e.g. registry)")
	fs.BoolVar(&s.Routed, "routed", true, "the REST edge routes the API")
	root := fs.String("root", ".", "repository root")
	bin := fs.String("bin", "", "the pinned generators (make tools); default ROOT/bin")
	_ = fs.Parse(os.Args[2:])
	if *calls != "" {
		s.Calls = strings.Split(*calls, ",")
	}
	var err error
	if os.Args[1] == "new" {
		if *bin == "" {
			*bin = filepath.Join(*root, "bin")
		}
		if *bin, err = filepath.Abs(*bin); err == nil {
			err = New(*root, *bin, s)
		}
	} else {
		err = Wire(*root, s)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "newservice:", err)
		os.Exit(1)
	}
}

// Spec is the new service.
type Spec struct {
	Name, API string
	Port      int
	Calls     []string
	Routed    bool
}

var (
	nameRe = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	apiRe  = regexp.MustCompile(`^[a-z][a-z0-9]*$`)
)

// Wire edits the repository at root. Every check runs before any write.
func Wire(root string, s Spec) error {
	if err := s.check(); err != nil {
		return err
	}
	manifestPath := filepath.Join(root, "pkg/suite/manifest.txt")
	manifest, err := os.ReadFile(manifestPath)
	if err != nil {
		return err
	}
	metrics, lines, err := checkManifest(manifest, s)
	if err != nil {
		return err
	}
	// The new line goes before the edge (gateway), which starts last.
	routed, calls := "-", "-"
	if s.Routed {
		routed = "yes"
	}
	if len(s.Calls) > 0 {
		calls = strings.Join(s.Calls, ",")
	}
	line := fmt.Sprintf("%-17s grpc  %-12s %-5d %-8d %-7s %s", s.Name, s.API, s.Port, metrics, routed, calls)
	out := insertBeforeEdge(lines, line)

	workPath := filepath.Join(root, "go.work")
	work, err := os.ReadFile(workPath)
	if err != nil {
		return err
	}
	work = bytes.Replace(work, []byte("\t./services/gateway\n"), []byte("\t./services/gateway\n\t./services/"+s.Name+"\n"), 1)

	tmplDir := filepath.Join(root, "deploy/images/events-and-fairs")
	imgDir := filepath.Join(root, "deploy/images", s.Name)
	if _, err := os.Stat(imgDir); err == nil {
		return fmt.Errorf("%s exists already", imgDir)
	}
	docker, err := os.ReadFile(filepath.Join(tmplDir, "Dockerfile"))
	if err != nil {
		return err
	}
	ignore, err := os.ReadFile(filepath.Join(tmplDir, "Dockerfile.dockerignore"))
	if err != nil {
		return err
	}
	docker = regexp.MustCompile(`(?m)^LABEL org\.opencontainers\.image\.title=.*$\n.*description=.*$`).ReplaceAll(docker,
		[]byte(`LABEL org.opencontainers.image.title="hirfa-`+s.Name+`" \`+"\n"+`      org.opencontainers.image.description="Hirfa `+s.Name+`: gRPC service" \`))
	docker = bytes.ReplaceAll(docker, []byte("events-and-fairs"), []byte(s.Name))
	docker = regexp.MustCompile(`(?m)^EXPOSE 9102 `).ReplaceAll(docker, []byte("EXPOSE "+strconv.Itoa(s.Port)+" "))
	ignore = bytes.ReplaceAll(ignore, []byte("events-and-fairs"), []byte(s.Name))

	valuesPath := filepath.Join(root, "charts/hirfa/values.yaml")
	values, err := os.ReadFile(valuesPath)
	if err != nil {
		return err
	}
	if values, err = chartBlock(values, s); err != nil {
		return err
	}

	if err := os.MkdirAll(imgDir, 0o755); err != nil {
		return err
	}
	for path, data := range map[string][]byte{
		manifestPath: out, workPath: work, valuesPath: values,
		filepath.Join(imgDir, "Dockerfile"): docker, filepath.Join(imgDir, "Dockerfile.dockerignore"): ignore,
	} {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// checkManifest refuses a name, API or port in use and callees not listed;
// it returns the next free metrics port and the manifest's lines.
func checkManifest(manifest []byte, s Spec) (int, []string, error) {
	lines := strings.Split(strings.TrimRight(string(manifest), "\n"), "\n")
	metrics := 0
	names := map[string]bool{}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) != 7 || strings.HasPrefix(f[0], "#") {
			continue
		}
		names[f[0]] = true
		if f[0] == s.Name || f[2] == s.API || f[3] == strconv.Itoa(s.Port) || f[4] == strconv.Itoa(s.Port) {
			return 0, nil, fmt.Errorf("the manifest already has %s, api %s or port %d: %s", s.Name, s.API, s.Port, l)
		}
		if m, err := strconv.Atoi(f[4]); err == nil && m >= metrics {
			metrics = m + 1
		}
	}
	for _, c := range s.Calls {
		if !names[c] {
			return 0, nil, fmt.Errorf("-calls %s: not in the manifest", c)
		}
	}
	return metrics, lines, nil
}

func insertBeforeEdge(lines []string, line string) []byte {
	var out []string
	done := false
	for _, l := range lines {
		f := strings.Fields(l)
		if !done && len(f) == 7 && f[1] == "edge" {
			out = append(out, line)
			done = true
		}
		out = append(out, l)
	}
	if !done {
		out = append(out, line)
	}
	return []byte(strings.Join(out, "\n") + "\n")
}

// chartBlock switches on the service's block when the chart settles it
// already (checking its api and port), or appends one to services:.
func chartBlock(values []byte, s Spec) ([]byte, error) {
	text := string(values)
	head := "\n  " + s.Name + ":\n"
	if i := strings.Index(text, head); i >= 0 {
		end := i + len(head)
		for end < len(text) {
			nl := strings.IndexByte(text[end:], '\n')
			if nl < 0 {
				nl = len(text) - end
			}
			l := text[end : end+nl]
			if l != "" && !strings.HasPrefix(l, "    ") {
				break
			}
			end += nl + 1
		}
		block := text[i:end]
		if !strings.Contains(block, "    api: "+s.API+"\n") || !strings.Contains(block, "    port: "+strconv.Itoa(s.Port)+"\n") {
			return nil, fmt.Errorf("charts/hirfa/values.yaml: services.%s exists with another api or port; fix one of them", s.Name)
		}
		block = strings.Replace(block, "    enabled: false\n", "", 1)
		return []byte(text[:i] + block + text[end:]), nil
	}
	i := strings.Index(text, "\ningress:")
	if i < 0 {
		return nil, errors.New("charts/hirfa/values.yaml: no ingress: section to append the block before")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "  %s:\n    role: grpc\n    api: %s\n    port: %d\n", s.Name, s.API, s.Port)
	if len(s.Calls) > 0 {
		fmt.Fprintf(&b, "    calls: [%s]\n", strings.Join(s.Calls, ", "))
	}
	b.WriteString("    grpcIngress:\n      enabled: true\n\n")
	return []byte(strings.TrimRight(text[:i], "\n") + "\n\n" + b.String() + text[i+1:]), nil
}

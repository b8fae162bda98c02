// Package suite is the list of Hirfa's services (manifest.txt beside this
// file, embedded): name, role, proto API, ports, whether the REST edge
// routes it and whom it calls. Shell scripts and the Makefile read the same
// file with awk; Go code reads it through Services.
package suite

import (
	_ "embed"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

//go:embed manifest.txt
var manifest string

// Role is what a service is: a gRPC service or the REST edge.
type Role string

const (
	GRPC Role = "grpc"
	Edge Role = "edge"
)

// Service is one line of the manifest.
type Service struct {
	Name        string   // folder under services/, binary, image and chart block
	Role        Role     // grpc or edge
	API         string   // <api> of proto package hirfa.<api>.v1; empty for the edge
	Port        int      // default gRPC port (HTTP for the edge)
	MetricsPort int      // metrics port under make up / make run
	Routed      bool     // the REST edge routes the API
	Calls       []string // services it calls over gRPC
}

// AddrVar is the variable that carries the service's gRPC address to its
// callers (the gateway and other services): HIRFA_<API>_ADDR.
func (s Service) AddrVar() string { return "HIRFA_" + strings.ToUpper(s.API) + "_ADDR" }

// DefaultAddr is the loopback address of the service under make run.
func (s Service) DefaultAddr() string { return "127.0.0.1:" + strconv.Itoa(s.Port) }

var (
	nameRe = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	apiRe  = regexp.MustCompile(`^[a-z][a-z0-9]*$`)
)

// Parse reads a manifest in the format of manifest.txt and checks it: unique
// names, APIs and ports, known roles, callees listed earlier.
func Parse(text string) ([]Service, error) {
	var out []Service
	seen := map[string]bool{}
	apis := map[string]bool{}
	ports := map[int]string{}
	for i, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		bad := func(format string, a ...any) error {
			return fmt.Errorf("manifest line %d: %s", i+1, fmt.Sprintf(format, a...))
		}
		if len(f) != 7 {
			return nil, bad("want 7 columns (name role api port metrics routed calls), got %d", len(f))
		}
		s := Service{Name: f[0], Role: Role(f[1]), Routed: f[5] == "yes"}
		if !nameRe.MatchString(s.Name) {
			return nil, bad("name %q: lower-case words joined by '-'", s.Name)
		}
		if seen[s.Name] {
			return nil, bad("service %s listed twice", s.Name)
		}
		switch s.Role {
		case GRPC:
			if !apiRe.MatchString(f[2]) {
				return nil, bad("%s: api %q: lower-case letters and digits", s.Name, f[2])
			}
			s.API = f[2]
			if apis[s.API] {
				return nil, bad("%s: api %s served twice", s.Name, s.API)
			}
			apis[s.API] = true
		case Edge:
			if f[2] != "-" || s.Routed {
				return nil, bad("%s: the edge has no api and is not routed (write - for both)", s.Name)
			}
		default:
			return nil, bad("%s: role %q: grpc or edge", s.Name, f[1])
		}
		if f[5] != "yes" && f[5] != "-" {
			return nil, bad("%s: routed %q: yes or -", s.Name, f[5])
		}
		var err error
		for _, p := range []struct {
			v   string
			dst *int
		}{{f[3], &s.Port}, {f[4], &s.MetricsPort}} {
			if *p.dst, err = strconv.Atoi(p.v); err != nil || *p.dst < 1024 || *p.dst > 65535 {
				return nil, bad("%s: port %q: a number from 1024 to 65535", s.Name, p.v)
			}
			if other, dup := ports[*p.dst]; dup {
				return nil, bad("%s: port %d already used by %s", s.Name, *p.dst, other)
			}
			ports[*p.dst] = s.Name
		}
		if f[6] != "-" {
			for _, c := range strings.Split(f[6], ",") {
				if !seen[c] {
					return nil, bad("%s calls %s, which is not listed before it", s.Name, c)
				}
				s.Calls = append(s.Calls, c)
			}
		}
		seen[s.Name] = true
		out = append(out, s)
	}
	return out, nil
}

var all = func() []Service {
	s, err := Parse(manifest)
	if err != nil {
		panic("pkg/suite: " + err.Error())
	}
	return s
}()

// Services returns the suite's services in manifest (start) order.
func Services() []Service { return append([]Service(nil), all...) }

// ByName returns the named service.
func ByName(name string) (Service, bool) {
	for _, s := range all {
		if s.Name == name {
			return s, true
		}
	}
	return Service{}, false
}

// ByAPI returns the gRPC service serving api.
func ByAPI(api string) (Service, bool) {
	for _, s := range all {
		if s.API == api && s.Role == GRPC {
			return s, true
		}
	}
	return Service{}, false
}

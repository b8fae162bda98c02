package edge

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// router sends a REST call to the grpc-gateway mux of the one service
// whose route templates hold its path. A single mux over every API checks its
// patterns one after another, and each pattern that does not match
// allocates an error: with ~84 GET patterns that was a sixth of the edge's
// CPU per call. The trie here walks the path once, without allocating, and
// the chosen mux then checks only its own service's patterns — which keeps
// grpc-gateway's own matching, 405 and error answers exactly as they were.
//
// The trie ignores the HTTP method on purpose: a path that an API serves
// under another method goes to that API's mux, which answers 405 as the
// single mux did.
type router struct {
	root  *routeNode
	muxes []http.Handler // by the index stored in the trie: a service's mux, or a backend's
	names []string       // by the same index: the proto service, or hirfa.<api>.v1 for a backend's
	// groups serve a path that templates of two services of one backend
	// match (a lookup bound on another service's resource): the backend's
	// mux over all its services keeps grpc-gateway's own precedence.
	groups []group
	// all serves a path that templates of two backends match (none do
	// today): a mux over every backend.
	all http.Handler
	// fail answers a path no API serves (404) or a path without a leading
	// slash (400), through the mux's routing error handler.
	fail func(w http.ResponseWriter, r *http.Request, status int)
}

type group struct {
	mask uint64 // the trie indices of the backend's muxes
	mux  http.Handler
}

// routeNode is one path segment of the templates. apis and verbs are
// bitmasks of API indices whose templates end at this node, without and
// with a custom verb (":merge" after the last segment).
type routeNode struct {
	lit   map[string]*routeNode
	wild  *routeNode // a "*" segment or a {var} with no pattern
	apis  uint64
	verbs map[string]uint64
}

const maxMuxes = 64 // the masks are uint64

func (n *routeNode) child(seg string) *routeNode {
	if seg == "*" {
		if n.wild == nil {
			n.wild = &routeNode{}
		}
		return n.wild
	}
	if n.lit == nil {
		n.lit = map[string]*routeNode{}
	}
	c := n.lit[seg]
	if c == nil {
		c = &routeNode{}
		n.lit[seg] = c
	}
	return c
}

// add records that API api serves template (an HTTP rule path such as
// "/v1/{name=chambers/*/cooperatives/*}:merge").
func (n *routeNode) add(template string, api int) error {
	segs, verb, err := parseTemplate(template)
	if err != nil {
		return err
	}
	for _, s := range segs {
		n = n.child(s)
	}
	if verb == "" {
		n.apis |= 1 << api
		return nil
	}
	if n.verbs == nil {
		n.verbs = map[string]uint64{}
	}
	n.verbs[verb] |= 1 << api
	return nil
}

// parseTemplate turns an HTTP rule template into its segments ("*" for a
// wildcard, a variable's own pattern spliced in) and its verb.
func parseTemplate(t string) (segs []string, verb string, err error) {
	if !strings.HasPrefix(t, "/") {
		return nil, "", fmt.Errorf("route template %q: no leading slash", t)
	}
	path := t[1:]
	// The verb follows the last segment; a colon inside a variable's
	// braces is not one.
	if i := strings.LastIndexByte(path, ':'); i >= 0 && i > strings.LastIndexByte(path, '/') && i > strings.LastIndexByte(path, '}') {
		path, verb = path[:i], path[i+1:]
	}
	var b strings.Builder
	for len(path) > 0 {
		open := strings.IndexByte(path, '{')
		if open < 0 {
			b.WriteString(path)
			break
		}
		end := strings.IndexByte(path[open:], '}')
		if end < 0 {
			return nil, "", fmt.Errorf("route template %q: unclosed variable", t)
		}
		b.WriteString(path[:open])
		v := path[open+1 : open+end]
		if _, pat, ok := strings.Cut(v, "="); ok {
			b.WriteString(pat)
		} else {
			b.WriteString("*")
		}
		path = path[open+end+1:]
	}
	segs = strings.Split(b.String(), "/")
	for _, s := range segs {
		if s == "**" {
			// Not used by any Hirfa API; supporting it means matching any
			// number of segments, which the trie does not do.
			return nil, "", fmt.Errorf("route template %q: ** is not routed by the edge", t)
		}
	}
	return segs, verb, nil
}

// match returns the APIs whose templates match the path (without its
// leading slash), split as grpc-gateway splits it: on every "/", so a
// trailing slash is an empty last segment.
func (n *routeNode) match(path string) uint64 {
	seg, rest, more := strings.Cut(path, "/")
	if more {
		var m uint64
		if c := n.lit[seg]; c != nil {
			m |= c.match(rest)
		}
		if n.wild != nil {
			m |= n.wild.match(rest)
		}
		return m
	}
	var m uint64
	if c := n.lit[seg]; c != nil {
		m |= c.apis
	}
	if n.wild != nil {
		m |= n.wild.apis
	}
	// A custom verb: grpc-gateway takes the suffix ":verb" off the last
	// segment when a pattern has that verb and something precedes it.
	for i := 1; i < len(seg); i++ {
		if seg[i] != ':' {
			continue
		}
		pre, verb := seg[:i], seg[i+1:]
		if c := n.lit[pre]; c != nil {
			m |= c.verbs[verb]
		}
		if n.wild != nil {
			m |= n.wild.verbs[verb]
		}
	}
	return m
}

func (rt *router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// grpc-gateway's default (legacy) unescaping matches on the decoded path.
	path := r.URL.Path
	if !strings.HasPrefix(path, "/") {
		rt.fail(w, r, http.StatusBadRequest)
		return
	}
	m := rt.root.match(path[1:])
	if m == 0 {
		rt.fail(w, r, http.StatusNotFound)
		return
	}
	if m&(m-1) == 0 { // one mux
		rt.muxes[trailingZeros(m)].ServeHTTP(w, r)
		return
	}
	for _, g := range rt.groups {
		if m&^g.mask == 0 {
			g.mux.ServeHTTP(w, r)
			return
		}
	}
	rt.all.ServeHTTP(w, r)
}

func trailingZeros(m uint64) int {
	n := 0
	for m&1 == 0 {
		m >>= 1
		n++
	}
	return n
}

// apiTemplates lists the HTTP rule templates of every method of the proto
// package hirfa.<api>.v1 (from the descriptors the generated packages
// register), additional bindings included.
func apiTemplates(api string) []string {
	var out []string
	protoregistry.GlobalFiles.RangeFilesByPackage(protoreflect.FullName("hirfa."+api+".v1"), func(f protoreflect.FileDescriptor) bool {
		svcs := f.Services()
		for i := range svcs.Len() {
			out = append(out, serviceTemplates(svcs.Get(i))...)
		}
		return true
	})
	return out
}

// serviceTemplates lists the HTTP rule templates of a service's methods.
func serviceTemplates(sd protoreflect.ServiceDescriptor) []string {
	var out []string
	ms := sd.Methods()
	for j := range ms.Len() {
		rule, _ := proto.GetExtension(ms.Get(j).Options(), annotations.E_Http).(*annotations.HttpRule)
		out = appendRule(out, rule)
	}
	return out
}

func appendRule(out []string, rule *annotations.HttpRule) []string {
	if rule == nil {
		return out
	}
	var t string
	switch p := rule.GetPattern().(type) {
	case *annotations.HttpRule_Get:
		t = p.Get
	case *annotations.HttpRule_Put:
		t = p.Put
	case *annotations.HttpRule_Post:
		t = p.Post
	case *annotations.HttpRule_Delete:
		t = p.Delete
	case *annotations.HttpRule_Patch:
		t = p.Patch
	case *annotations.HttpRule_Custom:
		t = p.Custom.GetPath()
	}
	if t != "" {
		out = append(out, t)
	}
	for _, b := range rule.GetAdditionalBindings() {
		out = appendRule(out, b)
	}
	return out
}

// newRouter builds the trie and the muxes it routes to, all with the same
// options: one per service of a backend whose routes are the generated
// table's, one per backend otherwise (routes given by hand), plus the
// backend's mux over all its services for paths two of them match. A mux
// over every backend is built only when templates of two backends overlap.
func newRouter(log *slog.Logger, backends []Backend, opts []runtime.ServeMuxOption, register func(*runtime.ServeMux, Backend) error) (*router, error) {
	fail := routingErrorHandler(log)
	rt := &router{root: &routeNode{}, fail: func(w http.ResponseWriter, r *http.Request, status int) {
		fail(r.Context(), nil, nil, w, r, status)
	}}
	newMux := func(b Backend) (*runtime.ServeMux, error) {
		mux := runtime.NewServeMux(opts...)
		return mux, register(mux, b)
	}
	// add routes templates to a new trie index served by mux.
	add := func(b Backend, name string, mux http.Handler, templates []string, own *[]template) error {
		i := len(rt.muxes)
		if i == maxMuxes {
			return fmt.Errorf("the edge routes to at most %d muxes", maxMuxes)
		}
		if len(templates) == 0 && len(b.Register) > 0 {
			return fmt.Errorf("%s: no REST route templates for api %s in the proto descriptors", b.Name, b.API)
		}
		rt.muxes = append(rt.muxes, mux)
		rt.names = append(rt.names, name)
		for _, t := range templates {
			if err := rt.root.add(t, i); err != nil {
				return fmt.Errorf("%s: %w", b.Name, err)
			}
			segs, verb, _ := parseTemplate(t)
			*own = append(*own, template{segs, verb})
		}
		return nil
	}
	var parsed [][]template
	for _, b := range backends {
		var own []template
		whole, err := newMux(b)
		if err != nil {
			return nil, err
		}
		svcs := apiServices[b.API]
		if gen := apis[b.API]; len(b.Register) == 0 || len(b.Register) != len(gen) || &b.Register[0] != &gen[0] || len(svcs) != len(gen) {
			if err := add(b, "hirfa."+b.API+".v1", whole, apiTemplates(b.API), &own); err != nil {
				return nil, err
			}
			parsed = append(parsed, own)
			continue
		}
		first := len(rt.muxes)
		for k, reg := range b.Register {
			sd, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(svcs[k]))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", b.Name, err)
			}
			one := b
			one.Register = []RegisterFunc{reg}
			mux, err := newMux(one)
			if err != nil {
				return nil, err
			}
			if err := add(one, svcs[k], mux, serviceTemplates(sd.(protoreflect.ServiceDescriptor)), &own); err != nil {
				return nil, err
			}
		}
		var mask uint64
		for i := first; i < len(rt.muxes); i++ {
			mask |= 1 << i
		}
		rt.groups = append(rt.groups, group{mask: mask, mux: whole})
		parsed = append(parsed, own)
	}
	if overlapping(parsed) {
		all := runtime.NewServeMux(opts...)
		for _, b := range backends {
			if err := register(all, b); err != nil {
				return nil, err
			}
		}
		rt.all = all
	}
	return rt, nil
}

type template struct {
	segs []string
	verb string
}

// overlaps reports whether some path matches both templates.
func (t template) overlaps(u template) bool {
	if len(t.segs) != len(u.segs) {
		return false
	}
	if t.verb != u.verb {
		// A last "*" without a verb takes "x:verb" whole.
		if t.verb != "" && u.verb != "" {
			return false
		}
		if t.verb != "" {
			t, u = u, t
		}
		if t.segs[len(t.segs)-1] != "*" {
			return false
		}
	}
	for i, s := range t.segs {
		if s != u.segs[i] && s != "*" && u.segs[i] != "*" {
			return false
		}
	}
	return true
}

// overlapping reports whether a template of one backend overlaps one of
// another backend.
func overlapping(byBackend [][]template) bool {
	for i, ts := range byBackend {
		for _, us := range byBackend[i+1:] {
			for _, t := range ts {
				for _, u := range us {
					if t.overlaps(u) {
						return true
					}
				}
			}
		}
	}
	return false
}

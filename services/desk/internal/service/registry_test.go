package service

import (
	"context"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
)

// testRegistry is the registry's side of the look-ups, as in
// events-and-fairs' tests: the generated registry server on a real loopback
// gRPC listener, answering from its own records. Only the peer's data is
// made up; the transport, deadline, retries and token forwarding are the
// desk's real client.
type testRegistry struct {
	registryv1.UnsafeRegistrantServiceServer

	addr string
	srv  *grpc.Server

	mu       sync.Mutex
	records  map[string]*registryv1.RegistrantStanding
	artisans map[string]*registryv1.Artisan
	calls    map[string]int
}

// knownRegistrants are the registrants the desk's tests name, recorded in
// every test registry.
var knownRegistrants = []string{
	"chambers/fes-meknes/artisans/a1", "chambers/fes-meknes/artisans/a2",
	"chambers/fes-meknes/cooperatives/c1", "chambers/fes-meknes/associations/a1",
	"chambers/marrakech-safi/artisans/a1", "chambers/oriental/artisans/a1",
}

func newTestRegistry(t *testing.T) *testRegistry {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &testRegistry{addr: lis.Addr().String(), srv: grpc.NewServer(),
		records: map[string]*registryv1.RegistrantStanding{}, calls: map[string]int{}}
	for _, n := range knownRegistrants {
		r.put(n)
	}
	registryv1.RegisterRegistrantServiceServer(r.srv, r)
	r.srv.RegisterService(r.artisanService(), r)
	go func() { _ = r.srv.Serve(lis) }()
	t.Cleanup(r.srv.Stop)
	return r
}

var registrantTypes = map[string]registryv1.RegistrantStanding_Type{
	"artisans": registryv1.RegistrantStanding_ARTISAN, "cooperatives": registryv1.RegistrantStanding_COOPERATIVE,
	"associations": registryv1.RegistrantStanding_ASSOCIATION, "enterprises": registryv1.RegistrantStanding_ENTERPRISE,
}

// put records a live registrant named chambers/{c}/{collection}/{id}.
func (r *testRegistry) put(name string) {
	p := strings.Split(name, "/")
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records[name] = &registryv1.RegistrantStanding{Name: name, Chamber: p[1], Type: registrantTypes[p[2]],
		State: "REGISTERED", Standing: registryv1.RegistrantStanding_LIVE}
}

func (r *testRegistry) callsOf(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[name]
}

// LookupRegistrant answers from the records, NotFound otherwise, as the
// registry does.
func (r *testRegistry) LookupRegistrant(_ context.Context, req *registryv1.LookupRegistrantRequest) (*registryv1.RegistrantStanding, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls[req.GetName()]++
	m, ok := r.records[req.GetName()]
	if !ok {
		return nil, status.Error(codes.NotFound, req.GetName()+" not found")
	}
	return m, nil
}

// ListRegistrantFacts lists the recorded artisans of the parent's chamber
// (every chamber for chambers/-); the desk does not call it.
func (r *testRegistry) ListRegistrantFacts(_ context.Context, req *registryv1.ListRegistrantFactsRequest) (*registryv1.ListRegistrantFactsResponse, error) {
	chamber := strings.TrimPrefix(req.GetParent(), "chambers/")
	r.mu.Lock()
	defer r.mu.Unlock()
	out := &registryv1.ListRegistrantFactsResponse{}
	for name, m := range r.records {
		if m.GetType() != registryv1.RegistrantStanding_ARTISAN || (chamber != "-" && m.GetChamber() != chamber) {
			continue
		}
		out.Facts = append(out.Facts, &registryv1.RegistrantFact{Name: name, State: registryv1.Artisan_REGISTERED})
	}
	slices.SortFunc(out.Facts, func(a, b *registryv1.RegistrantFact) int { return strings.Compare(a.GetName(), b.GetName()) })
	return out, nil
}

// putArtisan records an artisan's full record, answered by GetArtisan, and
// its standing for LookupRegistrant.
func (r *testRegistry) putArtisan(a *registryv1.Artisan) {
	r.put(a.GetName())
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.artisans == nil {
		r.artisans = map[string]*registryv1.Artisan{}
	}
	r.artisans[a.GetName()] = a
}

// artisanService serves the one ArtisanService method the desk calls,
// GetArtisan, from the recorded artisans (NotFound otherwise, as the
// registry answers for another chamber's artisan too).
func (r *testRegistry) artisanService() *grpc.ServiceDesc {
	return &grpc.ServiceDesc{ServiceName: "hirfa.registry.v1.ArtisanService", HandlerType: (*any)(nil),
		Methods: []grpc.MethodDesc{{MethodName: "GetArtisan", Handler: func(_ any, ctx context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
			var req registryv1.GetArtisanRequest
			if err := dec(&req); err != nil {
				return nil, err
			}
			r.mu.Lock()
			defer r.mu.Unlock()
			r.calls[req.GetName()]++
			a, ok := r.artisans[req.GetName()]
			if !ok {
				return nil, status.Error(codes.NotFound, req.GetName()+" not found")
			}
			return a, nil
		}}}}
}

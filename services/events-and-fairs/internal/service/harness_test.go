package service

import (
	"context"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
	"github.com/hirfa/hirfa/pkg/svckit/svctest"
	"github.com/hirfa/hirfa/pkg/testenv"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// fakeRegistry is the registry's side of the look-ups: the generated
// registry servers on a real loopback gRPC listener, answering from a map
// of records. Only the peer's data is fake; the transport, deadlines,
// retries and token forwarding are the real ones.
type fakeRegistry struct {
	registryv1.UnsafeRegistrantServiceServer

	addr string
	srv  *grpc.Server

	mu      sync.Mutex
	records map[string]*registryv1.RegistrantStanding
	// unavailable[name] is how many more look-ups of name answer UNAVAILABLE.
	unavailable map[string]int
	// slow[name] delays the answer about name.
	slow  map[string]time.Duration
	calls map[string]int
	// tokens are the bearer tokens the look-ups carried.
	tokens map[string]bool
}

func newFakeRegistry(t *testing.T) *fakeRegistry {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeRegistry{addr: lis.Addr().String(), srv: grpc.NewServer(), records: map[string]*registryv1.RegistrantStanding{},
		unavailable: map[string]int{}, slow: map[string]time.Duration{}, calls: map[string]int{}, tokens: map[string]bool{}}
	registryv1.RegisterRegistrantServiceServer(f.srv, f)
	go func() { _ = f.srv.Serve(lis) }()
	t.Cleanup(f.srv.Stop)
	return f
}

func (f *fakeRegistry) put(name string, m *registryv1.RegistrantStanding) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.records[name] = m
}

func (f *fakeRegistry) get(ctx context.Context, name string) (*registryv1.RegistrantStanding, error) {
	f.mu.Lock()
	f.calls[name]++
	if md, ok := metadata.FromIncomingContext(ctx); ok {
		for _, v := range md.Get("authorization") {
			f.tokens[strings.TrimPrefix(v, "Bearer ")] = true
		}
	}
	delay := f.slow[name]
	down := f.unavailable[name] > 0
	if down {
		f.unavailable[name]--
	}
	m, ok := f.records[name]
	f.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if down {
		return nil, status.Error(codes.Unavailable, "registry restarting")
	}
	if !ok {
		return nil, status.Error(codes.NotFound, name+" not found")
	}
	return m, nil
}

func (f *fakeRegistry) callsOf(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[name]
}

func (f *fakeRegistry) sawToken(tok string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokens[tok]
}

// ListRegistrantFacts answers the census read from the stored artisans, as
// the registry does: the parent's chamber (or every one for chambers/-), an
// activity code or a prefix of whole segments, the province and states.
func (f *fakeRegistry) ListRegistrantFacts(_ context.Context, r *registryv1.ListRegistrantFactsRequest) (*registryv1.ListRegistrantFactsResponse, error) {
	chamber := strings.TrimPrefix(r.GetParent(), "chambers/")
	states := map[registryv1.Artisan_State]bool{}
	for _, st := range r.GetStates() {
		states[st] = true
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	out := &registryv1.ListRegistrantFactsResponse{}
	for name, m := range f.records {
		st := registryv1.Artisan_State(registryv1.Artisan_State_value[m.GetState()])
		switch {
		case m.GetType() != registryv1.RegistrantStanding_ARTISAN,
			chamber != "-" && m.GetChamber() != chamber,
			m.GetActivity() != r.GetActivity() && !strings.HasPrefix(m.GetActivity(), r.GetActivity()+"."),
			r.GetProvince() != "" && m.GetProvince() != r.GetProvince(),
			len(states) > 0 && !states[st]:
			continue
		}
		out.Facts = append(out.Facts, &registryv1.RegistrantFact{Name: name, State: st, Activity: m.GetActivity(), Province: m.GetProvince()})
	}
	slices.SortFunc(out.Facts, func(a, b *registryv1.RegistrantFact) int { return strings.Compare(a.GetName(), b.GetName()) })
	return out, nil
}

// LookupRegistrant answers from the stored facts, as the registry does.
func (f *fakeRegistry) LookupRegistrant(ctx context.Context, r *registryv1.LookupRegistrantRequest) (*registryv1.RegistrantStanding, error) {
	return f.get(ctx, r.GetName())
}

// artisan records a registered artisan in the fake registry and returns its name.
func (f *fakeRegistry) artisan(chamber, id string, g registryv1.Artisan_Gender, activity string, st registryv1.Artisan_State) string {
	name := "chambers/" + chamber + "/artisans/" + id
	province := map[string]string{"fes-meknes": "fes", "marrakech-safi": "safi"}[chamber]
	standing := map[registryv1.Artisan_State]registryv1.RegistrantStanding_Standing{
		registryv1.Artisan_REGISTERED: registryv1.RegistrantStanding_LIVE, registryv1.Artisan_APPLICANT: registryv1.RegistrantStanding_NOT_REGISTERED,
		registryv1.Artisan_SUSPENDED: registryv1.RegistrantStanding_INACTIVE, registryv1.Artisan_STRUCK_OFF: registryv1.RegistrantStanding_STRUCK_OFF,
	}[st]
	f.put(name, &registryv1.RegistrantStanding{Name: name, Chamber: chamber, Type: registryv1.RegistrantStanding_ARTISAN, WomenQuota: g == registryv1.Artisan_FEMALE,
		Province: province, Activity: activity, State: st.String(), Standing: standing})
	return name
}

// env is the service served over a real loopback gRPC connection, with a
// fake registry as its peer.
type env struct {
	svc      *Service
	conn     *grpc.ClientConn
	issuer   *devissuer.Issuer
	logs     *testenv.LogBuffer
	registry *fakeRegistry
}

type options struct {
	dbURL           string
	registryAddr    string // "" = the fake registry
	registryTimeout string
	seedDemo        bool // the demo profile (HIRFA_SEED_DEMO)
}

// start serves the service on a fresh database.
func start(t *testing.T, o options) *env {
	t.Helper()
	reg := newFakeRegistry(t)
	if o.registryAddr == "" {
		o.registryAddr = reg.addr
	}
	if o.registryTimeout == "" {
		o.registryTimeout = "3s"
	}
	s := svctest.Start(t, Name, Load, New, svctest.Options{DatabaseURL: o.dbURL, Vars: map[string]string{
		"HIRFA_REGISTRY_ADDR":    o.registryAddr,
		"HIRFA_REGISTRY_TIMEOUT": o.registryTimeout,
		"HIRFA_SEED_DEMO":        strconv.FormatBool(o.seedDemo),
	}})
	return &env{svc: s.Svc, conn: s.Conn, issuer: s.Issuer, logs: s.Logs, registry: reg}
}

// token issues a token for the principal.
func (e *env) token(t *testing.T, role auth.Role, chamber string) string {
	t.Helper()
	return svctest.Token(t, e.issuer, string(role)+"@"+chamber, role, chamber)
}

// as returns a context carrying a token for the principal.
func (e *env) as(t *testing.T, role auth.Role, chamber string) context.Context {
	t.Helper()
	return svctest.Bearer(e.token(t, role, chamber))
}

func (e *env) clerk(t *testing.T) context.Context {
	return e.as(t, auth.RoleChamberClerk, "fes-meknes")
}

func (e *env) events() eventsfairsv1.EventServiceClient {
	return eventsfairsv1.NewEventServiceClient(e.conn)
}
func (e *env) fairs() eventsfairsv1.FairServiceClient {
	return eventsfairsv1.NewFairServiceClient(e.conn)
}
func (e *env) regs() eventsfairsv1.RegistrationServiceClient {
	return eventsfairsv1.NewRegistrationServiceClient(e.conn)
}
func (e *env) assemblies() eventsfairsv1.AssemblyServiceClient {
	return eventsfairsv1.NewAssemblyServiceClient(e.conn)
}
func (e *env) agreements() eventsfairsv1.AgreementServiceClient {
	return eventsfairsv1.NewAgreementServiceClient(e.conn)
}

// rows counts rows of a table (outbox, audit_records, exhibitors, …).
func (e *env) rows(t *testing.T, table string) int {
	t.Helper()
	return svctest.Rows(t, e.svc.DB, table)
}

// writes is the number of changes recorded so far (svctest.Writes).
func (e *env) writes(t *testing.T) [2]int { t.Helper(); return svctest.Writes(t, e.svc.DB) }

// eventTypes lists the outbox event types in order.
func (e *env) eventTypes(t *testing.T) []string {
	t.Helper()
	return svctest.EventTypes(t, e.svc.DB, "hirfa.eventsfairs.v1.")
}

func code(err error) codes.Code { return status.Code(err) }

var (
	errorInfo = svctest.ErrorInfo
	// reason is the ErrorInfo reason of err ("" when none).
	reason = svctest.Reason
)

// wantErr fails unless err has code c and reason r (r "" skips the reason),
// in this service's error domain.
func wantErr(t *testing.T, what string, err error, c codes.Code, r string) {
	t.Helper()
	svctest.WantErr(t, what, err, c, r, "eventsfairs.hirfa", "auth.hirfa")
}

// must returns v, failing the test on err: must(call())(t).
func must[T any](v T, err error) func(testing.TB) T { return svctest.Must(v, err) }

func postgresURL(t *testing.T) string { return testenv.Postgres(t) }

func lt(ar, fr string) *typev1.LocalizedText { return &typev1.LocalizedText{Ar: ar, Fr: fr} }

// newFair plans a fair in Fès-Meknès.
func newFair(title, start, end string, quotas ...*eventsfairsv1.QuotaRule) *eventsfairsv1.Event {
	return &eventsfairsv1.Event{Kind: eventsfairsv1.Event_FAIR, Scope: eventsfairsv1.Event_REGIONAL,
		Title: lt("معرض "+title, "Salon "+title), StartDate: start, EndDate: end,
		Venue: &eventsfairsv1.Venue{Province: "fes", City: "Fès"}, Fair: &eventsfairsv1.FairSettings{Quotas: quotas}}
}

// openFair creates a fair with booths numbered 1..booths and opens applications.
func (e *env) openFair(t *testing.T, ctx context.Context, ev *eventsfairsv1.Event, booths int) (*eventsfairsv1.Event, []*eventsfairsv1.Booth) {
	t.Helper()
	f := must(e.events().CreateEvent(ctx, &eventsfairsv1.CreateEventRequest{Parent: "chambers/fes-meknes", Event: ev}))(t)
	var bs []*eventsfairsv1.Booth
	for i := 1; i <= booths; i++ {
		bs = append(bs, must(e.fairs().CreateBooth(ctx, &eventsfairsv1.CreateBoothRequest{Parent: f.GetName(),
			Booth: &eventsfairsv1.Booth{Number: "B-" + strconv.Itoa(i), AreaM2: 9, Zone: "Hall A", FeeCentimes: 500_00}}))(t))
	}
	f = must(e.events().OpenApplications(ctx, &eventsfairsv1.OpenApplicationsRequest{Name: f.GetName()}))(t)
	return f, bs
}

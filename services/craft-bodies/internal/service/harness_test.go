package service

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
	"github.com/hirfa/hirfa/pkg/svckit/svctest"
	"github.com/hirfa/hirfa/pkg/testenv"
	cbv1 "github.com/hirfa/hirfa/proto/gen/hirfa/craftbodies/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
)

// TestMain runs the tests; the peers started for them get SIGTERM when
// the test process ends (Pdeathsig), since testenv.Main exits directly.
func TestMain(m *testing.M) { testenv.Main(m) }

// peers are the real registry and events-and-fairs, built from this
// repository and run as processes (their packages are internal to their
// modules), shared by the tests of this package: the registry with its demo
// register (the Fès tanners and embroiderers the census counts), and
// events-and-fairs calling it. Tests only read the register and add events.
type peerSet struct {
	dir          string
	keyFile      string
	registryAddr string
	eventsAddr   string
	procs        []*exec.Cmd
}

var (
	peersOnce sync.Once
	shared    *peerSet
	peersErr  error
)

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// binaries builds (or finds in HIRFA_E2E_BIN) the peers' binaries.
func binaries(dir string) (string, error) {
	if d := os.Getenv("HIRFA_E2E_BIN"); d != "" {
		return d, nil
	}
	root, err := filepath.Abs("../../../..")
	if err != nil {
		return "", err
	}
	for _, s := range []string{"registry", "events-and-fairs"} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, s), "./services/"+s+"/cmd/"+s)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("build %s: %v\n%s", s, err, out)
		}
	}
	return dir, nil
}

func startPeers() (*peerSet, error) {
	dir, err := os.MkdirTemp("", "craftbodies-peers-")
	if err != nil {
		return nil, err
	}
	p := &peerSet{dir: dir, keyFile: filepath.Join(dir, "dev.pem")}
	shared = p
	bin, err := binaries(dir)
	if err != nil {
		return nil, err
	}
	if _, err := devissuer.Load(p.keyFile); err != nil {
		return nil, err
	}
	if p.registryAddr, err = freeAddr(); err != nil {
		return nil, err
	}
	if p.eventsAddr, err = freeAddr(); err != nil {
		return nil, err
	}
	run := func(name, addr string, extra ...string) error {
		log, err := os.Create(filepath.Join(dir, name+".log"))
		if err != nil {
			return err
		}
		cmd := exec.Command(filepath.Join(bin, name))
		cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HIRFA_GRPC_ADDR=" + addr,
			"HIRFA_DATABASE_URL=sqlite://" + filepath.Join(dir, name+".db"), "HIRFA_SEED_DEMO=true",
			"HIRFA_AUTH_DEV_KEY_FILE=" + p.keyFile, "HIRFA_AUTH_DEV=true", "HIRFA_LOG_LEVEL=warn"}, extra...)
		cmd.Stdout, cmd.Stderr = log, log
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
		if err := cmd.Start(); err != nil {
			return err
		}
		p.procs = append(p.procs, cmd)
		return nil
	}
	if err := run("registry", p.registryAddr); err != nil {
		return nil, err
	}
	if err := run("events-and-fairs", p.eventsAddr, "HIRFA_REGISTRY_ADDR="+p.registryAddr); err != nil {
		return nil, err
	}
	// The binaries built here are not needed once running (testenv.Main
	// exits without cleanups, so only the small databases and logs stay).
	if bin == dir {
		_ = os.Remove(filepath.Join(dir, "registry"))
		_ = os.Remove(filepath.Join(dir, "events-and-fairs"))
	}
	// Ready when the registry lists the demo tanners to a Fès clerk.
	iss, err := devissuer.Load(p.keyFile)
	if err != nil {
		return nil, err
	}
	tok, err := iss.Issue(devissuer.Claims{Subject: "probe", Role: auth.RoleChamberClerk, Chamber: "fes-meknes", TTL: time.Hour})
	if err != nil {
		return nil, err
	}
	conn, err := grpc.NewClient(p.registryAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	ctx := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+tok)
	deadline := time.Now().Add(60 * time.Second)
	for {
		r, err := registryv1.NewRegistrantServiceClient(conn).ListRegistrantFacts(ctx, &registryv1.ListRegistrantFactsRequest{
			Parent: "chambers/fes-meknes", Activity: "F1.B03.A01", Province: "fes"})
		if err == nil && len(r.GetFacts()) >= 5 {
			break
		}
		if time.Now().After(deadline) {
			logs, _ := os.ReadFile(filepath.Join(dir, "registry.log"))
			return nil, fmt.Errorf("registry not ready: %v\n%s", err, logs)
		}
		time.Sleep(200 * time.Millisecond)
	}
	return p, nil
}

func peers(t *testing.T) *peerSet {
	t.Helper()
	peersOnce.Do(func() { _, peersErr = startPeers() })
	if peersErr != nil {
		t.Fatalf("start the registry and events-and-fairs: %v", peersErr)
	}
	return shared
}

// env is craft-bodies served over a real loopback gRPC connection, calling
// the real registry and events-and-fairs.
type env struct {
	svc    *Service
	conn   *grpc.ClientConn
	issuer *devissuer.Issuer
	logs   *testenv.LogBuffer
	peers  *peerSet
}

type options struct {
	dbURL        string
	registryAddr string // "" = the running registry
	eventsAddr   string // "" = the running events-and-fairs
	seed         bool
}

// start serves craft-bodies on a fresh database.
func start(t *testing.T, o options) *env {
	t.Helper()
	p := peers(t)
	if o.registryAddr == "" {
		o.registryAddr = p.registryAddr
	}
	if o.eventsAddr == "" {
		o.eventsAddr = p.eventsAddr
	}
	s := svctest.Start(t, Name, Load, New, svctest.Options{KeyFile: p.keyFile, DatabaseURL: o.dbURL, Vars: map[string]string{
		"HIRFA_REGISTRY_ADDR":       o.registryAddr,
		"HIRFA_REGISTRY_TIMEOUT":    "2s",
		"HIRFA_EVENTSFAIRS_ADDR":    o.eventsAddr,
		"HIRFA_EVENTSFAIRS_TIMEOUT": "2s",
		"HIRFA_SEED_DEMO":           strconv.FormatBool(o.seed),
	}})
	return &env{svc: s.Svc, conn: s.Conn, issuer: s.Issuer, logs: s.Logs, peers: p}
}

// as returns a context carrying a token for the principal.
func (e *env) as(t *testing.T, role auth.Role, chamber string) context.Context {
	t.Helper()
	return svctest.Bearer(svctest.Token(t, e.issuer, string(role)+"@"+chamber, role, chamber))
}

func (e *env) clerk(t *testing.T) context.Context {
	return e.as(t, auth.RoleChamberClerk, "fes-meknes")
}

func (e *env) programmes() cbv1.ProgrammeServiceClient { return cbv1.NewProgrammeServiceClient(e.conn) }
func (e *env) bodies() cbv1.CraftBodyServiceClient     { return cbv1.NewCraftBodyServiceClient(e.conn) }
func (e *env) assembly() cbv1.ConstitutiveAssemblyServiceClient {
	return cbv1.NewConstitutiveAssemblyServiceClient(e.conn)
}

// writes is the number of changes recorded so far (svctest.Writes).
func (e *env) writes(t *testing.T) [2]int {
	t.Helper()
	return svctest.Writes(t, e.svc.DB)
}

// eventTypes lists the outbox event types in order.
func (e *env) eventTypes(t *testing.T) []string {
	t.Helper()
	return svctest.EventTypes(t, e.svc.DB, "hirfa.craftbodies.v1.")
}

var (
	errorInfo = svctest.ErrorInfo
	reason    = svctest.Reason
	// fieldOf is the first BadRequest field violation's field ("" when none).
	fieldOf = svctest.FieldOf
)

// wantErr fails unless err has code c and reason r (r "" skips the reason),
// in this service's error domain.
func wantErr(t *testing.T, what string, err error, c codes.Code, r string) {
	t.Helper()
	svctest.WantErr(t, what, err, c, r, "craftbodies.hirfa", "auth.hirfa")
}

func must[T any](v T, err error) func(testing.TB) T { return svctest.Must(v, err) }

func postgresURL(t *testing.T) string { return testenv.Postgres(t) }

func lt(ar, fr string) *typev1.LocalizedText { return &typev1.LocalizedText{Ar: ar, Fr: fr} }

package service

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/eventbus"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/testenv"
	eventv1 "github.com/hirfa/hirfa/proto/gen/hirfa/event/v1"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	reportingv1 "github.com/hirfa/hirfa/proto/gen/hirfa/reporting/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
)

// The producers are other modules' binaries (their composition roots are
// internal to them), so the component tests build them once and run them
// as the embedded default does: each its own process, relaying its outbox
// to the bus reporting reads.
var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

func producerBinaries(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "hirfa-producers-")
		if buildErr != nil {
			return
		}
		for _, name := range []string{"registry", "events-and-fairs"} {
			cmd := exec.Command("go", "build", "-o", filepath.Join(binDir, name), "github.com/hirfa/hirfa/services/"+name+"/cmd/"+name)
			if out, err := cmd.CombinedOutput(); err != nil {
				buildErr = fmt.Errorf("build %s: %v\n%s", name, err, out)
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binDir
}

// producer is a registry or events-and-fairs process.
type producer struct {
	name, addr string
	env        []string
	cmd        *exec.Cmd
	log        string
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startProducer runs a producer and waits until it serves.
func startProducer(t *testing.T, name, dir string, vars map[string]string) *producer {
	t.Helper()
	p := &producer{name: name, addr: freeAddr(t), log: filepath.Join(dir, name+".log")}
	p.env = append(os.Environ(), "HIRFA_GRPC_ADDR="+p.addr, "HIRFA_LOG_LEVEL=warn", "HIRFA_METRICS_ADDR=", "HIRFA_SHUTDOWN_TIMEOUT=3s")
	for k, v := range vars {
		p.env = append(p.env, k+"="+v)
	}
	p.run(t)
	t.Cleanup(func() { p.kill() })
	return p
}

func (p *producer) run(t *testing.T) {
	t.Helper()
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	p.cmd = exec.Command(filepath.Join(binDir, p.name))
	p.cmd.Env, p.cmd.Stdout, p.cmd.Stderr = p.env, f, f
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = p.cmd.Wait(); f.Close() }()
	conn := dial(t, p.addr)
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		r, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
		cancel()
		if err == nil && r.GetStatus() == healthpb.HealthCheckResponse_SERVING {
			return
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(p.log)
			t.Fatalf("%s did not start: %v\n%s", p.name, err, out)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// kill ends the process with SIGKILL (no drain, no flush): a crash.
func (p *producer) kill() {
	if p.cmd != nil && p.cmd.Process != nil {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		time.Sleep(100 * time.Millisecond)
	}
}

func dial(t *testing.T, addr string) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// stack is reporting in-process plus both producers as processes, on one bus.
type stack struct {
	rep  *env
	reg  *producer
	ef   *producer
	regC *grpc.ClientConn
	efC  *grpc.ClientConn
	// What a second reporting needs: the key directory, the bus
	// variables, the producers' databases.
	dir         string
	repVars     map[string]string
	regDB, efDB string
}

func startStack(t *testing.T, backend string) *stack {
	t.Helper()
	producerBinaries(t)
	dir := t.TempDir()
	repDB, regDB, efDB := "", "sqlite://"+filepath.Join(dir, "registry.db"), "sqlite://"+filepath.Join(dir, "events-and-fairs.db")
	busVars := map[string]string{}
	repVars := map[string]string{}
	if backend == "postgres" {
		repDB, regDB, efDB = testenv.Postgres(t), testenv.Postgres(t), testenv.Postgres(t)
		busVars["HIRFA_REDIS_URL"] = testenv.Redis(t)
		busVars["HIRFA_BUS_PREFIX"] = testenv.RedisPrefix(t)
		repVars = busVars
	}
	rep := start(t, options{dbURL: repDB, dir: dir, env: repVars})
	if backend != "postgres" {
		busVars["HIRFA_BUS_ADDR"] = rep.svc.Bus.Addr()
	}
	common := map[string]string{"HIRFA_AUTH_DEV_KEY_FILE": filepath.Join(dir, "dev.pem"), "HIRFA_AUTH_DEV": "true", "HIRFA_SEED_DEMO": "true"}
	for k, v := range busVars {
		common[k] = v
	}
	with := func(m map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	reg := startProducer(t, "registry", dir, with(common, "HIRFA_DATABASE_URL", regDB))
	ef := startProducer(t, "events-and-fairs", dir, with(common, "HIRFA_DATABASE_URL", efDB, "HIRFA_REGISTRY_ADDR", reg.addr))
	if backend != "postgres" {
		repVars = map[string]string{"HIRFA_BUS_ADDR": rep.svc.Bus.Addr()}
	}
	return &stack{rep: rep, reg: reg, ef: ef, regC: dial(t, reg.addr), efC: dial(t, ef.addr), dir: dir, repVars: repVars, regDB: regDB, efDB: efDB}
}

// writeRegistrants creates n artisans in Fès-Meknès (registering every
// other one) and n/2 cooperatives in Marrakech-Safi through the registry's
// gRPC API. Writes refused because the registry is down are not counted:
// the checker reads the registry's own data.
func (s *stack) writeRegistrants(t *testing.T, tag string, n int) {
	t.Helper()
	fes := s.rep.as(t, auth.RoleChamberClerk, "fes-meknes")
	mar := s.rep.as(t, auth.RoleChamberClerk, "marrakech-safi")
	arts := registryv1.NewArtisanServiceClient(s.regC)
	coops := registryv1.NewCooperativeServiceClient(s.regC)
	for i := range n {
		a, err := arts.CreateArtisan(fes, &registryv1.CreateArtisanRequest{Parent: "chambers/fes-meknes", Artisan: &registryv1.Artisan{
			GivenNameAr: "خديجة", FamilyNameAr: "التازي", GivenNameLatin: "Khadija", FamilyNameLatin: "Tazi",
			Cnie: fmt.Sprintf("%s%06d", strings.ToUpper(tag), i), Gender: registryv1.Artisan_Gender(1 + i%2), BirthDate: "1985-05-05",
			Province: []string{"fes", "meknes", "taounate"}[i%3], Activity: "F1.B02.A02", Category: registryv1.Artisan_EXPERIENCED, YearsOfPractice: 6,
		}})
		if err != nil {
			continue
		}
		if i%2 == 0 {
			_, _ = arts.RegisterArtisan(fes, &registryv1.RegisterArtisanRequest{Name: a.GetName()})
		}
		if i%2 == 0 {
			_, _ = coops.CreateCooperative(mar, &registryv1.CreateCooperativeRequest{Parent: "chambers/marrakech-safi", Cooperative: &registryv1.Cooperative{
				DisplayName: &typev1.LocalizedText{Ar: "تعاونية " + tag, Fr: "Coopérative " + tag}, Activity: "F1.B02.A01", Province: []string{"marrakech", "safi"}[i%4/2],
				CapitalCentimes: 500_000, ShareValueCentimes: 10_000, MembersWomen: int32(4 + i%3), MembersMen: 3,
			}})
		}
	}
}

// writeEvents plans n fairs and n trainings in Fès-Meknès through
// events-and-fairs' gRPC API, and cancels every third fair.
func (s *stack) writeEvents(t *testing.T, tag string, n int) {
	t.Helper()
	fes := s.rep.as(t, auth.RoleChamberClerk, "fes-meknes")
	ev := eventsfairsv1.NewEventServiceClient(s.efC)
	for i := range n {
		day := fmt.Sprintf("2026-%02d-%02d", 1+i%12, 1+i%27)
		f, err := ev.CreateEvent(fes, &eventsfairsv1.CreateEventRequest{Parent: "chambers/fes-meknes", Event: &eventsfairsv1.Event{
			Kind: eventsfairsv1.Event_FAIR, Scope: eventsfairsv1.Event_REGIONAL, Title: &typev1.LocalizedText{Ar: "معرض " + tag, Fr: "Salon " + tag},
			StartDate: day, EndDate: day, Venue: &eventsfairsv1.Venue{Province: "fes", City: "Fès"}, Fair: &eventsfairsv1.FairSettings{}}})
		if err != nil {
			t.Fatalf("create fair: %v", err)
		}
		if i%3 == 0 {
			if _, err := ev.CancelEvent(fes, &eventsfairsv1.CancelEventRequest{Name: f.GetName(), Reason: "test"}); err != nil {
				t.Fatalf("cancel fair: %v", err)
			}
		}
		if _, err := ev.CreateEvent(fes, &eventsfairsv1.CreateEventRequest{Parent: "chambers/fes-meknes", Event: &eventsfairsv1.Event{
			Kind: eventsfairsv1.Event_TRAINING, Scope: eventsfairsv1.Event_REGIONAL, Title: &typev1.LocalizedText{Ar: "تكوين " + tag, Fr: "Formation " + tag},
			StartDate: day, EndDate: day, Venue: &eventsfairsv1.Venue{Province: "meknes", City: "Meknès"}}}); err != nil {
			t.Fatalf("create training: %v", err)
		}
	}
}

// counts is a distribution keyed by "province|state".
type counts map[string]int64

// sourceCounts computes, from the registry's own data (its API, national
// reads), artisans and cooperatives by province and state.
func (s *stack) sourceCounts(t *testing.T) map[string]counts {
	t.Helper()
	ctx := s.rep.as(t, auth.RoleMinistry, "")
	out := map[string]counts{"ARTISAN": {}, "COOPERATIVE": {}}
	arts := registryv1.NewArtisanServiceClient(s.regC)
	for tok := ""; ; {
		r, err := arts.ListArtisans(ctx, &registryv1.ListArtisansRequest{Parent: "chambers/-", PageSize: 500, PageToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range r.GetArtisans() {
			out["ARTISAN"][a.GetProvince()+"|"+a.GetState().String()]++
		}
		if tok = r.GetNextPageToken(); tok == "" {
			break
		}
	}
	// Events of the window, not cancelled: fairs and exhibitions together,
	// other kinds each, per chamber (reporting's fairStatistics rules).
	out["EVENT"] = counts{}
	evs := eventsfairsv1.NewEventServiceClient(s.efC)
	for tok := ""; ; {
		r, err := evs.ListEvents(ctx, &eventsfairsv1.ListEventsRequest{Parent: "chambers/-", PageSize: 500, PageToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range r.GetEvents() {
			if e.GetState() == eventsfairsv1.Event_CANCELLED || e.GetStartDate() < windowStart || e.GetStartDate() > windowEnd {
				continue
			}
			chamber := strings.Split(e.GetName(), "/")[1]
			switch e.GetKind() {
			case eventsfairsv1.Event_FAIR, eventsfairsv1.Event_EXHIBITION:
				out["EVENT"][chamber+"|fairs"]++
			default:
				out["EVENT"]["-|"+e.GetKind().String()]++
			}
		}
		if tok = r.GetNextPageToken(); tok == "" {
			break
		}
	}
	coops := registryv1.NewCooperativeServiceClient(s.regC)
	for tok := ""; ; {
		r, err := coops.ListCooperatives(ctx, &registryv1.ListCooperativesRequest{Parent: "chambers/-", PageSize: 500, PageToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range r.GetCooperatives() {
			out["COOPERATIVE"][c.GetProvince()+"|"+c.GetState().String()]++
		}
		if tok = r.GetNextPageToken(); tok == "" {
			break
		}
	}
	return out
}

// projectedCounts asks reporting for the same distributions.
func (s *stack) projectedCounts(t *testing.T) map[string]counts {
	t.Helper()
	ctx := s.rep.as(t, auth.RoleMinistry, "")
	st := reportingv1.NewStatisticsServiceClient(s.rep.conn)
	out := map[string]counts{}
	for typ, v := range map[string]reportingv1.RegistrantType{"ARTISAN": reportingv1.RegistrantType_ARTISAN, "COOPERATIVE": reportingv1.RegistrantType_COOPERATIVE} {
		r, err := st.GetRegisterStatistics(ctx, &reportingv1.GetRegisterStatisticsRequest{Scope: "chambers/-", RegistrantType: v, GroupBy: []string{"province", "state"}})
		if err != nil {
			t.Fatal(err)
		}
		out[typ] = counts{}
		for _, row := range r.GetRows() {
			if row.GetCount() != 0 {
				out[typ][row.GetProvince()+"|"+row.GetState()] = row.GetCount()
			}
		}
	}
	fs, err := st.GetFairStatistics(ctx, &reportingv1.GetFairStatisticsRequest{Scope: "chambers/-", StartDate: windowStart, EndDate: windowEnd})
	if err != nil {
		t.Fatal(err)
	}
	out["EVENT"] = counts{}
	for _, c := range fs.GetPerChamber() {
		if n := c.GetTotals().GetFairs(); n != 0 {
			out["EVENT"][strings.TrimPrefix(c.GetChamber(), "chambers/")+"|fairs"] = n
		}
	}
	for _, k := range fs.GetOtherEvents() {
		if k.GetEvents() != 0 {
			out["EVENT"]["-|"+k.GetKind()] = k.GetEvents()
		}
	}
	return out
}

// The window of the event counts: five years, the longest fairStatistics period.
const windowStart, windowEnd = "2024-01-01", "2028-12-30"

// diff compares: lost = counted by the producer, missing from the
// projection; extra = in the projection beyond the producer's figure
// (duplicated or phantom).
func diff(src, proj map[string]counts) (lost, extra int64, detail []string) {
	for typ, sc := range src {
		keys := map[string]bool{}
		for k := range sc {
			keys[k] = true
		}
		for k := range proj[typ] {
			keys[k] = true
		}
		for k := range keys {
			d := sc[k] - proj[typ][k]
			if d > 0 {
				lost += d
			} else {
				extra -= d
			}
			if d != 0 {
				detail = append(detail, fmt.Sprintf("%s %s: producer %d, projection %d", typ, k, sc[k], proj[typ][k]))
			}
		}
	}
	return lost, extra, detail
}

// consistent waits until every projection count equals the producer's.
func (s *stack) consistent(t *testing.T, within time.Duration) (total int64, took time.Duration) {
	t.Helper()
	begin := time.Now()
	for {
		src := s.sourceCounts(t)
		lost, extra, detail := diff(src, s.projectedCounts(t))
		if lost == 0 && extra == 0 {
			for _, c := range src {
				for _, n := range c {
					total += n
				}
			}
			return total, time.Since(begin)
		}
		if time.Since(begin) > within {
			t.Fatalf("after %s: %d lost, %d duplicated or phantom:\n%s", within, lost, extra, strings.Join(detail, "\n"))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestEventsFlowIntoProjections: the producers' seeds and writes over gRPC
// (registrants in the registry, fairs and trainings in events-and-fairs)
// reach the projections through relay → stream → consumer, and every count
// equals the registry's own; then the faults — the registry killed (-9)
// mid-writes and restarted, the bus's data deleted (relays republish,
// the consumer recreates its group and skips what it applied), a poison
// event — leave 0 lost, 0 duplicated, 0 phantom, and the poison event in
// the dead letters.
func TestEventsFlowIntoProjections(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			if backend == "postgres" {
				testenv.Postgres(t) // skips (or fails under CI) without a server
			}
			s := startStack(t, backend)
			n, took := s.consistent(t, 30*time.Second)
			t.Logf("seed: %d counted records consistent after %s", n, took)
			if n == 0 {
				t.Fatal("the registry's demo data has no artisans or cooperatives")
			}

			s.writeRegistrants(t, "a", 12)
			s.writeEvents(t, "a", 6)
			n, took = s.consistent(t, 20*time.Second)
			t.Logf("writes: %d counted records consistent after %s", n, took)

			// Fault 1: the registry (and its relay) killed mid-writes, restarted.
			done := make(chan struct{})
			go func() { defer close(done); s.writeRegistrants(t, "b", 30) }()
			time.Sleep(150 * time.Millisecond)
			s.reg.kill()
			<-done
			s.reg.run(t)
			s.writeRegistrants(t, "c", 6)
			n, took = s.consistent(t, 30*time.Second)
			t.Logf("after kill -9 of the relay: %d consistent after %s", n, took)

			// Fault 2: the bus loses every key (a Redis restart without
			// persistence): relays republish, the consumer skips duplicates.
			bus := s.rep.svc.Bus
			ctx := context.Background()
			keys, err := bus.Client.Keys(ctx, bus.Prefix+"*").Result()
			if err != nil {
				t.Fatal(err)
			}
			if len(keys) > 0 {
				if err := bus.Client.Del(ctx, keys...).Err(); err != nil {
					t.Fatal(err)
				}
			}
			s.writeRegistrants(t, "d", 6)
			s.writeEvents(t, "d", 3)
			n, took = s.consistent(t, 30*time.Second)
			t.Logf("after the bus lost its data (%d keys): %d consistent after %s", len(keys), n, took)

			// Fault 3: a poison event (an ArtisanCreated whose payload is not
			// an Artisan) goes to the dead letters; the counts stay right.
			env := &eventv1.Envelope{Id: "poison-" + backend, Type: "hirfa.registry.v1.ArtisanCreated", Source: "registry",
				Subject: "chambers/fes-meknes/artisans/poison", Chamber: "fes-meknes", Time: timestamppb.Now(),
				Data: &anypb.Any{TypeUrl: "type.googleapis.com/hirfa.registry.v1.Artisan", Value: []byte{0xff, 0xff, 0xff}}}
			raw, err := proto.Marshal(env)
			if err != nil {
				t.Fatal(err)
			}
			if err := bus.Client.XAdd(ctx, &redis.XAddArgs{Stream: bus.Stream("registry"), Values: map[string]any{"id": env.Id, "type": env.Type, "subject": env.Subject, "envelope": raw}}).Err(); err != nil {
				t.Fatal(err)
			}
			dl := reportingv1.NewDeadLetterServiceClient(s.rep.conn)
			deadline := time.Now().Add(20 * time.Second)
			for {
				r, err := dl.ListDeadLetters(s.rep.as(t, auth.RoleMinistry, ""), &reportingv1.ListDeadLettersRequest{})
				if err != nil {
					t.Fatal(err)
				}
				if len(r.GetDeadLetters()) == 1 && r.GetDeadLetters()[0].GetEventId() == env.Id && r.GetDeadLetters()[0].GetChamber() == "fes-meknes" {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("poison event not dead-lettered: %v", r.GetDeadLetters())
				}
				time.Sleep(200 * time.Millisecond)
			}
			n, _ = s.consistent(t, 10*time.Second)
			t.Logf("after the poison event: %d consistent, 0 lost, 0 duplicated, 0 phantom", n)

			s.rebuildFromSnapshots(t, backend)
		})
	}
}

// rebuildFromSnapshots: reporting and the bus lose everything (a new
// reporting database, a Redis restarted without persistence) after the
// producers pruned their published outbox rows, so no republish can help;
// `registry snapshot` and `events-and-fairs snapshot` replay the producers'
// state and the new projection equals the producers' figures again.
func (s *stack) rebuildFromSnapshots(t *testing.T, backend string) {
	t.Helper()
	ctx := context.Background()
	s.rep.stop() // the embedded bus (SQLite) stops with it
	if backend == "postgres" {
		bus, err := eventbus.Open(eventbus.Options{URL: s.repVars["HIRFA_REDIS_URL"], Prefix: s.repVars["HIRFA_BUS_PREFIX"]})
		if err != nil {
			t.Fatal(err)
		}
		defer bus.Close()
		keys, err := bus.Client.Keys(ctx, bus.Prefix+"*").Result()
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) > 0 {
			if err := bus.Client.Del(ctx, keys...).Err(); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, dsn := range []string{s.regDB, s.efDB} {
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		// The retention passed: nothing published is left to republish.
		_, err = db.Exec(ctx, "DELETE FROM outbox_archive")
		_ = db.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	dbURL := ""
	if backend == "postgres" {
		dbURL = testenv.Postgres(t)
	}
	s.rep = start(t, options{dbURL: dbURL, dir: s.dir, env: s.repVars})
	src := s.sourceCounts(t)
	if lost, _, _ := diff(src, s.projectedCounts(t)); lost == 0 {
		t.Fatal("the new projection has every figure before any snapshot: the test shows nothing")
	}
	for _, p := range []*producer{s.reg, s.ef} {
		cmd := exec.Command(filepath.Join(binDir, p.name), "snapshot")
		cmd.Env = p.env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s snapshot: %v\n%s", p.name, err, out)
		}
	}
	n, took := s.consistent(t, 60*time.Second)
	t.Logf("after reporting and the bus lost everything and the producers replayed snapshots: %d consistent after %s", n, took)
}

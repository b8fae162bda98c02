package edge

import (
	"io"
	"net/http"
	"testing"

	"github.com/hirfa/hirfa/pkg/auth"
)

// BenchmarkRESTGet profiles the edge's own work on a Get: the HTTP server,
// the guard, grpc-gateway and the gRPC client (the registry runs as a
// separate process, so its cost is not in this process's profile).
//
//	tools/dev/services.sh run -- go test -run '^$' -bench RESTGet -cpuprofile /tmp/edge.prof ./services/gateway/internal/edge/
//
// "limited-redis" keeps the per-principal rate limit in the path (with a
// limit the benchmark cannot reach) with one Redis decision per request
// (HIRFA_RATE_LIMIT_SYNC=0), "limited-local" decides it in memory (the
// default); "unlimited" is HIRFA_RATE_LIMITS=off.
func BenchmarkRESTGet(b *testing.B) {
	b.Run("unlimited", func(b *testing.B) { benchRESTGet(b, "off") })
	b.Run("limited-redis", func(b *testing.B) { benchRESTGet(b, "chamber-clerk=1000000/s:1000000") })
	b.Run("limited-local", func(b *testing.B) { benchRESTGet(b, "local:chamber-clerk=1000000/s:1000000") })
}

func benchRESTGet(b *testing.B, limits string) {
	s := startStack(b, limits)
	clerk := s.token(b, auth.RoleChamberClerk, "fes-meknes")
	c := s.do(b, "POST", "/v1/chambers/fes-meknes/cooperatives", clerk, coopBody())
	url := s.url + "/v1/" + c.str("name")
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.ResetTimer()
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("GET", url, nil)
			req.Header.Set("Authorization", "Bearer "+clerk)
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
}

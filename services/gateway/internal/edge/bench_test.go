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
func BenchmarkRESTGet(b *testing.B) {
	s := startStack(b, "off")
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

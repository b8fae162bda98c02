package telemetry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"time"
)

// ReadyCheck reports whether one part of the process can take work; a
// non-nil error says why not.
type ReadyCheck func(context.Context) error

// ReadyTimeout bounds one /readyz answer: every check shares it, so a
// database that does not answer makes the probe fail rather than hang past
// the kubelet's own timeout.
const ReadyTimeout = time.Second

type namedCheck struct {
	name  string
	check ReadyCheck
}

// readiness holds the checks of this process. None means the process is
// still starting (migrations, wiring): not ready.
var readiness = struct {
	sync.Mutex
	next   int
	checks map[int]namedCheck
}{checks: map[int]namedCheck{}}

// AddReadyCheck adds a check that /readyz on the metrics port runs, named
// in its failure message; the returned function removes it (call it when
// the part stops).
func AddReadyCheck(name string, check ReadyCheck) (remove func()) {
	readiness.Lock()
	defer readiness.Unlock()
	id := readiness.next
	readiness.next++
	readiness.checks[id] = namedCheck{name, check}
	return func() {
		readiness.Lock()
		defer readiness.Unlock()
		delete(readiness.checks, id)
	}
}

// Ready runs every check added with AddReadyCheck: nil only when there is
// at least one and all pass.
func Ready(ctx context.Context) error {
	readiness.Lock()
	checks := make([]namedCheck, 0, len(readiness.checks))
	for _, c := range readiness.checks {
		checks = append(checks, c)
	}
	readiness.Unlock()
	if len(checks) == 0 {
		return errors.New("starting")
	}
	sort.Slice(checks, func(i, j int) bool { return checks[i].name < checks[j].name })
	var errs []error
	for _, c := range checks {
		if err := c.check(ctx); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.name, err))
		}
	}
	return errors.Join(errs...)
}

// HealthHandlers adds the plaintext probe endpoints to mux:
//
//	GET /healthz  200 "ok" while the process answers HTTP (liveness: no
//	              dependency is checked, so an unreachable database never
//	              gets a pod restarted);
//	GET /readyz   200 "ok" when ready(ctx) passes within ReadyTimeout,
//	              otherwise 503 with the reason (readiness: the pod leaves
//	              the Service endpoints while it drains or cannot reach its
//	              database).
func HealthHandlers(mux *http.ServeMux, ready ReadyCheck) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), ReadyTimeout)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := ready(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = fmt.Fprintf(w, "not ready: %v\n", err)
			return
		}
		_, _ = io.WriteString(w, "ok\n")
	})
}

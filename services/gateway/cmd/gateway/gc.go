package main

import (
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// edgeGCPercent is the gateway's GOGC unless the operator sets one. The edge
// keeps a small live heap (connections, the route tables) and allocates
// ~35 KB per REST call, most of it dead when the call answers: at Go's
// default of 100 it collected every hundred-odd calls, and marking took
// about a seventh of the CPU in BenchmarkGet's profile (a thirtieth at
// 400). At 400 it collects a fifth as often, for a heap up to five times
// the live one.
const edgeGCPercent = 400

// memoryLimitShare is the share of the container's memory limit the heap
// is held under (a soft limit: the collector works harder near it), so the
// larger GOGC cannot carry the process into the OOM killer under a burst.
const memoryLimitShare = 0.8

// gcSettings is what tuneGC applies; limit 0 leaves the memory limit alone.
type gcSettings struct {
	percent int   // 0: leave GOGC as set
	limit   int64 // bytes; 0: leave GOMEMLIMIT as set (or unset)
}

// tuneGC decides the collector settings: edgeGCPercent unless GOGC is set,
// and a soft memory limit at memoryLimitShare of the container's limit
// (containerMemory; ok=false when there is none) unless GOMEMLIMIT is set.
// An operator's GOGC or GOMEMLIMIT always wins.
func tuneGC(getenv func(string) string, containerMemory func() (int64, bool)) gcSettings {
	var s gcSettings
	if getenv("GOGC") == "" {
		s.percent = edgeGCPercent
	}
	if getenv("GOMEMLIMIT") == "" {
		if n, ok := containerMemory(); ok && n > 0 {
			s.limit = int64(float64(n) * memoryLimitShare)
		}
	}
	return s
}

func (s gcSettings) apply() {
	if s.percent > 0 {
		debug.SetGCPercent(s.percent)
	}
	if s.limit > 0 {
		debug.SetMemoryLimit(s.limit)
	}
}

// cgroupMemoryLimit reads the container's memory limit: cgroup v2's
// memory.max, else cgroup v1's memory.limit_in_bytes. "max" (v2) or v1's
// huge sentinel mean no limit.
func cgroupMemoryLimit() (int64, bool) {
	for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		return parseMemoryLimit(string(b))
	}
	return 0, false
}

// noLimitV1 is above any real limit: cgroup v1 reports "unlimited" as the
// largest page-aligned int64.
const noLimitV1 = 1 << 62

func parseMemoryLimit(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "max" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n >= noLimitV1 {
		return 0, false
	}
	return n, true
}

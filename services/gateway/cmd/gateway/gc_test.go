package main

import "testing"

func TestTuneGC(t *testing.T) {
	limit := func(n int64, ok bool) func() (int64, bool) { return func() (int64, bool) { return n, ok } }
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	for _, c := range []struct {
		name   string
		getenv func(string) string
		mem    func() (int64, bool)
		want   gcSettings
	}{
		{"defaults, no container limit", env(), limit(0, false), gcSettings{percent: edgeGCPercent}},
		{"defaults under a 256 MiB limit", env(), limit(256<<20, true), gcSettings{percent: edgeGCPercent, limit: 256 << 20 * 8 / 10}},
		{"the operator's GOGC wins", env("GOGC", "100"), limit(0, false), gcSettings{}},
		{"GOGC=off is the operator's too", env("GOGC", "off"), limit(256<<20, true), gcSettings{limit: 256 << 20 * 8 / 10}},
		{"the operator's GOMEMLIMIT wins", env("GOMEMLIMIT", "100MiB"), limit(256<<20, true), gcSettings{percent: edgeGCPercent}},
	} {
		if got := tuneGC(c.getenv, c.mem); got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestParseMemoryLimit(t *testing.T) {
	for in, want := range map[string]int64{
		"268435456\n":         268435456,
		"max\n":               0,
		"9223372036854771712": 0, // cgroup v1's "unlimited"
		"":                    0,
		"-1":                  0,
	} {
		n, ok := parseMemoryLimit(in)
		if n != want || ok != (want > 0) {
			t.Errorf("parseMemoryLimit(%q) = %d, %v; want %d", in, n, ok, want)
		}
	}
}

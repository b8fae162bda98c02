package main

import (
	"testing"
	"time"
)

// TestPgSplitCountsNewProcessesFromTheirStart: a pool's connection opened
// during the window counts all its CPU, processes of one database add up,
// and a process that ended meanwhile drops out.
func TestPgSplitCountsNewProcessesFromTheirStart(t *testing.T) {
	before := map[int]pgProcess{
		1: {label: "registry", ticks: 100},
		2: {label: "reporting", ticks: 50},
		3: {label: "walwriter", ticks: 7},
		9: {label: "registry", ticks: 40}, // ended during the window
	}
	after := map[int]pgProcess{
		1: {label: "registry", ticks: 130},
		2: {label: "reporting", ticks: 60},
		3: {label: "walwriter", ticks: 9},
		4: {label: "registry", ticks: 5}, // opened during the window
	}
	got := pgSplit(before, after)
	want := map[string]time.Duration{"registry": 350 * time.Millisecond, "reporting": 100 * time.Millisecond, "walwriter": 20 * time.Millisecond}
	if len(got) != len(want) {
		t.Fatalf("split %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %v, want %v", k, got[k], v)
		}
	}
}

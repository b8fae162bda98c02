package testenv

import (
	"bytes"
	"sync"
)

// LogBuffer collects what a logger writes from concurrent handlers, for
// tests that read the logs back (e.g. to prove a CNIE never reaches them).
type LogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns everything written so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

package localstack

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadEnv(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stack.env")
	body := "export HIRFA_STACK_HTTP='http://127.0.0.1:8080'\n" +
		"export HIRFA_STACK_SERVICES='registry events-and-fairs'\n" +
		"HIRFA_DATABASE_URL='postgres://u@h:1/db?sslmode=disable'\n" +
		"HIRFA_OTLP_ENDPOINT=''\n" +
		"not a variable\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := readEnv(path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"HIRFA_STACK_HTTP":     "http://127.0.0.1:8080",
		"HIRFA_STACK_SERVICES": "registry events-and-fairs",
		"HIRFA_DATABASE_URL":   "postgres://u@h:1/db?sslmode=disable",
		"HIRFA_OTLP_ENDPOINT":  "",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("readEnv (-want +got):\n%s", d)
	}
	s := &Stack{env: got}
	if s.Addr("events-and-fairs") != "" {
		t.Errorf("Addr of a service without an address: %q", s.Addr("events-and-fairs"))
	}
}

func TestRunning(t *testing.T) {
	if !running(os.Getpid()) {
		t.Error("this process is not running")
	}
	// Pid numbers stop below 2^22 on Linux.
	if running(1 << 23) {
		t.Error("a pid beyond pid_max is running")
	}
}

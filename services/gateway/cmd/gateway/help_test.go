package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/services/gateway/internal/config"
)

// TestHelpListsEveryVariableTheLoaderReads drives config.Load with a
// recording getenv and checks --help names each variable, with a meaning.
func TestHelpListsEveryVariableTheLoaderReads(t *testing.T) {
	var read []string
	_, _ = config.Load(func(k string) string { read = append(read, k); return "" })
	if len(read) < 15 {
		t.Fatalf("config.Load read only %d variables", len(read))
	}
	for _, arg := range []string{"-h", "--help", "help"} {
		var out bytes.Buffer
		serve, err := command(&out, []string{arg})
		if err != nil || serve {
			t.Fatalf("%s: serve=%v err=%v", arg, serve, err)
		}
		for _, k := range read {
			line := lineOf(out.String(), "  "+k+" ")
			if line == "" || strings.Contains(line, "(undocumented)") {
				t.Errorf("%s: %s missing or undocumented: %q", arg, k, line)
			}
		}
	}
	var out bytes.Buffer
	_, _ = command(&out, []string{"--help"})
	if f := strings.Fields(lineOf(out.String(), "  HIRFA_HTTP_ADDR ")); len(f) < 2 || f[1] != "127.0.0.1:8080" {
		t.Errorf("HIRFA_HTTP_ADDR default: %q", f)
	}
}

func TestCommands(t *testing.T) {
	for _, args := range [][]string{nil, {"serve"}} {
		if serve, err := command(&bytes.Buffer{}, args); !serve || err != nil {
			t.Errorf("%q: serve=%v err=%v", args, serve, err)
		}
	}
	var out bytes.Buffer
	if serve, err := command(&out, []string{"version"}); serve || err != nil || out.String() != "gateway dev\n" {
		t.Errorf("version: %q serve=%v err=%v", out.String(), serve, err)
	}
	if _, err := command(&out, []string{"--bogus"}); err == nil || !strings.Contains(err.Error(), `unknown command "--bogus"`) {
		t.Errorf("unknown: %v", err)
	}
}

func lineOf(text, prefix string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

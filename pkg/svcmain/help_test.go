package svcmain

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/svcconfig"
)

type testConfig struct {
	svcconfig.Common
	Extra int
}

// testSpec is a service whose loader reads the shared settings plus one
// of its own, as registry's and events-and-fairs' do.
func testSpec(t *testing.T) Spec[testConfig] {
	return Spec[testConfig]{
		Name: "sample", Version: "v1.2.3",
		Meanings: map[string]string{"HIRFA_SAMPLE_EXTRA": "a sample-only setting"},
		Load: func(get svcconfig.Getenv) (testConfig, error) {
			var p svcconfig.Problems
			c := testConfig{Common: svcconfig.LoadCommon(get, &p, "sample", "127.0.0.1:9199")}
			c.Extra = svcconfig.Int(get, &p, "HIRFA_SAMPLE_EXTRA", 7)
			return c, p.Err()
		},
		Common:  func(c testConfig) svcconfig.Common { return c.Common },
		Migrate: func(context.Context, testConfig) error { t.Fatal("help ran migrate"); return nil },
		Serve: func(context.Context, testConfig, *slog.Logger) error {
			t.Fatal("help served")
			return nil
		},
	}
}

// TestHelpListsEveryVariableTheLoaderReads drives the loader with a
// recording getenv of its own (independent of Describe) and checks that
// --help names each variable it read, with a meaning.
func TestHelpListsEveryVariableTheLoaderReads(t *testing.T) {
	s := testSpec(t)
	var read []string
	_, _ = s.Load(func(k string) string { read = append(read, k); return "" })
	if len(read) < 20 {
		t.Fatalf("the loader read only %d variables: %v", len(read), read)
	}
	for _, arg := range []string{"-h", "--help", "help"} {
		var out bytes.Buffer
		if err := run(context.Background(), []string{arg}, s, &out); err != nil {
			t.Fatalf("%s: %v", arg, err)
		}
		help := out.String()
		for _, k := range read {
			line := lineOf(help, "  "+k+" ")
			if line == "" {
				t.Errorf("%s does not list %s:\n%s", arg, k, help)
				continue
			}
			if strings.Contains(line, "(undocumented)") {
				t.Errorf("%s has no meaning: %q", k, line)
			}
		}
		for _, c := range []string{"serve", "migrate", "version"} {
			if lineOf(help, "  "+c+" ") == "" {
				t.Errorf("%s does not list the %s command:\n%s", arg, c, help)
			}
		}
	}
}

// TestHelpShowsDefaults: the defaults are the ones the getters take.
func TestHelpShowsDefaults(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"--help"}, testSpec(t), &out); err != nil {
		t.Fatal(err)
	}
	for k, def := range map[string]string{
		"HIRFA_GRPC_ADDR":        "127.0.0.1:9199",
		"HIRFA_DATABASE_URL":     "sqlite://var/sample.db",
		"HIRFA_SHUTDOWN_TIMEOUT": "20s",
		"HIRFA_GRPC_REFLECTION":  "true",
		"HIRFA_SAMPLE_EXTRA":     "7",
		"HIRFA_AUTH_CACHE_TTL":   "1m0s",
	} {
		f := strings.Fields(lineOf(out.String(), "  "+k+" "))
		if len(f) < 2 || f[1] != def {
			t.Errorf("%s: line %q, want default %q", k, f, def)
		}
	}
	if !strings.Contains(out.String(), "a sample-only setting") {
		t.Errorf("the service's own meaning is missing:\n%s", out.String())
	}
}

func TestVersionAndUnknownCommand(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, testSpec(t), &out); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "sample v1.2.3\n" {
		t.Fatalf("version printed %q", got)
	}
	err := run(context.Background(), []string{"sreve"}, testSpec(t), &out)
	if err == nil || !strings.Contains(err.Error(), `unknown command "sreve"`) || !strings.Contains(err.Error(), "--help") {
		t.Fatalf("unknown command: %v", err)
	}
}

// TestMigrateStillRuns: help handling did not swallow the real commands.
func TestMigrateStillRuns(t *testing.T) {
	s := testSpec(t)
	want := errors.New("migrated")
	s.Migrate = func(context.Context, testConfig) error { return want }
	t.Setenv("HIRFA_AUTH_DEV", "true")
	if err := run(context.Background(), []string{"migrate"}, s, &bytes.Buffer{}); !errors.Is(err, want) {
		t.Fatalf("migrate: %v", err)
	}
}

// TestEveryCommonVariableHasAMeaning covers the shared loader on its own.
func TestEveryCommonVariableHasAMeaning(t *testing.T) {
	vars := svcconfig.Describe(func(get svcconfig.Getenv) {
		var p svcconfig.Problems
		svcconfig.LoadCommon(get, &p, "x", "127.0.0.1:1")
	}, nil)
	for _, v := range vars {
		if v.Meaning == "" {
			t.Errorf("%s has no meaning in svcconfig's table", v.Name)
		}
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

// TestSnapshotOnlyWhenSet: producers list and run `snapshot`; other
// services refuse it as unknown.
func TestSnapshotOnlyWhenSet(t *testing.T) {
	t.Setenv("HIRFA_AUTH_DEV", "true")
	s := testSpec(t)
	var help bytes.Buffer
	if err := run(context.Background(), []string{"--help"}, s, &help); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(help.String(), "snapshot") {
		t.Errorf("help lists snapshot for a service without one:\n%s", help.String())
	}
	if err := run(context.Background(), []string{"snapshot"}, s, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), `unknown command "snapshot"`) {
		t.Errorf("snapshot without Spec.Snapshot: %v", err)
	}
	want := errors.New("snapshot written")
	s.Snapshot = func(context.Context, testConfig, *slog.Logger) error { return want }
	help.Reset()
	if err := run(context.Background(), []string{"--help"}, s, &help); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(help.String(), "  snapshot ") {
		t.Errorf("help does not list snapshot:\n%s", help.String())
	}
	if err := run(context.Background(), []string{"snapshot"}, s, &bytes.Buffer{}); !errors.Is(err, want) {
		t.Errorf("snapshot: %v", err)
	}
}

package service

import (
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/svcconfig"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/vitality"
)

// Name is the service name in logs, traces and the consumer group.
const Name = "reporting"

// DefaultAddr is the service's gRPC address in the embedded default.
const DefaultAddr = "127.0.0.1:9104"

// Config is the service's configuration.
type Config struct {
	svcconfig.Common
	// Chromium is the Chromium executable for PDF and PNG (HIRFA_CHROMIUM;
	// default: chromium, chromium-browser or google-chrome on PATH). Without
	// one, PDF and PNG answer FAILED_PRECONDITION RENDERER_UNAVAILABLE.
	Chromium string
	// RenderTimeout bounds one PDF or PNG (HIRFA_RENDER_TIMEOUT, default 30s).
	RenderTimeout time.Duration
	// Sources are the producing services whose streams the consumer reads
	// (HIRFA_EVENT_SOURCES, default registry,events-and-fairs,desk,craft-bodies).
	Sources []string
	// Vitality are the rules that sort associations and cooperatives
	// (HIRFA_VITALITY_ASSEMBLY_MONTHS, HIRFA_VITALITY_BUREAU_MONTHS,
	// HIRFA_VITALITY_ACTIVITY_MONTHS, HIRFA_VITALITY_ASSEMBLY_REQUIRED).
	Vitality vitality.Rules
}

// Load reads the configuration from the environment, reporting every
// problem at once.
func Load(get svcconfig.Getenv) (Config, error) {
	var p svcconfig.Problems
	c := Config{
		Common:        svcconfig.LoadCommon(get, &p, Name, DefaultAddr),
		Chromium:      svcconfig.Str(get, "HIRFA_CHROMIUM", ""),
		RenderTimeout: svcconfig.Duration(get, &p, "HIRFA_RENDER_TIMEOUT", 30*time.Second),
		Sources:       list(svcconfig.Str(get, "HIRFA_EVENT_SOURCES", "registry,events-and-fairs,desk,craft-bodies")),
	}
	def := vitality.DefaultRules()
	c.Vitality = vitality.Rules{
		AssemblyMonths:   svcconfig.Int(get, &p, "HIRFA_VITALITY_ASSEMBLY_MONTHS", def.AssemblyMonths),
		BureauMonths:     svcconfig.Int(get, &p, "HIRFA_VITALITY_BUREAU_MONTHS", def.BureauMonths),
		ActivityMonths:   svcconfig.Int(get, &p, "HIRFA_VITALITY_ACTIVITY_MONTHS", def.ActivityMonths),
		AssemblyRequired: svcconfig.Bool(get, &p, "HIRFA_VITALITY_ASSEMBLY_REQUIRED", def.AssemblyRequired),
	}
	if err := c.Vitality.Validate(); err != nil {
		p.Add("%v", err)
	}
	if len(c.Sources) == 0 {
		p.Add("HIRFA_EVENT_SOURCES: at least one producing service is needed")
	}
	return c, p.Err()
}

// list splits a comma-separated list, dropping empty items.
func list(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

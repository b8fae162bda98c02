package service

import (
	"strings"
	"testing"
	"time"
)

func TestLoad(t *testing.T) {
	// The dev issuer is asked for explicitly (HIRFA_AUTH_DEV), as make run does.
	env := func(m map[string]string) func(string) string {
		return func(k string) string {
			if k == "HIRFA_AUTH_DEV" {
				return "true"
			}
			return m[k]
		}
	}
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.GRPCAddr != "127.0.0.1:9103" || c.RegistryAddr != "127.0.0.1:9101" || c.RegistryTimeout != 5*time.Second ||
		c.EventsAddr != "127.0.0.1:9102" || c.EventsTimeout != 3*time.Second || c.DatabaseURL != "sqlite://var/craft-bodies.db" {
		t.Fatalf("defaults = %+v", c)
	}
	c, err = Load(env(map[string]string{"HIRFA_EVENTSFAIRS_ADDR": "hirfa-events-and-fairs:9102", "HIRFA_EVENTSFAIRS_TIMEOUT": "1s"}))
	if err != nil || c.EventsAddr != "hirfa-events-and-fairs:9102" || c.EventsTimeout != time.Second {
		t.Fatalf("events = %q %v, %v", c.EventsAddr, c.EventsTimeout, err)
	}
	// Every problem is reported at once.
	_, err = Load(env(map[string]string{"HIRFA_EVENTSFAIRS_TIMEOUT": "soon", "HIRFA_REGISTRY_TIMEOUT": "later", "HIRFA_MIGRATE": "maybe"}))
	for _, want := range []string{"HIRFA_EVENTSFAIRS_TIMEOUT", "HIRFA_REGISTRY_TIMEOUT", "HIRFA_MIGRATE"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load error %v does not name %s", err, want)
		}
	}
}

package svcconfig

import (
	"strings"
	"testing"
)

func env(m map[string]string) Getenv { return func(k string) string { return m[k] } }

// TestDevIssuerIsExplicit: an empty HIRFA_AUTH_JWKS_URL no longer turns the
// dev issuer on; it must be asked for, and it is refused where it could
// guard real data (a remote PostgreSQL, a listen address off loopback).
func TestDevIssuerIsExplicit(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
		want string // "" = accepted; else a fragment of the problem
	}{
		{"nothing set", map[string]string{}, "HIRFA_AUTH_JWKS_URL"},
		{"jwks", map[string]string{"HIRFA_AUTH_JWKS_URL": "https://id.example/certs", "HIRFA_GRPC_ADDR": ":9101",
			"HIRFA_DATABASE_URL": "postgres://db.internal/registry"}, ""},
		{"dev, embedded", map[string]string{"HIRFA_AUTH_DEV": "true"}, ""},
		{"dev, loopback postgres", map[string]string{"HIRFA_AUTH_DEV": "true", "HIRFA_DATABASE_URL": "postgres://hirfa@127.0.0.1:5432/registry"}, ""},
		{"dev and jwks", map[string]string{"HIRFA_AUTH_DEV": "true", "HIRFA_AUTH_JWKS_URL": "https://id.example/certs"}, "HIRFA_AUTH_DEV"},
		{"dev, remote postgres", map[string]string{"HIRFA_AUTH_DEV": "true", "HIRFA_DATABASE_URL": "postgres://hirfa@db.internal:5432/registry"}, "PostgreSQL"},
		{"dev, all interfaces", map[string]string{"HIRFA_AUTH_DEV": "true", "HIRFA_GRPC_ADDR": ":9101"}, "loopback"},
		{"dev, pod address", map[string]string{"HIRFA_AUTH_DEV": "true", "HIRFA_GRPC_ADDR": "10.0.0.7:9101"}, "loopback"},
		{"demo, any address, sqlite", map[string]string{"HIRFA_AUTH_DEV": "demo", "HIRFA_GRPC_ADDR": ":9101"}, ""},
		{"demo, postgres", map[string]string{"HIRFA_AUTH_DEV": "demo", "HIRFA_DATABASE_URL": "postgres://hirfa@127.0.0.1/registry"}, "PostgreSQL"},
		{"bad value", map[string]string{"HIRFA_AUTH_DEV": "yes please"}, "HIRFA_AUTH_DEV"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var p Problems
			LoadCommon(env(tt.env), &p, "registry", "127.0.0.1:9101")
			err := p.Err()
			if tt.want == "" && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("got %v, want a problem naming %q", err, tt.want)
			}
		})
	}
}

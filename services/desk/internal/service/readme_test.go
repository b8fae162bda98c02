package service

import (
	"os"
	"testing"
)

// TestReadmeRendersPolicy keeps the role × method table in the service's
// README identical to the policy the interceptor enforces. Regenerate it
// with: HIRFA_WRITE_README=1 go test -run TestReadmeRendersPolicy ./services/desk/internal/service/
func TestReadmeRendersPolicy(t *testing.T) {
	if err := Policy.SyncReadme("../../README.md", os.Getenv("HIRFA_WRITE_README") != ""); err != nil {
		t.Fatal(err)
	}
}

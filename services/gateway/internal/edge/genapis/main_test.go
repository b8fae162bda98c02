package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestAPITableIsCurrent: the committed apis_gen.go is what genapis writes
// from proto/gen (make generate rewrites it).
func TestAPITableIsCurrent(t *testing.T) {
	want, err := Generate(filepath.Join("..", "..", "..", "..", "..", "proto", "gen", "hirfa"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join("..", "apis_gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Error("internal/edge/apis_gen.go is not current: run make generate")
	}
}

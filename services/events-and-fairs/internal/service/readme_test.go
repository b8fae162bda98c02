package service

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeRendersPolicy keeps the role × method table in the service's
// README identical to the policy the interceptor enforces. Regenerate it
// with: HIRFA_WRITE_README=1 go test -run TestReadmeRendersPolicy ./services/events-and-fairs/internal/service/
func TestReadmeRendersPolicy(t *testing.T) {
	const path = "../../README.md"
	const begin, end = "<!-- policy:begin -->\n", "<!-- policy:end -->"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the policy markers", path)
	}
	want := Policy.Markdown()
	if doc[i+len(begin):j] == want {
		return
	}
	if os.Getenv("HIRFA_WRITE_README") != "" {
		if err := os.WriteFile(path, []byte(doc[:i+len(begin)]+want+doc[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("%s's role × method table is out of date; regenerate it (see the test's comment)", path)
}

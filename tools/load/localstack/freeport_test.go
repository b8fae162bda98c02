package localstack

import (
	"os/exec"
	"strings"
	"testing"
)

// TestFreePortsAreNotHandedOutTwice draws 500 ports from tools/dev/freeport.sh
// (the ports up.sh gives a stack's services). Nothing listens on any of them,
// so without the reservations two draws from its 12,000 ports would repeat
// one almost surely (birthday bound: 1 - e^(-500²/24000)), and the second
// server to bind it would fail.
func TestFreePortsAreNotHandedOutTwice(t *testing.T) {
	cmd := exec.Command("bash", "-c", `source ../../dev/freeport.sh && for i in $(seq 500); do p=$(freeport) || exit 1; echo "$p"; done`)
	cmd.Env = append(cmd.Environ(), "TMPDIR="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("freeport: %v\n%s", err, out)
	}
	seen := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		if seen[p] {
			t.Fatalf("port %s handed out twice in 500 draws", p)
		}
		seen[p] = true
	}
	if len(seen) != 500 {
		t.Fatalf("%d ports, want 500", len(seen))
	}
}

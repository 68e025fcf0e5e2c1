package e2e

import (
	"os/exec"
	"strings"
	"testing"
)

func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", pkg).Output()
	if err != nil {
		t.Skipf("go list unavailable: %v", err)
	}
	return strings.Fields(string(out))
}

// TestBoundaries holds the import rules of ARCHITECTURE.md: the intake
// binary cannot link the code that loads reviewer identities, the review
// binary links no networking at all, and vault knows neither side.
func TestBoundaries(t *testing.T) {
	for _, d := range deps(t, "testimony/cmd/intake") {
		if d == "testimony/review" {
			t.Error("cmd/intake links testimony/review")
		}
	}
	for _, d := range deps(t, "testimony/cmd/review") {
		if d == "testimony/intake" || d == "net" || strings.HasPrefix(d, "net/") || d == "crypto/tls" {
			t.Errorf("cmd/review links %s: the offline tool must not be able to use the network", d)
		}
	}
	for _, d := range deps(t, "testimony/vault") {
		if d == "testimony/intake" || d == "testimony/review" || d == "net/http" {
			t.Errorf("vault links %s", d)
		}
	}
}

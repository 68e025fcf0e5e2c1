package e2e

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"testimony/tests/harness"
)

func deps(t *testing.T, pkg string) []string {
	t.Helper()
	// The go command is the toolchain running this test: if it cannot
	// list the imports, the rules are unchecked, and that is a failure.
	out, err := exec.Command("go", "list", "-deps", pkg).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("go list -deps %s: %v\n%s", pkg, err, stderr)
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
		if d == "testimony/intake" || d == "net/http" || d == "crypto/tls" {
			t.Errorf("cmd/review links %s: the offline tool must not be able to use the network", d)
		}
	}
	// Test support (tests/...) builds browsers, fixtures and fake USB
	// sticks: nothing a shipped binary may carry.
	for _, cmd := range []string{"testimony/cmd/intake", "testimony/cmd/review"} {
		for _, d := range deps(t, cmd) {
			if strings.HasPrefix(d, "testimony/tests/") {
				t.Errorf("%s links the test support package %s", cmd, d)
			}
		}
	}
	for _, d := range deps(t, "testimony/vault") {
		if d == "testimony/intake" || d == "testimony/review" || d == "net/http" {
			t.Errorf("vault links %s", d)
		}
	}
}

// networkSymbols are the functions through which a Go program reaches the
// network: dialing, listening, and name resolution.
var networkSymbols = regexp.MustCompile(`(?m) T (net\.\(\*Dialer\)\.|net\.Dial|net\.Listen|net\.\(\*ListenConfig\)|net\.\(\*Resolver\)\.|net\.Lookup|net/http\.|crypto/tls\.)`)

// TestReviewCannotReachTheNetwork looks in the built review binary for the
// functions that dial, listen or resolve names. The redaction detectors
// parse e-mail addresses with net/mail, which links package net for its
// parsers; the linker keeps only what is called, so the binary must hold no
// dialer, listener or resolver. The intake binary, which listens, is the
// control that the check sees them.
func TestReviewCannotReachTheNetwork(t *testing.T) {
	if found := networkSymbols.FindAllString(symbols(t, harness.Review), 5); len(found) > 0 {
		t.Errorf("the review binary can reach the network: %q", found)
	}
	if !networkSymbols.MatchString(symbols(t, harness.Intake)) {
		t.Fatal("the check finds no network functions in intake either: it checks nothing")
	}
}

// identityLoading are the functions of internal/agekey that read identity
// files: private keys, passphrases, plugins.
var identityLoading = regexp.MustCompile(`(?m) T testimony/internal/agekey\.(IdentityOptions\.Load|\(\*encryptedIdentity\)\.|\(\*lazyScrypt\)\.|\(\*pluginIdentity\)\.)`)

// TestIntakeCannotLoadIdentities: the intake shares internal/agekey with
// review for recipients files, so the import rule alone no longer keeps
// identity loading out of the server; the linker does, since nothing the
// intake runs reaches it. This holds that: the built intake binary has
// none of the functions that load identity files, and the review binary,
// the control, has them.
func TestIntakeCannotLoadIdentities(t *testing.T) {
	if found := identityLoading.FindAllString(symbols(t, harness.Intake), 5); len(found) > 0 {
		t.Errorf("the intake binary can load identity files: %q", found)
	}
	if !identityLoading.MatchString(symbols(t, harness.Review)) {
		t.Fatal("the check finds no identity loading in review either: it checks nothing")
	}
}

// symbols lists the symbols of a built binary, as go tool nm prints them.
func symbols(t *testing.T, p harness.Program) string {
	t.Helper()
	out, err := exec.Command("go", "tool", "nm", p.Path(t)).Output()
	if err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	return string(out)
}

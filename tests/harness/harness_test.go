package harness_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"testimony/intake"
	"testimony/internal/failpoint"
	"testimony/tests/harness"
	"testimony/tests/vaulttest"
	"testimony/vault"
)

func TestMain(m *testing.M) { harness.Main(m) }

// TestReleaseBuildHasNoFailpoints: the binaries built without the tag hold
// neither package failpoint's code nor any failpoint's name; built with it,
// they hold both, so the check can see what it looks for.
func TestReleaseBuildHasNoFailpoints(t *testing.T) {
	if failpoint.Enabled {
		t.Fatal("this test binary was built with -tags failpoint: the release build's failpoint.Enabled must be false")
	}
	look := func(path string) (symbols int, names []string) {
		t.Helper()
		out, err := exec.Command("go", "tool", "nm", path).Output()
		if err != nil {
			t.Fatalf("go tool nm: %v", err)
		}
		symbols = strings.Count(string(out), "testimony/internal/failpoint.")
		bin, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range append([]string{failpoint.EnvVar}, failpoint.Names...) {
			if bytes.Contains(bin, []byte(n)) {
				names = append(names, n)
			}
		}
		return symbols, names
	}
	for _, p := range []harness.Program{harness.Intake, harness.Review} {
		if s, n := look(p.Path(t)); s > 0 || len(n) > 0 {
			t.Errorf("the release %s binary has %d failpoint symbols and the names %q", p.Name, s, n)
		}
		if s, n := look(p.WithFailpoints().Path(t)); s == 0 || len(n) == 0 {
			t.Errorf("the failpoint build of %s has %d failpoint symbols and the names %q: the check sees nothing", p.Name, s, n)
		}
	}
}

// dataDir returns an intake data directory holding n submissions.
func dataDir(t *testing.T, n int) string {
	t.Helper()
	id := vaulttest.Identity(t)
	data := filepath.Join(t.TempDir(), "data")
	os.Mkdir(data, 0o700)
	os.WriteFile(filepath.Join(data, intake.RecipientsFile), []byte(id.Recipient().String()+"\n"), 0o600)
	store, err := vault.Open(filepath.Join(data, intake.StoreFile), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		vaulttest.Put(t, store, "account "+string(rune('a'+i)), id.Recipient())
	}
	store.Close()
	return data
}

// TestFailpointActions drives "intake export" (without a server, so it
// writes the bundle itself) through each action.
func TestFailpointActions(t *testing.T) {
	data := dataDir(t, 3)
	bundle := filepath.Join(filepath.Dir(data), "bundle.age")
	export := harness.Intake.WithFailpoints().Command(t, "export", "-data", data, "-o", bundle)

	// exit: killed as by kill -9 once the bundle is whole but not yet
	// named; no bundle appears.
	export.Failpoints = []string{failpoint.Spec(failpoint.SafefileWritten, "exit", 0)}
	p := export.Start()
	p.WaitFailpoint(failpoint.SafefileWritten)
	if err := p.Wait(); !harness.Killed(err) {
		t.Fatalf("an exit failpoint ended the export with %v, want SIGKILL", err)
	}
	if _, err := os.Stat(bundle); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("after a kill before the link, the bundle exists (%v)", err)
	}

	// pause at the second item: the child waits, mid-stream, until
	// resumed; then it finishes.
	export.Failpoints = []string{failpoint.Spec(failpoint.VaultBundleItem, "pause", 2)}
	p = export.Start()
	p.WaitFailpoint(failpoint.VaultBundleItem)
	if _, err := os.Stat(bundle); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("the bundle exists while its export is paused mid-stream")
	}
	select {
	case <-p.Done():
		t.Fatal("the export went on past a pause")
	default:
	}
	p.Resume()
	if err := p.Wait(); err != nil {
		t.Fatalf("the export resumed and failed: %v\n%s", err, p.Stderr())
	}
	if strings.Count(p.Stderr(), "failpoint ") != 1 {
		t.Errorf("an @2 failpoint announced more than once:\n%s", p.Stderr())
	}
	os.Remove(bundle)

	// announce: every hit, and the command goes on.
	export.Args = append(export.Args, "-all")
	export.Failpoints = []string{failpoint.Spec(failpoint.VaultBundleItem, "announce", 0)}
	p = export.Start()
	p.WaitLines("^failpoint "+failpoint.VaultBundleItem+" reached$", 3)
	if err := p.Wait(); err != nil {
		t.Fatalf("announcing failed the export: %v", err)
	}

	// A failpoint that does not exist stops the child at once: a typo
	// cannot leave a test waiting for a point that never comes.
	export.Failpoints = []string{"no-such-point=exit"}
	_, err := export.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(err.Error(), "no-such-point") {
		t.Fatalf("an unknown failpoint: %v", err)
	}
}

// TestRunAndRestart: Run reports a failure with the child's standard error;
// Serve finds the URL; a server killed with SIGKILL starts again on the
// same data.
func TestRunAndRestart(t *testing.T) {
	data := dataDir(t, 1)
	_, err := harness.Intake.Command(t, "export", "-data", filepath.Join(t.TempDir(), "none"), "-o", filepath.Join(t.TempDir(), "b.age")).Run()
	if err == nil || !strings.Contains(err.Error(), "intake: error:") {
		t.Fatalf("a failing command: %v", err)
	}
	help := t.TempDir()
	for _, l := range []string{"ko", "zh", "en"} {
		if err := os.WriteFile(filepath.Join(help, "help."+l+".txt"), []byte("test organisation: 000\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	serve := harness.Intake.Command(t, "serve", "-addr", "127.0.0.1:0", "-data", data, "-recipients", filepath.Join(data, intake.RecipientsFile), "-help-dir", help)
	p, url := harness.Serve(serve)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("Serve found %q", url)
	}
	p.Kill()
	if !harness.Killed(p.Wait()) {
		t.Fatalf("Kill: %v", p.Wait())
	}
	p, _ = harness.Serve(serve)
	p.Signal(os.Interrupt)
	if err := p.Wait(); err != nil {
		t.Fatalf("after SIGINT: %v\n%s", err, p.Stderr())
	}
}

// TestStreams: bytes into standard input and out of standard output are
// counted, and WaitStdin and WaitStdout return once they are there; cat
// stands in for a child that streams.
func TestStreams(t *testing.T) {
	cat, err := exec.LookPath("cat")
	if err != nil {
		t.Skip("no cat")
	}
	const n = 1 << 20
	c := harness.Command(t, cat)
	c.Stdin = strings.NewReader(strings.Repeat("x", n))
	p := c.Start()
	p.WaitStdin(n)
	p.WaitStdout(n)
	if err := p.Wait(); err != nil || len(p.Stdout()) != n {
		t.Fatalf("cat: %v, %d bytes out, want %d", err, len(p.Stdout()), n)
	}
}

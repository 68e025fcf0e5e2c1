package deploytest

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"testimony/intake"
	"testimony/tests/vaulttest"
	"testimony/vault"
)

// TestExportScript runs the shipped intake-export, as intake-export.service
// does, with the real intake binary: a day with submissions gives one
// bundle the reviewers can open; a day without gives nothing and exits 0,
// so the timer's unit does not fail every quiet day; a real failure exits
// non-zero.
func TestExportScript(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	bin := intakeBinary(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "intake-export")
	write(t, script, 0o755, shipped(t, "intake-export"))

	id := vaulttest.Identity(t)
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(data, intake.RecipientsFile), 0o600, id.Recipient().String()+"\n")
	store, err := vault.Open(filepath.Join(data, intake.StoreFile), nil)
	if err != nil {
		t.Fatal(err)
	}
	vaulttest.Put(t, store, "an account", id.Recipient())
	store.Close()
	outbox := filepath.Join(dir, "outbox")
	if err := os.Mkdir(outbox, 0o700); err != nil {
		t.Fatal(err)
	}

	run := func(dataDir string) (string, error) {
		cmd := exec.Command(script, dataDir, outbox)
		cmd.Env = append(os.Environ(), "INTAKE="+bin)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	named := func() string { return filepath.Join(outbox, "bundle-"+time.Now().UTC().Format("2006-01-02")+".age") }
	before := named()
	out, err := run(data)
	if err != nil {
		t.Fatalf("first export: %v\n%s", err, out)
	}
	bundles, _ := filepath.Glob(filepath.Join(outbox, "*"))
	// Named for the day it ran, or the next if midnight passed meanwhile.
	want := named()
	if len(bundles) == 1 && bundles[0] == before {
		want = before
	}
	if len(bundles) != 1 || bundles[0] != want {
		t.Fatalf("outbox holds %q, want %s", bundles, want)
	}
	f, err := os.Open(want)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := age.Decrypt(f, id)
	if err != nil {
		t.Fatalf("the reviewers cannot open the bundle: %v", err)
	}
	if line, _ := bufio.NewReader(r).ReadString('\n'); line != "testimony-bundle/v1\n" {
		t.Errorf("bundle starts %q", line)
	}
	if info, _ := os.Stat(want); info.Mode().Perm() != 0o600 {
		t.Errorf("bundle mode %v, want 0600", info.Mode().Perm())
	}

	out, err = run(data)
	if err != nil || !strings.Contains(out, "nothing new") {
		t.Errorf("second export, nothing new: %v, %q; want exit 0 saying nothing new", err, out)
	}
	if bundles, _ := filepath.Glob(filepath.Join(outbox, "*")); len(bundles) != 1 {
		t.Errorf("nothing new, yet the outbox holds %q", bundles)
	}

	if out, err := run(filepath.Join(dir, "no-such-dir")); err == nil {
		t.Errorf("export from a missing data directory succeeded: %q", out)
	}
}

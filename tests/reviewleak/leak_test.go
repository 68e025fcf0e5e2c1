// Package reviewleak_test stops the real review binary while it writes
// plaintext out of the workspace (an attachment, an export with its
// attachments, the editor's file) at points chosen by failpoints, with
// SIGINT, SIGTERM, SIGHUP and SIGKILL, and scans every file for the
// canaries afterwards: nothing may be left but a finished output the
// command reported, and after SIGKILL the next run removes what was left.
// Nor does binary output or an attachment go to a terminal, where the
// scroll-back would keep it (terminal_test.go).
package reviewleak_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"filippo.io/age"

	"testimony/intake"
	"testimony/internal/failpoint"
	"testimony/tests/harness"
	"testimony/tests/usbtest"
	"testimony/tests/vaulttest"
	"testimony/vault"
)

func TestMain(m *testing.M) { harness.Main(m) }

// world is an intake data directory and a workspace holding one
// submission whose text and 1 MB attachment carry canaries, with an
// approved plan, so that it can be exported.
type world struct {
	root, ws, editorKey, secondKey string
	id                             vault.ID
	canaries                       []string
	kept                           []string // finished outputs, which hold canaries
}

func newWorld(t *testing.T) *world {
	t.Helper()
	root := t.TempDir()
	w := &world{root: root, ws: filepath.Join(root, "ws")}
	editor, second := vaulttest.Identity(t), vaulttest.Identity(t)
	team := []age.Recipient{editor.Recipient(), second.Recipient()}
	data := filepath.Join(root, "data")
	os.Mkdir(data, 0o700)
	var recs strings.Builder
	for _, r := range team {
		fmt.Fprintln(&recs, r)
	}
	recFile := filepath.Join(data, intake.RecipientsFile)
	os.WriteFile(recFile, []byte(recs.String()), 0o600)
	w.editorKey, w.secondKey = filepath.Join(root, "editor.key"), filepath.Join(root, "second.key")
	os.WriteFile(w.editorKey, []byte(editor.String()+"\n"), 0o600)
	os.WriteFile(w.secondKey, []byte(second.String()+"\n"), 0o600)

	store, err := vault.Open(filepath.Join(data, intake.StoreFile), nil)
	if err != nil {
		t.Fatal(err)
	}
	textCanary, fileCanary := vaulttest.Canary(), vaulttest.Canary()
	w.canaries = []string{textCanary, fileCanary}
	big := bytes.Repeat([]byte("a line of the list "+fileCanary+"\n"), 1<<20/64)
	w.id, err = vaulttest.Submit(store, team,
		vaulttest.Text("나는 팔려 갔습니다. 그 집 이름은 "+textCanary+" 입니다."),
		vaulttest.Consent(vault.UseReview, vault.UsePublish, vault.UseQuote, vault.UseUN),
		vaulttest.Attachment("list.txt", "text/plain", big))
	store.Close()
	if err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(root, "bundle.age")
	w.run(t, harness.Intake, "export", "-data", data, "-o", bundle)
	w.run(t, harness.Review, "init", "-w", w.ws, "-r", recFile)
	w.run(t, harness.Review, "import", "-w", w.ws, "-i", w.editorKey, bundle)
	plan := w.run(t, harness.Review, "redact", "-w", w.ws, "-i", w.editorKey, "-print", string(w.id))
	// The detectors' plan as it is: the attachment, let out uncleaned,
	// carries its canary into every export either way.
	planFile := filepath.Join(root, "plan.txt")
	os.WriteFile(planFile, []byte(plan), 0o600)
	w.run(t, harness.Review, "redact", "-w", w.ws, "-i", w.editorKey, "-plan", planFile, string(w.id))
	w.run(t, harness.Review, "approve", "-w", w.ws, "-i", w.secondKey, string(w.id))
	return w
}

func (w *world) run(t *testing.T, p harness.Program, args ...string) string {
	t.Helper()
	c := p.Command(t, args...)
	c.Env = []string{"TMPDIR=" + w.root}
	out, err := c.Run()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// scan fails the test for a canary anywhere under the world's root but in
// the files keep.
func (w *world) scan(t *testing.T, keep ...string) {
	t.Helper()
	for _, c := range w.canaries {
		filepath.WalkDir(w.root, func(path string, d os.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return nil
			}
			for _, k := range append(keep, w.kept...) {
				if path == k {
					return nil
				}
			}
			if b, _ := os.ReadFile(path); bytes.Contains(b, []byte(c)) {
				t.Errorf("canary found in clear in %s", path)
			}
			return nil
		})
	}
}

// entries lists a directory, or nil if it does not exist.
func entries(dir string) []string {
	es, _ := os.ReadDir(dir)
	var n []string
	for _, e := range es {
		n = append(n, e.Name())
	}
	return n
}

// custodyCount counts the custody lines of action for the submission.
func (w *world) custodyCount(t *testing.T, action string) int {
	out := w.run(t, harness.Review, "custody", "-w", w.ws, "-i", w.editorKey, string(w.id))
	n := 0
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) > 4 && f[4] == action {
			n++
		}
	}
	return n
}

// output is one command that writes plaintext out, into dir.
type output struct {
	name   string
	args   func(w *world, dir string) []string
	files  []string // what it publishes in dir
	action string   // its custody action
	// nth is the hit of the staging failpoints to stop at: for the
	// export, the attachment, after the statement is staged whole.
	nth int
}

var outputs = []output{
	{
		name: "attachment",
		args: func(w *world, dir string) []string {
			return []string{"attachment", "-w", w.ws, "-i", w.editorKey, "-o", filepath.Join(dir, "list.txt"), string(w.id), "1"}
		},
		files: []string{"list.txt"}, action: "attachment", nth: 1,
	},
	{
		name: "export",
		args: func(w *world, dir string) []string {
			return []string{"export", "-w", w.ws, "-i", w.editorKey, "-use", "quote", "-attachments", dir,
				"-allow-uncleanable", "-o", filepath.Join(dir, "statement.json"), string(w.id)}
		},
		files: []string{"attachment-1", "statement.json"}, action: "export", nth: 2,
	},
}

// TestInterrupted stops each output at each point, with each catchable
// signal and with SIGKILL.
func TestInterrupted(t *testing.T) {
	w := newWorld(t)
	points := []string{failpoint.ReviewOutputStaging, failpoint.SafefileWritten, failpoint.ReviewOutputPublished}
	sigs := []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGKILL}
	n := 0
	for _, o := range outputs {
		for _, point := range points {
			for _, sig := range sigs {
				n++
				dir := filepath.Join(w.root, fmt.Sprintf("out%d", n))
				os.Mkdir(dir, 0o700)
				t.Run(fmt.Sprintf("%s/%s/%v", o.name, point, sig), func(t *testing.T) {
					interrupt(t, w, o, dir, point, sig)
				})
			}
		}
	}
}

func interrupt(t *testing.T, w *world, o output, dir, point string, sig syscall.Signal) {
	nth := o.nth
	if point == failpoint.ReviewOutputPublished {
		nth = 1
	}
	before := w.custodyCount(t, o.action)
	c := harness.Review.WithFailpoints().Command(t, o.args(w, dir)...)
	c.Env = []string{"TMPDIR=" + w.root}
	action := "pause"
	if sig == syscall.SIGKILL {
		action = "exit"
	}
	c.Failpoints = []string{failpoint.Spec(point, action, nth)}
	p := c.Start()
	p.WaitFailpoint(point)
	published := point == failpoint.ReviewOutputPublished
	if sig != syscall.SIGKILL {
		p.Signal(sig)
		if published {
			// The signal waits for publishing to finish: let it.
			p.Resume()
		}
	}
	err := p.Wait()
	var reported bool
	switch {
	case sig == syscall.SIGKILL:
		if !harness.Killed(err) {
			t.Fatalf("ended with %v, want SIGKILL", err)
		}
	case err == nil && !published:
		t.Fatalf("the command ended well after %v", sig)
	default:
		// While publishing, the signal waits: the command may then end
		// well, or as interrupted, having reported the output either way.
		if err != nil && !strings.Contains(p.Stderr(), "interrupted") {
			t.Errorf("stderr does not say it was interrupted:\n%s", p.Stderr())
		}
		reported = strings.Contains(p.Stderr(), "written to") || strings.Contains(p.Stderr(), "wrote attachment")
	}
	// A caught signal leaves the output whole and reported, if it came
	// while publishing; otherwise nothing at all.
	got := entries(dir)
	if published && sig != syscall.SIGKILL {
		if !reported || strings.Join(got, " ") != strings.Join(o.files, " ") {
			t.Fatalf("interrupted while publishing: reported %v, left %v, want %v reported", reported, got, o.files)
		}
		if n := w.custodyCount(t, o.action); n != before+1 {
			t.Errorf("custody has %d %s entries, want %d", n, o.action, before+1)
		}
		for _, f := range o.files {
			w.kept = append(w.kept, filepath.Join(dir, f))
		}
		w.scan(t)
		return
	}
	if reported {
		t.Errorf("reported an output it did not finish:\n%s", p.Stderr())
	}
	if sig != syscall.SIGKILL && len(got) != 0 {
		t.Errorf("after %v at %s, %s holds %v", sig, point, dir, got)
	}
	// Any next command finishes the clean-up after a SIGKILL, and says so
	// if it removed anything.
	v := harness.Review.Command(t, "verify", "-w", w.ws)
	v.Env = []string{"TMPDIR=" + w.root}
	vp := v.Start()
	if err := vp.Wait(); err != nil {
		t.Fatalf("verify after the kill: %v\n%s", err, vp.Stderr())
	}
	if len(got) > 0 && !strings.Contains(vp.Stderr(), "left unfinished") {
		t.Errorf("the next run removed %v without saying so:\n%s", got, vp.Stderr())
	}
	if left := entries(dir); len(left) != 0 {
		t.Errorf("after %v at %s and a new run, %s holds %v", sig, point, dir, left)
	}
	if n := w.custodyCount(t, o.action); n != before {
		t.Errorf("custody has %d %s entries, want %d: an output that was removed is recorded", n, o.action, before)
	}
	w.scan(t)
}

// TestKilledOnFAT: on FAT and exFAT there is no O_TMPFILE, so staged files
// have hidden names until published; a SIGKILL leaves them, and the next
// run removes them.
func TestKilledOnFAT(t *testing.T) {
	for _, kind := range []string{"vfat", "exfat"} {
		t.Run(kind, func(t *testing.T) {
			mnt := usbtest.Mount(t, kind)
			w := newWorld(t)
			o := outputs[1]
			c := harness.Review.WithFailpoints().Command(t, o.args(w, mnt)...)
			c.Failpoints = []string{failpoint.Spec(failpoint.SafefileWritten, "exit", 2)}
			p := c.Start()
			p.WaitFailpoint(failpoint.SafefileWritten)
			if err := p.Wait(); !harness.Killed(err) {
				t.Fatalf("ended with %v, want SIGKILL", err)
			}
			if left := entries(mnt); len(left) != 2 || !strings.HasPrefix(left[0], ".") {
				t.Fatalf("the stick holds %v, want two hidden staged files", left)
			}
			w.run(t, harness.Review, "verify", "-w", w.ws)
			if left := entries(mnt); len(left) != 0 {
				t.Fatalf("after the next run the stick holds %v", left)
			}
			// And an export to the stick works.
			w.run(t, harness.Review, o.args(w, mnt)...)
			if got := entries(mnt); strings.Join(got, " ") != strings.Join(o.files, " ") {
				t.Fatalf("the stick holds %v", got)
			}
			w.scan(t, filepath.Join(mnt, "attachment-1"), filepath.Join(mnt, "statement.json"))
		})
	}
}

package reviewleak_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"testimony/tests/harness"
	"testimony/tests/vaulttest"
)

// openPTY returns a new pseudo-terminal's two ends.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		m.Close()
		t.Skipf("cannot unlock a pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		m.Close()
		t.Skipf("no pseudo-terminal number: %v", err)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Skipf("cannot open the pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { s.Close(); m.Close() })
	return m, s
}

// TestEditorInterrupted: review redact opens the plan in $EDITOR; the
// editor (a script) writes a canary into the file, as an editor typing
// her identifiers would, and then review is stopped by each signal. A
// caught signal is passed to the editor and the file's directory removed
// before review exits; after SIGKILL the next command removes it. Nothing
// is stored, and no canary is left anywhere.
func TestEditorInterrupted(t *testing.T) {
	if _, err := os.Stat("/dev/shm"); err != nil {
		t.Skip("no /dev/shm: the editor's file needs memory-backed storage")
	}
	w := newWorld(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			shm, err := os.MkdirTemp("/dev/shm", "reviewleak-")
			if err != nil {
				t.Skip(err)
			}
			defer os.RemoveAll(shm)
			canary := vaulttest.Canary()
			editor := filepath.Join(w.root, "editor-"+strconv.Itoa(int(sig)))
			// The canary in two pieces, so the script itself does not hold it.
			script := "#!/bin/sh\nprintf 'keep name * \"%s%s\"\\n' " + canary[:8] + " " + canary[8:] + " >> \"$1\"\n"
			if sig == syscall.SIGKILL {
				script += "kill -KILL $PPID\n"
			} else {
				// Stopped only by the signal review passes on.
				script += "kill -" + strings.TrimPrefix(unix.SignalName(sig), "SIG") + " $PPID\nexec sleep 86400\n"
			}
			os.WriteFile(editor, []byte(script), 0o700)
			_, tty := openPTY(t)
			cmd := exec.Command(harness.Review.Path(t), "redact", "-w", w.ws, "-i", w.editorKey, string(w.id))
			var stderr bytes.Buffer
			cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, &stderr, &stderr
			cmd.Env = append(os.Environ(), "EDITOR="+editor, "VISUAL=", "XDG_RUNTIME_DIR="+shm, "TMPDIR="+w.root)
			err = cmd.Run()
			ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
			switch {
			case sig == syscall.SIGKILL:
				if !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
					t.Fatalf("ended with %v, want SIGKILL\n%s", err, stderr.String())
				}
				if left, _ := filepath.Glob(filepath.Join(shm, "review-edit-*")); len(left) != 1 {
					t.Fatalf("after SIGKILL, %v in memory", left)
				}
				// Any next command removes it.
				v := harness.Review.Command(t, "verify", "-w", w.ws)
				v.Env = []string{"XDG_RUNTIME_DIR=" + shm, "TMPDIR=" + w.root}
				if _, err := v.Run(); err != nil {
					t.Fatal(err)
				}
			case ws.ExitStatus() != 128+int(sig):
				t.Fatalf("ended with %v, want status %d\n%s", err, 128+int(sig), stderr.String())
			case !strings.Contains(stderr.String(), "interrupted"):
				t.Errorf("stderr does not say it was interrupted:\n%s", stderr.String())
			}
			if left, _ := os.ReadDir(shm); len(left) != 0 {
				t.Errorf("left in memory: %v", left)
			}
			if strings.Contains(stderr.String(), "stored") {
				t.Errorf("a plan was stored:\n%s", stderr.String())
			}
			w.canaries = append(w.canaries, canary)
			vaulttest.ScanForCanaries(t, []string{canary}, shm)
			w.scan(t)
		})
	}
}

package reviewleak_test

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"testimony/tests/harness"
)

// TestNothingBinaryOnTerminal: a uwazi zip, a reply bundle and an
// attachment are never written to a terminal, as age refuses to output
// binary to one. Each command refuses before it changes anything, with
// age's words, and the terminal receives nothing of it.
func TestNothingBinaryOnTerminal(t *testing.T) {
	w := newWorld(t)
	master, tty := openPTY(t)
	lines := ptyLines(master)
	for _, args := range [][]string{
		{"export", "-w", w.ws, "-i", w.editorKey, "-use", "publish", "-format", "uwazi", "-o", "-", string(w.id)},
		{"send-replies", "-w", w.ws, "-i", w.editorKey, "-o", "-"},
		{"attachment", "-w", w.ws, "-i", w.editorKey, "-o", "-", string(w.id), "1"},
	} {
		cmd := exec.Command(harness.Review.Path(t), args...)
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = tty, &stderr
		cmd.Env = []string{"TMPDIR=" + w.root}
		cmd.Run()
		if code := cmd.ProcessState.ExitCode(); code != 1 || !regexp.MustCompile(`^review: error: refusing to output .* to the terminal\nreview: hint: .*redirect standard output to a file, or use -o FILE\n$`).MatchString(stderr.String()) {
			t.Errorf("review %s with standard output a terminal: exit %d\n%s", args[0], code, stderr.String())
		}
	}
	// What the commands wrote comes before the test's own line.
	tty.WriteString("end of the commands\n")
	if l := <-lines; l != "end of the commands" {
		t.Errorf("the terminal received %q", l)
	}
	if n := w.custodyCount(t, "export"); n != 0 {
		t.Errorf("%d export(s) recorded by a refused export", n)
	}
	w.scan(t)
}

// TestImportProgressOnTerminal: on a terminal, import says how far it has
// come while it reads, by bytes. The bundle comes through a pipe, and its
// end is held back until a progress line is on the terminal: the line is
// the signal, nothing waits for a time. (The meter's ticks themselves, and
// that a file or pipe as standard error gets no progress lines, only the
// final line, are cmd/review's TestMeter and TestMeterOnlyOnTerminal.)
func TestImportProgressOnTerminal(t *testing.T) {
	w := newWorld(t)
	bundle, err := os.ReadFile(filepath.Join(w.root, "bundle.age"))
	if err != nil {
		t.Fatal(err)
	}
	recipients := filepath.Join(w.root, "data", "recipients.txt")
	fresh := filepath.Join(w.root, "fresh")
	w.run(t, harness.Review, "init", "-w", fresh, "-r", recipients)
	master, tty := openPTY(t)
	lines := ptyLines(master)
	cmd := exec.Command(harness.Review.Path(t), "import", "-w", fresh, "-i", w.editorKey, "-")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = tty
	cmd.Env = []string{"TMPDIR=" + w.root}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	half := len(bundle) / 2
	in.Write(bundle[:half])
	var l string
	select {
	case l = <-lines:
	case err := <-done:
		t.Fatalf("import ended before it showed any progress: %v", err)
	}
	if !regexp.MustCompile(`^review: reading: [0-9.]+ MB, [0-9.]+ MB/s$`).MatchString(l) {
		t.Errorf("the first line on the terminal: %q, want the bytes read so far", l)
	}
	in.Write(bundle[half:])
	in.Close()
	if err := <-done; err != nil {
		t.Fatalf("import: %v", err)
	}
	tty.WriteString("end of the import\n")
	var rest []string
	for l := range lines {
		if l == "end of the import" {
			break
		}
		rest = append(rest, l)
	}
	if len(rest) < 2 || !strings.HasPrefix(rest[len(rest)-2], "review: read 1 submission record(s), ") || !strings.HasPrefix(rest[len(rest)-1], "review: imported -: 1 new submission record(s)") {
		t.Errorf("import's last lines on the terminal:\n%s", strings.Join(rest, "\n"))
	}
}

// ptyLines returns the lines written to the terminal whose master is m,
// without the terminal's carriage returns.
func ptyLines(m *os.File) <-chan string {
	lines := make(chan string, 100)
	go func() {
		s := bufio.NewScanner(m)
		for s.Scan() {
			lines <- strings.TrimSuffix(s.Text(), "\r")
		}
		close(lines)
	}()
	return lines
}

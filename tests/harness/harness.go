// Package harness runs the real intake and review binaries in tests: it
// builds each once per test process, starts it, waits for something the
// child does (a line it writes, bytes on a stream, a failpoint reached),
// kills it with SIGKILL or sends it a signal, and starts it again on the
// same data. It is for end-to-end, crash and interruption tests; it is never
// shipped.
//
// # Basics
//
// A package using it calls [Main] from its TestMain, so the binaries built
// are removed at the end:
//
//	func TestMain(m *testing.M) { harness.Main(m) }
//
// A test describes a command with [Program.Command], starts it with
// [Cmd.Start], waits for an event and acts:
//
//	serve := harness.Intake.WithFailpoints().Command(t, "serve",
//		"-addr", "127.0.0.1:0", "-data", data, "-recipients", recFile, "-help-dir", help)
//	serve.Failpoints = []string{failpoint.Spec(failpoint.IntakeCommitted, "exit", 3)}
//	p, url := harness.Serve(serve)
//	// ... submit through url; the third commit kills the server ...
//	p.WaitFailpoint(failpoint.IntakeCommitted)
//	if err := p.Wait(); !harness.Killed(err) { t.Fatal(err) }
//	serve.Failpoints = nil
//	p, url = harness.Serve(serve) // the same binary, arguments and data
//
// Short commands run to the end with [Cmd.Run], which returns stdout and an
// error that carries stderr.
//
// # Events, never the clock
//
// Every Wait method returns once the event has happened, however long the
// machine takes: there is no timeout but the test's own deadline (go test
// -timeout), shortly before which the test fails with what the child wrote.
// If the child exits before the event, the test fails at once, with its
// standard error. Choose events that are certain to come (arm a failpoint
// at its Nth hit with N below what the test will do, wait for the Nth line
// of a kind): a test built that way gives the same verdict on an idle
// laptop and on a machine busy with other work.
//
// # Caveats
//
// Every child is killed with SIGKILL when its test ends (t.Cleanup), and
// if the test failed, the end of its standard error is logged. Everything
// the child writes is kept in memory: send large output to a file, not to
// stdout. Tests that build binaries are skipped in -short mode.
package harness

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"testimony/internal/failpoint"
)

// Program is a command of this module, cmd/Name, built with Tags.
type Program struct {
	Name string   // the directory under cmd/: "intake" or "review"
	Tags []string // build tags, such as "failpoint"
}

// The two binaries, as released.
var (
	Intake = Program{Name: "intake"}
	Review = Program{Name: "review"}
)

// WithFailpoints returns p built with "-tags failpoint", so that a [Cmd]'s
// Failpoints can stop it at the points package failpoint names.
func (p Program) WithFailpoints() Program {
	p.Tags = append(append([]string(nil), p.Tags...), "failpoint")
	return p
}

var (
	mainCalled bool
	buildsMu   sync.Mutex
	builds     = map[string]*build{}
	binDir     string
)

type build struct {
	once sync.Once
	path string
	err  error
}

// Main runs the package's tests and then removes the binaries the harness
// built. Call it from TestMain.
func Main(m *testing.M) {
	mainCalled = true
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// Path builds p, once per test process, and returns the binary's path. The
// binary is in a directory every user may read and run from, for tests that
// start it as another user. In -short mode it skips the test.
func (p Program) Path(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binaries; skipped in -short mode")
	}
	if !mainCalled {
		t.Fatal("harness: call harness.Main(m) from TestMain, so the binaries it builds are removed")
	}
	key := p.Name + " " + strings.Join(p.Tags, ",")
	buildsMu.Lock()
	b := builds[key]
	if b == nil {
		b = &build{}
		builds[key] = b
	}
	if binDir == "" {
		dir, err := os.MkdirTemp("", "testimony-bin-")
		if err == nil {
			err = os.Chmod(dir, 0o755)
		}
		if err != nil {
			buildsMu.Unlock()
			t.Fatal(err)
		}
		binDir = dir
	}
	dir := binDir
	buildsMu.Unlock()
	b.once.Do(func() {
		name := p.Name
		if len(p.Tags) > 0 {
			name += "-" + strings.Join(p.Tags, "-")
		}
		b.path = filepath.Join(dir, name)
		args := []string{"build", "-o", b.path}
		if len(p.Tags) > 0 {
			args = append(args, "-tags", strings.Join(p.Tags, ","))
		}
		out, err := exec.Command("go", append(args, "testimony/cmd/"+p.Name)...).CombinedOutput()
		if err != nil {
			b.err = fmt.Errorf("harness: building %s: %v\n%s", key, err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

// Command returns a command that runs p with args. It builds p if needed.
func (p Program) Command(t testing.TB, args ...string) *Cmd {
	t.Helper()
	return Command(t, p.Path(t), args...)
}

// Command returns a command that runs the program at path with args: an
// outside program, such as tor or a browser, that a test drives beside
// ours and waits for in the same way.
func Command(t testing.TB, path string, args ...string) *Cmd {
	return &Cmd{t: t, Path: path, Args: args}
}

// Cmd describes how to run a binary. Each [Cmd.Start] or [Cmd.Run] starts a
// new process with the fields as they are then, so a test can change them
// between a kill and the next start.
type Cmd struct {
	t    testing.TB
	Path string   // the binary
	Args []string // its arguments, without the program name
	Env  []string // added to the test process's environment
	Dir  string   // working directory; "" is the test's

	// Stdin is the child's standard input; nil is the null device. A
	// reader is used up by one process: set it again before the next.
	Stdin io.Reader

	// Failpoints are armed in the child, each made by failpoint.Spec. The
	// binary must be built WithFailpoints.
	Failpoints []string

	// SysProcAttr, if not nil, is the child's, as in exec.Cmd: to run it
	// as another user, for instance.
	SysProcAttr *syscall.SysProcAttr
}

func (c *Cmd) String() string {
	return strings.Join(append([]string{filepath.Base(c.Path)}, c.Args...), " ")
}

// Proc is a running (or exited) child started by [Cmd.Start].
type Proc struct {
	t    testing.TB
	name string
	cmd  *exec.Cmd
	done chan struct{}
	err  error // of cmd.Wait, once done is closed

	mu      sync.Mutex
	changed chan struct{} // closed, and replaced, whenever something below grows
	stdout  bytes.Buffer
	stderr  bytes.Buffer
	lines   []string // complete lines of both streams, in the order written
	stdinN  int64    // bytes handed to the child's standard input
}

// Start starts the command. The child is killed, if still running, when
// the test ends.
func (c *Cmd) Start() *Proc {
	c.t.Helper()
	p := &Proc{t: c.t, name: c.String(), done: make(chan struct{}), changed: make(chan struct{})}
	cmd := exec.Command(c.Path, c.Args...)
	cmd.Dir = c.Dir
	cmd.SysProcAttr = c.SysProcAttr
	cmd.Env = append(os.Environ(), c.Env...)
	if len(c.Failpoints) > 0 {
		cmd.Env = append(cmd.Env, failpoint.EnvVar+"="+strings.Join(c.Failpoints, ";"))
	}
	cmd.Stdout = &lineWriter{p: p, buf: &p.stdout}
	cmd.Stderr = &lineWriter{p: p, buf: &p.stderr}
	var stdin io.WriteCloser
	if c.Stdin != nil {
		var err error
		if stdin, err = cmd.StdinPipe(); err != nil {
			c.t.Fatal(err)
		}
	}
	if err := cmd.Start(); err != nil {
		c.t.Fatalf("harness: starting %s: %v", p.name, err)
	}
	if stdin != nil {
		// Counted once each write is in the pipe, so WaitStdin knows how
		// far the child can have read.
		go func(src io.Reader) {
			io.Copy(&countingWriter{p: p, w: stdin}, src)
			stdin.Close()
		}(c.Stdin)
	}
	p.cmd = cmd
	go func() {
		// Wait returns once the child has exited and everything it wrote
		// has been read.
		err := cmd.Wait()
		p.mu.Lock()
		p.err = err
		p.mu.Unlock()
		close(p.done)
	}()
	c.t.Cleanup(func() {
		p.Kill()
		if c.t.Failed() {
			c.t.Logf("%s: %v; standard error ends:\n%s", p.name, p.err, tail(p.Stderr(), 4096))
		}
	})
	return p
}

// Run runs the command to its end and returns what it wrote on standard
// output. If it fails, the error says how and holds its standard error;
// errors.As finds the *exec.ExitError.
func (c *Cmd) Run() (string, error) {
	c.t.Helper()
	p := c.Start()
	err := p.Wait()
	if err != nil {
		err = &RunError{Cmd: p.name, Err: err, Stderr: p.Stderr()}
	}
	return p.Stdout(), err
}

// RunError is a [Cmd.Run] that failed.
type RunError struct {
	Cmd    string // the command line
	Err    error  // from exec: usually an *exec.ExitError
	Stderr string // all the child wrote on standard error
}

func (e *RunError) Error() string {
	return fmt.Sprintf("%s: %v\n%s", e.Cmd, e.Err, e.Stderr)
}

func (e *RunError) Unwrap() error { return e.Err }

// Killed reports whether err, from [Proc.Wait] or [Cmd.Run], says the
// child died of SIGKILL: killed by [Proc.Kill] or by an "exit" failpoint.
func Killed(err error) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// Serve starts c, an "intake serve" command whose arguments include
// "-addr 127.0.0.1:0", and returns the process and its base URL
// ("http://127.0.0.1:PORT") once it serves.
func Serve(c *Cmd) (*Proc, string) {
	c.t.Helper()
	p := c.Start()
	return p, p.WaitLine(`serving on (http://\S+)`)[1]
}

// Pid returns the child's process ID.
func (p *Proc) Pid() int { return p.cmd.Process.Pid }

// Done is closed once the child has exited and its output is read.
func (p *Proc) Done() <-chan struct{} { return p.done }

// Wait waits for the child to exit and returns how it ended, as
// exec.Cmd.Wait does.
func (p *Proc) Wait() error {
	<-p.done
	return p.err
}

// Kill kills the child with SIGKILL, if it still runs, and waits for it.
func (p *Proc) Kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// Signal sends sig to the child (os.Interrupt, syscall.SIGTERM, ...). It
// does not wait: follow it with [Proc.Wait] or a Wait for an event.
func (p *Proc) Signal(sig os.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		p.t.Fatalf("harness: signalling %s: %v", p.name, err)
	}
}

// Resume lets every goroutine of the child paused at a "pause" failpoint
// go on (it sends SIGUSR1).
func (p *Proc) Resume() {
	p.t.Helper()
	p.Signal(syscall.SIGUSR1)
}

// Stdout returns everything the child has written on standard output.
func (p *Proc) Stdout() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stdout.String()
}

// Stderr returns everything the child has written on standard error.
func (p *Proc) Stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// WaitLine waits until the child has written a line, on standard output or
// standard error, that matches the regular expression pattern, and returns
// the match and its submatches. Lines written before the call count: the
// first matching line since the start is the one returned.
func (p *Proc) WaitLine(pattern string) []string {
	p.t.Helper()
	return p.WaitLines(pattern, 1)
}

// WaitLines waits until n lines in all, since the child started, have
// matched pattern, and returns the match and submatches of the nth.
func (p *Proc) WaitLines(pattern string, n int) []string {
	p.t.Helper()
	re := regexp.MustCompile(pattern)
	var m []string
	p.wait(fmt.Sprintf("%d line(s) matching %q", n, pattern), func() bool {
		k := 0
		for _, l := range p.lines {
			if mm := re.FindStringSubmatch(l); mm != nil {
				if k++; k == n {
					m = mm
					return true
				}
			}
		}
		return false
	})
	return m
}

// WaitFailpoint waits until the child announces that it reached the
// failpoint name (armed in [Cmd.Failpoints]). At an "exit" point the child
// is then dying; at a "pause" point it waits for [Proc.Resume] or a kill.
func (p *Proc) WaitFailpoint(name string) {
	p.t.Helper()
	p.WaitLine("^failpoint " + regexp.QuoteMeta(name) + " reached$")
}

// WaitStdout waits until the child has written at least n bytes on
// standard output.
func (p *Proc) WaitStdout(n int64) {
	p.t.Helper()
	p.wait(fmt.Sprintf("%d bytes on standard output", n), func() bool { return int64(p.stdout.Len()) >= n })
}

// WaitStdin waits until at least n bytes of [Cmd.Stdin] have been handed to
// the child's pipe. It has read them all but what the pipe holds (64 KiB
// on Linux).
func (p *Proc) WaitStdin(n int64) {
	p.t.Helper()
	p.wait(fmt.Sprintf("%d bytes taken from standard input", n), func() bool { return p.stdinN >= n })
}

// deadlineMargin is how long before the test's deadline a wait gives up,
// leaving time to report what the child wrote and to clean up.
const deadlineMargin = 20 * time.Second

// wait blocks until cond, called with p.mu held, is true. It fails the test
// if the child exits first, or when the test is about to time out.
func (p *Proc) wait(what string, cond func() bool) {
	p.t.Helper()
	var timeout <-chan time.Time
	if d, ok := p.t.(interface{ Deadline() (time.Time, bool) }); ok {
		if dl, ok := d.Deadline(); ok {
			timer := time.NewTimer(time.Until(dl) - deadlineMargin)
			defer timer.Stop()
			timeout = timer.C
		}
	}
	exited := false
	for {
		p.mu.Lock()
		ok, changed := cond(), p.changed
		p.mu.Unlock()
		if ok {
			return
		}
		if exited {
			p.t.Fatalf("harness: %s exited (%v) before %s; standard error:\n%s", p.name, p.err, what, tail(p.Stderr(), 8192))
		}
		select {
		case <-changed:
		case <-p.done:
			exited = true // look once more: the output is all in now
		case <-timeout:
			p.t.Fatalf("harness: the test's deadline is near and %s has not yet shown %s; standard error:\n%s", p.name, what, tail(p.Stderr(), 8192))
		}
	}
}

// notify wakes the waiters; p.mu must be held.
func (p *Proc) notify() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// maxLine is as much of one line as is kept for matching.
const maxLine = 4096

// lineWriter keeps a stream whole in buf and cuts it into lines.
type lineWriter struct {
	p       *Proc
	buf     *bytes.Buffer
	partial []byte
}

func (w *lineWriter) Write(b []byte) (int, error) {
	p, n := w.p, len(b)
	p.mu.Lock()
	defer p.mu.Unlock()
	w.buf.Write(b)
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			w.partial = appendMax(w.partial, b)
			break
		}
		p.lines = append(p.lines, string(appendMax(w.partial, b[:i])))
		w.partial = w.partial[:0]
		b = b[i+1:]
	}
	p.notify()
	return n, nil
}

func appendMax(dst, b []byte) []byte {
	return append(dst, b[:min(len(b), max(0, maxLine-len(dst)))]...)
}

type countingWriter struct {
	p *Proc
	w io.Writer
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.p.mu.Lock()
	c.p.stdinN += int64(n)
	c.p.notify()
	c.p.mu.Unlock()
	return n, err
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

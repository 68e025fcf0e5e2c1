// Package browserproc starts a real browser for a test and learns where it
// listens: what tests/cdp (Chromium) and tests/firefox (Firefox ESR)
// share below their protocols.
//
// A browser started with a remote-control port of 0 picks a free port and
// says which on its standard error ("DevTools listening on ws://…" from
// Chromium, "Listening on port N" from Marionette). [Start] reads that
// stream as it comes and hands back the address the moment the line
// appears: no polling of files, no sleeps. It also keeps the last lines,
// for the test's log when it fails, and stops the browser when the test
// ends.
//
// The package is for tests only: it fails the test on error.
package browserproc

import (
	"bufio"
	"context"
	"html"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Find returns the path of the first of names found on PATH, or "" if
// none is. Tests skip when it is "".
func Find(names ...string) string {
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Options configures [Start].
type Options struct {
	// Bin is the browser's path, and Args its arguments.
	Bin  string
	Args []string
	// Dir is the browser's home, where its profile goes: HOME and the
	// XDG directories point there, so that it reads and writes nothing of
	// the user running the tests. Make it with t.TempDir before Start, so
	// that it is removed after the browser has stopped (cleanups run last
	// in, first out).
	Dir string
	// Env is added to the test's environment.
	Env []string
	// Announce are the markers of the lines the browser writes to
	// standard error once it listens, such as "DevTools listening on ".
	// Start waits for every one and returns what follows each marker on
	// its line, in order.
	Announce []string
	// Noise, if set, reports lines not worth keeping for the log.
	Noise func(line string) bool
}

// Process is a running browser.
type Process struct {
	cmd    *exec.Cmd
	exited chan struct{}
	mu     sync.Mutex
	tail   []string
}

// tailLines is how many of the browser's last lines are kept for the log.
const tailLines = 40

// Start starts the browser and waits until it has announced every address
// of opt.Announce, which it returns; it fails the test if the browser
// exits first or ctx ends. The test's cleanup stops the browser: a driver
// that registers its own cleanup to quit politely (after Start) runs
// before it, and [Process.Wait] lets it wait for the exit.
func Start(t testing.TB, ctx context.Context, opt Options) (*Process, []string) {
	t.Helper()
	p := &Process{exited: make(chan struct{})}
	p.cmd = exec.Command(opt.Bin, opt.Args...)
	p.cmd.Env = append(os.Environ(), "HOME="+opt.Dir, "XDG_CONFIG_HOME="+opt.Dir, "XDG_CACHE_HOME="+opt.Dir)
	p.cmd.Env = append(p.cmd.Env, opt.Env...)
	// Our own pipe, not cmd.StderrPipe: the browser's child processes
	// inherit standard error, and Wait must not wait for them to close it.
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stdout, p.cmd.Stderr = pw, pw
	if err := p.cmd.Start(); err != nil {
		pw.Close()
		pr.Close()
		t.Fatalf("starting %s: %v", opt.Bin, err)
	}
	pw.Close()
	go func() { p.cmd.Wait(); close(p.exited) }()

	found := make([]string, len(opt.Announce))
	missing := len(opt.Announce)
	ready := make(chan struct{})
	if missing == 0 {
		close(ready)
	}
	go func() {
		defer pr.Close()
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			for i, m := range opt.Announce {
				if _, rest, ok := strings.Cut(line, m); ok && found[i] == "" && missing > 0 {
					found[i] = strings.TrimSpace(rest)
					if missing--; missing == 0 {
						close(ready)
					}
				}
			}
			if opt.Noise != nil && opt.Noise(line) {
				continue
			}
			p.mu.Lock()
			if p.tail = append(p.tail, line); len(p.tail) > tailLines {
				p.tail = p.tail[1:]
			}
			p.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		p.Wait(0)
		if t.Failed() {
			t.Logf("%s's last output lines:\n%s", opt.Bin, p.Tail())
		}
	})

	select {
	case <-ready:
		return p, found
	case <-p.exited:
		t.Fatalf("%s exited before it listened: %v\n%s", opt.Bin, p.cmd.ProcessState, p.Tail())
	case <-ctx.Done():
		t.Fatalf("%s did not say where it listens: %v\n%s", opt.Bin, ctx.Err(), p.Tail())
	}
	return nil, nil
}

// Exited is closed when the browser's process has exited.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// Wait waits up to grace for the browser to exit, as it does after being
// asked to quit, and kills it if it has not.
func (p *Process) Wait(grace time.Duration) {
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-p.exited:
		return
	case <-timer.C:
	}
	p.cmd.Process.Kill()
	<-p.exited
}

// Tail returns the last lines the browser wrote.
func (p *Process) Tail() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.tail, "\n")
}

var tagsRE = regexp.MustCompile(`(?is)<style.*?</style>|<script.*?</script>|<[^>]*>`)

// PlainText returns the text of an HTML fragment with tags (and any
// stylesheet or script) removed, entities decoded and white space collapsed to
// single spaces. Both drivers read an element's text this way, from its
// markup, so that a test reads the same words in either engine, hidden or
// shown.
func PlainText(s string) string {
	s = tagsRE.ReplaceAllString(s, " ")
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

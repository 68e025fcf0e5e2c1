//go:build failpoint

package failpoint

import (
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
)

// Enabled reports whether this binary was built with "-tags failpoint".
const Enabled = true

type point struct {
	action string
	nth    int64 // 0: every hit
	hits   atomic.Int64
}

var (
	armed = parse(os.Getenv(EnvVar))

	// gate is closed, and replaced, each time SIGUSR1 arrives; a paused
	// goroutine waits on the one current when it paused.
	gateMu sync.Mutex
	gate   = make(chan struct{})
)

func parse(spec string) map[string]*point {
	points := map[string]*point{}
	pause := false
	for _, s := range strings.Split(spec, ";") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		name, action, ok := strings.Cut(s, "=")
		if !ok || !known(name) {
			bad(fmt.Sprintf("%q is not NAME=ACTION with a known NAME (%s)", s, strings.Join(Names, ", ")))
		}
		p := &point{action: action}
		if a, n, ok := strings.Cut(action, "@"); ok {
			nth, err := strconv.ParseInt(n, 10, 64)
			if err != nil || nth < 1 {
				bad(fmt.Sprintf("%q: @N needs a count from 1", s))
			}
			p.action, p.nth = a, nth
		}
		switch p.action {
		case "announce", "exit":
		case "pause":
			pause = true
		default:
			bad(fmt.Sprintf("%q: unknown action %q (announce, exit or pause)", s, p.action))
		}
		points[name] = p
	}
	if pause {
		// Before any point can announce, so that a SIGUSR1 sent on seeing
		// the announcement is never lost to the default action (exit).
		c := make(chan os.Signal, 1)
		signal.Notify(c, syscall.SIGUSR1)
		go func() {
			for range c {
				gateMu.Lock()
				close(gate)
				gate = make(chan struct{})
				gateMu.Unlock()
			}
		}()
	}
	return points
}

func known(name string) bool {
	for _, n := range Names {
		if n == name {
			return true
		}
	}
	return false
}

func bad(msg string) {
	fmt.Fprintf(os.Stderr, "failpoint: %s: %s\n", EnvVar, msg)
	os.Exit(2)
}

// Inject performs the action armed for name, if any.
func Inject(name string) {
	p := armed[name]
	if p == nil {
		return
	}
	if n := p.hits.Add(1); p.nth != 0 && n != p.nth {
		return
	}
	gateMu.Lock()
	g := gate
	gateMu.Unlock()
	// One write, unbuffered, so the line is whole on the pipe before
	// anything else happens.
	os.Stderr.WriteString("failpoint " + name + " reached\n")
	switch p.action {
	case "exit":
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal is on its way
	case "pause":
		<-g
	}
}

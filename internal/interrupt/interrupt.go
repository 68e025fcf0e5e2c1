// Package interrupt makes SIGINT, SIGTERM and SIGHUP leave nothing behind:
// a command registers what must be undone if it is stopped (a temporary
// file holding plaintext, an editor's file), and marks the short sections
// that publish a finished output and report it, which a signal waits for.
// So a stopped command leaves either nothing or an output it reported.
//
// SIGKILL and power loss cannot be caught; what they leave is for the next
// run to remove (see review's pending outputs).
package interrupt

import (
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
)

var (
	// critical is held by Critical and, for good, by the handler once a
	// signal arrived: a section that publishes runs whole or not at all.
	critical sync.Mutex
	caught   atomic.Bool // a signal arrived

	mu    sync.Mutex
	next  int
	hooks = map[int]func(os.Signal){}
)

// Signals are the signals Catch handles.
var Signals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// OnInterrupt registers undo to run if a signal stops the command. The
// returned function unregisters it; call it once what undo would remove
// is gone or published.
func OnInterrupt(undo func(os.Signal)) (remove func()) {
	mu.Lock()
	defer mu.Unlock()
	n := next
	next++
	hooks[n] = undo
	return func() {
		mu.Lock()
		defer mu.Unlock()
		delete(hooks, n)
	}
}

// Caught reports whether a signal has arrived: the handler is then ending
// the process, and the caller should not go on as if nothing came.
func Caught() bool { return caught.Load() }

// Critical runs f with signals held off: a signal that arrives meanwhile
// is handled when f returns. f must be short (publishing, recording,
// reporting) and must not call Critical.
func Critical(f func()) {
	critical.Lock()
	f()
	if caught.Load() {
		// The handler is waiting to end the process with the signal's
		// status: let it, rather than go on as if nothing came.
		critical.Unlock()
		select {}
	}
	critical.Unlock()
}

// Catch handles Signals from now on: when one arrives it waits for a
// running Critical section, runs every registered undo, newest first, then
// calls exit, which must end the process.
func Catch(exit func(os.Signal)) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, Signals...)
	go func() {
		sig := <-c
		caught.Store(true)
		stop(sig)
		exit(sig)
	}()
}

// stop waits for a running Critical section, keeps any other from
// starting (for good: the process is ending), and runs every registered
// undo, newest first.
func stop(sig os.Signal) {
	critical.Lock()
	mu.Lock()
	var fs []func(os.Signal)
	for n := next - 1; n >= 0; n-- {
		if f, ok := hooks[n]; ok {
			fs = append(fs, f)
		}
	}
	hooks = map[int]func(os.Signal){}
	mu.Unlock()
	for _, f := range fs {
		f(sig)
	}
}

// ExitCode is the status a shell gives a process stopped by sig: 128 + its
// number.
func ExitCode(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 1
}

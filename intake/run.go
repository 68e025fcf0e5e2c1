package intake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"testimony/vault"
)

// RunOptions configures [Run]. DataDir is required, and either Recipients
// or Demo.
type RunOptions struct {
	DataDir        string
	RecipientsFile string // the reviewers' age recipients, one a line
	Addr           string // host:port, or unix:PATH, to listen on; empty means 127.0.0.1:8080
	Demo           bool   // make and use a demo reviewer key in DataDir
	// RequireHelp refuses to start, unless Demo, when Server.Help lacks a
	// language or still holds a template's placeholders (CheckHelp):
	// "intake serve" sets it, so a real server never shows her the
	// general text instead of the organisation's contacts.
	RequireHelp bool

	// Listener, if not nil, is used instead of listening on Addr.
	Listener net.Listener
	// Ready, if not nil, is called with the address once the server accepts.
	Ready func(addr string)
	// Server overrides Config fields other than Store, Recipients and Demo.
	Server Config
	// Log receives start, stop and failure messages; nil means stderr.
	Log *log.Logger
	// Timeouts of the public listener; zero fields mean the defaults.
	Timeouts Timeouts
	// MaxConns bounds open connections on the public listener. Zero means
	// 512.
	MaxConns int
}

const shutdownTimeout = time.Minute

// Run serves the survivor's form and the admin socket until ctx is done,
// then shuts down gracefully: submissions in progress finish (and are
// committed) before it returns.
func Run(ctx context.Context, o RunOptions) error {
	lg := o.Log
	if lg == nil {
		lg = log.New(os.Stderr, "intake: ", 0)
	}
	recipients, err := prepareRecipients(o, lg)
	if err != nil {
		return err
	}
	if o.RequireHelp && !o.Demo {
		if err := CheckHelp(o.Server.Help); err != nil {
			return err
		}
	}
	store, err := vault.Open(filepath.Join(o.DataDir, StoreFile), nil)
	if errors.Is(err, vault.ErrLocked) {
		return fmt.Errorf("the store in %s is in use: is another server running on it?", o.DataDir)
	}
	if err != nil {
		return err
	}
	defer store.Close()

	cfg := o.Server
	cfg.Store, cfg.Recipients, cfg.Demo = store, recipients, o.Demo
	if cfg.Log == nil {
		cfg.Log = lg
	}
	to := o.Timeouts.withDefaults()
	cfg.bodyIdle = to.BodyIdle
	srv, err := New(cfg)
	if err != nil {
		return err
	}
	admin, err := ListenAdmin(o.DataDir)
	if err != nil {
		return err
	}
	adminSrv := newAdminServer(store, recipients, to.BodyIdle)
	go adminSrv.Serve(admin)
	defer adminSrv.Close()

	ln := o.Listener
	if ln == nil {
		addr := o.Addr
		if addr == "" {
			addr = "127.0.0.1:8080"
		}
		if ln, err = listen(addr); err != nil {
			return err
		}
	}
	maxConns := o.MaxConns
	if maxConns == 0 {
		maxConns = 512
	}
	// At maxConns, a new connection closes the one idle longest, or waits
	// in the listen queue: a flood of silent clients cannot keep her page
	// from being served, nor slow ones take every file descriptor.
	limit := newConnLimit(ln, maxConns)
	setMemoryLimit(srv.cfg.KDFMemoryBudget)
	public := &http.Server{
		ConnState:         limit.ConnState,
		Handler:           srv,
		ReadHeaderTimeout: to.ReadHeader,
		ReadTimeout:       to.Read,
		WriteTimeout:      to.Write,
		IdleTimeout:       to.Idle,
		MaxHeaderBytes:    16 << 10,
		// net/http's own error lines name the client's address (over Tor
		// the tor daemon's, but still) and can quote the request: drop them.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	errc := make(chan error, 1)
	go func() { errc <- public.Serve(limit) }()
	lg.Printf("serving on http://%s (data in %s)", ln.Addr(), o.DataDir)
	if o.Ready != nil {
		o.Ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	lg.Printf("shutting down; waiting for submissions in progress")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	return public.Shutdown(sctx)
}

// setMemoryLimit tells the Go runtime how much the server should use: the
// KDF budget and 64 MiB for everything else. Argon2 allocates its memory
// afresh for every derivation; without a limit the garbage collector lets
// the heap grow to twice what is live before it runs, and a burst of
// receipts could hold twice the budget. GOMEMLIMIT in the environment wins.
func setMemoryLimit(kdfBudget int64) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(kdfBudget + 64<<20)
}

// listen listens on host:port, or on a unix socket for "unix:PATH", which
// is how tor's HiddenServicePort reaches a service without any TCP port
// (docs/deploy.md). A socket is made readable only by its owner and group.
func listen(addr string) (net.Listener, error) {
	path, ok := strings.CutPrefix(addr, "unix:")
	if !ok {
		return net.Listen("tcp", addr)
	}
	if c, err := net.Dial("unix", path); err == nil {
		c.Close()
		return nil, fmt.Errorf("%s is in use by another server", path)
	}
	os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o660); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

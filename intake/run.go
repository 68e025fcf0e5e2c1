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
	"unicode/utf8"

	"filippo.io/age"

	"testimony/internal/agekey"
	"testimony/vault"
)

// DemoKeyFile is the demo reviewer identity -demo writes into the data
// directory. Its presence marks the directory as a demonstration forever.
const DemoKeyFile = "demo-reviewer.key"

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

// Timeouts of the public listener. Tor links are slow and her account may be
// long, so a body may take long to arrive, but never stall; headers may not
// take long at all.
type Timeouts struct {
	ReadHeader time.Duration // default 20 s
	Read       time.Duration // a whole request; default none: bodies are held to BodyIdle
	Write      time.Duration // default 30 min
	Idle       time.Duration // between requests on a connection; default 2 min
	// BodyIdle is the progress deadline inside a body: within each BodyIdle
	// at least bodyProgress bytes must arrive, or the connection is cut.
	// Default 1 min.
	BodyIdle time.Duration
}

func (t Timeouts) withDefaults() Timeouts {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&t.ReadHeader, 20*time.Second)
	def(&t.Write, 30*time.Minute)
	def(&t.Idle, 2*time.Minute)
	def(&t.BodyIdle, time.Minute)
	return t
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

// prepareRecipients loads the reviewers' recipients, or in demo mode makes a
// demo identity, and records them in the data directory for exports.
func prepareRecipients(o RunOptions, lg *log.Logger) ([]age.Recipient, error) {
	demoKey := filepath.Join(o.DataDir, DemoKeyFile)
	_, statErr := os.Stat(demoKey)
	hasDemoKey := statErr == nil
	var text string
	if o.Demo || o.RecipientsFile != "" {
		if err := os.MkdirAll(o.DataDir, 0o700); err != nil {
			return nil, err
		}
	}
	switch {
	case o.Demo && o.RecipientsFile != "":
		return nil, errors.New("-demo makes its own key: give -demo or -recipients, not both")
	case o.Demo:
		id, err := loadOrMakeDemoKey(demoKey)
		if err != nil {
			return nil, err
		}
		text = "# DEMO reviewer key, kept next to the store: not for real testimony\n" + id.Recipient().String() + "\n"
		lg.Printf("DEMO MODE: the reviewer's PRIVATE key is %s, on this same machine.", demoKey)
		lg.Printf("DEMO MODE: anyone with this machine can read what is sent. Never use -demo for real testimony.")
	case hasDemoKey:
		return nil, fmt.Errorf("%s holds a demo key (%s): its testimony is readable by anyone with this machine; use a new -data directory for real use", o.DataDir, DemoKeyFile)
	case o.RecipientsFile == "":
		return nil, errors.New("no reviewer keys: give -recipients FILE (age public keys, one a line), or -demo to try it out")
	default:
		b, err := os.ReadFile(o.RecipientsFile)
		if err != nil {
			return nil, err
		}
		text = string(b)
	}
	recipients, err := agekey.ParseRecipients(strings.NewReader(text))
	if err == nil {
		// Refused now rather than at her first submission, which would be
		// answered "try again later" and stored nowhere.
		err = agekey.CheckRecipients(recipients)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", o.RecipientsFile, err)
	}
	path := filepath.Join(o.DataDir, RecipientsFile)
	if err := os.WriteFile(path+".new", []byte(text), 0o600); err != nil {
		return nil, err
	}
	return recipients, os.Rename(path+".new", path)
}

func loadOrMakeDemoKey(path string) (*age.X25519Identity, error) {
	if b, err := os.ReadFile(path); err == nil {
		ids, err := age.ParseIdentities(strings.NewReader(string(b)))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		if id, ok := ids[0].(*age.X25519Identity); ok {
			return id, nil
		}
		return nil, fmt.Errorf("%s: not an X25519 identity", path)
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, err
	}
	content := fmt.Sprintf("# DEMO reviewer key made by intake serve -demo. NOT FOR REAL TESTIMONY.\n# public key: %s\n%s\n", id.Recipient(), id)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		return nil, err
	}
	return id, nil
}

// helpPlaceholder opens a placeholder in the help templates of
// docs/deploy/help: text the organisation must replace with its own.
const helpPlaceholder = "[["

// CheckHelp reports whether help, as LoadHelp read it, holds a text for
// every language of the form and none still holds a template placeholder.
// Without its own texts the page would show her a general one, with no
// contact to reach: a real server must not start so (issue 17).
func CheckHelp(help map[string]string) error {
	for _, l := range languages {
		text, ok := help[string(l)]
		file := "help." + string(l) + ".txt"
		switch {
		case !ok || strings.TrimSpace(text) == "":
			return fmt.Errorf("no %s in -help-dir: write the organisation's contacts in help.ko.txt, help.zh.txt and help.en.txt, starting from the templates in docs/deploy/help (only -demo starts without them)", file)
		case strings.Contains(text, helpPlaceholder) || strings.Contains(text, "]]"):
			return fmt.Errorf("%s still holds the template's [[ ]] placeholders: write the organisation's own contacts in their place", file)
		}
	}
	return nil
}

// LoadHelp reads the referral page's texts from dir: help.ko.txt,
// help.zh.txt and help.en.txt, each optional. An empty dir means none.
func LoadHelp(dir string) (map[string]string, error) {
	help := map[string]string{}
	if dir == "" {
		return help, nil
	}
	if _, err := os.Stat(dir); err != nil {
		return nil, err
	}
	for _, l := range languages {
		b, err := os.ReadFile(filepath.Join(dir, "help."+string(l)+".txt"))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if len(b) > 64<<10 || !utf8.Valid(b) {
			return nil, fmt.Errorf("%s: a help text is UTF-8 and at most 64 KiB", filepath.Join(dir, "help."+string(l)+".txt"))
		}
		help[string(l)] = string(b)
	}
	return help, nil
}

package intake

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"filippo.io/age"

	"testimony/vault"
)

// The store is locked by a running server, so the export command talks to
// it over a unix socket in the data directory, reachable only by the
// server's own user (mode 0600 in a 0700 directory). It serves no page to
// the network.

// AdminHandler serves the local administration API: POST /export streams a
// bundle, POST /export/recorded records that the bundle was stored, POST
// /import-replies stores a reply bundle, and POST /backup streams a copy
// of the store encrypted to recipients (its status in a trailer).
func AdminHandler(store *vault.Store, recipients []age.Recipient) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /backup", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trailer", "Backup-Status")
		if err := writeBackup(w, store, recipients); err != nil {
			w.Header().Set("Backup-Status", "failed")
			return
		}
		w.Header().Set("Backup-Status", "ok")
	})
	mux.HandleFunc("POST /import-replies", func(w http.ResponseWriter, r *http.Request) {
		n, err := store.ImportReplies(http.MaxBytesReader(w, r.Body, vault.MaxReplyBundle+1))
		if err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		fmt.Fprint(w, n)
	})
	mux.HandleFunc("POST /export", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trailer", "Bundle-Status")
		w.Header().Set("Content-Type", "application/octet-stream")
		// WriteBundle answers ErrNothingNew before it writes a byte, so that
		// case still gets its own status.
		info, err := store.WriteBundle(w, recipients, r.URL.Query().Get("all") == "1")
		if errors.Is(err, vault.ErrNothingNew) {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		if err != nil {
			w.Header().Set("Bundle-Status", "failed")
			return
		}
		w.Header().Set("Bundle-Status", "ok "+infoString(info))
	})
	mux.HandleFunc("POST /export/recorded", func(w http.ResponseWriter, r *http.Request) {
		info, err := parseInfo(r.URL.Query().Get("info"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		h, err := vault.ParseHash(r.URL.Query().Get("hash"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := store.RecordExport(info, h); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	})
	return mux
}

// newAdminServer serves AdminHandler with idle and progress deadlines: a
// request must come within idle of connecting, a body must keep coming,
// and an answer must keep being read, each within idle, or the connection
// is cut. There is no deadline for a whole response, which would cut a
// large export; but an export or backup whose reader stops no longer
// holds the server (nor, since it holds no read transaction while
// writing, any commit).
func newAdminServer(store *vault.Store, recipients []age.Recipient, idle time.Duration) *http.Server {
	h := AdminHandler(store, recipients)
	return &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rc := http.NewResponseController(w)
			if rc.SetReadDeadline(time.Now().Add(idle)) == nil {
				r.Body = &movingBody{ReadCloser: r.Body, rc: rc, idle: idle}
			}
			h.ServeHTTP(&movingWriter{ResponseWriter: w, rc: rc, idle: idle}, r)
		}),
		ReadHeaderTimeout: idle,
		IdleTimeout:       idle,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
}

func infoString(i vault.BundleInfo) string {
	return fmt.Sprintf("%d %d %d %s", i.From, i.To, i.Items, i.Head)
}

func parseInfo(s string) (vault.BundleInfo, error) {
	var i vault.BundleInfo
	var head string
	if _, err := fmt.Sscanf(s, "%d %d %d %s", &i.From, &i.To, &i.Items, &head); err != nil {
		return i, errors.New("bad bundle info")
	}
	h, err := vault.ParseHash(head)
	i.Head = h
	return i, err
}

// ListenAdmin opens the admin socket in dataDir, replacing a stale one left
// by a crash.
func ListenAdmin(dataDir string) (net.Listener, error) {
	path := filepath.Join(dataDir, AdminSocket)
	if c, err := net.Dial("unix", path); err == nil {
		c.Close()
		return nil, fmt.Errorf("another server is already running on %s", dataDir)
	}
	os.Remove(path)
	l, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

// writeBackup writes a consistent copy of the whole store, taken while it
// stays open, age-encrypted to the reviewers: it holds only ciphertext, but
// also the receipts' look-up tags and the key that authenticates replies,
// which a lost backup should not give away.
func writeBackup(w io.Writer, store *vault.Store, recipients []age.Recipient) error {
	a, err := age.Encrypt(w, recipients...)
	if err != nil {
		return err
	}
	if err := store.Backup(a); err != nil {
		return err
	}
	return a.Close()
}

package intake

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"

	"testimony/internal/agekey"
	"testimony/internal/safefile"
	"testimony/vault"
)

// Files in the data directory.
const (
	StoreFile      = "store.db"
	RecipientsFile = "recipients.txt" // the public keys the store's data is encrypted to
	AdminSocket    = "admin.sock"     // local administration while serving
)

// The store is locked by a running server, so the export command talks to
// it over a unix socket in the data directory, reachable only by the
// server's own user (mode 0600 in a 0700 directory). It serves no page to
// the network.

// AdminHandler serves the local administration API: POST /export streams a
// bundle, POST /export/recorded records that the bundle was stored, POST
// /import-replies stores a reply bundle.
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

// movingWriter gives each write idle to get through: a progress deadline
// for a long answer, which may take long to prepare (a backup copies the
// store first) but not to be taken.
type movingWriter struct {
	http.ResponseWriter
	rc   *http.ResponseController
	idle time.Duration
}

func (m *movingWriter) Write(p []byte) (int, error) {
	m.rc.SetWriteDeadline(time.Now().Add(m.idle))
	return m.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection.
func (m *movingWriter) Unwrap() http.ResponseWriter { return m.ResponseWriter }

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

// Export writes a bundle of everything new in dataDir to out, which must not
// exist yet. It works whether or not a server is running on dataDir: with
// one, it asks the server over the admin socket; without, it opens the store
// itself. The file appears whole or not at all, with mode 0600.
func Export(ctx context.Context, dataDir, out string, all bool) (vault.BundleInfo, error) {
	var info vault.BundleInfo
	if _, err := os.Lstat(out); err == nil {
		return info, fmt.Errorf("%s: %w", out, safefile.ErrExists)
	}
	client := adminClient(dataDir)
	resp, err := client.Post("http://admin/export?all="+boolParam(all), "", nil)
	if err == nil {
		defer resp.Body.Close()
		return exportViaServer(ctx, client, resp, out)
	}
	return exportDirect(dataDir, out, all)
}

func boolParam(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func adminClient(dataDir string) *http.Client {
	sock := filepath.Join(dataDir, AdminSocket)
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		},
	}}
}

func exportViaServer(ctx context.Context, client *http.Client, resp *http.Response, out string) (vault.BundleInfo, error) {
	var info vault.BundleInfo
	if resp.StatusCode == http.StatusConflict {
		return info, vault.ErrNothingNew
	}
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		return info, fmt.Errorf("the server refused the export: %s", bytes.TrimSpace(msg))
	}
	hash, err := safefile.WriteNew(out, func(w io.Writer) error {
		if _, err := io.Copy(w, resp.Body); err != nil {
			return err
		}
		status := resp.Trailer.Get("Bundle-Status")
		s, ok := bytes.CutPrefix([]byte(status), []byte("ok "))
		if !ok {
			return errors.New("the server failed while writing the bundle; see its log")
		}
		var perr error
		info, perr = parseInfo(string(s))
		return perr
	})
	if err != nil {
		return info, err
	}
	q := url.Values{"info": {infoString(info)}, "hash": {vault.Hash(hash).String()}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://admin/export/recorded?"+q.Encode(), nil)
	r2, err := client.Do(req)
	if err != nil {
		return info, fmt.Errorf("the bundle is written, but the server did not record the export: %w", err)
	}
	r2.Body.Close()
	if r2.StatusCode != http.StatusOK {
		return info, fmt.Errorf("the bundle is written, but the server did not record the export (status %d)", r2.StatusCode)
	}
	return info, nil
}

func exportDirect(dataDir, out string, all bool) (vault.BundleInfo, error) {
	var info vault.BundleInfo
	store, err := openDirect(dataDir)
	if err != nil {
		return info, err
	}
	defer store.Close()
	recipients, err := LoadRecipients(filepath.Join(dataDir, RecipientsFile))
	if err != nil {
		return info, err
	}
	hash, err := safefile.WriteNew(out, func(w io.Writer) error {
		info, err = store.WriteBundle(w, recipients, all)
		return err
	})
	if err != nil {
		return info, err
	}
	return info, store.RecordExport(info, hash)
}

// ImportReplies stores the replies of a reply bundle (written by "review
// reply") in dataDir's store, through the running server if there is one.
// It returns how many replies were stored.
func ImportReplies(dataDir, path string) (int, error) {
	var f io.Reader = os.Stdin
	if path != "-" {
		file, err := os.Open(path)
		if err != nil {
			return 0, err
		}
		defer file.Close()
		f = file
	}
	if c, err := net.Dial("unix", filepath.Join(dataDir, AdminSocket)); err == nil {
		c.Close()
		resp, err := adminClient(dataDir).Post("http://admin/import-replies", "application/octet-stream", f)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		if resp.StatusCode != http.StatusOK {
			return 0, serverError(strings.TrimSpace(string(msg)))
		}
		var n int
		_, err = fmt.Sscan(string(msg), &n)
		return n, err
	}
	store, err := openDirect(dataDir)
	if err != nil {
		return 0, err
	}
	defer store.Close()
	return store.ImportReplies(f)
}

// serverError turns the admin socket's answer back into the error it was,
// so callers can tell forged and replayed reply bundles apart.
func serverError(msg string) error {
	for _, e := range []error{vault.ErrForged, vault.ErrReplayedReplies} {
		if strings.Contains(msg, e.Error()) {
			return e
		}
	}
	return errors.New(msg)
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

// Backup writes an encrypted copy of dataDir's store to out, which must not
// exist, through the running server if there is one. Restore it on a
// reviewer's machine with "age -d -i KEY out > store.db" (docs/deploy.md).
func Backup(dataDir, out string) error {
	if _, err := os.Lstat(out); err == nil {
		return fmt.Errorf("%s: %w", out, safefile.ErrExists)
	}
	client := adminClient(dataDir)
	if resp, err := client.Post("http://admin/backup", "", nil); err == nil {
		defer resp.Body.Close()
		_, err := safefile.WriteNew(out, func(w io.Writer) error {
			if _, err := io.Copy(w, resp.Body); err != nil {
				return err
			}
			if resp.Trailer.Get("Backup-Status") != "ok" {
				return errors.New("the server failed while writing the backup; see its log")
			}
			return nil
		})
		return err
	}
	store, err := openDirect(dataDir)
	if err != nil {
		return err
	}
	defer store.Close()
	recipients, err := LoadRecipients(filepath.Join(dataDir, RecipientsFile))
	if err != nil {
		return err
	}
	_, err = safefile.WriteNew(out, func(w io.Writer) error { return writeBackup(w, store, recipients) })
	return err
}

// openDirect opens the store of a data directory no server is running on.
func openDirect(dataDir string) (*vault.Store, error) {
	if _, err := os.Stat(filepath.Join(dataDir, StoreFile)); err != nil {
		return nil, fmt.Errorf("no store in %s: is it the -data directory of intake serve?", dataDir)
	}
	store, err := vault.Open(filepath.Join(dataDir, StoreFile), &vault.Options{LockTimeout: 500 * time.Millisecond})
	if errors.Is(err, vault.ErrLocked) {
		return nil, fmt.Errorf("the store in %s is in use, but no server answers on its admin socket", dataDir)
	}
	return store, err
}

// LoadRecipients reads a recipients file, giving the path in errors.
func LoadRecipients(path string) ([]age.Recipient, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := agekey.ParseRecipients(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return recs, nil
}

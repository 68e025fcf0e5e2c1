package intake

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"testimony/internal/safefile"
	"testimony/vault"
)

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

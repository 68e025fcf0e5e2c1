package intake

import (
	"bufio"
	"crypto/rand"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"testimony/tests/vaulttest"
	"testimony/vault"
)

// TestStalledAdminReaderIsCut asks the admin socket for an export and a
// backup larger than the socket holds, and stops reading: the server cuts
// each connection by its progress deadline (seen as the connection's
// close), and a submission commits meanwhile and afterwards.
func TestStalledAdminReaderIsCut(t *testing.T) {
	store, _ := vaulttest.Open(t)
	rec := []age.Recipient{vaulttest.Identity(t).Recipient()}
	commit := func() {
		t.Helper()
		sub := store.Begin(rec)
		w, _ := sub.CreatePart(vault.PartHeader{Kind: vault.KindAttachment})
		io.CopyN(w, rand.Reader, 4<<20)
		w.Close()
		if _, err := sub.Commit(nil); err != nil {
			t.Fatal(err)
		}
	}
	for range 4 {
		commit()
	}
	dir := t.TempDir()
	ln, err := ListenAdmin(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := newAdminServer(store, rec, 200*time.Millisecond)
	closed := make(chan struct{}, 4)
	srv.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateClosed {
			closed <- struct{}{}
		}
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	for _, path := range []string{"/export?all=1", "/backup"} {
		c, err := net.Dial("unix", filepath.Join(dir, AdminSocket))
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(c, "POST "+path+" HTTP/1.1\r\nHost: admin\r\nContent-Length: 0\r\n\r\n")
		status, err := bufio.NewReader(c).ReadString('\n')
		if err != nil || !strings.Contains(status, "200") {
			t.Fatalf("%s: %q, %v", path, status, err)
		}
		commit() // while the reader stalls
		<-closed // cut by the progress deadline, not by us
		c.Close()
		commit()
	}
}

package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"filippo.io/age"

	"testimony/intake"
	"testimony/review"
	"testimony/tests/harness"
	"testimony/vault"
)

// TestReplyReachesHerThroughTheRunningServer: she submits, the bundle goes
// to a workspace, a reviewer's reply comes back in a reply bundle imported
// through the admin socket while the server runs, and her return visit
// shows it.
func TestReplyReachesHerThroughTheRunningServer(t *testing.T) {
	root := t.TempDir()
	id, _, recFile := writeKeys(t, root)
	data := filepath.Join(root, "data")
	srv := startServer(t, data, recFile)

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	tok, err := writeToken(srv.url)
	if err != nil {
		t.Fatal(err)
	}
	mw.WriteField("n", tok)
	mw.WriteField("testimony", "나는 2019년에 팔려 갔습니다.")
	mw.WriteField("consent", "review")
	mw.Close()
	resp, err := http.Post(srv.url+"/ko/submit", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	words := shownWords(string(page))
	if words == "" {
		t.Fatal("the receipt page shows no words")
	}

	bundle := filepath.Join(root, "bundle.age")
	if _, err := intake.Export(context.Background(), data, bundle, false); err != nil {
		t.Fatal(err)
	}

	// An online backup through the running server decrypts, with a
	// reviewer key, to a store that opens and holds the submission.
	backup := filepath.Join(root, "backup.age")
	if err := intake.Backup(data, backup); err != nil {
		t.Fatal(err)
	}
	bf, _ := os.Open(backup)
	plain, err := age.Decrypt(bf, id)
	if err != nil {
		t.Fatal(err)
	}
	restored := filepath.Join(root, "restored.db")
	rf, _ := os.OpenFile(restored, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	io.Copy(rf, plain)
	rf.Close()
	bf.Close()
	rs, err := vault.Open(restored, nil)
	if err != nil {
		t.Fatal(err)
	}
	if es, err := rs.Custody(); err != nil || len(es) < 1 {
		t.Fatalf("restored store: %d entries, %v", len(es), err)
	}
	rs.Close()
	ws, err := review.Open(filepath.Join(root, "ws"), true)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()

	// The reviewer's side: her reply key and the server's reply
	// authentication key both come out of the bundle.
	f, _ := os.Open(bundle)
	var replyKey string
	var sub vault.ID
	r := vault.BundleReader{Identities: []age.Identity{id}, Part: func(it vault.Item, _ int, ct io.Reader) error {
		return vault.EachSection(ct, []age.Identity{id}, func(h vault.PartHeader, c io.Reader) error {
			if h.Kind == vault.KindReplyKey {
				b, _ := io.ReadAll(c)
				replyKey, sub = string(b), it.ID
			}
			return nil
		})
	}}
	b, err := r.Read(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	ct, err := vault.SealReply([]byte("잘 읽었습니다. 몸조심하세요."), replyKey)
	if err != nil {
		t.Fatal(err)
	}
	var rb bytes.Buffer
	vault.WriteReplies(&rb, b.Server, b.ReplyAuth, b.Created, []vault.Reply{{To: sub, Ciphertext: ct}})
	replies := filepath.Join(root, "replies.bin")
	os.WriteFile(replies, rb.Bytes(), 0o600)
	if n, err := intake.ImportReplies(data, replies); err != nil || n != 1 {
		t.Fatalf("import-replies through the server: %d, %v", n, err)
	}
	if _, err := intake.ImportReplies(data, replies); err != vault.ErrReplayedReplies {
		t.Fatalf("replayed through the server: %v", err)
	}

	resp, err = http.Get(srv.url + "/ko/return")
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	resp, err = http.PostForm(srv.url+"/ko/return", url.Values{"receipt": {words}, "n": {string(formTokenRE.FindSubmatch(page)[1])}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "잘 읽었습니다. 몸조심하세요.") {
		t.Fatal("her return visit does not show the reply")
	}
}

// TestShutdownFinishesSubmissionsInFlight: a submission still uploading
// when the server is told to stop (SIGTERM from systemd, SIGINT from a
// terminal) is committed and acknowledged before it exits; nothing
// acknowledged is lost. The moments are events: her request asks for
// "100 Continue", which the server sends only once her handler reads the
// body; the second half is sent only once the server says it is shutting
// down.
func TestShutdownFinishesSubmissionsInFlight(t *testing.T) {
	for _, sig := range []os.Signal{syscall.SIGTERM, os.Interrupt} {
		t.Run(sig.String(), func(t *testing.T) {
			root := t.TempDir()
			_, _, recFile := writeKeys(t, root)
			data := filepath.Join(root, "data")
			p, base := harness.Serve(serveCmd(t, harness.Intake, "-data", data, "-recipients", recFile))

			tok, err := writeToken(base)
			if err != nil {
				t.Fatal(err)
			}
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			mw.WriteField("n", tok)
			mw.WriteField("testimony", "the first half of her account, and the second half.")
			mw.Close()
			half := bytes.Index(body.Bytes(), []byte("and the second half."))

			host := strings.TrimPrefix(base, "http://")
			c, err := net.Dial("tcp", host)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			fmt.Fprintf(c, "POST /en/submit HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n",
				host, mw.FormDataContentType(), body.Len())
			br := bufio.NewReader(c)
			resp, err := http.ReadResponse(br, nil)
			if err != nil || resp.StatusCode != http.StatusContinue {
				t.Fatalf("before her body: %v, %v; want 100 Continue", resp, err)
			}
			c.Write(body.Bytes()[:half])
			p.Signal(sig)
			p.WaitLine("shutting down; waiting for submissions in progress")
			// The server is shutting down; her upload goes on and finishes.
			c.Write(body.Bytes()[half:])
			resp, err = http.ReadResponse(br, nil)
			if err != nil {
				t.Fatalf("no answer to the submission in flight: %v", err)
			}
			page, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK || !receiptPattern.Match(page) {
				t.Fatalf("no receipt for the submission in flight: status %d, %.200s", resp.StatusCode, page)
			}
			if err := p.Wait(); err != nil {
				t.Fatalf("after %v the server exited with %v", sig, err)
			}
			store, err := vault.Open(filepath.Join(data, intake.StoreFile), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			if es, err := store.Custody(); err != nil || len(es) != 1 {
				t.Fatalf("after shutdown: %d entries, %v", len(es), err)
			}
		})
	}
}

// TestServeOnUnixSocket: -addr unix:PATH serves the form on a socket, as
// tor's HiddenServicePort can point at.
func TestServeOnUnixSocket(t *testing.T) {
	root := t.TempDir()
	_, _, recFile := writeKeys(t, root)
	sock := filepath.Join(root, "http.sock")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	ready := make(chan string, 1)
	go func() {
		done <- intake.Run(ctx, intake.RunOptions{DataDir: filepath.Join(root, "data"), RecipientsFile: recFile,
			Addr: "unix:" + sock, Ready: func(a string) { ready <- a }, Log: log.New(io.Discard, "", 0)})
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", sock)
	}}}
	resp, err := client.Get("http://onion/ko/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	info, _ := os.Stat(sock)
	if resp.StatusCode != 200 || info.Mode().Perm() != 0o660 {
		t.Fatalf("status %d, socket mode %v", resp.StatusCode, info.Mode().Perm())
	}
	cancel()
	<-done
}

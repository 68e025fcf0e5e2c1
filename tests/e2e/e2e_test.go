// Package e2e tests the whole path of a testimony with real components: the
// intake server on a loopback port, its bbolt store, real age keys, a bundle
// file on disk, and a review workspace.
package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"log"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"filippo.io/age"

	"testimony/intake"
	"testimony/internal/agekey"
	"testimony/review"
	"testimony/tests/vaulttest"
	"testimony/vault"
)

// cheapKDF keeps tests fast; the production cost is measured separately.
var cheapKDF = intake.KDFParams{Time: 1, MemoryKiB: 256, Threads: 1}

// syncBuffer is a log destination safe for concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.b.Bytes())
}

type server struct {
	url  string
	data string
	logs *syncBuffer
	stop func()
}

// startServer runs intake.Run, as "intake serve" does, on a loopback port.
func startServer(t *testing.T, data, recipients string) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	ready := make(chan struct{})
	go func() {
		done <- intake.Run(ctx, intake.RunOptions{
			DataDir: data, RecipientsFile: recipients, Listener: ln,
			Server: intake.Config{KDF: cheapKDF},
			Log:    log.New(logs, "intake: ", 0),
			Ready:  func(string) { close(ready) },
		})
	}()
	s := &server{url: "http://" + ln.Addr().String(), data: data, logs: logs}
	var once sync.Once
	s.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
				t.Errorf("server: %v", err)
			}
		})
	}
	t.Cleanup(s.stop)
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("server did not start: %v", err)
	}
	return s
}

var receiptPattern = regexp.MustCompile(`\d{4}( \d{4}){4}`)

// shownWords is the receipt as the page lists it, one word an item, joined
// by spaces as she would type it; "" if the page shows none.
func shownWords(page string) string {
	m := regexp.MustCompile(`(?s)id="receipt">(.*?)</ol>`).FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	var words []string
	for _, w := range regexp.MustCompile(`<li>([^<]+)</li>`).FindAllStringSubmatch(m[1], -1) {
		words = append(words, html.UnescapeString(w[1]))
	}
	return strings.Join(words, " ")
}

var formTokenRE = regexp.MustCompile(`name="n" value="([^"]+)"`)

// writeToken loads the write page, as her browser does before she writes,
// and returns its single-use form token.
func writeToken(url string) (string, error) {
	resp, err := http.Get(url + "/en/write")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	page, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	m := formTokenRE.FindSubmatch(page)
	if m == nil {
		return "", fmt.Errorf("the write page (status %d) has no form token", resp.StatusCode)
	}
	return string(m[1]), nil
}

// submit posts an account through the form, as a browser does, and returns
// the receipt shown.
func submit(t *testing.T, url, lang, text string) string {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	tok, err := writeToken(url)
	if err != nil {
		t.Fatal(err)
	}
	mw.WriteField("n", tok)
	mw.WriteField("testimony", text)
	mw.Close()
	resp, err := http.Post(url+"/"+lang+"/submit", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("submit: status %d", resp.StatusCode)
	}
	receipt := receiptPattern.Find(page)
	if receipt == nil {
		t.Fatal("no receipt on the page")
	}
	return string(receipt)
}

func writeKeys(t testing.TB, dir string) (age.Identity, string, string) {
	t.Helper()
	id := vaulttest.Identity(t)
	keyFile := filepath.Join(dir, "reviewer.key")
	recFile := filepath.Join(dir, "recipients.txt")
	os.WriteFile(keyFile, []byte(id.String()+"\n"), 0o600)
	os.WriteFile(recFile, []byte("# the team\n"+id.Recipient().String()+"\n"), 0o600)
	return id, keyFile, recFile
}

// TestEndToEnd submits N accounts with canaries through HTTP, exports a
// bundle while the server runs, imports it, and reads every canary back
// exactly once; then it scans every byte the run wrote for them in clear.
func TestEndToEnd(t *testing.T) {
	root := t.TempDir()
	tmp := filepath.Join(root, "tmp")
	os.Mkdir(tmp, 0o700)
	t.Setenv("TMPDIR", tmp) // anything that spills to a temp file lands here
	keys := filepath.Join(root, "keys")
	os.Mkdir(keys, 0o700)
	id, keyFile, recFile := writeKeys(t, keys)
	data := filepath.Join(root, "data")
	srv := startServer(t, data, recFile)

	const n = 12
	var canaries []string
	receipts := map[string]bool{}
	langs := []string{"ko", "zh", "en"}
	for i := range n {
		c := vaulttest.Canary()
		canaries = append(canaries, c)
		text := fmt.Sprintf("나는 %d년에 팔려 갔습니다. 我被卖了。 %s\nline two", 2000+i, c)
		if i == 0 {
			text += strings.Repeat(" 긴 이야기", 30000) // ~450 KB: staged in chunks
		}
		r := submit(t, srv.url, langs[i%3], text)
		if receipts[r] {
			t.Fatal("a receipt was shown twice")
		}
		receipts[r] = true
	}

	out := filepath.Join(root, "usb")
	os.Mkdir(out, 0o700)
	bundle := filepath.Join(out, "bundle.age")
	info, err := intake.Export(context.Background(), data, bundle, false)
	if err != nil {
		t.Fatal(err)
	}
	if info.Items != n {
		t.Fatalf("bundle holds %d items, want %d", info.Items, n)
	}
	if _, err := intake.Export(context.Background(), data, filepath.Join(out, "again.age"), false); !errors.Is(err, vault.ErrNothingNew) {
		t.Fatalf("second export: got %v, want ErrNothingNew", err)
	}
	srv.stop()

	wsDir := filepath.Join(root, "workspace")
	ws, err := review.Open(wsDir, true)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	importer, err := ws.Unlock([]age.Identity{id})
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(bundle)
	res, err := importer.Import(f, nil)
	f.Close()
	if err != nil || res.Items != n {
		t.Fatalf("import: %+v, %v", res, err)
	}
	ids, err := agekey.LoadIdentities([]string{keyFile})
	if err != nil {
		t.Fatal(err)
	}
	rv, err := ws.Unlock(ids)
	if err != nil {
		t.Fatal(err)
	}
	sums, err := rv.List()
	if err != nil || len(sums) != n {
		t.Fatalf("list: %d, %v", len(sums), err)
	}
	var all bytes.Buffer
	for _, s := range sums {
		if err := rv.Show(s.ID, &all); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range canaries {
		if k := strings.Count(all.String(), c); k != 1 {
			t.Errorf("canary %s came back %d times, want once", c, k)
		}
	}

	logFile := filepath.Join(root, "intake.log")
	os.WriteFile(logFile, srv.logs.Bytes(), 0o600)
	files, size := vaulttest.ScanForCanaries(t, canaries, data, out, wsDir, tmp, logFile, os.TempDir())
	if files < 5 || size < 100<<10 {
		t.Fatalf("the scan read only %d files, %d bytes", files, size)
	}
	t.Logf("scanned %d files, %d bytes: no canary in clear", files, size)
}

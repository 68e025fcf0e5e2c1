package e2e

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"filippo.io/age"

	"testimony/internal/failpoint"
	"testimony/review"
	"testimony/tests/harness"
	"testimony/tests/vaulttest"
	"testimony/vault"
)

// These tests run the real binaries as separate processes, through
// tests/harness, so they can be killed with SIGKILL at chosen moments and
// their memory measured from /proc.

func TestMain(m *testing.M) { harness.Main(m) }

// serveCmd returns the command "intake serve" on a free loopback port with
// args (which must include -data and key options), built as prog. Without
// -demo it gives the help texts serve requires (helpDir).
func serveCmd(t *testing.T, prog harness.Program, args ...string) *harness.Cmd {
	t.Helper()
	if !slices.Contains(args, "-demo") && !slices.Contains(args, "-help-dir") {
		args = append(args, "-help-dir", helpDir(t))
	}
	return prog.Command(t, append([]string{"serve", "-addr", "127.0.0.1:0"}, args...)...)
}

// helpDir writes an organisation's help texts, as docs/deploy/help's
// templates filled in, to a new directory.
func helpDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, l := range []string{"ko", "zh", "en"} {
		if err := os.WriteFile(filepath.Join(dir, "help."+l+".txt"), []byte("test organisation: 000\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// memory returns a process's resident memory in bytes: anonymous (heap,
// stacks) and in all (with mapped files, such as bbolt's mmap).
func memory(pid int) (anon, total int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "RssAnon:":
			anon = kb << 10
		case "VmRSS:":
			total = kb << 10
		}
	}
	return anon, total
}

// peakMemory samples p's memory until stop is closed. (Sampling on a
// ticker is a measurement, not a signal: the assertion is on the peak seen.)
func peakMemory(p *harness.Proc, stop <-chan struct{}) (peakAnon, peakTotal func() int64) {
	var mu sync.Mutex
	var a, tt int64
	go func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				anon, total := memory(p.Pid())
				mu.Lock()
				a, tt = max(a, anon), max(tt, total)
				mu.Unlock()
			}
		}
	}()
	get := func(v *int64) func() int64 {
		return func() int64 { mu.Lock(); defer mu.Unlock(); return *v }
	}
	return get(&a), get(&tt)
}

// post sends a submission with text and, if attachment > 0, a file of
// that many bytes streamed from a generator; it returns the HTTP status
// and whether a receipt was shown.
func postSubmission(ctx context.Context, url, text string, attachment int64) (int, bool, error) {
	return postSubmissionThen(ctx, url, text, attachment, nil)
}

// postSubmissionThen is postSubmission calling sent once the whole body
// has been handed to the connection.
func postSubmissionThen(ctx context.Context, url, text string, attachment int64, sent func()) (int, bool, error) {
	tok, err := writeToken(url)
	if err != nil {
		return 0, false, err
	}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := mw.WriteField("n", tok)
		if err == nil {
			err = mw.WriteField("testimony", text)
		}
		if err == nil && attachment > 0 {
			var w io.Writer
			if w, err = mw.CreateFormFile("files", "video.mp4"); err == nil {
				_, err = io.Copy(w, io.LimitReader(zeros{}, attachment))
			}
		}
		if err == nil {
			err = mw.Close()
		}
		if sent != nil {
			sent()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequestWithContext(ctx, "POST", url+"/en/submit", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		pr.CloseWithError(err)
		return 0, false, err
	}
	defer resp.Body.Close()
	page, err := io.ReadAll(resp.Body)
	return resp.StatusCode, receiptPattern.Match(page), err
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// readAllTexts imports a bundle into a fresh workspace and returns every
// text part, decrypted.
func readAllTexts(t *testing.T, bundle string, id age.Identity) []string {
	t.Helper()
	var texts []string
	f, err := os.Open(bundle)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := vault.BundleReader{Identities: []age.Identity{id}, Part: func(it vault.Item, _ int, ct io.Reader) error {
		return vault.EachSection(ct, []age.Identity{id}, func(h vault.PartHeader, c io.Reader) error {
			if h.Kind == vault.KindText {
				b, err := io.ReadAll(c)
				texts = append(texts, string(b))
				return err
			}
			return nil
		})
	}}
	if _, err := r.Read(f); err != nil {
		t.Fatal(err)
	}
	return texts
}

// TestKillNineLosesNothingAcknowledged submits from several clients and
// kills the server with SIGKILL, round after round, at moments chosen by
// what it is doing, never by the clock: at a commit whose receipt is not
// yet written, mid-upload between two staged chunks, after a number of
// receipts wherever the other clients are, and while a commit is held at a
// failpoint. In the end every submission whose receipt page arrived is
// stored exactly once and intact, nothing is stored that was not sent, the
// submissions certainly committed are there, the custody chain verifies,
// and the store opened cleanly every time (the staged chunks of a killed
// upload are removed).
func TestKillNineLosesNothingAcknowledged(t *testing.T) {
	root := t.TempDir()
	id, _, recFile := writeKeys(t, root)
	data := filepath.Join(root, "data")
	serve := serveCmd(t, harness.Intake.WithFailpoints(), "-data", data, "-recipients", recFile)
	var mu sync.Mutex
	acked, sent := map[string]bool{}, map[string]bool{}
	rounds := []struct {
		name      string
		failpoint string // armed for the round, if any
		kill      func(p *harness.Proc, acks <-chan struct{})
		committed int // submissions certainly committed in the round
		unacked   int // of those, certainly without a receipt
	}{{
		name:      "at the third commit, before its receipt is written",
		failpoint: failpoint.Spec(failpoint.IntakeCommitted, "exit", 3),
		kill:      func(p *harness.Proc, _ <-chan struct{}) { p.WaitFailpoint(failpoint.IntakeCommitted) },
		committed: 3, unacked: 1,
	}, {
		name:      "mid-upload, after the second staged chunk",
		failpoint: failpoint.Spec(failpoint.VaultChunkStaged, "exit", 2),
		kill:      func(p *harness.Proc, _ <-chan struct{}) { p.WaitFailpoint(failpoint.VaultChunkStaged) },
	}, {
		name: "after four receipts, wherever the other clients are",
		kill: func(p *harness.Proc, acks <-chan struct{}) {
			for range 4 {
				<-acks
			}
			p.Kill()
		},
		committed: 4,
	}, {
		name:      "while the second commit is held before its receipt",
		failpoint: failpoint.Spec(failpoint.IntakeCommitted, "pause", 2),
		kill: func(p *harness.Proc, _ <-chan struct{}) {
			p.WaitFailpoint(failpoint.IntakeCommitted)
			p.Kill()
		},
		committed: 2, unacked: 1,
	}}
	committed, unacked := 0, 0
	for _, round := range rounds {
		serve.Failpoints = nil
		if round.failpoint != "" {
			serve.Failpoints = []string{round.failpoint}
		}
		p, url := harness.Serve(serve)
		ctx, cancel := context.WithCancel(context.Background())
		acks := make(chan struct{}, 1000)
		var wg sync.WaitGroup
		for c := range 4 {
			wg.Go(func() {
				for i := 0; ctx.Err() == nil; i++ {
					canary := vaulttest.Canary()
					var size int64
					if c == 0 && i%3 == 0 {
						size = 3 << 20 // staged in chunks: a kill can land mid-upload
					}
					mu.Lock()
					sent[canary] = true
					mu.Unlock()
					status, receipt, err := postSubmission(ctx, url, canary, size)
					if err == nil && status == 200 && receipt {
						mu.Lock()
						acked[canary] = true
						mu.Unlock()
						select {
						case acks <- struct{}{}:
						default:
						}
					}
				}
			})
		}
		round.kill(p, acks)
		if err := p.Wait(); !harness.Killed(err) {
			t.Fatalf("round %q: the server ended with %v, not SIGKILL", round.name, err)
		}
		cancel()
		wg.Wait()
		committed += round.committed
		unacked += round.unacked
		t.Logf("killed %s: %d acknowledged so far", round.name, len(acked))
	}

	// The store opens cleanly after the last kill; export everything.
	serve.Failpoints = nil
	p, _ := harness.Serve(serve)
	bundle := filepath.Join(root, "all.age")
	if _, err := harness.Intake.Command(t, "export", "-data", data, "-o", bundle, "-all").Run(); err != nil {
		t.Fatal(err)
	}
	p.Kill()
	seen := map[string]int{}
	for _, text := range readAllTexts(t, bundle, id) {
		seen[text]++
	}
	for c := range acked {
		if seen[c] != 1 {
			t.Errorf("acknowledged submission %s stored %d times", c, seen[c])
		}
	}
	for c, n := range seen {
		if !sent[c] || n != 1 {
			t.Errorf("stored text %.20s… %d times (sent: %v)", c, n, sent[c])
		}
	}
	storedUnacked := 0
	for c := range seen {
		if !acked[c] {
			storedUnacked++
		}
	}
	if len(seen) < committed || storedUnacked < unacked {
		t.Errorf("%d stored, %d of them without a receipt; the failpoints committed at least %d, %d of them without", len(seen), storedUnacked, committed, unacked)
	}
	t.Logf("%d sent, %d acknowledged, %d stored (%d without a receipt: cut off after the commit, before the reply)", len(sent), len(acked), len(seen), storedUnacked)

	// The bundle verified its chain; the workspace import verifies it again.
	ws, err := review.Open(filepath.Join(root, "ws"), true)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	rv, err := ws.Unlock([]age.Identity{id})
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(bundle)
	defer f.Close()
	if _, err := rv.Import(f, nil); err != nil {
		t.Fatal(err)
	}
}

// TestFloodKeepsMemoryBounded sends 200 submissions at once to the real
// binary with the production KDF (64 MiB per receipt, 256 MiB budget):
// every client gets a receipt or the busy page, none times out, and the
// server's memory stays under the budget and 64 MiB more.
func TestFloodKeepsMemoryBounded(t *testing.T) {
	root := t.TempDir()
	_, _, recFile := writeKeys(t, root)
	p, url := harness.Serve(serveCmd(t, harness.Intake, "-data", filepath.Join(root, "data"), "-recipients", recFile))
	stop := make(chan struct{})
	peakAnon, peakTotal := peakMemory(p, stop)
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for range 200 {
		wg.Go(func() {
			status, receipt, err := postSubmission(ctx, url, "flood "+vaulttest.Canary(), 0)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				statuses[-1]++
				t.Errorf("a client got no answer: %v", err)
			case status == 200 && !receipt:
				t.Error("200 without a receipt")
			default:
				statuses[status]++
			}
		})
	}
	wg.Wait()
	close(stop)
	const budget = 256<<20 + 64<<20
	t.Logf("answers: %v; peak memory %d MiB anonymous, %d MiB resident in all (budget 256 MiB + 64 MiB)", statuses, peakAnon()>>20, peakTotal()>>20)
	if statuses[200] == 0 {
		t.Error("no submission got through")
	}
	for s := range statuses {
		if s != 200 && s != http.StatusServiceUnavailable {
			t.Errorf("status %d answered", s)
		}
	}
	if peakAnon() > budget {
		t.Errorf("peak anonymous memory %d MiB, over the budget of %d MiB", peakAnon()>>20, budget>>20)
	}
}

// TestLargeAttachmentMemory streams one 500 MB attachment to the real
// binary: while it receives, its heap and stacks stay under 64 MiB. (After
// the body, one receipt derivation takes its 64 MiB from the KDF budget;
// bbolt's mapped file pages are the kernel's cache, counted apart.)
func TestLargeAttachmentMemory(t *testing.T) {
	root := t.TempDir()
	_, _, recFile := writeKeys(t, root)
	p, url := harness.Serve(serveCmd(t, harness.Intake, "-data", filepath.Join(root, "data"), "-recipients", recFile, "-max-upload", "600"))
	stop := make(chan struct{})
	peakAnon, peakTotal := peakMemory(p, stop)
	status, receipt, err := postSubmissionThen(context.Background(), url, "a long video", 500<<20, func() { close(stop) })
	if err != nil || status != 200 || !receipt {
		t.Fatalf("status %d, receipt %v, %v", status, receipt, err)
	}
	t.Logf("receiving a 500 MB attachment: peak %d MiB anonymous, %d MiB resident with mapped files", peakAnon()>>20, peakTotal()>>20)
	if peakAnon() > 64<<20 {
		t.Errorf("peak anonymous memory %d MiB while receiving, over 64 MiB", peakAnon()>>20)
	}
}

// TestKilledImportIsBeforeOrAfter kills "review import" with SIGKILL while
// it reads a bundle: after its first item, half way, after its last item
// (before the end of the bundle is verified), once its pack is durable but
// before the index naming it is committed, and after a number of bytes of
// the bundle have gone into it through a pipe. Every time, the workspace
// lists nothing new, and verify finds nothing wrong; then the import
// completes, and the workspace holds the whole bundle.
func TestKilledImportIsBeforeOrAfter(t *testing.T) {
	root := t.TempDir()
	id, keyFile, recFile := writeKeys(t, root)
	data := filepath.Join(root, "data")
	os.Mkdir(data, 0o700)
	recs, _ := os.ReadFile(recFile)
	os.WriteFile(filepath.Join(data, "recipients.txt"), recs, 0o600)
	store, err := vault.Open(filepath.Join(data, "store.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	const n = 20
	rec := id.(*age.X25519Identity).Recipient()
	for i := range n {
		sub := store.Begin([]age.Recipient{rec})
		w, _ := sub.CreatePart(vault.PartHeader{Kind: vault.KindText})
		fmt.Fprintf(w, "account %d", i)
		w.Close()
		w, _ = sub.CreatePart(vault.PartHeader{Kind: vault.KindAttachment, Name: "video.mp4"})
		io.CopyN(w, zeros{}, 1<<20) // about 20 MB of bundle in all
		w.Close()
		if _, err := sub.Commit(nil); err != nil {
			t.Fatal(err)
		}
	}
	store.Close()
	bundle := filepath.Join(root, "bundle.age")
	if _, err := harness.Intake.Command(t, "export", "-data", data, "-o", bundle).Run(); err != nil {
		t.Fatal(err)
	}
	rev := harness.Review.WithFailpoints()
	ws := filepath.Join(root, "ws")
	if _, err := rev.Command(t, "init", "-w", ws, "-r", recFile).Run(); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		out, err := rev.Command(t, "list", "-w", ws, "-i", keyFile).Run()
		if err != nil {
			t.Fatalf("list after a kill: %v", err)
		}
		return strings.Count(out, "\n")
	}
	imp := rev.Command(t, "import", "-w", ws, "-i", keyFile, bundle)
	for _, kill := range []struct {
		name  string
		point string // killed there, at its nth hit; "" for the pipe
		nth   int
	}{
		{"after the first item", failpoint.ReviewImportItem, 1},
		{"half way", failpoint.ReviewImportItem, n / 2},
		{"after the last item", failpoint.ReviewImportItem, n},
		{"with its pack in place, before the index", failpoint.ReviewImportPackMoved, 0},
		{"after 4 MiB through a pipe", "", 0},
	} {
		if kill.point != "" {
			imp.Failpoints = []string{failpoint.Spec(kill.point, "exit", kill.nth)}
			p := imp.Start()
			p.WaitFailpoint(kill.point)
			if err := p.Wait(); !harness.Killed(err) {
				t.Fatalf("killed %s: import ended with %v", kill.name, err)
			}
		} else {
			piped := rev.Command(t, "import", "-w", ws, "-i", keyFile, "-")
			f, err := os.Open(bundle)
			if err != nil {
				t.Fatal(err)
			}
			piped.Stdin = f
			p := piped.Start()
			p.WaitStdin(4 << 20)
			p.Kill()
			f.Close()
		}
		if got := count(); got != 0 {
			t.Fatalf("killed %s: the workspace lists %d of %d submissions", kill.name, got, n)
		}
		if _, err := rev.Command(t, "verify", "-w", ws).Run(); err != nil {
			t.Fatalf("killed %s: verify: %v", kill.name, err)
		}
	}
	imp.Failpoints = nil
	if _, err := imp.Run(); err != nil {
		t.Fatalf("the import after the kills: %v", err)
	}
	if got := count(); got != n {
		t.Fatalf("%d submissions after the import, want %d", got, n)
	}
	if _, err := rev.Command(t, "verify", "-w", ws).Run(); err != nil {
		t.Fatalf("verify after the import: %v", err)
	}
}

// TestStalledUploadsStayUnderMemoryMax opens 512 uploads to the real
// binary (its connection bound), each with her text and more than a MiB of
// a file, and stalls them all: the server's heap and stacks leave room
// under the unit's MemoryMax=512M for a derivation (the audit measured
// 0.7 MB a stalled upload before the buffers were bounded, 350 MB at 512).
// What it logs is mostly what the Go memory limit the server sets (320
// MiB) lets the collector leave for later. The test waits for the server to have staged a chunk for
// every upload (failpoint announcements, not the clock); then a page is
// still served.
func TestStalledUploadsStayUnderMemoryMax(t *testing.T) {
	if testing.Short() {
		t.Skip("opens 512 uploads of a MiB each; skipped in -short mode")
	}
	const uploads = 512
	root := t.TempDir()
	_, _, recFile := writeKeys(t, root)
	cmd := serveCmd(t, harness.Intake.WithFailpoints(), "-data", filepath.Join(root, "data"), "-recipients", recFile)
	cmd.Failpoints = []string{failpoint.Spec(failpoint.VaultChunkStaged, "announce", 0)}
	p, url := harness.Serve(cmd)
	stop := make(chan struct{})
	peakAnon, _ := peakMemory(p, stop)
	addr := strings.TrimPrefix(url, "http://")
	file := make([]byte, 1<<20+300<<10)
	rand.Read(file)
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range uploads {
		tok, err := writeToken(url)
		if err != nil {
			t.Fatal(err)
		}
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		body := "--xx\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n" + tok + "\r\n--xx\r\nContent-Disposition: form-data; name=\"testimony\"\r\n\r\n" + strings.Repeat("stalled account ", 500) +
			"\r\n--xx\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
		fmt.Fprintf(c, "POST /en/submit HTTP/1.1\r\nHost: %s\r\nContent-Type: multipart/form-data; boundary=xx\r\nContent-Length: %d\r\n\r\n%s", addr, len(body)+len(file)+100, body)
		go c.Write(file) // and then nothing more
	}
	p.WaitLines("failpoint "+failpoint.VaultChunkStaged+" reached", uploads)
	resp, err := http.Get(url + "/en/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	close(stop)
	t.Logf("%d stalled uploads of %d KiB: peak %d MiB anonymous", uploads, len(file)>>10, peakAnon()>>20)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("a page during the stall: status %d", resp.StatusCode)
	}
	if peakAnon() > 512<<20-64<<20 {
		t.Errorf("peak anonymous memory %d MiB with %d stalled uploads: with one derivation's 64 MiB, over MemoryMax=512M", peakAnon()>>20, uploads)
	}
}

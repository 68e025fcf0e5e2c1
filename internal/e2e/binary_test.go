package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"filippo.io/age"

	"testimony/internal/vaulttest"
	"testimony/review"
	"testimony/vault"
)

// These tests run the real binaries as separate processes, so they can be
// killed with SIGKILL and their memory measured from /proc.

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// binaries builds cmd/intake and cmd/review once per test run.
func binaries(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binaries; skipped in -short mode")
	}
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "testimony-bin-")
		if buildErr != nil {
			return
		}
		for _, cmd := range []string{"intake", "review"} {
			out, err := exec.Command("go", "build", "-o", filepath.Join(binDir, cmd), "testimony/cmd/"+cmd).CombinedOutput()
			if err != nil {
				buildErr = fmt.Errorf("building %s: %v\n%s", cmd, err, out)
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// proc is a running intake server process.
type proc struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer
	done   chan struct{}
}

var servingRE = regexp.MustCompile(`serving on (http://\S+)`)

// startIntake starts "intake serve" with args (which must include -data
// and key options) on a free loopback port and waits until it serves.
func startIntake(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(filepath.Join(binaries(t), "intake"), append([]string{"serve", "-addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	pr, pw := io.Pipe()
	cmd.Stderr = pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, stderr: &syncBuffer{}, done: make(chan struct{})}
	go func() { cmd.Wait(); pw.Close(); close(p.done) }()
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			p.stderr.Write(append(sc.Bytes(), '\n'))
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	select {
	case p.url = <-found:
	case <-p.done:
		t.Fatalf("intake exited: %s", p.stderr.Bytes())
	case <-time.After(30 * time.Second):
		p.kill()
		t.Fatal("intake did not start")
	}
	t.Cleanup(p.kill)
	return p
}

func (p *proc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// memory returns the process's resident memory in bytes: anonymous (heap,
// stacks) and in all (with mapped files, such as bbolt's mmap).
func (p *proc) memory() (anon, total int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
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

// peakMemory samples p's memory until stop is closed.
func (p *proc) peakMemory(stop <-chan struct{}) (peakAnon, peakTotal func() int64) {
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
				anon, total := p.memory()
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

// TestKillNineLosesNothingAcknowledged submits from several clients, kills
// the server with SIGKILL at random moments, restarts it, and in the end
// checks that every submission whose receipt page arrived is stored exactly
// once and intact, that the custody chain verifies, and that the store
// opens cleanly every time (staged chunks of a killed upload are removed).
func TestKillNineLosesNothingAcknowledged(t *testing.T) {
	root := t.TempDir()
	id, _, recFile := writeKeys(t, root)
	data := filepath.Join(root, "data")
	args := []string{"-data", data, "-recipients", recFile}
	r := rand.New(rand.NewPCG(7, 7))
	var mu sync.Mutex
	acked, sent := map[string]bool{}, map[string]bool{}
	const rounds, clients = 4, 4
	for round := range rounds {
		p := startIntake(t, nil, args...)
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for c := range clients {
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
					status, receipt, err := postSubmission(ctx, p.url, canary, size)
					if err == nil && status == 200 && receipt {
						mu.Lock()
						acked[canary] = true
						mu.Unlock()
					}
				}
			})
		}
		time.Sleep(time.Duration(400+r.IntN(1200)) * time.Millisecond)
		p.kill()
		cancel()
		wg.Wait()
		t.Logf("round %d: %d acknowledged so far", round, len(acked))
	}
	if len(acked) < rounds {
		t.Fatalf("only %d submissions were acknowledged: the test proves little", len(acked))
	}

	// The store opens cleanly after the last kill; export everything.
	p := startIntake(t, nil, args...)
	bundle := filepath.Join(root, "all.age")
	out, err := exec.Command(filepath.Join(binaries(t), "intake"), "export", "-data", data, "-o", bundle, "-all").CombinedOutput()
	if err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	p.kill()
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
	t.Logf("%d sent, %d acknowledged, %d stored (the rest were cut off before their commit, or after it but before the reply)", len(sent), len(acked), len(seen))

	// The bundle verified its chain; the workspace import verifies it again.
	ws, err := review.Open(filepath.Join(root, "ws"), true)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	f, _ := os.Open(bundle)
	defer f.Close()
	if _, err := ws.Import(f, []age.Identity{id}, nil); err != nil {
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
	p := startIntake(t, nil, "-data", filepath.Join(root, "data"), "-recipients", recFile)
	stop := make(chan struct{})
	peakAnon, peakTotal := p.peakMemory(stop)
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for range 200 {
		wg.Go(func() {
			status, receipt, err := postSubmission(ctx, p.url, "flood "+vaulttest.Canary(), 0)
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
	p := startIntake(t, nil, "-data", filepath.Join(root, "data"), "-recipients", recFile, "-max-upload", "600")
	stop := make(chan struct{})
	peakAnon, peakTotal := p.peakMemory(stop)
	status, receipt, err := postSubmissionThen(context.Background(), p.url, "a long video", 500<<20, func() { close(stop) })
	if err != nil || status != 200 || !receipt {
		t.Fatalf("status %d, receipt %v, %v", status, receipt, err)
	}
	t.Logf("receiving a 500 MB attachment: peak %d MiB anonymous, %d MiB resident with mapped files", peakAnon()>>20, peakTotal()>>20)
	if peakAnon() > 64<<20 {
		t.Errorf("peak anonymous memory %d MiB while receiving, over 64 MiB", peakAnon()>>20)
	}
}

// TestKilledImportIsBeforeOrAfter kills "review import" with SIGKILL at
// random moments while it reads a large bundle: every time, the workspace
// lists either nothing new or the whole bundle, never part of it, and
// verify finds nothing wrong; in the end the import completes.
func TestKilledImportIsBeforeOrAfter(t *testing.T) {
	bin := binaries(t)
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
	const n = 60
	rec := id.(*age.X25519Identity).Recipient()
	for i := range n {
		sub := store.Begin([]age.Recipient{rec})
		w, _ := sub.CreatePart(vault.PartHeader{Kind: vault.KindText})
		fmt.Fprintf(w, "account %d", i)
		w.Close()
		w, _ = sub.CreatePart(vault.PartHeader{Kind: vault.KindAttachment, Name: "video.mp4"})
		io.CopyN(w, zeros{}, 3<<20) // about 200 MB of bundle in all
		w.Close()
		if _, err := sub.Commit(nil); err != nil {
			t.Fatal(err)
		}
	}
	store.Close()
	bundle := filepath.Join(root, "bundle.age")
	if out, err := exec.Command(filepath.Join(bin, "intake"), "export", "-data", data, "-o", bundle).CombinedOutput(); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	review := func(args ...string) ([]byte, error) {
		return exec.Command(filepath.Join(bin, "review"), args...).CombinedOutput()
	}
	// How long a whole import takes here, so the kills land inside it.
	scratch := filepath.Join(root, "scratch")
	if out, err := review("init", "-w", scratch, "-r", recFile); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	start := time.Now()
	if out, err := review("import", "-w", scratch, "-i", keyFile, bundle); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	whole := time.Since(start)
	os.RemoveAll(scratch)
	ws := filepath.Join(root, "ws")
	if out, err := review("init", "-w", ws, "-r", recFile); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	count := func() int {
		out, err := exec.Command(filepath.Join(bin, "review"), "list", "-w", ws, "-i", keyFile).Output()
		if err != nil {
			t.Fatalf("list after a kill: %v", err)
		}
		return strings.Count(string(out), "\n")
	}
	r := rand.New(rand.NewPCG(3, 4))
	done := false
	for round := 0; round < 8 && !done; round++ {
		cmd := exec.Command(filepath.Join(bin, "review"), "import", "-w", ws, "-i", keyFile, bundle)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		select {
		case err := <-exited:
			if err != nil {
				t.Fatalf("import exited early: %v", err)
			}
			done = true
		case <-time.After(whole * time.Duration(5+r.IntN(90)) / 100):
			cmd.Process.Signal(syscall.SIGKILL)
			<-exited
		}
		switch got := count(); got {
		case 0:
		case n:
			done = true
		default:
			t.Fatalf("round %d: the workspace lists %d of %d submissions: caught between", round, got, n)
		}
		if out, err := exec.Command(filepath.Join(bin, "review"), "verify", "-w", ws).CombinedOutput(); err != nil {
			t.Fatalf("round %d: verify after a kill: %v\n%s", round, err, out)
		}
		t.Logf("round %d: %s (a whole import takes %v)", round, map[bool]string{true: "after", false: "before"}[done], whole.Round(time.Millisecond))
	}
	if !done {
		if out, err := exec.Command(filepath.Join(bin, "review"), "import", "-w", ws, "-i", keyFile, bundle).CombinedOutput(); err != nil {
			t.Fatalf("the final import: %v\n%s", err, out)
		}
	}
	if got := count(); got != n {
		t.Fatalf("%d submissions after the import, want %d", got, n)
	}
}

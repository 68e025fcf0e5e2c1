package e2e

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"filippo.io/age"

	"testimony/intake"
	"testimony/tests/vaulttest"
	"testimony/vault"
)

// abuseServer runs intake.Run in-process with short timeouts, so the
// hostile-client tests finish quickly, and returns its address, data
// directory and a way to count what it stored.
func abuseServer(t testing.TB, cfg intake.Config) (addr, data string, stored func() int) {
	t.Helper()
	return serverWith(t, cfg, intake.Timeouts{ReadHeader: 300 * time.Millisecond, BodyIdle: 300 * time.Millisecond, Idle: time.Second})
}

// floodServer is abuseServer with the production timeouts. A flood of
// honest-looking submissions must not meet a 300 ms body deadline: on a
// busy machine a client paused that long between two writes is cut, and
// the test would measure the machine.
func floodServer(t testing.TB, cfg intake.Config) (addr, data string, stored func() int) {
	t.Helper()
	return serverWith(t, cfg, intake.Timeouts{})
}

func serverWith(t testing.TB, cfg intake.Config, timeouts intake.Timeouts) (addr, data string, stored func() int) {
	t.Helper()
	root := t.TempDir()
	id, _, recFile := writeKeys(t, root)
	data = filepath.Join(root, "data")
	abuseKeys.Store(data, id)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.KDF = cheapKDF
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	ready := make(chan struct{})
	go func() {
		done <- intake.Run(ctx, intake.RunOptions{DataDir: data, RecipientsFile: recFile, Listener: ln, Server: cfg,
			Log:      log.New(io.Discard, "", 0),
			Ready:    func(string) { close(ready) },
			Timeouts: timeouts})
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("server did not start: %v", err)
	}
	t.Cleanup(func() { cancel(); <-done })
	addr = ln.Addr().String()
	stored = func() int {
		// The store is open in this process; its custody chain is read
		// through an export bundle, as anyone outside would.
		var n int
		out := filepath.Join(t.TempDir(), "b.age")
		info, err := intake.Export(context.Background(), data, out, true)
		if err == nil {
			n = info.Items
		} else if !errors.Is(err, vault.ErrNothingNew) {
			t.Fatal(err)
		}
		return n
	}
	return addr, data, stored
}

// abuseKeys maps an abuse server's data directory to its reviewer key.
var abuseKeys sync.Map

// storedCiphertext exports everything an abuse server holds and returns
// the bytes of ciphertext in its parts: what its quota counts.
func storedCiphertext(t *testing.T, data string) int64 {
	t.Helper()
	out := filepath.Join(t.TempDir(), "all.age")
	if _, err := intake.Export(context.Background(), data, out, true); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	id, _ := abuseKeys.Load(data)
	var n int64
	r := vault.BundleReader{Identities: []age.Identity{id.(age.Identity)}, Part: func(_ vault.Item, _ int, ct io.Reader) error {
		m, err := io.Copy(io.Discard, ct)
		n += m
		return err
	}}
	if _, err := r.Read(f); err != nil {
		t.Fatal(err)
	}
	return n
}

// rawRequest writes raw bytes on a new connection and returns the status
// line of the answer, or "closed" if the server closed the connection (a
// connection still open after the guard fails the test).
func rawRequest(t *testing.T, addr string, raw []byte) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(guard))
	c.Write(raw)
	line, err := bufio.NewReader(c).ReadString('\n')
	if isTimeout(err) {
		t.Fatal("the server neither answered nor closed the connection")
	}
	if err != nil {
		return "closed"
	}
	return strings.TrimSpace(line)
}

// guard is how long a hostile-client test waits for the server to close a
// connection it should close after its 300 ms timeout. It only keeps a
// broken server from hanging the test; the verdict is whether the server
// closed the connection (an EOF or a reset) or our deadline ran out first,
// and on a busy machine that takes the server well under this.
const guard = time.Minute

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// TestHostileClients throws at a real server what an attacker would: slow
// headers and bodies, oversize and malformed bodies, thousands of parts,
// huge headers, bad encodings in every field, path tricks in file names,
// wrong methods and hosts, and many tiny requests. The server stays up,
// answers each with a clean error, and stores nothing partial.
func TestHostileClients(t *testing.T) {
	addr, data, stored := abuseServer(t, intake.Config{Host: "intake.test", MaxUploadBytes: 1 << 20, MaxTextBytes: 64 << 10})
	url := "http://" + addr
	do := func(method, path, host, ctype string, body io.Reader) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, url+path, body)
		req.Host = host
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return -1, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		return resp.StatusCode, string(b)
	}
	host := "intake.test"
	tokenFor := func() string {
		t.Helper()
		_, page := do("GET", "/en/write", host, "", nil)
		m := formTokenRE.FindStringSubmatch(page)
		if m == nil {
			t.Fatal("the write page has no form token")
		}
		return m[1]
	}

	t.Run("slow headers", func(t *testing.T) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write([]byte("GET / HTTP/1.1\r\nHost: intake.test\r\nX-Slow: "))
		c.SetReadDeadline(time.Now().Add(guard))
		_, err = c.Read(make([]byte, 1))
		if err == nil || isTimeout(err) {
			t.Fatalf("a header that never ends kept the connection open (%v)", err)
		}
	})

	t.Run("stalled body", func(t *testing.T) {
		before := stored()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "POST /en/submit HTTP/1.1\r\nHost: intake.test\r\nContent-Type: multipart/form-data; boundary=xx\r\nContent-Length: 100000\r\n\r\n--xx\r\nContent-Disposition: form-data; name=\"testimony\"\r\n\r\nthe start of an account")
		c.SetReadDeadline(time.Now().Add(guard))
		// The server answers or closes; either way it gives up on us.
		if _, err := io.Copy(io.Discard, c); isTimeout(err) {
			t.Fatal("a stalled body kept the connection open")
		}
		if stored() != before {
			t.Fatal("a stalled body stored something")
		}
	})

	t.Run("trickling body", func(t *testing.T) {
		// A byte now and then is not progress: the body must bring
		// 4 KiB within each BodyIdle, or the connection is cut.
		before := stored()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "POST /en/submit HTTP/1.1\r\nHost: intake.test\r\nContent-Type: multipart/form-data; boundary=xx\r\nContent-Length: 100000\r\n\r\n--xx\r\nContent-Disposition: form-data; name=\"testimony\"\r\n\r\n")
		cut := false
		for range 200 { // 200 bytes, one each 40 ms: 8 s if never cut
			if _, err := c.Write([]byte("a")); err != nil {
				cut = true
				break
			}
			time.Sleep(40 * time.Millisecond) // the trickle's pace, not a wait for a signal
		}
		if !cut {
			c.SetReadDeadline(time.Now().Add(time.Second))
			_, err := c.Read(make([]byte, 1))
			cut = err == io.EOF || err != nil && !errors.Is(err, os.ErrDeadlineExceeded)
		}
		if !cut {
			t.Fatal("a body trickling a byte at a time kept its connection")
		}
		if stored() != before {
			t.Fatal("a trickling body stored something")
		}
	})

	t.Run("bad requests", func(t *testing.T) {
		before := stored()
		many := &bytes.Buffer{}
		mw := multipart.NewWriter(many)
		tok := tokenFor()
		mw.WriteField("n", tok)
		mw.WriteField("testimony", "x")
		for range 10000 {
			mw.WriteField("what", "sold")
		}
		mw.Close()
		files := &bytes.Buffer{}
		fw := multipart.NewWriter(files)
		tok = tokenFor()
		fw.WriteField("n", tok)
		for range 100 {
			w, _ := fw.CreateFormFile("files", "a.jpg")
			w.Write([]byte("x"))
		}
		fw.Close()
		cases := []struct {
			name, method, path, host, ctype string
			body                            io.Reader
			want                            int
		}{
			{"oversize body", "POST", "/ko/submit", host, "multipart/form-data; boundary=z", io.LimitReader(zeros{}, 4<<20), 0},
			{"10,000 parts", "POST", "/ko/submit", host, mw.FormDataContentType(), many, 0},
			{"100 files", "POST", "/ko/submit", host, fw.FormDataContentType(), files, http.StatusRequestEntityTooLarge},
			{"not multipart", "POST", "/ko/submit", host, "text/plain", strings.NewReader("hello"), http.StatusBadRequest},
			{"no boundary", "POST", "/ko/submit", host, "multipart/form-data", strings.NewReader("hello"), http.StatusBadRequest},
			{"PUT", "PUT", "/ko/submit", host, "", nil, http.StatusMethodNotAllowed},
			{"DELETE", "DELETE", "/ko/", host, "", nil, http.StatusMethodNotAllowed},
			{"TRACE", "TRACE", "/", host, "", nil, http.StatusMethodNotAllowed},
			{"wrong host", "GET", "/ko/", "evil.example", "", nil, http.StatusMisdirectedRequest},
			{"traversal path", "GET", "/ko/../../etc/passwd", host, "", nil, http.StatusNotFound},
			{"unknown language", "GET", "/xx/write", host, "", nil, http.StatusNotFound},
			{"NUL in path", "GET", "/ko/%00", host, "", nil, http.StatusNotFound},
		}
		for _, c := range cases {
			status, page := do(c.method, c.path, c.host, c.ctype, c.body)
			if c.want != 0 && status != c.want || c.want == 0 && status < 400 {
				t.Errorf("%s: status %d, want %d", c.name, status, c.want)
			}
			if status >= 400 && status != http.StatusMethodNotAllowed && status != -1 && !strings.Contains(page, `class="exit"`) {
				t.Errorf("%s: the error page has no quick exit: %.100q", c.name, page)
			}
		}
		// Bad encodings in every field the form has.
		for _, field := range []string{"testimony", "year", "month", "approximate", "province", "what", "who", "source", "elsewhere", "contact", "consent", "t"} {
			values := []string{"a\xff\xfeb", "a\x00b"}
			if field != "testimony" {
				values = append(values, strings.Repeat("가", 200)) // over a small field's limit
			}
			for _, v := range values {
				var b bytes.Buffer
				w := multipart.NewWriter(&b)
				tok := tokenFor()
				w.WriteField("n", tok)
				if field != "testimony" {
					w.WriteField("testimony", "x")
				}
				w.WriteField(field, v)
				w.Close()
				status, _ := do("POST", "/ko/submit", host, w.FormDataContentType(), &b)
				if status != http.StatusBadRequest && status != http.StatusRequestEntityTooLarge {
					t.Errorf("field %s = %q: status %d", field, v[:min(len(v), 8)], status)
				}
			}
		}
		if n := stored(); n != before {
			t.Fatalf("bad requests stored %d submissions", n-before)
		}
	})

	t.Run("huge headers", func(t *testing.T) {
		raw := "GET / HTTP/1.1\r\nHost: intake.test\r\n"
		for i := range 2000 {
			raw += fmt.Sprintf("X-H%d: %s\r\n", i, strings.Repeat("a", 100))
		}
		if got := rawRequest(t, addr, []byte(raw+"\r\n")); !strings.Contains(got, "431") && got != "closed" {
			t.Fatalf("200 KB of headers: %q", got)
		}
	})

	t.Run("path tricks in file names", func(t *testing.T) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		tok := tokenFor()
		w.WriteField("n", tok)
		fw, _ := w.CreateFormFile("files", "../../../../tmp/evil.sh")
		fw.Write([]byte("#!/bin/sh"))
		w.Close()
		if status, _ := do("POST", "/ko/submit", host, w.FormDataContentType(), &b); status != 200 {
			t.Fatalf("status %d", status)
		}
		entries, _ := os.ReadDir(data)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		slices.Sort(names)
		if !slices.Equal(names, []string{intake.AdminSocket, intake.RecipientsFile, intake.StoreFile}) {
			t.Fatalf("data directory holds %v", names)
		}
	})

	t.Run("10,000 tiny requests", func(t *testing.T) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		bad := 0
		for range 4 {
			wg.Go(func() {
				for range 2500 {
					status, _ := do("GET", "/", host, "", nil)
					if status != 200 {
						mu.Lock()
						bad++
						mu.Unlock()
					}
				}
			})
		}
		wg.Wait()
		if bad > 0 {
			t.Fatalf("%d of 10,000 tiny requests failed", bad)
		}
	})

	// Still up, and still taking real submissions.
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	tok := tokenFor()
	w.WriteField("n", tok)
	w.WriteField("testimony", "after all that")
	w.Close()
	if status, page := do("POST", "/en/submit", host, w.FormDataContentType(), &b); status != 200 || !receiptPattern.MatchString(page) {
		t.Fatalf("after the abuse: status %d", status)
	}
}

// floodSize is how many junk submissions TestFloodOfJunk sends: a few
// thousand in CI; FLOOD=10000 for the full run.
func floodSize() int {
	var n int
	if _, err := fmt.Sscan(os.Getenv("FLOOD"), &n); err == nil && n > 0 {
		return n
	}
	return 1000
}

// median returns the median of ds, which it sorts.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// flood posts n junk submissions in a row to url and counts the answers
// by status. If during is not nil, it is called meanwhile, each time
// another 25 junk submissions have been answered (the flood goes on while
// it runs). If during fails the test, the flood stops before flood returns.
func flood(t testing.TB, url string, n int, during func()) map[int]int {
	junk := strings.Repeat("junk ", 1000)
	statuses := map[int]int{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	due := make(chan struct{}, 1)
	defer func() { cancel(); <-done }()
	go func() {
		defer close(done)
		for i := range n {
			status, _, err := postSubmission(ctx, url, junk, 0)
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				t.Error(err)
				return
			}
			statuses[status]++
			if i%25 == 24 {
				select {
				case due <- struct{}{}:
				default: // the last one is still running
				}
			}
		}
	}()
	for {
		select {
		case <-done:
			return statuses
		case <-due:
			if during != nil {
				during()
			}
		}
	}
}

// TestFloodOfJunk sends junk submissions in a row, with real submissions
// between them: every one is stored. Then, with a disk quota, the store
// stops growing at the quota: the flood gets the busy page at once, and
// what was stored before is intact. How much the flood slows a real
// submission is a measurement, not an assertion: BenchmarkFloodOfJunk.
func TestFloodOfJunk(t *testing.T) {
	if testing.Short() {
		t.Skip("sends thousands of submissions; skipped in -short mode")
	}
	real := func(url string) int {
		status, receipt, err := postSubmission(context.Background(), url, "a real account "+vaulttest.Canary(), 0)
		if err != nil {
			t.Fatal(err)
		}
		if status == 200 && !receipt {
			t.Fatal("200 without a receipt")
		}
		return status
	}

	addr, _, stored := floodServer(t, intake.Config{})
	url := "http://" + addr
	n := floodSize()
	reals := map[int]int{}
	statuses := flood(t, url, n, func() { reals[real(url)]++ })
	t.Logf("%d junk submissions: %v; real submissions among them: %v", n, statuses, reals)
	for s := range reals {
		if s != 200 && s != http.StatusServiceUnavailable {
			t.Errorf("a real submission during the flood: status %d", s)
		}
	}
	if statuses[200] != n {
		t.Errorf("without a quota every junk submission is stored: %v", statuses)
	}
	if got := stored(); got != statuses[200]+reals[200] {
		t.Errorf("%d stored, want the %d junk and %d real submissions answered 200", got, statuses[200], reals[200])
	}

	const quota = 4 << 20
	addr, data, stored := floodServer(t, intake.Config{MaxStoreBytes: quota})
	url = "http://" + addr
	for range 5 {
		real(url)
	}
	before := stored()
	statuses = flood(t, url, n, nil)
	size, _ := os.Stat(filepath.Join(data, intake.StoreFile))
	counted := storedCiphertext(t, data)
	t.Logf("with a %d KiB quota: %v; %d KiB of ciphertext stored, the file %d KiB", quota>>10, statuses, counted>>10, size.Size()>>10)
	if statuses[http.StatusInsufficientStorage] == 0 {
		t.Error("the quota was never reached: make the flood bigger or the quota smaller")
	}
	for s := range statuses {
		if s != 200 && s != http.StatusInsufficientStorage {
			t.Errorf("junk answered with %d", s)
		}
	}
	// One submission at a time: the quota is passed by at most one chunk.
	if counted > quota+1<<20 {
		t.Errorf("the store holds %d KiB of ciphertext, past the quota of %d KiB by more than a chunk", counted>>10, quota>>10)
	}
	if got := stored(); got < before {
		t.Fatalf("the flood lost stored submissions: %d, was %d", got, before)
	}
}

// BenchmarkFloodOfJunk measures what a flood of junk costs a real
// submission: b.N real submissions on an idle server, then b.N more while
// junk is posted in a row beside them, on the same server in the same run.
// It reports both medians and their ratio (docs/performance.md):
//
//	go test ./tests/e2e -run XXX -bench FloodOfJunk -benchtime 200x
func BenchmarkFloodOfJunk(b *testing.B) {
	addr, _, _ := floodServer(b, intake.Config{})
	url := "http://" + addr
	real := func() time.Duration {
		start := time.Now()
		status, _, err := postSubmission(context.Background(), url, "a real account "+vaulttest.Canary(), 0)
		if err != nil || status != 200 {
			b.Fatalf("status %d, %v", status, err)
		}
		return time.Since(start)
	}
	var idle, during []time.Duration
	for range b.N {
		idle = append(idle, real())
	}
	stop := make(chan struct{})
	flooding := make(chan struct{})
	go func() {
		defer close(flooding)
		junk := strings.Repeat("junk ", 1000)
		for {
			select {
			case <-stop:
				return
			default:
				postSubmission(context.Background(), url, junk, 0)
			}
		}
	}()
	for range b.N {
		during = append(during, real())
	}
	close(stop)
	<-flooding
	mi, md := median(idle), median(during)
	b.ReportMetric(float64(mi.Microseconds())/1000, "idle-p50-ms")
	b.ReportMetric(float64(md.Microseconds())/1000, "flood-p50-ms")
	b.ReportMetric(float64(md)/float64(mi), "flood/idle")
	b.ReportMetric(0, "ns/op")
}

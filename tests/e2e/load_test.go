package e2e

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/argon2"

	"testimony/intake"
	"testimony/tests/vaulttest"
)

// BenchmarkLoad drives the real intake handler over loopback with 8
// concurrent clients submitting through the form, and in the same run the
// reference: a bare net/http multipart handler doing the same work (one
// Argon2id derivation, age encryption of the text and file to the same
// recipient, one bbolt commit) and nothing else. It reports submissions/s,
// p50/p99 of whole submissions (for the intake, the write page and the
// POST) and of the POST alone, and what was written to disk per
// submission; the ratio of the two submissions/s is our stack's overhead.
// Run with the production KDF and with a cheap one:
//
//	go test ./tests/e2e -run XXX -bench Load -benchtime 200x
func BenchmarkLoad(b *testing.B) {
	const clients = 8
	for _, kdf := range []struct {
		name string
		p    intake.KDFParams
	}{{"kdf=production", intake.DefaultKDF}, {"kdf=cheap", cheapKDF}} {
		if kdf.p == intake.DefaultKDF {
			// The KDF alone, from as many clients, at 1, 2 and 4 at a
			// time: the form's rate is compared with the best of these.
			for _, c := range []int{1, 2, 4} {
				b.Run(fmt.Sprintf("%s/kdf-only/c=%d", kdf.name, c), func(b *testing.B) { runKDFOnly(b, kdf.p, clients, c) })
			}
		}
		for _, attachment := range []int{0, 1 << 20} {
			name := fmt.Sprintf("%s/text=4KiB/file=%dKiB", kdf.name, attachment>>10)
			body, ctype := loadBody(attachment)
			b.Run(name+"/intake", func(b *testing.B) {
				store, _ := vaulttest.Open(b)
				// The queue wait is long: the reference turns no one away, and on a
				// shared machine a derivation can take ten times its quiet time.
				srv, err := intake.New(intake.Config{Store: store, Recipients: []age.Recipient{vaulttest.Identity(b).Recipient()}, KDF: kdf.p, KDFQueueWait: time.Minute})
				if err != nil {
					b.Fatal(err)
				}
				runLoad(b, srv, "/en/submit", body, ctype, clients, true)
			})
			b.Run(name+"/reference", func(b *testing.B) {
				runLoad(b, referenceHandler(b, kdf.p), "/submit", body, ctype, clients, false)
			})
		}
	}
}

// runKDFOnly derives b.N receipts for clients goroutines, at most
// concurrency at a time, and reports derivations a second: the most the
// form could do if everything else were free.
func runKDFOnly(b *testing.B, p intake.KDFParams, clients, concurrency int) {
	slots := make(chan struct{}, concurrency)
	work := make(chan int)
	var wg sync.WaitGroup
	salt := []byte("testimony receipt v1 0123456789abcdef")
	b.ResetTimer()
	start := time.Now()
	for range clients {
		wg.Go(func() {
			for i := range work {
				slots <- struct{}{}
				argon2.IDKey([]byte(strconv.Itoa(i)), salt, p.Time, p.MemoryKiB, p.Threads, 32)
				<-slots
			}
		})
	}
	for i := range b.N {
		work <- i
	}
	close(work)
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "subs/s")
}

func loadBody(attachment int) ([]byte, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.SetBoundary(loadBoundary)
	text := make([]byte, 4<<10)
	for i := range text {
		text[i] = 'a' + byte(i%26)
	}
	mw.WriteField("testimony", string(text))
	mw.WriteField("consent", "review")
	if attachment > 0 {
		w, _ := mw.CreateFormFile("files", "photo.jpg")
		io.CopyN(w, rand.Reader, int64(attachment))
	}
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

const loadBoundary = "loadloadloadload"

// runLoad posts b.N submissions from clients goroutines and reports
// throughput and latency percentiles. With withToken, each client first
// loads the write page for its form token, as a browser does, and the
// time counts.
func runLoad(b *testing.B, h http.Handler, path string, body []byte, ctype string, clients int, withToken bool) {
	ts := httptest.NewServer(h)
	defer ts.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	client := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()
	var mu sync.Mutex
	var lat, post []time.Duration // whole submissions, and their POST alone
	work := make(chan struct{})
	var wg sync.WaitGroup
	b.SetBytes(int64(len(body)))
	written := diskWrites()
	b.ResetTimer()
	start := time.Now()
	for range clients {
		wg.Go(func() {
			for range work {
				t0 := time.Now()
				var r io.Reader = bytes.NewReader(body)
				if withToken {
					tok, err := writeToken(ts.URL)
					if err != nil {
						b.Error(err)
						return
					}
					r = io.MultiReader(strings.NewReader("--"+loadBoundary+"\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n"+tok+"\r\n"), r)
				}
				t1 := time.Now()
				resp, err := client.Post(ts.URL+path, ctype, r)
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
				mu.Lock()
				lat = append(lat, time.Since(t0))
				post = append(post, time.Since(t1))
				mu.Unlock()
			}
		})
	}
	for range b.N {
		work <- struct{}{}
	}
	close(work)
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	written = diskWrites() - written
	slices.Sort(lat)
	slices.Sort(post)
	if len(lat) == 0 {
		return
	}
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "subs/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(post[len(post)/2].Microseconds())/1000, "post-p50-ms")
	b.ReportMetric(float64(post[len(post)*99/100].Microseconds())/1000, "post-p99-ms")
	if written >= 0 {
		b.ReportMetric(float64(written)/float64(len(lat))/(1<<20), "disk-MiB/sub")
	}
	b.ReportMetric(0, "ns/op")
}

// diskWrites returns the bytes this process has caused to be written to
// disk so far (Linux /proc/self/io), or -1 where that is not known. The
// load is bound by the disk as much as by the CPU, so what each stack
// writes per submission is worth comparing.
func diskWrites() int64 {
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "write_bytes: "); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err == nil {
				return n
			}
		}
	}
	return -1
}

// referenceHandler is the least a server can do per submission: read the
// multipart body part by part into age, derive a receipt key with the same
// Argon2id, and commit the ciphertext to bbolt in one transaction.
func referenceHandler(b *testing.B, kdf intake.KDFParams) http.Handler {
	rec := vaulttest.Identity(b).Recipient()
	db, err := bolt.Open(filepath.Join(b.TempDir(), "ref.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("b")); return err })
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mr, err := r.MultipartReader()
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		var cts [][]byte
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			var buf bytes.Buffer
			aw, _ := age.Encrypt(&buf, rec)
			io.Copy(aw, p)
			aw.Close()
			cts = append(cts, buf.Bytes())
		}
		receipt := make([]byte, 10)
		rand.Read(receipt)
		tag := argon2.IDKey(receipt, []byte("salt"), kdf.Time, kdf.MemoryKiB, kdf.Threads, 32)
		err = db.Update(func(tx *bolt.Tx) error {
			bk := tx.Bucket([]byte("b"))
			for i, ct := range cts {
				if err := bk.Put(append(bytes.Clone(tag), byte(i)), ct); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		fmt.Fprintf(w, "ok %x", receipt)
	})
}

// BenchmarkFormAgainstKDF alternates, in rounds of 16 within one run, the
// production KDF alone (a submission's two derivations per job) from 8
// clients at 1, 2 and 4 at a time and the
// whole form (write page, then POST of 4 KiB of text) from 8 clients, so
// that a machine shared with other work slows all of them alike. It
// reports each rate, the form's ratio to the best KDF-only rate, and the
// form's POST p50/p99. Run:
//
//	go test ./tests/e2e -run XXX -bench FormAgainstKDF -benchtime 10x
func BenchmarkFormAgainstKDF(b *testing.B) {
	const clients, each = 8, 16
	store, _ := vaulttest.Open(b)
	srv, err := intake.New(intake.Config{Store: store, Recipients: []age.Recipient{vaulttest.Identity(b).Recipient()}, KDFQueueWait: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	body, ctype := loadBody(0)
	salt := []byte("testimony receipt v1 0123456789abcdef")
	p := intake.DefaultKDF
	cs := []int{1, 2, 4}
	kdfTime := make([]time.Duration, len(cs))
	var formTime time.Duration
	var post []time.Duration
	var mu sync.Mutex
	run := func(job func(i int)) time.Duration {
		work := make(chan int)
		var wg sync.WaitGroup
		start := time.Now()
		for range clients {
			wg.Go(func() {
				for i := range work {
					job(i)
				}
			})
		}
		for i := range each {
			work <- i
		}
		close(work)
		wg.Wait()
		return time.Since(start)
	}
	rounds := 0
	for b.Loop() {
		for k := range len(cs) + 1 {
			switch i := (k + rounds) % (len(cs) + 1); {
			case i < len(cs):
				slots := make(chan struct{}, cs[i])
				kdfTime[i] += run(func(n int) {
					// A submission derives two receipts, hers and the safe
					// one (intake/safe.go), in one slot, collecting
					// Argon2's memory after each as kdfPool.deriveAll does:
					// the KDF-only job does the same work, so the ratio
					// counts what the stack adds, not the second receipt.
					slots <- struct{}{}
					for _, v := range []string{strconv.Itoa(n), "safe " + strconv.Itoa(n)} {
						argon2.IDKey([]byte(v), salt, p.Time, p.MemoryKiB, p.Threads, 32)
						runtime.GC()
					}
					<-slots
				})
			default:
				formTime += run(func(int) {
					tok, err := writeToken(ts.URL)
					if err != nil {
						b.Error(err)
						return
					}
					r := io.MultiReader(strings.NewReader("--"+loadBoundary+"\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n"+tok+"\r\n"), bytes.NewReader(body))
					t1 := time.Now()
					resp, err := client.Post(ts.URL+"/en/submit", ctype, r)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Errorf("status %d", resp.StatusCode)
						return
					}
					mu.Lock()
					post = append(post, time.Since(t1))
					mu.Unlock()
				})
			}
		}
		rounds++
	}
	best := 0.0
	for i, c := range cs {
		rate := float64(each*rounds) / kdfTime[i].Seconds()
		best = max(best, rate)
		b.ReportMetric(rate, fmt.Sprintf("kdf-c%d/s", c))
	}
	form := float64(each*rounds) / formTime.Seconds()
	b.ReportMetric(form, "form/s")
	b.ReportMetric(form/best, "form/best-kdf")
	slices.Sort(post)
	if len(post) > 0 {
		b.ReportMetric(float64(post[len(post)/2].Microseconds())/1000, "post-p50-ms")
		b.ReportMetric(float64(post[len(post)*99/100].Microseconds())/1000, "post-p99-ms")
	}
	b.ReportMetric(0, "ns/op")
}

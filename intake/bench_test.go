package intake

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

	"testimony/tests/vaulttest"
	"testimony/vault"
)

// BenchmarkSubmit compares a submission through the whole HTTP handler
// (loopback, multipart streaming, framing and padding, age, staged bbolt
// commit with custody, receipt page) with the bare minimum: age-encrypt the
// same payload and put it in bbolt in one transaction. Both use the same
// recipient; the HTTP path uses a cheap receipt KDF so the comparison shows
// our stack's own overhead (the KDF's cost is measured in its own
// benchmark). Run: go test ./intake -run XXX -bench Submit -benchmem
func BenchmarkSubmit(b *testing.B) {
	for _, size := range []int{4 << 10, 1 << 20} {
		payload := make([]byte, size)
		for i := range payload {
			payload[i] = 'a' + byte(i%26)
		}
		name := fmt.Sprintf("%dKiB", size>>10)
		b.Run(name+"/http", func(b *testing.B) {
			_, _, ts := newTestServer(b, Config{MaxTextBytes: 2 << 20})
			b.SetBytes(int64(size))
			b.ResetTimer()
			for b.Loop() {
				ct, body := formFor(ts, "testimony", string(payload))
				resp, err := http.Post(ts.URL+"/en/submit", ct, body)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("status %d", resp.StatusCode)
				}
			}
		})
		b.Run(name+"/baseline", func(b *testing.B) {
			rec := vaulttest.Identity(b).Recipient()
			db, err := bolt.Open(filepath.Join(b.TempDir(), "base.db"), 0o600, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			b.SetBytes(int64(size))
			b.ResetTimer()
			for b.Loop() {
				var buf bytes.Buffer
				w, _ := age.Encrypt(&buf, rec)
				w.Write(payload)
				w.Close()
				key := make([]byte, 16)
				rand.Read(key)
				err := db.Update(func(tx *bolt.Tx) error {
					bk, err := tx.CreateBucketIfNotExists([]byte("b"))
					if err != nil {
						return err
					}
					return bk.Put(key, buf.Bytes())
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReceiptKDF measures one receipt derivation at the production
// parameters: the cost every new receipt and every return visit pays.
func BenchmarkReceiptKDF(b *testing.B) {
	for b.Loop() {
		if _, err := deriveReceipt("123456789012345678901234", []byte("salt"), DefaultKDF); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkKDFConcurrency measures the production derivation run 1, 2, 3
// and 4 at a time, each through a pool of that many slots, and reports
// derivations a second for each: the curve the pool's default concurrency
// (bestKDFConcurrency) is chosen from. The machine may be shared, so the
// four alternate within each iteration (12 derivations each, in a
// rotating order) rather than run one after the other. Run:
//
//	go test ./intake -run XXX -bench KDFConcurrency -benchtime 10x
func BenchmarkKDFConcurrency(b *testing.B) {
	cs := []int{1, 2, 3, 4}
	spent := make([]time.Duration, len(cs))
	const each = 12
	round := 0
	for b.Loop() {
		for k := range cs {
			i := (k + round) % len(cs)
			c := cs[i]
			p := newKDFPool(DefaultKDF, int64(c)*int64(DefaultKDF.MemoryKiB)<<10, c, time.Hour, []byte("salt"))
			var wg sync.WaitGroup
			start := time.Now()
			for w := range c {
				wg.Go(func() {
					for j := w; j < each; j += c {
						if _, err := p.derive(context.Background(), fmt.Sprintf("%020d", j)); err != nil {
							b.Error(err)
						}
					}
				})
			}
			wg.Wait()
			spent[i] += time.Since(start)
		}
		round++
	}
	for i, c := range cs {
		b.ReportMetric(float64(each*round)/spent[i].Seconds(), fmt.Sprintf("c%d-derivations/s", c))
	}
	b.ReportMetric(float64(bestKDFConcurrency(DefaultKDF)), "default-c")
}

// BenchmarkSubmitAttachment posts one account with one attachment of 1, 10
// and 100 MB through the real handler over loopback, streaming the body
// from a generator so the client holds none of it, and reports the peak
// heap in use during the requests: it must not grow with the attachment.
// Run: go test ./intake -run XXX -bench SubmitAttachment -benchmem
func BenchmarkSubmitAttachment(b *testing.B) {
	for _, mb := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("%dMB", mb), func(b *testing.B) {
			_, _, ts := newTestServer(b, Config{MaxUploadBytes: 200 << 20})
			size := int64(mb) << 20
			b.SetBytes(size)
			peak := watchHeap(b)
			for b.Loop() {
				pr, pw := io.Pipe()
				mw := multipart.NewWriter(pw)
				go func() {
					mw.WriteField("n", token(ts, tokenWrite))
					mw.WriteField("testimony", "사진을 보냅니다.")
					w, _ := mw.CreateFormFile("files", "video.mp4")
					io.Copy(w, io.LimitReader(zeroReader{}, size))
					mw.Close()
					pw.Close()
				}()
				resp, err := http.Post(ts.URL+"/ko/submit", mw.FormDataContentType(), pr)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("status %d", resp.StatusCode)
				}
			}
			b.ReportMetric(float64(peak())/(1<<20), "peak-heap-MB")
		})
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// watchHeap samples the heap in use until the benchmark ends and returns
// a function giving the peak seen.
func watchHeap(b *testing.B) func() uint64 {
	runtime.GC()
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-t.C:
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	}()
	b.Cleanup(func() { close(done) })
	return peak.Load
}

// BenchmarkVisit times a return visit through the HTTP handler with her
// safe receipt, with the real receipt of an account with no reply, and
// with a real receipt that opens one reply: typed into the return page,
// one Argon2id, the look-up, the visit record's commit, the status page.
// Each visit writes its record (the daily cap is reset). With the cheap
// test KDF the visit's own work shows; with the production KDF, what she
// waits for. The three kinds alternate within each iteration, each first
// in turn, so a shared machine's noise falls on all of them alike; it reports ns per
// visit for each. Run: go test ./intake -run XXX -bench Visit -benchtime 20x
func BenchmarkVisit(b *testing.B) {
	for _, k := range []struct {
		name string
		kdf  KDFParams
	}{{"cheapKDF", testKDF}, {"productionKDF", DefaultKDF}} {
		b.Run(k.name, func(b *testing.B) {
			reviewer := vaulttest.Identity(b)
			s, store, ts := newTestServer(b, Config{Recipients: []age.Recipient{reviewer.Recipient()}, KDF: k.kdf})
			a := submitAccount(b, ts, "첫째 이야기")
			takeSecond(b, ts, &a, vault.ChoseQuiet)
			safe := a.second2
			empty := submitAccount(b, ts, "둘째 이야기")
			withReply := submitAccount(b, ts, "셋째 이야기")
			replyTo(b, store, reviewer, submissionOf(b, store, reviewer, "셋째 이야기"), "읽었습니다.")
			kinds := []struct{ name, receipt string }{{"safe", safe}, {"empty", empty.digits}, {"reply", withReply.digits}}
			var spent [3]time.Duration
			b.ResetTimer()
			round := 0
			for b.Loop() {
				round++
				for j := range kinds { // each kind takes each place in turn
					i := (j + round) % len(kinds)
					kind := kinds[i]
					s.visitLog.mu.Lock()
					s.visitLog.n = nil
					s.visitLog.mu.Unlock()
					start := time.Now()
					comeBack(b, s, ts, kind.receipt)
					spent[i] += time.Since(start)
				}
			}
			for i, kind := range kinds {
				b.ReportMetric(float64(spent[i].Nanoseconds())/float64(b.N), kind.name+"-ns/visit")
			}
			b.ReportMetric(float64(spent[0])/float64(spent[1]), "safe/empty")
			b.ReportMetric(float64(spent[2])/float64(spent[1]), "reply/empty")
		})
	}
}

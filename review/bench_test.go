package review

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"filippo.io/age"

	"testimony/tests/vaulttest"
	"testimony/vault"
)

// benchDir holds the bundles the benchmarks build once per run; TestMain
// removes it.
var benchDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// benchBundle is a bundle built once per run, with the ciphertext of every
// part kept aside for the baseline.
type benchBundle struct {
	path  string
	id    *age.X25519Identity
	parts []string // a file holding each part's ciphertext, for the age baseline
	plain int64    // plaintext bytes of all parts
	subs  int
}

var (
	benchOnce  = map[string]*sync.Once{}
	benchCache = map[string]*benchBundle{}
	benchMu    sync.Mutex
)

// buildBundle makes a bundle of n submissions, each a text part and, if
// attach > 0, an attachment of that many bytes.
func buildBundle(b *testing.B, name string, n, text, attach int) *benchBundle {
	benchMu.Lock()
	once := benchOnce[name]
	if once == nil {
		once = new(sync.Once)
		benchOnce[name] = once
	}
	benchMu.Unlock()
	once.Do(func() {
		if benchDir == "" {
			d, err := os.MkdirTemp("", "review-bench-")
			if err != nil {
				b.Fatal(err)
			}
			benchDir = d
		}
		id, _ := age.GenerateX25519Identity()
		recs := []age.Recipient{id.Recipient()}
		store, err := vault.Open(filepath.Join(benchDir, name+".db"), nil)
		if err != nil {
			b.Fatal(err)
		}
		defer store.Close()
		body := bytes.Repeat([]byte("나는 팔려 갔습니다. "), text/26+1)[:text]
		file := bytes.Repeat([]byte{0xff, 0xd8, 0x42, 0x17}, attach/4)
		bb := &benchBundle{id: id, subs: n}
		for range n {
			parts := []vaulttest.Part{vaulttest.Text(string(body))}
			bb.plain += int64(len(body))
			if attach > 0 {
				parts = append(parts, vaulttest.Attachment("video.mp4", "video/mp4", file))
				bb.plain += int64(len(file))
			}
			if _, err := vaulttest.Submit(store, recs, parts...); err != nil {
				b.Fatal(err)
			}
		}
		bb.path = filepath.Join(benchDir, name+".age")
		f, err := os.Create(bb.path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := store.WriteBundle(f, recs, false); err != nil {
			b.Fatal(err)
		}
		f.Close()
		// The baseline decrypts the very same part ciphertexts.
		src, _ := os.Open(bb.path)
		defer src.Close()
		partsDir := filepath.Join(benchDir, name+"-parts")
		os.Mkdir(partsDir, 0o700)
		r := vault.BundleReader{Identities: []age.Identity{id}, Part: func(it vault.Item, i int, ct io.Reader) error {
			path := filepath.Join(partsDir, it.Parts[i].Hash.String())
			f, err := os.Create(path)
			if err != nil {
				return err
			}
			defer f.Close()
			bb.parts = append(bb.parts, path)
			_, err = io.Copy(f, ct)
			return err
		}}
		if _, err := r.Read(src); err != nil {
			b.Fatal(err)
		}
		benchCache[name] = bb
	})
	bb := benchCache[name]
	if bb == nil {
		b.Fatal("building the bundle failed")
	}
	return bb
}

// peakMemory samples the heap while the benchmark runs.
type peakMemory struct {
	stop      chan struct{}
	done      sync.WaitGroup
	heap, sys uint64
}

func watchMemory() *peakMemory {
	runtime.GC()
	p := &peakMemory{stop: make(chan struct{})}
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		var m runtime.MemStats
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&m)
			p.heap, p.sys = max(p.heap, m.HeapInuse), max(p.sys, m.Sys)
			select {
			case <-p.stop:
				return
			case <-t.C:
			}
		}
	}()
	return p
}

func (p *peakMemory) report(b *testing.B) {
	close(p.stop)
	p.done.Wait()
	b.ReportMetric(float64(p.heap)/1e6, "peak-heap-MB")
	b.ReportMetric(float64(p.sys)/1e6, "peak-sys-MB")
}

// BenchmarkImport measures what a reviewer waits for with a new bundle:
// import (decrypt the bundle, verify hashes and chain, seal the originals,
// commit the index), verify the whole workspace, and decrypt every part;
// next to the bare minimum, plain age decryption of the same bundle and of
// the same part ciphertexts (read from files, as review reads its sealed
// originals), and the floor a durable import adds (age+durable-copy,
// durable-copy: the bundle written to a file and synced), in the same run. MB/s counts the plaintext of the parts;
// peak-heap-MB is the largest HeapInuse sampled every 5 ms. Run:
//
//	go test ./review -run XXX -bench Import -benchmem -benchtime 3x
func BenchmarkImport(b *testing.B) {
	for _, c := range []struct {
		name            string
		n, text, attach int
	}{
		{"10000x4KiB", 10000, 4 << 10, 0},
		{"100x10MB", 100, 1 << 10, 10e6},
	} {
		b.Run(c.name+"/review", func(b *testing.B) {
			bb := buildBundle(b, c.name, c.n, c.text, c.attach)
			ids := []age.Identity{bb.id}
			b.SetBytes(bb.plain)
			mem := watchMemory()
			var phases [3]time.Duration // import, verify, decrypt
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				dir := filepath.Join(b.TempDir(), fmt.Sprint("ws", i))
				w, err := Init(dir, []age.Recipient{bb.id.Recipient()})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				t0 := time.Now()
				f, _ := os.Open(bb.path)
				if _, err := unlock(b, w, ids).Import(f, nil); err != nil {
					b.Fatal(err)
				}
				f.Close()
				t1 := time.Now()
				if rep, err := w.Verify(); err != nil || !rep.OK() {
					b.Fatal(err, rep.Problems)
				}
				t2 := time.Now()
				items, _ := w.Items()
				err = w.eachPart(items, ids, func(_ vault.Item, _ int, _ vault.PartHeader, content io.Reader) error {
					_, err := io.Copy(io.Discard, content)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
				phases[0] += t1.Sub(t0)
				phases[1] += t2.Sub(t1)
				phases[2] += time.Since(t2)
				b.StopTimer()
				w.Close()
				os.RemoveAll(dir)
				b.StartTimer()
			}
			b.StopTimer()
			b.ReportMetric(float64(bb.subs*b.N)/b.Elapsed().Seconds(), "records/s")
			// Import alone verifies every hash and the chain: the same
			// without the separate verify.
			b.ReportMetric(float64(bb.subs*b.N)/(phases[0]+phases[2]).Seconds(), "records/s-without-verify")
			for i, name := range []string{"import-s/op", "verify-s/op", "decrypt-s/op"} {
				b.ReportMetric(phases[i].Seconds()/float64(b.N), name)
			}
			mem.report(b)
		})
		// The floor a durable import cannot go under: plain age, and the
		// bundle's ciphertext copied to a file and synced (a pack holds
		// about as many bytes), and that copy alone.
		for _, v := range []struct {
			name           string
			decrypt, write bool
		}{{"age", true, false}, {"age+durable-copy", true, true}, {"durable-copy", false, true}} {
			b.Run(c.name+"/"+v.name, func(b *testing.B) {
				bb := buildBundle(b, c.name, c.n, c.text, c.attach)
				b.SetBytes(bb.plain)
				mem := watchMemory()
				b.ResetTimer()
				for i := range b.N {
					var copyTo *os.File
					if v.write {
						b.StopTimer()
						f, err := os.Create(filepath.Join(b.TempDir(), fmt.Sprint("copy", i)))
						if err != nil {
							b.Fatal(err)
						}
						copyTo = f
						b.StartTimer()
					}
					ageBaseline(b, bb, v.decrypt, copyTo)
				}
				b.StopTimer()
				b.ReportMetric(float64(bb.subs*b.N)/b.Elapsed().Seconds(), "records/s")
				mem.report(b)
			})
		}
	}
}

// ageBaseline decrypts the bundle and, if decrypt, every part's ciphertext
// from its own file; with copyTo, it also writes the bundle's ciphertext
// to copyTo as it reads it, syncs and closes it.
func ageBaseline(b *testing.B, bb *benchBundle, decrypt bool, copyTo *os.File) {
	f, err := os.Open(bb.path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var src io.Reader = f
	if copyTo != nil {
		src = io.TeeReader(f, copyTo)
	}
	if decrypt {
		r, err := age.Decrypt(src, bb.id)
		if err != nil {
			b.Fatal(err)
		}
		src = r
	}
	if _, err := io.Copy(io.Discard, src); err != nil {
		b.Fatal(err)
	}
	if copyTo != nil {
		if err := copyTo.Sync(); err != nil {
			b.Fatal(err)
		}
		copyTo.Close()
	}
	if !decrypt {
		return
	}
	for _, path := range bb.parts {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		r, err := age.Decrypt(f, bb.id)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, r); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}

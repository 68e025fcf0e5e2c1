package intake

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"testing"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

	"testimony/internal/vaulttest"
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
			ct, body := form("testimony", string(payload))
			raw := body.Bytes()
			b.SetBytes(int64(size))
			b.ResetTimer()
			for b.Loop() {
				resp, err := http.Post(ts.URL+"/en/submit", ct, bytes.NewReader(raw))
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

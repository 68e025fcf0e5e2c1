package review

import (
	"io"
	"sync/atomic"
)

// ByteCount is how far a long command has come, for the caller to show
// while it runs: an export reads every attachment it writes out, and one
// video can be tens of megabytes on a slow stick. Both counts are in bytes
// of the sealed originals (the ciphertext), so that Total is known before
// anything is decrypted. Either may be read at any time, from any
// goroutine.
type ByteCount struct {
	Read  atomic.Int64
	Total atomic.Int64 // 0 when unknown
}

// countingReader adds what passes through it to n.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	c.n.Add(int64(k))
	return k, err
}

package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// meter reports how far a long read has come, by bytes, while it runs:
// records can be large (an 84 MB video is one), so counting records alone
// left a slow USB stick silent for many seconds. It counts the bytes read
// from the source and, on each tick, prints them, with a percentage when
// the size is known (a file, not a pipe), and the rate.
type meter struct {
	n     atomic.Int64
	total int64 // 0 if unknown
	start time.Time
	out   io.Writer

	stop chan struct{}
	done sync.WaitGroup
}

// newMeter starts a meter for src: when src is a regular file its size
// gives the percentage.
func newMeter(src io.Reader, out io.Writer, start time.Time) *meter {
	m := &meter{start: start, out: out, stop: make(chan struct{})}
	if f, ok := src.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			m.total = fi.Size()
		}
	}
	return m
}

// Read counts what passes through, for meter.reader.
type meterReader struct {
	r io.Reader
	m *meter
}

func (r meterReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.m.n.Add(int64(n))
	return n, err
}

func (m *meter) reader(r io.Reader) io.Reader { return meterReader{r, m} }

// line is what one tick prints.
func (m *meter) line(now time.Time) string {
	read := m.n.Load()
	mb := float64(read) / 1e6
	rate := mb / max(now.Sub(m.start).Seconds(), 1e-3)
	if m.total > 0 {
		pct := min(100, int(read*100/m.total))
		return fmt.Sprintf("review: reading: %.1f of %.1f MB (%d%%), %.1f MB/s", mb, float64(m.total)/1e6, pct, rate)
	}
	return fmt.Sprintf("review: reading: %.1f MB, %.1f MB/s", mb, rate)
}

// run prints a line on every tick until finish.
func (m *meter) run(ticks <-chan time.Time) {
	m.done.Add(1)
	go func() {
		defer m.done.Done()
		for {
			select {
			case now := <-ticks:
				fmt.Fprintln(m.out, m.line(now))
			case <-m.stop:
				return
			}
		}
	}()
}

// finish stops the ticks; nothing is printed after it returns.
func (m *meter) finish() {
	close(m.stop)
	m.done.Wait()
}

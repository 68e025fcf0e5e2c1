package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"testimony/review"
	"time"
)

// meter reports how far a long read has come, by bytes, while it runs:
// records can be large (an 84 MB video is one), so counting records alone
// left a slow USB stick silent for many seconds. It counts the bytes read
// (from the source it wraps, or as an export counts them) and, on each
// tick, prints them, with a percentage when the size is known (a file,
// not a pipe), and the rate. Import and export share it.
type meter struct {
	review.ByteCount
	what  string // what the line says is being read
	start time.Time
	out   io.Writer

	ticker *time.Ticker // nil unless onTerminal started one
	stop   chan struct{}
	done   sync.WaitGroup
}

// newMeter makes a meter for src, if not nil: when src is a regular file
// its size gives the percentage.
func newMeter(src io.Reader, out io.Writer, start time.Time) *meter {
	m := &meter{what: "reading", start: start, out: out, stop: make(chan struct{})}
	if f, ok := src.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			m.Total.Store(fi.Size())
		}
	}
	return m
}

// onTerminal ticks the meter once a second when f, where it prints, is a
// terminal: a log or a pipe gets only the line the command ends with.
func (m *meter) onTerminal(f *os.File) {
	if !isTerminal(f) {
		return
	}
	m.ticker = time.NewTicker(time.Second)
	m.run(m.ticker.C)
}

// Read counts what passes through, for meter.reader.
type meterReader struct {
	r io.Reader
	m *meter
}

func (r meterReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.m.Read.Add(int64(n))
	return n, err
}

func (m *meter) reader(r io.Reader) io.Reader { return meterReader{r, m} }

// line is what one tick prints.
func (m *meter) line(now time.Time) string {
	read, total := m.Read.Load(), m.Total.Load()
	mb := float64(read) / 1e6
	rate := mb / max(now.Sub(m.start).Seconds(), 1e-3)
	if total > 0 {
		pct := min(100, int(read*100/total))
		return fmt.Sprintf("review: %s: %.1f of %.1f MB (%d%%), %.1f MB/s", m.what, mb, float64(total)/1e6, pct, rate)
	}
	return fmt.Sprintf("review: %s: %.1f MB, %.1f MB/s", m.what, mb, rate)
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
	if m.ticker != nil {
		m.ticker.Stop()
	}
	close(m.stop)
	m.done.Wait()
}

package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The meter prints, on each tick, the bytes read so far, and the
// percentage of a file of known size; from a pipe, bytes alone. Ticks are
// sent by the test: nothing here waits for the clock.
func TestMeter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bundle.age")
	if err := os.WriteFile(path, bytes.Repeat([]byte("x"), 4_000_000), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	start := time.Unix(1000, 0)
	var out bytes.Buffer
	m := newMeter(f, &out, start)
	ticks := make(chan time.Time)
	m.run(ticks)
	r := m.reader(f)
	if _, err := io.CopyN(io.Discard, r, 1_000_000); err != nil {
		t.Fatal(err)
	}
	ticks <- start.Add(time.Second)
	if _, err := io.CopyN(io.Discard, r, 2_000_000); err != nil {
		t.Fatal(err)
	}
	ticks <- start.Add(2 * time.Second)
	m.finish()
	got := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{
		"review: reading: 1.0 of 4.0 MB (25%), 1.0 MB/s",
		"review: reading: 3.0 of 4.0 MB (75%), 1.5 MB/s",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	pw.Close()
	p := newMeter(pr, io.Discard, start)
	p.n.Store(2_500_000)
	if l := p.line(start.Add(time.Second)); l != "review: reading: 2.5 MB, 2.5 MB/s" {
		t.Errorf("from a pipe: %q", l)
	}
}

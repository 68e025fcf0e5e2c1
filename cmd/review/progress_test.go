package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
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
	r := m.reader(f)
	if _, err := io.CopyN(io.Discard, r, 1_000_000); err != nil {
		t.Fatal(err)
	}
	if l := m.line(start.Add(time.Second)); l != "review: reading: 1.0 of 4.0 MB (25%), 1.0 MB/s" {
		t.Errorf("after 1 MB: %q", l)
	}
	if _, err := io.CopyN(io.Discard, r, 2_000_000); err != nil {
		t.Fatal(err)
	}
	// Each tick prints a line, until finish.
	ticks := make(chan time.Time)
	m.run(ticks)
	ticks <- start.Add(2 * time.Second)
	ticks <- start.Add(2 * time.Second)
	m.finish()
	want := "review: reading: 3.0 of 4.0 MB (75%), 1.5 MB/s\n"
	if out.String() != want+want {
		t.Errorf("printed %q, want twice %q", out.String(), want)
	}

	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	pw.Close()
	p := newMeter(pr, io.Discard, start)
	p.Read.Store(2_500_000)
	if l := p.line(start.Add(time.Second)); l != "review: reading: 2.5 MB, 2.5 MB/s" {
		t.Errorf("from a pipe: %q", l)
	}
}

// TestMeterOnlyOnTerminal: standard error that is a file (a log) or a
// pipe gets no progress lines, only the line the command ends with; the
// terminal's side is tests/reviewleak's TestImportProgressOnTerminal.
func TestMeterOnlyOnTerminal(t *testing.T) {
	log, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	for _, f := range []*os.File{log, pw} {
		m := newMeter(nil, f, time.Now())
		m.onTerminal(f)
		if m.ticker != nil {
			t.Errorf("%s: the meter ticks", f.Name())
		}
		m.finish()
	}
}

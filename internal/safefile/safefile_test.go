package safefile

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"testimony/tests/usbtest"
	"testimony/tests/vaulttest"
)

// names lists dir.
func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var n []string
	for _, e := range es {
		n = append(n, e.Name())
	}
	return n
}

// exercise writes a canary through every path of the package in dir and
// checks what the directory holds at each step.
func exercise(t *testing.T, dir string, wantAnonymous bool) {
	canary := vaulttest.Canary()
	path := filepath.Join(dir, "statement.json")
	content := []byte("her account " + canary)

	// While it is written, and staged, nothing is at its name; on Linux
	// nothing is in the directory at all.
	s, err := Stage(path, "", func(w io.Writer) error {
		if _, err := w.Write(content); err != nil {
			return err
		}
		if n := names(t, dir); wantAnonymous && len(n) != 0 {
			t.Errorf("while writing, the directory holds %v", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if (s.Temp() == "") != wantAnonymous {
		t.Errorf("staged with temporary name %q; want anonymous %v", s.Temp(), wantAnonymous)
	}
	if _, err := os.Lstat(path); err == nil {
		t.Fatal("staged file is already at its name")
	}
	if s.Sum() != sha256.Sum256(content) || s.Size() != int64(len(content)) {
		t.Error("wrong sum or size")
	}
	if err := s.Publish(); err != nil {
		t.Fatal(err)
	}
	s.Discard() // after publishing, nothing
	if got, _ := os.ReadFile(path); !bytes.Equal(got, content) {
		t.Fatalf("published %q", got)
	}
	if n := names(t, dir); len(n) != 1 {
		t.Errorf("after publishing, the directory holds %v", n)
	}

	// Never replaces: at Stage and at Publish.
	if _, err := WriteNew(path, func(w io.Writer) error { _, err := w.Write([]byte("other")); return err }); !errors.Is(err, ErrExists) {
		t.Fatalf("overwrite: %v", err)
	}
	other := filepath.Join(dir, "race.json")
	s2, err := Stage(other, "", func(w io.Writer) error { _, err := w.Write(content); return err })
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, []byte("someone else's"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s2.Publish(); !errors.Is(err, ErrExists) {
		t.Fatalf("publish over a file made meanwhile: %v", err)
	}
	s2.Discard()
	if got, _ := os.ReadFile(other); string(got) != "someone else's" {
		t.Fatalf("replaced: %q", got)
	}
	os.Remove(other)

	// A failing fill leaves nothing.
	if _, err := WriteNew(filepath.Join(dir, "failed.json"), func(w io.Writer) error {
		w.Write(content)
		return errors.New("stopped")
	}); err == nil {
		t.Fatal("no error")
	}
	// Unpublish takes a published file back.
	s3, err := Stage(filepath.Join(dir, "undone.json"), "", func(w io.Writer) error { _, err := w.Write(content); return err })
	if err != nil {
		t.Fatal(err)
	}
	if err := s3.Publish(); err != nil {
		t.Fatal(err)
	}
	if err := s3.Unpublish(); err != nil {
		t.Fatal(err)
	}
	if n := names(t, dir); len(n) != 1 || n[0] != "statement.json" {
		t.Errorf("the directory holds %v", n)
	}
	// A missing directory is said plainly, without a temporary name.
	_, err = WriteNew(filepath.Join(dir, "missing", "x"), func(io.Writer) error { return nil })
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("does not exist")) || bytes.Contains([]byte(err.Error()), []byte(tempMarker)) {
		t.Errorf("missing directory: %v", err)
	}
	os.Remove(path)
	if files, _ := vaulttest.ScanForCanaries(t, []string{canary}, dir); files != 0 {
		t.Errorf("%d files left", files)
	}
}

func TestLocal(t *testing.T) {
	dir := t.TempDir()
	_, err := openAnonymous(dir)
	anonymous := err == nil
	if runtime.GOOS == "linux" && !anonymous {
		t.Logf("the file system of %s has no O_TMPFILE: testing the named fallback", dir)
	}
	exercise(t, dir, anonymous)
}

// TestTmpfs is the memory-backed case, which always has O_TMPFILE.
func TestTmpfs(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("O_TMPFILE is Linux's")
	}
	if _, err := os.Stat("/dev/shm"); err != nil {
		t.Skip("no /dev/shm")
	}
	dir, err := os.MkdirTemp("/dev/shm", "safefile-test-")
	if err != nil {
		t.Skip(err)
	}
	defer os.RemoveAll(dir)
	exercise(t, dir, true)
}

// TestFAT and TestExFAT write to the usual USB stick, which has neither
// hard links nor O_TMPFILE.
func TestFAT(t *testing.T)   { exercise(t, usbtest.Mount(t, "vfat"), false) }
func TestExFAT(t *testing.T) { exercise(t, usbtest.Mount(t, "exfat"), false) }

func TestTempName(t *testing.T) {
	p := filepath.Join("dir", "a.json")
	tmp := TempName(p)
	if !IsTempName(p, tmp) || IsTempName(p, p) || IsTempName(filepath.Join("dir", "b.json"), tmp) {
		t.Errorf("IsTempName(%q)", tmp)
	}
}

// Package vaulttest has helpers for tests that need a real store and real
// keys: a bbolt file in t.TempDir(), fresh age identities, submissions
// built part by part with the real vault API (parts.go), and canaries to
// scan the files a test produced for.
package vaulttest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"filippo.io/age"

	"testimony/vault"
)

// Open returns a new store in a temporary directory, closed at the end of
// the test, and the path of its file.
func Open(t testing.TB) (*vault.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "store.db")
	s, err := vault.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// Identity returns a fresh X25519 identity.
func Identity(t testing.TB) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Put commits a submission with one text part and returns its ID.
func Put(t testing.TB, s *vault.Store, text string, recipients ...age.Recipient) vault.ID {
	t.Helper()
	id, err := Submit(s, recipients, Text(text))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Canary returns a random marker to plant in testimony and search for.
func Canary() string {
	b := make([]byte, 12)
	rand.Read(b)
	return "CANARY" + hex.EncodeToString(b)
}

// ScanForCanaries walks every file under each root and fails the test for
// any canary found in clear. It returns how many files and bytes it read,
// so a test can show the scan covered something.
func ScanForCanaries(t testing.TB, canaries []string, roots ...string) (files int, bytesRead int64) {
	t.Helper()
	for _, root := range roots {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("reading %s: %v", path, err)
				return nil
			}
			files++
			bytesRead += int64(len(b))
			for _, c := range canaries {
				if bytes.Contains(b, []byte(c)) {
					t.Errorf("canary %s found in clear in %s", c, path)
				}
			}
			return nil
		})
	}
	return files, bytesRead
}

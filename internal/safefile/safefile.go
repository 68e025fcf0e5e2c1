// Package safefile writes files that appear whole or not at all, never
// replace an existing file, and are readable only by their owner.
package safefile

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"testimony/internal/failpoint"
)

// ErrExists means the destination already exists; nothing was written.
var ErrExists = errors.New("file already exists")

// WriteNew creates path with mode 0600 and content from fill. The content is
// written under a temporary name in the same directory, synced, then linked
// into place, which fails rather than replace an existing file, and the
// directory is synced. If fill or anything else fails, nothing is left
// behind. It returns the SHA-256 of what was written.
func WriteNew(path string, fill func(io.Writer) error) ([32]byte, error) {
	var sum [32]byte
	if _, err := os.Lstat(path); err == nil {
		return sum, fmt.Errorf("%s: %w", path, ErrExists)
	}
	suffix := make([]byte, 6)
	rand.Read(suffix)
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".partial-"+hex.EncodeToString(suffix))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return sum, err
	}
	defer os.Remove(tmp)
	defer f.Close()
	h := sha256.New()
	if err := fill(io.MultiWriter(f, h)); err != nil {
		return sum, err
	}
	if err := f.Sync(); err != nil {
		return sum, err
	}
	if err := f.Close(); err != nil {
		return sum, err
	}
	failpoint.Inject(failpoint.SafefileWritten)
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return sum, fmt.Errorf("%s: %w", path, ErrExists)
		}
		return sum, err
	}
	if err := SyncDir(filepath.Dir(path)); err != nil {
		return sum, err
	}
	h.Sum(sum[:0])
	return sum, nil
}

// SyncDir makes a directory's entries durable after a create or rename.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Package safefile writes files that appear whole or not at all, never
// replace an existing file, and are readable only by their owner.
//
// A file is first staged: written and synced where no directory listing
// shows it (on Linux an O_TMPFILE inode, linked nowhere), then published
// under its name by a link that fails rather than replace a file. Where
// the file system has no anonymous files or no hard links (FAT and exFAT,
// the usual USB stick), it is staged under a hidden temporary name and
// published by a rename that does not replace. A temporary name is removed
// if the command is interrupted (package interrupt); after a SIGKILL or a
// power loss the caller's next run removes it, which is why callers can
// choose it in advance ([TempName]) and record it.
package safefile

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"testimony/internal/failpoint"
	"testimony/internal/interrupt"
)

// ErrExists means the destination already exists; nothing was written.
var ErrExists = errors.New("file already exists")

// tempMarker is in every temporary name, so nothing else is ever taken for
// one.
const tempMarker = ".partial-"

// TempName returns a fresh temporary name for a file to be published at
// path: hidden, in the same directory, with a random suffix.
func TempName(path string) string {
	suffix := make([]byte, 8)
	rand.Read(suffix)
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+tempMarker+hex.EncodeToString(suffix))
}

// IsTempName reports whether tmp is a name TempName returns for path.
func IsTempName(path, tmp string) bool {
	prefix := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+tempMarker)
	rest, ok := strings.CutPrefix(tmp, prefix)
	_, err := hex.DecodeString(rest)
	return ok && len(rest) == 16 && err == nil
}

// Staged is a file written and synced but not yet at its path.
type Staged struct {
	path   string
	tmp    string   // the temporary name; "" once gone
	anon   *os.File // the anonymous file, open until published (Linux)
	sum    [32]byte
	size   int64
	undo   func() // unregisters the interrupt hook
	public bool
}

// Stage writes the content fill produces for path, synced, without
// publishing it. tmp is the temporary name to use if the file system
// needs one; "" picks one. If anything fails nothing is left behind.
func Stage(path, tmp string, fill func(io.Writer) error) (*Staged, error) {
	if _, err := os.Lstat(path); err == nil {
		return nil, fmt.Errorf("%s: %w", path, ErrExists)
	}
	if tmp == "" {
		tmp = TempName(path)
	}
	s := &Staged{path: path}
	f, err := openAnonymous(filepath.Dir(path))
	if err == nil {
		s.anon = f
		s.undo = func() {}
	} else if errors.Is(err, errNoAnonymous) {
		// Registered before the file exists, so that there is no moment
		// when a signal would leave it.
		s.tmp = tmp
		s.undo = interrupt.OnInterrupt(func(os.Signal) { os.Remove(tmp) })
		f, err = os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			s.undo()
			return nil, dirError(path, err)
		}
	} else {
		return nil, dirError(path, err)
	}
	h := sha256.New()
	err = fillSync(f, h, fill, &s.size)
	if s.anon == nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		s.Discard()
		return nil, err
	}
	h.Sum(s.sum[:0])
	failpoint.Inject(failpoint.SafefileWritten)
	return s, nil
}

func fillSync(f *os.File, h hash.Hash, fill func(io.Writer) error, size *int64) error {
	cw := &countWriter{w: io.MultiWriter(f, h)}
	if err := fill(cw); err != nil {
		return err
	}
	*size = cw.n
	return f.Sync()
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// dirError explains a missing directory, which is what the editor meets
// most, without the temporary name.
func dirError(path string, err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s: the directory %s does not exist; nothing was written", path, filepath.Dir(path))
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", path, pe.Err)
	}
	return fmt.Errorf("%s: %w", path, err)
}

// Path returns where the file is published.
func (s *Staged) Path() string { return s.path }

// Temp returns the temporary name the staged file has, or "" if it has
// none (an anonymous file, or published).
func (s *Staged) Temp() string { return s.tmp }

// Sum returns the SHA-256 of the content.
func (s *Staged) Sum() [32]byte { return s.sum }

// Size returns the content's length in bytes.
func (s *Staged) Size() int64 { return s.size }

// Publish puts the staged file at its path, failing with ErrExists rather
// than replace a file, and syncs the directory.
func (s *Staged) Publish() error {
	if s.public {
		return nil
	}
	var err error
	if s.anon != nil {
		err = linkAnonymous(s.anon, s.path)
	} else {
		err = os.Link(s.tmp, s.path)
		if err == nil {
			os.Remove(s.tmp)
		} else if noHardLinks(err) {
			err = renameNoReplace(s.tmp, s.path)
		}
	}
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s: %w", s.path, ErrExists)
	}
	if err != nil {
		return dirError(s.path, err)
	}
	s.public = true
	s.close()
	return SyncDir(filepath.Dir(s.path))
}

// Unpublish removes a published file again, for a caller whose later step
// failed; the content is the caller's own, just written.
func (s *Staged) Unpublish() error {
	if !s.public {
		return nil
	}
	s.public = false
	if err := os.Remove(s.path); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(s.path))
}

// Discard removes the staged file, if it is not published. It may be
// called more than once.
func (s *Staged) Discard() {
	if s.public {
		return
	}
	s.close()
}

func (s *Staged) close() {
	if s.anon != nil {
		s.anon.Close()
		s.anon = nil
	}
	if s.tmp != "" {
		os.Remove(s.tmp)
		s.tmp = ""
	}
	if s.undo != nil {
		s.undo()
		s.undo = nil
	}
}

// noHardLinks reports whether link failed because the file system has no
// hard links (FAT and exFAT say EPERM; others ENOTSUP or ENOSYS).
func noHardLinks(err error) bool {
	return errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.ENOTSUP) ||
		errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, syscall.ENOSYS) || errors.Is(err, syscall.EMLINK)
}

// errNoAnonymous means the platform or file system has no anonymous files.
var errNoAnonymous = errors.New("no anonymous files here")

// WriteNew creates path with mode 0600 and content from fill: staged, then
// published (see [Stage] and [Staged.Publish]). If fill or anything else
// fails, nothing is left behind. It returns the SHA-256 of what was
// written.
func WriteNew(path string, fill func(io.Writer) error) ([32]byte, error) {
	s, err := Stage(path, "", fill)
	if err != nil {
		return [32]byte{}, err
	}
	defer s.Discard()
	if err := s.Publish(); err != nil {
		return [32]byte{}, err
	}
	return s.Sum(), nil
}

// SyncDir makes a directory's entries durable after a create or rename.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	err = d.Sync()
	// Some file systems (FUSE ones among them) cannot sync a directory;
	// their entries are as durable as they make them.
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) || errors.Is(err, syscall.ENOSYS) {
		return nil
	}
	return err
}

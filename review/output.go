package review

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"

	"testimony/internal/failpoint"
	"testimony/internal/safefile"
)

// What leaves the workspace in clear (a statement, its attachments, one
// attachment written out) goes out as one output, all or nothing:
//
//  1. A pending record is committed in the index: the absolute path of
//     every file, and the temporary name it would have where the file
//     system needs one (FAT, exFAT).
//  2. Every file is staged (safefile.Stage): written and synced, on Linux
//     in an inode no directory holds. Once all are staged the record gets
//     their SHA-256 (a second commit).
//  3. Every file is published: linked to its name, never replacing one.
//  4. One transaction appends the custody entries and deletes the record.
//
// SIGINT, SIGTERM and SIGHUP remove what 2 staged under a name and never
// interrupt 3 and 4 (package interrupt; the command reports inside the
// same section). After a SIGKILL or power loss, the next [Open] finds the
// record and removes, for each file, its temporary name, and the file at
// its path if its SHA-256 is the one recorded (so a file someone else put
// there since is left alone): a crash before 4 leaves no output, and
// custody never lacks an entry for one that stayed. [Workspace.Removed]
// says what it removed.
//
// The record holds paths, never content, and lives only until step 4.

type pendingRecord struct {
	Files []pendingFile `json:"files"`
}

type pendingFile struct {
	Path   string `json:"path"`
	Temp   string `json:"temp"`
	SHA256 string `json:"sha256,omitempty"`
}

// Output is files staged and checked, not yet published.
type Output struct {
	w      *Workspace
	key    []byte
	rec    pendingRecord
	staged []*safefile.Staged
	commit func(tx *bolt.Tx) error // the custody entries, in step 4
	done   bool
	given  []string // the paths as given, for messages; the record has them absolute

	// stdout, if not nil, receives stdoutData once the output is recorded.
	stdout     io.Writer
	stdoutData []byte
}

// beginOutput records the pending record for files at paths (step 1).
func (w *Workspace) beginOutput(paths []string) (*Output, error) {
	o := &Output{w: w, key: make([]byte, 16)}
	rand.Read(o.key)
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		if _, err := os.Lstat(abs); err == nil {
			return nil, &ExistsError{Path: p}
		}
		o.rec.Files = append(o.rec.Files, pendingFile{Path: abs, Temp: safefile.TempName(abs)})
		o.given = append(o.given, p)
	}
	if err := o.save(); err != nil {
		return nil, err
	}
	return o, nil
}

func (o *Output) save() error {
	v, err := json.Marshal(o.rec)
	if err != nil {
		return err
	}
	return o.w.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketPending)
		if err != nil {
			return err
		}
		return b.Put(o.key, v)
	})
}

// existsAt is err, or an ExistsError for path if err says the file is
// already there.
func existsAt(path string, err error) error {
	if errors.Is(err, safefile.ErrExists) {
		return &ExistsError{Path: path}
	}
	return err
}

// stage writes file i (step 2).
func (o *Output) stage(i int, fill func(io.Writer) error) error {
	// The same file as the absolute path the record names: the working
	// directory does not change while a command runs.
	f := o.rec.Files[i]
	s, err := safefile.Stage(o.given[i], f.Temp, func(w io.Writer) error {
		return fill(&firstWrite{w: w})
	})
	if err != nil {
		return existsAt(o.given[i], err)
	}
	o.staged = append(o.staged, s)
	sum := s.Sum()
	o.rec.Files[i].SHA256 = hex.EncodeToString(sum[:])
	return nil
}

// staged records the staged files' sums (end of step 2).
func (o *Output) stagedAll() error { return o.save() }

// Paths returns where the files will be, as given.
func (o *Output) Paths() []string {
	var out []string
	for _, s := range o.staged {
		out = append(out, s.Path())
	}
	return out
}

// Publish puts every file at its path and records the output in custody
// (steps 3 and 4). If any step fails, every file published so far is
// removed and nothing is recorded. Call it inside interrupt.Critical, with
// the report that it was written.
func (o *Output) Publish() error {
	if o.done {
		return errors.New("output already published or discarded")
	}
	for i, s := range o.staged {
		if err := s.Publish(); err != nil {
			for _, p := range o.staged[:i] {
				p.Unpublish()
			}
			o.Discard()
			return existsAt(o.given[i], err)
		}
	}
	failpoint.Inject(failpoint.ReviewOutputPublished)
	err := o.w.db.Update(func(tx *bolt.Tx) error {
		if err := o.commit(tx); err != nil {
			return err
		}
		if b := tx.Bucket(bucketPending); b != nil {
			return b.Delete(o.key)
		}
		return nil
	})
	if err != nil {
		for _, s := range o.staged {
			s.Unpublish()
		}
		o.Discard()
		return err
	}
	o.done = true
	if o.stdout != nil {
		// Recorded first: custody never lacks an entry for what a pipe
		// may already have passed on.
		if _, err := o.stdout.Write(o.stdoutData); err != nil {
			return fmt.Errorf("the export is recorded in custody, but standard output did not take all of it: %w", err)
		}
	}
	return nil
}

// Discard drops every staged file and the pending record. It does nothing
// after Publish, and may be called more than once.
func (o *Output) Discard() {
	if o.done {
		return
	}
	o.done = true
	for _, s := range o.staged {
		s.Discard()
	}
	o.w.db.Update(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketPending); b != nil {
			return b.Delete(o.key)
		}
		return nil
	})
}

// cleanPending removes what an output that never finished left (see the
// order above) and returns the paths it removed.
func (w *Workspace) cleanPending() ([]string, error) {
	type pending struct {
		key []byte
		rec pendingRecord
	}
	var all []pending
	err := w.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPending)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var rec pendingRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("a pending output record is damaged: %w", err)
			}
			all = append(all, pending{bytes.Clone(k), rec})
			return nil
		})
	})
	if err != nil || len(all) == 0 {
		return nil, err
	}
	var removed []string
	for _, p := range all {
		for _, f := range p.rec.Files {
			if safefile.IsTempName(f.Path, f.Temp) {
				if err := os.Remove(f.Temp); err == nil {
					removed = append(removed, f.Temp)
				} else if !errors.Is(err, os.ErrNotExist) {
					return removed, fmt.Errorf("removing what an interrupted command left: %w", err)
				}
			}
			if f.SHA256 != "" && sameContent(f.Path, f.SHA256) {
				if err := os.Remove(f.Path); err != nil {
					return removed, fmt.Errorf("removing what an interrupted command left: %w", err)
				}
				removed = append(removed, f.Path)
			}
			safefile.SyncDir(filepath.Dir(f.Path))
		}
	}
	err = w.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPending)
		for _, p := range all {
			if err := b.Delete(p.key); err != nil {
				return err
			}
		}
		return nil
	})
	return removed, err
}

// sameContent reports whether the regular file at path has the SHA-256 sum
// (in hex).
func sameContent(path, sum string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return false
	}
	h := sha256.New()
	if _, err := copyPooled(h, f); err != nil {
		return false
	}
	return hex.EncodeToString(h.Sum(nil)) == sum
}

// Removed returns the files that opening the workspace removed: what a
// command killed while writing them left behind.
func (w *Workspace) Removed() []string { return w.removed }

// firstWrite reaches failpoint.ReviewOutputStaging after its first write.
type firstWrite struct {
	w    io.Writer
	done bool
}

func (f *firstWrite) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	if !f.done && n > 0 {
		f.done = true
		failpoint.Inject(failpoint.ReviewOutputStaging)
	}
	return n, err
}

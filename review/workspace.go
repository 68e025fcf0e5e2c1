// Package review is the reviewers' offline side: a workspace that imports
// bundles from the intake server, verifies them, keeps the originals sealed,
// and decrypts them only in memory with identities that never touch the
// server.
//
// # Basics
//
// [Init] creates a workspace for a team of reviewers, given their public
// keys (recipients); [Open] opens it again. [Workspace.Custody] and
// [Workspace.Verify] read and check the custody records.
//
// Whatever decrypts or is recorded as someone's act goes through a
// [Reviewer]: [Workspace.Unlock] checks the reviewer's identities
// ([agekey.LoadIdentities]) against the team once, and the identity that matches
// one of the team's recipients names the reviewer in the custody log, by
// the fingerprint of that recipient ([Fingerprint]). [Reviewer.Import]
// verifies a bundle and adds its submissions atomically: either the whole
// bundle is in, or the workspace is as before. [Reviewer.List],
// [Reviewer.Show], [Reviewer.Search] and [Reviewer.SaveAttachment] decrypt
// for reading; [Reviewer.Note] and [Reviewer.Tag] add what the reviewers
// derive, which is stored encrypted to the team.
//
// # Caveats
//
// The workspace stores the ciphertexts exactly as the server sealed them
// (same bytes, same SHA-256) in packs under objects/, one for each import,
// and a bbolt index that says where each is. Notes and
// tags are age-encrypted to the team's recipients. The custody logs (the
// server's and the workspace's own) and the item records are in clear, as
// on the server: they hold random IDs, days, sizes, hashes and key
// fingerprints, never testimony. The package never uses the network.
package review

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"testimony/vault"
)

// Workspace is a reviewer's local store of imported submissions.
type Workspace struct {
	dir string
	db  *bolt.DB

	// importing makes imports through one Workspace take turns (bbolt's
	// file lock keeps other processes out): a pack is named after its
	// bundle, and two imports of one bundle must not move packs over each
	// other.
	importing sync.Mutex

	// now gives the day custody entries record; tests may set it.
	now func() time.Time

	// removed lists what Open removed of outputs never finished.
	removed []string

	// sealedRead, while not nil, counts the sealed bytes read from packs:
	// an export's progress.
	sealedRead *atomic.Int64
}

const (
	indexFile  = "workspace.db"
	objectsDir = "objects"
)

var (
	bucketState    = []byte("state")    // server, heads
	bucketItems    = []byte("items")    // id|n → item record
	bucketCustody  = []byte("custody")  // seq → server custody entry
	bucketBundles  = []byte("bundles")  // bundle file hash → custody range
	bucketTeam     = []byte("team")     // SHA-256 of recipient → recipient
	bucketKeyCheck = []byte("keycheck") // SHA-256 of recipient → age file to it alone
	bucketLog      = []byte("log")      // seq → workspace custody entry
	bucketDerived  = []byte("derived")  // id|log seq → age file to the team
	bucketSecrets  = []byte("secrets")  // name → age file to the team (the server's reply key)
	bucketOutbox   = []byte("outbox")   // id|log seq → a reply sealed to her, not yet sent
	bucketObjects  = []byte("objects")  // part hash → where the sealed original is (objectRecord)

	allBuckets = [][]byte{bucketState, bucketItems, bucketCustody, bucketBundles, bucketTeam, bucketKeyCheck, bucketLog, bucketDerived, bucketSecrets, bucketOutbox, bucketObjects}

	// Buckets made when first needed, so that workspaces from before them
	// still open: Open does not ask for them.
	bucketPending = []byte("pending") // random key → pendingRecord (JSON): outputs being written (output.go)
	bucketExports = []byte("exports") // log seq → exportRecord, sealed to the team (provenance.go)

	// In bucketState.
	keyServer  = []byte("server")
	keyHead    = []byte("head")     // server chain: seq (8 bytes) | hash (32 bytes)
	keyLogHead = []byte("log-head") // workspace chain, same encoding

	// In bucketSecrets.
	keyReplyAuth  = []byte("reply-auth")     // the server's reply authentication key (reply.go)
	keyProvenance = []byte("provenance-key") // the workspace's provenance key (provenance.go)
)

// Init creates a workspace in dir (mode 0700, files 0600) for the team of
// reviewers whose public keys are recipients: what the workspace derives
// (notes, tags) is encrypted to all of them. Each recipient must be one
// agekey.ParseRecipients returns (it has a String method). dir may exist if
// it is empty.
func Init(dir string, recipients []age.Recipient) (*Workspace, error) {
	team, err := teamOf(recipients)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if entries, err := os.ReadDir(dir); err != nil {
		return nil, err
	} else if len(entries) > 0 {
		if _, err := os.Stat(filepath.Join(dir, indexFile)); err == nil {
			return nil, fmt.Errorf("%w: %s", ErrExists, dir)
		}
		return nil, fmt.Errorf("%s is not empty: a workspace needs a directory of its own", dir)
	}
	w, err := createWorkspace(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	err = w.db.Update(func(tx *bolt.Tx) error {
		for _, m := range team {
			if err := w.addMember(tx, m, actorTool); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		w.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("creating workspace: %w", err)
	}
	return w, nil
}

// Open opens the workspace in dir.
//
// With create, a missing workspace is created without team recipients: it
// can import and read, but cannot hold notes or tags, and any identity may
// act in it. That exists for older callers; use [Init].
func Open(dir string, create bool) (*Workspace, error) {
	path := filepath.Join(dir, indexFile)
	if _, err := os.Stat(path); err != nil {
		if !create {
			return nil, fmt.Errorf("%w: %s", ErrNoWorkspace, dir)
		}
		return createWorkspace(dir)
	}
	db, err := openDB(path)
	if err != nil {
		return nil, err
	}
	// Opening writes nothing, unless an output was left unfinished:
	// opening one to refuse a bundle must leave every byte as it was.
	err = db.View(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if tx.Bucket(b) == nil {
				return fmt.Errorf("%w: %s is not a workspace index of this version (no %q)", ErrNoWorkspace, path, b)
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	w := &Workspace{dir: dir, db: db, now: time.Now}
	// The one write opening may do: removing what a command killed while
	// writing an output left (see output.go).
	if w.removed, err = w.cleanPending(); err != nil {
		db.Close()
		return nil, err
	}
	return w, nil
}

func createWorkspace(dir string) (*Workspace, error) {
	if err := os.MkdirAll(filepath.Join(dir, objectsDir), 0o700); err != nil {
		return nil, err
	}
	db, err := openDB(filepath.Join(dir, indexFile))
	if err != nil {
		return nil, err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("creating workspace: %w", err)
	}
	return &Workspace{dir: dir, db: db, now: time.Now}, nil
}

func openDB(path string) (*bolt.DB, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, ErrBusy
	}
	if err != nil {
		return nil, fmt.Errorf("opening workspace: %w", err)
	}
	return db, nil
}

// Close closes the workspace.
func (w *Workspace) Close() error { return w.db.Close() }

// Dir returns the workspace's directory.
func (w *Workspace) Dir() string { return w.dir }

func itemKey(it vault.Item) []byte {
	return binary.BigEndian.AppendUint16([]byte(it.ID), it.N)
}

func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

func getHeadAt(tx *bolt.Tx, key []byte) vault.Head {
	v := tx.Bucket(bucketState).Get(key)
	if len(v) != 40 {
		return vault.Head{}
	}
	var h vault.Head
	h.Seq = binary.BigEndian.Uint64(v)
	copy(h.Hash[:], v[8:])
	return h
}

func putHeadAt(tx *bolt.Tx, key []byte, h vault.Head) error {
	v := binary.BigEndian.AppendUint64(nil, h.Seq)
	return tx.Bucket(bucketState).Put(key, append(v, h.Hash[:]...))
}

// getHead returns the head of the server chain the workspace holds.
func getHead(tx *bolt.Tx) vault.Head { return getHeadAt(tx, keyHead) }

func putHead(tx *bolt.Tx, h vault.Head) error { return putHeadAt(tx, keyHead, h) }

// Items returns every item record, sorted by ID then number.
func (w *Workspace) Items() ([]vault.Item, error) {
	var items []vault.Item
	err := w.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketItems).ForEach(func(_, v []byte) error {
			it, err := vault.ParseItem(v)
			if err != nil {
				return err
			}
			items = append(items, it)
			return nil
		})
	})
	return items, err
}

// submission returns the records of one submission, in order.
func (w *Workspace) submission(id vault.ID) ([]vault.Item, error) {
	var items []vault.Item
	err := w.db.View(func(tx *bolt.Tx) error {
		var err error
		items, err = submissionTx(tx, id)
		return err
	})
	return items, err
}

func submissionTx(tx *bolt.Tx, id vault.ID) ([]vault.Item, error) {
	var items []vault.Item
	c := tx.Bucket(bucketItems).Cursor()
	prefix := []byte(id)
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+2; k, v = c.Next() {
		it, err := vault.ParseItem(v)
		if err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("%w: no submission %s in this workspace", vault.ErrNotFound, id)
	}
	return items, nil
}

// copyBuffers are reused by copyPooled: an import, a verify or a reading
// copies once per sealed original, and a fresh 32 KiB buffer each time (io.Copy's) is
// most of what a bundle of 10,000 short accounts allocates.
var copyBuffers = sync.Pool{New: func() any { return new([64 << 10]byte) }}

// copyPooled is io.Copy with a pooled buffer. It hides dst's ReadFrom and
// src's WriteTo, which would make io.CopyBuffer allocate anyway.
func copyPooled(dst io.Writer, src io.Reader) (int64, error) {
	buf := copyBuffers.Get().(*[64 << 10]byte)
	defer copyBuffers.Put(buf)
	return io.CopyBuffer(struct{ io.Writer }{dst}, struct{ io.Reader }{src}, buf[:])
}

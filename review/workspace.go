// Package review is the reviewers' offline side: a workspace that imports
// bundles from the intake server, verifies them, keeps the originals sealed,
// and decrypts them only in memory with identities that never touch the
// server.
//
// # Basics
//
// [Open] opens a workspace directory, creating it if asked. [Workspace.Import]
// verifies a bundle and adds its submissions atomically: either the whole
// bundle is in, or the workspace is as before. [Workspace.List] and
// [Workspace.Show] decrypt for reading.
//
// # Caveats
//
// The workspace stores the ciphertexts exactly as the server sealed them
// (same bytes, same SHA-256) under objects/, and a bbolt index. Nothing in
// it is plaintext. The package never uses the network.
package review

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"testimony/vault"
)

// Workspace is a reviewer's local store of imported submissions.
type Workspace struct {
	dir string
	db  *bolt.DB
}

const (
	indexFile  = "workspace.db"
	objectsDir = "objects"
)

var (
	bucketState   = []byte("state")   // server, head
	bucketItems   = []byte("items")   // id|n → item record
	bucketCustody = []byte("custody") // seq → server custody entry
	bucketBundles = []byte("bundles") // bundle file hash → custody range

	keyServer = []byte("server")
	keyHead   = []byte("head") // seq (8 bytes) | hash (32 bytes)
)

// Errors a caller may want to tell apart.
var (
	ErrNoWorkspace = errors.New("review: no workspace there")
	ErrReplay      = errors.New("review: this bundle was already imported")
	ErrGap         = errors.New("review: this bundle does not follow what the workspace holds")
	ErrWrongServer = errors.New("review: this bundle comes from a different intake server")
	ErrBusy        = errors.New("review: the workspace is in use by another review command")
)

// Open opens the workspace in dir. With create, a missing workspace is
// created (directory mode 0700, files 0600).
func Open(dir string, create bool) (*Workspace, error) {
	path := filepath.Join(dir, indexFile)
	_, err := os.Stat(path)
	fresh := err != nil
	if fresh {
		if !create {
			return nil, fmt.Errorf("%w: %s", ErrNoWorkspace, dir)
		}
		if err := os.MkdirAll(filepath.Join(dir, objectsDir), 0o700); err != nil {
			return nil, err
		}
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2e9})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, ErrBusy
	}
	if err != nil {
		return nil, fmt.Errorf("review: opening workspace: %w", err)
	}
	// Only a new workspace is written to on open: opening one to refuse a
	// bundle must leave every byte as it was.
	if fresh {
		err = db.Update(func(tx *bolt.Tx) error {
			for _, b := range [][]byte{bucketState, bucketItems, bucketCustody, bucketBundles} {
				if _, err := tx.CreateBucket(b); err != nil {
					return err
				}
			}
			return nil
		})
	} else {
		err = db.View(func(tx *bolt.Tx) error {
			if tx.Bucket(bucketState) == nil || tx.Bucket(bucketItems) == nil || tx.Bucket(bucketCustody) == nil || tx.Bucket(bucketBundles) == nil {
				return fmt.Errorf("%w: %s is not a workspace index", ErrNoWorkspace, path)
			}
			return nil
		})
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Workspace{dir: dir, db: db}, nil
}

// Close closes the workspace.
func (w *Workspace) Close() error { return w.db.Close() }

func (w *Workspace) objectPath(h vault.Hash) string {
	return filepath.Join(w.dir, objectsDir, h.String())
}

func itemKey(it vault.Item) []byte {
	return binary.BigEndian.AppendUint16([]byte(it.ID), it.N)
}

func getHead(tx *bolt.Tx) vault.Head {
	v := tx.Bucket(bucketState).Get(keyHead)
	if len(v) != 40 {
		return vault.Head{}
	}
	var h vault.Head
	h.Seq = binary.BigEndian.Uint64(v)
	copy(h.Hash[:], v[8:])
	return h
}

func putHead(tx *bolt.Tx, h vault.Head) error {
	v := binary.BigEndian.AppendUint64(nil, h.Seq)
	return tx.Bucket(bucketState).Put(keyHead, append(v, h.Hash[:]...))
}

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

// item returns the records of one submission.
func (w *Workspace) submission(id vault.ID) ([]vault.Item, error) {
	var items []vault.Item
	err := w.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketItems).Cursor()
		prefix := []byte(id)
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+2; k, v = c.Next() {
			it, err := vault.ParseItem(v)
			if err != nil {
				return err
			}
			items = append(items, it)
		}
		return nil
	})
	if err == nil && len(items) == 0 {
		return nil, fmt.Errorf("%w: no submission %s in this workspace", vault.ErrNotFound, id)
	}
	return items, err
}

// openObject opens a sealed original and checks its hash as it is read.
func (w *Workspace) openObject(p vault.PartInfo) (io.ReadCloser, error) {
	f, err := os.Open(w.objectPath(p.Hash))
	if err != nil {
		return nil, fmt.Errorf("review: sealed original %s is missing: %w", p.Hash, err)
	}
	return f, nil
}

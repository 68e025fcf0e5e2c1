package review

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

	"testimony/internal/safefile"
	"testimony/vault"
)

// ImportResult says what an import added.
type ImportResult struct {
	Items    int        // new items added
	From, To uint64     // custody entries the bundle held
	Bundle   vault.Hash // SHA-256 of the bundle file

	// Overshared counts the new parts encrypted to more keys than the
	// team has. The server chooses whom to encrypt to; a server told (or
	// made) to add a key the team does not know shows here, and nowhere
	// else. Import goes on: the team may simply not have updated itself.
	Overshared int
}

// Progress is told, after each item, how many items and bytes of
// ciphertext have been read so far.
type Progress func(items int, bytes int64)

// Import verifies a bundle and adds what is new in it. The bundle must come
// from the same server as earlier ones and continue the custody chain this
// workspace holds, without a gap; one that adds nothing is refused as a
// replay. Import is atomic: on any error the workspace index is as before,
// and no new file is left in the workspace.
//
// The import is recorded in the workspace's custody log: an entry for each
// new item and one for the bundle, by the reviewer identities unlock as.
func (w *Workspace) Import(src io.Reader, identities []age.Identity, progress Progress) (ImportResult, error) {
	var res ImportResult
	actor, err := w.Unlock(identities)
	if err != nil {
		return res, err
	}
	stage, err := os.MkdirTemp(w.dir, ".import-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(stage)

	var teamSize int
	w.db.View(func(tx *bolt.Tx) error {
		team, err := teamTx(tx)
		teamSize = len(team)
		return err
	})
	var known vault.Head
	var items int
	var read int64
	staged := make(map[vault.Hash]string)
	fileHash := sha256.New()
	br := vault.BundleReader{
		Identities: identities,
		Header: func(b *vault.Bundle) error {
			var err error
			known, err = w.checkContinues(b)
			return err
		},
		Part: func(it vault.Item, i int, ciphertext io.Reader) error {
			p := it.Parts[i]
			read += p.Size
			if i == len(it.Parts)-1 {
				items++
				if progress != nil {
					progress(items, read)
				}
			}
			if _, err := os.Stat(w.objectPath(p.Hash)); err == nil || staged[p.Hash] != "" {
				return nil // already sealed here; the reader still checks the hash
			}
			path := filepath.Join(stage, p.Hash.String())
			staged[p.Hash] = path
			head := &headPeek{}
			if err := writeStaged(path, io.TeeReader(ciphertext, head)); err != nil {
				return err
			}
			if teamSize > 0 && head.stanzas() > teamSize {
				res.Overshared++
			}
			return nil
		},
	}
	b, err := br.Read(io.TeeReader(src, fileHash))
	if err != nil {
		return res, fmt.Errorf("review: bundle refused, workspace unchanged: %w", noMatch(err, "this bundle"))
	}
	copy(res.Bundle[:], fileHash.Sum(nil))
	res.From, res.To = b.Custody[0].Seq, b.Last().Seq

	// Everything is verified. Make the staged originals durable, seal them,
	// then commit the index in one transaction. A crash between the two
	// leaves only sealed ciphertext that no index entry names, and the next
	// import reuses it.
	if err := syncStaged(stage, staged); err != nil {
		return res, err
	}
	for h, path := range staged {
		if err := os.Rename(path, w.objectPath(h)); err != nil {
			return res, err
		}
	}
	if err := safefile.SyncDir(filepath.Join(w.dir, objectsDir)); err != nil {
		return res, err
	}
	err = w.db.Update(func(tx *bolt.Tx) error {
		st, recs, custody := tx.Bucket(bucketState), tx.Bucket(bucketItems), tx.Bucket(bucketCustody)
		if getHead(tx) != known {
			return ErrBusy // another import ran since the check; nothing changes
		}
		if err := st.Put(keyServer, []byte(b.Server)); err != nil {
			return err
		}
		for _, e := range b.Custody {
			if e.Seq <= known.Seq {
				continue
			}
			if err := custody.Put(seqKey(e.Seq), e.Marshal()); err != nil {
				return err
			}
		}
		for _, it := range b.Items {
			k := itemKey(it)
			if recs.Get(k) != nil {
				continue
			}
			if err := recs.Put(k, it.Marshal()); err != nil {
				return err
			}
			if _, err := w.appendLog(tx, actor, ActionImport, it.Hash()); err != nil {
				return err
			}
			res.Items++
		}
		rng := fmt.Appendf(nil, "%d %d", res.From, res.To)
		if err := tx.Bucket(bucketBundles).Put(res.Bundle[:], rng); err != nil {
			return err
		}
		if _, err := w.appendLog(tx, actor, ActionImportBundle, res.Bundle); err != nil {
			return err
		}
		if err := keepReplyAuth(tx, b.ReplyAuth); err != nil {
			return err
		}
		return putHead(tx, b.Last())
	})
	if err != nil {
		return res, fmt.Errorf("review: import not recorded, workspace index unchanged: %w", err)
	}
	return res, nil
}

// checkContinues refuses a bundle from another server, one that leaves a gap
// after what the workspace holds, one whose overlap with it differs, and one
// that adds nothing. It returns the head the workspace is at.
func (w *Workspace) checkContinues(b *vault.Bundle) (vault.Head, error) {
	var head vault.Head
	err := w.db.View(func(tx *bolt.Tx) error {
		if s := tx.Bucket(bucketState).Get(keyServer); s != nil && string(s) != b.Server {
			return ErrWrongServer
		}
		head = getHead(tx)
		first, last := b.First(), b.Last()
		if len(b.Custody) == 0 {
			return fmt.Errorf("%w: it holds no custody entries", ErrReplay)
		}
		if first.Seq > head.Seq {
			return fmt.Errorf("%w: it starts at entry %d, but this workspace ends at entry %d; import the bundles in between first, or export again with -all",
				ErrGap, first.Seq+1, head.Seq)
		}
		custody := tx.Bucket(bucketCustody)
		for _, e := range b.Custody {
			if e.Seq > head.Seq {
				break
			}
			if !bytes.Equal(custody.Get(seqKey(e.Seq)), e.Marshal()) {
				return &vault.ChainError{Seq: e.Seq, Problem: "the bundle's entry differs from the one this workspace imported earlier"}
			}
		}
		if first.Seq == head.Seq && first.Hash != head.Hash {
			return &vault.ChainError{Seq: first.Seq + 1, Problem: "the bundle does not follow this workspace's last entry"}
		}
		if last.Seq <= head.Seq {
			return fmt.Errorf("%w (its entries %d to %d are all here already)", ErrReplay, first.Seq+1, last.Seq)
		}
		return nil
	})
	return head, err
}

// writeStaged writes a verified-to-be ciphertext to the staging
// directory. It is not synced here: syncStaged makes all of them durable at
// once, which for a bundle of 10,000 short accounts is the difference
// between one sync and 10,000.
func writeStaged(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = copyPooled(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// headPeek keeps the start of an age file, where its header is, so import
// can count whom a part is encrypted to.
type headPeek struct{ b []byte }

// maxHeader is more than an age header with a few dozen recipients needs.
const maxHeader = 16 << 10

func (h *headPeek) Write(p []byte) (int, error) {
	if room := maxHeader - len(h.b); room > 0 {
		h.b = append(h.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// stanzas counts the recipient stanzas of the header: one per recipient
// for X25519, post-quantum and plugin keys alike.
func (h *headPeek) stanzas() int {
	hdr, err := age.ExtractHeader(bytes.NewReader(h.b))
	if err != nil {
		return 0
	}
	return bytes.Count(hdr, []byte("\n-> "))
}

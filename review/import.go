package review

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

	"testimony/internal/agekey"
	"testimony/internal/failpoint"
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
// new item and one for the bundle, by rv.
func (rv *Reviewer) Import(src io.Reader, progress Progress) (ImportResult, error) {
	w := rv.w
	var res ImportResult
	w.importing.Lock()
	defer w.importing.Unlock()
	// A staging directory left by an import that was killed holds only
	// ciphertext no record names; this one holds the workspace, so none is
	// in use. Remove them, as verify says is safe.
	if old, _ := filepath.Glob(filepath.Join(w.dir, ".import-*")); len(old) > 0 {
		for _, d := range old {
			os.RemoveAll(d)
		}
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
	var visits []safeCandidate // small additions, to look for safe-receipt visits
	var items int
	var read int64
	pack := newPackWriter(stage)
	defer pack.close()
	br := vault.BundleReader{
		Identities: rv.ids,
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
			if _, ok := pack.added[p.Hash]; !ok && !w.holds(p.Hash) {
				var kept *bytes.Buffer
				if maybeVisit(it) { // opened once the bundle is verified (safe.go)
					kept = new(bytes.Buffer)
					ciphertext = io.TeeReader(ciphertext, kept)
					defer func() { visits = append(visits, safeCandidate{it, kept.Bytes()}) }()
				}
				stanzas, err := pack.add(p.Hash, ciphertext)
				if err != nil {
					return err
				}
				if teamSize > 0 && stanzas > teamSize {
					res.Overshared++
				}
			} // else already sealed here; the reader still checks the hash
			if i == len(it.Parts)-1 {
				failpoint.Inject(failpoint.ReviewImportItem)
			}
			return nil
		},
	}
	in := newHashAhead(src)
	defer in.close()
	b, err := br.Read(in)
	if err != nil {
		return res, fmt.Errorf("bundle refused, workspace unchanged: %w", bundleNoMatch(err, teamSize))
	}
	if res.Bundle, err = in.sum(); err != nil {
		return res, err
	}
	res.From, res.To = b.Custody[0].Seq, b.Last().Seq
	safe := safeUses(visits, rv.ids)

	// Everything is verified. Make the staged pack durable and move it in,
	// then commit the index in one transaction. A crash between the two
	// leaves only a pack that no object record names; importing the same
	// bundle again replaces it.
	moved := pack.f != nil
	if err := pack.finish(w.packPath(res.Bundle)); err != nil {
		return res, err
	}
	failpoint.Inject(failpoint.ReviewImportPackMoved)
	err = w.db.Update(func(tx *bolt.Tx) error {
		st, recs, custody := tx.Bucket(bucketState), tx.Bucket(bucketItems), tx.Bucket(bucketCustody)
		if getHead(tx) != known {
			return ErrBusy // another import ran since the check; nothing changes
		}
		objects := tx.Bucket(bucketObjects)
		for h, o := range pack.added {
			o.Pack = res.Bundle
			if err := objects.Put(h[:], o.marshal()); err != nil {
				return err
			}
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
			if _, err := w.appendLog(tx, rv.actor, ActionImport, it.Hash()); err != nil {
				return err
			}
			res.Items++
		}
		if err := w.recordSafeUses(tx, rv.actor, safe); err != nil {
			return err
		}
		rng := fmt.Appendf(nil, "%d %d", res.From, res.To)
		if err := tx.Bucket(bucketBundles).Put(res.Bundle[:], rng); err != nil {
			return err
		}
		if _, err := w.appendLog(tx, rv.actor, ActionImportBundle, res.Bundle); err != nil {
			return err
		}
		if err := keepReplyAuth(tx, b.ReplyAuth); err != nil {
			return err
		}
		return putHead(tx, b.Last())
	})
	if err != nil {
		if moved {
			// Nothing names it: no import of this bundle committed (it
			// would have been refused as a replay), and imports take turns.
			os.Remove(w.packPath(res.Bundle))
		}
		return res, fmt.Errorf("import not recorded, workspace index unchanged: %w", err)
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

// holds reports whether the workspace already holds the sealed original
// with hash h.
func (w *Workspace) holds(h vault.Hash) bool {
	held := false
	w.db.View(func(tx *bolt.Tx) error {
		held = tx.Bucket(bucketObjects).Get(h[:]) != nil
		return nil
	})
	return held
}

const (
	aheadBlock  = 256 << 10
	aheadBlocks = 4
)

// hashAhead reads a bundle file ahead of its decryption, in a goroutine of
// its own that also hashes it: hashing the file costs about as much as
// decrypting it, and on a machine with more than one core the two
// overlap. It holds at most aheadBlocks+1 blocks.
type hashAhead struct {
	full chan []byte // blocks read and hashed, in order
	free chan []byte
	stop chan struct{}
	cur  []byte // what is left of the block being read
	last []byte // the block being read, to give back
	err  error  // why reading ended; set before full is closed
	h    hash.Hash
}

func newHashAhead(src io.Reader) *hashAhead {
	a := &hashAhead{
		full: make(chan []byte, aheadBlocks),
		free: make(chan []byte, aheadBlocks+1),
		stop: make(chan struct{}),
		h:    sha256.New(),
	}
	for range aheadBlocks + 1 {
		a.free <- make([]byte, aheadBlock)
	}
	go a.run(src)
	return a
}

func (a *hashAhead) run(src io.Reader) {
	defer close(a.full)
	for {
		var buf []byte
		select {
		case buf = <-a.free:
		case <-a.stop:
			return
		}
		// Whatever one read gives goes on at once: a pipe or a terminal
		// gives a little at a time, and decryption must see the start of a
		// bundle to refuse it without waiting for a whole block.
		n, err := src.Read(buf)
		if n > 0 {
			a.h.Write(buf[:n])
			select {
			case a.full <- buf[:n]:
			case <-a.stop:
				return
			}
		} else {
			a.free <- buf
		}
		if err != nil {
			a.err = err
			return
		}
	}
}

func (a *hashAhead) Read(p []byte) (int, error) {
	for len(a.cur) == 0 {
		if a.last != nil {
			a.free <- a.last[:cap(a.last)]
			a.last = nil
		}
		b, ok := <-a.full
		if !ok {
			return 0, a.err
		}
		a.cur, a.last = b, b
	}
	n := copy(p, a.cur)
	a.cur = a.cur[n:]
	return n, nil
}

// sum reads what is left of the file and returns the SHA-256 of all of it.
func (a *hashAhead) sum() (h vault.Hash, err error) {
	if _, err := copyPooled(io.Discard, a); err != nil {
		return h, err
	}
	a.h.Sum(h[:0])
	return h, nil
}

// close stops the reading goroutine. It does not wait for a read in
// progress: a bundle refused early, piped from a terminal or a slow
// device, would keep the refusal waiting for input. The goroutine ends
// when that read returns (closing an *os.File makes a pending read
// return), and touches nothing the caller still uses.
func (a *hashAhead) close() {
	close(a.stop)
}

// bundleNoMatch tells a damaged bundle header from one encrypted to other
// keys. Identities reach here only once they unlocked as a team member.
// Every stanza looks alike to a key it is not for, so a stanza for this
// key that was damaged cannot be told apart by itself; but a bundle whose
// header holds as many stanzas as the team has keys was encrypted to the
// team (the server uses the team's recipients file), and then none opening
// with a team key means damage, not other keys.
func bundleNoMatch(err error, teamSize int) error {
	var nm *age.NoIdentityMatchError
	if agekey.PluginMissing(err) == nil && errors.As(err, &nm) && teamSize > 0 && len(nm.StanzaTypes) == teamSize {
		return fmt.Errorf("%w: the bundle is encrypted to %d key(s), as many as the team has, and your key is one of the team's, yet it opens none of them: its header is damaged (unless the server's recipients file swapped a team key for another)", vault.ErrMalformed, teamSize)
	}
	return noMatch(err, "this bundle")
}

package review

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"

	"testimony/vault"
)

// Report is what [Workspace.Verify] found.
type Report struct {
	// Problems says each thing that is wrong, one a line, naming the
	// submission, entry, bundle or file. Empty means the workspace is whole.
	Problems []string
	// Warnings are things worth knowing that do not make the workspace
	// wrong: sealed objects no record names, leftovers of an interrupted
	// import.
	Warnings []string

	Items   int        // item records checked
	Objects int        // sealed originals checked
	Bundles int        // imported bundles
	Server  vault.Head // head of the server chain held here
	Log     vault.Head // head of the workspace's own chain
}

// OK reports whether Verify found no problem.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

func (r *Report) problem(format string, args ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

// Verify checks the whole workspace without any key: both custody chains
// against the heads the workspace recorded, every item record against its
// custody entries, every sealed original's size and hash against its
// record, every imported bundle against its entries, the team against the
// entries that changed it, and every note and tag against the entry that
// recorded it. It reports sealed objects no record names as warnings. The
// error is for failures to read, not for what it found.
func (w *Workspace) Verify() (*Report, error) {
	r := &Report{}
	named := map[vault.Hash]objectRecord{} // sealed originals the item records name
	var checks []objectCheck
	err := w.db.View(func(tx *bolt.Tx) error {
		objects := tx.Bucket(bucketObjects)
		server := verifyChain(r, tx, bucketCustody, keyHead, "server")
		local := verifyChain(r, tx, bucketLog, keyLogHead, "workspace")
		r.Server, r.Log = getHead(tx), getHeadAt(tx, keyLogHead)

		submitted := map[vault.Hash]bool{}
		for _, e := range server {
			if e.Action == vault.ActionSubmit || e.Action == vault.ActionAdd {
				submitted[e.Item] = true
			}
		}
		byAction := map[string]map[vault.Hash]int{}
		bySeq := map[uint64]vault.Entry{}
		for _, e := range local {
			if byAction[e.Action] == nil {
				byAction[e.Action] = map[vault.Hash]int{}
			}
			byAction[e.Action][e.Item]++
			bySeq[e.Seq] = e
		}

		// Items and their sealed originals.
		items := map[vault.Hash]bool{}
		first := map[vault.ID]vault.Hash{} // each submission's first item
		err := tx.Bucket(bucketItems).ForEach(func(k, v []byte) error {
			r.Items++
			it, err := vault.ParseItem(v)
			if err != nil {
				r.problem("item record %q does not decode: %v", k, err)
				return nil
			}
			name := fmt.Sprintf("submission %s item %d", it.ID, it.N)
			if !bytes.Equal(k, itemKey(it)) {
				r.problem("%s is filed under another key", name)
			}
			h := it.Hash()
			items[h] = true
			if it.N == 0 {
				first[it.ID] = h
			}
			if !submitted[h] {
				r.problem("%s is named by no entry of the server chain", name)
			}
			if byAction[ActionImport][h] == 0 {
				r.problem("%s has no import entry in the workspace chain", name)
			}
			for i, p := range it.Parts {
				r.Objects++
				c := objectCheck{name: fmt.Sprintf("%s part %d", name, i+1), p: p}
				if o, ok := named[p.Hash]; ok {
					c.o, c.held = o, o != objectRecord{} // the same ciphertext in two items
				} else if v := objects.Get(p.Hash[:]); v != nil {
					c.o, c.held = parseObjectRecord(v)
					if !c.held {
						r.problem("%s: the object record of sealed original %s is damaged", c.name, p.Hash)
					}
				}
				named[p.Hash] = c.o
				checks = append(checks, c)
			}
			return nil
		})
		if err != nil {
			return err
		}
		objects.ForEach(func(k, _ []byte) error {
			var h vault.Hash
			copy(h[:], k)
			if _, ok := named[h]; !ok || len(k) != len(h) {
				r.problem("the index has an object record for %x, which no item names", k)
			}
			return nil
		})
		for h := range byAction[ActionImport] {
			if !items[h] {
				r.problem("the workspace chain records the import of item %s, which is not here", h)
			}
		}
		for _, a := range []string{ActionShow, ActionAttachment, ActionNote, ActionTag} {
			for h := range byAction[a] {
				if !items[h] {
					r.problem("the workspace chain records %q of item %s, which is not here", a, h)
				}
			}
		}

		// Bundles.
		bundles := map[vault.Hash]bool{}
		err = tx.Bucket(bucketBundles).ForEach(func(k, v []byte) error {
			r.Bundles++
			var h vault.Hash
			copy(h[:], k)
			bundles[h] = true
			var from, to uint64
			if _, err := fmt.Sscanf(string(v), "%d %d", &from, &to); err != nil || len(k) != len(h) || from == 0 || from > to || to > r.Server.Seq {
				r.problem("the record of bundle %s is damaged", h)
			}
			if byAction[ActionImportBundle][h] == 0 {
				r.problem("bundle %s is recorded as imported, but the workspace chain has no entry for it", h)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for h := range byAction[ActionImportBundle] {
			if !bundles[h] {
				r.problem("the workspace chain records the import of bundle %s, which has no record", h)
			}
		}

		// The team, replayed from the entries that changed it.
		team := map[vault.Hash]bool{}
		for _, e := range local {
			switch e.Action {
			case ActionRecipientAdd:
				team[e.Item] = true
			case ActionRecipientRetire:
				delete(team, e.Item)
			}
		}
		kc := tx.Bucket(bucketKeyCheck)
		err = tx.Bucket(bucketTeam).ForEach(func(k, v []byte) error {
			var h vault.Hash
			copy(h[:], k)
			if sha256.Sum256(v) != h {
				r.problem("team recipient %x is filed under the wrong hash", k)
			}
			if !team[h] {
				r.problem("team recipient %s was added without a workspace chain entry", Fingerprint(string(v)))
			}
			delete(team, h)
			if kc.Get(k) == nil {
				r.problem("team recipient %s has no key check", Fingerprint(string(v)))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for h := range team {
			r.problem("the workspace chain adds team recipient %s…, which is not in the team", h.String()[:16])
		}
		kc.ForEach(func(k, _ []byte) error {
			if tx.Bucket(bucketTeam).Get(k) == nil {
				r.problem("a key check %x… belongs to no team recipient", k[:8])
			}
			return nil
		})

		// Derived records, each bound to the entry that recorded it.
		have := map[uint64]bool{}
		tx.Bucket(bucketDerived).ForEach(func(k, _ []byte) error {
			if len(k) != 16+8 {
				r.problem("a note or tag record is filed under a malformed key")
				return nil
			}
			id, seq := vault.ID(k[:16]), binary.BigEndian.Uint64(k[16:])
			have[seq] = true
			e, ok := bySeq[seq]
			switch {
			case !ok || !isDerivedAction(e.Action):
				r.problem("a note or tag on submission %s names workspace entry %d, which recorded no note or tag", id, seq)
			case first[id] != e.Item && e.Action != ActionApprove: // an approval names the plan's hash
				r.problem("a note or tag on submission %s is filed under the wrong submission (entry %d)", id, seq)
			}
			return nil
		})
		for _, e := range local {
			if isDerivedAction(e.Action) && !have[e.Seq] {
				r.problem("workspace entry %d records a %s, but its record is missing", e.Seq, e.Action)
			}
		}
		return nil
	})
	if err != nil {
		return r, err
	}
	w.checkObjects(r, checks)
	w.findOrphans(r, named)
	slices.Sort(r.Problems)
	return r, nil
}

// verifyChain checks a chain against the head the workspace recorded and
// returns its entries.
func verifyChain(r *Report, tx *bolt.Tx, bucket, headKey []byte, name string) []vault.Entry {
	var list []vault.Entry
	tx.Bucket(bucket).ForEach(func(k, v []byte) error {
		e, err := vault.ParseEntry(v)
		if err != nil {
			r.problem("%s custody entry %d does not decode: %v", name, binary.BigEndian.Uint64(k), errors.Unwrap(err))
			return nil
		}
		if !bytes.Equal(k, seqKey(e.Seq)) {
			r.problem("%s custody entry %d is filed as entry %d", name, e.Seq, binary.BigEndian.Uint64(k))
		}
		list = append(list, e)
		return nil
	})
	head, err := (vault.Head{}).Verify(list)
	var ce *vault.ChainError
	if errors.As(err, &ce) {
		r.problem("%s custody chain is broken at entry %d: %s", name, ce.Seq, ce.Problem)
		return list
	}
	if want := getHeadAt(tx, headKey); head != want {
		r.problem("%s custody chain ends at entry %d, but the workspace recorded its head as entry %d %s…: entries were dropped, or the last one edited",
			name, head.Seq, want.Seq, want.Hash.String()[:16])
	}
	return list
}

// objectCheck is one sealed original for Verify to check.
type objectCheck struct {
	name string // "submission ID item N part M"
	p    vault.PartInfo
	o    objectRecord
	held bool // o was found and decoded
	msg  string
}

// checkObjects checks every sealed original's size, hash and header
// commitment, in the order they are in their packs, with one worker for
// each core: hashing is most of what Verify costs.
func (w *Workspace) checkObjects(r *Report, checks []objectCheck) {
	slices.SortFunc(checks, func(a, b objectCheck) int {
		if c := bytes.Compare(a.o.Pack[:], b.o.Pack[:]); c != 0 {
			return c
		}
		return cmp.Compare(a.o.Offset, b.o.Offset)
	})
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(1, len(checks))) {
		wg.Go(func() {
			packs := packFiles{w: w}
			defer packs.close()
			for i := int(next.Add(1) - 1); i < len(checks); i = int(next.Add(1) - 1) {
				c := &checks[i]
				if !c.held {
					continue
				}
				f, err := packs.open(c.o.Pack)
				switch {
				case errors.Is(err, os.ErrNotExist):
					c.msg = "is missing: its pack objects/" + c.o.Pack.String() + packSuffix + " is gone"
				case err != nil:
					c.msg = "cannot be read: " + err.Error()
				default:
					c.msg = checkSection(f, c.o, c.p)
				}
			}
		})
	}
	wg.Wait()
	for _, c := range checks {
		if !c.held && c.msg == "" {
			c.msg = "is missing: the index has no object record for it"
		}
		if c.msg != "" {
			r.problem("%s: sealed original %s %s", c.name, c.p.Hash, c.msg)
		}
	}
}

// findOrphans warns of files in the workspace that no record names.
func (w *Workspace) findOrphans(r *Report, named map[vault.Hash]objectRecord) {
	packs := map[vault.Hash]bool{}
	for _, o := range named {
		packs[o.Pack] = true
	}
	objs, err := os.ReadDir(filepath.Join(w.dir, objectsDir))
	if err != nil {
		r.problem("the objects directory cannot be read: %v", err)
	}
	for _, o := range objs {
		name, ok := strings.CutSuffix(o.Name(), packSuffix)
		h, err := vault.ParseHash(name)
		if !ok || err != nil || !packs[h] {
			r.Warnings = append(r.Warnings, fmt.Sprintf("objects/%s is named by no object record (an interrupted import leaves such files; they are safe to delete after a backup)", o.Name()))
		}
	}
	top, _ := os.ReadDir(w.dir)
	for _, e := range top {
		if strings.HasPrefix(e.Name(), ".import-") {
			r.Warnings = append(r.Warnings, fmt.Sprintf("%s was left by an interrupted import; it is safe to delete", e.Name()))
		}
	}
}

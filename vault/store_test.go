package vault

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"
)

// openStore is vaulttest.Open for the tests inside the package, which
// cannot import vaulttest (external_test.go says why).
func openStore(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "store.db")
	s, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func putParts(t testing.TB, s *Store, rec age.Recipient, tag []byte, contents ...[]byte) ID {
	t.Helper()
	sub := s.Begin([]age.Recipient{rec})
	for _, c := range contents {
		w, err := sub.CreatePart(PartHeader{Kind: KindText})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(c); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	id, err := sub.Commit(tag)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func countChunks(t testing.TB, s *Store) int {
	t.Helper()
	n := 0
	s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketChunks).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			n++
		}
		return nil
	})
	return n
}

func TestCommitRecordsItemAndCustody(t *testing.T) {
	s, _ := openStore(t)
	id := newIdentity(t)
	dayBefore := Day(time.Now())
	sid := putParts(t, s, id.Recipient(), []byte("tag-one"), []byte("hello"), bytes.Repeat([]byte("x"), 600<<10))
	got, err := s.LookupReceipt([]byte("tag-one"))
	if err != nil || got != sid {
		t.Fatalf("LookupReceipt = %q, %v; want %q", got, err, sid)
	}
	if _, err := s.LookupReceipt([]byte("tag-two")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown tag: %v", err)
	}
	entries, err := s.Custody()
	if err != nil || len(entries) != 1 || entries[0].Action != ActionSubmit || entries[0].Actor != "intake" {
		t.Fatalf("custody = %+v, %v", entries, err)
	}
	// The day it was committed, or the next if midnight passed meanwhile.
	if d := entries[0].Day; d != dayBefore && d != Day(time.Now()) {
		t.Errorf("custody day %q", d)
	}
	// The 600 KiB part pads to 1 MiB, a little more as ciphertext: one
	// chunk of 1 MiB staged as it filled, and a tail written at commit.
	if n := countChunks(t, s); n != 3 {
		t.Errorf("%d chunks stored, want 3 (1 for the short part, 2 for the long)", n)
	}
}

func TestAbortRemovesStagedChunks(t *testing.T) {
	s, _ := openStore(t)
	sub := s.Begin([]age.Recipient{newIdentity(t).Recipient()})
	w, _ := sub.CreatePart(PartHeader{Kind: KindAttachment})
	io.CopyN(w, rand.Reader, 3<<20)
	w.Close()
	if countChunks(t, s) == 0 {
		t.Fatal("nothing was staged")
	}
	if err := sub.Abort(); err != nil {
		t.Fatal(err)
	}
	if n := countChunks(t, s); n != 0 {
		t.Fatalf("%d chunks left after Abort", n)
	}
}

func TestOpenRemovesOrphansOfACrash(t *testing.T) {
	s, path := openStore(t)
	rec := newIdentity(t).Recipient()
	putParts(t, s, rec, nil, []byte("kept"))
	sub := s.Begin([]age.Recipient{rec})
	w, _ := sub.CreatePart(PartHeader{Kind: KindAttachment})
	io.CopyN(w, rand.Reader, 3<<20)
	// No Commit, no Abort: as if the process died here.
	s.Close()
	s, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := countChunks(t, s); n != 1 {
		t.Fatalf("%d chunks after reopening, want only the committed one", n)
	}
}

// TestChunksOfAnOlderStore reads and removes chunks stored as plain values
// of the chunks bucket, as stores written before chunks had buckets of
// their own hold them.
func TestChunksOfAnOlderStore(t *testing.T) {
	s, path := openStore(t)
	id := newIdentity(t)
	a := putParts(t, s, id.Recipient(), nil, []byte("older"))
	// Rewrite the committed chunk as an older store held it, and add an
	// orphan of the old kind.
	err := s.db.Update(func(tx *bolt.Tx) error {
		chunks := tx.Bucket(bucketChunks)
		k := chunkKey(itemKey(a, 0), 0, 0)
		data := bytes.Clone(chunkData(chunks, k, nil))
		if err := chunks.DeleteBucket(k); err != nil {
			return err
		}
		if err := chunks.Put(k, data); err != nil {
			return err
		}
		return chunks.Put(chunkKey(itemKey(NewID(), 0), 0, 0), []byte("orphan"))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := countChunks(t, s); n != 1 {
		t.Fatalf("%d chunks after reopening, want the committed one", n)
	}
	var buf bytes.Buffer
	if _, err := s.WriteBundle(&buf, []age.Recipient{id.Recipient()}, true); err != nil {
		t.Fatal(err)
	}
	_, parts, err := readAll(t, buf.Bytes(), id)
	if err != nil || len(parts) != 1 {
		t.Fatalf("bundle of the older store: %d parts, %v", len(parts), err)
	}
}

// TestPendingHoldsOnlyItsBytes: files that wait for Commit hold their own
// ciphertext, not a pooled MiB each (a client sending many small files and
// then stalling must not pin memory out of proportion).
func TestPendingHoldsOnlyItsBytes(t *testing.T) {
	s, _ := openStore(t)
	sub := s.Begin([]age.Recipient{newIdentity(t).Recipient()})
	defer sub.Abort()
	for range 20 {
		w, err := sub.CreatePart(PartHeader{Kind: KindAttachment})
		if err != nil {
			t.Fatal(err)
		}
		io.CopyN(w, rand.Reader, 40<<10) // pads to 64 KiB, just over smallChunk
		w.Close()
	}
	var held, used int
	for _, c := range sub.pending {
		held += cap(c.data)
		used += len(c.data)
	}
	if held > 2*used {
		t.Fatalf("%d KiB held for %d KiB of ciphertext", held>>10, used>>10)
	}
}

// TestBufferedCiphertextIsBounded opens many uploads that each send more
// than a small chunk and stall, as a flood of stalled clients would: what
// they hold in memory stays within the budget plus a small chunk each, a
// new submission still commits whole, and when they end the budget is
// whole again.
func TestBufferedCiphertextIsBounded(t *testing.T) {
	s, _ := openStore(t)
	id := newIdentity(t)
	const stalled = maxBuffered/chunkSize + 16
	var subs []*Submission
	for range stalled {
		sub := s.Begin([]age.Recipient{id.Recipient()})
		w, err := sub.CreatePart(PartHeader{Kind: KindAttachment})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.CopyN(w, rand.Reader, 300<<10); err != nil {
			t.Fatal(err)
		}
		subs = append(subs, sub) // the part is never closed: the client stalled
	}
	held := 0
	for _, sub := range subs {
		for _, c := range sub.sinks {
			held += cap(c.buf)
		}
	}
	if s.buffered.used > maxBuffered || held > maxBuffered+stalled*smallChunk {
		t.Fatalf("%d stalled uploads hold %d KiB (%d KiB counted), over the budget of %d KiB and a small chunk each", stalled, held>>10, s.buffered.used>>10, maxBuffered>>10)
	}
	sub := s.Begin([]age.Recipient{id.Recipient()})
	w, _ := sub.CreatePart(PartHeader{Kind: KindAttachment})
	want := make([]byte, 3<<20)
	rand.Read(want)
	w.Write(want)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := sub.Commit(nil); err != nil {
		t.Fatal(err)
	}
	for _, sub := range subs {
		if err := sub.Abort(); err != nil {
			t.Fatal(err)
		}
	}
	if s.buffered.used != 0 {
		t.Fatalf("%d bytes still counted after every upload ended", s.buffered.used)
	}
	var buf bytes.Buffer
	if _, err := s.WriteBundle(&buf, []age.Recipient{id.Recipient()}, true); err != nil {
		t.Fatal(err)
	}
	b, parts, err := readAll(t, buf.Bytes(), id)
	if err != nil || len(b.Items) != 1 || len(parts) != 1 {
		t.Fatalf("bundle: %v", err)
	}
	for _, ct := range parts {
		_, r, err := OpenPart(bytes.NewReader(ct), id)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(r)
		if !bytes.Equal(got, want) {
			t.Fatal("the file staged in small chunks did not read back whole")
		}
	}
	if countChunks(t, s) < 3 {
		t.Fatal("a 3 MiB file with the budget spent was not staged")
	}
}

// txChecker is the writer of a reader who reads slowly: at each write it
// checks that the store holds no read transaction open for the writer,
// and on the first, commits a submission of several MiB, as one may
// arrive while an export stalls.
type txChecker struct {
	t         *testing.T
	s         *Store
	id        *age.X25519Identity
	buf       bytes.Buffer
	writes    int
	committed bool
}

func (c *txChecker) Write(p []byte) (int, error) {
	c.writes++
	if n := c.s.db.Stats().OpenTxN; n != 0 {
		c.t.Errorf("write %d: %d read transactions open while the reader is written to", c.writes, n)
	}
	if !c.committed {
		c.committed = true
		sub := c.s.Begin([]age.Recipient{c.id.Recipient()})
		w, _ := sub.CreatePart(PartHeader{Kind: KindAttachment})
		io.CopyN(w, rand.Reader, 5<<20)
		w.Close()
		if _, err := sub.Commit(nil); err != nil {
			c.t.Errorf("a commit while the reader stalls: %v", err)
		}
	}
	return c.buf.Write(p)
}

// TestSlowReadersHoldNoTransaction writes a bundle and a backup to readers
// that take their time: no read transaction is open while they are
// written to, and a submission committed meanwhile is not in the bundle
// (it was fixed by the first transaction) but is in the next.
func TestSlowReadersHoldNoTransaction(t *testing.T) {
	s, _ := openStore(t)
	id := newIdentity(t)
	for range 3 {
		sub := s.Begin([]age.Recipient{id.Recipient()})
		w, _ := sub.CreatePart(PartHeader{Kind: KindAttachment})
		io.CopyN(w, rand.Reader, 3<<20)
		w.Close()
		if _, err := sub.Commit(nil); err != nil {
			t.Fatal(err)
		}
	}
	c := &txChecker{t: t, s: s, id: id}
	info, err := s.WriteBundle(c, []age.Recipient{id.Recipient()}, false)
	if err != nil || info.Items != 3 || c.writes < 2 {
		t.Fatalf("bundle: %d items in %d writes, %v", info.Items, c.writes, err)
	}
	b, parts, err := readAll(t, c.buf.Bytes(), id)
	if err != nil || len(b.Items) != 3 || len(parts) != 3 {
		t.Fatalf("the bundle written slowly does not read back: %v", err)
	}
	if err := s.RecordExport(info, Hash{}); err != nil {
		t.Fatal(err)
	}
	var next bytes.Buffer
	if info, err := s.WriteBundle(&next, []age.Recipient{id.Recipient()}, false); err != nil || info.Items != 1 {
		t.Fatalf("the submission committed during the export: %d items in the next bundle, %v", info.Items, err)
	}

	c = &txChecker{t: t, s: s, id: id}
	if err := s.Backup(c); err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	os.WriteFile(copyPath, c.buf.Bytes(), 0o600)
	copied, err := Open(copyPath, nil)
	if err != nil {
		t.Fatalf("the backup written slowly does not open: %v", err)
	}
	defer copied.Close()
	if es, err := copied.Custody(); err != nil || len(es) != 5 {
		t.Fatalf("the backup holds %d custody entries, want the 5 before it began (%v)", len(es), err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(s.db.Path()), "*"+backupSuffix+"*")); len(left) != 0 {
		t.Fatalf("the backup's copy was left beside the store: %v", left)
	}
}

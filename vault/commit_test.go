package vault

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"
)

// TestConcurrentCommitsAreEachDurable commits from many goroutines at once,
// some with attachments large enough to stage chunks, so that commits are
// grouped; then reopens the store from its file and checks every
// submission, its receipt tag and the custody chain.
func TestConcurrentCommitsAreEachDurable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.db")
	s, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := age.GenerateX25519Identity()
	const n = 48
	ids := make([]ID, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			content := bytes.Repeat([]byte{byte(i)}, 100+i*(chunkSize/8))
			sub := s.Begin([]age.Recipient{id.Recipient()})
			w, err := sub.CreatePart(PartHeader{Kind: KindText})
			if err != nil {
				t.Error(err)
				return
			}
			w.Write(content)
			w.Close()
			ids[i], err = sub.Commit(fmt.Appendf(nil, "tag-%d", i))
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	s.Close()

	s, err = Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	entries, err := s.Custody()
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != n {
		t.Fatalf("%d custody entries, want %d", len(entries), n)
	}
	var bundle bytes.Buffer
	if _, err := s.WriteBundle(&bundle, []age.Recipient{id.Recipient()}, true); err != nil {
		t.Fatal(err)
	}
	b, parts, err := readAll(t, bundle.Bytes(), id)
	if err != nil {
		t.Fatal(err)
	}
	items := map[ID]Item{}
	for _, it := range b.Items {
		items[it.ID] = it
	}
	for i, want := range ids {
		got, err := s.LookupReceipt(fmt.Appendf(nil, "tag-%d", i))
		if err != nil || got != want {
			t.Fatalf("receipt %d finds %q, %v; want %q", i, got, err, want)
		}
		_, r, err := OpenPart(bytes.NewReader(parts[items[want].Parts[0].Hash]), id)
		if err != nil {
			t.Fatalf("submission %d: %v", i, err)
		}
		var plain bytes.Buffer
		if _, err := plain.ReadFrom(r); err != nil {
			t.Fatalf("submission %d: %v", i, err)
		}
		if plain.Len() != 100+i*(chunkSize/8) || plain.Bytes()[0] != byte(i) {
			t.Fatalf("submission %d came back as %d bytes", i, plain.Len())
		}
	}
}

// TestOneFailingCommitLeavesTheOthers makes one commit in a group fail (its
// receipt tag is taken) while others commit with it: they all land, and
// the failing one gets its own error and stores nothing.
func TestOneFailingCommitLeavesTheOthers(t *testing.T) {
	s, _ := openStore(t)
	g := s.commits
	var wg sync.WaitGroup
	errs := make([]error, 8)
	start := make(chan struct{})
	for i := range errs {
		wg.Go(func() {
			<-start
			errs[i] = g.update(1, func(tx *bolt.Tx) error {
				if i == 3 {
					return errors.New("refused")
				}
				return tx.Bucket(bucketMeta).Put(fmt.Appendf(nil, "k%d", i), []byte("v"))
			})
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if (i == 3) != (err != nil) {
			t.Errorf("caller %d: %v", i, err)
		}
	}
	s.db.View(func(tx *bolt.Tx) error {
		for i := range errs {
			if got := tx.Bucket(bucketMeta).Get(fmt.Appendf(nil, "k%d", i)); (got != nil) == (i == 3) {
				t.Errorf("key %d stored: %v", i, got != nil)
			}
		}
		return nil
	})
}

func TestPanicInACommitReachesItsCaller(t *testing.T) {
	s, _ := openStore(t)
	defer func() {
		if recover() == nil {
			t.Fatal("the panic was lost")
		}
		// The committer survives it.
		if err := s.commits.update(0, func(*bolt.Tx) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}()
	s.commits.update(0, func(*bolt.Tx) error { panic("bug") })
}

func TestCommitAfterCloseFails(t *testing.T) {
	s, _ := openStore(t)
	s.Close()
	if err := s.commits.update(0, func(*bolt.Tx) error { return nil }); err == nil {
		t.Fatal("a commit after Close succeeded")
	}
}

package vault_test

// The tests here need only vault's exported API, so they live outside the
// package and use the helpers every other package's tests use
// (tests/vaulttest). The tests inside package vault cannot: vaulttest
// imports vault, and a package's own tests importing it would be an import
// cycle. So store_test.go and envelope_test.go keep small copies of
// vaulttest.Open and vaulttest.Identity (openStore, newIdentity) for the
// tests that look at the store's buckets, unexported decoders or commit
// queue; and putParts and readAll, which build several separate text
// parts with a receipt tag and collect a bundle's parts by hash, stay there
// because only those internal tests and the frozen vectors use them.

import (
	"bytes"
	"errors"
	"sync"
	"testing"
	"time"

	"filippo.io/age"

	"testimony/tests/vaulttest"
	"testimony/vault"
)

func TestSecondOpenIsLocked(t *testing.T) {
	_, path := vaulttest.Open(t)
	_, err := vault.Open(path, &vault.Options{LockTimeout: 50 * time.Millisecond})
	if !errors.Is(err, vault.ErrLocked) {
		t.Fatalf("got %v, want vault.ErrLocked", err)
	}
}

func TestCommitFailsOnClosedStore(t *testing.T) {
	s, _ := vaulttest.Open(t)
	sub := s.Begin([]age.Recipient{vaulttest.Identity(t).Recipient()})
	w, _ := sub.CreatePart(vault.PartHeader{Kind: vault.KindText})
	w.Write([]byte("x"))
	w.Close()
	s.Close()
	if _, err := sub.Commit(nil); err == nil {
		t.Fatal("commit on a closed store succeeded")
	}
}

func TestAdditionsGetTheirOwnNumbers(t *testing.T) {
	s, _ := vaulttest.Open(t)
	rec := vaulttest.Identity(t).Recipient()
	id := vaulttest.Put(t, s, "account", rec)
	if _, err := s.BeginAddition(vault.NewID(), []age.Recipient{rec}); !errors.Is(err, vault.ErrNotFound) {
		t.Fatalf("addition to nothing: %v", err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			sub, err := s.BeginAddition(id, []age.Recipient{rec})
			if err != nil {
				t.Error(err)
				return
			}
			w, _ := sub.CreatePart(vault.PartHeader{Kind: vault.KindAttachment})
			w.Write(bytes.Repeat([]byte("x"), 3<<20)) // staged: keys must not collide
			w.Close()
			if _, err := sub.Commit(nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	st, err := s.Status(id)
	if err != nil || st.Additions != 8 {
		t.Fatalf("status %+v, %v", st, err)
	}
	var buf bytes.Buffer
	if _, err := s.WriteBundle(&buf, []age.Recipient{rec}, true); err != nil {
		t.Fatal(err)
	}
}

func FuzzReadReplies(f *testing.F) {
	auth := vault.ReplyAuth{7}
	var b bytes.Buffer
	vault.WriteReplies(&b, "00000000000000000000000000000000", auth, "2026-11-23", []vault.Reply{{vault.NewID(), []byte("ciphertext")}})
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		rb, err := vault.ReadReplies(bytes.NewReader(data), auth)
		if err != nil {
			return
		}
		for _, r := range rb.Replies {
			if len(r.Ciphertext) == 0 || len(r.Ciphertext) > vault.MaxReply {
				t.Fatal("accepted a reply of a bad size")
			}
		}
	})
}

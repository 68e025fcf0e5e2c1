package vault

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"
)

func replyAuth(t testing.TB, s *Store) ReplyAuth {
	t.Helper()
	var a ReplyAuth
	s.db.View(func(tx *bolt.Tx) error {
		copy(a[:], tx.Bucket(bucketMeta).Get(keyReplyAuth))
		return nil
	})
	return a
}

func TestRepliesRoundTrip(t *testing.T) {
	s, _ := openStore(t)
	reviewer := newIdentity(t)
	her := newIdentity(t)
	id := putParts(t, s, reviewer.Recipient(), nil, []byte("account"))

	// The key travels to the reviewers inside the bundle.
	var bun bytes.Buffer
	if _, err := s.WriteBundle(&bun, []age.Recipient{reviewer.Recipient()}, false); err != nil {
		t.Fatal(err)
	}
	b, _, err := readAll(t, bun.Bytes(), reviewer)
	if err != nil {
		t.Fatal(err)
	}
	if b.ReplyAuth != replyAuth(t, s) || b.ReplyAuth == (ReplyAuth{}) {
		t.Fatal("the bundle does not carry the store's reply key")
	}

	ct, err := SealReply([]byte("우리는 당신의 이야기를 받았습니다."), her.Recipient().String())
	if err != nil {
		t.Fatal(err)
	}
	var rb bytes.Buffer
	if err := WriteReplies(&rb, s.ServerID(), b.ReplyAuth, "2026-11-23", []Reply{{id, ct}}); err != nil {
		t.Fatal(err)
	}
	data := rb.Bytes()

	for name, bad := range map[string][]byte{
		"flipped":   func() []byte { x := bytes.Clone(data); x[len(x)/2] ^= 1; return x }(),
		"truncated": data[:len(data)-5],
		"empty":     nil,
	} {
		if _, err := s.ImportReplies(bytes.NewReader(bad)); err == nil {
			t.Errorf("%s reply bundle accepted", name)
		}
	}
	var forged bytes.Buffer
	WriteReplies(&forged, s.ServerID(), ReplyAuth{1}, "2026-11-23", []Reply{{id, ct}})
	if _, err := s.ImportReplies(&forged); !errors.Is(err, ErrForged) {
		t.Fatalf("forged: got %v, want ErrForged", err)
	}
	var unknown bytes.Buffer
	WriteReplies(&unknown, s.ServerID(), b.ReplyAuth, "2026-11-23", []Reply{{NewID(), ct}})
	if _, err := s.ImportReplies(&unknown); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown submission: got %v", err)
	}
	if st, _ := s.Status(id); st.Replies != 0 {
		t.Fatal("a refused bundle stored a reply")
	}

	n, err := s.ImportReplies(bytes.NewReader(data))
	if err != nil || n != 1 {
		t.Fatalf("import: %d, %v", n, err)
	}
	if _, err := s.ImportReplies(bytes.NewReader(data)); !errors.Is(err, ErrReplayedReplies) {
		t.Fatalf("replay: got %v", err)
	}
	got, err := s.Replies(id)
	if err != nil || len(got) != 1 {
		t.Fatalf("replies: %d, %v", len(got), err)
	}
	h, r, err := OpenPart(bytes.NewReader(got[0]), her)
	if err != nil || h.Kind != KindReply {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(r)
	if string(text) != "우리는 당신의 이야기를 받았습니다." {
		t.Fatalf("reply reads %q", text)
	}
	es, _ := s.Custody()
	if es[len(es)-1].Action != ActionReply {
		t.Fatal("no custody entry for the reply")
	}
	// The reply's entry names no item, and the next bundle still reads.
	bun.Reset()
	if _, err := s.WriteBundle(&bun, []age.Recipient{reviewer.Recipient()}, true); err != nil {
		t.Fatal(err)
	}
	if _, _, err := readAll(t, bun.Bytes(), reviewer); err != nil {
		t.Fatalf("a bundle after a reply: %v", err)
	}
}

// FuzzParseReplies fuzzes the parser behind the MAC, which a fuzzer could
// otherwise never reach.
func FuzzParseReplies(f *testing.F) {
	var b bytes.Buffer
	WriteReplies(&b, "00000000000000000000000000000000", ReplyAuth{}, "2026-11-23", []Reply{{NewID(), []byte("ciphertext")}})
	body := b.Bytes()[:bytes.LastIndex(b.Bytes(), []byte("mac "))]
	f.Add(body[:len(body)-4])
	f.Add(body)
	f.Fuzz(func(t *testing.T, data []byte) {
		parseReplies(data)
	})
}

package vault

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"
)

// A reply travels from a reviewer's offline workspace to the server in a
// reply bundle, and from the server to her browser while she is there with
// her receipt. It is encrypted to her reply key, which only her receipt
// derives: the server can read a reply only during her visit.

const (
	repliesMagic = "testimony-replies/v1"
	// MaxReply bounds one reply's ciphertext: replies are short letters.
	MaxReply = 1 << 20
	// MaxReplyBundle bounds a reply bundle, which the server reads whole
	// to check its authentication before it stores anything.
	MaxReplyBundle = 64 << 20
	// maxRepliesPerBundle bounds the count line.
	maxRepliesPerBundle = 100000
)

// SealReply encrypts a reply's text to her reply key (an age recipient
// string from her submission's reply-key part).
func SealReply(text []byte, replyKey string) ([]byte, error) {
	r, err := age.ParseX25519Recipient(replyKey)
	if err != nil {
		return nil, fmt.Errorf("her reply key: %w", err)
	}
	var buf bytes.Buffer
	w, err := NewPartWriter(&buf, PartHeader{Kind: KindReply}, r)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(text); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	if buf.Len() > MaxReply {
		return nil, fmt.Errorf("a reply is at most %d bytes once encrypted", MaxReply)
	}
	return buf.Bytes(), nil
}

// Reply is one reply in a reply bundle.
type Reply struct {
	To         ID     // the submission
	Ciphertext []byte // from SealReply
}

// ReplyAuth is the key reply bundles are authenticated with. The intake
// store makes it once; bundles carry it (encrypted) to the reviewers.
type ReplyAuth [32]byte

// WriteReplies writes a reply bundle for server, authenticated with auth.
// Each bundle has a random ID, so the server refuses it a second time.
func WriteReplies(w io.Writer, server string, auth ReplyAuth, day string, replies []Reply) error {
	id := make([]byte, 16)
	rand.Read(id)
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\nserver %s\nbundle %x\ncreated %s\nreplies %d\n", repliesMagic, server, id, day, len(replies))
	for _, r := range replies {
		if len(r.Ciphertext) == 0 || len(r.Ciphertext) > MaxReply {
			return fmt.Errorf("reply to %s has a bad size", r.To)
		}
		fmt.Fprintf(&b, "reply %s %d\n", r.To, len(r.Ciphertext))
		b.Write(r.Ciphertext)
	}
	b.WriteString("end\n")
	if b.Len() > MaxReplyBundle-100 {
		return errors.New("too many replies for one bundle; send them in several")
	}
	mac := hmac.New(sha256.New, auth[:])
	mac.Write(b.Bytes())
	fmt.Fprintf(&b, "mac %x\n", mac.Sum(nil))
	_, err := w.Write(b.Bytes())
	return err
}

// ReplyBundle is a verified reply bundle.
type ReplyBundle struct {
	Server  string
	ID      string // random, hex
	Created string
	Replies []Reply
}

// ErrForged means a reply bundle's authentication does not verify: it was
// altered, or made without the key this server gave its reviewers.
var ErrForged = errors.New("reply bundle does not verify")

// ReadReplies reads and authenticates a reply bundle.
func ReadReplies(r io.Reader, auth ReplyAuth) (*ReplyBundle, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxReplyBundle+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxReplyBundle {
		return nil, malformed("reply bundle is over %d bytes", MaxReplyBundle)
	}
	// The body ends with an "end" line and the mac line follows; nothing
	// after the real mac line can contain "end\nmac ", so the last one is it.
	i := bytes.LastIndex(data, []byte("end\nmac "))
	if i < 0 || !bytes.HasSuffix(data, []byte("\n")) {
		return nil, malformed("not a %s file, or cut short", repliesMagic)
	}
	body, macLine := data[:i+4], strings.TrimSuffix(string(data[i+4:]), "\n")
	got, err := hex.DecodeString(strings.TrimPrefix(macLine, "mac "))
	if err != nil || len(got) != sha256.Size {
		return nil, malformed("reply bundle has a bad mac line")
	}
	mac := hmac.New(sha256.New, auth[:])
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return nil, ErrForged
	}
	return parseReplies(body)
}

func parseReplies(body []byte) (*ReplyBundle, error) {
	br := bufio.NewReader(bytes.NewReader(body))
	line := func(name string) (string, error) {
		l, err := readLine(br, 80)
		if err != nil {
			return "", malformed("reply bundle ends before its %s line", name)
		}
		v, ok := strings.CutPrefix(l, name+" ")
		if !ok {
			return "", malformed("reply bundle has no %s line", name)
		}
		return v, nil
	}
	if l, _ := readLine(br, 64); l != repliesMagic {
		if strings.HasPrefix(l, "testimony-replies/") {
			return nil, malformed("reply bundle version %q is not supported", truncate(l))
		}
		return nil, malformed("not a %s file", repliesMagic)
	}
	var rb ReplyBundle
	var err error
	if rb.Server, err = line("server"); err != nil {
		return nil, err
	}
	if rb.ID, err = line("bundle"); err != nil {
		return nil, err
	}
	if id, err := hex.DecodeString(rb.ID); err != nil || len(id) != 16 {
		return nil, malformed("reply bundle has a bad ID")
	}
	if rb.Created, err = line("created"); err != nil {
		return nil, err
	}
	if !validDay(rb.Created) {
		return nil, malformed("reply bundle has a bad day")
	}
	v, err := line("replies")
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > maxRepliesPerBundle {
		return nil, malformed("reply bundle has a bad count")
	}
	for range n {
		v, err := line("reply")
		if err != nil {
			return nil, err
		}
		f := strings.Split(v, " ")
		if len(f) != 2 {
			return nil, malformed("reply bundle has a bad reply line")
		}
		to, err := ParseID(f[0])
		if err != nil {
			return nil, err
		}
		size, err := strconv.Atoi(f[1])
		if err != nil || size <= 0 || size > MaxReply {
			return nil, malformed("reply bundle has a bad reply size")
		}
		ct := make([]byte, size)
		if _, err := io.ReadFull(br, ct); err != nil {
			return nil, malformed("reply bundle ends inside a reply")
		}
		rb.Replies = append(rb.Replies, Reply{To: to, Ciphertext: ct})
	}
	if l, err := readLine(br, 8); err != nil || l != "end" {
		return nil, malformed("reply bundle has no end line")
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return nil, malformed("reply bundle has data after its end line")
	}
	return &rb, nil
}

// ErrReplayedReplies means this reply bundle was imported before.
var ErrReplayedReplies = errors.New("this reply bundle was already imported")

// ImportReplies authenticates a reply bundle and stores its replies, with a
// custody entry each, in one transaction. It refuses a bundle for another
// server, one imported before, and one naming a submission this store does
// not hold, and then stores nothing.
func (s *Store) ImportReplies(r io.Reader) (int, error) {
	var auth ReplyAuth
	err := s.view(func(tx *bolt.Tx) error {
		copy(auth[:], tx.Bucket(bucketMeta).Get(keyReplyAuth))
		return nil
	})
	if err != nil {
		return 0, err
	}
	rb, err := ReadReplies(r, auth)
	if err != nil {
		return 0, err
	}
	if rb.Server != s.server {
		return 0, errors.New("this reply bundle is for a different intake server")
	}
	err = s.update(func(tx *bolt.Tx) error {
		seen := tx.Bucket(bucketReplyIDs)
		if seen.Get([]byte(rb.ID)) != nil {
			return ErrReplayedReplies
		}
		items, replies := tx.Bucket(bucketItems), tx.Bucket(bucketReplies)
		for _, rep := range rb.Replies {
			if items.Get(itemKey(rep.To, 0)) == nil {
				return fmt.Errorf("%w: no submission %s here", ErrNotFound, rep.To)
			}
			prefix := rep.To.key()
			seq := uint32(0)
			c := replies.Cursor()
			for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				seq = binary.BigEndian.Uint32(k[idBytes:]) + 1
			}
			if err := replies.Put(binary.BigEndian.AppendUint32(bytes.Clone(prefix), seq), rep.Ciphertext); err != nil {
				return err
			}
			if _, err := s.appendEntry(tx, ActionReply, sha256.Sum256(rep.Ciphertext), nil); err != nil {
				return err
			}
		}
		return seen.Put([]byte(rb.ID), []byte(Day(s.now())))
	})
	if err != nil {
		return 0, fmt.Errorf("importing replies: %w", err)
	}
	return len(rb.Replies), nil
}

// Replies returns the reply ciphertexts for submission id, oldest first.
func (s *Store) Replies(id ID) ([][]byte, error) {
	var out [][]byte
	err := s.view(func(tx *bolt.Tx) error {
		prefix := id.key()
		c := tx.Bucket(bucketReplies).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			out = append(out, bytes.Clone(v))
		}
		return nil
	})
	return out, err
}

// Status is what her return visit may show of her submission.
type Status struct {
	Day       string // the day it arrived
	Additions int    // times she added something
	Replies   int
}

// Status returns what the store knows of submission id.
func (s *Store) Status(id ID) (Status, error) {
	var st Status
	err := s.view(func(tx *bolt.Tx) error {
		prefix := id.key()
		c := tx.Bucket(bucketItems).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if st.Day == "" {
				it, err := ParseItem(v)
				if err != nil {
					return err
				}
				st.Day = it.Day
			} else {
				st.Additions++
			}
		}
		if st.Day == "" {
			return ErrNotFound
		}
		c = tx.Bucket(bucketReplies).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			st.Replies++
		}
		return nil
	})
	return st, err
}

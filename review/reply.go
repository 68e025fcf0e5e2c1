package review

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

	"testimony/vault"
)

// Replies go back to the survivor the way submissions came, reversed: a
// reviewer writes one (Reply), it is sealed at once to her reply key (the
// age recipient in her submission's reply-key part, which only her receipt
// derives) and kept in the workspace's outbox, with a copy for the team as
// a derived record; SendReplies writes every unsent reply into a reply
// bundle, authenticated with the key the intake server sent in its
// bundles, for "intake import-replies".

// MaxReply bounds a reply's text: it is a letter, not a document.
const MaxReply = 64 << 10

// keepReplyAuth stores the server's reply authentication key from a bundle,
// encrypted to the team, in the import's transaction. A workspace without
// a team cannot reply and keeps nothing.
func keepReplyAuth(tx *bolt.Tx, auth vault.ReplyAuth) error {
	team, err := teamTx(tx)
	if err != nil || len(team) == 0 || auth == (vault.ReplyAuth{}) {
		return err
	}
	ct, err := sealBytes(auth[:], recipientsOf(team))
	if err != nil {
		return err
	}
	return tx.Bucket(bucketSecrets).Put(keyReplyAuth, ct)
}

func sealBytes(plain []byte, recipients []age.Recipient) ([]byte, error) {
	var buf bytes.Buffer
	a, err := age.Encrypt(&buf, recipients...)
	if err != nil {
		return nil, err
	}
	if _, err := a.Write(plain); err != nil {
		return nil, err
	}
	if err := a.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func openBytes(ct []byte, identities []age.Identity, max int64) ([]byte, error) {
	r, err := age.Decrypt(bytes.NewReader(ct), identities...)
	if err != nil {
		return nil, noMatch(err, "a kept secret")
	}
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil || int64(len(b)) > max {
		return nil, fmt.Errorf("%w: a kept secret is damaged", vault.ErrMalformed)
	}
	return b, nil
}

// replyKey finds her reply key and whether she allowed a reply, from the
// submission's parts.
func (w *Workspace) replyKey(id vault.ID, identities []age.Identity) (string, error) {
	items, err := w.submission(id)
	if err != nil {
		return "", err
	}
	var key string
	var answers vault.Answers
	err = w.eachPart(items[:1], identities, func(_ vault.Item, _ int, h vault.PartHeader, content io.Reader) error {
		switch h.Kind {
		case vault.KindReplyKey:
			b, err := io.ReadAll(io.LimitReader(content, 256))
			key = strings.TrimSpace(string(b))
			return err
		case vault.KindAnswers:
			b, err := io.ReadAll(io.LimitReader(content, 64<<10))
			if err != nil {
				return err
			}
			return vault.UnmarshalForm(b, &answers)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if answers.Contact == "none" {
		return "", ErrNoContact
	}
	if key == "" {
		return "", ErrNoReplyKey
	}
	return key, nil
}

// Reply writes a reply to the survivor of submission id: sealed to her
// reply key for the outbox, and a copy for the team as a derived record,
// with a custody entry, in one transaction. Nothing leaves the workspace
// until SendReplies.
func (rv *Reviewer) Reply(id vault.ID, text string) error {
	w := rv.w
	if strings.TrimSpace(text) == "" {
		return errors.New("the reply is empty; nothing was written")
	}
	if len(text) > MaxReply || !utf8.ValidString(text) {
		return fmt.Errorf("a reply is UTF-8 text of at most %d bytes", MaxReply)
	}
	key, err := w.replyKey(id, rv.ids)
	if err != nil {
		return err
	}
	// What she said on a later visit counts: her latest answers, and any
	// withdrawal of recontact.
	c, err := w.contents(id, rv.ids)
	if err != nil {
		return err
	}
	if c.Answers != nil && c.Answers.Contact == "none" {
		return ErrNoContact
	}
	if slices.Contains(c.Withdrawn(), vault.UseRecontact) {
		return ErrNoRecontact
	}
	sealed, err := vault.SealReply([]byte(text), key)
	if err != nil {
		return err
	}
	return w.db.Update(func(tx *bolt.Tx) error {
		k, err := w.addRecordTx(tx, id, rv.actor, record{Kind: ActionReply, Text: text}, vault.Hash{}, "replies")
		if err != nil {
			return err
		}
		return tx.Bucket(bucketOutbox).Put(k, sealed)
	})
}

// SendReplies writes every reply waiting in the outbox into a reply bundle
// on w, authenticated for the intake server this workspace imports from,
// and returns how many. The caller must have stored the bundle safely
// before calling sent with its hash, which empties the outbox of them and
// records the sending in custody.
func (rv *Reviewer) SendReplies(out io.Writer) (n int, sent func(bundleHash vault.Hash) error, err error) {
	w := rv.w
	var server string
	var authCT []byte
	var keys [][]byte
	var replies []vault.Reply
	err = w.db.View(func(tx *bolt.Tx) error {
		server = string(tx.Bucket(bucketState).Get(keyServer))
		authCT = bytes.Clone(tx.Bucket(bucketSecrets).Get(keyReplyAuth))
		return tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
			keys = append(keys, bytes.Clone(k))
			replies = append(replies, vault.Reply{To: vault.ID(k[:len(k)-8]), Ciphertext: bytes.Clone(v)})
			return nil
		})
	})
	if err != nil {
		return 0, nil, err
	}
	if len(replies) == 0 {
		return 0, nil, ErrNoReplies
	}
	if authCT == nil || server == "" {
		return 0, nil, errors.New("this workspace has not kept the server's reply key: import a bundle made by this version of intake")
	}
	auth, err := openBytes(authCT, rv.ids, 64)
	if err != nil || len(auth) != len(vault.ReplyAuth{}) {
		return 0, nil, fmt.Errorf("the server's reply key: %w", err)
	}
	if err := vault.WriteReplies(out, server, vault.ReplyAuth(auth), vault.Day(w.now()), replies); err != nil {
		return 0, nil, err
	}
	sent = func(h vault.Hash) error {
		return w.db.Update(func(tx *bolt.Tx) error {
			for _, k := range keys {
				if err := tx.Bucket(bucketOutbox).Delete(k); err != nil {
					return err
				}
			}
			_, err := w.appendLog(tx, rv.actor, ActionSendReplies, h)
			return err
		})
	}
	return len(replies), sent, nil
}

// Waiting is a reply in the outbox, not yet sent.
type Waiting struct {
	To    vault.ID
	Seq   uint64 // the custody entry that recorded it: its number for CancelReply
	Day   string
	Actor string
	Text  string
}

// Outbox returns the replies waiting to be sent, from the team's copies.
func (rv *Reviewer) Outbox() ([]Waiting, error) {
	w := rv.w
	type kv struct{ k, v []byte }
	var raw []kv
	w.db.View(func(tx *bolt.Tx) error {
		derived := tx.Bucket(bucketDerived)
		return tx.Bucket(bucketOutbox).ForEach(func(k, _ []byte) error {
			raw = append(raw, kv{bytes.Clone(k), bytes.Clone(derived.Get(k))})
			return nil
		})
	})
	var out []Waiting
	for _, r := range raw {
		if r.v == nil {
			return nil, fmt.Errorf("%w: a reply in the outbox has no team copy: run \"review verify\"", vault.ErrMalformed)
		}
		rec, err := openRecord(r.v, r.k, rv.ids)
		if err != nil {
			return nil, err
		}
		out = append(out, Waiting{To: rec.Submission, Seq: rec.Seq, Day: rec.Day, Actor: rec.Actor, Text: rec.Text})
	}
	return out, nil
}

// CancelReply takes the reply recorded by custody entry seq on submission
// id out of the outbox, unsent. The team's copy stays, marked cancelled,
// and custody records the cancelling, in one transaction.
func (rv *Reviewer) CancelReply(id vault.ID, seq uint64) error {
	w := rv.w
	return w.db.Update(func(tx *bolt.Tx) error {
		k := derivedKey(id, seq)
		if tx.Bucket(bucketOutbox).Get(k) == nil {
			return fmt.Errorf("%w: none to %s recorded by entry %d (it was sent, or cancelled)", ErrNotWaiting, id, seq)
		}
		if err := tx.Bucket(bucketOutbox).Delete(k); err != nil {
			return err
		}
		_, err := w.addRecordTx(tx, id, rv.actor, record{Kind: ActionReplyCancel, Text: fmt.Sprint(seq)}, vault.Hash{}, "replies")
		return err
	})
}

package vault

import (
	"bytes"
	"errors"
	"fmt"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"
)

// Every submission has two receipts, and so two look-up tags, committed
// together; the second is shown only if she asks for it (THREAT_MODEL.md,
// the safe receipt). Each tag is stored with a note encrypted to the
// reviewers saying which receipt it is: the server cannot read it, and a
// return visit stores it as it is in a visit part, so the reviewers learn
// which receipt was used without the server knowing.

// ReceiptTag is a look-up tag and its note (from SealReceiptNote).
type ReceiptTag struct {
	Tag  []byte
	Note []byte
}

// SealReceiptNote encrypts a receipt note to the reviewers, as a part of
// kind receipt: padded like every part, so all notes have one size.
func SealReceiptNote(n ReceiptNote, recipients []age.Recipient) ([]byte, error) {
	b, err := MarshalForm(n)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w, err := NewPartWriter(&buf, PartHeader{Kind: KindReceipt}, recipients...)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// maxNote bounds a receipt note as stored: a 4 KiB part with the age
// header of a large team.
const maxNote = 256 << 10

func putReceipts(tx *bolt.Tx, id []byte, tags []ReceiptTag) error {
	receipts := tx.Bucket(bucketReceipts)
	for _, t := range tags {
		if receipts.Get(t.Tag) != nil {
			return errors.New("receipt tag already in use")
		}
		if len(t.Note) > maxNote {
			return errors.New("receipt note too long")
		}
		if err := receipts.Put(t.Tag, append(bytes.Clone(id), t.Note...)); err != nil {
			return err
		}
	}
	return nil
}

// LookupReceiptNote returns the submission a look-up tag belongs to and
// the note stored with it (empty in a store from before notes).
func (s *Store) LookupReceiptNote(tag []byte) (ID, []byte, error) {
	var id ID
	var note []byte
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketReceipts).Get(tag)
		if len(v) < idBytes {
			return ErrNotFound
		}
		id = ID(idEncoding.EncodeToString(v[:idBytes]))
		note = bytes.Clone(v[idBytes:])
		return nil
	})
	return id, note, err
}

// SetReceiptNotes replaces the notes of look-up tags of submission id, in
// one transaction: taking the second receipt rewrites both notes, so an
// earlier copy of the store cannot tell which one changed in meaning. It
// refuses, changing nothing, if a tag is not one of id's.
func (s *Store) SetReceiptNotes(id ID, tags ...ReceiptTag) error {
	err := s.commit(0, func(tx *bolt.Tx) error {
		receipts := tx.Bucket(bucketReceipts)
		for _, t := range tags {
			v := receipts.Get(t.Tag)
			if len(v) < idBytes || !bytes.Equal(v[:idBytes], id.key()) {
				return ErrNotFound
			}
			if len(t.Note) > maxNote {
				return errors.New("receipt note too long")
			}
			if err := receipts.Put(t.Tag, append(id.key(), t.Note...)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("receipt notes of %s: %w", id, err)
	}
	return nil
}

// view runs a read transaction, counted.
func (s *Store) view(fn func(*bolt.Tx) error) error {
	s.reads.Add(1)
	return s.db.View(fn)
}

// update runs a write transaction of its own, counted.
func (s *Store) update(fn func(*bolt.Tx) error) error {
	s.writes.Add(1)
	return s.db.Update(fn)
}

// commit runs fn in a group-committed write transaction, counted.
func (s *Store) commit(size int64, fn func(*bolt.Tx) error) error {
	s.writes.Add(1)
	return s.commits.update(size, fn)
}

// Transactions returns how many read and write transactions the store has
// run since it was opened: tests count them to show that two paths touch
// the store alike.
func (s *Store) Transactions() (reads, writes int64) {
	return s.reads.Load(), s.writes.Load()
}

package review

import (
	"fmt"
	"io"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

	"testimony/vault"
)

// findAttachment returns the item and part index of attachment n (from 1)
// of a submission, decrypting only part headers.
func (w *Workspace) findAttachment(items []vault.Item, identities []age.Identity, n int) (Attachment, vault.Item, error) {
	var found Attachment
	var item vault.Item
	count := 0
	errFound := fmt.Errorf("found")
	err := w.eachPart(items, identities, func(it vault.Item, i int, h vault.PartHeader, _ io.Reader) error {
		if h.Kind != vault.KindAttachment {
			return nil
		}
		count++
		if count == n {
			found, item = Attachment{Number: n, Item: it.N, Part: i, Name: h.Name, Type: h.Type, Size: -1}, it
			return errFound
		}
		return nil
	})
	if err != nil && found.Number == 0 {
		return found, item, err
	}
	if found.Number == 0 {
		return found, item, fmt.Errorf("%w: submission %s has %d attachment(s), not %d", vault.ErrNotFound, items[0].ID, count, n)
	}
	return found, item, nil
}

// CopyAttachment writes attachment n (from 1) of submission id, decrypted,
// to dst, and records that in the custody log once it is all written.
// dst may be a terminal or a pipe, which cannot take back what was written:
// the whole sealed original is checked before its first byte is decrypted.
func (rv *Reviewer) CopyAttachment(id vault.ID, n int, dst io.Writer) (Attachment, error) {
	a, it, err := rv.copyAttachment(id, n, dst, true)
	if err != nil {
		return a, err
	}
	return a, rv.w.recordAttachment(rv.actor, it)
}

// SaveAttachment writes attachment n (from 1) of submission id, decrypted,
// to a new file at path (mode 0600), and records that in the custody log.
// It never replaces an existing file, and leaves no file if anything fails.
func (rv *Reviewer) SaveAttachment(id vault.ID, n int, path string) (Attachment, error) {
	a, o, err := rv.PrepareAttachment(id, n, path)
	if err != nil {
		return a, err
	}
	return a, o.Publish()
}

// PrepareAttachment stages attachment n (from 1) of submission id,
// decrypted, for path: publishing the Output puts it there and records it
// in the custody log (see output.go for the order, and what the next run
// does after a crash).
func (rv *Reviewer) PrepareAttachment(id vault.ID, n int, path string) (Attachment, *Output, error) {
	w := rv.w
	o, err := w.beginOutput([]string{path})
	if err != nil {
		return Attachment{}, nil, err
	}
	var a Attachment
	var it vault.Item
	err = o.stage(0, func(f io.Writer) error {
		var err error
		a, it, err = rv.copyAttachment(id, n, f, false)
		return err
	})
	if err == nil {
		err = o.stagedAll()
	}
	if err != nil {
		o.Discard()
		return a, nil, err
	}
	o.commit = func(tx *bolt.Tx) error {
		_, err := w.appendLog(tx, rv.actor, ActionAttachment, it.Hash())
		return err
	}
	return a, o, nil
}

// copyAttachment decrypts attachment n of submission id into dst (see
// copyAttachmentTo), recording nothing.
func (rv *Reviewer) copyAttachment(id vault.ID, n int, dst io.Writer, checkFirst bool) (Attachment, vault.Item, error) {
	items, err := rv.w.submission(id)
	if err != nil {
		return Attachment{}, vault.Item{}, err
	}
	return rv.w.copyAttachmentTo(items, rv.ids, n, dst, checkFirst)
}

// copyAttachmentTo decrypts attachment n of items into dst, recording
// nothing: the caller records what it does with it. With checkFirst the
// whole sealed original is checked before its first byte is decrypted,
// for a dst that cannot take back what was written.
func (w *Workspace) copyAttachmentTo(items []vault.Item, identities []age.Identity, n int, dst io.Writer, checkFirst bool) (Attachment, vault.Item, error) {
	a, it, err := w.findAttachment(items, identities, n)
	if err != nil {
		return a, it, err
	}
	if checkFirst {
		if err := w.checkSealed(it.Parts[a.Part]); err != nil {
			return a, it, fmt.Errorf("submission %s, item %d, part %d: %w", it.ID, it.N, a.Part+1, err)
		}
	}
	one := vault.Item{ID: it.ID, N: it.N, Day: it.Day, Parts: it.Parts[a.Part : a.Part+1]}
	err = w.eachPart([]vault.Item{one}, identities, func(_ vault.Item, _ int, _ vault.PartHeader, content io.Reader) error {
		var err error
		a.Size, err = copyPooled(dst, content)
		return err
	})
	return a, it, err
}

func (w *Workspace) recordAttachment(actor string, it vault.Item) error {
	return w.db.Update(func(tx *bolt.Tx) error {
		_, err := w.appendLog(tx, actor, ActionAttachment, it.Hash())
		return err
	})
}

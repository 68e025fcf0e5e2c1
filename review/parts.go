package review

import (
	"errors"
	"fmt"
	"io"
	"runtime"

	"filippo.io/age"

	"testimony/internal/agekey"
	"testimony/vault"
)

// partFunc receives one decrypted section of a part (most parts have one;
// all she typed on the form is one part of up to four sections). Nothing of
// content, nor the section header, comes from anything but the sealed
// original import verified (see [Workspace.openSealed]); content need not
// be read to the end.
type partFunc func(it vault.Item, index int, h vault.PartHeader, content io.Reader) error

// eachPart decrypts the parts of items and calls fn with each, in order,
// one at a time. Opening a part (the header's key exchange, X25519 or
// post-quantum, and the first chunk) costs more than decrypting a written
// account; where the identities allow it ([agekey.ParallelSafe]) and there are
// cores to spare, the next few parts are opened on them while fn reads the
// current one.
func (w *Workspace) eachPart(items []vault.Item, identities []age.Identity, fn partFunc) error {
	return w.eachPartOr(items, identities, fn, nil)
}

// eachPartOr is eachPart, but when a part fails, skip (if not nil) is
// called with its item and the error: if it returns nil, the rest of that
// submission is passed over and the others go on; else that error stops
// everything.
func (w *Workspace) eachPartOr(items []vault.Item, identities []age.Identity, fn partFunc, skip func(vault.Item, error) error) error {
	identities = agekey.Prepared(identities)
	packs := &packFiles{w: w}
	ahead := 0 // with an unbuffered channel, each open starts once fn is done with the part before
	if n := runtime.GOMAXPROCS(0); n > 1 && agekey.ParallelSafe(identities) {
		ahead = 2 * n
	}
	opened := make(chan *openedPart, ahead)
	stop := make(chan struct{})
	go func() {
		defer close(opened)
		for _, it := range items {
			for i := range it.Parts {
				op := &openedPart{it: it, i: i, done: make(chan struct{})}
				select {
				case opened <- op:
				case <-stop:
					return
				}
				go func() {
					defer close(op.done)
					op.sections, op.h, op.content, op.err = w.openPart(packs, it, i, identities)
				}()
			}
		}
	}()
	var err error
	var skipped vault.ID
	hasSkipped := false
	for op := range opened {
		<-op.done // also after an error: packs stay open until every open is done
		if err != nil || hasSkipped && op.it.ID == skipped {
			continue
		}
		err = op.err
		if err == nil {
			err = fn(op.it, op.i, op.h, op.content)
		}
		if err == nil {
			err = op.rest(fn)
		}
		if err != nil {
			var f fatal
			if errors.As(err, &f) {
				err = f.err
			} else {
				err = fmt.Errorf("submission %s, item %d, part %d: %w", op.it.ID, op.it.N, op.i+1, err)
				if skip != nil {
					err = skip(op.it, err)
				}
			}
			if err == nil {
				skipped, hasSkipped = op.it.ID, true
				continue
			}
			close(stop)
		}
	}
	packs.close()
	return err
}

// fatal marks an error of a caller's function, which no skip passes over.
type fatal struct{ err error }

func (f fatal) Error() string { return f.err.Error() }

// openedPart is a part opened, perhaps ahead of its turn; the fields are
// set once done is closed.
type openedPart struct {
	it       vault.Item
	i        int
	h        vault.PartHeader // of its first section
	content  io.Reader
	sections *vault.Sections
	err      error
	done     chan struct{}
}

// rest passes the part's sections after the first to fn. An attachment is
// alone in its part: nothing of it is read to look for more.
func (op *openedPart) rest(fn partFunc) error {
	if op.h.Kind == vault.KindAttachment {
		return nil
	}
	for {
		h, content, err := op.sections.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return errDamaged(op.it.Parts[op.i].Hash)
		}
		if err := fn(op.it, op.i, h, damageReader{content, op.it.Parts[op.i].Hash}); err != nil {
			return err
		}
	}
}

// openPart opens a part and its first section.
func (w *Workspace) openPart(packs *packFiles, it vault.Item, i int, identities []age.Identity) (*vault.Sections, vault.PartHeader, io.Reader, error) {
	p := it.Parts[i]
	src, err := w.openSealed(packs, p)
	if err != nil {
		return nil, vault.PartHeader{}, nil, err
	}
	if w.sealedRead != nil {
		src = countingReader{src, w.sealedRead}
	}
	sections, err := vault.OpenSections(src, identities...)
	if err != nil {
		return nil, vault.PartHeader{}, nil, noMatch(err, fmt.Sprintf("submission %s item %d part %d", it.ID, it.N, i+1))
	}
	h, content, err := sections.Next()
	if err != nil {
		return nil, h, nil, errDamaged(p.Hash) // its first chunk did not decrypt, or is not a part
	}
	return sections, h, damageReader{content, p.Hash}, nil
}

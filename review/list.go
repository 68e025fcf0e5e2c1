package review

import (
	"errors"
	"slices"

	bolt "go.etcd.io/bbolt"

	"testimony/vault"
)

// groups splits item records, sorted by ID then number, into submissions.
func groups(items []vault.Item) [][]vault.Item {
	var out [][]vault.Item
	for i, it := range items {
		if i > 0 && it.ID == items[i-1].ID {
			out[len(out)-1] = append(out[len(out)-1], it)
		} else {
			out = append(out, []vault.Item{it})
		}
	}
	return out
}

func status(items []vault.Item, seen map[vault.Hash]bool) string {
	for _, it := range items {
		if !seen[it.Hash()] {
			return StatusNew
		}
	}
	return StatusSeen
}

// Summary is one line of a listing.
type Summary struct {
	ID          vault.ID
	Day         string // day she first sent it
	Additions   int    // times she came back and added something
	Attachments int
	Excerpt     string      // the start of her account, on one line
	Status      string      // StatusNew or StatusSeen
	Consented   []vault.Use // uses she consented to and has not withdrawn
	Withdrawn   []vault.Use // uses she withdrew
	Visits      int         // times she came back (Additions does not count them)
	Safe        []Visit     // visits with her safe receipt
}

// Unreadable is a submission a listing or search could not read, and why.
type Unreadable struct {
	ID vault.ID
	// Err wraps ErrNoIdentityMatch when it was encrypted to other keys (it
	// arrived before the identity's key was added to the server), or
	// vault.ErrMalformed when a sealed original is damaged or missing.
	Err error
}

// OtherKeys reports whether u was encrypted to other keys, rather than
// damaged.
func (u Unreadable) OtherKeys() bool { return errors.Is(u.Err, ErrNoIdentityMatch) }

// skippable reports whether err concerns one submission only: encrypted to
// other keys, or damaged. Anything else (a wrong passphrase, a missing
// plugin, a failing disk) stops a listing.
func skippable(err error) bool {
	return errors.Is(err, ErrNoIdentityMatch) || errors.Is(err, vault.ErrMalformed)
}

// List decrypts every submission far enough to summarise it. Listing is
// not recorded in the custody log: it shows only the start of each text.
// A submission it cannot read stops it; see [Reviewer.ListReadable].
func (rv *Reviewer) List() ([]Summary, error) {
	sums, bad, err := rv.list(false)
	if err == nil && len(bad) > 0 {
		err = bad[0].Err
	}
	return sums, err
}

// ListReadable is List, but it lists every submission rv can read
// and returns the others, each with why, instead of stopping at the first:
// a reviewer whose key was added later still sees what was encrypted to
// her, and one damaged part does not hide the rest of the workspace.
func (rv *Reviewer) ListReadable() ([]Summary, []Unreadable, error) {
	return rv.list(true)
}

func (rv *Reviewer) list(tolerant bool) ([]Summary, []Unreadable, error) {
	w := rv.w
	items, err := w.Items()
	if err != nil {
		return nil, nil, err
	}
	var seen map[vault.Hash]bool
	if err := w.db.View(func(tx *bolt.Tx) (err error) { seen, err = seenItems(tx); return }); err != nil {
		return nil, nil, err
	}
	var out []Summary
	var bad []Unreadable
	err = w.eachContentsOr(groups(items), rv.ids, excerpts, func(c *Contents) error {
		s := Summary{ID: c.ID, Day: c.Day, Additions: len(c.Items) - 1 - len(c.Visits), Attachments: len(c.Attachments),
			Status: status(c.Items, seen), Withdrawn: c.Withdrawn(), Visits: len(c.Visits), Safe: c.SafeUses()}
		if len(c.Texts) > 0 {
			s.Excerpt = c.Texts[0].Body
		}
		for _, u := range vault.Uses {
			if c.Consented(u) {
				s.Consented = append(s.Consented, u)
			}
		}
		out = append(out, s)
		return nil
	}, skipper(tolerant, &bad))
	if err != nil {
		return nil, nil, err
	}
	return out, bad, nil
}

// skipper returns the skip function that collects unreadable submissions
// in bad, when tolerant, or stops at the first, else.
func skipper(tolerant bool, bad *[]Unreadable) func(vault.ID, error) error {
	return func(id vault.ID, err error) error {
		if !skippable(err) {
			return err
		}
		*bad = append(*bad, Unreadable{id, err})
		if !tolerant {
			return err
		}
		return nil
	}
}

// Filter selects submissions in a listing. The zero Filter selects all.
type Filter struct {
	Status      string    // StatusNew or StatusSeen; "" for both
	From, To    string    // first and last day she first sent it, YYYY-MM-DD, inclusive; "" for open
	Withdrawn   bool      // only those with a withdrawal
	Attachments bool      // only those with at least one attachment
	Consent     vault.Use // only those she consented to this use for, and has not withdrawn it
}

// Match reports whether s passes the filter.
func (f Filter) Match(s Summary) bool {
	switch {
	case f.Status != "" && s.Status != f.Status,
		f.From != "" && s.Day < f.From,
		f.To != "" && s.Day > f.To,
		f.Withdrawn && len(s.Withdrawn) == 0,
		f.Attachments && s.Attachments == 0,
		f.Consent != "" && !slices.Contains(s.Consented, f.Consent):
		return false
	}
	return true
}

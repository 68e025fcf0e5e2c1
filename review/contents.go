package review

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"

	"filippo.io/age"

	"testimony/internal/visible"
	"testimony/vault"
)

const (
	// excerptRunes is how much of an account a listing shows.
	excerptRunes = 60
	// maxForm bounds a consent, withdrawal or answers part as read: they
	// are a few hundred bytes of JSON.
	maxForm = 64 << 10
	// maxText bounds one text part as read into memory for show and search.
	maxText = 64 << 20
)

// Status values of a submission in this workspace.
const (
	StatusNew  = "new"  // some item of it has never been shown here
	StatusSeen = "seen" // every item of it has been shown here at least once
)

// Contents is a submission decrypted: what she sent over all her visits,
// and what the reviewers derived.
type Contents struct {
	ID          vault.ID
	Day         string // day she first sent it
	Items       []vault.Item
	Texts       []Text
	Answers     *vault.Answers // the latest answers she gave, if any
	Consent     *vault.Consent // the latest consent she gave, if any
	Withdrawals []Withdrawal
	Visits      []Visit // her return visits, from their records (safe.go)
	Attachments []Attachment
	Notes       []Note
	Replies     []Note // replies written to her
	Tags        []string
	Status      string // StatusNew or StatusSeen, before this reading

	ids []age.Identity // what opens the receipt notes of her visits
}

// Text is her account, or what she added to it on a later visit.
type Text struct {
	Item uint16 // 0 for the submission, then each addition
	Day  string
	Body string
}

// Withdrawal is a withdrawal she sent on a later visit.
type Withdrawal struct {
	Day  string
	Uses []vault.Use
}

// Attachment describes a file she sent. Number counts from 1 over the
// whole submission, in the order she sent them.
type Attachment struct {
	Number int
	Item   uint16
	Part   int // index of the part within its item
	Name   string
	Type   string
	Size   int64 // decrypted size in bytes; -1 in listings, which do not read it
}

// Withdrawn returns every use she has withdrawn, sorted as vault.Uses.
func (c *Contents) Withdrawn() []vault.Use {
	var out []vault.Use
	for _, u := range vault.Uses {
		for _, w := range c.Withdrawals {
			if slices.Contains(w.Uses, u) && !slices.Contains(out, u) {
				out = append(out, u)
			}
		}
	}
	return out
}

// WithdrewAll reports whether she has taken back every use she gave, and
// the day of the withdrawal that completed it. With no consent recorded
// there is nothing to take back.
func (c *Contents) WithdrewAll() (day string, all bool) {
	if c.Consent == nil || len(c.Consent.Given) == 0 {
		return "", false
	}
	left := map[vault.Use]bool{}
	for _, u := range c.Consent.Given {
		left[u] = true
	}
	for _, w := range c.Withdrawals {
		for _, u := range w.Uses {
			delete(left, u)
		}
		if len(left) == 0 {
			return w.Day, true
		}
	}
	return "", false
}

// Consented reports whether she gave consent for u and has not withdrawn it.
func (c *Contents) Consented(u vault.Use) bool {
	return c.Consent != nil && slices.Contains(c.Consent.Given, u) && !slices.Contains(c.Withdrawn(), u)
}

// depth says how much of a submission readContents decrypts.
type depth int

const (
	// excerpts keeps an excerpt of the first text and counts attachments.
	excerpts depth = iota
	// texts reads every text whole and counts attachments, without
	// decrypting them.
	texts
	// everything also decrypts each attachment to learn its size.
	everything
)

// readContents decrypts a submission to depth d. Answers, consent and
// withdrawals are read at every depth.
func (w *Workspace) readContents(items []vault.Item, identities []age.Identity, d depth) (*Contents, error) {
	var c *Contents
	err := w.eachContents([][]vault.Item{items}, identities, d, func(got *Contents) error {
		c = got
		return nil
	})
	return c, err
}

// eachContents decrypts submissions, as readContents does, and passes each
// to fn once it is read, in order. The parts of all of them go through one
// eachPart, which opens parts ahead across submissions.
func (w *Workspace) eachContents(subs [][]vault.Item, identities []age.Identity, d depth, fn func(*Contents) error) error {
	return w.eachContentsOr(subs, identities, d, fn, nil)
}

// eachContentsOr is eachContents, but a submission that cannot be read
// (see eachPartOr) is passed to skip, with the error, instead of fn; if
// skip returns nil the others go on.
func (w *Workspace) eachContentsOr(subs [][]vault.Item, identities []age.Identity, d depth, fn func(*Contents) error, skip func(vault.ID, error) error) error {
	var all []vault.Item
	for _, s := range subs {
		all = append(all, s...)
	}
	var c *Contents
	next := 0
	advance := func() error { // passes c on and starts the next submission
		if c != nil {
			if err := fn(c); err != nil {
				return fatal{err}
			}
		}
		s := subs[next]
		c, next = &Contents{ID: s[0].ID, Day: s[0].Day, Items: s, ids: identities}, next+1
		return nil
	}
	var skipPart func(vault.Item, error) error
	if skip != nil {
		skipPart = func(it vault.Item, err error) error {
			if err := skip(it.ID, err); err != nil {
				return err
			}
			// Drop what was read of it; if nothing was, pass the one
			// before on and step over it.
			if c == nil || c.ID != it.ID {
				if err := advance(); err != nil {
					return err.(fatal).err
				}
			}
			c = nil
			return nil
		}
	}
	err := w.eachPartOr(all, identities, func(it vault.Item, i int, h vault.PartHeader, content io.Reader) error {
		for c == nil || it.ID != c.ID {
			if err := advance(); err != nil {
				return err
			}
		}
		return c.add(it, i, h, content, d)
	}, skipPart)
	for err == nil && next < len(subs) {
		if err = advance(); err != nil {
			err = err.(fatal).err
		}
	}
	if err == nil && c != nil {
		err = fn(c)
	}
	return err
}

// add adds a decrypted part to c.
func (c *Contents) add(it vault.Item, i int, h vault.PartHeader, content io.Reader, d depth) error {
	switch h.Kind {
	case vault.KindText:
		if d == excerpts {
			if len(c.Texts) == 0 {
				c.Texts = append(c.Texts, Text{it.N, it.Day, excerpt(content)})
			}
			return nil
		}
		body, err := io.ReadAll(io.LimitReader(content, maxText+1))
		if err != nil {
			return err
		}
		if len(body) > maxText {
			return fmt.Errorf("the text is longer than %d bytes", maxText)
		}
		c.Texts = append(c.Texts, Text{it.N, it.Day, string(body)})
	case vault.KindAnswers:
		var a vault.Answers
		if err := readForm(content, &a); err != nil {
			return err
		}
		c.Answers = &a
	case vault.KindConsent:
		var cs vault.Consent
		if err := readForm(content, &cs); err != nil {
			return err
		}
		c.Consent = &cs
	case vault.KindVisit:
		return c.addVisit(it, content)
	case vault.KindWithdrawal:
		var wd vault.Withdrawal
		if err := readForm(content, &wd); err != nil {
			return err
		}
		c.Withdrawals = append(c.Withdrawals, Withdrawal{it.Day, wd.Withdrawn})
	case vault.KindAttachment:
		a := Attachment{Number: len(c.Attachments) + 1, Item: it.N, Part: i, Name: h.Name, Type: h.Type, Size: -1}
		if d == everything {
			n, err := copyPooled(io.Discard, content)
			if err != nil {
				return err
			}
			a.Size = n
		}
		c.Attachments = append(c.Attachments, a)
	}
	return nil
}

func readForm(r io.Reader, v any) error {
	data, err := io.ReadAll(io.LimitReader(r, maxForm+1))
	if err != nil {
		return err
	}
	if len(data) > maxForm {
		return fmt.Errorf("%w: a form part is too long", vault.ErrMalformed)
	}
	return vault.UnmarshalForm(data, v)
}

func excerpt(r io.Reader) string {
	br := bufio.NewReader(io.LimitReader(r, excerptRunes*4))
	var b strings.Builder
	n := 0
	space := false
	for n < excerptRunes {
		c, _, err := br.ReadRune()
		if err != nil {
			break
		}
		if unicode.IsSpace(c) && !visible.Escape(c) || c == '\n' || c == '\t' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		// What would act on the terminal is shown, escaped, not dropped.
		b.WriteString(visible.Line(string(c)))
		n++
	}
	return b.String()
}

// contents reads a submission whole, for the editor, without recording a
// view (the editor's actions record their own).
func (w *Workspace) contents(id vault.ID, identities []age.Identity) (*Contents, error) {
	items, err := w.submission(id)
	if err != nil {
		return nil, err
	}
	return w.readContents(items, identities, texts)
}

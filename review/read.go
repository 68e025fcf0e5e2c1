package review

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"unicode"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

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

// partFunc receives one decrypted section of a part (most parts have one;
// all she typed on the form is one part of up to four sections). Nothing of
// content, nor the section header, comes from anything but the sealed
// original import verified (see [Workspace.openSealed]); content need not
// be read to the end.
type partFunc func(it vault.Item, index int, h vault.PartHeader, content io.Reader) error

// eachPart decrypts the parts of items and calls fn with each, in order,
// one at a time. Opening a part (the header's key exchange, X25519 or
// post-quantum, and the first chunk) costs more than decrypting a written
// account; where the identities allow it ([parallelSafe]) and there are
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
	identities = prepared(identities)
	packs := &packFiles{w: w}
	ahead := 0 // with an unbuffered channel, each open starts once fn is done with the part before
	if n := runtime.GOMAXPROCS(0); n > 1 && parallelSafe(identities) {
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
				err = fmt.Errorf("review: submission %s, item %d, part %d: %w", op.it.ID, op.it.N, op.i+1, err)
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
// A submission it cannot read stops it; see [Workspace.ListReadable].
func (w *Workspace) List(identities []age.Identity) ([]Summary, error) {
	sums, bad, err := w.list(identities, false)
	if err == nil && len(bad) > 0 {
		err = bad[0].Err
	}
	return sums, err
}

// ListReadable is List, but it lists every submission identities can read
// and returns the others, each with why, instead of stopping at the first:
// a reviewer whose key was added later still sees what was encrypted to
// her, and one damaged part does not hide the rest of the workspace.
func (w *Workspace) ListReadable(identities []age.Identity) ([]Summary, []Unreadable, error) {
	return w.list(identities, true)
}

func (w *Workspace) list(identities []age.Identity, tolerant bool) ([]Summary, []Unreadable, error) {
	if _, err := w.Unlock(identities); err != nil {
		return nil, nil, err
	}
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
	err = w.eachContentsOr(groups(items), identities, excerpts, func(c *Contents) error {
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

// Read decrypts submission id whole, with the notes and tags reviewers
// added, and records in the custody log that it was shown. The returned
// Status is as it was before this reading.
func (w *Workspace) Read(id vault.ID, identities []age.Identity) (*Contents, error) {
	items, err := w.submission(id)
	if err != nil {
		return nil, err
	}
	actor, err := w.Unlock(identities)
	if err != nil {
		return nil, err
	}
	c, err := w.readContents(items, identities, everything)
	if err != nil {
		return nil, err
	}
	d, err := w.derivedFor(id, identities)
	if err != nil {
		return nil, err
	}
	c.Notes, c.Replies, c.Tags = d.Notes, d.Replies, d.Tags
	// Recorded before anything is shown: the log may hold a reading that
	// was then not printed, never the other way round.
	err = w.db.Update(func(tx *bolt.Tx) error {
		seen, err := seenItems(tx)
		if err != nil {
			return err
		}
		c.Status = status(items, seen)
		for _, it := range items {
			if _, err := w.appendLog(tx, actor, ActionShow, it.Hash()); err != nil {
				return err
			}
		}
		return nil
	})
	return c, err
}

// Show writes submission id, decrypted and readable, to out: see [Read]
// and [Contents.Format].
func (w *Workspace) Show(id vault.ID, identities []age.Identity, out io.Writer) error {
	c, err := w.Read(id, identities)
	if err != nil {
		return err
	}
	return c.Format(out)
}

// answerLabels name the guided questions for reviewers.
var answerLabels = map[string]string{
	"source/self":   "saw it herself",
	"source/others": "heard it from others",
}

// Format writes the submission for a reviewer to read: a header (ID, day,
// status, withdrawals marked loudly, consent, tags), the guided answers,
// the attachments, the notes, then her text exactly as she wrote it, and
// what she added on later visits.
func (c *Contents) Format(out io.Writer) error {
	bw := bufio.NewWriter(out)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	if day, all := c.WithdrewAll(); all {
		// Before anything else: what she wants now comes first.
		p("SHE TOOK BACK EVERY USE (on %s): keep her record, but nothing of it may\n", day)
		p("leave: every export is refused, and no reply is sent if she took back\n")
		p("recontact or asked not to be contacted.\n\n")
	}
	p("submission  %s\n", c.ID)
	p("received    %s\n", c.Day)
	p("status      %s\n", c.Status)
	for _, v := range c.SafeUses() {
		p("SAFE RECEIPT used on %s: she may have been forced to open her account; she asked: %s\n", v.Day, ChoiceText(v.Chose))
	}
	for _, wd := range c.Withdrawals {
		p("WITHDRAWN   %s (on %s): do not use it for these\n", joinUses(wd.Uses), wd.Day)
	}
	if len(c.Visits) > 0 {
		var days []string
		for _, v := range c.Visits {
			switch v.Receipt {
			case vault.ReceiptFirst:
				days = append(days, v.Day)
			case vault.ReceiptSecond:
				days = append(days, v.Day+" (safe receipt)")
			default:
				days = append(days, v.Day+" (receipt note not readable with this key)")
			}
		}
		p("visits      %s\n", strings.Join(days, ", "))
	}
	if c.Consent == nil {
		p("consent     none recorded: review only\n")
	} else {
		var given, not []vault.Use
		for _, u := range vault.Uses {
			if c.Consented(u) {
				given = append(given, u)
			} else {
				not = append(not, u)
			}
		}
		p("consent     %s\n", joinUses(given))
		p("no consent  %s\n", joinUses(not))
	}
	if len(c.Tags) > 0 {
		p("tags        %s\n", visible.Line(strings.Join(c.Tags, ", ")))
	}
	if a := c.Answers; a != nil {
		p("\nanswers\n")
		if a.Year != 0 {
			when := fmt.Sprintf("%d", a.Year)
			if a.Month != 0 {
				when += fmt.Sprintf("-%02d", a.Month)
			}
			if a.Approximate {
				when += " (approximate)"
			}
			p("  when           %s\n", when)
		}
		opt := func(label, v string) {
			if v != "" {
				p("  %-14s %s\n", label, visible.Line(v))
			}
		}
		if a.Province != "" {
			opt("where", vault.ProvinceName(a.Province)+" ("+a.Province+")")
		}
		opt("what happened", strings.Join(a.What, ", "))
		opt("who did it", strings.Join(a.Who, ", "))
		if l, ok := answerLabels["source/"+a.Source]; ok {
			opt("source", l)
		} else {
			opt("source", a.Source)
		}
		opt("told before", a.Elsewhere)
		opt("contact", a.Contact)
	}
	if len(c.Attachments) > 0 {
		p("\nattachments (write one out with \"review attachment -o FILE ID N\")\n")
		for _, a := range c.Attachments {
			p("  %d  %q  %s  %s\n", a.Number, a.Name, orNone(a.Type), size(a.Size))
		}
	}
	for _, sec := range []struct {
		title string
		notes []Note
	}{{"notes", c.Notes}, {"replies to her", c.Replies}} {
		if len(sec.notes) == 0 {
			continue
		}
		p("\n%s\n", sec.title)
		for _, n := range sec.notes {
			state := map[string]string{"waiting": fmt.Sprintf("  (not sent yet: in the outbox, entry %d)", n.Seq), "cancelled": "  (cancelled, never sent)"}[n.State]
			p("  %s  %s%s\n", n.Day, n.Actor, state)
			for _, l := range strings.Split(strings.TrimRight(visible.Text(n.Text), "\n"), "\n") {
				p("    %s\n", l)
			}
		}
	}
	for _, t := range c.Texts {
		if t.Item == 0 {
			p("\n--- text ---\n")
		} else {
			p("\n--- added on %s ---\n", t.Day)
		}
		// Her text as she wrote it, except what would act on the terminal
		// (escape sequences, \r, bidi overrides): that is shown escaped, so
		// nothing in it can hide part of her account from the reader.
		body := visible.Text(t.Body)
		bw.WriteString(body)
		if !strings.HasSuffix(body, "\n") {
			bw.WriteByte('\n')
		}
	}
	return bw.Flush()
}

func joinUses(uses []vault.Use) string {
	if len(uses) == 0 {
		return "(none)"
	}
	s := make([]string, len(uses))
	for i, u := range uses {
		s[i] = string(u)
	}
	return strings.Join(s, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "(no type)"
	}
	return s
}

func size(n int64) string {
	switch {
	case n < 0:
		return ""
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n < 1e6:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

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
func (w *Workspace) CopyAttachment(id vault.ID, identities []age.Identity, n int, dst io.Writer) (Attachment, error) {
	a, it, actor, err := w.copyAttachment(id, identities, n, dst, true)
	if err != nil {
		return a, err
	}
	return a, w.recordAttachment(actor, it)
}

// SaveAttachment writes attachment n (from 1) of submission id, decrypted,
// to a new file at path (mode 0600), and records that in the custody log.
// It never replaces an existing file, and leaves no file if anything fails.
func (w *Workspace) SaveAttachment(id vault.ID, identities []age.Identity, n int, path string) (Attachment, error) {
	a, o, err := w.PrepareAttachment(id, identities, n, path)
	if err != nil {
		return a, err
	}
	return a, o.Publish()
}

// PrepareAttachment stages attachment n (from 1) of submission id,
// decrypted, for path: publishing the Output puts it there and records it
// in the custody log (see output.go for the order, and what the next run
// does after a crash).
func (w *Workspace) PrepareAttachment(id vault.ID, identities []age.Identity, n int, path string) (Attachment, *Output, error) {
	o, err := w.beginOutput([]string{path})
	if err != nil {
		return Attachment{}, nil, err
	}
	var a Attachment
	var it vault.Item
	var actor string
	err = o.stage(0, func(f io.Writer) error {
		var err error
		a, it, actor, err = w.copyAttachment(id, identities, n, f, false)
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
		_, err := w.appendLog(tx, actor, ActionAttachment, it.Hash())
		return err
	}
	return a, o, nil
}

func (w *Workspace) copyAttachment(id vault.ID, identities []age.Identity, n int, dst io.Writer, checkFirst bool) (Attachment, vault.Item, string, error) {
	items, err := w.submission(id)
	if err != nil {
		return Attachment{}, vault.Item{}, "", err
	}
	actor, err := w.Unlock(identities)
	if err != nil {
		return Attachment{}, vault.Item{}, "", err
	}
	a, it, err := w.findAttachment(items, identities, n)
	if err != nil {
		return a, it, actor, err
	}
	if checkFirst {
		if err := w.checkSealed(it.Parts[a.Part]); err != nil {
			return a, it, actor, fmt.Errorf("review: submission %s, item %d, part %d: %w", it.ID, it.N, a.Part+1, err)
		}
	}
	one := vault.Item{ID: it.ID, N: it.N, Day: it.Day, Parts: it.Parts[a.Part : a.Part+1]}
	err = w.eachPart([]vault.Item{one}, identities, func(_ vault.Item, _ int, _ vault.PartHeader, content io.Reader) error {
		var err error
		a.Size, err = copyPooled(dst, content)
		return err
	})
	return a, it, actor, err
}

// copyAttachmentTo decrypts attachment n of items into dst, recording
// nothing: the caller records what it does with it.
func (w *Workspace) copyAttachmentTo(items []vault.Item, identities []age.Identity, n int, dst io.Writer) (Attachment, error) {
	a, it, err := w.findAttachment(items, identities, n)
	if err != nil {
		return a, err
	}
	one := vault.Item{ID: it.ID, N: it.N, Day: it.Day, Parts: it.Parts[a.Part : a.Part+1]}
	err = w.eachPart([]vault.Item{one}, identities, func(_ vault.Item, _ int, _ vault.PartHeader, content io.Reader) error {
		var err error
		a.Size, err = copyPooled(dst, content)
		return err
	})
	return a, err
}

func (w *Workspace) recordAttachment(actor string, it vault.Item) error {
	return w.db.Update(func(tx *bolt.Tx) error {
		_, err := w.appendLog(tx, actor, ActionAttachment, it.Hash())
		return err
	})
}

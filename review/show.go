package review

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	bolt "go.etcd.io/bbolt"

	"testimony/internal/guided"
	"testimony/internal/visible"
	"testimony/vault"
)

// Read decrypts submission id whole, with the notes and tags reviewers
// added, and records in the custody log that it was shown. The returned
// Status is as it was before this reading.
func (rv *Reviewer) Read(id vault.ID) (*Contents, error) {
	w := rv.w
	items, err := w.submission(id)
	if err != nil {
		return nil, err
	}
	c, err := w.readContents(items, rv.ids, everything)
	if err != nil {
		return nil, err
	}
	d, err := w.derivedFor(id, rv.ids)
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
			if _, err := w.appendLog(tx, rv.actor, ActionShow, it.Hash()); err != nil {
				return err
			}
		}
		return nil
	})
	return c, err
}

// Show writes submission id, decrypted and readable, to out: see [Read]
// and [Contents.Format].
func (rv *Reviewer) Show(id vault.ID, out io.Writer) error {
	c, err := rv.Read(id)
	if err != nil {
		return err
	}
	return c.Format(out)
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
		// A code the form does not offer (a newer form's) is shown as
		// an unknown code: reading must not stop at it.
		shown := func(q *guided.Question, codes ...string) string {
			var ls []string
			for _, c := range codes {
				if c != "" {
					ls = append(ls, q.ShowLabel(c))
				}
			}
			return strings.Join(ls, ", ")
		}
		opt("where", shown(&guided.Province, a.Province))
		opt("what happened", shown(&guided.What, a.What...))
		opt("who did it", shown(&guided.Who, a.Who...))
		opt("source", shown(&guided.Source, a.Source))
		opt("told before", shown(&guided.Elsewhere, a.Elsewhere))
		opt("contact", shown(&guided.Contact, a.Contact))
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

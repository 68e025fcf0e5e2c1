package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"testimony/internal/interrupt"
	"testimony/internal/safefile"
	"testimony/review"
	"testimony/vault"
)

func cmdList(r *runner, args []string) {
	r.identityFlags()
	var f review.Filter
	var consent string
	r.fs.StringVar(&f.Status, "status", "", "new or seen")
	r.fs.StringVar(&f.From, "from", "", "first day")
	r.fs.StringVar(&f.To, "to", "", "last day")
	r.fs.BoolVar(&f.Withdrawn, "withdrawn", false, "only withdrawn")
	r.fs.BoolVar(&f.Attachments, "attachments", false, "only with attachments")
	r.fs.StringVar(&consent, "consent", "", "only with consent for this use")
	r.parse(args, 0)
	switch f.Status {
	case "", review.StatusNew, review.StatusSeen:
	default:
		r.misuse("-status is %q or %q, not %q", review.StatusNew, review.StatusSeen, f.Status)
	}
	for _, d := range []struct{ flag, day string }{{"from", f.From}, {"to", f.To}} {
		if t, err := time.Parse(time.DateOnly, d.day); d.day != "" && (err != nil || t.Format(time.DateOnly) != d.day) {
			r.misuse("-%s takes a day as YYYY-MM-DD, not %q", d.flag, d.day)
		}
	}
	if consent != "" {
		f.Consent = vault.Use(consent)
		if !f.Consent.Valid() {
			var names []string
			for _, u := range vault.Uses {
				names = append(names, string(u))
			}
			r.misuse("-consent takes one of %s, not %q", strings.Join(names, ", "), consent)
		}
	}
	w := r.open()
	defer w.Close()
	sums, bad, err := r.unlock(w).ListReadable()
	if err != nil {
		r.fatal(err)
	}
	r.readAny = len(sums) > 0
	out := bufio.NewWriter(os.Stdout)
	listed := 0
	for _, s := range sums {
		if !f.Match(s) {
			continue
		}
		listed++
		text := s.Excerpt
		if len(s.Withdrawn) > 0 {
			var u []string
			for _, x := range s.Withdrawn {
				u = append(u, string(x))
			}
			text = "[withdrawn: " + strings.Join(u, ",") + "] " + text
		}
		if len(s.Safe) > 0 {
			// Her safe receipt was used: she may have been forced to open
			// her account, and asked for this (THREAT_MODEL.md).
			last := s.Safe[len(s.Safe)-1]
			text = "[SAFE RECEIPT used " + last.Day + ": " + last.Chose + "] " + text
		}
		fmt.Fprintf(out, "%s  %s  %-4s  %d attachment(s)  %s\n", s.ID, s.Day, s.Status, s.Attachments, text)
	}
	if err := out.Flush(); err != nil {
		r.fatal(err)
	}
	if listed == 0 && len(sums) > 0 {
		fmt.Fprintln(os.Stderr, "review: no submission matches")
	}
	r.unreadable(w, "listed", bad)
}

// unreadable says on standard error which submissions a listing or search
// passed over: how many were encrypted to other keys (a normal state for a
// key added later), and each damaged one, which makes the exit status 1.
func (r *runner) unreadable(w *review.Workspace, did string, bad []review.Unreadable) {
	var other []string
	damaged := 0
	for _, u := range bad {
		if u.OtherKeys() {
			other = append(other, string(u.ID))
			continue
		}
		damaged++
		fmt.Fprintf(os.Stderr, "review: error: submission %s not %s: %v\n", u.ID, did, u.Err)
	}
	if len(other) > 0 && len(other) == len(bad) && !r.readAny {
		r.fatal(fmt.Errorf("%w: none of the %d submission(s) here can be read with this identity: they were encrypted to other keys", review.ErrNoIdentityMatch, len(other)))
	}
	if len(other) > 0 {
		fmt.Fprintf(os.Stderr, "review: %d submission(s) not %s: encrypted to other keys, which your identity cannot read (those that arrived before your key was on the server): %s\n", len(other), did, strings.Join(other, " "))
	}
	if damaged > 0 {
		fmt.Fprintf(os.Stderr, "review: hint: run \"review verify -w %s\" to see what is damaged; the others were %s\n", r.ws, did)
		r.c.Exit(1)
	}
}

func cmdShow(r *runner, args []string) {
	r.identityFlags()
	r.parse(args, 1)
	id, w := r.submissionArg()
	defer w.Close()
	if err := r.unlock(w).Show(id, os.Stdout); err != nil {
		r.fatal(err)
	}
}

func cmdAttachment(r *runner, args []string) {
	r.identityFlags()
	var out string
	r.fs.StringVar(&out, "o", "", "output file")
	r.fs.StringVar(&out, "output", "", "same as -o")
	r.parse(args, 2)
	if out == "" {
		r.misuse("attachment needs -o FILE")
	}
	id, err := parseID(r.fs.Arg(0))
	if err != nil {
		r.c.Fatal(err, "")
	}
	n, err := strconv.Atoi(r.fs.Arg(1))
	if err != nil || n < 1 {
		r.misuse("N is the attachment's number, 1 or more, as \"review show\" lists them")
	}
	if out == "-" && isTerminal(os.Stdout) {
		r.c.Fatal(errors.New("refusing to output an attachment to the terminal"), "her file, in clear, stays out of the terminal's scroll-back: redirect standard output to a file, or use -o FILE")
	}
	w := r.open()
	defer w.Close()
	rv := r.unlock(w)
	report := func(a review.Attachment) {
		fmt.Fprintf(os.Stderr, "review: wrote attachment %d (%d bytes) to %s\n", a.Number, a.Size, out)
	}
	if out == "-" {
		a, err := rv.CopyAttachment(id, n, os.Stdout)
		if err != nil {
			r.fatal(err)
		}
		report(a)
		return
	}
	a, o, err := rv.PrepareAttachment(id, n, out)
	if err == nil {
		// Published, recorded and reported whole, or not at all.
		interrupt.Critical(func() {
			if err = o.Publish(); err == nil {
				report(a)
			}
		})
	}
	if errors.Is(err, safefile.ErrExists) {
		r.c.Fatal(err, "nothing was written; choose a new name with -o")
	}
	if err != nil {
		r.fatal(err)
	}
}

func cmdSearch(r *runner, args []string) {
	r.identityFlags()
	r.parse(args, -1)
	w := r.open()
	defer w.Close()
	hits, bad, err := r.unlock(w).SearchReadable(strings.Join(r.fs.Args(), " "))
	if err != nil {
		r.fatal(err)
	}
	if items, err := w.Items(); err == nil {
		subs := map[vault.ID]bool{}
		for _, it := range items {
			subs[it.ID] = true
		}
		r.readAny = len(subs) > len(bad)
	}
	defer r.unreadable(w, "searched", bad)
	out := bufio.NewWriter(os.Stdout)
	for _, h := range hits {
		fmt.Fprintf(out, "%s  %s  %s\n", h.ID, h.Where, h.Snippet)
	}
	if err := out.Flush(); err != nil {
		r.fatal(err)
	}
	if len(hits) == 0 {
		fmt.Fprintln(os.Stderr, "review: no match")
	}
}

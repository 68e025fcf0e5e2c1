package main

import (
	"bufio"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"filippo.io/age"

	"testimony/internal/interrupt"
	"testimony/internal/safefile"
	"testimony/internal/visible"
	"testimony/review"
	"testimony/review/redact"
	"testimony/vault"
)

// openArg opens a file argument, "-" meaning standard input.
func openArg(path string) (io.ReadCloser, error) {
	if path == "-" {
		return io.NopCloser(os.Stdin), nil
	}
	return os.Open(path)
}

func parseID(arg string) (vault.ID, error) {
	id, err := vault.ParseID(arg)
	if err != nil {
		return "", fmt.Errorf("%q is not a submission ID: an ID is 16 letters a-z and digits 2-7", arg)
	}
	return id, nil
}

func cmdInit(r *runner, args []string) {
	var recFile string
	r.fs.StringVar(&recFile, "r", "", "recipients file")
	r.fs.StringVar(&recFile, "recipients", "", "same as -r")
	r.parse(args, 0)
	if recFile == "" {
		r.misuse("init needs -w WORKSPACE and -r RECIPIENTS")
	}
	f, err := openArg(recFile)
	if err != nil {
		r.fatal(err)
	}
	recs, err := vault.ParseRecipients(f)
	f.Close()
	if err != nil {
		r.c.Fatal(fmt.Errorf("%s: %w", recFile, err), "give the team's public keys (age1…), one a line, as for \"intake serve -recipients\"")
	}
	w, err := review.Init(r.ws, recs)
	if err != nil {
		r.fatal(err)
	}
	defer w.Close()
	team, _ := w.Recipients()
	fmt.Fprintf(os.Stderr, "review: created workspace %s for %d team recipient(s)\n", r.ws, len(team))
}

func cmdImport(r *runner, args []string) {
	r.identityFlags()
	r.parse(args, anyArgs)
	if r.fs.NArg() == 0 {
		r.misuse("import needs BUNDLE, the bundle file to import (or - to read it from standard input)")
	}
	r.wantArgs(1)
	w := r.open()
	defer w.Close()
	path := r.fs.Arg(0)
	f, err := openArg(path)
	if err != nil {
		r.fatal(err)
	}
	defer f.Close()
	start := time.Now()
	var items int
	var read int64
	line := func(now time.Time) {
		mb := float64(read) / 1e6
		rate := mb / max(now.Sub(start).Seconds(), 1e-3)
		fmt.Fprintf(os.Stderr, "review: read %d submission record(s), %.1f MB, %.1f MB/s\n", items, mb, rate)
	}
	progress := func(n int, bytes int64) { items, read = n, bytes }
	// Every second, the bytes read so far, and how much of the file that
	// is: a record can be large, and a stick slow.
	m := newMeter(f, os.Stderr, start)
	tick := time.NewTicker(time.Second)
	m.run(tick.C)
	res, err := w.Import(bufio.NewReaderSize(m.reader(f), 1<<20), r.identities(), progress)
	tick.Stop()
	m.finish()
	if err != nil {
		r.fatal(err)
	}
	line(time.Now()) // always a final line, however quick the import
	fmt.Fprintf(os.Stderr, "review: imported %s: %d new submission record(s), custody entries %d to %d\n", path, res.Items, res.From, res.To)
	if res.Overshared > 0 {
		fmt.Fprintf(os.Stderr, "review: warning: %d part(s) are encrypted to more keys than this team has\n", res.Overshared)
		fmt.Fprintf(os.Stderr, "review: hint: compare the server's recipients file with \"review recipients -w WORKSPACE\"; a key you do not know there can read this testimony\n")
	}
}

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
	sums, bad, err := w.ListReadable(r.identities())
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
	if err := w.Show(id, r.identities(), os.Stdout); err != nil {
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
		r.c.Fatal(errors.New("refusing to write an attachment to a terminal"), "use -o FILE, or redirect standard output to a file")
	}
	w := r.open()
	defer w.Close()
	ids := r.identities()
	report := func(a review.Attachment) {
		fmt.Fprintf(os.Stderr, "review: wrote attachment %d (%d bytes) to %s\n", a.Number, a.Size, out)
	}
	if out == "-" {
		a, err := w.CopyAttachment(id, ids, n, os.Stdout)
		if err != nil {
			r.fatal(err)
		}
		report(a)
		return
	}
	a, o, err := w.PrepareAttachment(id, ids, n, out)
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
	hits, bad, err := w.SearchReadable(r.identities(), strings.Join(r.fs.Args(), " "))
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

func cmdNote(r *runner, args []string) {
	w, id, ids, text := r.writeText(args)
	defer w.Close()
	if err := w.Note(id, ids, text); err != nil {
		r.fatal(err)
	}
	fmt.Fprintf(os.Stderr, "review: note added to %s\n", id)
}

// writeText is what note and reply share: the submission ID argument, the
// workspace, the identities (checked before asking for text the reviewer
// would then lose), and the text, from standard input or, on a terminal,
// from $EDITOR.
func (r *runner) writeText(args []string) (*review.Workspace, vault.ID, []age.Identity, string) {
	r.identityFlags()
	r.parse(args, 1)
	id, w := r.submissionArg()
	ids := r.identities()
	if _, err := w.Unlock(ids); err != nil {
		w.Close()
		r.fatal(err)
	}
	var text string
	var err error
	if isTerminal(os.Stdin) {
		text, err = editNote()
	} else {
		text, err = review.ReadNote(os.Stdin)
	}
	if err != nil {
		w.Close()
		r.fatal(err)
	}
	return w, id, ids, text
}

func cmdTag(r *runner, args []string) {
	r.identityFlags()
	var remove bool
	r.fs.BoolVar(&remove, "d", false, "remove the tags")
	r.parse(args, -2)
	id, err := parseID(r.fs.Arg(0))
	if err != nil {
		r.c.Fatal(err, "")
	}
	tags := r.fs.Args()[1:]
	for _, t := range tags {
		if err := review.CheckTag(t); err != nil {
			r.misuse("%q is not a tag: a tag is letters, digits, '-', '_' and '.', and does not start with '-'", t)
		}
	}
	w := r.open()
	defer w.Close()
	add, del := tags, []string(nil)
	if remove {
		add, del = nil, tags
	}
	ids := r.identities()
	if err := w.Tag(id, ids, add, del); err != nil {
		r.fatal(err)
	}
	now, err := w.Tags(id, ids)
	if err != nil {
		r.fatal(err)
	}
	if len(now) == 0 {
		now = []string{"(none)"}
	}
	fmt.Fprintf(os.Stderr, "review: tags of %s now: %s\n", id, strings.Join(now, ", "))
}

func cmdCustody(r *runner, args []string) {
	r.identityFlags()
	r.parse(args, anyArgs)
	if r.fs.NArg() == 0 {
		custodyLog(r)
		return
	}
	r.wantArgs(1)
	id, w := r.submissionArg()
	defer w.Close()
	events, err := w.Custody(id)
	if err != nil {
		r.fatal(err)
	}
	// Which exports are this submission's is kept only sealed to the team
	// (provenance.go): with -i they are listed too.
	var exports []review.Export
	if len(r.idFiles) > 0 {
		if exports, err = w.Exports(id, r.identities()); err != nil {
			r.fatal(err)
		}
	}
	out := bufio.NewWriter(os.Stdout)
	line := func(day, chain string, seq uint64, actor, action, what string) {
		fmt.Fprintf(out, "%-10s  %-9s  %5d  %-26s  %-14s  %s\n", day, chain, seq, visible.Line(actor), action, visible.Line(what))
	}
	fmt.Fprintf(out, "%-10s  %-9s  %5s  %-26s  %-14s  %s\n", "DAY", "CHAIN", "ENTRY", "ACTOR", "ACTION", "WHAT")
	for _, e := range events {
		line(e.Day, e.Chain, e.Seq, e.Actor, e.Action, e.What)
	}
	for _, e := range exports {
		line(e.Day, "workspace", e.Seq, e.Actor, review.ActionExport, fmt.Sprintf("for %s, %s: %s", e.Use, e.Format, strings.Join(e.Files, ", ")))
		if e.Override {
			line(e.Day, "workspace", e.Seq, e.Actor, review.ActionOverride, "attachments let out with their metadata")
		}
	}
	if err := out.Flush(); err != nil {
		r.fatal(err)
	}
}

// custodyLog prints the workspace's whole custody log, for "review custody"
// without an ID.
func custodyLog(r *runner) {
	w := r.open()
	defer w.Close()
	events, err := w.Log()
	if err != nil {
		r.fatal(err)
	}
	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintf(out, "%-10s  %5s  %-26s  %-20s  %s\n", "DAY", "ENTRY", "ACTOR", "ACTION", "WHAT")
	for _, e := range events {
		fmt.Fprintf(out, "%-10s  %5d  %-26s  %-20s  %s\n", e.Day, e.Seq, visible.Line(e.Actor), e.Action, visible.Line(e.What))
	}
	if err := out.Flush(); err != nil {
		r.fatal(err)
	}
}

func cmdVerify(r *runner, args []string) {
	r.parse(args, 0)
	w := r.open()
	defer w.Close()
	rep, err := w.Verify()
	if err != nil {
		r.fatal(err)
	}
	for _, p := range rep.Warnings {
		fmt.Fprintf(os.Stderr, "review: warning: %s\n", p)
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(os.Stderr, "review: error: %s\n", p)
	}
	if !rep.OK() {
		fmt.Fprintf(os.Stderr, "review: hint: %d problem(s): do not import into or export from this workspace; restore it from a backup, or keep it for inspection\n", len(rep.Problems))
		r.c.Exit(1)
		return
	}
	fmt.Printf("ok: %d submission record(s), %d sealed original(s), %d bundle(s), server custody to entry %d, workspace custody to entry %d\n",
		rep.Items, rep.Objects, rep.Bundles, rep.Server.Seq, rep.Log.Seq)
}

func cmdRecipients(r *runner, args []string) {
	r.identityFlags()
	r.parse(args, anyArgs)
	switch r.fs.NArg() {
	case 0:
	case 2:
		if a := r.fs.Arg(0); a != "add" && a != "retire" {
			r.misuse("recipients takes add or retire, not %q", a)
		}
	default:
		r.misuse("recipients: wrong number of arguments")
	}
	w := r.open()
	defer w.Close()
	if r.fs.NArg() == 2 {
		recs, err := vault.ParseRecipients(strings.NewReader(r.fs.Arg(1)))
		if err != nil || len(recs) != 1 {
			r.c.Fatal(errors.New("RECIPIENT is not an age public key"), "give one public key (age1…), as age-keygen -y prints it")
		}
		ids := r.identities()
		if r.fs.Arg(0) == "add" {
			err = w.AddRecipient(ids, recs[0])
		} else {
			err = w.RetireRecipient(ids, recs[0])
		}
		if err != nil {
			r.fatal(err)
		}
		fmt.Fprintf(os.Stderr, "review: team changed; notes and tags re-encrypted; update the server's recipients file too (docs/reviewer.md)\n")
	}
	team, err := w.Recipients()
	if err != nil {
		r.fatal(err)
	}
	for _, t := range team {
		fmt.Printf("%s  %s\n", review.Fingerprint(t), t)
	}
}

func cmdReply(r *runner, args []string) {
	w, id, ids, text := r.writeText(args)
	defer w.Close()
	if err := w.Reply(id, ids, text); err != nil {
		r.fatal(err)
	}
	fmt.Fprintf(os.Stderr, "review: reply to %s written; send it with \"review send-replies\"\n", id)
}

func cmdOutbox(r *runner, args []string) {
	r.identityFlags()
	var cancel bool
	r.fs.BoolVar(&cancel, "cancel", false, "take the reply ID ENTRY out of the outbox, unsent")
	r.parse(args, anyArgs)
	w := r.open()
	defer w.Close()
	if cancel {
		r.wantArgs(2)
		id, err := parseID(r.fs.Arg(0))
		if err != nil {
			r.c.Fatal(err, "")
		}
		seq, err := strconv.ParseUint(r.fs.Arg(1), 10, 64)
		if err != nil {
			r.misuse("ENTRY is the reply's entry number, as \"review outbox\" lists it")
		}
		if err := w.CancelReply(id, seq, r.identities()); err != nil {
			r.fatal(err)
		}
		fmt.Fprintf(os.Stderr, "review: the reply to %s (entry %d) is cancelled; it will not be sent\n", id, seq)
		return
	}
	r.wantArgs(0)
	waiting, err := w.Outbox(r.identities())
	if err != nil {
		r.fatal(err)
	}
	out := bufio.NewWriter(os.Stdout)
	for _, m := range waiting {
		fmt.Fprintf(out, "%s  %5d  %s  %s\n", m.To, m.Seq, m.Day, m.Actor)
		for _, l := range strings.Split(strings.TrimRight(visible.Text(m.Text), "\n"), "\n") {
			fmt.Fprintf(out, "    %s\n", l)
		}
	}
	if err := out.Flush(); err != nil {
		r.fatal(err)
	}
	if len(waiting) == 0 {
		fmt.Fprintln(os.Stderr, "review: no replies waiting to be sent")
	}
}

func cmdSendReplies(r *runner, args []string) {
	r.identityFlags()
	var out string
	r.fs.StringVar(&out, "o", "", "reply bundle to write")
	r.fs.StringVar(&out, "output", "", "same as -o")
	r.parse(args, 0)
	if out == "" {
		r.misuse("send-replies needs -o FILE (or -o - for standard output)")
	}
	if out == "-" && isTerminal(os.Stdout) {
		r.c.Fatal(errors.New("refusing to write a reply bundle to a terminal"), "use -o FILE, or redirect standard output to a file")
	}
	w := r.open()
	defer w.Close()
	ids := r.identities()
	var n int
	var sent func(vault.Hash) error
	var sum vault.Hash
	var err error
	if out == "-" {
		// What reaches standard output is all the outbox can know of:
		// the replies leave it once every byte was written.
		h := sha256.New()
		bw := bufio.NewWriter(io.MultiWriter(os.Stdout, h))
		if n, sent, err = w.SendReplies(bw, ids); err == nil {
			err = bw.Flush()
		}
		h.Sum(sum[:0])
		out = "standard output"
	} else {
		sum, err = safefile.WriteNew(out, func(f io.Writer) error {
			var err error
			n, sent, err = w.SendReplies(f, ids)
			return err
		})
	}
	if errors.Is(err, safefile.ErrExists) {
		r.c.Fatal(err, "nothing was written; choose a new name with -o")
	}
	if err != nil {
		r.fatal(err)
	}
	if err := sent(sum); err != nil {
		r.fatal(fmt.Errorf("%s is written, but the replies stay in the outbox: %w", out, err))
	}
	file := out
	if file == "standard output" {
		file = "FILE"
	}
	fmt.Fprintf(os.Stderr, "review: wrote %d repl%s to %s; on the server: intake import-replies -data DIR %s\n", n, map[bool]string{true: "y", false: "ies"}[n == 1], out, file)
}

func cmdRedact(r *runner, args []string) {
	r.identityFlags()
	var print, startOver bool
	var planFile, namesFile string
	r.fs.BoolVar(&print, "print", false, "write the plan on standard output")
	r.fs.BoolVar(&startOver, "start-over", false, "ignore the stored plan: the detectors' suggestion for her text as it is now")
	r.fs.StringVar(&planFile, "plan", "", "store the edited plan in FILE (- for standard input)")
	r.fs.StringVar(&namesFile, "names", "", "the organisation's names list")
	r.parse(args, 1)
	if print && planFile != "" {
		r.misuse("give -print or -plan, not both")
	}
	if startOver && planFile != "" {
		r.misuse("-start-over makes a new suggestion to edit; it does not go with -plan")
	}
	id, err := parseID(r.fs.Arg(0))
	if err != nil {
		r.c.Fatal(err, "")
	}
	opts := &redact.Options{}
	if namesFile != "" {
		b, err := os.ReadFile(namesFile)
		if err != nil {
			r.fatal(err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
				opts.Names = append(opts.Names, redact.Term{Text: l})
			}
		}
	}
	w := r.open()
	defer w.Close()
	ids := r.identities()
	var plan []byte
	switch {
	case planFile != "":
		f, err := openArg(planFile)
		if err != nil {
			r.fatal(err)
		}
		plan, err = io.ReadAll(io.LimitReader(f, 64<<20))
		f.Close()
		if err != nil {
			r.fatal(err)
		}
	default:
		current, origin, err := w.Plan(id, ids, opts, startOver)
		if err != nil {
			r.fatal(err)
		}
		switch {
		case origin.Resuggested && origin.Carried.From >= 0:
			fmt.Fprintf(os.Stderr, "review: her text changed since the plan was stored (she added to it): this is a new plan, keeping your %d decision(s) on the earlier text and suggesting %d for what she added; check it and store it, then it needs a new approval\n", origin.Carried.Kept, origin.Carried.New)
		case origin.Resuggested:
			fmt.Fprintf(os.Stderr, "review: her text changed since the plan was stored: this is a new plan, keeping %d of your decisions (%d no longer fit her text) and suggesting %d; check it and store it, then it needs a new approval\n", origin.Carried.Kept, origin.Carried.Dropped, origin.Carried.New)
		case !origin.Stored && !startOver:
			fmt.Fprintf(os.Stderr, "review: no plan is stored yet: this is the detectors' suggestion; check it and store it with -plan\n")
		}
		if print {
			os.Stdout.Write(current)
			return
		}
		if !isTerminal(os.Stdin) {
			r.misuse("standard input is not a terminal: use -print, edit, then -plan FILE")
		}
		if plan, err = editText(current, "plan"); err != nil {
			r.fatal(err)
		}
	}
	if err := w.SavePlan(id, ids, plan); err != nil {
		r.fatal(err)
	}
	fmt.Fprintf(os.Stderr, "review: plan for %s stored; a second reviewer approves it with \"review approve\"\n", id)
}

func cmdApprove(r *runner, args []string) {
	r.identityFlags()
	r.parse(args, 1)
	id, w := r.submissionArg()
	defer w.Close()
	h, err := w.Approve(id, r.identities())
	if err != nil {
		r.fatal(err)
	}
	fmt.Fprintf(os.Stderr, "review: plan %s… of %s approved\n", h.String()[:16], id)
}

func cmdExport(r *runner, args []string) {
	r.identityFlags()
	var use, format, out string
	r.fs.StringVar(&use, "use", "", "the use: publish, quote, un or court")
	r.fs.StringVar(&format, "format", "json", "json, md, csv or uwazi")
	r.fs.StringVar(&out, "o", "", "file to write")
	r.fs.StringVar(&out, "output", "", "same as -o")
	var attachDir string
	var override bool
	r.fs.StringVar(&attachDir, "attachments", "", "directory to write the cleaned attachments into")
	r.fs.BoolVar(&override, "allow-uncleanable", false, "export attachments whose metadata cannot be removed (recorded in custody)")
	var leaveOut stringsFlag
	r.fs.Var(&leaveOut, "leave-out", "with -attachments: leave attachment N behind (may be repeated)")
	r.parse(args, 1)
	if use == "" || out == "" {
		r.misuse("export needs -use USE and -o FILE")
	}
	if out == "-" {
		// A statement is published whole with its custody entry, or not at
		// all; a pipe cannot take back a statement the residual check or
		// an attachment then stops.
		r.misuse("export writes a file: -o - (standard output) is refused, since an export is written whole with its custody record or not at all; give -o FILE")
	}
	if override && attachDir == "" {
		r.misuse("-allow-uncleanable goes with -attachments DIR")
	}
	if !slices.Contains(review.Formats, format) {
		r.misuse("unknown format %q: use json, md, csv or uwazi", format)
	}
	id, w := r.submissionArg()
	defer w.Close()
	opts := review.ExportOptions{Use: vault.Use(use), Format: format, Output: out, AttachmentsDir: attachDir, AllowUncleanable: override}
	if len(leaveOut) > 0 && attachDir == "" {
		r.misuse("-leave-out goes with -attachments DIR")
	}
	for _, v := range leaveOut {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			r.misuse("-leave-out takes an attachment's number, 1 or more, as \"review show\" lists them, not %q", v)
		}
		opts.LeaveOut = append(opts.LeaveOut, n)
	}
	o, err := w.PrepareExport(id, r.identities(), opts)
	if err == nil {
		// Every file published, the export recorded and reported, whole
		// or not at all.
		interrupt.Critical(func() {
			if err = o.Publish(); err == nil {
				fmt.Fprintf(os.Stderr, "review: statement of %s for %s written to %s\n", id, use, out)
				for _, p := range o.Paths()[1:] {
					fmt.Fprintf(os.Stderr, "review: attachment written to %s\n", p)
				}
			}
		})
	}
	if errors.Is(err, safefile.ErrExists) {
		hint := "nothing was written; choose a new name with -o"
		if attachDir != "" && !strings.HasSuffix(strings.TrimSuffix(err.Error(), ": "+safefile.ErrExists.Error()), out) {
			hint = "nothing was written; choose an empty directory with -attachments"
		}
		r.c.Fatal(err, hint)
	}
	if err != nil {
		r.fatal(err)
	}
}

func cmdProve(r *runner, args []string) {
	r.identityFlags()
	r.parse(args, 1)
	w := r.open()
	defer w.Close()
	statement, err := os.ReadFile(r.fs.Arg(0))
	if err != nil {
		r.fatal(err)
	}
	p, err := w.Prove(r.identities(), statement)
	if errors.Is(err, review.ErrNoProvenance) {
		r.c.Fatal(err, "give a statement exactly as \"review export\" wrote it, with the workspace it was exported from")
	}
	if err != nil {
		r.fatal(err)
	}
	fmt.Printf("submission     %s\n", p.Submission)
	fmt.Printf("statement key  %s\n", p.StatementKey)
	for _, h := range p.Originals {
		fmt.Printf("original       %s\n", h)
	}
}

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"testimony/internal/interrupt"
	"testimony/internal/safefile"
	"testimony/review"
	"testimony/review/redact"
	"testimony/vault"
)

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
	rv := r.unlock(w)
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
		current, origin, err := rv.Plan(id, opts, startOver)
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
	if err := rv.SavePlan(id, plan); err != nil {
		r.fatal(err)
	}
	fmt.Fprintf(os.Stderr, "review: plan for %s stored; a second reviewer approves it with \"review approve\"\n", id)
}

func cmdApprove(r *runner, args []string) {
	r.identityFlags()
	r.parse(args, 1)
	id, w := r.submissionArg()
	defer w.Close()
	h, err := r.unlock(w).Approve(id)
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
	if out == "-" && format == "uwazi" && isTerminal(os.Stdout) {
		// A zip, as age refuses to print a binary file.
		r.c.Fatal(errors.New("refusing to output binary to the terminal"), "a -format uwazi export is a zip: redirect standard output to a file, or use -o FILE")
	}
	if override && attachDir == "" {
		r.misuse("-allow-uncleanable goes with -attachments DIR")
	}
	if !slices.Contains(review.Formats, format) {
		r.misuse("unknown format %q: use json, md, csv or uwazi", format)
	}
	id, w := r.submissionArg()
	defer w.Close()
	opts := review.ExportOptions{Use: vault.Use(use), Format: format, Output: out, Stdout: os.Stdout, AttachmentsDir: attachDir, AllowUncleanable: override}
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
	// Attachments are what takes long: the meter counts them as they are
	// read, and ends with a line of its own.
	m := newMeter(nil, os.Stderr, time.Now())
	m.what = "reading attachments"
	if attachDir != "" {
		opts.Progress = &m.ByteCount
		m.onTerminal(os.Stderr)
	}
	o, err := r.unlock(w).PrepareExport(id, opts)
	m.finish()
	if err == nil {
		if m.Total.Load() > 0 {
			fmt.Fprintln(os.Stderr, m.line(time.Now()))
		}
		// Every file published, the export recorded and reported, whole
		// or not at all.
		interrupt.Critical(func() {
			if err = o.Publish(); err == nil {
				paths := o.Paths()
				if out == "-" {
					out = "standard output"
				} else {
					paths = paths[1:]
				}
				fmt.Fprintf(os.Stderr, "review: statement of %s for %s written to %s\n", id, use, out)
				for _, p := range paths {
					fmt.Fprintf(os.Stderr, "review: attachment written to %s\n", p)
				}
			}
		})
	}
	if errors.Is(err, safefile.ErrExists) {
		hint := "nothing was written; choose a new name with -o"
		// Which file is there says which flag to change.
		var exists *review.ExistsError
		if errors.As(err, &exists) && attachDir != "" && exists.Path != out {
			hint = "nothing was written; choose an empty directory with -attachments"
		}
		r.c.Fatal(err, hint)
	}
	if err != nil {
		r.fatal(err)
	}
}

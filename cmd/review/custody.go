package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"testimony/internal/visible"
	"testimony/review"
)

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
		if exports, err = r.unlock(w).Exports(id); err != nil {
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

func cmdProve(r *runner, args []string) {
	r.identityFlags()
	r.parse(args, 1)
	w := r.open()
	defer w.Close()
	statement, err := os.ReadFile(r.fs.Arg(0))
	if err != nil {
		r.fatal(err)
	}
	p, err := r.unlock(w).Prove(statement)
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

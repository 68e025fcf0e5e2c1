// Package clitest holds the extra testscript commands the intake and
// review CLI scripts share. They use the real vault API, never a mock.
package clitest

import (
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"testimony/intake"
	"testimony/vault"
)

// Commands returns the extra script commands:
//
//	status CODE PROG [ARGS...]          run PROG like exec; fail unless it exits with CODE
//	submit [-id VAR] [-repeat N] [-f FILE] [-replyto RECIPIENT] DATADIR [TEXT...]
//	                                    store a text submission in DATADIR as the server
//	                                    would (day 2024-05-01), its text from FILE or the
//	                                    arguments (repeated N times); set $VAR to its ID
//	perm MODE FILE                      fail unless FILE's permission bits are MODE (octal)
//	truncate FILE N                     keep the first N bytes of FILE; N < 0 drops -N bytes
//	flipbyte FILE OFFSET                flip the bits of one byte; OFFSET < 0 counts from the end
//	replies BUNDLE KEYFILE ID TEXT OUT  write a reply bundle for submission ID, as reviewers
//	                                    do: the reply key and auth key come from BUNDLE
//	decrypt KEYFILE IN OUT              decrypt an age file, as age -d does
func Commands() map[string]func(*testscript.TestScript, bool, []string) {
	return map[string]func(*testscript.TestScript, bool, []string){
		"status":   status,
		"submit":   submit,
		"perm":     perm,
		"truncate": truncate,
		"flipbyte": flipbyte,
		"replies":  replies,
		"decrypt":  decrypt,
	}
}

// submitDay is the day submissions made by cmdSubmit are recorded on.
var submitDay = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// status runs a program like exec and checks its exit status exactly,
// so that scripts tell errors (1) from misuse (2).
func status(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! status")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: status CODE PROG [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("status: bad exit code %q", args[0])
	}
	got := 0
	var exitErr *exec.ExitError
	switch err := ts.Exec(args[1], args[2:]...); {
	case err == nil:
	case errors.As(err, &exitErr):
		got = exitErr.ExitCode()
	default:
		ts.Fatalf("status: %v", err)
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// submit stores a text submission with the real vault API, as the
// server does for a form without attachments.
func submit(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! submit")
	}
	fs := flag.NewFlagSet("submit", flag.ContinueOnError)
	idVar := fs.String("id", "", "environment variable to set to the submission's ID")
	file := fs.String("f", "", "file holding the text")
	repeat := fs.Int("repeat", 1, "repeat the text this many times")
	replyTo := fs.String("replyto", "", "her reply key (an age recipient), stored as a reply-key part")
	if err := fs.Parse(args); err != nil || fs.NArg() < 1 || (*file == "") == (fs.NArg() == 1) || *repeat < 1 {
		ts.Fatalf("usage: submit [-id VAR] [-repeat N] [-f FILE] [-replyto RECIPIENT] DATADIR [TEXT...] (TEXT or -f, not both)")
	}
	dir := ts.MkAbs(fs.Arg(0))
	text := strings.Join(fs.Args()[1:], " ")
	if *file != "" {
		text = ts.ReadFile(*file)
	}
	recs, err := intake.LoadRecipients(filepath.Join(dir, intake.RecipientsFile))
	ts.Check(err)
	store, err := vault.Open(filepath.Join(dir, intake.StoreFile), &vault.Options{Now: func() time.Time { return submitDay }})
	ts.Check(err)
	defer store.Close()
	sub := store.Begin(recs)
	w, err := sub.CreatePart(vault.PartHeader{Kind: vault.KindText})
	ts.Check(err)
	_, err = w.Write([]byte(strings.Repeat(text, *repeat)))
	ts.Check(err)
	ts.Check(w.Close())
	if *replyTo != "" {
		w, err := sub.CreatePart(vault.PartHeader{Kind: vault.KindReplyKey})
		ts.Check(err)
		_, err = w.Write([]byte(*replyTo))
		ts.Check(err)
		ts.Check(w.Close())
	}
	id, err := sub.Commit(nil)
	ts.Check(err)
	ts.Check(store.Close())
	if *idVar != "" {
		ts.Setenv(*idVar, string(id))
	}
}

// perm checks a file's permission bits, such as 0600 for a bundle.
func perm(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: perm MODE FILE")
	}
	want, err := strconv.ParseUint(args[0], 8, 32)
	ts.Check(err)
	info, err := os.Stat(ts.MkAbs(args[1]))
	ts.Check(err)
	if got := info.Mode().Perm(); got != os.FileMode(want) {
		ts.Fatalf("%s has mode %#o, want %#o", args[1], got, want)
	}
}

// truncate shortens a file, to damage a bundle.
func truncate(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: truncate FILE N")
	}
	path := ts.MkAbs(args[0])
	n, err := strconv.ParseInt(args[1], 10, 64)
	ts.Check(err)
	info, err := os.Stat(path)
	ts.Check(err)
	if n < 0 {
		n += info.Size()
	}
	if n < 0 || n > info.Size() {
		ts.Fatalf("truncate: %s has %d bytes", args[0], info.Size())
	}
	ts.Check(os.Truncate(path, n))
}

// flipbyte flips the bits of one byte of a file, to alter a bundle.
func flipbyte(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: flipbyte FILE OFFSET")
	}
	path := ts.MkAbs(args[0])
	off, err := strconv.Atoi(args[1])
	ts.Check(err)
	b, err := os.ReadFile(path)
	ts.Check(err)
	if off < 0 {
		off += len(b)
	}
	if off < 0 || off >= len(b) {
		ts.Fatalf("flipbyte: %s has %d bytes", args[0], len(b))
	}
	b[off] ^= 0xff
	ts.Check(os.WriteFile(path, b, 0o600))
}

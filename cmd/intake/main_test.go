package main

import (
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"testimony/intake"
	"testimony/vault"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"intake": main})
}

// TestScript runs the scripts in testdata, one behaviour each, against the
// real intake command.
//
// Extra commands:
//
//	status CODE PROG [ARGS...]          run PROG like exec; fail unless it exits with CODE
//	submit [-id VAR] [-repeat N] [-f FILE] DATADIR [TEXT...]
//	                                    store a text submission in DATADIR as the server
//	                                    would (day 2024-05-01), its text from FILE or the
//	                                    arguments (repeated N times); set $VAR to its ID
//	perm MODE FILE                      fail unless FILE's permission bits are MODE (octal)
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata",
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"status": cmdStatus,
			"submit": cmdSubmit,
			"perm":   cmdPerm,
		},
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
	})
}

// cmdStatus runs a program like exec and checks its exit status exactly,
// so that scripts tell errors (1) from misuse (2).
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
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

// submitDay is the day submissions made by cmdSubmit are recorded on.
var submitDay = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// cmdSubmit stores a text submission with the real vault API, as the
// server does for a form without attachments.
func cmdSubmit(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! submit")
	}
	fs := flag.NewFlagSet("submit", flag.ContinueOnError)
	idVar := fs.String("id", "", "environment variable to set to the submission's ID")
	file := fs.String("f", "", "file holding the text")
	repeat := fs.Int("repeat", 1, "repeat the text this many times")
	if err := fs.Parse(args); err != nil || fs.NArg() < 1 || (*file == "") == (fs.NArg() == 1) || *repeat < 1 {
		ts.Fatalf("usage: submit [-id VAR] [-repeat N] [-f FILE] DATADIR [TEXT...] (TEXT or -f, not both)")
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
	id, err := sub.Commit(nil)
	ts.Check(err)
	ts.Check(store.Close())
	if *idVar != "" {
		ts.Setenv(*idVar, string(id))
	}
}

// cmdPerm checks a file's permission bits, such as 0600 for a bundle.
func cmdPerm(ts *testscript.TestScript, neg bool, args []string) {
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

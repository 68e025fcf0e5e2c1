package main

import (
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"testimony/intake"
	"testimony/vault"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"review": main})
}

// TestScript runs the scripts in testdata, one behaviour each. They run the
// real review command, and the real intake command built once for them, so
// bundles come from "intake export" exactly as reviewers receive them.
//
// Extra commands:
//
//	status CODE PROG [ARGS...]          run PROG like exec; fail unless it exits with CODE
//	submit [-id VAR] [-repeat N] [-f FILE] DATADIR [TEXT...]
//	                                    store a text submission in DATADIR as the server
//	                                    would (day 2024-05-01), its text from FILE or the
//	                                    arguments (repeated N times); set $VAR to its ID
//	truncate FILE N                     keep the first N bytes of FILE; N < 0 drops -N bytes
//	flipbyte FILE OFFSET                flip the bits of one byte; OFFSET < 0 counts from the end
func TestScript(t *testing.T) {
	bin := buildIntake(t)
	testscript.Run(t, testscript.Params{
		Dir: "testdata",
		Setup: func(e *testscript.Env) error {
			e.Setenv("PATH", bin+string(filepath.ListSeparator)+e.Getenv("PATH"))
			return nil
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"status":   cmdStatus,
			"submit":   cmdSubmit,
			"truncate": cmdTruncate,
			"flipbyte": cmdFlipbyte,
		},
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
	})
}

// buildIntake builds cmd/intake into a temporary directory and returns it.
func buildIntake(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	dir := t.TempDir()
	name := "intake"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	out, err := exec.Command(goTool, "build", "-o", filepath.Join(dir, name), "testimony/cmd/intake").CombinedOutput()
	if err != nil {
		t.Fatalf("building intake: %v\n%s", err, out)
	}
	return dir
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

// cmdTruncate shortens a file, to damage a bundle.
func cmdTruncate(ts *testscript.TestScript, neg bool, args []string) {
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

// cmdFlipbyte flips the bits of one byte of a file, to alter a bundle.
func cmdFlipbyte(ts *testscript.TestScript, neg bool, args []string) {
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

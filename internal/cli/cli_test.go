package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestErrorsAreShownEscaped: an error may quote what someone else wrote (a
// file name, a line of a plan): it reaches the terminal with its controls
// escaped.
func TestErrorsAreShownEscaped(t *testing.T) {
	var out bytes.Buffer
	c := &CLI{name: "review", Stderr: &out, Exit: func(int) {}}
	c.Fatal(errors.New("attachment \"a\x1b]0;PWNED\x07\u202eexe\": bad"), "hint \x1b[2J")
	c.Misuse("flag %q\r%s", "x", "\x1b[8mhidden")
	got := out.String()
	if strings.ContainsAny(got, "\x1b\x07\r\u202e") {
		t.Fatalf("a control reached the terminal: %q", got)
	}
	for _, want := range []string{`\x1b]0;PWNED\x07\u202eexe`, `hint \x1b[2J`, `\x0d\x1b[8mhidden`} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in %q", want, got)
		}
	}
}

// TestFatalPrintsTheErrorAsWritten: the message is the error's own, not
// rewritten; a name it quotes keeps every character, "review: " too.
func TestFatalPrintsTheErrorAsWritten(t *testing.T) {
	var out bytes.Buffer
	code := -1
	c := &CLI{name: "review", Stderr: &out, Exit: func(n int) { code = n }}
	c.Fatal(errors.New(`attachment "review: notes.txt" is not in the submission`), "run \"review show\" to list them")
	want := "review: error: attachment \"review: notes.txt\" is not in the submission\n" +
		"review: hint: run \"review show\" to list them\n"
	if out.String() != want || code != 1 {
		t.Fatalf("got %q, exit %d; want %q, exit 1", out.String(), code, want)
	}
}

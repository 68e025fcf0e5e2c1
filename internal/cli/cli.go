// Package cli holds what the intake and review commands share: errors and
// hints in age's style, and flag parsing with usage on misuse.
package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"testimony/internal/visible"
)

// CLI prints messages as "name: error: …" and "name: hint: …".
type CLI struct {
	name, usage string
	// Stderr is where messages go; tests may replace it.
	Stderr io.Writer
	// Exit ends the program; tests may replace it.
	Exit func(int)
}

// New returns a CLI for the command name with its usage text.
func New(name, usage string) *CLI {
	return &CLI{name: name, usage: usage, Stderr: os.Stderr, Exit: os.Exit}
}

// Usage prints the usage text to stderr and exits with status 2.
func (c *CLI) Usage() {
	fmt.Fprint(c.Stderr, c.usage)
	c.Exit(2)
}

// Misuse reports a usage error and exits with status 2.
func (c *CLI) Misuse(format string, args ...any) {
	fmt.Fprintf(c.Stderr, "%s: error: %s\n", c.name, visible.Line(fmt.Sprintf(format, args...)))
	fmt.Fprintf(c.Stderr, "%s: hint: run \"%s -h\" for usage\n", c.name, c.name)
	c.Exit(2)
}

// Fatal reports err, and hint if not empty, and exits with status 1.
func (c *CLI) Fatal(err error, hint string) {
	// The message is printed as the error says it: the packages' errors
	// carry no package prefix, as age's do, so nothing needs cutting out
	// (and cutting "review: " out of a message would also cut it out of
	// what the message quotes). An error may quote what someone else wrote
	// (a file name, a line of a plan): nothing in it may act on the
	// terminal.
	fmt.Fprintf(c.Stderr, "%s: error: %s\n", c.name, visible.Line(err.Error()))
	if hint != "" {
		fmt.Fprintf(c.Stderr, "%s: hint: %s\n", c.name, visible.Line(hint))
	}
	c.Exit(1)
}

// Unknown reports an unknown subcommand, suggesting the closest known one.
func (c *CLI) Unknown(cmd string, known ...string) {
	fmt.Fprintf(c.Stderr, "%s: error: unknown command %q\n", c.name, cmd)
	best, bestD := "", 3
	for _, k := range known {
		if d := distance(cmd, k); d < bestD {
			best, bestD = k, d
		}
	}
	if best != "" {
		fmt.Fprintf(c.Stderr, "%s: hint: did you mean \"%s %s\"?\n", c.name, c.name, best)
	} else {
		fmt.Fprintf(c.Stderr, "%s: hint: run \"%s -h\" for usage\n", c.name, c.name)
	}
	c.Exit(2)
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// FlagSet returns a flag set for a subcommand that prints the command's
// usage on -h.
func (c *CLI) FlagSet(sub string) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name+" "+sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// Parse parses args and checks the number of positional arguments is
// exactly n (or at least -n when n is negative).
func (c *CLI) Parse(fs *flag.FlagSet, args []string, n int) {
	err := fs.Parse(args)
	if err == flag.ErrHelp {
		fmt.Fprint(os.Stdout, c.usage)
		c.Exit(0)
		return
	}
	if err != nil {
		c.Misuse("%v", err)
		return
	}
	if n >= 0 && fs.NArg() != n || n < 0 && fs.NArg() < -n {
		c.Misuse("%s: wrong number of arguments", strings.TrimPrefix(fs.Name(), c.name+" "))
	}
}

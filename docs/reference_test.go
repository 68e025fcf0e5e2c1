// Package docs holds tests that keep the documentation in this directory
// true to the programs: docs/reference.md against the real usage texts.
// It has no other code.
package docs

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"testimony/tests/harness"
)

func TestMain(m *testing.M) { harness.Main(m) }

var updateReference = flag.Bool("update-reference", false, "rewrite the usage blocks in reference.md from the programs' -h output")

const reference = "reference.md"

var programs = []string{"intake", "review"}

// block is a fenced code block of reference.md that starts with a command
// line, "$ intake -h", and then shows what it prints.
type block struct {
	args        []string // after the "$ "
	first, last int      // the lines of the shown output, last exclusive
}

var (
	fence     = regexp.MustCompile("^```")
	heading   = regexp.MustCompile(`^#{2,3} (intake|review)(?: ([a-z-]+))?$`)
	usageLine = regexp.MustCompile(`(?m)^    (intake|review) ([a-z-]+)\b`)
	flagToken = regexp.MustCompile(`(?:^|[\s\[(])(-[a-z][a-z-]*)\b`)
)

// TestReferenceMatchesUsage keeps docs/reference.md true to the programs.
// Every "$ PROGRAM ARGS" block in it must show exactly what the freshly
// built program prints; every command the programs list has a section
// ("### intake serve") and, unless "COMMAND -h" prints the same as the
// program's overview, its own usage block; every flag any usage text
// names is described in the prose (as `-flag`, outside the blocks). With
// -update-reference the blocks are rewritten from the programs' output;
// the prose is yours to write.
func TestReferenceMatchesUsage(t *testing.T) {
	b, err := os.ReadFile(reference)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	blocks, prose, sections := parse(t, lines)

	run := func(args []string) string {
		t.Helper()
		stdout, err := harness.Program{Name: args[0]}.Command(t, args[1:]...).Run()
		if err != nil {
			t.Error(err)
		}
		return stdout
	}

	// Every block shows what its command prints.
	shown := map[string]bool{}
	var rewritten []string
	next := 0
	for _, bl := range blocks {
		cmdline := strings.Join(bl.args, " ")
		shown[cmdline] = true
		got := run(bl.args)
		want := strings.Join(lines[bl.first:bl.last], "\n") + "\n"
		if *updateReference {
			rewritten = append(rewritten, lines[next:bl.first]...)
			rewritten = append(rewritten, strings.Split(strings.TrimSuffix(got, "\n"), "\n")...)
			next = bl.last
			continue
		}
		if got != want {
			t.Errorf("%s:%d: \"$ %s\" shows a different text from what it prints (go test ./docs -update-reference rewrites it):\n%s", reference, bl.first, cmdline, diff(want, got))
		}
	}
	if *updateReference {
		rewritten = append(rewritten, lines[next:]...)
		if err := os.WriteFile(reference, []byte(strings.Join(rewritten, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// Every command has a section and, where it has its own, a usage block;
	// every flag is described.
	for _, prog := range programs {
		overview := run([]string{prog, "-h"})
		if !shown[prog+" -h"] {
			t.Errorf("%s: no \"$ %s -h\" block", reference, prog)
		}
		if !sections[prog] {
			t.Errorf("%s: no \"## %s\" section", reference, prog)
		}
		usages := overview
		var cmds []string
		for _, m := range usageLine.FindAllStringSubmatch(overview, -1) {
			if m[1] == prog && !slices.Contains(cmds, m[2]) {
				cmds = append(cmds, m[2])
			}
		}
		if len(cmds) == 0 {
			t.Errorf("%s -h lists no commands", prog)
		}
		for _, c := range cmds {
			if !sections[prog+" "+c] {
				t.Errorf("%s: no \"### %s %s\" section", reference, prog, c)
			}
			own := run([]string{prog, c, "-h"})
			usages += own
			if own != overview && !shown[prog+" "+c+" -h"] {
				t.Errorf("%s: no \"$ %s %s -h\" block; add under \"### %s %s\":\n```\n$ %s %s -h\n%s```", reference, prog, c, prog, c, prog, c, own)
			}
		}
		for _, m := range flagToken.FindAllStringSubmatchIndex(usages, -1) {
			if strings.HasSuffix(usages[:m[2]], "age ") {
				continue // age's own flag, as in "age -p"
			}
			if f := usages[m[2]:m[3]]; !strings.Contains(prose, "`"+f+"`") && !strings.Contains(prose, "`"+f+" ") {
				t.Errorf("%s: %s's flag %s is not described (write `%s` in the prose)", reference, prog, f, f)
			}
		}
	}
}

// parse finds the command blocks of reference.md, the text outside any
// block, and its "## intake", "### intake serve" headings.
func parse(t *testing.T, lines []string) (blocks []block, prose string, sections map[string]bool) {
	sections = map[string]bool{}
	var out strings.Builder
	for i := 0; i < len(lines); i++ {
		if m := heading.FindStringSubmatch(lines[i]); m != nil {
			sections[strings.TrimSpace(m[1]+" "+m[2])] = true
		}
		if !fence.MatchString(lines[i]) {
			out.WriteString(lines[i] + "\n")
			continue
		}
		start := i + 1
		end := start
		for end < len(lines) && !fence.MatchString(lines[end]) {
			end++
		}
		if end == len(lines) {
			t.Fatalf("%s:%d: a code block that does not end", reference, i+1)
		}
		if cmd, ok := strings.CutPrefix(lines[start], "$ "); ok && slices.Contains(programs, strings.Fields(cmd)[0]) {
			blocks = append(blocks, block{args: strings.Fields(cmd), first: start + 1, last: end})
		}
		i = end
	}
	return blocks, out.String(), sections
}

// diff shows the first line where want and got part.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n doc:     %q\n program: %q", i+1, wl, gl)
		}
	}
	return ""
}

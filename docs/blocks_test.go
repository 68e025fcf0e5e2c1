package docs

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"testimony/tests/harness"
	"testimony/tests/vaulttest"
	"testimony/vault"
)

// Every command block (```sh) of the README and the reviewers' and
// editors' guides says, in an HTML comment on the line before it, whether
// a test runs it ("<!-- doc: run -->") or why not ("<!-- doc: skip: a
// terminal prompt -->", "hardware key", "a template: …"). The blocks
// marked run are run, as written, by TestDocBlocksRun; a plain block
// marked "<!-- doc: file NAME -->" is the file NAME the blocks after it use.

var markRE = regexp.MustCompile(`^<!-- doc: (run|skip: [^>]+|file [^ >]+) -->$`)

type docBlock struct {
	file, mark string
	line       int
	lines      []string
}

func blocks(t *testing.T, file string) []docBlock {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	var out []docBlock
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l != "```sh" && l != "```" {
			continue
		}
		indent := lines[i][:strings.Index(lines[i], "```")]
		bl := docBlock{file: file, line: i + 1}
		for j := i - 1; j >= 0; j-- {
			if p := strings.TrimSpace(lines[j]); p != "" {
				if m := markRE.FindStringSubmatch(p); m != nil {
					bl.mark = m[1]
				}
				break
			}
		}
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			bl.lines = append(bl.lines, strings.TrimPrefix(lines[i], indent))
		}
		// A plain block counts only when marked as a file the blocks
		// after it use ("<!-- doc: file team.txt -->").
		if l == "```sh" || strings.HasPrefix(bl.mark, "file ") {
			out = append(out, bl)
		}
	}
	return out
}

var guides = []string{"../README.md", "reviewer.md", "editor.md"}

func TestDocBlocksMarked(t *testing.T) {
	for _, f := range guides {
		for _, b := range blocks(t, f) {
			if b.mark == "" {
				t.Errorf("%s:%d: a command docBlock without a mark: put \"<!-- doc: run -->\" or \"<!-- doc: skip: why -->\" on the line before it", b.file, b.line)
			}
		}
	}
}

// TestDocBlocksRun runs the blocks marked run, in order, in one directory,
// with the real binaries: "go run ./cmd/X" is the built X, and <ID> the
// submission the walkthrough made. The demo server the README starts
// first (a block marked skip: it serves until stopped) is started here,
// makes its demo key, and is stopped; a submission is then stored as the
// form stores one, since the walkthrough's first step is a person at a
// browser.
func TestDocBlocksRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the documented walkthrough with the real binaries")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("needs bash to run the documented command blocks")
	}
	intake := harness.Intake.Path(t)
	review := harness.Review.Path(t)
	dir := t.TempDir()
	c := harness.Intake.Command(t, "serve", "-demo", "-data", "./demo", "-addr", "127.0.0.1:0")
	c.Dir = dir
	p, _ := harness.Serve(c)
	p.Signal(syscall.SIGTERM)
	p.Wait()
	recs, err := vault.ParseRecipients(strings.NewReader(mustRead(t, filepath.Join(dir, "demo", "recipients.txt"))))
	if err != nil {
		t.Fatal(err)
	}
	store, err := vault.Open(filepath.Join(dir, "demo", "store.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := vaulttest.Submit(store, recs, vaulttest.Text("the account the walkthrough reads"),
		vaulttest.Part{Header: vault.PartHeader{Kind: vault.KindReplyKey}, Content: []byte("age16d2dlshc2xs4ncxu6v90ayv43zxuruvt63wwsq9rwrrqcjm0ec7s52p7v7")})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(dir, "home")
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, f := range guides {
		for _, b := range blocks(t, f) {
			if name, ok := strings.CutPrefix(b.mark, "file "); ok {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.Join(b.lines, "\n")+"\n"), 0o600); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if b.mark != "run" {
				continue
			}
			for _, l := range b.lines {
				if strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#") {
					continue
				}
				l = strings.ReplaceAll(l, "go run ./cmd/intake", intake)
				l = strings.ReplaceAll(l, "go run ./cmd/review", review)
				l = strings.ReplaceAll(l, "<ID>", string(id))
				if rest, ok := strings.CutPrefix(l, "review "); ok {
					l = review + " " + rest
				}
				cmd := exec.Command("bash", "-euo", "pipefail", "-c", l)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "HOME="+home) // ~/workspace is the test's
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("%s:%d: %s\n%v\n%s", b.file, b.line, l, err, out)
				}
				ran++
			}
		}
	}
	if ran == 0 {
		t.Fatal("no docBlock is marked run")
	}
	if !strings.Contains(mustRead(t, filepath.Join(dir, "replies.bin")), "testimony-replies/v1") {
		t.Error("the walkthrough did not end with a reply bundle")
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

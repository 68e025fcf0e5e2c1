package docs

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"testimony/internal/agekey"
	"testimony/tests/harness"
	"testimony/tests/vaulttest"
	"testimony/vault"
)

// Every command block (```sh) of the README and the reviewers' and
// editors' guides says, in an HTML comment on the line before it, whether
// a test runs it ("<!-- doc: run -->") or why not ("<!-- doc: skip: a
// terminal prompt -->", "hardware key", "a template: …"). The blocks
// marked run are run, as written, by TestDocBlocksRun (the README) and
// TestGuidesRun (the guides, whose placeholders ws, KEY, ID… name a real
// workspace, key and submission); a block marked "<!-- doc: serve -->"
// starts a server that runs until the test ends; a plain block marked
// "<!-- doc: file NAME -->" is the file NAME the blocks after it use. Only
// what needs a person at a terminal (a passphrase prompt, $EDITOR), a
// hardware key, a real deployment, or runs for minutes is skipped.

var markRE = regexp.MustCompile(`^<!-- doc: (run|serve|skip: [^>]+|file [^ >]+) -->$`)

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

// TestDocBlocksRun runs the README's blocks, in order, in one directory,
// with the real binaries: "go run ./cmd/X" is the built X, and <ID> the
// submission "review list" shows. The demo server the README starts first
// (a block marked serve) runs, on a free port, until the test ends: an
// account is sent to it through its form, exported and replied to while it
// runs, as the walkthrough says.
func TestDocBlocksRun(t *testing.T) {
	g := newGuideRun(t)
	// The walkthrough's first step is a person at a browser: she sends
	// the form, as a browser without JavaScript does.
	g.after["serve"] = func() {
		resp, err := http.Get(g.url + "/en/write")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := regexp.MustCompile(`name="n" value="([^"]+)"`).FindSubmatch(page)
		if m == nil {
			t.Fatalf("the demo's write page (status %d) has no form token", resp.StatusCode)
		}
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("n", string(m[1]))
		mw.WriteField("testimony", "the account the walkthrough reads")
		mw.Close()
		resp, err = http.Post(g.url+"/en/submit", mw.FormDataContentType(), &body)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("sending the form: status %d", resp.StatusCode)
		}
	}
	if g.run("../README.md") == 0 {
		t.Fatal("no block of the README is marked run")
	}
	if !strings.Contains(mustRead(t, filepath.Join(g.dir, "replies.bin")), "testimony-replies/v1") {
		t.Error("the walkthrough did not end with a reply bundle")
	}
}

// TestGuidesRun runs every block of the reviewers' and the editors' guides
// marked run, in order, as one team would: Ji-yeon makes her key with
// age-keygen as reviewer.md says, Mi-ran (whose key the test makes with
// age-keygen) is the team's second reviewer, the server is started with
// their team.txt (so intake serve accepts it), a submission is stored and
// exported with intake export, and the guides' commands import the bundle,
// read, note, tag, add and retire a key, check custody, plan, approve and
// export statements. The guides' placeholders are names in the directory
// the blocks run in: KEY and editor.key are Ji-yeon's key file, OTHER_KEY
// and second.key Mi-ran's, ws her workspace (~/workspace); ID is the
// submission, age1… a newcomer's public key, and /media/usb/ the directory.
func TestGuidesRun(t *testing.T) {
	g := newGuideRun(t)
	keygen := needAgeKeygen(t)
	for _, k := range []string{"second.key", "newcomer.key"} {
		if out, err := exec.Command(keygen, "-o", filepath.Join(g.dir, k)).CombinedOutput(); err != nil {
			t.Fatalf("age-keygen -o %s: %v\n%s", k, err, out)
		}
	}
	for name, target := range map[string]string{"KEY": "reviewer.key", "editor.key": "reviewer.key",
		"OTHER_KEY": "second.key", "ws": filepath.Join(g.home, "workspace")} {
		if err := os.Symlink(target, filepath.Join(g.dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(g.dir, "usb"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(g.dir, "note.txt"), []byte("she asked us to wait for her next visit\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	g.subst["age1…"] = g.publicKey("newcomer.key")
	g.subst["/media/usb/bundle.age"] = "usb/bundle.age"
	// The team file's example keys stand for the team's: Ji-yeon's, made
	// by the block before it, and Mi-ran's. Then the same file goes to the
	// server, as the guide says.
	g.files["team.txt"] = func(text string) string {
		text = strings.Replace(text, "age1m7lvcdt937s9ps877ryvttapm94ey5wqn820rlkkmlxjt2ncpdrsnm3xdv", g.publicKey("reviewer.key"), 1)
		return strings.Replace(text, "age1kjgzkx4fk0wz95g89yda0gf9c9psvlxlvhtxhg5ehujd7v5z2vzq64hpct", g.publicKey("second.key"), 1)
	}
	g.after["team.txt"] = func() {
		if err := os.Mkdir(filepath.Join(g.dir, "server"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Link(filepath.Join(g.dir, "team.txt"), filepath.Join(g.dir, "server", "recipients.txt")); err != nil {
			t.Fatal(err)
		}
		c := harness.Intake.Command(t, "serve", "-data", "server", "-recipients", "team.txt", "-help-dir", g.helpDir(), "-addr", "127.0.0.1:0")
		c.Dir = g.dir
		p, _ := harness.Serve(c)
		p.Signal(syscall.SIGTERM)
		p.Wait()
		g.id = g.store("server",
			vaulttest.Text("2019년 3월 14일에 회령에서 강을 건넜습니다. 중국에서 여러 해 동안 노동을 했습니다."),
			vaulttest.Consent(vault.UseReview, vault.UsePublish, vault.UseQuote),
			vaulttest.Attachment("photo.jpg", "image/jpeg", smallJPEG(t)))
		g.sh("intake export -data server -o usb/bundle.age")
	}
	ran := g.run("reviewer.md") + g.run("editor.md")
	if ran == 0 {
		t.Fatal("no block of the guides is marked run")
	}
	for _, f := range []string{"photo.jpg", "statement.json", "statement.md", "statement.csv", "out/attachment-1.jpg"} {
		if _, err := os.Stat(filepath.Join(g.dir, f)); err != nil {
			t.Errorf("the guides' commands did not write %s: %v", f, err)
		}
	}
}

// guideRun is one directory the blocks of guides run in, in order.
type guideRun struct {
	t         *testing.T
	dir, home string
	bin, url  string // the binaries' directory; the URL a serve block serves on
	env       []string
	id        vault.ID
	subst     map[string]string              // placeholder word → what it stands for
	files     map[string]func(string) string // file block → its text as written
	after     map[string]func()              // file block → what follows it
}

func newGuideRun(t *testing.T) *guideRun {
	if testing.Short() {
		t.Skip("runs the documented commands with the real binaries")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("needs bash to run the documented command blocks")
	}
	bin := filepath.Dir(harness.Intake.Path(t))
	harness.Review.Path(t)
	g := &guideRun{t: t, dir: t.TempDir(), bin: bin, subst: map[string]string{},
		files: map[string]func(string) string{}, after: map[string]func(){}}
	g.home = filepath.Join(g.dir, "home")
	if err := os.Mkdir(g.home, 0o700); err != nil {
		t.Fatal(err)
	}
	// review and intake are the binaries built from this tree; ~ is the
	// test's; the editor the guides open saves what it was given.
	g.env = append(os.Environ(), "PATH="+bin+string(filepath.ListSeparator)+os.Getenv("PATH"), "HOME="+g.home, "EDITOR=true", "VISUAL=")
	return g
}

// store stores a submission of parts in the data directory dir, as the
// form stores one, encrypted to its recipients file.
func (g *guideRun) store(dir string, parts ...vaulttest.Part) vault.ID {
	t := g.t
	t.Helper()
	recs, err := agekey.ParseRecipients(strings.NewReader(mustRead(t, filepath.Join(g.dir, dir, "recipients.txt"))))
	if err != nil {
		t.Fatal(err)
	}
	store, err := vault.Open(filepath.Join(g.dir, dir, "store.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := vaulttest.Submit(store, recs, parts...)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	return id
}

// helpDir writes the organisation's help texts, which serve requires
// (docs/deploy.md), and returns their directory.
func (g *guideRun) helpDir() string {
	help := filepath.Join(g.dir, "help")
	if err := os.MkdirAll(help, 0o700); err != nil {
		g.t.Fatal(err)
	}
	for _, l := range []string{"ko", "zh", "en"} {
		if err := os.WriteFile(filepath.Join(help, "help."+l+".txt"), []byte("the organisation's contacts\n"), 0o600); err != nil {
			g.t.Fatal(err)
		}
	}
	return help
}

// publicKey is the public key of the identity file, as age-keygen -y
// prints it.
func (g *guideRun) publicKey(file string) string {
	return strings.TrimSpace(g.sh("age-keygen -y " + file))
}

var placeholderRE = regexp.MustCompile(`(?:^|\s)(<ID>|ID|age1…|/media/usb/bundle\.age)(?:\s|$)`)

// run runs file's blocks, each line on its own as a reader would type it,
// and returns how many lines ran.
func (g *guideRun) run(file string) int {
	ran := 0
	for _, b := range blocks(g.t, file) {
		if name, ok := strings.CutPrefix(b.mark, "file "); ok {
			text := strings.Join(b.lines, "\n") + "\n"
			if f := g.files[name]; f != nil {
				text = f(text)
			}
			if err := os.WriteFile(filepath.Join(g.dir, name), []byte(text), 0o600); err != nil {
				g.t.Fatal(err)
			}
			if f := g.after[name]; f != nil {
				f()
			}
			continue
		}
		if b.mark == "serve" {
			g.serve(b)
			continue
		}
		if b.mark != "run" {
			continue
		}
		for _, l := range b.lines {
			if strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#") {
				continue
			}
			l = strings.ReplaceAll(l, "go run ./cmd/", "")
			l = placeholderRE.ReplaceAllStringFunc(l, func(m string) string {
				w := strings.TrimSpace(m)
				v := g.subst[w]
				if w == "ID" || w == "<ID>" {
					v = string(g.id)
				}
				return strings.Replace(m, w, v, 1)
			})
			out, err := g.try(l)
			if err != nil {
				g.t.Fatalf("%s:%d: %s\n%v", b.file, b.line, l, err)
			}
			g.t.Logf("%s:%d: %s\n%s", b.file, b.line, l, out)
			if f := strings.Fields(out); g.id == "" && strings.Contains(l, "review list") && len(f) > 0 {
				g.id = vault.ID(f[0]) // as a reader copies it
			}
			ran++
		}
	}
	return ran
}

// serve starts each line of b, a server that runs until stopped, on a
// free loopback port (its last -addr wins), until the test ends, and then
// runs what follows b.
func (g *guideRun) serve(b docBlock) {
	for _, l := range b.lines {
		l, _, _ = strings.Cut(l, "#")
		f := strings.Fields(strings.ReplaceAll(l, "go run ./cmd/", ""))
		if len(f) == 0 {
			continue
		}
		c := harness.Command(g.t, filepath.Join(g.bin, f[0]), append(f[1:], "-addr", "127.0.0.1:0")...)
		c.Dir = g.dir
		p, url := harness.Serve(c)
		g.url = url
		g.t.Cleanup(func() {
			p.Signal(syscall.SIGTERM)
			p.Wait()
		})
	}
	if f := g.after["serve"]; f != nil {
		f()
	}
}

// sh runs line with bash in the directory and returns its output.
func (g *guideRun) sh(line string) string {
	g.t.Helper()
	out, err := g.try(line)
	if err != nil {
		g.t.Fatalf("%s: %v", line, err)
	}
	return out
}

func (g *guideRun) try(line string) (string, error) {
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", line)
	cmd.Dir = g.dir
	cmd.Env = g.env
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%v\n%s%s", err, stdout.String(), stderr.String())
	}
	return stdout.String(), nil
}

// needAgeKeygen returns the path of age 1.3's age-keygen, or skips.
func needAgeKeygen(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("age-keygen")
	if err == nil {
		err = exec.Command(p, "-pq", "-o", filepath.Join(t.TempDir(), "pq.key")).Run()
	}
	if err != nil {
		t.Skipf("needs age 1.3's age-keygen, as the guides do (age-keygen -pq: %v): go install filippo.io/age/cmd/...@v1.3.2, as .ci/run does", err)
	}
	return p
}

// smallJPEG is a real photo to attach: 16×12 pixels.
func smallJPEG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 16, 12))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

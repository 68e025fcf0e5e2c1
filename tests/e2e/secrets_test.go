package e2e

import (
	"bytes"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"testimony/tests/harness"
	"testimony/tests/vaulttest"
)

// TestSecretsNeverLeak runs the whole life of a testimony with the real
// binaries, with a random canary in every field she can type and in every
// file name and file: she submits with a photo, checks her receipt, takes a
// second, safe receipt and is made to open her account with it, comes
// back, adds more with another file, withdraws a use; the bundle is
// exported while the server runs, imported, read, noted and replied to; the
// reply goes back and she reads it. Then every file the run wrote (server
// data, bundles, workspace, temp dirs, logs, captured stdout and stderr) is
// scanned: no canary appears in clear anywhere. The plaintext the reviewer
// asks to read (show, list, search) goes to her terminal, and the reply the
// survivor reads to her browser; the test keeps those in memory.
func TestSecretsNeverLeak(t *testing.T) {
	root := t.TempDir()
	tmp := filepath.Join(root, "tmp")
	os.Mkdir(tmp, 0o700)
	t.Setenv("TMPDIR", tmp)
	_, keyFile, _ := writeKeys(t, root)
	// A second reviewer, for the two-person rule; the team is both.
	second := vaulttest.Identity(t)
	keyFile2 := filepath.Join(root, "keys2", "second.key")
	os.MkdirAll(filepath.Dir(keyFile2), 0o700)
	os.WriteFile(keyFile2, []byte(second.String()+"\n"), 0o600)
	first, _ := os.ReadFile(filepath.Join(root, "recipients.txt"))
	recFile := filepath.Join(root, "team.txt")
	os.WriteFile(recFile, append(first, []byte(second.Recipient().String()+"\n")...), 0o600)
	data := filepath.Join(root, "data")
	env := []string{"TMPDIR=" + tmp}
	serve := serveCmd(t, harness.Intake, "-data", data, "-recipients", recFile)
	serve.Env = env
	p, baseURL := harness.Serve(serve)

	c := map[string]string{}
	for _, k := range []string{"text", "name", "photo name", "photo", "added text", "added file name", "added file", "note", "reply"} {
		c[k] = vaulttest.Canary()
	}
	var canaries []string
	for _, v := range c {
		canaries = append(canaries, v)
	}

	page := func(resp *http.Response, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: status %d", resp.Request.URL.Path, resp.StatusCode)
		}
		return string(b)
	}
	field := func(re, pg string) string {
		t.Helper()
		m := regexp.MustCompile(re).FindStringSubmatch(pg)
		if m == nil {
			t.Fatalf("page has no %s", re)
		}
		return html.UnescapeString(m[1])
	}
	multi := func(path string, fields [][2]string, fileName, file string) string {
		t.Helper()
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		for _, f := range fields {
			mw.WriteField(f[0], f[1])
		}
		if fileName != "" {
			w, _ := mw.CreateFormFile("files", fileName)
			io.WriteString(w, file)
		}
		mw.Close()
		return page(http.Post(baseURL+path, mw.FormDataContentType(), &b))
	}

	// She writes, with a photo, and consents to review and publication.
	n := field(`name="n" value="([^"]+)"`, page(http.Post(baseURL+"/ko/write", "", nil)))
	receiptPage := multi("/ko/submit", [][2]string{{"n", n}, {"testimony", "겪은 일 " + c["text"] + " 브로커 이름은 " + c["name"] + " 입니다."}, {"consent", "review"}, {"consent", "publish"}, {"consent", "quote"}}, c["photo name"]+".jpg", c["photo"])
	words := shownWords(receiptPage)
	if words == "" {
		t.Fatal("the receipt page shows no words")
	}
	page(http.PostForm(baseURL+"/ko/check", url.Values{"typed": {words}, "sealed": {field(`name="sealed" value="([^"]+)"`, receiptPage)}, "n": {field(`name="n" value="([^"]+)"`, receiptPage)}}))
	// She takes a second, safe receipt, and is made to open her account
	// with it: a visit with nothing of hers on it.
	secondPage := page(http.PostForm(baseURL+"/ko/second", url.Values{"n": {field(`id="offer">\s*<input type="hidden" name="n" value="([^"]+)"`, receiptPage)},
		"second": {field(`name="second" value="([^"]+)"`, receiptPage)}, "chose": {"pressure"}}))
	safeWords := shownWords(secondPage)
	n = field(`name="n" value="([^"]+)"`, page(http.Post(baseURL+"/ko/return", "", nil)))
	if forced := page(http.PostForm(baseURL+"/ko/return", url.Values{"receipt": {safeWords}, "n": {n}})); !strings.Contains(forced, `id="noreplies"`) {
		t.Fatal("the safe receipt does not open an empty visit")
	}

	// She comes back, adds more with another file, withdraws publication.
	n = field(`name="n" value="([^"]+)"`, page(http.Post(baseURL+"/ko/return", "", nil)))
	status := page(http.PostForm(baseURL+"/ko/return", url.Values{"receipt": {words}, "n": {n}}))
	visit := field(`name="t" value="([^"]+)"`, status)
	added := multi("/ko/add", [][2]string{{"t", visit}, {"n", field(`name="n" value="([^"]+)"`, status)}, {"testimony", c["added text"]}}, c["added file name"]+".pdf", c["added file"])
	status = page(http.PostForm(baseURL+"/ko/status", url.Values{"t": {visit}, "n": {field(`name="n" value="([^"]+)"`, added)}}))
	page(http.PostForm(baseURL+"/ko/withdraw", url.Values{"t": {visit}, "n": {field(`name="n" value="([^"]+)"`, status)}, "withdraw": {"un"}}))
	page(http.PostForm(baseURL+"/ko/finish", url.Values{"t": {visit}}))

	// The reviewers' side, with the CLI as they use it; every stdout and
	// stderr is kept in a file and scanned with the rest.
	logs := filepath.Join(root, "logs")
	os.Mkdir(logs, 0o700)
	step := 0
	run := func(stdin, name string, args ...string) string {
		t.Helper()
		step++
		cmd := harness.Program{Name: name}.Command(t, args...)
		cmd.Env = env
		cmd.Stdin = strings.NewReader(stdin)
		child := cmd.Start()
		err := child.Wait()
		base := filepath.Join(logs, strings.Join(append([]string{name}, args[0]), "-"))
		os.WriteFile(base+".stderr", []byte(child.Stderr()), 0o600)
		switch args[0] {
		case "show", "list", "search", "redact":
			// Reading commands print plaintext on stdout because the
			// reviewer asked to read; that goes to her screen, not here.
		default:
			os.WriteFile(base+".stdout", []byte(child.Stdout()), 0o600)
		}
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, child.Stderr())
		}
		return child.Stdout()
	}
	usb := filepath.Join(root, "usb")
	os.Mkdir(usb, 0o700)
	bundle := filepath.Join(usb, "bundle.age")
	run("", "intake", "export", "-data", data, "-o", bundle)
	ws := filepath.Join(root, "ws")
	run("", "review", "init", "-w", ws, "-r", recFile)
	run("", "review", "import", "-w", ws, "-i", keyFile, bundle)
	list := run("", "review", "list", "-w", ws, "-i", keyFile)
	id := strings.Fields(list)[0]
	shown := run("", "review", "show", "-w", ws, "-i", keyFile, id)
	for _, k := range []string{"text", "added text"} {
		if !strings.Contains(shown, c[k]) {
			t.Errorf("show lacks the %s", k)
		}
	}
	if !strings.Contains(shown, "SAFE RECEIPT used on") || !strings.Contains(list, "[SAFE RECEIPT used") {
		t.Error("show or list does not mark the use of her safe receipt")
	}
	run("", "review", "search", "-w", ws, "-i", keyFile, "겪은")
	run("the team's own words "+c["note"], "review", "note", "-w", ws, "-i", keyFile, id)
	run(c["reply"], "review", "reply", "-w", ws, "-i", keyFile, id)
	replies := filepath.Join(usb, "replies.bin")
	run("", "review", "send-replies", "-w", ws, "-i", keyFile, "-o", replies)
	run("", "intake", "import-replies", "-data", data, replies)

	// The editor: the detectors' plan, with the name they missed added,
	// kept where an editor keeps it (memory-backed storage, not here);
	// a second reviewer approves; the statement is exported for quotation.
	shm := t.TempDir()
	plan := run("", "review", "redact", "-w", ws, "-i", keyFile, "-print", id)
	plan += "remove name * \"" + c["name"] + "\" \"[name]\" # the editor: the broker's name\n"
	planFile := filepath.Join(shm, "plan.txt")
	os.WriteFile(planFile, []byte(plan), 0o600)
	run("", "review", "redact", "-w", ws, "-i", keyFile, "-plan", planFile, id)
	run("", "review", "approve", "-w", ws, "-i", keyFile2, id)
	exported := filepath.Join(t.TempDir(), "statement.json")
	run("", "review", "export", "-w", ws, "-i", keyFile, "-use", "quote", "-o", exported, id)
	statement, _ := os.ReadFile(exported)
	if bytes.Contains(statement, []byte(c["name"])) || !bytes.Contains(statement, []byte(c["text"])) {
		t.Fatal("the statement keeps the redacted name, or lost her words")
	}
	run("", "review", "verify", "-w", ws)

	// She reads the reply.
	n = field(`name="n" value="([^"]+)"`, page(http.Post(baseURL+"/ko/return", "", nil)))
	if got := page(http.PostForm(baseURL+"/ko/return", url.Values{"receipt": {words}, "n": {n}})); !strings.Contains(got, c["reply"]) {
		t.Fatal("her return visit does not show the reply")
	}
	// Her safe receipt still shows no reply.
	n = field(`name="n" value="([^"]+)"`, page(http.Post(baseURL+"/ko/return", "", nil)))
	if got := page(http.PostForm(baseURL+"/ko/return", url.Values{"receipt": {safeWords}, "n": {n}})); strings.Contains(got, c["reply"]) || !strings.Contains(got, `id="noreplies"`) {
		t.Fatal("her safe receipt shows the reply")
	}

	p.Kill()
	os.WriteFile(filepath.Join(logs, "intake-serve.stderr"), []byte(p.Stderr()), 0o600)
	files, size := vaulttest.ScanForCanaries(t, canaries, root)
	if files < 20 || size < 50<<10 {
		t.Fatalf("the scan read only %d files, %d bytes", files, size)
	}
	if !t.Failed() {
		t.Logf("%d canaries; scanned %d files, %d bytes: none in clear", len(canaries), files, size)
	}
}

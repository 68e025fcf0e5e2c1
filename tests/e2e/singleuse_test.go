package e2e

import (
	"bytes"
	"html"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"testimony/internal/failpoint"
	"testimony/tests/harness"
	"testimony/tests/vaulttest"
)

// TestFormsAreSingleUseAcrossKills runs the real binary: a write form sent
// on a connection dropped after the commit, then again (a double tap on a
// slow link), stores her account once and shows its receipt on the retry,
// once;
// then her visit, finished. After kill -9 and a restart on the same data,
// every form she left in the tab's history is dead: the return form opens
// nothing, her visit's page opens nothing, and her account sent again is
// not stored twice, but given back once in a fresh form.
func TestFormsAreSingleUseAcrossKills(t *testing.T) {
	root := t.TempDir()
	id, _, recFile := writeKeys(t, root)
	data := filepath.Join(root, "data")
	serve := serveCmd(t, harness.Intake.WithFailpoints(), "-data", data, "-recipients", recFile)
	// The first commit is held before its receipt is written, so the
	// retry certainly comes while the first sending is in flight.
	serve.Failpoints = []string{failpoint.Spec(failpoint.IntakeCommitted, "pause", 1)}
	p, base := harness.Serve(serve)

	canary := vaulttest.Canary()
	n, err := writeToken(base)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("n", n)
	mw.WriteField("testimony", "DOUBLETAP "+canary)
	mw.Close()
	ctype, submitBody := mw.FormDataContentType(), body.Bytes()
	// send posts the form; a failed request is status 0 (it may run on
	// another goroutine, where the test cannot stop).
	send := func() (int, string) {
		resp, err := http.Post(base+"/ko/submit", ctype, bytes.NewReader(submitBody))
		if err != nil {
			t.Error(err)
			return 0, ""
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	// The first sending: the whole request; the connection drops once it
	// is committed, before any answer (she tapped again, or the circuit
	// broke). (Dropped earlier, the server may store nothing and release
	// the form, and the retry then stores it: no test of that here.)
	u, _ := url.Parse(base)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	var req bytes.Buffer
	r, _ := http.NewRequest("POST", base+"/ko/submit", bytes.NewReader(submitBody))
	r.Header.Set("Content-Type", ctype)
	r.Write(&req)
	conn.Write(req.Bytes())
	p.WaitFailpoint(failpoint.IntakeCommitted)
	conn.Close()

	// The retry waits for the first sending and shows its receipt.
	type answer struct {
		status int
		page   string
	}
	retried := make(chan answer)
	go func() {
		status, page := send()
		retried <- answer{status, page}
	}()
	p.Resume()
	a := <-retried
	status, page := a.status, a.page
	words := shownWords(page)
	if status != 200 || words == "" {
		t.Fatalf("the retry after a dropped connection: status %d, no receipt", status)
	}
	if status, page := send(); status != http.StatusConflict || shownWords(page) != "" || strings.Contains(page, canary) {
		t.Fatalf("a third sending: status %d, want the arrived page with nothing of hers", status)
	}

	// Her visit: in with the receipt, then "finish".
	resp, err := http.Get(base + "/ko/return")
	if err != nil {
		t.Fatal(err)
	}
	retPage, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	returnForm := url.Values{"n": {string(formTokenRE.FindSubmatch(retPage)[1])}, "receipt": {words}}
	status, page = postForm(t, base+"/ko/return", returnForm)
	visit := regexp.MustCompile(`name="t" value="([^"]+)"`).FindStringSubmatch(page)
	if status != 200 || visit == nil {
		t.Fatalf("return: status %d", status)
	}
	statusForm := url.Values{"t": {visit[1]}, "n": {string(formTokenRE.FindStringSubmatch(page)[1])}}
	postForm(t, base+"/ko/finish", url.Values{"t": {visit[1]}})

	// Killed, and started again on the same data.
	p.Kill()
	if err := p.Wait(); !harness.Killed(err) {
		t.Fatalf("the server ended with %v, not SIGKILL", err)
	}
	serve.Failpoints = nil
	p, base = harness.Serve(serve)

	if status, page := postForm(t, base+"/ko/return", returnForm); status != http.StatusConflict || strings.Contains(page, `action="/ko/add"`) {
		t.Errorf("her return form sent again after the restart: status %d, or her visit reopened", status)
	}
	if status, page := postForm(t, base+"/ko/status", statusForm); status == 200 || strings.Contains(page, `action="/ko/add"`) {
		t.Errorf("her visit's page sent again after the restart: status %d, or her visit reopened", status)
	}
	// Her account sent again from before the restart: not stored, given
	// back once in a fresh form, then no more.
	status, page = send()
	if status != http.StatusConflict || shownWords(page) != "" || !strings.Contains(html.UnescapeString(page), "DOUBLETAP "+canary) {
		t.Errorf("her account sent again after the restart: status %d, want it refused and given back", status)
	}
	if _, page := send(); strings.Contains(page, canary) {
		t.Error("sent a second time after the restart, her account is given back again")
	}

	p.Kill()
	p.Wait()
	bundle := filepath.Join(root, "all.age")
	// The binary serve ran (built in this test if need be), not one another
	// test may have built under its own TMPDIR.
	if _, err := harness.Intake.WithFailpoints().Command(t, "export", "-data", data, "-o", bundle, "-all").Run(); err != nil {
		t.Fatal(err)
	}
	stored := 0
	for _, text := range readAllTexts(t, bundle, id) {
		if strings.Contains(text, canary) {
			stored++
		}
	}
	if stored != 1 {
		t.Errorf("her account is stored %d times, want once", stored)
	}
	// Nothing about the forms is on disk: no token key, no spent token,
	// no time.
	entries, _ := os.ReadDir(data)
	for _, e := range entries {
		if b, err := os.ReadFile(filepath.Join(data, e.Name())); err == nil && bytes.Contains(b, []byte("form-key")) {
			t.Errorf("%s holds a form token key", e.Name())
		}
	}
}

func postForm(t *testing.T, u string, v url.Values) (int, string) {
	t.Helper()
	resp, err := http.PostForm(u, v)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

package intake

// A real-browser test: headless Chromium with JavaScript disabled, on a
// 360-pixel phone screen, goes through the survivor's whole path in Korean.
//
// There is no browser-driver module here: the test speaks the Chrome
// DevTools Protocol (CDP) itself, over a minimal WebSocket client built on
// net and bufio. Chromium is started with --remote-debugging-port=0 and
// prints the browser's WebSocket address on stderr; the test attaches to a
// new page target with flattened sessions, so every command and event goes
// over that one connection, tagged with the page's sessionId.
//
// Set SCREENSHOT_DIR to keep the screenshots; otherwise they go to a
// temporary directory that is removed with the test.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"image/png"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"filippo.io/age"

	"testimony/vault"
)

// Phone screen the pages are checked on.
const (
	screenWidth  = 360
	screenHeight = 740
)

// probePage shows whether scripts run: its inline script would rewrite the
// paragraph, and its noscript element is parsed as markup only when
// scripting is off. It is served by a separate loopback server, because the
// intake's own Content-Security-Policy forbids every script anyway.
const probePage = `<!doctype html><html><head><meta charset="utf-8"><title>probe</title></head><body>
<p id="probe">script did not run</p>
<script>document.getElementById("probe").textContent = "script ran";</script>
<noscript><p id="noscript">noscript shown</p></noscript>
</body></html>`

func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func TestBrowserWithoutJavaScript(t *testing.T) {
	bin := findChromium()
	if bin == "" {
		t.Skip("chromium not installed: apt-get install chromium")
	}
	if testing.Short() {
		t.Skip("starts a browser; skipped in -short mode")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()

	store, err := vault.Open(filepath.Join(t.TempDir(), "store.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	reviewer, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{
		Store:      store,
		Recipients: []age.Recipient{reviewer.Recipient()},
		KDF:        KDFParams{Time: 1, MemoryKiB: 1024, Threads: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	site := httptest.NewServer(srv)
	t.Cleanup(site.Close)
	probe := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, probePage)
	}))
	t.Cleanup(probe.Close)

	shots := os.Getenv("SCREENSHOT_DIR")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}

	b := startChromium(t, ctx, bin)
	p := b.newTab(t)

	// Scripts run until the tab's script execution is disabled: this shows
	// the probe can tell, so its later answer means something.
	p.navigate(t, probe.URL)
	if got := p.text(t, "#probe"); got != "script ran" {
		t.Fatalf("control, scripts enabled: probe says %q, want %q", got, "script ran")
	}
	p.do(t, "Emulation.setScriptExecutionDisabled", map[string]any{"value": true}, nil)
	p.navigate(t, probe.URL)
	p.requireScriptsOff(t)

	custody := func(t *testing.T) []vault.Entry {
		t.Helper()
		entries, err := store.Custody()
		if err != nil {
			t.Fatal(err)
		}
		return entries
	}

	t.Run("chooser", func(t *testing.T) {
		p.navigate(t, site.URL+"/")
		p.checkPage(t, "")
		langs := map[string]string{}
		for _, id := range p.queryAll(t, ".langs a") {
			a := p.outerHTML(t, id)
			href := regexp.MustCompile(`href="([^"]*)"`).FindStringSubmatch(a)
			if href == nil {
				t.Errorf("language link without href: %s", a)
				continue
			}
			langs[href[1]] = plainText(a)
		}
		want := map[string]string{"/ko/": "한국어", "/zh/": "简体中文", "/en/": "English"}
		for href, name := range want {
			if langs[href] != name {
				t.Errorf("language link %s reads %q, want %q", href, langs[href], name)
			}
		}
		if len(langs) != len(want) {
			t.Errorf("language links: %v, want %v", langs, want)
		}
		p.screenshot(t, filepath.Join(shots, "choose.png"))

		p.clickAndWait(t, `.langs a[href="/ko/"]`)
		if u := p.url(t); u != site.URL+"/ko/" {
			t.Fatalf("after choosing 한국어 the page is %s, want %s/ko/", u, site.URL)
		}
		p.checkPage(t, "ko")
	})

	t.Run("forms", func(t *testing.T) {
		for _, l := range languages {
			p.navigate(t, site.URL+"/"+string(l)+"/write")
			p.checkPage(t, l)
			if txt := p.pageText(t); !strings.Contains(txt, l.text("title")) || !strings.Contains(txt, l.text("send")) {
				t.Errorf("/%s/: page text lacks the title or the send button: %q", l, txt)
			}
			p.query(t, "textarea#testimony")
			p.query(t, `button[type="submit"]`)
		}
	})

	t.Run("not found", func(t *testing.T) {
		p.navigate(t, site.URL+"/ko/no-such-page")
		p.checkPage(t, "ko")
		if got := p.text(t, "#error"); got != catalog["ko"]["errNotFound"] {
			t.Errorf("error message %q, want %q", got, catalog["ko"]["errNotFound"])
		}
	})

	t.Run("empty submission", func(t *testing.T) {
		p.navigate(t, site.URL+"/ko/write")
		p.clickAndWait(t, `button[type="submit"]`)
		p.checkPage(t, "ko")
		if got := p.text(t, "#error"); got != catalog["ko"]["errEmpty"] {
			t.Errorf("error message %q, want %q", got, catalog["ko"]["errEmpty"])
		}
		p.screenshot(t, filepath.Join(shots, "error-empty-ko.png"))
		if n := len(custody(t)); n != 0 {
			t.Errorf("an empty form left %d custody entries, want 0", n)
		}
	})

	t.Run("submission in Korean", func(t *testing.T) {
		const account = "2019년 겨울에 강을 건넜습니다.\n그때 겪은 일을 여기에 적습니다."
		p.navigate(t, site.URL+"/ko/write")
		p.typeInto(t, "textarea#testimony", account)
		p.screenshot(t, filepath.Join(shots, "form-ko.png"))
		p.clickAndWait(t, `button[type="submit"]`)

		if u := p.url(t); u != site.URL+"/ko/submit" {
			t.Fatalf("after sending, the page is %s, want %s/ko/submit", u, site.URL)
		}
		p.checkPage(t, "ko")
		txt := p.pageText(t)
		if !strings.Contains(txt, "잘 받았습니다") {
			t.Errorf("receipt page lacks its title 잘 받았습니다: %q", txt)
		}
		receipt := p.text(t, "#receipt")
		if len(strings.Fields(receipt)) != receiptWords {
			t.Fatalf("receipt %q is not %d words", receipt, receiptWords)
		}
		if digits := p.text(t, "#digits"); !regexp.MustCompile(`^\d{4}( \d{4}){4}$`).MatchString(digits) {
			t.Fatalf("receipt digits %q are not 20 digits in groups of four", digits)
		}
		x0, _, x1, y1 := p.box(t, "#receipt")
		if x0 < 0 || x1 > screenWidth || y1 > screenHeight {
			t.Errorf("receipt at x %.0f–%.0f, bottom %.0f: not all on a %dx%d screen without scrolling", x0, x1, y1, screenWidth, screenHeight)
		}
		p.screenshot(t, filepath.Join(shots, "receipt-ko.png"))

		// The receipt is shown only after Commit: the submission is in the
		// store, encrypted to the reviewer, and her receipt finds it.
		entries := custody(t)
		if len(entries) != 1 || entries[0].Action != vault.ActionSubmit || entries[0].Actor != "intake" {
			t.Fatalf("custody after one submission: %+v, want one submit entry by intake", entries)
		}
		var stored []string
		var ids []vault.ID
		var bundle bytes.Buffer
		if _, err := store.WriteBundle(&bundle, []age.Recipient{reviewer.Recipient()}, true); err != nil {
			t.Fatal(err)
		}
		br := vault.BundleReader{
			Identities: []age.Identity{reviewer},
			Part: func(it vault.Item, _ int, ct io.Reader) error {
				h, r, err := vault.OpenPart(ct, reviewer)
				if err != nil {
					return err
				}
				b, err := io.ReadAll(r)
				if err != nil {
					return err
				}
				if h.Kind != vault.KindText {
					return nil // consent and reply key
				}
				stored, ids = append(stored, string(b)), append(ids, it.ID)
				return nil
			},
		}
		if _, err := br.Read(&bundle); err != nil {
			t.Fatal(err)
		}
		// A form sends a textarea's line breaks as CRLF.
		want := strings.ReplaceAll(account, "\n", "\r\n")
		if len(stored) != 1 || stored[0] != want {
			t.Fatalf("stored accounts %q, want [%q]", stored, want)
		}
		norm, err := parseReceipt(receipt)
		if err != nil {
			t.Fatal(err)
		}
		keys, err := srv.pool.derive(ctx, norm)
		if err != nil {
			t.Fatal(err)
		}
		if id, err := store.LookupReceipt(keys.tag); err != nil || id != ids[0] {
			t.Errorf("receipt %q finds %q, %v; want %q", receipt, id, err, ids[0])
		}
	})

	// Still off after every page above.
	p.navigate(t, probe.URL)
	p.requireScriptsOff(t)
	t.Logf("screenshots in %s", shots)
}

// requireScriptsOff checks, on the probe page, that scripts did not run.
func (p *tab) requireScriptsOff(t *testing.T) {
	t.Helper()
	if got := p.text(t, "#probe"); got != "script did not run" {
		t.Fatalf("scripts ran with JavaScript disabled: probe says %q", got)
	}
	if p.queryMaybe(t, "#noscript") == 0 {
		t.Fatal("noscript content was not shown with JavaScript disabled")
	}
}

// checkPage checks what every survivor page must have: the language, the
// quick-exit link at the top of the first screen, and no sideways scrolling.
func (p *tab) checkPage(t *testing.T, l lang) {
	t.Helper()
	root := p.outerHTML(t, p.document(t))
	mark := string(l)
	if l == "" {
		mark = "mul" // the chooser speaks all three
	}
	if !strings.Contains(root, `<html lang="`+mark+`"`) {
		t.Errorf("%s: page is not marked lang=%q", p.url(t), mark)
	}
	a := p.outerHTML(t, p.query(t, "a.exit"))
	if !strings.Contains(a, `href="https://www.wikipedia.org/"`) {
		t.Errorf("%s: quick exit link goes elsewhere: %s", p.url(t), a)
	}
	if got, want := plainText(a), (pageData{Lang: l}).T("exit"); got != want {
		t.Errorf("%s: quick exit reads %q, want %q", p.url(t), got, want)
	}
	if l == "ko" && plainText(a) != "빨리 나가기" {
		t.Errorf("%s: Korean quick exit reads %q, want 빨리 나가기", p.url(t), plainText(a))
	}
	x0, y0, x1, y1 := p.box(t, "a.exit")
	if x0 < 0 || y0 < 0 || x1 > screenWidth || y1 > screenHeight || y1-y0 < 24 {
		t.Errorf("%s: quick exit at (%.0f,%.0f)–(%.0f,%.0f): not a tappable link on the first screen", p.url(t), x0, y0, x1, y1)
	}
	var m struct {
		CSSContentSize struct{ Width float64 } `json:"cssContentSize"`
	}
	p.do(t, "Page.getLayoutMetrics", nil, &m)
	if m.CSSContentSize.Width > screenWidth {
		t.Errorf("%s: page is %.0f px wide on a %d px screen", p.url(t), m.CSSContentSize.Width, screenWidth)
	}
}

// plainText returns the text of an HTML fragment with tags removed and
// white space collapsed.
func plainText(s string) string {
	s = regexp.MustCompile(`(?s)<style.*?</style>|<[^>]*>`).ReplaceAllString(s, " ")
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

// --- Chromium ---

type browser struct {
	cdp *cdpClient
	ctx context.Context
}

// startChromium starts headless Chromium on a fresh profile and connects to
// its DevTools WebSocket. Cleanup closes it, and kills it if it lingers.
func startChromium(t *testing.T, ctx context.Context, bin string) *browser {
	t.Helper()
	dir := t.TempDir() // removed after the browser is gone: cleanups run last-in first-out
	cmd := exec.Command(bin,
		"--headless=new",
		"--no-sandbox", // CI runs as root
		"--disable-gpu",
		"--disable-quic",
		"--no-first-run",
		"--no-default-browser-check",
		"--disable-background-networking",
		"--disable-component-update",
		"--disable-sync",
		"--disable-extensions",
		"--disable-default-apps",
		"--disable-breakpad",
		"--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
		"--mute-audio",
		"--password-store=basic",
		"--use-mock-keychain",
		// Only loopback: every host name fails to resolve.
		"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
		"--remote-debugging-address=127.0.0.1",
		"--remote-debugging-port=0",
		"--user-data-dir="+filepath.Join(dir, "profile"),
		fmt.Sprintf("--window-size=%d,%d", screenWidth, screenHeight),
		"about:blank",
	)
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_CACHE_HOME="+dir)
	// Our own pipe, not cmd.StderrPipe: Chromium's children inherit stderr,
	// and Wait must not wait for them to close it.
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = pw
	if err := cmd.Start(); err != nil {
		pw.Close()
		pr.Close()
		t.Fatalf("starting %s: %v", bin, err)
	}
	pw.Close()
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()

	var logMu sync.Mutex
	var logTail []string
	wsURL := make(chan string, 1)
	go func() {
		defer pr.Close()
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if rest, ok := strings.CutPrefix(line, "DevTools listening on "); ok {
				select {
				case wsURL <- strings.TrimSpace(rest):
				default:
				}
			}
			if strings.Contains(line, "dbus/") {
				continue // no session bus here: noise
			}
			logMu.Lock()
			if logTail = append(logTail, line); len(logTail) > 40 {
				logTail = logTail[1:]
			}
			logMu.Unlock()
		}
	}()
	stderrTail := func() string {
		logMu.Lock()
		defer logMu.Unlock()
		return strings.Join(logTail, "\n")
	}

	b := &browser{ctx: ctx}
	t.Cleanup(func() {
		if b.cdp != nil {
			cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			b.cdp.call(cctx, "", "Browser.close", nil, nil)
			cancel()
			b.cdp.close()
		}
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("chromium's last stderr lines:\n%s", stderrTail())
		}
	})

	var addr string
	select {
	case addr = <-wsURL:
	case <-exited:
		t.Fatalf("chromium exited before listening: %v\n%s", cmd.ProcessState, stderrTail())
	case <-ctx.Done():
		t.Fatalf("chromium did not print its DevTools address: %v\n%s", ctx.Err(), stderrTail())
	}
	ws, err := dialWebSocket(ctx, addr)
	if err != nil {
		t.Fatalf("connecting to chromium: %v\n%s", err, stderrTail())
	}
	b.cdp = newCDPClient(ws)
	return b
}

// tab is one page target, driven through its flattened CDP session.
type tab struct {
	cdp     *cdpClient
	ctx     context.Context
	session string
}

// newTab opens a blank page on a 360×740 phone screen.
func (b *browser) newTab(t *testing.T) *tab {
	t.Helper()
	var target struct{ TargetID string }
	if err := b.cdp.call(b.ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		t.Fatal(err)
	}
	var attached struct{ SessionID string }
	if err := b.cdp.call(b.ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached); err != nil {
		t.Fatal(err)
	}
	p := &tab{cdp: b.cdp, ctx: b.ctx, session: attached.SessionID}
	p.do(t, "Page.enable", nil, nil)
	p.do(t, "Emulation.setDeviceMetricsOverride", map[string]any{
		"width": screenWidth, "height": screenHeight, "deviceScaleFactor": 1, "mobile": true,
	}, nil)
	return p
}

func (p *tab) do(t *testing.T, method string, params, result any) {
	t.Helper()
	if err := p.cdp.call(p.ctx, p.session, method, params, result); err != nil {
		t.Fatal(err)
	}
}

// navigate loads url and waits for its load event.
func (p *tab) navigate(t *testing.T, url string) {
	t.Helper()
	loaded, stop := p.cdp.subscribe(p.session, "Page.loadEventFired")
	defer stop()
	var r struct{ ErrorText string }
	p.do(t, "Page.navigate", map[string]any{"url": url}, &r)
	if r.ErrorText != "" {
		t.Fatalf("navigating to %s: %s", url, r.ErrorText)
	}
	p.wait(t, loaded, "loading "+url)
}

// clickAndWait clicks the element and waits for the page it leads to.
func (p *tab) clickAndWait(t *testing.T, selector string) {
	t.Helper()
	loaded, stop := p.cdp.subscribe(p.session, "Page.loadEventFired")
	defer stop()
	p.click(t, selector)
	p.wait(t, loaded, "the page after clicking "+selector)
}

func (p *tab) wait(t *testing.T, ch <-chan json.RawMessage, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-p.cdp.done:
		t.Fatalf("waiting for %s: browser connection lost: %v", what, p.cdp.err)
	case <-p.ctx.Done():
		t.Fatalf("waiting for %s: %v", what, p.ctx.Err())
	}
}

// click scrolls the element into view and clicks the middle of it with the
// mouse, as a person would: no script is involved.
func (p *tab) click(t *testing.T, selector string) {
	t.Helper()
	id := p.query(t, selector)
	p.do(t, "DOM.scrollIntoViewIfNeeded", map[string]any{"nodeId": id}, nil)
	x0, y0, x1, y1 := p.quad(t, id, selector)
	x, y := (x0+x1)/2, (y0+y1)/2
	for _, typ := range []string{"mouseMoved", "mousePressed", "mouseReleased"} {
		p.do(t, "Input.dispatchMouseEvent", map[string]any{
			"type": typ, "x": x, "y": y, "button": "left", "clickCount": 1,
		}, nil)
	}
}

// typeInto focuses the element and types text into it.
func (p *tab) typeInto(t *testing.T, selector, text string) {
	t.Helper()
	p.do(t, "DOM.focus", map[string]any{"nodeId": p.query(t, selector)}, nil)
	p.do(t, "Input.insertText", map[string]any{"text": text}, nil)
}

// box returns the element's bounds in viewport coordinates (CSS pixels).
func (p *tab) box(t *testing.T, selector string) (x0, y0, x1, y1 float64) {
	t.Helper()
	return p.quad(t, p.query(t, selector), selector)
}

func (p *tab) quad(t *testing.T, id int64, what string) (x0, y0, x1, y1 float64) {
	t.Helper()
	var r struct{ Quads [][]float64 }
	p.do(t, "DOM.getContentQuads", map[string]any{"nodeId": id}, &r)
	if len(r.Quads) == 0 || len(r.Quads[0]) != 8 {
		t.Fatalf("%s is not rendered", what)
	}
	q := r.Quads[0]
	x0, y0, x1, y1 = q[0], q[1], q[0], q[1]
	for i := 0; i < 8; i += 2 {
		x0, x1 = min(x0, q[i]), max(x1, q[i])
		y0, y1 = min(y0, q[i+1]), max(y1, q[i+1])
	}
	return
}

// document returns the node ID of the current document. Node IDs from an
// earlier call, or an earlier page, are no longer valid after it.
func (p *tab) document(t *testing.T) int64 {
	t.Helper()
	var r struct{ Root struct{ NodeID int64 } }
	p.do(t, "DOM.getDocument", map[string]any{"depth": 0}, &r)
	return r.Root.NodeID
}

func (p *tab) queryMaybe(t *testing.T, selector string) int64 {
	t.Helper()
	var r struct{ NodeID int64 }
	p.do(t, "DOM.querySelector", map[string]any{"nodeId": p.document(t), "selector": selector}, &r)
	return r.NodeID
}

func (p *tab) query(t *testing.T, selector string) int64 {
	t.Helper()
	id := p.queryMaybe(t, selector)
	if id == 0 {
		t.Fatalf("%s: no element matches %s", p.url(t), selector)
	}
	return id
}

func (p *tab) queryAll(t *testing.T, selector string) []int64 {
	t.Helper()
	var r struct{ NodeIDs []int64 }
	p.do(t, "DOM.querySelectorAll", map[string]any{"nodeId": p.document(t), "selector": selector}, &r)
	return r.NodeIDs
}

func (p *tab) outerHTML(t *testing.T, id int64) string {
	t.Helper()
	var r struct{ OuterHTML string }
	p.do(t, "DOM.getOuterHTML", map[string]any{"nodeId": id}, &r)
	return r.OuterHTML
}

// text returns the text of the element the selector matches.
func (p *tab) text(t *testing.T, selector string) string {
	t.Helper()
	return plainText(p.outerHTML(t, p.query(t, selector)))
}

// pageText returns the text of the whole page, without its stylesheet.
func (p *tab) pageText(t *testing.T) string {
	t.Helper()
	return plainText(p.outerHTML(t, p.document(t)))
}

func (p *tab) url(t *testing.T) string {
	t.Helper()
	var h struct {
		CurrentIndex int
		Entries      []struct{ URL string }
	}
	p.do(t, "Page.getNavigationHistory", nil, &h)
	if h.CurrentIndex < 0 || h.CurrentIndex >= len(h.Entries) {
		t.Fatalf("navigation history has no current entry: %+v", h)
	}
	return h.Entries[h.CurrentIndex].URL
}

// screenshot saves what is on the screen now as a PNG.
func (p *tab) screenshot(t *testing.T, path string) {
	t.Helper()
	var r struct{ Data string }
	p.do(t, "Page.captureScreenshot", map[string]any{"format": "png"}, &r)
	b, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if cfg.Width != screenWidth {
		t.Errorf("screenshot is %d px wide, want %d", cfg.Width, screenWidth)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// --- Chrome DevTools Protocol ---

// cdpClient sends CDP commands and receives their replies and events over
// one WebSocket. Commands for a page carry its sessionId (flat mode).
type cdpClient struct {
	ws     *wsConn
	nextID atomic.Int64

	mu      sync.Mutex
	pending map[int64]chan cdpMessage
	subs    map[*cdpSub]struct{}

	done chan struct{} // closed when the connection ends
	err  error         // why; set before done is closed
}

type cdpSub struct {
	session, method string
	ch              chan json.RawMessage
}

type cdpMessage struct {
	ID        int64           `json:"id"`
	Method    string          `json:"method"`
	Params    json.RawMessage `json:"params"`
	Result    json.RawMessage `json:"result"`
	SessionID string          `json:"sessionId"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Data    string `json:"data"`
	} `json:"error"`
}

func newCDPClient(ws *wsConn) *cdpClient {
	c := &cdpClient{
		ws:      ws,
		pending: map[int64]chan cdpMessage{},
		subs:    map[*cdpSub]struct{}{},
		done:    make(chan struct{}),
	}
	go c.readLoop()
	return c
}

func (c *cdpClient) readLoop() {
	for {
		b, err := c.ws.ReadMessage()
		if err != nil {
			c.err = err
			close(c.done)
			return
		}
		var m cdpMessage
		if err := json.Unmarshal(b, &m); err != nil {
			continue
		}
		c.mu.Lock()
		if m.ID != 0 {
			if ch, ok := c.pending[m.ID]; ok {
				delete(c.pending, m.ID)
				ch <- m // buffered
			}
		} else {
			for s := range c.subs {
				if s.method == m.Method && s.session == m.SessionID {
					select {
					case s.ch <- m.Params:
					default: // nobody is waiting for that many
					}
				}
			}
		}
		c.mu.Unlock()
	}
}

// call sends a command and decodes its result into result, if not nil.
// session "" addresses the browser itself.
func (c *cdpClient) call(ctx context.Context, session, method string, params, result any) error {
	if params == nil {
		params = struct{}{}
	}
	id := c.nextID.Add(1)
	msg, err := json.Marshal(struct {
		ID        int64  `json:"id"`
		Method    string `json:"method"`
		Params    any    `json:"params"`
		SessionID string `json:"sessionId,omitempty"`
	}{id, method, params, session})
	if err != nil {
		return err
	}
	ch := make(chan cdpMessage, 1)
	c.mu.Lock()
	c.pending[id] = ch
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
	}()
	if err := c.ws.WriteText(msg); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			return fmt.Errorf("%s: %s (%d) %s", method, m.Error.Message, m.Error.Code, m.Error.Data)
		}
		if result != nil {
			if err := json.Unmarshal(m.Result, result); err != nil {
				return fmt.Errorf("%s: decoding result: %w", method, err)
			}
		}
		return nil
	case <-c.done:
		return fmt.Errorf("%s: connection closed: %v", method, c.err)
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// subscribe delivers the params of the session's events named method until
// stop is called. Subscribe before the action that causes the event.
func (c *cdpClient) subscribe(session, method string) (events <-chan json.RawMessage, stop func()) {
	s := &cdpSub{session: session, method: method, ch: make(chan json.RawMessage, 16)}
	c.mu.Lock()
	c.subs[s] = struct{}{}
	c.mu.Unlock()
	return s.ch, func() {
		c.mu.Lock()
		delete(c.subs, s)
		c.mu.Unlock()
	}
}

func (c *cdpClient) close() { c.ws.Close() }

// --- WebSocket (RFC 6455), client side, just what CDP needs ---

const (
	wsGUID       = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
	wsMaxMessage = 64 << 20 // screenshots are the largest messages

	wsContinuation = 0x0
	wsText         = 0x1
	wsBinary       = 0x2
	wsClose        = 0x8
	wsPing         = 0x9
	wsPong         = 0xA
)

type wsConn struct {
	conn net.Conn
	br   *bufio.Reader
	wmu  sync.Mutex
}

// dialWebSocket opens a ws:// connection to a loopback address. The
// connection's deadline is ctx's, so nothing can hang past it.
func dialWebSocket(ctx context.Context, raw string) (*wsConn, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "ws" {
		return nil, fmt.Errorf("websocket: %s: want a ws:// URL", raw)
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("websocket: %s is not a loopback address", u.Host)
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", u.Host)
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	nonce := make([]byte, 16)
	rand.Read(nonce)
	key := base64.StdEncoding.EncodeToString(nonce)
	// No Origin header: Chromium refuses WebSocket clients that send one it
	// was not told to allow (--remote-allow-origins).
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", u.RequestURI(), u.Host, key)
	br := bufio.NewReaderSize(conn, 64<<10)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("websocket handshake: %w", err)
	}
	resp.Body.Close() // a 101 has no body; the frames follow in br
	sum := sha1.Sum([]byte(key + wsGUID))
	switch {
	case resp.StatusCode != http.StatusSwitchingProtocols:
		err = fmt.Errorf("websocket handshake: %s", resp.Status)
	case !strings.EqualFold(resp.Header.Get("Upgrade"), "websocket"):
		err = errors.New("websocket handshake: no Upgrade: websocket")
	case resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]):
		err = errors.New("websocket handshake: wrong Sec-WebSocket-Accept")
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return &wsConn{conn: conn, br: br}, nil
}

func (c *wsConn) Close() error { return c.conn.Close() }

// WriteText sends one text message in a single frame.
func (c *wsConn) WriteText(p []byte) error { return c.writeFrame(wsText, p) }

// writeFrame writes a final frame. A client masks every frame it sends.
func (c *wsConn) writeFrame(op byte, p []byte) error {
	n := len(p)
	f := make([]byte, 0, 14+n)
	f = append(f, 0x80|op)
	switch {
	case n < 126:
		f = append(f, 0x80|byte(n))
	case n <= 0xffff:
		f = append(f, 0x80|126)
		f = binary.BigEndian.AppendUint16(f, uint16(n))
	default:
		f = append(f, 0x80|127)
		f = binary.BigEndian.AppendUint64(f, uint64(n))
	}
	var mask [4]byte
	rand.Read(mask[:])
	f = append(f, mask[:]...)
	for i, b := range p {
		f = append(f, b^mask[i&3])
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err := c.conn.Write(f)
	return err
}

// ReadMessage returns the next text or binary message, joining fragments and
// answering pings on the way. It returns io.EOF when the server closes.
func (c *wsConn) ReadMessage() ([]byte, error) {
	var msg []byte
	inMessage := false
	for {
		var h [2]byte
		if _, err := io.ReadFull(c.br, h[:]); err != nil {
			return nil, err
		}
		fin, op := h[0]&0x80 != 0, h[0]&0x0f
		if h[0]&0x70 != 0 {
			return nil, errors.New("websocket: reserved bits set")
		}
		if h[1]&0x80 != 0 {
			return nil, errors.New("websocket: the server masked a frame")
		}
		n := uint64(h[1] & 0x7f)
		switch n {
		case 126:
			var b [2]byte
			if _, err := io.ReadFull(c.br, b[:]); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			if _, err := io.ReadFull(c.br, b[:]); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(b[:])
		}
		if op >= wsClose && (n > 125 || !fin) {
			return nil, errors.New("websocket: bad control frame")
		}
		if n > wsMaxMessage || uint64(len(msg))+n > wsMaxMessage {
			return nil, errors.New("websocket: message too large")
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(c.br, payload); err != nil {
			return nil, err
		}
		switch op {
		case wsClose:
			c.writeFrame(wsClose, payload[:min(2, len(payload))])
			return nil, io.EOF
		case wsPing:
			if err := c.writeFrame(wsPong, payload); err != nil {
				return nil, err
			}
			continue
		case wsPong:
			continue
		case wsText, wsBinary:
			if inMessage {
				return nil, errors.New("websocket: new message inside a fragmented one")
			}
			inMessage, msg = true, payload
		case wsContinuation:
			if !inMessage {
				return nil, errors.New("websocket: continuation without a message")
			}
			msg = append(msg, payload...)
		default:
			return nil, fmt.Errorf("websocket: unknown opcode %#x", op)
		}
		if fin {
			return msg, nil
		}
	}
}

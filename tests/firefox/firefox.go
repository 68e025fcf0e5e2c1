// Package firefox drives a real headless Firefox ESR from tests, through
// Marionette, the remote protocol Firefox speaks itself: no geckodriver, no
// driver module. Tor Browser is Firefox ESR, so this is the engine of the
// browser she uses; [Start] sets the preferences of Tor Browser that
// matter to the site (scripts off, private browsing, onion names treated as
// secure contexts and not blocked).
//
// Marionette is a TCP socket on loopback; each message is its length in
// decimal, a colon, and a JSON array: [0, id, command, params] for a
// command, [1, id, error, result] for its answer.
//
// Everything a [Tab] does goes through the browser's own input handling
// (clicks, keys), as a person would; reading a value uses the WebDriver
// element commands, which work with the page's scripts off.
//
// The package is for tests only: every method takes a testing.TB and
// fails the test on error.
package firefox

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"

	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"testimony/tests/browserproc"
)

// Find returns the path of Firefox ESR (Debian's firefox-esr, or
// firefox), or "" if there is none. Tests skip when it is "".
func Find() string { return browserproc.Find("firefox-esr", "firefox") }

// Options configures [Start].
type Options struct {
	// Width and Height are the window's size in CSS pixels. Zero means
	// 360×740, a common small phone.
	Width, Height int
	// Proxy, if set, is the host:port of an HTTP proxy every request goes
	// through (loopback included), as Tor Browser sends everything to tor:
	// with it, a test reaches the site under an .onion name.
	Proxy string
}

// Browser is a running headless Firefox and its Marionette session.
type Browser struct {
	ctx  context.Context
	conn net.Conn
	r    *bufio.Reader
	mu   sync.Mutex
	id   int
	ev   *events
}

// Tab is the browser's one window: Marionette drives the current one.
type Tab struct{ b *Browser }

// prefs are Tor Browser's preferences that change what the site sees or
// what the browser keeps, and the quiet ones a test browser needs.
var prefs = map[string]any{
	"javascript.enabled":                         false, // "Safest"
	"browser.privatebrowsing.autostart":          true,
	"dom.securecontext.allowlist_onions":         true,
	"network.dns.blockDotOnion":                  false,
	"marionette.port":                            0,      // any free port, which it logs (browserproc.Start)
	"marionette.log.level":                       "Info", // the default: the port's line is at Info
	"browser.shell.checkDefaultBrowser":          false,
	"browser.startup.homepage_override.mstone":   "ignore",
	"browser.aboutwelcome.enabled":               false,
	"datareporting.policy.dataSubmissionEnabled": false,
	"toolkit.telemetry.reportingpolicy.firstRun": false,
	"app.update.enabled":                         false,
	"app.normandy.enabled":                       false,
	"network.captive-portal-service.enabled":     false,
	"network.connectivity-service.enabled":       false,
	"browser.safebrowsing.malware.enabled":       false,
	"browser.safebrowsing.phishing.enabled":      false,
	"browser.safebrowsing.downloads.enabled":     false,
	"extensions.update.enabled":                  false,
	"browser.search.update":                      false,
	"network.http.speculative-parallel-limit":    0,
	"browser.newtabpage.enabled":                 false,
	"signon.rememberSignons":                     false,
	// Reload of a form's answer sends the form again without the
	// "resend?" prompt, which Marionette would dismiss.
	"dom.confirm_repost.testing.always_accept": true,
}

// Start starts the Firefox at bin (see [Find]) on a fresh profile in a
// temporary directory and opens a Marionette session. Every call gives up
// when ctx ends. The test's cleanup quits the browser, and kills it if it
// lingers.
func Start(t testing.TB, ctx context.Context, bin string, opt Options) *Browser {
	t.Helper()
	if opt.Width == 0 {
		opt.Width = 360
	}
	if opt.Height == 0 {
		opt.Height = 740
	}
	dir := t.TempDir()
	profile := filepath.Join(dir, "profile")
	if err := os.Mkdir(profile, 0o700); err != nil {
		t.Fatal(err)
	}
	all := map[string]any{}
	for k, v := range prefs {
		all[k] = v
	}
	if opt.Proxy != "" {
		host, port, err := net.SplitHostPort(opt.Proxy)
		if err != nil {
			t.Fatalf("proxy %q: %v", opt.Proxy, err)
		}
		p, _ := strconv.Atoi(port)
		all["network.proxy.type"] = 1
		all["network.proxy.http"] = host
		all["network.proxy.http_port"] = p
		all["network.proxy.no_proxies_on"] = ""
		all["network.proxy.allow_hijacking_localhost"] = true
	}
	var userJS strings.Builder
	for k, v := range all {
		b, _ := json.Marshal(v)
		fmt.Fprintf(&userJS, "user_pref(%q, %s);\n", k, b)
	}
	if err := os.WriteFile(filepath.Join(profile, "user.js"), []byte(userJS.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	// A headless window is never narrower than about 490 pixels: the
	// window is wider than the phone, and the page is narrowed (below).
	// --remote-allow-system-access lets Marionette run the browser's own
	// scripts (the width, below).
	proc, addrs := browserproc.Start(t, ctx, browserproc.Options{
		Bin: bin,
		Args: []string{"--headless", "--marionette", "--remote-debugging-port=0", "--remote-allow-system-access", "--no-remote", "--profile", profile,
			"--width", strconv.Itoa(2 * opt.Width), "--height", strconv.Itoa(2 * opt.Height)},
		Dir: dir,
		Env: []string{"MOZ_HEADLESS=1"},
		// Marionette says where it listens once it does (at its default
		// log level, Info, set in prefs), and so does the remote agent
		// that carries WebDriver BiDi (bidi.go).
		Announce: []string{"Marionette\tINFO\tListening on port ", "WebDriver BiDi listening on "},
	})
	tail := proc.Tail
	b := &Browser{ctx: ctx}
	t.Cleanup(func() {
		if b.conn != nil {
			b.conn.SetDeadline(time.Now().Add(5 * time.Second))
			b.call("Marionette:Quit", map[string]any{"flags": []string{"eForceQuit"}}, nil)
			b.conn.Close()
		}
		proc.Wait(10 * time.Second)
	})
	port := addrs[0]
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort("127.0.0.1", port))
	if err != nil {
		t.Fatalf("connecting to Marionette: %v\n%s", err, tail())
	}
	b.conn, b.r = conn, bufio.NewReader(conn)
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	t.Cleanup(func() { stop() })
	if _, err := b.read(); err != nil { // the greeting
		t.Fatalf("Marionette greeting: %v\n%s", err, tail())
	}
	// Marionette takes the capabilities themselves, already matched (as
	// geckodriver would send them), not W3C's alwaysMatch.
	var session struct {
		Capabilities struct{ WebSocketURL string }
	}
	if err := b.call("WebDriver:NewSession", map[string]any{
		"pageLoadStrategy": "normal", "unhandledPromptBehavior": "accept", "webSocketUrl": true,
	}, &session); err != nil {
		t.Fatalf("Marionette session: %v\n%s", err, tail())
	}
	if b.ev, err = dialEvents(ctx, session.Capabilities.WebSocketURL); err != nil {
		t.Fatalf("the session's WebDriver BiDi events at %q: %v\n%s", session.Capabilities.WebSocketURL, err, tail())
	}
	t.Cleanup(func() { b.ev.ws.Close() })
	b.call("WebDriver:SetWindowRect", map[string]any{"width": 2 * opt.Width, "height": 2 * opt.Height}, nil)
	// The page gets the phone's width by narrowing the browser element
	// that holds it, from the browser's own (chrome) scripts, which the
	// page's javascript.enabled=false does not stop. It stays for every
	// page of the tab.
	if err := b.call("Marionette:SetContext", map[string]any{"value": "chrome"}, nil); err != nil {
		t.Fatalf("the browser's own context: %v", err)
	}
	var width float64
	err = b.call("WebDriver:ExecuteScript", map[string]any{"script": fmt.Sprintf(
		"let b = gBrowser.selectedBrowser; b.style.minWidth = b.style.maxWidth = '%dpx'; b.style.maxHeight = '%dpx'; return b.getBoundingClientRect().width",
		opt.Width, opt.Height), "args": []any{}}, &width)
	if err == nil {
		err = b.call("Marionette:SetContext", map[string]any{"value": "content"}, nil)
	}
	if err != nil || int(width) != opt.Width {
		t.Fatalf("narrowing the page to a phone's width: %v px, %v", width, err)
	}
	return b
}

// Tab returns the browser's window.
func (b *Browser) Tab() *Tab { return &Tab{b: b} }

func (b *Browser) read() (json.RawMessage, error) {
	n, err := b.r.ReadString(':')
	if err != nil {
		return nil, err
	}
	size, err := strconv.Atoi(strings.TrimSuffix(n, ":"))
	if err != nil || size < 0 || size > 256<<20 {
		return nil, fmt.Errorf("marionette: bad message length %q", n)
	}
	msg := make([]byte, size)
	if _, err := ioReadFull(b.r, msg); err != nil {
		return nil, err
	}
	return msg, nil
}

// Error is an error Marionette answered with, such as "no such element".
type Error struct {
	Code    string `json:"error"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// call sends a command and decodes its answer's value into result.
func (b *Browser) call(command string, params, result any) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.id++
	id := b.id
	if params == nil {
		params = map[string]any{}
	}
	msg, _ := json.Marshal([]any{0, id, command, params})
	if _, err := fmt.Fprintf(b.conn, "%d:%s", len(msg), msg); err != nil {
		return err
	}
	for {
		raw, err := b.read()
		if err != nil {
			return fmt.Errorf("%s: %w", command, err)
		}
		var ans []json.RawMessage
		if json.Unmarshal(raw, &ans) != nil || len(ans) != 4 {
			continue
		}
		var got int
		if json.Unmarshal(ans[1], &got) != nil || got != id {
			continue
		}
		if string(ans[2]) != "null" {
			e := &Error{}
			json.Unmarshal(ans[2], e)
			return e
		}
		if result == nil {
			return nil
		}
		// Most answers wrap their value as {"value": ...}.
		var wrapped struct{ Value json.RawMessage }
		if json.Unmarshal(ans[3], &wrapped) == nil && wrapped.Value != nil {
			return json.Unmarshal(wrapped.Value, result)
		}
		return json.Unmarshal(ans[3], result)
	}
}

// Do sends a Marionette command and decodes its value into result, if not
// nil.
func (p *Tab) Do(t testing.TB, command string, params, result any) {
	t.Helper()
	if err := p.b.call(command, params, result); err != nil {
		t.Fatal(err)
	}
}

// Navigate loads url and waits for it to load.
func (p *Tab) Navigate(t testing.TB, url string) {
	t.Helper()
	p.navigate(t, "WebDriver:Navigate", map[string]any{"url": url})
}

// navigate sends a command that loads a page. Landing on one of the
// browser's own error pages is an outcome, not a failure: Marionette
// reports it as an error, and [Tab.ErrorPage] tells.
func (p *Tab) navigate(t testing.TB, command string, params any) error {
	t.Helper()
	err := p.b.call(command, params, nil)
	var me *Error
	if errors.As(err, &me) && strings.HasPrefix(me.Message, "Reached error page") {
		return nil
	}
	if errors.As(err, &me) && me.Code == "unexpected alert open" {
		return err
	}
	if err != nil {
		t.Fatal(err)
	}
	return nil
}

const elementKey = "element-6066-11e4-a52e-4f735466cecf"

// find returns the element the selector matches, or "".
func (p *Tab) find(t testing.TB, selector string) string {
	t.Helper()
	var e map[string]string
	err := p.b.call("WebDriver:FindElement", map[string]any{"using": "css selector", "value": selector}, &e)
	var me *Error
	if errors.As(err, &me) && me.Code == "no such element" {
		return ""
	}
	if err != nil {
		t.Fatalf("finding %s: %v", selector, err)
	}
	return e[elementKey]
}

func (p *Tab) must(t testing.TB, selector string) string {
	t.Helper()
	id := p.find(t, selector)
	if id == "" {
		t.Fatalf("%s: no element matches %s", p.URL(t), selector)
	}
	return id
}

// Has reports whether an element matches the selector.
func (p *Tab) Has(t testing.TB, selector string) bool {
	t.Helper()
	return p.find(t, selector) != ""
}

// ClickAndWait clicks the element as a person would, and waits for the
// page it leads to, if any.
func (p *Tab) ClickAndWait(t testing.TB, selector string) {
	t.Helper()
	p.navigate(t, "WebDriver:ElementClick", map[string]any{"id": p.must(t, selector)})
}

// Type focuses the element and types text into it, after what it holds.
func (p *Tab) Type(t testing.TB, selector, text string) {
	t.Helper()
	p.Do(t, "WebDriver:ElementSendKeys", map[string]any{"id": p.must(t, selector), "text": text}, nil)
}

// Value returns the current value of the form control the selector
// matches, or "" if nothing matches.
func (p *Tab) Value(t testing.TB, selector string) string {
	t.Helper()
	id := p.find(t, selector)
	if id == "" {
		return ""
	}
	var v any
	p.Do(t, "WebDriver:GetElementProperty", map[string]any{"id": id, "name": "value"}, &v)
	s, _ := v.(string)
	return s
}

// Text returns the text of the element the selector matches, read from
// its markup as [browserproc.PlainText] reads it (as the cdp driver does,
// so that a test reads the same words in either engine).
func (p *Tab) Text(t testing.TB, selector string) string {
	t.Helper()
	return browserproc.PlainText(p.outerHTML(t, p.must(t, selector)))
}

func (p *Tab) outerHTML(t testing.TB, id string) string {
	t.Helper()
	var v any
	p.Do(t, "WebDriver:GetElementProperty", map[string]any{"id": id, "name": "outerHTML"}, &v)
	s, _ := v.(string)
	return s
}

// Box returns the element's bounds in CSS pixels from the page's top left.
func (p *Tab) Box(t testing.TB, selector string) (x0, y0, x1, y1 float64) {
	t.Helper()
	var r struct{ X, Y, Width, Height float64 }
	p.Do(t, "WebDriver:GetElementRect", map[string]any{"id": p.must(t, selector)}, &r)
	return r.X, r.Y, r.X + r.Width, r.Y + r.Height
}

// Source returns the page's markup as the browser has it now.
func (p *Tab) Source(t testing.TB) string {
	t.Helper()
	var s string
	p.Do(t, "WebDriver:GetPageSource", nil, &s)
	return s
}

// URL returns the address of the page the window shows.
func (p *Tab) URL(t testing.TB) string {
	t.Helper()
	var s string
	p.Do(t, "WebDriver:GetCurrentURL", nil, &s)
	return s
}

// ErrorPage reports whether the window shows one of the browser's own
// error pages (a network error, or "Document Expired" for a form it will
// not send again without asking).
func (p *Tab) ErrorPage(t testing.TB) bool {
	t.Helper()
	src := p.Source(t)
	return strings.Contains(src, "aboutNetError.css") || strings.Contains(src, `data-l10n-id="neterror-page-title"`)
}

// Back goes one step back in the window's history and waits for the page.
func (p *Tab) Back(t testing.TB) {
	t.Helper()
	p.navigate(t, "WebDriver:Back", nil)
}

// Forward goes one step forward in the window's history.
func (p *Tab) Forward(t testing.TB) {
	t.Helper()
	p.navigate(t, "WebDriver:Forward", nil)
}

// Reload loads the page again. For a page that was the answer to a form,
// Firefox asks whether to send the form again; the session accepts every
// prompt, as a person pressing "Resend" would.
func (p *Tab) Reload(t testing.TB) {
	t.Helper()
	p.navigate(t, "WebDriver:Refresh", nil)
}

// Screenshot saves the window's viewport as a PNG at path.
func (p *Tab) Screenshot(t testing.TB, path string) {
	t.Helper()
	p.screenshot(t, path, false)
}

// ScreenshotPage saves the whole page, from its top to its bottom, as one
// tall PNG at path.
func (p *Tab) ScreenshotPage(t testing.TB, path string) {
	t.Helper()
	p.screenshot(t, path, true)
}

func (p *Tab) screenshot(t testing.TB, path string, full bool) {
	t.Helper()
	var data string
	p.Do(t, "WebDriver:TakeScreenshot", map[string]any{"full": full}, &data)
	b, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func ioReadFull(r *bufio.Reader, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := r.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

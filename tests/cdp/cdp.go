// Package cdp drives a real headless Chromium from tests, through the
// Chrome DevTools Protocol (CDP), with no browser-driver module: a minimal
// WebSocket client built on net and bufio, and the few CDP commands a test
// of plain HTML pages needs.
//
// Chromium is started with --remote-debugging-port=0 and prints its
// browser WebSocket address on stderr; [Start] connects to it, and
// [Browser.NewTab] attaches to a new page target with flattened sessions,
// so every command and event goes over that one connection, tagged with
// the page's session ID.
//
// Everything a [Tab] does, it does as a person would, through the
// browser's own input: mouse clicks at the middle of an element, text
// typed into the focused field, arrow keys on a focused select, files
// chosen for a file input. No page script is needed for any of it, so it
// works with scripts switched off ([Tab.DisableScripts]). Reading the page
// goes through the DOM domain (outer HTML, boxes), not through script.
//
// The package is for tests only: every method takes a testing.TB and
// fails the test on a protocol error.
package cdp

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"testimony/tests/browserproc"
)

// Find returns the path of the Chromium binary (Debian's chromium, or
// chromium-browser), or "" if there is none. Tests skip when it is "".
func Find() string { return browserproc.Find("chromium", "chromium-browser") }

// Options configures [Start].
type Options struct {
	// Width and Height are the screen every tab emulates, in CSS pixels,
	// at one device pixel per CSS pixel, as a mobile device. Zero means
	// 360×740, a common small phone.
	Width, Height int
	// Proxy, if set, is the host:port of an HTTP proxy every request goes
	// through, loopback included, as Tor Browser sends everything to tor:
	// with it, a test reaches the site under an .onion name.
	Proxy string
}

// Browser is a running headless Chromium and the connection to it.
type Browser struct {
	conn   *conn
	ctx    context.Context
	width  int
	height int
}

// Start starts the Chromium at bin (see [Find]) on a fresh profile in a
// temporary directory and connects to it. Every call on the browser and
// its tabs gives up when ctx ends. Only loopback addresses resolve: any
// other host name fails, so nothing the pages do can leave the machine.
// The test's cleanup closes the browser, kills it if it lingers, and on
// failure logs the last lines Chromium wrote to stderr.
func Start(t testing.TB, ctx context.Context, bin string, opt Options) *Browser {
	t.Helper()
	if opt.Width == 0 {
		opt.Width = 360
	}
	if opt.Height == 0 {
		opt.Height = 740
	}
	var proxy []string
	if opt.Proxy != "" {
		// <-loopback: loopback goes through the proxy too.
		proxy = []string{"--proxy-server=http://" + opt.Proxy, "--proxy-bypass-list=<-loopback>"}
	}
	dir := t.TempDir()
	proc, addrs := browserproc.Start(t, ctx, browserproc.Options{
		Bin: bin,
		Args: append(proxy,
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
			fmt.Sprintf("--window-size=%d,%d", opt.Width, opt.Height),
			"about:blank",
		),
		Dir:      dir,
		Announce: []string{"DevTools listening on "},
		Noise:    func(line string) bool { return strings.Contains(line, "dbus/") }, // no session bus here
	})
	b := &Browser{ctx: ctx, width: opt.Width, height: opt.Height}
	t.Cleanup(func() {
		if b.conn != nil {
			cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			b.conn.call(cctx, "", "Browser.close", nil, nil)
			cancel()
			b.conn.close()
		}
		proc.Wait(5 * time.Second)
	})
	ws, err := browserproc.DialWebSocket(ctx, addrs[0])
	if err != nil {
		t.Fatalf("connecting to chromium: %v\n%s", err, proc.Tail())
	}
	b.conn = newConn(ws)
	return b
}

// Do sends a browser-level command (no session), such as
// Storage.getCookies, and decodes its result into result if not nil.
func (b *Browser) Do(t testing.TB, method string, params, result any) {
	t.Helper()
	if err := b.conn.call(b.ctx, "", method, params, result); err != nil {
		t.Fatal(err)
	}
}

// NewTab opens a blank page emulating the browser's phone screen.
func (b *Browser) NewTab(t testing.TB) *Tab {
	t.Helper()
	var target struct{ TargetID string }
	b.Do(t, "Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var attached struct{ SessionID string }
	b.Do(t, "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached)
	p := &Tab{b: b, session: attached.SessionID}
	p.Do(t, "Page.enable", nil, nil)
	p.Do(t, "Emulation.setDeviceMetricsOverride", map[string]any{
		"width": b.width, "height": b.height, "deviceScaleFactor": 1, "mobile": true,
	}, nil)
	return p
}

// Cookie is a cookie the browser holds.
type Cookie struct {
	Name, Value, Domain, Path string
}

// Cookies returns every cookie in the browser's cookie jar, for any site.
func (b *Browser) Cookies(t testing.TB) []Cookie {
	t.Helper()
	var r struct{ Cookies []Cookie }
	b.Do(t, "Storage.getCookies", nil, &r)
	return r.Cookies
}

// wait waits for one event on ch, or fails the test if the connection or
// the context ends first.
func (b *Browser) wait(t testing.TB, ch <-chan json.RawMessage, what string) json.RawMessage {
	t.Helper()
	select {
	case m := <-ch:
		return m
	case <-b.conn.done:
		t.Fatalf("waiting for %s: browser connection lost: %v", what, b.conn.err)
	case <-b.ctx.Done():
		t.Fatalf("waiting for %s: %v", what, b.ctx.Err())
	}
	return nil
}

package cdp

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image/png"
	"math"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"testimony/tests/browserproc"
)

// Tab is one page target, driven through its flattened CDP session.
//
// Node IDs (from [Tab.Query] and friends) belong to the document they
// were found in: look elements up again after every navigation.
type Tab struct {
	b       *Browser
	session string
}

// Do sends a command to the page and decodes its result into result, if
// not nil.
//
// While a navigation moves the page to another renderer (as between a
// site's page and the browser's own error page), Chromium answers "Not
// attached to an active page" for a moment: Do tries again until the page
// is attached or the test's own deadline (go test -timeout) ends, so a slow
// machine makes it slower, never red.
func (p *Tab) Do(t testing.TB, method string, params, result any) {
	t.Helper()
	for {
		err := p.b.conn.call(p.b.ctx, p.session, method, params, result)
		if err == nil {
			return
		}
		if !strings.Contains(err.Error(), "Not attached to an active page") {
			t.Fatal(err)
		}
		select {
		case <-time.After(20 * time.Millisecond):
		case <-p.b.ctx.Done():
			t.Fatal(err)
		}
	}
}

// Subscribe delivers the params of the tab's events named method, such as
// Page.loadEventFired, until stop is called; events nobody waits for are
// dropped once sixteen are queued. Subscribe before the action that causes
// the event.
func (p *Tab) Subscribe(method string) (events <-chan json.RawMessage, stop func()) {
	return p.b.conn.subscribe(p.session, method)
}

// DisableScripts switches off script execution in the tab, as Tor
// Browser's "Safest" level does, from the next document on.
func (p *Tab) DisableScripts(t testing.TB) {
	t.Helper()
	p.Do(t, "Emulation.setScriptExecutionDisabled", map[string]any{"value": true}, nil)
}

// Navigate loads url and waits for its load event.
func (p *Tab) Navigate(t testing.TB, url string) {
	t.Helper()
	loaded, stop := p.b.conn.subscribe(p.session, "Page.loadEventFired")
	defer stop()
	var r struct{ ErrorText string }
	p.Do(t, "Page.navigate", map[string]any{"url": url}, &r)
	if r.ErrorText != "" {
		t.Fatalf("navigating to %s: %s", url, r.ErrorText)
	}
	p.b.wait(t, loaded, "loading "+url)
}

// ClickAndWait clicks the element, a link or a submit button, and waits
// for the page it leads to. It fails the test if the browser shows its own
// error page instead, as when a request could not be made or was refused.
func (p *Tab) ClickAndWait(t testing.TB, selector string) {
	t.Helper()
	loaded, stop := p.b.conn.subscribe(p.session, "Page.loadEventFired")
	defer stop()
	p.Click(t, selector)
	p.b.wait(t, loaded, "the page after clicking "+selector)
	if p.ErrorPage(t) {
		t.Fatalf("after clicking %s the browser shows its own error page for %s: %s", selector, p.URL(t), p.PageText(t))
	}
}

// TapAndWaitFor clicks the element and waits until a page whose address
// starts with prefix has loaded, however many pages load on the way (a
// form's answer that sends her on, as the quick exit's Refresh does).
func (p *Tab) TapAndWaitFor(t testing.TB, selector, prefix string) {
	t.Helper()
	loaded, stop := p.b.conn.subscribe(p.session, "Page.loadEventFired")
	defer stop()
	p.Click(t, selector)
	for {
		p.b.wait(t, loaded, "a page at "+prefix+" after tapping "+selector)
		if strings.HasPrefix(p.URL(t), prefix) {
			return
		}
	}
}

// ErrorPage reports whether the tab shows the browser's own error page
// (a network error, or a form it will not send again) rather than a page
// from a site.
func (p *Tab) ErrorPage(t testing.TB) bool {
	t.Helper()
	var r struct{ Root struct{ DocumentURL string } }
	p.Do(t, "DOM.getDocument", map[string]any{"depth": 0}, &r)
	return strings.HasPrefix(r.Root.DocumentURL, "chrome-error:")
}

// Back goes one step back in the tab's history, as the browser's Back
// button does. See [Tab.GoTo] for what it waits for and reports.
func (p *Tab) Back(t testing.TB) (fromCache bool) {
	t.Helper()
	cur, _ := p.History(t)
	if cur < 1 {
		t.Fatal("no page to go back to")
	}
	return p.GoTo(t, cur-1)
}

// History returns the addresses in the tab's history, oldest first, and
// the index of the one it shows.
func (p *Tab) History(t testing.TB) (current int, urls []string) {
	t.Helper()
	h := p.history(t)
	for _, e := range h.Entries {
		urls = append(urls, e.URL)
	}
	return h.CurrentIndex, urls
}

// GoTo shows the entry of the tab's history at index (see [Tab.History]),
// as pressing Back or Forward that many times would, and waits for it to
// show. It reports whether the page came back whole from the back-forward
// cache (no request, no load event) rather than being loaded again. A page
// that was the answer to a form is not sent again: the browser shows its
// own error page instead ([Tab.ErrorPage]), until [Tab.Reload].
func (p *Tab) GoTo(t testing.TB, index int) (fromCache bool) {
	t.Helper()
	h := p.history(t)
	if index < 0 || index >= len(h.Entries) {
		t.Fatalf("no history entry %d: %+v", index, h)
	}
	loaded, stopLoad := p.b.conn.subscribe(p.session, "Page.loadEventFired")
	defer stopLoad()
	restored := make(chan struct{}, 1)
	stopNav := p.b.conn.handle(p.session, "Page.frameNavigated", func(m json.RawMessage) {
		var e struct {
			Frame struct{ ParentID string }
			Type  string
		}
		if json.Unmarshal(m, &e) == nil && e.Frame.ParentID == "" && e.Type == "BackForwardCacheRestore" {
			select {
			case restored <- struct{}{}:
			default:
			}
		}
	})
	defer stopNav()
	p.Do(t, "Page.navigateToHistoryEntry", map[string]any{"entryId": h.Entries[index].ID}, nil)
	select {
	case <-restored:
		return true
	case <-loaded:
		return false
	case <-p.b.conn.done:
		t.Fatalf("going to history entry %d: browser connection lost: %v", index, p.b.conn.err)
	case <-p.b.ctx.Done():
		t.Fatalf("going to history entry %d: %v", index, p.b.ctx.Err())
	}
	return false
}

// Reload loads the page again and waits for it. A page that was the
// answer to a form is fetched by sending the form again, with the same
// fields: a headless browser does so without asking, where a browser with
// a window asks first ("Confirm form resubmission", "Document expired").
func (p *Tab) Reload(t testing.TB) {
	t.Helper()
	what := "reloading " + p.URL(t)
	loaded, stop := p.b.conn.subscribe(p.session, "Page.loadEventFired")
	defer stop()
	p.Do(t, "Page.reload", nil, nil)
	p.b.wait(t, loaded, what)
}

// Click scrolls the element into view and clicks the middle of it with the
// mouse, as a person would tap it: no script is involved. Use it for
// check boxes and radio buttons; use [Tab.ClickAndWait] for what loads a
// new page.
func (p *Tab) Click(t testing.TB, selector string) {
	t.Helper()
	id := p.Query(t, selector)
	p.Do(t, "DOM.scrollIntoViewIfNeeded", map[string]any{"nodeId": id}, nil)
	x0, y0, x1, y1 := p.quad(t, id, selector)
	x, y := (x0+x1)/2, (y0+y1)/2
	for _, typ := range []string{"mouseMoved", "mousePressed", "mouseReleased"} {
		p.Do(t, "Input.dispatchMouseEvent", map[string]any{
			"type": typ, "x": x, "y": y, "button": "left", "clickCount": 1,
		}, nil)
	}
}

// Type focuses the element and types text into it, after what it holds.
func (p *Tab) Type(t testing.TB, selector, text string) {
	t.Helper()
	p.Do(t, "DOM.focus", map[string]any{"nodeId": p.Query(t, selector)}, nil)
	p.Do(t, "Input.insertText", map[string]any{"text": text}, nil)
}

// keys maps the key names Press knows to their Windows virtual key codes,
// which Chromium needs to act on a key.
var keys = map[string]int{
	"ArrowDown": 40, "ArrowUp": 38, "Home": 36, "End": 35, "Tab": 9, "Enter": 13,
}

// Press presses and releases a key (ArrowDown, ArrowUp, Home, End, Tab,
// Enter) in the focused element.
func (p *Tab) Press(t testing.TB, key string) {
	t.Helper()
	code, ok := keys[key]
	if !ok {
		t.Fatalf("cdp: Press does not know the key %q", key)
	}
	for _, typ := range []string{"rawKeyDown", "keyUp"} {
		p.Do(t, "Input.dispatchKeyEvent", map[string]any{
			"type": typ, "key": key, "code": key,
			"windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code,
		}, nil)
	}
}

// Choose picks the option of the <select> the selector matches whose
// value is option (an option without a value attribute has its text as
// its value). It does it with the
// keyboard, as on a desktop without script: focus the select, Home to its
// first option, then ArrowDown to the one wanted.
func (p *Tab) Choose(t testing.TB, selector, option string) {
	t.Helper()
	index := -1
	for i, id := range p.QueryAll(t, selector+" option") {
		v, ok := p.attr(t, id, "value")
		if !ok {
			v = PlainText(p.OuterHTML(t, id))
		}
		if v == option {
			index = i
			break
		}
	}
	if index < 0 {
		t.Fatalf("%s has no option %q", selector, option)
	}
	id := p.Query(t, selector)
	p.Do(t, "DOM.scrollIntoViewIfNeeded", map[string]any{"nodeId": id}, nil)
	p.Do(t, "DOM.focus", map[string]any{"nodeId": id}, nil)
	p.Press(t, "Home")
	for range index {
		p.Press(t, "ArrowDown")
	}
}

// SetFiles chooses files for the file input the selector matches, as the
// phone's file picker would.
func (p *Tab) SetFiles(t testing.TB, selector string, paths ...string) {
	t.Helper()
	p.Do(t, "DOM.setFileInputFiles", map[string]any{"nodeId": p.Query(t, selector), "files": paths}, nil)
}

// Box returns the bounds of the element's first box in viewport
// coordinates (CSS pixels): what is on the screen now has 0 ≤ y < height.
func (p *Tab) Box(t testing.TB, selector string) (x0, y0, x1, y1 float64) {
	t.Helper()
	return p.quad(t, p.Query(t, selector), selector)
}

func (p *Tab) quad(t testing.TB, id int64, what string) (x0, y0, x1, y1 float64) {
	t.Helper()
	var r struct{ Quads [][]float64 }
	p.Do(t, "DOM.getContentQuads", map[string]any{"nodeId": id}, &r)
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

// ContentSize returns the size of the whole page as laid out, in CSS
// pixels: wider than the screen means the reader has to scroll sideways.
func (p *Tab) ContentSize(t testing.TB) (width, height float64) {
	t.Helper()
	var m struct {
		CSSContentSize struct{ Width, Height float64 } `json:"cssContentSize"`
	}
	p.Do(t, "Page.getLayoutMetrics", nil, &m)
	return m.CSSContentSize.Width, m.CSSContentSize.Height
}

// Document returns the node ID of the current document. Node IDs from an
// earlier call, or an earlier page, are no longer valid after it.
func (p *Tab) Document(t testing.TB) int64 {
	t.Helper()
	var r struct{ Root struct{ NodeID int64 } }
	p.Do(t, "DOM.getDocument", map[string]any{"depth": 0}, &r)
	return r.Root.NodeID
}

// QueryMaybe returns the node ID of the first element the CSS selector
// matches, or 0 if none does.
func (p *Tab) QueryMaybe(t testing.TB, selector string) int64 {
	t.Helper()
	var r struct{ NodeID int64 }
	p.Do(t, "DOM.querySelector", map[string]any{"nodeId": p.Document(t), "selector": selector}, &r)
	return r.NodeID
}

// Query returns the node ID of the first element the CSS selector matches,
// and fails the test if none does.
func (p *Tab) Query(t testing.TB, selector string) int64 {
	t.Helper()
	id := p.QueryMaybe(t, selector)
	if id == 0 {
		t.Fatalf("%s: no element matches %s", p.URL(t), selector)
	}
	return id
}

// QueryAll returns the node IDs of every element the selector matches, in
// document order.
func (p *Tab) QueryAll(t testing.TB, selector string) []int64 {
	t.Helper()
	var r struct{ NodeIDs []int64 }
	p.Do(t, "DOM.querySelectorAll", map[string]any{"nodeId": p.Document(t), "selector": selector}, &r)
	return r.NodeIDs
}

// OuterHTML returns the markup of a node, as the DOM holds it now.
func (p *Tab) OuterHTML(t testing.TB, id int64) string {
	t.Helper()
	var r struct{ OuterHTML string }
	p.Do(t, "DOM.getOuterHTML", map[string]any{"nodeId": id}, &r)
	return r.OuterHTML
}

// Attr returns an attribute of the element the selector matches, and
// whether it has it.
func (p *Tab) Attr(t testing.TB, selector, name string) (string, bool) {
	t.Helper()
	return p.attr(t, p.Query(t, selector), name)
}

func (p *Tab) attr(t testing.TB, id int64, name string) (string, bool) {
	t.Helper()
	var r struct{ Attributes []string }
	p.Do(t, "DOM.getAttributes", map[string]any{"nodeId": id}, &r)
	for i := 0; i+1 < len(r.Attributes); i += 2 {
		if r.Attributes[i] == name {
			return r.Attributes[i+1], true
		}
	}
	return "", false
}

// Attrs returns an attribute of every element the selector matches, in
// document order ("" where one lacks it).
func (p *Tab) Attrs(t testing.TB, selector, name string) []string {
	t.Helper()
	var out []string
	for _, id := range p.QueryAll(t, selector) {
		v, _ := p.attr(t, id, name)
		out = append(out, v)
	}
	return out
}

// Text returns the text of the element the selector matches, with white
// space collapsed (see [PlainText]).
func (p *Tab) Text(t testing.TB, selector string) string {
	t.Helper()
	return PlainText(p.OuterHTML(t, p.Query(t, selector)))
}

// Texts returns the text of every element the selector matches.
func (p *Tab) Texts(t testing.TB, selector string) []string {
	t.Helper()
	var out []string
	for _, id := range p.QueryAll(t, selector) {
		out = append(out, PlainText(p.OuterHTML(t, id)))
	}
	return out
}

// PageText returns the text of the whole page, without its stylesheet.
func (p *Tab) PageText(t testing.TB) string {
	t.Helper()
	return PlainText(p.OuterHTML(t, p.Document(t)))
}

type history struct {
	CurrentIndex int
	Entries      []struct {
		ID  int64
		URL string
	}
}

func (p *Tab) history(t testing.TB) history {
	t.Helper()
	var h history
	p.Do(t, "Page.getNavigationHistory", nil, &h)
	if h.CurrentIndex < 0 || h.CurrentIndex >= len(h.Entries) {
		t.Fatalf("navigation history has no current entry: %+v", h)
	}
	return h
}

// URL returns the address of the page the tab shows.
func (p *Tab) URL(t testing.TB) string {
	t.Helper()
	h := p.history(t)
	return h.Entries[h.CurrentIndex].URL
}

// Screenshot saves what is on the screen now as a PNG at path.
func (p *Tab) Screenshot(t testing.TB, path string) {
	t.Helper()
	p.screenshot(t, path, map[string]any{"format": "png"})
}

// ScreenshotPage saves the whole page, from its top to its bottom, as one
// tall PNG at path, as if the screen were as tall as the page.
func (p *Tab) ScreenshotPage(t testing.TB, path string) {
	t.Helper()
	w, h := p.ContentSize(t)
	p.screenshot(t, path, map[string]any{
		"format":                "png",
		"captureBeyondViewport": true,
		"clip":                  map[string]any{"x": 0, "y": 0, "width": w, "height": math.Ceil(h), "scale": 1},
	})
}

func (p *Tab) screenshot(t testing.TB, path string, params map[string]any) {
	t.Helper()
	var r struct{ Data string }
	p.Do(t, "Page.captureScreenshot", params, &r)
	b, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if cfg.Width != p.b.width {
		t.Errorf("screenshot %s is %d px wide, want %d", path, cfg.Width, p.b.width)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// RecordRequests records the URL of every request the tab's pages make
// from now on, including those for subresources and favicons. The
// returned function gives the URLs so far, in order.
func (p *Tab) RecordRequests(t testing.TB) (urls func() []string) {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	stop := p.b.conn.handle(p.session, "Network.requestWillBeSent", func(m json.RawMessage) {
		var e struct{ Request struct{ URL string } }
		if json.Unmarshal(m, &e) == nil {
			mu.Lock()
			seen = append(seen, e.Request.URL)
			mu.Unlock()
		}
	})
	t.Cleanup(stop)
	p.Do(t, "Network.enable", nil, nil)
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// PlainText returns the text of an HTML fragment with tags (and any
// stylesheet or script) removed, entities decoded and white space collapsed to
// single spaces: [browserproc.PlainText], as both engines' tabs read it.
func PlainText(s string) string { return browserproc.PlainText(s) }

// Value returns the current value of the form control the selector
// matches (what she typed, or what the browser restored into it), or ""
// if nothing matches. It reads the live DOM through DevTools, which works
// with the page's own scripts disabled.
func (p *Tab) Value(t testing.TB, selector string) string {
	t.Helper()
	id := p.QueryMaybe(t, selector)
	if id == 0 {
		return ""
	}
	var obj struct{ Object struct{ ObjectID string } }
	p.Do(t, "DOM.resolveNode", map[string]any{"nodeId": id}, &obj)
	var r struct{ Result struct{ Value any } }
	p.Do(t, "Runtime.callFunctionOn", map[string]any{
		"objectId":            obj.Object.ObjectID,
		"functionDeclaration": "function() { return this.value }",
		"returnByValue":       true,
	}, &r)
	v, _ := r.Result.Value.(string)
	return v
}

// Forward goes one step forward in the tab's history, as the browser's
// Forward button does; see [Tab.GoTo].
func (p *Tab) Forward(t testing.TB) (fromCache bool) {
	t.Helper()
	cur, urls := p.History(t)
	if cur+1 >= len(urls) {
		t.Fatal("no page to go forward to")
	}
	return p.GoTo(t, cur+1)
}

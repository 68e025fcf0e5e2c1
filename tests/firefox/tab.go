package firefox

import (
	"fmt"
	"strings"
	"testing"

	"testimony/tests/browserproc"
)

// What the tab does beyond reading and clicking: touch taps that do not
// wait, lists of elements, choices in forms, the history, the layout.

// Tap touches the middle of the element as a finger would and returns at
// once, without waiting for a page it may send for: a double tap is two
// taps, the second while the first's page is still on its way.
func (p *Tab) Tap(t testing.TB, selector string) {
	t.Helper()
	id := p.must(t, selector)
	p.Do(t, "WebDriver:PerformActions", map[string]any{"actions": []any{map[string]any{
		"type": "pointer", "id": "finger", "parameters": map[string]any{"pointerType": "touch"},
		"actions": []any{
			map[string]any{"type": "pointerMove", "origin": map[string]any{elementKey: id}, "x": 0, "y": 0},
			map[string]any{"type": "pointerDown", "button": 0},
			map[string]any{"type": "pointerUp", "button": 0},
		},
	}}}, nil)
	p.Do(t, "WebDriver:ReleaseActions", nil, nil)
}

// TapAndWaitFor taps the element and waits until a page whose address
// starts with prefix has loaded, however many pages load on the way (a
// form's answer that sends her on, as the quick exit's Refresh does).
func (p *Tab) TapAndWaitFor(t testing.TB, selector, prefix string) {
	t.Helper()
	loads, stop := p.b.ev.loads()
	defer stop()
	p.Tap(t, selector)
	for {
		if ev := p.b.waitLoad(t, loads, "a page at "+prefix+" after tapping "+selector); strings.HasPrefix(ev.URL, prefix) {
			return
		}
	}
}

// Click clicks the element as a person would: for check boxes, radio
// buttons and a select's options. Marionette waits for a page it leads
// to, if any.
func (p *Tab) Click(t testing.TB, selector string) {
	t.Helper()
	p.navigate(t, "WebDriver:ElementClick", map[string]any{"id": p.must(t, selector)})
}

// Choose selects the option of the select element whose value (or, with
// none, text) is option, by clicking it.
func (p *Tab) Choose(t testing.TB, selector, option string) {
	t.Helper()
	for _, id := range p.all(t, selector+" option") {
		v, ok := p.attr(t, id, "value")
		if !ok {
			v = browserproc.PlainText(p.outerHTML(t, id))
		}
		if v == option {
			p.navigate(t, "WebDriver:ElementClick", map[string]any{"id": id})
			return
		}
	}
	t.Fatalf("%s has no option %q", selector, option)
}

// SetFiles chooses files for the file input the selector matches, as the
// phone's file picker would (WebDriver sends a file input its paths).
func (p *Tab) SetFiles(t testing.TB, selector string, paths ...string) {
	t.Helper()
	id := p.must(t, selector)
	for _, path := range paths {
		p.Do(t, "WebDriver:ElementSendKeys", map[string]any{"id": id, "text": path}, nil)
	}
}

func (p *Tab) all(t testing.TB, selector string) []string {
	t.Helper()
	var es []map[string]string
	p.Do(t, "WebDriver:FindElements", map[string]any{"using": "css selector", "value": selector}, &es)
	var ids []string
	for _, e := range es {
		ids = append(ids, e[elementKey])
	}
	return ids
}

// Texts returns the text of every element the selector matches, in
// document order.
func (p *Tab) Texts(t testing.TB, selector string) []string {
	t.Helper()
	var out []string
	for _, id := range p.all(t, selector) {
		out = append(out, browserproc.PlainText(p.outerHTML(t, id)))
	}
	return out
}

// Attr returns an attribute of the element the selector matches, and
// whether it has it.
func (p *Tab) Attr(t testing.TB, selector, name string) (string, bool) {
	t.Helper()
	return p.attr(t, p.must(t, selector), name)
}

// Attrs returns an attribute of every element the selector matches, in
// document order ("" where one lacks it).
func (p *Tab) Attrs(t testing.TB, selector, name string) []string {
	t.Helper()
	var out []string
	for _, id := range p.all(t, selector) {
		v, _ := p.attr(t, id, name)
		out = append(out, v)
	}
	return out
}

func (p *Tab) attr(t testing.TB, id, name string) (string, bool) {
	t.Helper()
	var v any
	p.Do(t, "WebDriver:GetElementAttribute", map[string]any{"id": id, "name": name}, &v)
	s, ok := v.(string)
	return s, ok
}

// PageText returns the text of the whole page, without its stylesheet.
func (p *Tab) PageText(t testing.TB) string {
	t.Helper()
	return browserproc.PlainText(p.Source(t))
}

// script runs a script in the page for the test, and decodes its result.
// Marionette's scripts run apart from the page's own, so they work with
// javascript.enabled false: the page itself still runs none.
func (p *Tab) script(t testing.TB, script string, result any, args ...any) {
	t.Helper()
	if args == nil {
		args = []any{}
	}
	p.Do(t, "WebDriver:ExecuteScript", map[string]any{"script": script, "args": args}, result)
}

// ContentSize returns the size of the whole page as laid out, in CSS
// pixels: wider than the screen means the reader has to scroll sideways.
func (p *Tab) ContentSize(t testing.TB) (width, height float64) {
	t.Helper()
	var wh []float64
	p.script(t, "let e = document.documentElement; return [e.scrollWidth, e.scrollHeight]", &wh)
	if len(wh) != 2 {
		t.Fatalf("page size: %v", wh)
	}
	return wh[0], wh[1]
}

// ScrollTo scrolls the element into view, as she would by moving the page.
func (p *Tab) ScrollTo(t testing.TB, selector string) {
	t.Helper()
	p.script(t, "arguments[0].scrollIntoView()", nil, map[string]string{elementKey: p.must(t, selector)})
}

// chrome runs a script of the browser itself (not of the page), such as
// one reading the window's history, which WebDriver has no command for.
func (p *Tab) chrome(t testing.TB, script string, result any) {
	t.Helper()
	p.Do(t, "Marionette:SetContext", map[string]any{"value": "chrome"}, nil)
	defer p.Do(t, "Marionette:SetContext", map[string]any{"value": "content"}, nil)
	p.script(t, script, result)
}

// History returns the addresses in the window's history, oldest first,
// and the index of the one it shows.
func (p *Tab) History(t testing.TB) (current int, urls []string) {
	t.Helper()
	var h struct {
		Index int
		URLs  []string
	}
	p.chrome(t, `let h = gBrowser.selectedBrowser.browsingContext.sessionHistory, urls = [];
		for (let i = 0; i < h.count; i++) urls.push(h.getEntryAtIndex(i).URI.spec);
		return {index: h.index, urls: urls};`, &h)
	if h.Index < 0 || h.Index >= len(h.URLs) {
		t.Fatalf("history has no current entry: %+v", h)
	}
	return h.Index, h.URLs
}

// GoTo shows the entry of the window's history at index (see
// [Tab.History]) by pressing Back or Forward as many times as it takes,
// each time waiting for the page.
func (p *Tab) GoTo(t testing.TB, index int) {
	t.Helper()
	cur, urls := p.History(t)
	if index < 0 || index >= len(urls) {
		t.Fatalf("no history entry %d of %d", index, len(urls))
	}
	for ; cur > index; cur-- {
		p.Back(t)
	}
	for ; cur < index; cur++ {
		p.Forward(t)
	}
}

// Cookies returns the cookies the browser holds for the page it shows, as
// name=value.
func (p *Tab) Cookies(t testing.TB) []string {
	t.Helper()
	var cs []struct{ Name, Value string }
	p.Do(t, "WebDriver:GetCookies", nil, &cs)
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s=%s", c.Name, c.Value))
	}
	return out
}

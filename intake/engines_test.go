package intake

import (
	"context"
	"testing"

	"testimony/tests/browserproc"
	"testimony/tests/cdp"
	"testimony/tests/firefox"
)

// phone is what a test does with either engine's tab: the survivor-page
// browser tests are written against it once and run in both engines
// (engines), Chromium through tests/cdp and Firefox ESR, Tor Browser's
// engine, through tests/firefox.
type phone interface {
	Navigate(t testing.TB, url string)
	// ClickAndWait clicks a link or a button and waits for the page it
	// leads to; Click clicks a check box, a radio button or an option.
	ClickAndWait(t testing.TB, selector string)
	Click(t testing.TB, selector string)
	// Tap taps and returns at once, the page it sends for still on its
	// way; TapAndWaitFor waits until a page at an address starting with
	// prefix has loaded, however many load on the way.
	Tap(t testing.TB, selector string)
	TapAndWaitFor(t testing.TB, selector, prefix string)
	Type(t testing.TB, selector, text string)
	Choose(t testing.TB, selector, option string)
	SetFiles(t testing.TB, selector string, paths ...string)
	Value(t testing.TB, selector string) string
	Text(t testing.TB, selector string) string
	Texts(t testing.TB, selector string) []string
	Attr(t testing.TB, selector, name string) (string, bool)
	Attrs(t testing.TB, selector, name string) []string
	Has(t testing.TB, selector string) bool
	PageText(t testing.TB) string
	Source(t testing.TB) string
	Back(t testing.TB)
	Forward(t testing.TB)
	Reload(t testing.TB)
	History(t testing.TB) (current int, urls []string)
	GoTo(t testing.TB, index int)
	URL(t testing.TB) string
	ErrorPage(t testing.TB) bool
	Box(t testing.TB, selector string) (x0, y0, x1, y1 float64)
	ContentSize(t testing.TB) (width, height float64)
	ScrollTo(t testing.TB, selector string)
	Screenshot(t testing.TB, path string)
	ScreenshotPage(t testing.TB, path string)
	// RecordRequests records the address of every request the pages
	// make from now on (not the browser's own); urls gives them so far.
	RecordRequests(t testing.TB) (urls func() []string)
	// Cookies are the cookies the browser holds: all of them in
	// Chromium, the shown page's in Firefox (WebDriver has no more).
	Cookies(t testing.TB) []string
}

// chromiumPhone is a cdp.Tab as a phone.
type chromiumPhone struct {
	*cdp.Tab
	b *cdp.Browser
}

func (p chromiumPhone) Has(t testing.TB, sel string) bool { return p.QueryMaybe(t, sel) != 0 }
func (p chromiumPhone) Back(t testing.TB)                 { p.Tab.Back(t) }
func (p chromiumPhone) Forward(t testing.TB)              { p.Tab.Forward(t) }
func (p chromiumPhone) GoTo(t testing.TB, i int)          { p.Tab.GoTo(t, i) }
func (p chromiumPhone) Tap(t testing.TB, sel string)      { p.Tab.Click(t, sel) }
func (p chromiumPhone) Source(t testing.TB) string        { return p.OuterHTML(t, p.Document(t)) }

func (p chromiumPhone) ScrollTo(t testing.TB, sel string) {
	p.Do(t, "DOM.scrollIntoViewIfNeeded", map[string]any{"nodeId": p.Query(t, sel)}, nil)
}

func (p chromiumPhone) Cookies(t testing.TB) []string {
	var out []string
	for _, c := range p.b.Cookies(t) {
		out = append(out, c.Domain+": "+c.Name+"="+c.Value)
	}
	return out
}

// setScripts switches page scripts on or off from the next page on: only
// Chromium can (Firefox's javascript.enabled is set before it starts),
// which lets a test show that its probe can tell.
func (p chromiumPhone) setScripts(t testing.TB, on bool) {
	p.Do(t, "Emulation.setScriptExecutionDisabled", map[string]any{"value": !on}, nil)
}

// plainText is the text of markup as both engines' tabs read it.
var plainText = browserproc.PlainText

// onionName is the site's name in these tests, a v3 onion address's shape.
const onionName = "survivorpagesx2ekqbt7jvaewzqxrlmhvm3cn6ggz4dl3w7kqhm6hqd.onion"

// engine starts one browser engine on a phone screen, scripts off, its
// proxy at proxy.
type engine struct {
	name  string
	start func(t *testing.T, ctx context.Context, proxy string) phone
}

var engines = []engine{
	{"chromium", func(t *testing.T, ctx context.Context, proxy string) phone {
		bin := cdp.Find()
		if bin == "" {
			t.Skip("chromium not installed: apt-get install chromium fonts-noto-cjk (.ci/run does)")
		}
		b := cdp.Start(t, ctx, bin, cdp.Options{Width: screenWidth, Height: screenHeight, Proxy: proxy})
		p := b.NewTab(t)
		p.DisableScripts(t)
		return chromiumPhone{p, b}
	}},
	{"firefox", func(t *testing.T, ctx context.Context, proxy string) phone {
		bin := firefox.Find()
		if bin == "" {
			t.Skip("firefox-esr not installed: apt-get install firefox-esr (.ci/run does)")
		}
		return firefox.Start(t, ctx, bin, firefox.Options{Width: screenWidth, Height: screenHeight, Proxy: proxy}).Tab()
	}},
}

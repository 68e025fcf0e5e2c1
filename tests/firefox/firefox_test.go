package firefox

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
)

const onion = "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvw.onion"

// TestFormUnderAnOnionName: through a loopback proxy, the site is reached
// under an .onion name; with scripts off, typing, a click that sends a
// form, Back and Resend work, and Firefox sends the fetch metadata and
// Origin of a secure context.
func TestFormUnderAnOnionName(t *testing.T) {
	bin := Find()
	if bin == "" {
		t.Skip("firefox-esr not installed: apt-get install firefox-esr (.ci/run does)")
	}
	if testing.Short() {
		t.Skip("starts a browser; skipped in -short mode")
	}
	// No time limit of its own: under load Firefox took over 90 s to open
	// its session; go test's -timeout is the bound.
	ctx := t.Context()
	var mu sync.Mutex
	var seen []http.Header
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if r.Method == "POST" {
			r.ParseForm()
			mu.Lock()
			seen = append(seen, r.Header.Clone())
			mu.Unlock()
			io.WriteString(w, `<!doctype html><p id="got">`+r.Host+" "+r.PostForm.Get("x")+`</p><a id="next" href="/next">next</a>`)
			return
		}
		io.WriteString(w, `<!doctype html><p id="probe">no script</p><script>document.getElementById("probe").textContent="script"</script>
<form method="post" action="/send"><textarea name="x" id="x"></textarea><button id="go">go</button></form>`)
	}))
	defer site.Close()
	target, _ := url.Parse(site.URL)
	proxy := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(target)
		r.Out.Host = r.In.Host
	}})
	defer proxy.Close()

	b := Start(t, ctx, bin, Options{Proxy: strings.TrimPrefix(proxy.URL, "http://")})
	p := b.Tab()
	p.Navigate(t, "http://"+onion+"/")
	if got := p.Text(t, "#probe"); got != "no script" {
		t.Fatalf("probe says %q: scripts run", got)
	}
	p.Type(t, "#x", "hello 안녕")
	if v := p.Value(t, "#x"); v != "hello 안녕" {
		t.Fatalf("value %q", v)
	}
	p.ClickAndWait(t, "#go")
	if got := p.Text(t, "#got"); got != onion+" hello 안녕" {
		t.Fatalf("answer %q", got)
	}
	p.ClickAndWait(t, "#next")
	p.Back(t)
	// A form's answer kept no-store is not kept for Back: the browser
	// shows its own page, and Reload sends the form again.
	if !p.ErrorPage(t) {
		t.Errorf("Back to a form's answer shows %q, want the browser's own page", p.Source(t))
	}
	p.Reload(t)
	if got := p.Text(t, "#got"); got != onion+" hello 안녕" {
		t.Errorf("after Reload: %q", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) == 0 {
		t.Fatal("no POST")
	}
	h := seen[0]
	if len(seen) != 2 {
		t.Errorf("%d POSTs, want the form and its resend", len(seen))
	}
	if h.Get("Sec-Fetch-Site") != "same-origin" || h.Get("Origin") != "http://"+onion {
		t.Errorf("Sec-Fetch-Site %q, Origin %q", h.Get("Sec-Fetch-Site"), h.Get("Origin"))
	}
}

package intake

// Her phone keeps nothing: in both browser engines we can run (Chromium,
// and Firefox ESR, the engine of Tor Browser), with JavaScript off on a
// 360-pixel screen, the site reached under an .onion name through a proxy
// as Tor Browser reaches it, nothing she typed or was shown comes back by
// Back (several times), Forward or Resend after the quick exit, after
// sending, and after adding more on a return visit; a page left open over
// a restart gives her text back once, in a fresh form.

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"filippo.io/age"

	"testimony/tests/vaulttest"
	"testimony/vault"
)

// onionSite is the intake under onionName, behind a proxy that sends the
// onion's requests to it and every other one where it is addressed (the
// exit site). restart replaces the server with a new one on the same
// store, as a restart of the process would.
type onionSite struct {
	base, exit, proxy string
	store             *vault.Store
	reviewer          *age.X25519Identity
	srv               atomic.Pointer[Server]
	restart           func(t *testing.T)
	served            traffic // what the intake served, and cookies
	mu                sync.Mutex
	posts             []http.Header // of the forms sent to the onion
	requested         []string      // every address the browser asked the proxy for
	// intercept, if set, may answer a request for the onion itself
	// (returning true) instead of the proxy passing it on with forward,
	// as a slow or broken link would.
	intercept func(w http.ResponseWriter, r *http.Request, forward http.Handler) bool
}

// client is an HTTP client that reaches the onion through the proxy, as
// the browsers do.
func (o *onionSite) client() *http.Client {
	return &http.Client{Transport: &http.Transport{Proxy: func(*http.Request) (*url.URL, error) {
		return &url.URL{Scheme: "http", Host: o.proxy}, nil
	}}}
}

func newOnionSite(t *testing.T) *onionSite {
	t.Helper()
	o := &onionSite{base: "http://" + onionName}
	exit := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><title>weather</title><p id="elsewhere">the weather today</p>`)
	}))
	t.Cleanup(exit.Close)
	o.exit = exit.URL + "/"
	o.store, _ = vaulttest.Open(t)
	o.reviewer = vaulttest.Identity(t)
	recipients := []age.Recipient{o.reviewer.Recipient()}
	o.restart = func(t *testing.T) {
		s, err := New(Config{Store: o.store, Recipients: recipients, KDF: testKDF, Host: onionName, ExitURL: o.exit})
		if err != nil {
			t.Fatal(err)
		}
		o.srv.Store(s)
	}
	o.restart(t)
	site := httptest.NewServer(o.served.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { o.srv.Load().ServeHTTP(w, r) })))
	t.Cleanup(site.Close)
	target, _ := url.Parse(site.URL)
	forward := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		if strings.EqualFold(r.In.Host, onionName) {
			if r.In.Method == http.MethodPost {
				o.mu.Lock()
				o.posts = append(o.posts, r.In.Header.Clone())
				o.mu.Unlock()
			}
			r.SetURL(target)
			r.Out.Host = r.In.Host
			return
		}
		r.SetURL(&url.URL{Scheme: "http", Host: r.In.URL.Host})
	}}
	// Nothing leaves the machine: the browser's own requests (updates,
	// HTTPS probes, CONNECT) for anywhere but loopback are refused.
	loopback := func(r *http.Request) bool {
		host, _, err := net.SplitHostPort(r.URL.Host)
		if err != nil {
			host = r.URL.Host
		}
		ip := net.ParseIP(host)
		return r.Method != http.MethodConnect && ip != nil && ip.IsLoopback()
	}
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.mu.Lock()
		o.requested = append(o.requested, r.URL.String())
		intercept := o.intercept
		o.mu.Unlock()
		onion := r.Method != http.MethodConnect && strings.EqualFold(r.Host, onionName)
		if !onion && !loopback(r) {
			http.Error(w, "not in this test", http.StatusForbidden)
			return
		}
		if onion && intercept != nil && intercept(w, r, forward) {
			return
		}
		forward.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	o.proxy = strings.TrimPrefix(proxy.URL, "http://")
	return o
}

// leak reports what of secrets the page shows or holds in a form control,
// or "".
func leak(t *testing.T, p phone, secrets ...string) string {
	t.Helper()
	src := p.Source(t)
	for _, sel := range []string{"textarea#testimony", "textarea#more", "input#receipt", "input#typed"} {
		src += "\n" + p.Value(t, sel)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(src, s) {
			return s
		}
	}
	return ""
}

// backAndResend presses Back n times, and at each page also Resend
// (reload, sending a form's answer again), then Forward as far as it
// went; nothing of secrets may come back at any step.
func backAndResend(t *testing.T, p phone, what string, n int, secrets ...string) {
	t.Helper()
	check := func(step string) {
		t.Helper()
		if s := leak(t, p, secrets...); s != "" {
			t.Errorf("%s, %s: %s shows %q", what, step, p.URL(t), s)
		}
	}
	for i := 1; i <= n; i++ {
		p.Back(t)
		check("Back ×" + string(rune('0'+i)))
		p.Reload(t)
		check("Back ×" + string(rune('0'+i)) + " then Resend")
	}
	for i := 1; i <= n; i++ {
		p.Forward(t)
		check("Forward ×" + string(rune('0'+i)))
	}
}

func TestPhoneKeepsNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts browsers; skipped in -short mode")
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			// No time limit of its own: on a busy machine the walk took
			// over four minutes in Firefox; go test's -timeout is the bound.
			ctx := t.Context()
			o := newOnionSite(t)
			p := e.start(t, ctx, o.proxy)
			shots := os.Getenv("SCREENSHOT_DIR")
			shoot := func(name string) {
				if shots != "" {
					os.MkdirAll(shots, 0o755)
					p.Screenshot(t, filepath.Join(shots, e.name+"-"+name+".png"))
				}
			}
			ko := catalog["ko"]
			// onScreen checks the page fits a 360-pixel screen with the
			// quick exit at its top.
			onScreen := func(where string) {
				t.Helper()
				if x0, _, x1, _ := p.Box(t, "main"); x1-x0 > screenWidth+0.5 {
					t.Errorf("%s: the page is %.0f px wide on a %d px screen", where, x1-x0, screenWidth)
				}
				if _, y0, _, _ := p.Box(t, ".exit"); y0 > 1 {
					t.Errorf("%s: the quick exit starts at %.0f px, not at the top", where, y0)
				}
			}
			var words, digits string

			t.Run("quick exit while writing", func(t *testing.T) {
				p.Navigate(t, o.base+"/ko/")
				onScreen("safety page")
				p.ClickAndWait(t, "button#start")
				onScreen("write page")
				canary := "EXITCANARY 쓰다가 누가 왔습니다"
				p.Type(t, "textarea#testimony", canary)
				p.ClickAndWait(t, "a.exit")
				if !p.Has(t, "#elsewhere") {
					t.Fatalf("the quick exit leads to %s", p.URL(t))
				}
				backAndResend(t, p, "after the quick exit", 3, "EXITCANARY")
			})

			t.Run("quick exit on a write page linked from elsewhere", func(t *testing.T) {
				// Reached by GET, as from a link: the one way a form page
				// could be kept whole for Back (formPageStatus).
				p.Navigate(t, o.base+"/ko/write")
				p.Type(t, "textarea#testimony", "LINKCANARY 링크로 열었습니다")
				p.ClickAndWait(t, "a.exit")
				backAndResend(t, p, "after the quick exit from a linked write page", 2, "LINKCANARY")
				p.Navigate(t, o.base+"/ko/return")
				p.Type(t, "input#receipt", "LINKRECEIPT 가나다")
				p.ClickAndWait(t, "a.exit")
				backAndResend(t, p, "after the quick exit from a linked return page", 2, "LINKRECEIPT")
			})

			t.Run("after sending", func(t *testing.T) {
				p.Navigate(t, o.base+"/ko/")
				p.ClickAndWait(t, "button#start")
				p.Type(t, "textarea#testimony", "SENTCANARY 2019년 겨울에 강을 건넜습니다")
				p.ClickAndWait(t, `form[action="/ko/submit"] button[type="submit"]`)
				shoot("receipt")
				onScreen("receipt page")
				words = strings.Join(strings.Fields(p.Text(t, "#receipt")), " ")
				digits = strings.Join(strings.Fields(p.Text(t, "#digits")), " ")
				if words == "" {
					t.Fatal("no receipt")
				}
				// Help opens in place, so the receipt stays: no link leads away.
				if !p.Has(t, "details#help summary") || p.Has(t, `main a[href="/ko/help"]`) {
					t.Error("the receipt page's help is a link that would lose the receipt")
				}
				p.Type(t, "input#typed", words)
				p.ClickAndWait(t, `form[action="/ko/check"] button[type="submit"]`)
				backAndResend(t, p, "after sending", 5, "SENTCANARY", words, digits)
				p.Reload(t) // the check's answer is not kept: a page with the quick exit
				p.ClickAndWait(t, "a.exit")
				backAndResend(t, p, "after sending and the quick exit", 5, "SENTCANARY", words, digits)
			})

			t.Run("on the add-more page", func(t *testing.T) {
				if words == "" {
					t.Skip("no receipt from the step before")
				}
				p.Navigate(t, o.base+"/ko/")
				p.ClickAndWait(t, "button#comeback")
				p.Type(t, "input#receipt", words)
				p.ClickAndWait(t, `form[action="/ko/return"] button[type="submit"]`)
				if !p.Has(t, `form[action="/ko/add"]`) {
					t.Fatalf("her receipt %q does not open her visit: %s: %.300s", words, p.URL(t), p.Text(t, "main"))
				}
				onScreen("status page")
				p.Type(t, "textarea#more", "ADDCANARY 하나 더 적습니다")
				p.ClickAndWait(t, `form[action="/ko/add"] button[type="submit"]`)
				if got := p.Text(t, "#message"); got != ko["addDone"] {
					t.Fatalf("after adding: %q", got)
				}
				// She leaves by the help link, not by "finish" nor the quick
				// exit: the visit stays open on the server for a while.
				p.ClickAndWait(t, `main a[href="/ko/help"]`)
				p.ClickAndWait(t, "a.exit")
				backAndResend(t, p, "after adding, leaving by help", 5, "ADDCANARY", words, digits)
				// No page sent again from the history reopened her visit.
				for i := 0; i < 5; i++ {
					p.Back(t)
					p.Reload(t)
					if p.Has(t, `form[action="/ko/add"]`) || p.Has(t, `form[action="/ko/withdraw"]`) {
						t.Fatalf("Back ×%d then Resend reopens her visit: %s", i+1, p.URL(t))
					}
				}
			})

			// Every form she sent carried the site's own Origin (the
			// same-origin referrer policy), which the cross-origin check
			// accepts where no Sec-Fetch-Site comes: Chromium sends none
			// to an http .onion, which it does not treat as secure;
			// Firefox, with Tor Browser's allowlist_onions, does.
			defer func() {
				o.mu.Lock()
				defer o.mu.Unlock()
				withoutFetchSite := 0
				for _, h := range o.posts {
					if got := h.Get("Origin"); got != o.base {
						t.Errorf("a form was sent with Origin %q, want %q", got, o.base)
					}
					if h.Get("Sec-Fetch-Site") == "" {
						withoutFetchSite++
					} else if got := h.Get("Sec-Fetch-Site"); got != "same-origin" {
						t.Errorf("a form was sent with Sec-Fetch-Site %q", got)
					}
				}
				if e.name == "firefox" && withoutFetchSite > 0 {
					t.Errorf("firefox sent %d of %d forms without Sec-Fetch-Site: the onion is not a secure context", withoutFetchSite, len(o.posts))
				}
				t.Logf("%s: %d forms sent, %d without Sec-Fetch-Site, all accepted on their Origin", e.name, len(o.posts), withoutFetchSite)
			}()

			t.Run("a page left open over a restart", func(t *testing.T) {
				p.Navigate(t, o.base+"/ko/")
				p.ClickAndWait(t, "button#start")
				o.restart(t)
				const text = "STALECANARY 재시작 전에 쓴 글"
				p.Type(t, "textarea#testimony", text)
				p.ClickAndWait(t, `form[action="/ko/submit"] button[type="submit"]`)
				shoot("stale")
				if got := p.Text(t, "#error"); got != ko["errStale"] {
					t.Fatalf("a form from before the restart: the page says %q, want %q", got, ko["errStale"])
				}
				if got := p.Value(t, "textarea#testimony"); got != text {
					t.Fatalf("her text given back: %q, want %q", got, text)
				}
				// Resend of that refusal, as from the history, gives nothing back.
				p.Reload(t)
				if s := leak(t, p, "STALECANARY"); s != "" {
					t.Fatalf("the refusal sent again shows %q", s)
				}
				p.Navigate(t, o.base+"/ko/")
				p.ClickAndWait(t, "button#start")
				p.Type(t, "textarea#testimony", text)
				p.ClickAndWait(t, `form[action="/ko/submit"] button[type="submit"]`)
				if !p.Has(t, "#receipt") {
					t.Fatalf("sent again in a fresh form: %s", p.URL(t))
				}
			})
		})
	}
}

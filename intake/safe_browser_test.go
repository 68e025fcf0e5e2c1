package intake

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"filippo.io/age"

	"testimony/internal/cdp"
	"testimony/internal/vaulttest"
)

// lastBody keeps the body of the last answer to each path, as the browser
// received it.
type lastBody struct {
	mu   sync.Mutex
	body map[string][]byte
}

type teeWriter struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (w *teeWriter) Write(p []byte) (int, error) {
	w.buf.Write(p)
	return w.ResponseWriter.Write(p)
}

func (l *lastBody) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &teeWriter{ResponseWriter: w}
		h.ServeHTTP(tw, r)
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.body == nil {
			l.body = map[string][]byte{}
		}
		l.body[r.Method+" "+r.URL.Path] = tw.buf.Bytes()
	})
}

func (l *lastBody) get(key string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.body[key])
}

// TestBrowserSafeReceipt follows her in a real browser with scripts off:
// she writes, takes a second receipt on the receipt page choosing in plain
// words what its use means, and later both her receipts open a visit
// through the return page. The page her safe receipt opens is, as the
// browser received it and as it shows it, the page of another real
// account that has no reply yet (tokens blanked), while her real receipt
// shows the reply. Chromium through internal/cdp; Firefox once its driver
// lands (issue 13).
func TestBrowserSafeReceipt(t *testing.T) {
	bin := cdp.Find()
	if bin == "" {
		t.Skip("chromium not installed: apt-get install chromium fonts-noto-cjk (.ci/run does)")
	}
	if testing.Short() {
		t.Skip("starts a browser; skipped in -short mode")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()

	store, _ := vaulttest.Open(t)
	reviewer := vaulttest.Identity(t)
	srv, err := New(Config{Store: store, Recipients: []age.Recipient{reviewer.Recipient()}, KDF: testKDF})
	if err != nil {
		t.Fatal(err)
	}
	var seen lastBody
	site := httptest.NewServer(seen.wrap(srv))
	t.Cleanup(site.Close)
	testServers.Store(site.URL, srv)

	b := cdp.Start(t, ctx, bin, cdp.Options{Width: screenWidth, Height: screenHeight})
	p := b.NewTab(t)
	p.DisableScripts(t)

	// Another woman's account, with no reply: the page to compare with.
	other := submitAccount(t, site, "다른 사람의 이야기")

	p.Navigate(t, site.URL+"/ko/write")
	p.Type(t, "textarea#testimony", "브라우저에서 쓴 이야기")
	p.ClickAndWait(t, `form[action="/ko/submit"] button[type="submit"]`)
	first := p.Text(t, "#digits")
	if p.QueryMaybe(t, "form#offer") == 0 {
		t.Fatal("the receipt page offers no second receipt")
	}
	p.Click(t, `input[name="chose"][value="pressure"]`)
	p.ClickAndWait(t, "button#takesecond")
	second := p.Text(t, "#digits")
	if second == first || p.Text(t, "#means") != (lang("ko")).textf("secondMeans", catalog["ko"]["secondPressure"]) {
		t.Fatalf("second receipt %q (first %q), or its page does not say what she chose", second, first)
	}
	id := submissionOf(t, store, reviewer, "브라우저에서 쓴 이야기")
	replyTo(t, store, reviewer, id, "읽었습니다. 조심하세요.")

	open := func(receipt string) (shown, received string) {
		t.Helper()
		p.Navigate(t, site.URL+"/ko/return")
		p.Type(t, "input#receipt", receipt)
		p.ClickAndWait(t, `form[action="/ko/return"] button[type="submit"]`)
		if p.QueryMaybe(t, "#arrived") == 0 {
			t.Fatalf("receipt %q opens no visit", receipt)
		}
		return p.PageText(t), seen.get("POST /ko/return")
	}
	realShown, _ := open(first)
	if !strings.Contains(realShown, "읽었습니다. 조심하세요.") {
		t.Error("her real receipt does not show the reply")
	}
	safeShown, safeBody := open(second)
	otherShown, otherBody := open(other.digits)
	if strings.Contains(safeShown, "읽었습니다") {
		t.Error("her safe receipt shows the reply")
	}
	blank := func(p string) string { return tokensRE.ReplaceAllString(p, `name="$1" value=""`) }
	if len(safeBody) != len(otherBody) || blank(safeBody) != blank(otherBody) || safeShown != otherShown {
		t.Errorf("in the browser, the safe receipt's page (%d bytes) differs from an empty account's (%d bytes)", len(safeBody), len(otherBody))
	}
}

package intake

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"filippo.io/age"

	"testimony/tests/vaulttest"
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

// TestBrowserSafeReceipt follows her in each real browser engine with
// scripts off (Chromium through tests/cdp, Firefox ESR, Tor Browser's
// engine, through tests/firefox): she writes, takes a second receipt
// on the receipt page choosing in plain words what its use means, and
// later both her receipts open a visit through the return page. The page
// her safe receipt opens is, as the browser received it and as it holds
// it, the page of another real account that has no reply yet (tokens
// blanked), while her real receipt shows the reply.
func TestBrowserSafeReceipt(t *testing.T) {
	if testing.Short() {
		t.Skip("starts browsers; skipped in -short mode")
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			// No time limit of its own: under .ci/stress Firefox alone
			// took over 90 s to open its session; go test's -timeout is
			// the bound.
			safeReceiptIn(t, e.start(t, t.Context(), ""))
		})
	}
}

func safeReceiptIn(t *testing.T, p phone) {
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

	// Another woman's account, with no reply: the page to compare with.
	other := submitAccount(t, site, "다른 사람의 이야기")

	p.Navigate(t, site.URL+"/ko/write")
	p.Type(t, "textarea#testimony", "브라우저에서 쓴 이야기")
	p.ClickAndWait(t, `form[action="/ko/submit"] button[type="submit"]`)
	first := p.Text(t, "#digits")
	if !p.Has(t, "form#offer") {
		t.Fatal("the receipt page offers no second receipt")
	}
	if c, ok := p.(interface{ Click(testing.TB, string) }); ok {
		c.Click(t, `input[name="chose"][value="pressure"]`)
	} else {
		p.ClickAndWait(t, `input[name="chose"][value="pressure"]`) // no page follows
	}
	p.ClickAndWait(t, "button#takesecond")
	second := p.Text(t, "#digits")
	if second == first || p.Text(t, "#means") != (lang("ko")).textf("secondMeans", catalog["ko"]["secondPressure"]) {
		t.Fatalf("second receipt %q (first %q), or its page does not say what she chose: %q", second, first, p.Text(t, "#means"))
	}
	id := submissionOf(t, store, reviewer, "브라우저에서 쓴 이야기")
	replyTo(t, store, reviewer, id, "읽었습니다. 조심하세요.")

	open := func(receipt string) (held, received string) {
		t.Helper()
		p.Navigate(t, site.URL+"/ko/return")
		p.Type(t, "input#receipt", receipt)
		p.ClickAndWait(t, `form[action="/ko/return"] button[type="submit"]`)
		if !p.Has(t, "#arrived") {
			t.Fatalf("receipt %q opens no visit", receipt)
		}
		return p.Source(t), seen.get("POST /ko/return")
	}
	realHeld, _ := open(first)
	if !strings.Contains(realHeld, "읽었습니다. 조심하세요.") {
		t.Error("her real receipt does not show the reply")
	}
	safeHeld, safeBody := open(second)
	otherHeld, otherBody := open(other.digits)
	if strings.Contains(safeHeld, "읽었습니다") {
		t.Error("her safe receipt shows the reply")
	}
	blank := func(p string) string { return tokensRE.ReplaceAllString(p, `name="$1" value=""`) }
	if len(safeBody) != len(otherBody) || blank(safeBody) != blank(otherBody) {
		t.Errorf("the safe receipt's page as received (%d bytes) differs from an empty account's (%d bytes)", len(safeBody), len(otherBody))
	}
	if blank(safeHeld) != blank(otherHeld) {
		t.Errorf("the safe receipt's page as the browser holds it differs from an empty account's:\n%s\n---\n%s", blank(safeHeld), blank(otherHeld))
	}
}

package intake

import (
	"bytes"
	"context"
	"errors"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"filippo.io/age"

	"testimony/tests/vaulttest"
	"testimony/vault"
)

var testKDF = KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}

func newTestServer(t testing.TB, cfg Config) (*Server, *vault.Store, *httptest.Server) {
	t.Helper()
	store, _ := vaulttest.Open(t)
	if cfg.Recipients == nil {
		cfg.Recipients = []age.Recipient{vaulttest.Identity(t).Recipient()}
	}
	if cfg.KDF == (KDFParams{}) {
		cfg.KDF = testKDF
	}
	cfg.Store = store
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	testServers.Store(ts.URL, s)
	return s, store, ts
}

// testServers maps a test server's URL to its Server, so helpers can issue
// the single-use form tokens its pages would carry.
var testServers sync.Map

// token issues a form token of ts's server for purpose, as a page would.
func token(ts *httptest.Server, purpose string) string {
	s, _ := testServers.Load(ts.URL)
	return s.(*Server).forms.issue(purpose)
}

// formFor is form with the write page's single-use token first, as the
// real form sends it.
func formFor(ts *httptest.Server, fields ...string) (string, *bytes.Buffer) {
	return form(append([]string{"n", token(ts, tokenWrite)}, fields...)...)
}

func form(fields ...string) (string, *bytes.Buffer) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for i := 0; i+1 < len(fields); i += 2 {
		w, _ := mw.CreateFormField(fields[i])
		io.WriteString(w, fields[i+1])
	}
	mw.Close()
	return mw.FormDataContentType(), &b
}

func post(t testing.TB, url, ctype string, body io.Reader) (int, string) {
	t.Helper()
	resp, err := http.Post(url, ctype, body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var receiptRE = regexp.MustCompile(`\d{4}( \d{4}){4}`)

func custodyLen(t testing.TB, s *vault.Store) int {
	t.Helper()
	es, err := s.Custody()
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

func TestSubmitShowsReceiptAfterCommit(t *testing.T) {
	_, store, ts := newTestServer(t, Config{})
	ct, body := formFor(ts, "testimony", "겪은 일")
	status, page := post(t, ts.URL+"/ko/submit", ct, body)
	if status != 200 || !receiptRE.MatchString(page) || !strings.Contains(page, "잘 받았습니다") {
		t.Fatalf("status %d, page without receipt", status)
	}
	if custodyLen(t, store) != 1 {
		t.Fatal("receipt shown but nothing committed")
	}
}

// TestNoReceiptWhenCommitFails closes the store under the running server,
// so the commit fails for real: she must see an error, never a receipt.
func TestNoReceiptWhenCommitFails(t *testing.T) {
	_, store, ts := newTestServer(t, Config{})
	store.Close()
	ct, body := formFor(ts, "testimony", "겪은 일")
	status, page := post(t, ts.URL+"/ko/submit", ct, body)
	if status != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", status)
	}
	if receiptRE.MatchString(page) {
		t.Fatal("a receipt was shown for a submission that was not stored")
	}
	if !strings.Contains(page, catalog["ko"]["errStore"]) {
		t.Error("the error page does not say it was not stored, in Korean")
	}
}

func TestBadInputChangesNothing(t *testing.T) {
	_, store, ts := newTestServer(t, Config{MaxTextBytes: 1000})
	big := strings.Repeat("가", 400) // 1200 bytes
	cases := []struct {
		name, lang, ctype string
		body              io.Reader
		status            int
		key               string
	}{
		{"empty", "ko", "", nil, 422, "errEmpty"},
		{"blank", "zh", "", nil, 422, "errEmpty"},
		{"too long", "ko", "", nil, 413, "errTooLarge"},
		{"invalid UTF-8", "en", "", nil, 400, "errEncoding"},
		{"NUL byte", "ko", "", nil, 400, "errEncoding"},
		{"unknown field", "ko", "", nil, 400, "errMalformed"},
		{"two texts", "ko", "", nil, 400, "errMalformed"},
		{"not multipart", "ko", "application/x-www-form-urlencoded", strings.NewReader("testimony=x"), 400, "errMalformed"},
		{"cut multipart", "zh", "multipart/form-data; boundary=zz", strings.NewReader("--zz\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n" + token(ts, tokenWrite) + "\r\n--zz\r\nContent-Disposition: form-data; name=\"testimony\"\r\n\r\nhello"), 400, "errMalformed"},
	}
	bodies := map[string][]string{
		"empty":         {"testimony", ""},
		"blank":         {"testimony", " \n\t 　"},
		"too long":      {"testimony", big},
		"invalid UTF-8": {"testimony", "ab\xff\xfe"},
		"NUL byte":      {"testimony", "a\x00b"},
		"unknown field": {"name", "x", "testimony", "y"},
		"two texts":     {"testimony", "a", "testimony", "b"},
	}
	for _, c := range cases {
		if c.body == nil {
			c.ctype, c.body = formFor(ts, bodies[c.name]...)
		}
		status, page := post(t, ts.URL+"/"+c.lang+"/submit", c.ctype, c.body)
		if status != c.status {
			t.Errorf("%s: status %d, want %d", c.name, status, c.status)
		}
		if !strings.Contains(page, catalog[lang(c.lang)][c.key]) {
			t.Errorf("%s: page lacks the %s message in %s", c.name, c.key, c.lang)
		}
		if receiptRE.MatchString(page) {
			t.Errorf("%s: a receipt was shown", c.name)
		}
	}
	if n := custodyLen(t, store); n != 0 {
		t.Fatalf("bad input stored %d submissions", n)
	}
}

func TestBusyWhenKDFPoolFull(t *testing.T) {
	s, store, ts := newTestServer(t, Config{KDFMemoryBudget: 1, KDFQueueWait: 50 * time.Millisecond})
	s.pool.slots <- struct{}{} // another derivation holds the only slot
	ct, body := formFor(ts, "testimony", "겪은 일")
	status, page := post(t, ts.URL+"/ko/submit", ct, body)
	if status != http.StatusServiceUnavailable || !strings.Contains(page, catalog["ko"]["errBusy"]) {
		t.Fatalf("status %d, want 503 with the busy page", status)
	}
	if custodyLen(t, store) != 0 {
		t.Fatal("a busy submission was stored without a receipt")
	}
	<-s.pool.slots
}

func TestSecurityHeadersAndExitLinkOnEveryPage(t *testing.T) {
	_, _, ts := newTestServer(t, Config{ExitURL: "https://example.org/weather"})
	for _, path := range []string{"/", "/ko/", "/zh/", "/en/", "/xx/", "/ko/nothing"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "form-action 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		for k, v := range map[string]string{"Referrer-Policy": "same-origin", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"} {
			if h.Get(k) != v {
				t.Errorf("%s: %s = %q", path, k, h.Get(k))
			}
		}
		if !strings.Contains(string(page), `href="https://example.org/weather"`) {
			t.Errorf("%s: no quick-exit link", path)
		}
		if strings.Contains(string(page), "<script") || regexp.MustCompile(`(src|href)="//|src="http`).Match(page) {
			t.Errorf("%s: a script or an outside resource", path)
		}
	}
}

func TestGETSubmitIsNotAllowed(t *testing.T) {
	_, _, ts := newTestServer(t, Config{})
	resp, err := http.Get(ts.URL + "/ko/submit")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	_, store, ts := newTestServer(t, Config{})
	ct, body := formFor(ts, "testimony", "x")
	req, _ := http.NewRequest("POST", ts.URL+"/ko/submit", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || custodyLen(t, store) != 0 {
		t.Fatalf("cross-site POST: status %d", resp.StatusCode)
	}
}

func TestCatalogComplete(t *testing.T) {
	for _, l := range languages {
		for key := range catalog["en"] {
			if strings.TrimSpace(catalog[l][key]) == "" {
				t.Errorf("%s lacks %q", l, key)
			}
		}
		if len(catalog[l]) != len(catalog["en"]) {
			t.Errorf("%s has keys English lacks", l)
		}
	}
	// Loanwords a North Korean reader may not know (GLOSSARY.md).
	for key, s := range catalog["ko"] {
		for _, w := range []string{"테스트", "업로드", "링크", "파일", "패스워드", "코드", "클릭", "데모"} {
			if strings.Contains(s, w) {
				t.Errorf("ko %s uses the loanword %s", key, w)
			}
		}
	}
}

func TestReplyKeyFromReceipt(t *testing.T) {
	a, err := deriveReceipt("00000000000000000001", []byte("salt"), testKDF)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := deriveReceipt("00000000000000000001", []byte("salt"), testKDF)
	c, _ := deriveReceipt("00000000000000000002", []byte("salt"), testKDF)
	if a.reply.String() != b.reply.String() || a.reply.String() == c.reply.String() || bytes.Equal(a.tag, c.tag) {
		t.Fatal("the reply key is not a function of the receipt")
	}
	// The identity round-trips through age's own parser, so our bech32
	// encoder agrees with age's.
	id, err := age.ParseX25519Identity(a.reply.String())
	if err != nil || id.Recipient().String() != a.reply.Recipient().String() {
		t.Fatalf("bech32 disagrees with age: %v", err)
	}
}

func TestKDFPoolBounded(t *testing.T) {
	p := newKDFPool(KDFParams{Time: 1, MemoryKiB: 1024, Threads: 1}, 2<<20, 10, 10*time.Millisecond, []byte("salt"))
	if cap(p.slots) != 2 {
		t.Fatalf("budget of 2 MiB at 1 MiB each gave %d slots", cap(p.slots))
	}
	p.slots <- struct{}{}
	p.slots <- struct{}{}
	if _, err := p.derive(context.Background(), "x"); !errors.Is(err, errBusy) {
		t.Fatalf("full pool: got %v, want errBusy", err)
	}
}

// FuzzSubmit sends arbitrary bodies to the form handler, after a valid
// form token (which a fuzzer could never make) so it reaches the parser:
// it must never panic, never show a receipt for something it did not
// store, and store only what it acknowledged.
func FuzzSubmit(f *testing.F) {
	f.Add("testimony", []byte("겪은 일"))
	f.Add("testimony", []byte("a\r\n--B\r\nContent-Disposition: form-data; name=\"testimony\"\r\n\r\nb"))
	f.Add("files\"; filename=\"a.jpg", []byte("\xff\xd8"))
	f.Add("consent", []byte("publish"))
	f.Add("year", []byte("2019"))
	s, store, _ := newTestServer(f, Config{MaxTextBytes: 4096, MaxUploadBytes: 8192})
	f.Fuzz(func(t *testing.T, name string, value []byte) {
		before := custodyLen(t, store)
		body := "--B\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n" + s.forms.issue(tokenWrite) +
			"\r\n--B\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + string(value) + "\r\n--B--\r\n"
		req := httptest.NewRequest("POST", "/ko/submit", strings.NewReader(body))
		req.Header.Set("Content-Type", "multipart/form-data; boundary=B")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		stored := custodyLen(t, store) - before
		shown := receiptRE.Match(rec.Body.Bytes())
		if rec.Code == 200 != shown || shown != (stored == 1) || stored > 1 {
			t.Fatalf("status %d, receipt shown %v, stored %d", rec.Code, shown, stored)
		}
	})
}

// TestTextCheckAcrossWrites feeds text one byte at a time, so every
// multi-byte rune is split across writes.
func TestTextCheckAcrossWrites(t *testing.T) {
	for _, c := range []struct {
		in   string
		want error
	}{
		{"나는 我 ok 😀", nil},
		{"  \n　", errEmpty},
		{"ab\xffcd", errEncoding},
		{"가\x00", errEncoding},
		{"가"[:2], errEncoding},        // cut inside the last rune
		{"\xed\xa0\x80", errEncoding}, // a UTF-16 surrogate
	} {
		var out bytes.Buffer
		tc := &textCheck{w: &out}
		var err error
		for i := 0; i < len(c.in) && err == nil; i++ {
			_, err = tc.Write([]byte{c.in[i]})
		}
		if err == nil {
			err = tc.finish()
		}
		if err != c.want {
			t.Errorf("%q: got %v, want %v", c.in, err, c.want)
		}
		if c.want == nil && out.String() != c.in {
			t.Errorf("%q came out as %q", c.in, out.String())
		}
	}
}

// TestPagesAreSmall keeps every page (HTML with its inlined style) under
// 20 KB, so it loads over a slow Tor circuit; it logs each size.
func TestPagesAreSmall(t *testing.T) {
	_, _, ts := newTestServer(t, Config{})
	for _, path := range []string{"/", "/ko/", "/ko/write", "/zh/write", "/en/write", "/ko/return", "/ko/help", "/ko/nothing"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		t.Logf("%-12s %6d bytes", path, len(b))
		if len(b) > 20<<10 {
			t.Errorf("%s is %d bytes, over 20 KB", path, len(b))
		}
	}
	ct, body := formFor(ts, "testimony", "겪은 일")
	_, page := post(t, ts.URL+"/ko/submit", ct, body)
	t.Logf("%-12s %6d bytes", "receipt", len(page))
}

// TestFormEdgesFromTheAudit holds the small findings of the survivor-side
// audit: a control character in a file name gets a page that names it,
// empty file parts count as fields, HEAD serves pages, and a 405 says
// what is allowed.
func TestFormEdgesFromTheAudit(t *testing.T) {
	_, store, ts := newTestServer(t, Config{})
	for _, name := range []string{"nul\x00name.jpg", "esc\x1b[31mred.jpg"} {
		ct, body := multipartBody(formPart{name: "n", value: token(ts, tokenWrite)}, formPart{name: "testimony", value: "글"}, formPart{name: "files", file: name, value: "\xff\xd8"})
		status, page := post(t, ts.URL+"/ko/submit", ct, body)
		if status != http.StatusBadRequest || !strings.Contains(page, catalog["ko"]["errFileName"]) {
			t.Errorf("file name %q: status %d, not the file-name page", name, status)
		}
	}
	parts := []formPart{{name: "n", value: token(ts, tokenWrite)}, {name: "testimony", value: "글"}}
	for range maxSmallFields + 1 {
		parts = append(parts, formPart{name: "files"})
	}
	ct, body := multipartBody(parts...)
	if status, page := post(t, ts.URL+"/ko/submit", ct, body); status != http.StatusRequestEntityTooLarge || !strings.Contains(page, catalog["ko"]["errTooManyFields"]) {
		t.Errorf("%d empty file parts: status %d", maxSmallFields+1, status)
	}
	if n := custodyLen(t, store); n != 0 {
		t.Fatalf("%d refused forms stored something", n)
	}

	resp, err := http.Head(ts.URL + "/ko/write")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// 203, as GET answers it: see formPageStatus.
	if resp.StatusCode != http.StatusNonAuthoritativeInfo || resp.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("HEAD of the write page: status %d, CSP %q", resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
	}
	for _, c := range []struct{ method, path, allow string }{
		{http.MethodPost, "/ko/help", "GET, HEAD"},
		{http.MethodPut, "/ko/write", "GET, HEAD, POST"},
		{http.MethodGet, "/ko/submit", "POST"},
		{http.MethodPut, "/", "GET, HEAD"},
	} {
		req, _ := http.NewRequest(c.method, ts.URL+c.path, nil)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != c.allow {
			t.Errorf("%s %s: status %d, Allow %q, want 405 and %q", c.method, c.path, resp.StatusCode, resp.Header.Get("Allow"), c.allow)
		}
	}
}

// TestSealedReceiptOpensOnlyWithItsForm takes the sealed receipt of one
// submission's check form to another's: it shows no receipt.
func TestSealedReceiptOpensOnlyWithItsForm(t *testing.T) {
	_, _, ts := newTestServer(t, Config{})
	submit := func() string {
		ct, body := formFor(ts, "testimony", "my account")
		status, page := post(t, ts.URL+"/en/submit", ct, body)
		if status != http.StatusOK {
			t.Fatalf("submit: status %d", status)
		}
		return page
	}
	a, b := submit(), submit()
	digitsA := find(t, digitsRE, a)
	_, page := postForm(t, ts.URL+"/en/check", url.Values{"typed": {"wrong"}, "sealed": {find(t, sealedRE, a)}, "n": {find(t, nRE, b)}})
	if strings.Contains(page, digitsA) || !strings.Contains(page, html.EscapeString(catalog["en"]["checkLost"])) {
		t.Fatal("a sealed receipt opened with another page's check form")
	}
	_, page = postForm(t, ts.URL+"/en/check", url.Values{"typed": {"wrong"}, "sealed": {find(t, sealedRE, a)}, "n": {find(t, nRE, a)}})
	if !strings.Contains(page, digitsA) {
		t.Fatal("a sealed receipt did not open with its own check form")
	}
}

package intake

import (
	"bytes"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"filippo.io/age"

	"testimony/tests/vaulttest"
)

// sendForm posts a whole write form with token n and her text.
func sendForm(t *testing.T, base, n, text string) (int, string) {
	t.Helper()
	ct, body := form("n", n, "testimony", text)
	return post(t, base+"/ko/submit", ct, body)
}

// givenBack returns the text of the form page's textarea, unescaped.
func givenBack(page string) string {
	_, after, ok := strings.Cut(page, `name="testimony"`)
	if !ok {
		return ""
	}
	_, after, _ = strings.Cut(after, ">")
	text, _, _ := strings.Cut(after, "</textarea>")
	return html.UnescapeString(strings.TrimPrefix(text, "\n"))
}

// TestSameFormAgainShowsTheReceiptOnce: the same write form sent again
// (a double tap, a dropped connection, Back then Resend) stores nothing
// more; within minutes of the commit it shows the same receipt, once;
// after that it says her account arrived and gives her text back, once,
// so she can send it again for new words.
func TestSameFormAgainShowsTheReceiptOnce(t *testing.T) {
	_, store, ts := newTestServer(t, Config{})
	n := token(ts, tokenWrite)
	const text = "두 번 누른 이야기 DOUBLETAP"
	status, first := sendForm(t, ts.URL, n, text)
	if status != 200 {
		t.Fatalf("first sending: status %d", status)
	}
	words := find(t, wordsRE, first)
	status, again := sendForm(t, ts.URL, n, text)
	if status != 200 || find(t, wordsRE, again) != words {
		t.Fatalf("the same form again: status %d, want the same receipt %q", status, words)
	}
	status, third := sendForm(t, ts.URL, n, text)
	if status != http.StatusConflict || wordsRE.MatchString(third) || !strings.Contains(third, html.EscapeString(catalog["ko"]["errArrived"])) {
		t.Fatalf("a third time: status %d, want errArrived without the receipt", status)
	}
	// What Back then Resend sends long after she left: nothing of hers
	// comes back.
	if strings.Contains(third, "DOUBLETAP") || !nRE.MatchString(third) {
		t.Fatal("errArrived shows her text, or no fresh form")
	}
	if got := custodyLen(t, store); got != 1 {
		t.Fatalf("%d submissions stored, want 1", got)
	}
}

// TestSecondTapWhileTheFirstIsInFlight: the second tap arrives while the
// first sending is still being stored (its token already spent); it waits
// for the first and shows its receipt.
func TestSecondTapWhileTheFirstIsInFlight(t *testing.T) {
	s, store, ts := newTestServer(t, Config{})
	spent := make(chan struct{}, 2)
	s.sending = func() { spent <- struct{}{} }
	n := token(ts, tokenWrite)

	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	firstDone := make(chan string)
	go func() {
		req, _ := http.NewRequest("POST", ts.URL+"/ko/submit", pr)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			firstDone <- ""
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		firstDone <- string(b)
	}()
	f, _ := mw.CreateFormField("n")
	io.WriteString(f, n)
	f, _ = mw.CreateFormField("testimony")
	io.WriteString(f, strings.Repeat("첫 번째 ", 2000)) // past the 4 KiB the server reads before storing
	<-spent                                          // the first has spent the token and is storing

	secondDone := make(chan string)
	go func() {
		_, page := sendForm(t, ts.URL, n, "두 번째")
		secondDone <- page
	}()
	mw.Close()
	pw.Close()
	first := <-firstDone
	second := <-secondDone
	words := find(t, wordsRE, first)
	if got := find(t, wordsRE, second); got != words {
		t.Fatalf("the second tap shows %q, want the first's receipt %q", got, words)
	}
	if got := custodyLen(t, store); got != 1 {
		t.Fatalf("%d submissions stored, want 1", got)
	}
}

// TestFormFromBeforeRestart: a server started anew has a new token key,
// so a form from before is stale: nothing is stored from it, and her text
// comes back in a fresh form, once.
func TestFormFromBeforeRestart(t *testing.T) {
	store, _ := vaulttest.Open(t)
	recipients := []age.Recipient{vaulttest.Identity(t).Recipient()}
	before, err := New(Config{Store: store, Recipients: recipients, KDF: testKDF})
	if err != nil {
		t.Fatal(err)
	}
	n := before.forms.issue(tokenWrite)
	ret := before.forms.issue(tokenReturn)
	after, err := New(Config{Store: store, Recipients: recipients, KDF: testKDF})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(after)
	t.Cleanup(ts.Close)
	srv := ts.URL
	const text = "재시작 전에 쓴 글 STALECANARY\n둘째 줄"
	status, page := sendForm(t, srv, n, text)
	if status != http.StatusConflict || !strings.Contains(page, html.EscapeString(catalog["ko"]["errStale"])) || !strings.Contains(page, html.EscapeString(catalog["ko"]["giveBack"])) {
		t.Fatalf("a form from before the restart: status %d, want errStale with her text", status)
	}
	if got := givenBack(page); got != text {
		t.Fatalf("gives back %q, want %q", got, text)
	}
	fresh := find(t, nRE, page)
	if _, again := sendForm(t, srv, n, text); strings.Contains(again, "STALECANARY") {
		t.Fatal("the stale form sent again gives her text back a second time")
	}
	if custodyLen(t, store) != 0 {
		t.Fatal("a stale form stored something")
	}
	// The fresh form it gave her works.
	if status, page := sendForm(t, srv, fresh, text); status != 200 || !wordsRE.MatchString(page) {
		t.Fatalf("the fresh form: status %d", status)
	}
	// A return form from before the restart opens nothing: the receipt
	// must be typed again into a fresh form.
	status, page = postForm(t, srv+"/ko/return", url.Values{"n": {ret}, "receipt": {"x"}})
	if status != http.StatusConflict || !nRE.MatchString(page) {
		t.Fatalf("a return form from before the restart: status %d", status)
	}
}

// TestRefusalsAreHerPage: a cross-site POST and one whose Origin is null
// (no Sec-Fetch-Site) are refused with her page, in her language, with
// the quick exit and every header; nothing is stored.
func TestRefusalsAreHerPage(t *testing.T) {
	_, store, ts := newTestServer(t, Config{})
	for _, h := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "null"},
		{"Origin": "http://evil.example"},
	} {
		ct, body := formFor(ts, "testimony", "x")
		req, _ := http.NewRequest("POST", ts.URL+"/zh/submit", body)
		req.Header.Set("Content-Type", ct)
		for k, v := range h {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page := string(b)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, html.EscapeString(catalog["zh"]["errCrossSite"])) || !strings.Contains(page, `class="exit"`) {
			t.Errorf("%v: status %d, not her page: %.200s", h, resp.StatusCode, page)
		}
		for _, k := range []string{"Content-Security-Policy", "Cache-Control", "Referrer-Policy", "X-Frame-Options"} {
			if resp.Header.Get(k) == "" {
				t.Errorf("%v: refusal without %s", h, k)
			}
		}
	}
	if custodyLen(t, store) != 0 {
		t.Fatal("a refused POST stored something")
	}
}

// TestCheckedReceiptIsNotShownAgain: once she has used the check form
// under her receipt, the receipt page reached her, and the same write form
// sent again says only that it arrived.
func TestCheckedReceiptIsNotShownAgain(t *testing.T) {
	_, _, ts := newTestServer(t, Config{})
	n := token(ts, tokenWrite)
	_, page := sendForm(t, ts.URL, n, "확인한 이야기")
	check := url.Values{"n": {find(t, nRE, page)}, "sealed": {find(t, sealedRE, page)}, "typed": {shownWords(t, page)}}
	if status, _ := postForm(t, ts.URL+"/ko/check", check); status != 200 {
		t.Fatalf("check: status %d", status)
	}
	status, again := sendForm(t, ts.URL, n, "확인한 이야기")
	if status != http.StatusConflict || wordsRE.MatchString(again) || strings.Contains(again, "확인한 이야기") {
		t.Fatalf("after the check, the same form again: status %d, want errArrived with nothing of hers", status)
	}
}

// TestRefusedAdditionComesBack: an addition refused on a live visit (too
// long here) gives her text back in the add box of her visit's page, once;
// the same page sent again shows it no more.
func TestRefusedAdditionComesBack(t *testing.T) {
	_, _, ts := newTestServer(t, Config{MaxTextBytes: 64})
	_, page := sendForm(t, ts.URL, token(ts, tokenWrite), "처음 이야기")
	status, page := postForm(t, ts.URL+"/ko/return", url.Values{"receipt": {shownWords(t, page)}, "n": {token(ts, tokenReturn)}})
	if status != 200 {
		t.Fatalf("return: status %d", status)
	}
	long := "ADDCANARY " + strings.Repeat("길게 ", 30)
	ct, body := multipartBody(formPart{name: "t", value: find(t, tokenRE, page)}, formPart{name: "n", value: find(t, nRE, page)}, formPart{name: "testimony", value: long})
	raw := body.Bytes()
	status, refused := post(t, ts.URL+"/ko/add", ct, bytes.NewReader(raw))
	if status != http.StatusRequestEntityTooLarge || !strings.Contains(refused, `action="/ko/add"`) || !strings.Contains(refused, html.EscapeString(catalog["ko"]["giveBack"])) {
		t.Fatalf("a refused addition: status %d, want her visit's page with her text", status)
	}
	if !strings.Contains(html.UnescapeString(refused), long[:64]) {
		t.Fatal("her addition is not given back")
	}
	if _, again := post(t, ts.URL+"/ko/add", ct, bytes.NewReader(raw)); strings.Contains(again, "ADDCANARY") {
		t.Fatal("the refused addition sent again gives her text back a second time")
	}
}

// TestFullSpentTableStartsANewGeneration: a spent-token table full of live
// tokens never refuses everyone: the key is made anew, every outstanding
// token dies (refused as stale, which gives her text back), spent ones
// stay refused, and new tokens work.
func TestFullSpentTableStartsANewGeneration(t *testing.T) {
	f := newFormTokens(2)
	a, b, c := f.issue(tokenWrite), f.issue(tokenWrite), f.issue(tokenWrite)
	for _, tok := range []string{a, b} {
		if _, st := f.spend(tok, tokenWrite); st != tokenOK {
			t.Fatalf("spending a fresh token: %v", st)
		}
	}
	if _, st := f.spend(c, tokenWrite); st != tokenStale || f.generations != 1 {
		t.Fatalf("the token that finds the table full: %v, %d generations; want stale, 1", st, f.generations)
	}
	for _, tok := range []string{a, b, c} {
		if _, st := f.spend(tok, tokenWrite); st == tokenOK {
			t.Fatal("a token of the old generation is accepted")
		}
	}
	if _, st := f.spend(f.issue(tokenWrite), tokenWrite); st != tokenOK {
		t.Fatalf("a new token after the generation change: %v", st)
	}
}

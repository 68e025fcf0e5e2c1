package intake

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"log"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"

	"testimony/tests/vaulttest"
	"testimony/vault"
)

// formPart is one field of a multipart form a test sends.
type formPart struct {
	name, value, file string // file: the file name, for a file input
}

func multipartBody(parts ...formPart) (string, *bytes.Buffer) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		if p.file != "" || p.name == "files" {
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", `form-data; name="`+p.name+`"; filename="`+p.file+`"`)
			h.Set("Content-Type", "image/jpeg")
			w, _ := mw.CreatePart(h)
			io.WriteString(w, p.value)
			continue
		}
		w, _ := mw.CreateFormField(p.name)
		io.WriteString(w, p.value)
	}
	mw.Close()
	return mw.FormDataContentType(), &b
}

func postForm(t testing.TB, u string, values url.Values) (int, string) {
	t.Helper()
	resp, err := http.PostForm(u, values)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var (
	wordsRE  = regexp.MustCompile(`id="receipt">(.+?)</ol>`)
	digitsRE = regexp.MustCompile(`id="digits">([^<]+)<`)
	sealedRE = regexp.MustCompile(`name="sealed" value="([^"]+)"`)
	tokenRE  = regexp.MustCompile(`name="t" value="([^"]+)"`)
	nRE      = regexp.MustCompile(`name="n" value="([^"]+)"`)
)

// shownWords is the receipt as the page lists it, one word an item,
// joined by spaces as she would type it.
func shownWords(t testing.TB, page string) string {
	t.Helper()
	var words []string
	for _, m := range regexp.MustCompile(`<li>([^<]+)</li>`).FindAllStringSubmatch(find(t, wordsRE, page), -1) {
		words = append(words, m[1])
	}
	return strings.Join(words, " ")
}

func find(t testing.TB, re *regexp.Regexp, page string) string {
	t.Helper()
	m := re.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("page has no %s", re)
	}
	return html.UnescapeString(m[1])
}

// bundleParts exports everything and returns, per submission, its items'
// parts decrypted: kind, header and content.
type openedPart struct {
	item    vault.Item
	header  vault.PartHeader
	content []byte
}

func bundleParts(t testing.TB, store *vault.Store, id age.Identity) (*vault.Bundle, []openedPart) {
	t.Helper()
	var buf bytes.Buffer
	if _, err := store.WriteBundle(&buf, []age.Recipient{id.(*age.X25519Identity).Recipient()}, true); err != nil {
		t.Fatal(err)
	}
	var parts []openedPart
	r := vault.BundleReader{Identities: []age.Identity{id}, Part: func(it vault.Item, _ int, ct io.Reader) error {
		return vault.EachSection(ct, []age.Identity{id}, func(h vault.PartHeader, c io.Reader) error {
			b, err := io.ReadAll(c)
			parts = append(parts, openedPart{it, h, b})
			return err
		})
	}}
	b, err := r.Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return b, parts
}

// TestWholeVisit follows her through a submission with questions, consent
// and a photo, the check of her receipt, a return visit that reads a
// reply, adds more and withdraws a use, and the end of the visit.
func TestWholeVisit(t *testing.T) {
	reviewer := vaulttest.Identity(t)
	_, store, ts := newTestServer(t, Config{Recipients: []age.Recipient{reviewer.Recipient()}})

	ct, body := multipartBody(
		formPart{name: "n", value: token(ts, tokenWrite)},
		formPart{name: "testimony", value: "2019년 겨울에 강을 건넜습니다."},
		formPart{name: "files", file: `C:\Users\me\사진 1.jpg`, value: "\xff\xd8 photo bytes"},
		formPart{name: "files", file: "", value: ""}, // a second file input left empty
		formPart{name: "year", value: "2019"},
		formPart{name: "month", value: "12"},
		formPart{name: "approximate", value: "1"},
		formPart{name: "province", value: "KP-09"},
		formPart{name: "what", value: "sold"},
		formPart{name: "what", value: "forced-marriage"},
		formPart{name: "who", value: "broker"},
		formPart{name: "source", value: "self"},
		formPart{name: "elsewhere", value: "no"},
		formPart{name: "contact", value: "receipt"},
		formPart{name: "consent", value: "review"},
		formPart{name: "consent", value: "publish"},
	)
	status, page := post(t, ts.URL+"/ko/submit", ct, body)
	if status != 200 {
		t.Fatalf("submit: status %d", status)
	}
	words, digits, sealed := shownWords(t, page), find(t, digitsRE, page), find(t, sealedRE, page)
	check := func(typed, sealed string) string {
		_, page := postForm(t, ts.URL+"/ko/check", url.Values{"typed": {typed}, "sealed": {sealed}, "n": {find(t, nRE, page)}})
		return page
	}
	if len([]rune(words)) < 12 || len(strings.Fields(digits)) != 5 {
		t.Fatalf("receipt %q / %q", words, digits)
	}

	// She types it once: wrong, then right, as words and as digits.
	page = check("가격 가격 가격 가격 가격 가격", sealed)
	if !strings.Contains(page, catalog["ko"]["checkWrong"]) || shownWords(t, page) != words {
		t.Fatal("a wrong check does not show the receipt again")
	}
	wrongPage := page
	page = check(digits, find(t, sealedRE, page))
	if !strings.Contains(page, catalog["ko"]["checkOK"]) || wordsRE.MatchString(page) {
		t.Fatal("checking the digits: not confirmed, or the receipt shown again")
	}
	// Sent again from the browser's history, a check shows nothing: the
	// wrong check's page, with its token already spent.
	page = wrongPage
	if page = check(words, find(t, sealedRE, wrongPage)); !strings.Contains(page, catalog["ko"]["errExpired"]) || wordsRE.MatchString(page) {
		t.Fatal("a check sent twice showed her receipt again")
	}
	if _, again := post(t, ts.URL+"/ko/submit", ct, body); strings.Contains(again, "id=\"receipt\"") {
		t.Fatal("the same submission sent twice was stored twice")
	}

	// What the reviewers get.
	b, parts := bundleParts(t, store, reviewer)
	kinds := map[vault.Kind]openedPart{}
	for _, p := range parts {
		kinds[p.header.Kind] = p
	}
	if len(parts) != 5 {
		t.Fatalf("%d parts, want text, attachment, answers, consent, reply key", len(parts))
	}
	if a := kinds[vault.KindAttachment]; a.header.Name != "사진 1.jpg" || a.header.Type != "image/jpeg" || string(a.content) != "\xff\xd8 photo bytes" {
		t.Errorf("attachment %+v %q", a.header, a.content)
	}
	var answers vault.Answers
	if err := vault.UnmarshalForm(kinds[vault.KindAnswers].content, &answers); err != nil {
		t.Fatal(err)
	}
	want := vault.Answers{Version: 1, Year: 2019, Month: 12, Approximate: true, Province: "KP-09", What: []string{"sold", "forced-marriage"},
		Who: []string{"broker"}, Source: "self", Elsewhere: "no", Contact: "receipt"}
	if !slices.Equal(answers.What, want.What) || answers.Year != want.Year || answers.Province != want.Province || answers.Source != want.Source || !answers.Approximate {
		t.Errorf("answers %+v, want %+v", answers, want)
	}
	var consent vault.Consent
	if err := vault.UnmarshalForm(kinds[vault.KindConsent].content, &consent); err != nil || !slices.Equal(consent.Given, []vault.Use{vault.UseReview, vault.UsePublish}) {
		t.Errorf("consent %+v, %v", consent, err)
	}
	replyKey := string(kinds[vault.KindReplyKey].content)
	id := kinds[vault.KindText].item.ID

	// A reviewer replies; the reply bundle goes back to the server.
	rct, err := vault.SealReply([]byte("읽었습니다. 고맙습니다."), replyKey)
	if err != nil {
		t.Fatal(err)
	}
	var rb bytes.Buffer
	vault.WriteReplies(&rb, b.Server, b.ReplyAuth, b.Created, []vault.Reply{{To: id, Ciphertext: rct}})
	if _, err := store.ImportReplies(&rb); err != nil {
		t.Fatal(err)
	}

	// She comes back, with her words typed loosely.
	returnForm := url.Values{"receipt": {"  " + strings.ReplaceAll(words, " ", "  ") + " "}, "n": {token(ts, tokenReturn)}}
	status, page = postForm(t, ts.URL+"/ko/return", returnForm)
	if status != 200 || !strings.Contains(page, "읽었습니다. 고맙습니다.") {
		t.Fatalf("return visit: status %d, reply not shown", status)
	}
	visit := find(t, tokenRE, page)
	if status, page := postForm(t, ts.URL+"/ko/return", returnForm); status != http.StatusConflict || strings.Contains(page, "읽었습니다") {
		t.Fatalf("the return form sent twice opened her visit again: status %d", status)
	}

	ct, body = multipartBody(formPart{name: "t", value: visit}, formPart{name: "n", value: find(t, nRE, page)}, formPart{name: "testimony", value: "하나 더 씁니다."})
	if status, page = post(t, ts.URL+"/ko/add", ct, body); status != 200 || !strings.Contains(page, catalog["ko"]["addDone"]) {
		t.Fatalf("add: status %d", status)
	}
	statusForm := url.Values{"t": {visit}, "n": {find(t, nRE, page)}}
	_, page = postForm(t, ts.URL+"/ko/status", statusForm)
	if !strings.Contains(page, `id="arrived"`) {
		t.Fatal("no status page after the addition")
	}
	// The page of her visit sent again from the tab's history opens
	// nothing, though the visit goes on.
	if status, again := postForm(t, ts.URL+"/ko/status", statusForm); status != http.StatusForbidden || strings.Contains(again, "읽었습니다") || tokenRE.MatchString(again) {
		t.Fatalf("her visit's page sent again: status %d, or it shows her visit", status)
	}
	withdrawForm := url.Values{"t": {visit}, "n": {find(t, nRE, page)}, "withdraw": {"publish"}}
	_, page = postForm(t, ts.URL+"/ko/withdraw", withdrawForm)
	if !strings.Contains(page, catalog["ko"]["withdrawDone"]) {
		t.Fatal("withdrawal not confirmed")
	}
	if status, _ := postForm(t, ts.URL+"/ko/withdraw", withdrawForm); status != http.StatusConflict {
		t.Fatalf("a withdrawal sent twice: status %d", status)
	}
	_, page = postForm(t, ts.URL+"/ko/status", url.Values{"t": {visit}, "n": {token(ts, tokenVisit)}})
	_, page = postForm(t, ts.URL+"/ko/withdraw", url.Values{"t": {visit}, "n": {find(t, nRE, page)}})
	if !strings.Contains(page, catalog["ko"]["withdrawNone"]) {
		t.Fatal("an empty withdrawal is not explained")
	}
	_, parts = bundleParts(t, store, reviewer)
	last := parts[len(parts)-1]
	var wd vault.Withdrawal
	if last.header.Kind != vault.KindWithdrawal || vault.UnmarshalForm(last.content, &wd) != nil || !slices.Equal(wd.Withdrawn, []vault.Use{vault.UsePublish}) || last.item.N != 3 { // 1 is her visit's record
		t.Fatalf("last part %+v %q", last.header, last.content)
	}
	if parts[len(parts)-2].header.Kind != vault.KindText || string(parts[len(parts)-2].content) != "하나 더 씁니다." {
		t.Fatal("the addition is not stored")
	}

	// She leaves by the quick exit: that ends the visit too, and sends her
	// on to the exit site.
	resp, err := http.PostForm(ts.URL+"/ko/finish", url.Values{"t": {visit}, "exit": {"1"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.HasPrefix(resp.Header.Get("Refresh"), "0; url=https://") {
		t.Fatalf("the quick exit does not send her on: %q", resp.Header.Get("Refresh"))
	}
	status, page = postForm(t, ts.URL+"/ko/status", url.Values{"t": {visit}, "n": {token(ts, tokenVisit)}})
	if status != http.StatusForbidden || !strings.Contains(page, catalog["ko"]["errVisitOver"]) {
		t.Fatalf("after finish: status %d", status)
	}
	ct, body = multipartBody(formPart{name: "t", value: visit}, formPart{name: "testimony", value: "late"})
	if status, _ = post(t, ts.URL+"/ko/add", ct, body); status != http.StatusForbidden {
		t.Fatalf("add after finish: status %d", status)
	}
}

// TestWrongReceiptsNeverLockOutTheRightOne floods the return form with
// wrong receipts, her right one among them: there is no shared budget of
// failed look-ups for a guesser to spend, so every one of hers opens her
// visit, and every wrong one is told so.
func TestWrongReceiptsNeverLockOutTheRightOne(t *testing.T) {
	_, _, ts := newTestServer(t, Config{})
	ct, body := formFor(ts, "testimony", "我的经历")
	status, page := post(t, ts.URL+"/zh/submit", ct, body)
	if status != http.StatusOK {
		t.Fatalf("submit: status %d", status)
	}
	right := find(t, digitsRE, page)
	wrong, opened := 0, 0
	for round := range 10 {
		for i := range 30 {
			status, page := postForm(t, ts.URL+"/zh/return", url.Values{"receipt": {fmt.Sprintf("%020d", round*1000+i+1)}, "n": {token(ts, tokenReturn)}})
			if status == http.StatusNotFound && strings.Contains(page, catalog["zh"]["errWrongReceipt"]) {
				wrong++
			}
		}
		status, page := postForm(t, ts.URL+"/zh/return", url.Values{"receipt": {right}, "n": {token(ts, tokenReturn)}})
		if status == http.StatusOK && tokenRE.MatchString(page) {
			opened++
		}
	}
	if wrong != 300 || opened != 10 {
		t.Fatalf("%d of 300 wrong receipts told they were wrong, %d of 10 right ones opened her visit", wrong, opened)
	}
	// Malformed input costs no KDF, and says so.
	status, page = postForm(t, ts.URL+"/zh/return", url.Values{"receipt": {"not words"}, "n": {token(ts, tokenReturn)}})
	if status != http.StatusBadRequest || !strings.Contains(page, catalog["zh"]["errWrongReceipt"]) {
		t.Fatalf("malformed receipt: status %d", status)
	}
}

func TestAttachmentLimits(t *testing.T) {
	_, store, ts := newTestServer(t, Config{MaxFiles: 2, MaxUploadBytes: 1000})
	n := func() formPart { return formPart{name: "n", value: token(ts, tokenWrite)} }
	three := []formPart{n(), {name: "files", file: "a.jpg", value: "a"}, {name: "files", file: "b.jpg", value: "b"}, {name: "files", file: "c.jpg", value: "c"}}
	ct, body := multipartBody(three...)
	if status, page := post(t, ts.URL+"/en/submit", ct, body); status != 413 || !strings.Contains(page, html.EscapeString(catalog["en"]["errTooMany"])) {
		t.Errorf("three files: status %d", status)
	}
	ct, body = multipartBody(n(), formPart{name: "files", file: "big.jpg", value: strings.Repeat("x", 1001)})
	if status, page := post(t, ts.URL+"/en/submit", ct, body); status != 413 || !strings.Contains(page, html.EscapeString(catalog["en"]["errTooLarge"])) {
		t.Errorf("a file over the limit: status %d", status)
	}
	ct, body = multipartBody(n(), formPart{name: "files", file: "ok.jpg", value: "fine"})
	if status, _ := post(t, ts.URL+"/en/submit", ct, body); status != 200 {
		t.Errorf("a file alone: status %d", status)
	}
	if n := custodyLen(t, store); n != 1 {
		t.Fatalf("%d submissions stored, want only the good one", n)
	}
}

func TestCleanFileName(t *testing.T) {
	for in, want := range map[string]string{
		`C:\Users\kim\Desktop\사진.jpg`: "사진.jpg",
		"../../etc/passwd":            "passwd",
		"a\x00b\nc.txt":               "abc.txt",
		"bad\xffutf8.png":             "badutf8.png",
		"..":                          "file",
		"":                            "file",
		strings.Repeat("가", 100):      strings.Repeat("가", 66),
	} {
		if got := cleanFileName(in); got != want {
			t.Errorf("cleanFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNothingIdentifyingIsLoggedOrStored sends requests carrying
// distinctive values in every place a server might record them, then
// scans the log and the store file for each.
func TestNothingIdentifyingIsLoggedOrStored(t *testing.T) {
	dir := t.TempDir()
	store, err := vault.Open(filepath.Join(dir, "store.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	s, err := New(Config{Store: store, Recipients: []age.Recipient{vaulttest.Identity(t).Recipient()}, KDF: testKDF, Log: log.New(&logs, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	srv := newLoopback(t, s)
	marks := map[string]string{
		"user agent": "UA-" + vaulttest.Canary(),
		"query":      "Q-" + vaulttest.Canary(),
		"forwarded":  "203.0.113.77",
		"field":      "F-" + vaulttest.Canary(),
		"file name":  "N-" + vaulttest.Canary(),
		"text":       "T-" + vaulttest.Canary(),
		"receipt":    "R-" + vaulttest.Canary(),
	}
	send := func(method, path, ctype string, body io.Reader) {
		req, _ := http.NewRequest(method, srv+path+"?x="+marks["query"], body)
		req.Header.Set("User-Agent", marks["user agent"])
		req.Header.Set("X-Forwarded-For", marks["forwarded"])
		req.Header.Set("X-Real-IP", marks["forwarded"])
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	ct, body := multipartBody(formPart{name: "n", value: s.forms.issue(tokenWrite)}, formPart{name: "testimony", value: marks["text"]}, formPart{name: "files", file: marks["file name"], value: "x"})
	send("POST", "/ko/submit", ct, body)
	ct, body = multipartBody(formPart{name: "n", value: s.forms.issue(tokenWrite)}, formPart{name: "testimony", value: "x"}, formPart{name: "province", value: marks["field"]})
	send("POST", "/ko/submit", ct, body) // refused: an unknown value
	send("POST", "/ko/return", "application/x-www-form-urlencoded", strings.NewReader("receipt="+marks["receipt"]))
	send("GET", "/ko/"+marks["query"], "", nil)
	store.Close()

	data, _ := os.ReadFile(filepath.Join(dir, "store.db"))
	for what, m := range marks {
		if bytes.Contains(logs.Bytes(), []byte(m)) {
			t.Errorf("the log holds the %s", what)
		}
		if bytes.Contains(data, []byte(m)) {
			t.Errorf("the store holds the %s in clear", what)
		}
	}
	if bytes.Contains(data, []byte("127.0.0.1")) || regexp.MustCompile(`\d\d:\d\d:\d\d`).Match(logs.Bytes()) {
		t.Error("an address or an exact time was recorded")
	}
}

func newLoopback(t testing.TB, h http.Handler) string {
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL
}

// TestQuotaCountsCiphertext fills a small quota: the store stops within
// one chunk of it even for a large upload already under way, she is told
// the truth (in her language, with the way back to her visit on a return),
// the operator is told once, and her withdrawals still go through.
func TestQuotaCountsCiphertext(t *testing.T) {
	var logged bytes.Buffer
	const quota = 256 << 10
	_, store, ts := newTestServer(t, Config{MaxStoreBytes: quota, Log: log.New(&logged, "", 0)})
	ct, body := formFor(ts, "testimony", "첫 이야기")
	status, page := post(t, ts.URL+"/ko/submit", ct, body)
	if status != http.StatusOK {
		t.Fatalf("first submission: status %d", status)
	}
	digits := find(t, digitsRE, page)

	// A 3 MiB file while the store is under its quota: refused once the
	// quota is passed, by at most one chunk, and nothing of it kept.
	before := custodyLen(t, store)
	ct, body = multipartBody(formPart{name: "n", value: token(ts, tokenWrite)}, formPart{name: "files", file: "big.jpg", value: strings.Repeat("x", 3<<20)})
	if status, page := post(t, ts.URL+"/ko/submit", ct, body); status != http.StatusInsufficientStorage || !strings.Contains(page, catalog["ko"]["errFull"]) {
		t.Fatalf("3 MiB past the quota: status %d", status)
	}
	if custodyLen(t, store) != before || store.Counted() > quota {
		t.Fatalf("a refused upload left %d bytes counted (quota %d) or an entry", store.Counted(), quota)
	}
	refused := 0
	for range 200 {
		ct, body := formFor(ts, "testimony", strings.Repeat("이야기 ", 2000))
		status, page := post(t, ts.URL+"/ko/submit", ct, body)
		if status == http.StatusInsufficientStorage && strings.Contains(page, catalog["ko"]["errFull"]) {
			refused++
			break
		}
		if status != http.StatusOK {
			t.Fatalf("under the quota: status %d", status)
		}
	}
	if refused == 0 || !store.Full() || store.Counted() > quota+1<<20 {
		t.Fatalf("the quota was not reached, or passed by more than a chunk: %d bytes counted of %d", store.Counted(), quota)
	}
	for _, l := range languages {
		ct, body := formFor(ts, "testimony", "more")
		if status, page := post(t, ts.URL+"/"+string(l)+"/submit", ct, body); status != http.StatusInsufficientStorage || !strings.Contains(page, html.EscapeString(catalog[l]["errFull"])) {
			t.Errorf("%s at the quota: status %d, not the quota page", l, status)
		}
	}

	status, page = postForm(t, ts.URL+"/ko/return", url.Values{"receipt": {digits}, "n": {token(ts, tokenReturn)}})
	if status != http.StatusOK {
		t.Fatalf("return at the quota: status %d", status)
	}
	visit := find(t, tokenRE, page)
	ct, body = multipartBody(formPart{name: "t", value: visit}, formPart{name: "n", value: find(t, nRE, page)}, formPart{name: "testimony", value: "더 씁니다"})
	status, page = post(t, ts.URL+"/ko/add", ct, body)
	if status != http.StatusInsufficientStorage || !strings.Contains(page, catalog["ko"]["errFull"]) || find(t, tokenRE, page) != visit {
		t.Fatalf("add at the quota: status %d, without the quota page and the way back to her visit", status)
	}
	status, page = postForm(t, ts.URL+"/ko/status", url.Values{"t": {visit}, "n": {find(t, nRE, page)}})
	if status != http.StatusOK {
		t.Fatalf("back to her visit from the quota page: status %d", status)
	}
	status, page = postForm(t, ts.URL+"/ko/withdraw", url.Values{"t": {visit}, "n": {find(t, nRE, page)}, "withdraw": {"publish"}})
	if status != http.StatusOK || !strings.Contains(page, catalog["ko"]["withdrawDone"]) {
		t.Fatalf("withdrawal at the quota: status %d", status)
	}
	if n := strings.Count(logged.String(), "quota reached"); n != 1 {
		t.Fatalf("the quota was logged %d times, want once:\n%s", n, logged.String())
	}
}

// TestVisitTableAtItsBound fills the visit table to its real bound, one
// visit for each of maxVisits submissions, as an attacker with that many
// receipts could: it never holds more, a survivor who comes in then gets
// her visit, keeps it while maxVisits-1 more begin (each of which would
// cost him a derivation), and one receipt never holds more than
// visitsPerSubmission visits. It logs what a full table holds in memory.
func TestVisitTableAtItsBound(t *testing.T) {
	if testing.Short() {
		t.Skip("fills 100,000 visits; skipped in -short mode")
	}
	reply, _ := age.GenerateX25519Identity()
	var v visits
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range maxVisits {
		v.start(vault.NewID(), reply)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("a full table of %d visits holds %d MB (%d bytes a visit, besides each one's reply key)", maxVisits, (after.HeapAlloc-before.HeapAlloc)>>20, (after.HeapAlloc-before.HeapAlloc)/maxVisits)
	hers := v.start(vault.NewID(), reply)
	for i := range maxVisits - 1 {
		v.start(vault.NewID(), reply)
		if len(v.m) > maxVisits {
			t.Fatalf("%d visits in a table bounded at %d", len(v.m), maxVisits)
		}
		if i%1000 == 0 && v.get(hers) == nil {
			t.Fatalf("her visit ended after %d newer ones, fewer than the bound", i)
		}
	}
	if v.get(hers) == nil {
		t.Fatal("her visit ended before maxVisits newer ones")
	}
	v.start(vault.NewID(), reply)
	if v.m[hers] != nil {
		t.Fatal("the table kept its oldest visit past its bound")
	}

	own := vault.NewID()
	var mine []string
	for range 10 {
		mine = append(mine, v.start(own, reply))
	}
	live := 0
	for _, tok := range mine {
		if v.get(tok) != nil {
			live++
		}
	}
	if live != visitsPerSubmission || v.get(mine[len(mine)-1]) == nil {
		t.Fatalf("one receipt holds %d visits, want its newest %d", live, visitsPerSubmission)
	}
}

package intake

// A real-browser test, in both engines we can run (Chromium, and Firefox
// ESR, the engine of Tor Browser), with JavaScript disabled, on a
// 360-pixel phone screen, the site reached under an .onion name through a
// proxy as Tor Browser reaches it, goes through the survivor's whole path in Korean,
// the way she would: she chooses her language, reads how to stay safe,
// writes her account, answers some questions, attaches a photo, chooses
// what may be done with it, sends it, keeps her receipt and checks she
// remembers it; the reviewers' reply reaches the store; she comes back with
// her receipt, reads the reply, adds more, takes back one consent and
// finishes, and what she left behind in the tab no longer opens anything.
//
// The story is written once against phone (engines_test.go): Chromium is
// driven through testimony/tests/cdp (the DevTools Protocol), Firefox
// through testimony/tests/firefox (Marionette and WebDriver BiDi). Clicks,
// typing, choices and files go through the browser's own input, so no
// page script is needed (and none runs). The test asserts on the text of every page, checks that each
// has the quick exit at the top of the first screen and no sideways
// scrolling, and keeps a screenshot of each.
//
// Set SCREENSHOT_DIR to keep the screenshots (numbered in the order she
// sees the pages, one folder per engine); otherwise they go to a temporary directory that is
// removed with the test.

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"filippo.io/age"

	"testimony/vault"
)

// Phone screen the pages are checked on.
const (
	screenWidth  = 360
	screenHeight = 740
)

// probePage shows whether scripts run: its inline script would rewrite the
// paragraph, and its noscript element is parsed as markup only when
// scripting is off. It is served by a separate loopback server, because the
// intake's own Content-Security-Policy forbids every script anyway.
const probePage = `<!doctype html><html><head><meta charset="utf-8"><title>probe</title></head><body>
<p id="probe">script did not run</p>
<script>document.getElementById("probe").textContent = "script ran";</script>
<noscript><p id="noscript">noscript shown</p></noscript>
</body></html>`

// What she writes, chooses and sends.
const (
	account    = "2019년 겨울에 강을 건넜습니다.\n중개인이 나를 어느 집에 팔았습니다.\n그때 겪은 일을 여기에 적습니다."
	more       = "하나 더 적습니다.\n그 집에서 나온 것은 2021년 봄입니다."
	replyText  = "답을 남깁니다. 보내 주신 이야기를 잘 읽었습니다.\n몸조심하세요."
	photoName  = "사진.jpg"
	photoType  = "image/jpeg"
	chosenYear = "2019"
)

// Her guided answers as the store must hold them.
var wantAnswers = vault.Answers{
	Version:     1,
	Year:        2019,
	Month:       11,
	Approximate: true,
	Province:    "KP-09",
	What:        []string{"sold", "forced-marriage"},
	Who:         []string{"broker"},
	Source:      "self",
	Contact:     "receipt", // the form's default, left as it was
}

func TestBrowserWithoutJavaScript(t *testing.T) {
	if testing.Short() {
		t.Skip("starts browsers; skipped in -short mode")
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) { storyIn(t, e) })
	}
}

// storyIn follows her whole path in one engine.
func storyIn(t *testing.T, e engine) {
	// No time limit of its own: a busy machine makes the browser slower,
	// and go test's -timeout is the bound.
	ctx := t.Context()

	o := newOnionSite(t)
	store, reviewer, srv, base := o.store, o.reviewer, o.srv.Load(), o.base
	probe := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, probePage)
	}))
	t.Cleanup(probe.Close)

	shots := os.Getenv("SCREENSHOT_DIR")
	if shots == "" {
		shots = t.TempDir()
	} else if shots = filepath.Join(shots, e.name); os.MkdirAll(shots, 0o755) != nil {
		t.Fatalf("cannot make %s", shots)
	}

	p := e.start(t, ctx, o.proxy)
	requests := p.RecordRequests(t)
	s := &story{p: p, shots: shots, exit: o.exit}
	// The photo stays on "her phone" until she sends it, steps later.
	photoPath := writePhoto(t)

	// Where scripts can be switched on (Chromium), they run: this shows
	// the probe can tell, so its later answer means something. Firefox
	// starts with javascript.enabled off, as Tor Browser's "Safest".
	if c, ok := p.(chromiumPhone); ok {
		c.setScripts(t, true)
		p.Navigate(t, probe.URL)
		if got := p.Text(t, "#probe"); got != "script ran" {
			t.Fatalf("control, scripts enabled: probe says %q, want %q", got, "script ran")
		}
		c.setScripts(t, false)
	}
	p.Navigate(t, probe.URL)
	requireScriptsOff(t, p)

	ko := catalog["ko"]
	var (
		herWords, herDigits string          // as the receipt page showed them
		id                  vault.ID        // her submission
		day                 string          // the day it arrived
		replyKey            string          // from her envelope
		auth                vault.ReplyAuth // from the reviewers' bundle
		token               string          // her visit, from a status page
	)
	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"1 she chooses Korean and reads how to stay safe", func(t *testing.T) {
			p.Navigate(t, base+"/")
			s.see(t, "choose", "")
			langs := map[string]string{}
			hrefs, texts := p.Attrs(t, ".langs a", "href"), p.Texts(t, ".langs a")
			for i, href := range hrefs {
				if href == "" {
					t.Errorf("language link without href: %s", texts[i])
					continue
				}
				langs[href] = texts[i]
			}
			want := map[string]string{"/ko/": "조선말 (한국어)", "/zh/": "简体中文", "/en/": "English"}
			if !reflect.DeepEqual(langs, want) {
				t.Errorf("language links: %v, want %v", langs, want)
			}

			p.ClickAndWait(t, `.langs a[href="/ko/"]`)
			if u := p.URL(t); u != base+"/ko/" {
				t.Fatalf("after choosing 한국어 the page is %s, want %s/ko/", u, base)
			}
			s.see(t, "safety", "ko")
			if got := p.Text(t, "h1"); got != ko["safetyTitle"] {
				t.Errorf("safety page title %q, want %q", got, ko["safetyTitle"])
			}
			var want6 []string
			for i := 1; i <= 6; i++ {
				want6 = append(want6, ko[fmt.Sprintf("safety%d", i)])
			}
			if got := p.Texts(t, "ul.safety li"); !slices.Equal(got, want6) {
				t.Errorf("safety points:\n got %q\nwant %q", got, want6)
			}
			// The forms are reached by POST (buttons), so that the browser
			// keeps no page with her text in it for Back.
			for _, l := range []struct{ sel, action, text string }{
				{`form[action="/ko/write"] button#start`, "", ko["start"]},
				{`form[action="/ko/return"] button#comeback`, "", ko["comeBack"]},
			} {
				if text := p.Text(t, l.sel); text != l.text {
					t.Errorf("button %s reads %q, want %q", l.sel, text, l.text)
				}
			}
			if href, _ := p.Attr(t, `main a[href="/ko/help"]`, "href"); href != "/ko/help" || p.Text(t, `main a[href="/ko/help"]`) != ko["helpLink"] {
				t.Errorf("the help link goes to %q", href)
			}
			// The start button is on the first screen: she need not hunt for it.
			if _, _, _, y1 := p.Box(t, "button#start"); y1 > screenHeight {
				t.Errorf("the start link ends at %.0f px, below a %d px screen", y1, screenHeight)
			}
		}},

		{"2 she reads where to find help, and goes back", func(t *testing.T) {
			p.ClickAndWait(t, `main a[href="/ko/help"]`)
			s.see(t, "help", "ko")
			if got := p.Text(t, "h1"); got != ko["helpTitle"] {
				t.Errorf("help page title %q, want %q", got, ko["helpTitle"])
			}
			if txt := p.PageText(t); !strings.Contains(txt, ko["helpDefault"]) {
				t.Errorf("help page lacks the default help text: %q", txt)
			}
			p.ClickAndWait(t, `main a[href="/ko/"]`)
			if u := p.URL(t); u != base+"/ko/" {
				t.Fatalf("the help page's way back leads to %s, want %s/ko/", u, base)
			}
		}},

		{"3 she writes her account, answers, attaches a photo and consents", func(t *testing.T) {
			p.ClickAndWait(t, "button#start")
			if u := p.URL(t); u != base+"/ko/write" {
				t.Fatalf("the start link leads to %s, want %s/ko/write", u, base)
			}
			s.check(t, "ko")
			if got := p.Text(t, "h1"); got != ko["title"] {
				t.Errorf("form title %q, want %q", got, ko["title"])
			}
			if got := p.Text(t, `label[for="testimony"]`); got != ko["textLabel"] {
				t.Errorf("the account's label reads %q, want %q", got, ko["textLabel"])
			}
			p.Type(t, "textarea#testimony", account)
			p.SetFiles(t, `input[type="file"][name="files"]`, photoPath)
			p.Choose(t, `select[name="year"]`, chosenYear)
			p.Choose(t, `select[name="month"]`, "11")
			p.Click(t, `input[name="approximate"]`)
			p.Choose(t, `select[name="province"]`, "KP-09")
			p.Click(t, `input[name="what"][value="sold"]`)
			p.Click(t, `input[name="what"][value="forced-marriage"]`)
			p.Click(t, `input[name="who"][value="broker"]`)
			p.Click(t, `input[name="source"][value="self"]`)
			p.Click(t, `input[name="consent"][value="publish"]`)
			// "review" is offered ticked; the other uses are not.
			if _, ok := p.Attr(t, `input[name="consent"][value="review"]`, "checked"); !ok {
				t.Error("consent to review is not offered ticked")
			}
			for _, u := range vault.Uses[1:] {
				if _, ok := p.Attr(t, `input[name="consent"][value="`+string(u)+`"]`, "checked"); ok {
					t.Errorf("consent to %s is offered ticked: each use must be her own choice", u)
				}
			}
			txt := p.PageText(t)
			for _, k := range []string{"questionsTitle", "qWhen", "qWhere", "qWhat", "qWho", "qSource", "consentTitle", "consentRecall", "use.publish", "send"} {
				if !strings.Contains(txt, ko[k]) {
					t.Errorf("form lacks %s %q", k, ko[k])
				}
			}
			p.ScrollTo(t, "a.exit") // back to the top
			s.shoot(t, "form-filled")
			s.shootAll(t, "form-filled")
		}},

		{"4 she sends it and sees her receipt", func(t *testing.T) {
			p.ClickAndWait(t, `form[action="/ko/submit"] button[type="submit"]`)
			if u := p.URL(t); u != base+"/ko/submit" {
				t.Fatalf("after sending, the page is %s, want %s/ko/submit", u, base)
			}
			s.see(t, "receipt", "ko")
			if got := p.Text(t, "h1"); got != ko["receiptTitle"] || got != "잘 받았습니다" {
				t.Errorf("receipt page title %q, want 잘 받았습니다", got)
			}
			herWords = p.Text(t, "#receipt")
			if words := strings.Fields(herWords); len(words) != receiptWords || !allHangul(words) {
				t.Fatalf("receipt %q is not %d Korean words", herWords, receiptWords)
			}
			herDigits = p.Text(t, "#digits")
			if !regexp.MustCompile(`^\d{4}( \d{4}){4}$`).MatchString(herDigits) {
				t.Fatalf("receipt digits %q are not 20 digits in groups of four", herDigits)
			}
			// She must see both without scrolling: the page may be all she
			// has time for.
			for _, sel := range []string{"#receipt", "#digits"} {
				x0, _, x1, y1 := p.Box(t, sel)
				if x0 < 0 || x1 > screenWidth || y1 > screenHeight {
					t.Errorf("%s at x %.0f–%.0f, bottom %.0f: not all on a %dx%d screen without scrolling", sel, x0, x1, y1, screenWidth, screenHeight)
				}
			}
			txt := p.PageText(t)
			for _, k := range []string{"receiptIntro", "receiptWarning", "checkTitle", "closeTab"} {
				if !strings.Contains(txt, ko[k]) {
					t.Errorf("receipt page lacks %s %q", k, ko[k])
				}
			}
			s.shootAll(t, "receipt")
		}},

		{"5 she checks she remembers it: wrong once, then right", func(t *testing.T) {
			words := strings.Fields(herWords)
			slices.Reverse(words) // the words right, the order wrong
			p.Type(t, "input#typed", strings.Join(words, " "))
			p.ClickAndWait(t, `form[action="/ko/check"] button[type="submit"]`)
			s.see(t, "check-wrong", "ko")
			if got := p.Text(t, "#message"); got != ko["checkWrong"] {
				t.Errorf("after a wrong receipt the page says %q, want %q", got, ko["checkWrong"])
			}
			if got := p.Text(t, "#receipt"); got != herWords {
				t.Errorf("after a wrong receipt the page shows %q, want her receipt %q again", got, herWords)
			}
			if got := p.Text(t, "#digits"); got != herDigits {
				t.Errorf("after a wrong receipt the page shows digits %q, want %q again", got, herDigits)
			}

			// The digits, typed as one run on a phone's number pad.
			p.Type(t, "input#typed", strings.ReplaceAll(herDigits, " ", ""))
			p.ClickAndWait(t, `form[action="/ko/check"] button[type="submit"]`)
			s.see(t, "check-ok", "ko")
			if got := p.Text(t, "#message"); got != ko["checkOK"] {
				t.Errorf("after the right receipt the page says %q, want %q", got, ko["checkOK"])
			}
			if p.Has(t, "#receipt") || p.Has(t, "#digits") {
				t.Error("the receipt is shown again after she typed it right")
			}
		}},

		{"6 the reviewers' bundle holds exactly what she sent", func(t *testing.T) {
			entries, err := store.Custody()
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 || entries[0].Action != vault.ActionSubmit || entries[0].Actor != "intake" {
				t.Fatalf("custody after one submission: %+v, want one submit entry by intake", entries)
			}
			bundle, items := readBack(t, store, reviewer)
			auth = bundle.ReplyAuth
			if len(items) != 1 || items[0].N != 0 {
				t.Fatalf("bundle holds %d items, want her one submission", len(items))
			}
			it := items[0]
			id, day = it.ID, it.Day
			// All she typed is one age file, in sections; the photo another.
			if got, want := it.kinds(), []vault.Kind{vault.KindText, vault.KindAnswers, vault.KindConsent, vault.KindReplyKey, vault.KindAttachment}; !slices.Equal(got, want) {
				t.Fatalf("her submission has sections %v, want %v", got, want)
			}
			if len(it.Item.Parts) != 2 {
				t.Fatalf("her submission is %d age files, want 2", len(it.Item.Parts))
			}
			// A form sends a textarea's line breaks as CRLF.
			if got, want := string(it.Parts[0].Data), crlf(account); got != want {
				t.Errorf("stored account %q, want %q", got, want)
			}
			att := it.Parts[4]
			if att.Name != photoName || att.Type != photoType || !bytes.Equal(att.Data, photo) {
				t.Errorf("stored attachment %q (%s, %d bytes), want %q (%s, %d bytes) as uploaded", att.Name, att.Type, len(att.Data), photoName, photoType, len(photo))
			}
			var answers vault.Answers
			if err := vault.UnmarshalForm(it.Parts[1].Data, &answers); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(answers, wantAnswers) {
				t.Errorf("stored answers %+v, want %+v", answers, wantAnswers)
			}
			var consent vault.Consent
			if err := vault.UnmarshalForm(it.Parts[2].Data, &consent); err != nil {
				t.Fatal(err)
			}
			if want := []vault.Use{vault.UseReview, vault.UsePublish}; !slices.Equal(consent.Given, want) {
				t.Errorf("stored consent %v, want %v", consent.Given, want)
			}
			replyKey = string(it.Parts[3].Data)
			if _, err := age.ParseX25519Recipient(replyKey); err != nil {
				t.Errorf("stored reply key %q: %v", replyKey, err)
			}
			// Her receipt, and only its derivation, finds the submission.
			readings, err := parseReceipt(herWords)
			if err != nil || len(readings) != 1 {
				t.Fatalf("her receipt reads as %q, %v; want one reading", readings, err)
			}
			keys, err := srv.pool.derive(ctx, readings[0])
			if err != nil {
				t.Fatal(err)
			}
			if got, err := store.LookupReceipt(keys.tag); err != nil || got != id {
				t.Errorf("receipt %q finds %q, %v; want %q", herWords, got, err, id)
			}
			if keys.reply.Recipient().String() != replyKey {
				t.Error("the stored reply key is not the one her receipt derives")
			}
		}},

		{"7 the reviewers reply", func(t *testing.T) {
			ct, err := vault.SealReply([]byte(replyText), replyKey)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := vault.WriteReplies(&buf, store.ServerID(), auth, vault.Day(time.Now()), []vault.Reply{{To: id, Ciphertext: ct}}); err != nil {
				t.Fatal(err)
			}
			if n, err := store.ImportReplies(&buf); err != nil || n != 1 {
				t.Fatalf("importing the reply: %d, %v; want 1", n, err)
			}
		}},

		{"8 she comes back: a wrong receipt, then her words with extra spaces", func(t *testing.T) {
			p.Navigate(t, base+"/")
			p.ClickAndWait(t, `.langs a[href="/ko/"]`)
			p.ClickAndWait(t, "button#comeback")
			if u := p.URL(t); u != base+"/ko/return" {
				t.Fatalf("the come-back link leads to %s, want %s/ko/return", u, base)
			}
			s.see(t, "return", "ko")
			if got := p.Text(t, `label[for="receipt"]`); got != ko["returnIntro"] {
				t.Errorf("return form asks %q, want %q", got, ko["returnIntro"])
			}

			p.Type(t, "input#receipt", wrongDigits(herDigits))
			p.ClickAndWait(t, `form[action="/ko/return"] button[type="submit"]`)
			s.see(t, "return-wrong", "ko")
			if got := p.Text(t, "#error"); got != ko["errWrongReceipt"] {
				t.Errorf("after a wrong receipt the page says %q, want %q", got, ko["errWrongReceipt"])
			}
			if !p.Has(t, `form[action="/ko/return"] input#receipt`) {
				t.Fatal("after a wrong receipt she is not offered the return form again")
			}

			p.Type(t, "input#receipt", "  "+strings.Join(strings.Fields(herWords), "   ")+" ")
			p.ClickAndWait(t, `form[action="/ko/return"] button[type="submit"]`)
			s.see(t, "status", "ko")
			token = checkStatus(t, p, day, 0)
			s.shootAll(t, "status")
		}},

		{"9 she adds more, and goes back to her account", func(t *testing.T) {
			p.Type(t, "textarea#more", more)
			p.ClickAndWait(t, `form[action="/ko/add"] button[type="submit"]`)
			s.see(t, "add-done", "ko")
			if got := p.Text(t, "#message"); got != ko["addDone"] {
				t.Errorf("after adding, the page says %q, want %q", got, ko["addDone"])
			}
			if got := p.Text(t, "#tostatus"); got != ko["toStatus"] {
				t.Errorf("the way back to her account reads %q, want %q", got, ko["toStatus"])
			}
			p.ClickAndWait(t, "#tostatus")
			s.see(t, "status-added", "ko")
			if got := checkStatus(t, p, day, 1); got != token {
				t.Errorf("her visit changed token on the way: %q, then %q", token, got)
			}
		}},

		{"10 she takes back consent to publish", func(t *testing.T) {
			p.Click(t, `input[name="withdraw"][value="publish"]`)
			p.ClickAndWait(t, `form[action="/ko/withdraw"] button[type="submit"]`)
			s.see(t, "withdraw-done", "ko")
			if got := p.Text(t, "#message"); got != ko["withdrawDone"] {
				t.Errorf("after withdrawing, the page says %q, want %q", got, ko["withdrawDone"])
			}

			_, items := readBack(t, store, reviewer)
			// Each return visit left a visit record (safe.go) first.
			items = slices.DeleteFunc(items, func(it storedItem) bool {
				return slices.Equal(it.kinds(), []vault.Kind{vault.KindVisit})
			})
			if len(items) != 3 {
				t.Fatalf("bundle holds %d items besides visit records, want her submission, her addition and her withdrawal", len(items))
			}
			added := items[1]
			if added.ID != id || added.N != 2 || !slices.Equal(added.kinds(), []vault.Kind{vault.KindText}) || string(added.Parts[0].Data) != crlf(more) {
				t.Errorf("second item: %s/%d %v, want her addition to %s, one text part %q", added.ID, added.N, added.kinds(), id, crlf(more))
			}
			last := items[2]
			if last.ID != id || last.N != 3 || !slices.Equal(last.kinds(), []vault.Kind{vault.KindWithdrawal}) {
				t.Fatalf("last item: %s/%d %v, want a withdrawal for %s", last.ID, last.N, last.kinds(), id)
			}
			var w vault.Withdrawal
			if err := vault.UnmarshalForm(last.Parts[0].Data, &w); err != nil {
				t.Fatal(err)
			}
			if want := []vault.Use{vault.UsePublish}; !slices.Equal(w.Withdrawn, want) {
				t.Errorf("withdrawn %v, want %v", w.Withdrawn, want)
			}
		}},

		{"11 she finishes; Back and resending the old page open nothing", func(t *testing.T) {
			p.ClickAndWait(t, "#tostatus")
			s.check(t, "ko")
			checkStatus(t, p, day, 2)
			p.ClickAndWait(t, "#finish")
			s.see(t, "finished", "ko")
			if got := p.Text(t, "#message"); got != ko["finished"] {
				t.Errorf("after finishing, the page says %q, want %q", got, ko["finished"])
			}
			if p.Has(t, `input[name="t"]`) {
				t.Error("the finished page still carries her visit")
			}

			// Someone picks up the phone and presses Back: the status page
			// was the answer to a form and is not kept (Cache-Control:
			// no-store), so the browser shows its own page instead of it.
			if c, ok := p.(chromiumPhone); ok {
				if fromCache := c.Tab.Back(t); fromCache {
					t.Error("Back after finishing restores her status page from the back-forward cache")
				}
			} else {
				p.Back(t)
			}
			if !p.ErrorPage(t) || strings.Contains(p.PageText(t), plainText(replyText)) {
				t.Errorf("Back after finishing shows %s: %q", p.URL(t), p.PageText(t))
			}
			s.shoot(t, "back-after-finish")
			// They send the form again: its token names a visit that is over.
			p.Reload(t)
			s.see(t, "resend-after-finish", "ko")
			if got := p.Text(t, "#error"); got != ko["errVisitOver"] {
				t.Errorf("resending her status form after she finished: page says %q, want %q", got, ko["errVisitOver"])
			}
			if p.Has(t, ".reply") || p.Has(t, `input[name="t"]`) {
				t.Error("resending her status form after she finished shows her visit again")
			}

			// The same with the token itself, outside the browser.
			resp, err := o.client().PostForm(base+"/ko/status", url.Values{"t": {token}})
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			txt := plainText(string(body))
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(txt, ko["errVisitOver"]) || strings.Contains(txt, plainText(replyText)) {
				t.Errorf("old token after finishing: %s, %q; want 403 and %q", resp.Status, txt, ko["errVisitOver"])
			}
		}},

		{"12 another day she comes back with the digits", func(t *testing.T) {
			p.Navigate(t, base+"/ko/return")
			p.Type(t, "input#receipt", herDigits)
			p.ClickAndWait(t, `form[action="/ko/return"] button[type="submit"]`)
			s.check(t, "ko")
			if got := checkStatus(t, p, day, 2); got == token {
				t.Error("a new visit reuses the token of the finished one")
			}
			// Taking back nothing changes nothing, and says so.
			p.ClickAndWait(t, `form[action="/ko/withdraw"] button[type="submit"]`)
			s.see(t, "withdraw-none", "ko")
			if got := p.Text(t, "#message"); got != ko["withdrawNone"] {
				t.Errorf("withdrawing nothing: page says %q, want %q", got, ko["withdrawNone"])
			}
			checkStatus(t, p, day, 2)
			p.ClickAndWait(t, "#finish")
			s.check(t, "ko")
		}},

		// The browser keeps every form she sent in the tab's history, and
		// Back then Resend ("Document expired" → "Try again" in Tor
		// Browser) sends it again: her receipt (/return), the receipt
		// sealed for the check form (/check), her whole submission
		// (/submit). Nothing in the pages can clear that history without
		// script, so each of those forms carries a single-use token and
		// the server refuses it the second time. And the quick exit on the
		// pages of a visit ends the visit on its way out.
		{"13 after she finished, resending older pages from the tab's history", func(t *testing.T) {
			cur, urls := p.History(t)
			var gaps []string
			// Her return with the digits: the entry before "withdraw" and
			// "finish". The browser keeps the form, receipt and all.
			if urls[cur-2] != base+"/ko/return" {
				t.Fatalf("history ends %q, want …/ko/return, …/ko/withdraw, …/ko/finish", urls[max(0, cur-3):])
			}
			p.GoTo(t, cur-2)
			p.Reload(t)
			s.see(t, "gap-resend-return", "ko")
			if p.Has(t, ".reply") {
				gaps = append(gaps, "resending her return form (Back, then Resend) re-sends her receipt from the tab's history: a new visit, with the reply")
			}
			// Her check of the receipt, typed wrong.
			if i := slices.Index(urls, base+"/ko/check"); i >= 0 {
				p.GoTo(t, i)
				p.Reload(t)
				s.see(t, "gap-resend-check", "ko")
				if p.Has(t, "#receipt") && p.Text(t, "#receipt") == herWords {
					gaps = append(gaps, "resending her wrong check form shows her receipt again, while the server runs")
				}
			} else {
				t.Errorf("no …/ko/check in the tab's history %q", urls)
			}
			// Her submission.
			if i := slices.Index(urls, base+"/ko/submit"); i >= 0 {
				before, _ := store.Custody()
				p.GoTo(t, i)
				p.Reload(t)
				s.see(t, "gap-resend-submit", "ko")
				after, _ := store.Custody()
				if len(after) > len(before) && p.Has(t, "#receipt") {
					gaps = append(gaps, "resending her submission stores it a second time and shows a new receipt for the copy")
				}
			} else {
				t.Errorf("no …/ko/submit in the tab's history %q", urls)
			}
			if len(gaps) > 0 {
				t.Errorf("resending from the tab's history: %s", strings.Join(gaps, "; "))
			}
			// She had checked her receipt, so it is not shown again; the
			// page says her account arrived, and shows nothing of hers.
			if got := p.Text(t, "#error"); got != ko["errArrived"] {
				t.Errorf("her submission sent again: page says %q, want %q", got, ko["errArrived"])
			}
			if v := p.Value(t, "textarea#testimony"); v != "" {
				t.Errorf("her submission sent again gives her text back: %q", v)
			}
		}},

		{"14 she leaves by the quick exit in the middle of a visit", func(t *testing.T) {
			p.Navigate(t, base+"/ko/return")
			p.Type(t, "input#receipt", herWords)
			p.ClickAndWait(t, `form[action="/ko/return"] button[type="submit"]`)
			// A page whose history entry holds only her visit token.
			p.ClickAndWait(t, `form[action="/ko/withdraw"] button[type="submit"]`)
			s.check(t, "ko")
			checkStatus(t, p, day, 2)
			// The quick exit ends the visit and sends her on (Refresh) to
			// the harmless site.
			p.TapAndWaitFor(t, "button.exit", o.exit)
			p.Back(t)
			p.Reload(t)
			s.see(t, "gap-quick-exit-back-resend", "ko")
			if p.Has(t, ".reply") {
				t.Fatal("after the quick exit, Back and Resend show her status and the reply")
			}
			if got := p.Text(t, "#error"); got != ko["errVisitOver"] {
				t.Errorf("after the quick exit, Back and Resend: page says %q, want %q", got, ko["errVisitOver"])
			}
		}},
	}
	for _, step := range steps {
		if !t.Run(step.name, step.run) {
			t.Logf("screenshots so far in %s", shots)
			return // every step needs the one before it
		}
	}

	t.Run("other pages: every language's form, not found, an empty form", func(t *testing.T) {
		for _, l := range languages {
			p.Navigate(t, base+"/"+string(l)+"/write")
			s.check(t, l)
			if txt := p.PageText(t); !strings.Contains(txt, l.text("title")) || !strings.Contains(txt, l.text("send")) {
				t.Errorf("/%s/write: page text lacks the title or the send button: %q", l, txt)
			}
			if !p.Has(t, "textarea#testimony") || !p.Has(t, `button[type="submit"]`) {
				t.Errorf("/%s/write: no text box or no send button", l)
			}
			if l != "ko" {
				s.shoot(t, "form-"+string(l))
			}
		}

		p.Navigate(t, base+"/ko/no-such-page")
		s.see(t, "error-not-found", "ko")
		if got := p.Text(t, "#error"); got != ko["errNotFound"] {
			t.Errorf("error message %q, want %q", got, ko["errNotFound"])
		}

		before, err := store.Custody()
		if err != nil {
			t.Fatal(err)
		}
		p.Navigate(t, base+"/ko/write")
		p.ClickAndWait(t, `button[type="submit"]`)
		s.see(t, "error-empty", "ko")
		if got := p.Text(t, "#error"); got != ko["errEmpty"] {
			t.Errorf("error message %q, want %q", got, ko["errEmpty"])
		}
		if after, err := store.Custody(); err != nil || len(after) != len(before) {
			t.Errorf("an empty form changed the custody record: %d entries, then %d (%v)", len(before), len(after), err)
		}
	})

	t.Run("she left nothing behind and nothing left the machine", func(t *testing.T) {
		// Still no script after every page above.
		p.Navigate(t, probe.URL)
		requireScriptsOff(t, p)

		// Firefox tells the cookies of the page it shows: the site's.
		p.Navigate(t, base+"/ko/")
		if cs := p.Cookies(t); len(cs) != 0 {
			t.Errorf("the browser holds cookies: %q", cs)
		}
		o.served.mu.Lock()
		defer o.served.mu.Unlock()
		if len(o.served.cookies) != 0 {
			t.Errorf("the server set or was sent cookies: %q", o.served.cookies)
		}
		// The pages asked for nothing but the site, the probe and the
		// quick exit's harmless page (and its icon). The browser's own
		// requests elsewhere are refused by the proxy, which lets nothing
		// leave the machine. The browser's own error pages draw their
		// images from data: URLs.
		reqs := requests()
		for _, u := range reqs {
			switch {
			// Both engines also try the onion's name over https (an
			// upgrade of http links; Firefox for its icon): the same
			// onion service, through the same proxy.
			case strings.HasPrefix(u, base+"/"), strings.HasPrefix(u, "https://"+onionName+"/"), strings.HasPrefix(u, probe.URL+"/"), strings.HasPrefix(u, strings.TrimSuffix(o.exit, "/")+"/"), strings.HasPrefix(u, "data:"):
			default:
				t.Errorf("a page requested %.100s, not the site", u)
			}
		}
		t.Logf("%d requests from the pages, %d served by the intake: %s", len(reqs), len(o.served.requests), strings.Join(o.served.requests, ", "))
		t.Logf("%d pages checked: %s", len(s.pages), strings.Join(s.pages, ", "))
		t.Logf("screenshots in %s", shots)
	})
}

// story keeps the screenshots of her visit, numbered in the order she
// sees the pages, and the list of pages checked.
type story struct {
	p     phone
	shots string
	exit  string // the quick exit's harmless page
	n     int
	pages []string
}

// check checks the page she is on with checkPage.
func (s *story) check(t *testing.T, l lang) {
	t.Helper()
	checkPage(t, s.p, l, s.exit)
	u, _ := url.Parse(s.p.URL(t))
	s.pages = append(s.pages, u.Path)
}

// see checks the page she is on and keeps a screenshot of its first
// screen as NN-name.png.
func (s *story) see(t *testing.T, name string, l lang) {
	t.Helper()
	s.check(t, l)
	s.shoot(t, name)
}

// shoot keeps a screenshot of the screen as it is now.
func (s *story) shoot(t *testing.T, name string) {
	t.Helper()
	s.n++
	s.p.Screenshot(t, filepath.Join(s.shots, fmt.Sprintf("%02d-%s.png", s.n, name)))
}

// shootAll keeps a screenshot of the whole page, top to bottom.
func (s *story) shootAll(t *testing.T, name string) {
	t.Helper()
	s.n++
	s.p.ScreenshotPage(t, filepath.Join(s.shots, fmt.Sprintf("%02d-%s-whole.png", s.n, name)))
}

// checkStatus checks her status page: the day it arrived (how many times
// she added to it is no longer shown: it would tell her two receipts
// apart), the reviewers' reply, and the forms to add more, to
// withdraw consent and to finish, all carrying one visit token, which it
// returns.
func checkStatus(t *testing.T, p phone, day string, _ int) string {
	t.Helper()
	ko := lang("ko")
	if got := p.Text(t, "h1"); got != ko.text("statusTitle") {
		t.Errorf("status page title %q, want %q", got, ko.text("statusTitle"))
	}
	want := ko.textf("statusArrived", pageData{Lang: ko, Status: vault.Status{Day: day}}.Arrived())
	if got := p.Text(t, "#arrived"); got != want {
		t.Errorf("status says %q, want %q", got, want)
	}
	if got, want := p.Texts(t, ".reply"), []string{plainText(replyText)}; !slices.Equal(got, want) {
		t.Errorf("replies shown: %q, want %q", got, want)
	}
	if p.Has(t, "#noreplies") {
		t.Error("the status page says there is no reply")
	}
	if !p.Has(t, `form[action="/ko/add"] textarea#more`) || !p.Has(t, `form[action="/ko/add"] input[type="file"][name="files"]`) {
		t.Error("the status page has no form to add more, with text and files")
	}
	if n := len(p.Texts(t, `form[action="/ko/withdraw"] input[type="checkbox"][name="withdraw"]`)); n != len(vault.Uses)+1 {
		t.Errorf("withdraw form offers %d choices, want each of the %d uses and all", n, len(vault.Uses))
	}
	txt := p.PageText(t)
	for _, k := range []string{"repliesTitle", "addTitle", "withdrawTitle", "withdrawIntro", "consentRecall", "finish"} {
		if !strings.Contains(txt, ko.text(k)) {
			t.Errorf("status page lacks %s %q", k, ko.text(k))
		}
	}
	var token string
	for _, f := range []string{"add", "withdraw", "finish"} {
		v, _ := p.Attr(t, `form[action="/ko/`+f+`"] input[type="hidden"][name="t"]`, "value")
		if v == "" || token != "" && v != token {
			t.Errorf("the %s form carries visit token %q, want one token for all (%q)", f, v, token)
		}
		if token == "" {
			token = v
		}
	}
	return token
}

// requireScriptsOff checks, on the probe page, that scripts did not run.
func requireScriptsOff(t *testing.T, p phone) {
	t.Helper()
	if got := p.Text(t, "#probe"); got != "script did not run" {
		t.Fatalf("scripts ran with JavaScript disabled: probe says %q", got)
	}
	if !p.Has(t, "#noscript") {
		t.Fatal("noscript content was not shown with JavaScript disabled")
	}
}

// checkPage checks what every survivor page must have: the language, the
// quick-exit link at the top of the first screen, and no sideways scrolling.
func checkPage(t *testing.T, p phone, l lang, exit string) {
	t.Helper()
	root := p.Source(t)
	mark := string(l)
	if l == "" {
		mark = "mul" // the chooser speaks all three
	}
	if !strings.Contains(root, `<html lang="`+mark+`"`) {
		t.Errorf("%s: page is not marked lang=%q", p.URL(t), mark)
	}
	// The quick exit is a plain link, or on the pages of a visit a button
	// that ends the visit on its way out.
	if p.Has(t, "a.exit") {
		if href, _ := p.Attr(t, "a.exit", "href"); href != exit {
			t.Errorf("%s: quick exit link goes to %q", p.URL(t), href)
		}
	} else if action, _ := p.Attr(t, "form.exitform", "action"); action != "/"+string(l)+"/finish" || !p.Has(t, `form.exitform input[name="exit"][value="1"]`) {
		t.Errorf("%s: no quick exit link, and no quick-exit form ending the visit", p.URL(t))
	}
	if got, want := p.Text(t, ".exit"), (pageData{Lang: l}).T("exit"); got != want {
		t.Errorf("%s: quick exit reads %q, want %q", p.URL(t), got, want)
	}
	if l == "ko" && p.Text(t, ".exit") != "빨리 나가기" {
		t.Errorf("%s: Korean quick exit reads %q, want 빨리 나가기", p.URL(t), p.Text(t, ".exit"))
	}
	x0, y0, x1, y1 := p.Box(t, ".exit")
	if x0 < 0 || y0 < 0 || x1 > screenWidth || y1 > screenHeight || y1-y0 < 24 {
		t.Errorf("%s: quick exit at (%.0f,%.0f)–(%.0f,%.0f): not a tappable link on the first screen", p.URL(t), x0, y0, x1, y1)
	}
	if w, _ := p.ContentSize(t); w > screenWidth {
		t.Errorf("%s: page is %.0f px wide on a %d px screen", p.URL(t), w, screenWidth)
	}
}

// photo is the attachment she sends: a small file shaped like a JPEG (its
// start and end markers around random bytes).
var photo = func() []byte {
	b := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00}
	mid := make([]byte, 3000)
	rand.Read(mid)
	return append(append(b, mid...), 0xFF, 0xD9)
}()

// writePhoto writes the photo to a file named as on her phone.
func writePhoto(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), photoName)
	if err := os.WriteFile(path, photo, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// storedItem is an item of a bundle with its parts decrypted.
type storedItem struct {
	vault.Item
	Parts []storedPart
}

type storedPart struct {
	vault.PartHeader
	Data []byte
}

func (it storedItem) kinds() []vault.Kind {
	var ks []vault.Kind
	for _, p := range it.Parts {
		ks = append(ks, p.Kind)
	}
	return ks
}

// readBack exports the whole store as a bundle and reads it as the
// reviewer does, decrypting every part.
func readBack(t *testing.T, store *vault.Store, reviewer *age.X25519Identity) (*vault.Bundle, []storedItem) {
	t.Helper()
	var buf bytes.Buffer
	if _, err := store.WriteBundle(&buf, []age.Recipient{reviewer.Recipient()}, true); err != nil {
		t.Fatal(err)
	}
	var items []storedItem
	br := vault.BundleReader{
		Identities: []age.Identity{reviewer},
		Part: func(it vault.Item, _ int, ct io.Reader) error {
			if n := len(items); n == 0 || items[n-1].ID != it.ID || items[n-1].N != it.N {
				items = append(items, storedItem{Item: it})
			}
			return vault.EachSection(ct, []age.Identity{reviewer}, func(h vault.PartHeader, r io.Reader) error {
				data, err := io.ReadAll(r)
				last := &items[len(items)-1]
				last.Parts = append(last.Parts, storedPart{h, data})
				return err
			})
		},
	}
	bundle, err := br.Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return bundle, items
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func allHangul(words []string) bool {
	for _, w := range words {
		if !regexp.MustCompile(`^\p{Hangul}+$`).MatchString(w) {
			return false
		}
	}
	return true
}

// wrongDigits returns digits with the last one changed: a receipt of the
// right shape that is not hers.
func wrongDigits(digits string) string {
	b := []byte(digits)
	b[len(b)-1] = '0' + (b[len(b)-1]-'0'+1)%10
	return string(b)
}

// traffic records what the intake served: every request's method and
// path, and any cookie sent or set.
type traffic struct {
	mu       sync.Mutex
	requests []string
	cookies  []string
}

func (tr *traffic) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		tr.mu.Lock()
		defer tr.mu.Unlock()
		tr.requests = append(tr.requests, r.Method+" "+r.URL.Path)
		tr.cookies = append(tr.cookies, r.Header.Values("Cookie")...)
		tr.cookies = append(tr.cookies, w.Header().Values("Set-Cookie")...)
	})
}

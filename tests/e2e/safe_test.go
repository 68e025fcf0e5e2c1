package e2e

import (
	"bytes"
	"context"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"

	"testimony/intake"
	"testimony/internal/agekey"
	"testimony/review"
	"testimony/vault"
)

var (
	offerRE  = regexp.MustCompile(`id="offer">\s*<input type="hidden" name="n" value="([^"]+)"`)
	secondRE = regexp.MustCompile(`name="second" value="([^"]+)"`)
	digitsRE = regexp.MustCompile(`id="digits">([^<]+)<`)
)

// postPage posts a form and returns the page, failing unless it is 200.
func postPage(t *testing.T, u string, v url.Values) string {
	t.Helper()
	resp, err := http.PostForm(u, v)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %d", u, resp.StatusCode)
	}
	return string(page)
}

// comeBackWith types a receipt into the running server's return page.
func comeBackWith(t *testing.T, srvURL, receipt string) string {
	t.Helper()
	resp, err := http.Get(srvURL + "/ko/return")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return postPage(t, srvURL+"/ko/return", url.Values{"receipt": {receipt}, "n": {string(formTokenRE.FindSubmatch(page)[1])}})
}

// TestSafeReceiptReachesReviewShow: two women submit through the running
// server and take a second receipt, one asking that its use tell the
// organisation she may be under pressure, the other that it take back
// every consent. Each is then made to open her account with it; a third
// comes back with her real receipt. One bundle, exported while the server
// runs, carries all of it to a workspace with a team: import records each
// safe use in the workspace's custody log as an encrypted record, show
// and list mark the two accounts and what each chose, the third is not
// marked, "take back every consent" counts as a withdrawal of every use,
// and the workspace verifies.
func TestSafeReceiptReachesReviewShow(t *testing.T) {
	root := t.TempDir()
	id, keyFile, recFile := writeKeys(t, root)
	data := filepath.Join(root, "data")
	srv := startServer(t, data, recFile)

	submitPage := func(text string) string {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		tok, err := writeToken(srv.url)
		if err != nil {
			t.Fatal(err)
		}
		mw.WriteField("n", tok)
		mw.WriteField("testimony", text)
		mw.WriteField("consent", "review")
		mw.WriteField("consent", "publish")
		mw.Close()
		resp, err := http.Post(srv.url+"/ko/submit", mw.FormDataContentType(), &body)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		page, _ := io.ReadAll(resp.Body)
		return string(page)
	}
	takeSecond := func(page, chose string) string {
		second := postPage(t, srv.url+"/ko/second", url.Values{
			"n": {string(offerRE.FindStringSubmatch(page)[1])}, "second": {html.UnescapeString(secondRE.FindStringSubmatch(page)[1])}, "chose": {chose}})
		return strings.TrimSpace(digitsRE.FindStringSubmatch(second)[1])
	}
	pressed := takeSecond(submitPage("첫째: 위험할 수 있습니다"), vault.ChosePressure)
	withdrawn := takeSecond(submitPage("둘째: 모두 취소"), vault.ChoseWithdraw)
	third := submitPage("셋째: 그냥 돌아옵니다")
	for _, r := range []string{pressed, withdrawn} {
		if page := comeBackWith(t, srv.url, r); !strings.Contains(page, `id="noreplies"`) {
			t.Fatal("the safe receipt does not open a visit")
		}
	}
	comeBackWith(t, srv.url, shownWords(third))

	bundle := filepath.Join(root, "bundle.age")
	if _, err := intake.Export(context.Background(), data, bundle, false); err != nil {
		t.Fatal(err)
	}
	ws, err := review.Init(filepath.Join(root, "ws"), []age.Recipient{id.(*age.X25519Identity).Recipient()})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ids, err := agekey.LoadIdentities([]string{keyFile})
	if err != nil {
		t.Fatal(err)
	}
	rv, err := ws.Unlock(ids)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(bundle)
	_, err = rv.Import(f, nil)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}

	sums, err := rv.List()
	if err != nil {
		t.Fatal(err)
	}
	marked := map[string]vault.ID{}
	for _, s := range sums {
		switch {
		case len(s.Safe) == 1:
			marked[s.Safe[0].Chose] = s.ID
		case len(s.Safe) > 1:
			t.Errorf("%s: %d safe uses, want one", s.ID, len(s.Safe))
		case !strings.HasPrefix(s.Excerpt, "셋째"):
			t.Errorf("%s (%q) is not marked, yet its safe receipt was used", s.ID, s.Excerpt)
		}
		if s.Visits != 1 || s.Additions != 0 {
			t.Errorf("%s: %d visits and %d additions listed, want one visit and no addition", s.ID, s.Visits, s.Additions)
		}
	}
	if len(marked) != 2 || marked[vault.ChosePressure] == "" || marked[vault.ChoseWithdraw] == "" {
		t.Fatalf("list marks %v, want one account for each choice", marked)
	}

	for chose, sub := range marked {
		var out bytes.Buffer
		if err := rv.Show(sub, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "SAFE RECEIPT used on") || !strings.Contains(out.String(), review.ChoiceText(chose)) {
			t.Errorf("review show of %s does not mark the safe receipt and %q:\n%s", sub, chose, out.String())
		}
		c, err := rv.Read(sub)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Consented(vault.UsePublish); got != (chose != vault.ChoseWithdraw) {
			t.Errorf("%s (%s): consent to publish counts as %v", sub, chose, got)
		}
		events, err := ws.Custody(sub)
		if err != nil {
			t.Fatal(err)
		}
		n := slices.IndexFunc(events, func(e review.Event) bool { return e.Chain == "workspace" && e.Action == review.ActionSafeReceipt })
		if n < 0 {
			t.Errorf("the workspace custody of %s does not record the safe receipt's use", sub)
		}
	}
	rep, err := ws.Verify()
	if err != nil || !rep.OK() {
		t.Fatalf("verify after import: %v %+v", err, rep)
	}
}

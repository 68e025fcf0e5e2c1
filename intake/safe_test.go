package intake

import (
	"bytes"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

	"testimony/tests/vaulttest"
	"testimony/vault"
)

var (
	secondRE    = regexp.MustCompile(`name="second" value="([^"]+)"`)
	offerFormRE = regexp.MustCompile(`id="offer">\s*<input type="hidden" name="n" value="([^"]+)"`)
	// tokensRE finds every random value a page carries (visit and form
	// tokens, sealed receipts): pages are compared with them blanked.
	tokensRE = regexp.MustCompile(`name="(t|n|sealed|second)" value="[^"]*"`)
)

// herAccount is a submission made through the running server, as she sees it.
type herAccount struct {
	words   string // her first receipt
	digits  string // the same, as digits
	second  string // her second receipt, if she took it
	second2 string // the same, as digits
	page    string // the receipt page
	id      vault.ID
}

// submitAccount sends a short account and returns what the receipt page
// gave her.
func submitAccount(t testing.TB, ts *httptest.Server, text string) herAccount {
	t.Helper()
	ct, body := formFor(ts, "testimony", text, "consent", "review", "consent", "publish")
	status, page := post(t, ts.URL+"/ko/submit", ct, body)
	if status != 200 {
		t.Fatalf("submit: status %d", status)
	}
	if !strings.Contains(page, catalog["ko"]["secondIntro"]) {
		t.Fatal("the receipt page does not offer a second receipt")
	}
	return herAccount{words: shownWords(t, page), digits: find(t, digitsRE, page), page: page}
}

// takeSecond asks for the second receipt from the receipt page, with what
// its use should mean, and returns the page that shows it.
func takeSecond(t testing.TB, ts *httptest.Server, a *herAccount, chose string) string {
	t.Helper()
	status, page := postForm(t, ts.URL+"/ko/second", url.Values{
		"n": {find(t, offerFormRE, a.page)}, "second": {find(t, secondRE, a.page)}, "chose": {chose}})
	if status != 200 {
		t.Fatalf("second receipt: status %d", status)
	}
	a.second, a.second2 = shownWords(t, page), find(t, digitsRE, page)
	if a.second == a.words || len(strings.Fields(a.second)) != receiptWords {
		t.Fatalf("second receipt %q (first %q)", a.second, a.words)
	}
	return page
}

// visitCost is what one return visit cost the server, counted.
type visitCost struct{ kdf, reads, writes int64 }

// comeBack types a receipt into the return page and returns the status
// page and what the visit cost.
func comeBack(t testing.TB, s *Server, ts *httptest.Server, receipt string) (string, visitCost) {
	t.Helper()
	k0 := s.pool.runs.Load()
	r0, w0 := s.cfg.Store.Transactions()
	status, page := postForm(t, ts.URL+"/ko/return", url.Values{"receipt": {receipt}, "n": {token(ts, tokenReturn)}})
	if status != 200 || !strings.Contains(page, `id="arrived"`) {
		t.Fatalf("return visit: status %d", status)
	}
	r1, w1 := s.cfg.Store.Transactions()
	return page, visitCost{s.pool.runs.Load() - k0, r1 - r0, w1 - w0}
}

// visitNotes returns, per submission, the receipt notes its visit records
// carry, opened as a reviewer opens them.
func visitNotes(t testing.TB, store *vault.Store, reviewer *age.X25519Identity) map[vault.ID][]vault.ReceiptNote {
	t.Helper()
	_, parts := bundleParts(t, store, reviewer)
	out := map[vault.ID][]vault.ReceiptNote{}
	for _, p := range parts {
		if p.header.Kind != vault.KindVisit {
			continue
		}
		h, r, err := vault.OpenPart(bytes.NewReader(p.content), reviewer)
		if err != nil || h.Kind != vault.KindReceipt {
			t.Fatalf("a visit record's note does not open: %v %+v", err, h)
		}
		b, _ := io.ReadAll(r)
		var n vault.ReceiptNote
		if err := vault.UnmarshalForm(b, &n); err != nil {
			t.Fatal(err)
		}
		out[p.item.ID] = append(out[p.item.ID], n)
	}
	return out
}

// replyTo sends a reviewer's reply to submission id through a real reply
// bundle.
func replyTo(t testing.TB, store *vault.Store, reviewer *age.X25519Identity, id vault.ID, text string) {
	t.Helper()
	b, parts := bundleParts(t, store, reviewer)
	var key string
	for _, p := range parts {
		if p.item.ID == id && p.header.Kind == vault.KindReplyKey {
			key = string(p.content)
		}
	}
	ct, err := vault.SealReply([]byte(text), key)
	if err != nil {
		t.Fatal(err)
	}
	var rb bytes.Buffer
	if err := vault.WriteReplies(&rb, b.Server, b.ReplyAuth, b.Created, []vault.Reply{{To: id, Ciphertext: ct}}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.ImportReplies(&rb); err != nil {
		t.Fatal(err)
	}
}

func submissionOf(t testing.TB, store *vault.Store, reviewer *age.X25519Identity, text string) vault.ID {
	t.Helper()
	_, parts := bundleParts(t, store, reviewer)
	for _, p := range parts {
		if p.header.Kind == vault.KindText && string(p.content) == text {
			return p.item.ID
		}
	}
	t.Fatalf("no submission holds %q", text)
	return ""
}

// TestSafeReceiptVisitLooksLikeAnEmptyAccount opens, through the running
// server's return page, a real account that has a reply with its safe
// receipt, and another real account with no reply with its real receipt:
// the two status pages are byte for byte the same once their random
// tokens are blanked, and each visit ran the same number of Argon2id
// derivations and store transactions. The real receipt of the first still
// shows the reply, at the same cost. Every visit left a record whose note
// tells the reviewers which receipt was used, and what she chose.
func TestSafeReceiptVisitLooksLikeAnEmptyAccount(t *testing.T) {
	reviewer := vaulttest.Identity(t)
	s, store, ts := newTestServer(t, Config{Recipients: []age.Recipient{reviewer.Recipient()}})

	a := submitAccount(t, ts, "첫째 이야기")
	second := takeSecond(t, ts, &a, vault.ChosePressure)
	if !strings.Contains(second, (lang("ko")).textf("secondMeans", catalog["ko"]["secondPressure"])) {
		t.Error("the second receipt's page does not say what she chose")
	}
	a.id = submissionOf(t, store, reviewer, "첫째 이야기")
	replyTo(t, store, reviewer, a.id, "읽었습니다. 고맙습니다.")
	b := submitAccount(t, ts, "둘째 이야기")
	b.id = submissionOf(t, store, reviewer, "둘째 이야기")

	// As digits, each receipt has one reading, so one KDF run.
	safePage, safeCost := comeBack(t, s, ts, a.second2)
	emptyPage, emptyCost := comeBack(t, s, ts, b.digits)
	realPage, realCost := comeBack(t, s, ts, a.digits)

	if !strings.Contains(realPage, "읽었습니다. 고맙습니다.") {
		t.Fatal("her real receipt does not show the reply")
	}
	if strings.Contains(safePage, "읽었습니다") || !strings.Contains(safePage, `id="noreplies"`) {
		t.Fatal("the safe receipt shows the reply, or does not say there is none")
	}
	if len(safePage) != len(emptyPage) {
		t.Errorf("page sizes differ: safe receipt %d bytes, real herAccount without replies %d", len(safePage), len(emptyPage))
	}
	blank := func(p string) string { return tokensRE.ReplaceAllString(p, `name="$1" value=""`) }
	if blank(safePage) != blank(emptyPage) {
		t.Errorf("the safe receipt's page differs from an empty herAccount's:\n%s\n---\n%s", blank(safePage), blank(emptyPage))
	}
	if safeCost != emptyCost || safeCost != realCost || safeCost.kdf != 1 {
		t.Errorf("visit costs differ: safe %+v, real without replies %+v, real with a reply %+v (want one KDF run each, and the same reads and writes)", safeCost, emptyCost, realCost)
	}

	notes := visitNotes(t, store, reviewer)
	want := map[vault.ID][]vault.ReceiptNote{
		a.id: {{Version: 1, Receipt: vault.ReceiptSecond, Chose: vault.ChosePressure}, {Version: 1, Receipt: vault.ReceiptFirst}},
		b.id: {{Version: 1, Receipt: vault.ReceiptFirst}},
	}
	for id, w := range want {
		if !slices.Equal(notes[id], w) {
			t.Errorf("visit records of %s carry %+v, want %+v", id, notes[id], w)
		}
	}
}

// TestSecondReceiptOnce: the offer is a single-use form (sent again, it
// shows nothing and changes nothing), an unknown choice or a forged offer
// is refused, and the offer stays under her receipt while she checks it.
func TestSecondReceiptOnce(t *testing.T) {
	reviewer := vaulttest.Identity(t)
	s, store, ts := newTestServer(t, Config{Recipients: []age.Recipient{reviewer.Recipient()}})
	a := submitAccount(t, ts, "이야기")

	form := url.Values{"n": {find(t, offerFormRE, a.page)}, "second": {find(t, secondRE, a.page)}}
	for _, bad := range []url.Values{
		{"n": form["n"], "second": form["second"], "chose": {"tell-everyone"}},
		{"n": {token(ts, tokenSecond)}, "second": {"AAAA" + form.Get("second")[4:]}, "chose": {vault.ChoseQuiet}},
	} {
		if status, page := postForm(t, ts.URL+"/ko/second", bad); status != http.StatusBadRequest || wordsRE.MatchString(page) {
			t.Errorf("bad offer %v: status %d, or a receipt shown", bad, status)
		}
	}
	form.Set("n", token(ts, tokenSecond))
	form.Set("chose", vault.ChoseWithdraw)
	takeSecondWith(t, ts, &a, form)
	form.Set("chose", vault.ChoseQuiet)
	if status, again := postForm(t, ts.URL+"/ko/second", form); status != http.StatusConflict || wordsRE.MatchString(again) {
		t.Fatalf("the offer sent twice: status %d, or the receipt shown again", status)
	}

	// The check form under her first receipt carries the offer along.
	_, checked := postForm(t, ts.URL+"/ko/check", url.Values{"typed": {a.words}, "sealed": {find(t, sealedRE, a.page)}, "n": {find(t, nRE, a.page)}, "second": {find(t, secondRE, a.page)}})
	if !strings.Contains(checked, catalog["ko"]["checkOK"]) || !offerFormRE.MatchString(checked) {
		t.Error("after the check, the second receipt is no longer offered")
	}

	comeBack(t, s, ts, a.second)
	notes := visitNotes(t, store, reviewer)
	for _, n := range notes {
		if !slices.Equal(n, []vault.ReceiptNote{{Version: 1, Receipt: vault.ReceiptSecond, Chose: vault.ChoseWithdraw}}) {
			t.Errorf("visit with the second receipt carries %+v, want her first choice kept", n)
		}
	}
}

func takeSecondWith(t testing.TB, ts *httptest.Server, a *herAccount, form url.Values) string {
	t.Helper()
	status, page := postForm(t, ts.URL+"/ko/second", form)
	if status != 200 {
		t.Fatalf("second receipt: status %d", status)
	}
	a.second = shownWords(t, page)
	return page
}

// seizedView is everything a store seized after her visits tells of the
// account a receipt opens, to someone who holds that receipt and no
// reviewer key.
type seizedView struct {
	tagValue    int      // bytes stored with the receipt's tag
	tagsOfID    int      // look-up tags that name the same submission
	noteSizes   []int    // sizes of the notes stored with them
	items       []string // each item: its number and its parts' sizes
	custody     int      // custody entries naming its items
	replies     int      // replies stored for it
	repliesOpen int      // of which the receipt's reply key opens
}

func seize(t testing.TB, path, serverID, receipt string) seizedView {
	t.Helper()
	readings, err := parseReceipt(receipt)
	if err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v seizedView
	err = db.View(func(tx *bolt.Tx) error {
		var keys receiptKeys
		var val []byte
		for _, value := range readings {
			if keys, err = deriveReceipt(value, append([]byte("testimony receipt v1 "), serverID...), testKDF); err != nil {
				return err
			}
			if val = tx.Bucket([]byte("receipts")).Get(keys.tag); val != nil {
				break
			}
		}
		if len(val) < 10 {
			t.Fatal("the receipt's tag is not in the seized store")
		}
		v.tagValue = len(val)
		id := val[:10]
		tx.Bucket([]byte("receipts")).ForEach(func(k, x []byte) error {
			if bytes.Equal(x[:10], id) {
				v.tagsOfID++
				v.noteSizes = append(v.noteSizes, len(x)-10)
			}
			return nil
		})
		slices.Sort(v.noteSizes)
		named := map[string]bool{}
		c := tx.Bucket([]byte("items")).Cursor()
		for k, rec := c.Seek(id); k != nil && bytes.HasPrefix(k, id); k, rec = c.Next() {
			it, err := vault.ParseItem(rec)
			if err != nil {
				return err
			}
			desc := hex.EncodeToString(k[10:])
			for _, p := range it.Parts {
				desc += " " + strconv.FormatInt(p.Size, 10)
			}
			v.items = append(v.items, desc)
			named[string(k)] = true
		}
		tx.Bucket([]byte("entry-key")).ForEach(func(_, k []byte) error {
			if named[string(k)] {
				v.custody++
			}
			return nil
		})
		rc := tx.Bucket([]byte("replies")).Cursor()
		for k, ct := rc.Seek(id); k != nil && bytes.HasPrefix(k, id); k, ct = rc.Next() {
			v.replies++
			if _, _, err := vault.OpenPart(bytes.NewReader(ct), keys.reply); err == nil {
				v.repliesOpen++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSeizedStoreCannotTellSafeReceipt seizes the store (an online backup,
// as an operator's copy would be) after two women came back: one, forced,
// with her safe receipt; the other with her real receipt, and no reply yet
// for either. Holding the store and one receipt, someone without a
// reviewer key finds the same thing either way: a tag with a value of one
// size, two tags for the account with notes of one size, the same items
// and part sizes, the same custody entries, no reply.
func TestSeizedStoreCannotTellSafeReceipt(t *testing.T) {
	reviewer := vaulttest.Identity(t)
	s, store, ts := newTestServer(t, Config{Recipients: []age.Recipient{reviewer.Recipient()}})
	a := submitAccount(t, ts, "첫째 이야기")
	takeSecond(t, ts, &a, vault.ChoseWithdraw)
	b := submitAccount(t, ts, "둘째 이야기")
	comeBack(t, s, ts, a.second)
	comeBack(t, s, ts, b.words)

	path := filepath.Join(t.TempDir(), "seized.db")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Backup(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	safe := seize(t, path, store.ServerID(), a.second)
	real := seize(t, path, store.ServerID(), b.words)
	if safe.tagsOfID != 2 || safe.replies != 0 {
		t.Fatalf("seized view of the safe receipt: %+v", safe)
	}
	if !slices.Equal(safe.items, real.items) || !slices.Equal(safe.noteSizes, real.noteSizes) ||
		safe.tagValue != real.tagValue || safe.tagsOfID != real.tagsOfID || safe.custody != real.custody ||
		safe.replies != real.replies || safe.repliesOpen != real.repliesOpen {
		t.Errorf("a seized store tells the receipts apart:\nsafe %+v\nreal %+v", safe, real)
	}
	// Her real receipt, too, finds the same.
	if mine := seize(t, path, store.ServerID(), a.words); !slices.Equal(mine.items, safe.items) || mine.tagValue != safe.tagValue {
		t.Errorf("her two receipts look different in the seized store: %+v / %+v", mine, safe)
	}
}
